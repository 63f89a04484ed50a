"""Learning from staff: what a decision teaches, in which order to ask, and decisions into the dataset.

The public functions the review workbook (:mod:`.apply`) and the browser review both use:

- :func:`review_priority` / :func:`order_for_review`: the rows where a staff decision teaches
  most come first — undecided candidates (confidences near 0.5, or two close ones) and
  candidates in thinly placed segments (few placed firms to learn from);
- :class:`Decision` and :func:`apply_decisions`: accepted, rejected and re-assigned rows into
  the dataset: accepted / re-assigned segments become ``firm_segments`` (the next ``propose``
  learns from them as placed firms), rejections become ``intake_rejections`` (never offered
  again for that firm, and negative examples for the ranker's combiner).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ..graph_model.records import Dataset, Node, Rel, Row
from .identity import normalise_name
from .ranker import entropy


def review_priority(firm, placed_count: Mapping[str, float]) -> float:
    """How much a decision on this firm teaches: the entropy of its candidates' confidences
    plus, for its first candidate, ``1 / (1 + placed firms of the segment)``. A firm without
    candidates scores 0 (it needs a segment written in, not a choice).

    >>> from types import SimpleNamespace as N
    >>> sure = N(proposals=[N(score=0.99, segment_id="A")])
    >>> unsure = N(proposals=[N(score=0.5, segment_id="A"), N(score=0.45, segment_id="B")])
    >>> thin = N(proposals=[N(score=0.99, segment_id="T")])
    >>> counts = {"A": 50, "B": 50, "T": 0}
    >>> [round(review_priority(f, counts), 3) for f in (sure, unsure, thin)]
    [0.076, 1.401, 1.056]
    """
    props = getattr(firm, "proposals", [])
    if not props:
        return 0.0
    thin = 1.0 / (1.0 + float(placed_count.get(props[0].segment_id, 0)))
    return round(entropy([p.score for p in props]) + thin, 6)


def order_for_review(firms: Iterable) -> list:
    """Firms most worth a decision first (by :attr:`priority`, then as listed); firms without a
    candidate last, deregistered ones left out."""
    live = [f for f in firms if not getattr(f, "deregistered", False)]
    return sorted(live, key=lambda f: (not f.proposals, -f.priority))


@dataclass
class Decision:
    """One staff decision on one firm (one review row, or one click in the browser review)."""
    firm_id: str
    name: str
    accepted: list[tuple[str, str]] = field(default_factory=list)  # (segment, confidence confirmed|inferred)
    rejected: list[str] = field(default_factory=list)
    credit_code: str | None = None
    district_id: str | None = None
    local: bool | None = None  # for a new firm
    fields: dict[str, object] = field(default_factory=dict)  # business_scope, main_products, industry_code ...
    where: str | None = None  # e.g. "review.xlsx row 5"

    @property
    def key(self) -> str:
        return self.credit_code or normalise_name(self.name)


@dataclass
class Applied:
    new_firms: list[str] = field(default_factory=list)
    updated_firms: list[str] = field(default_factory=list)
    confirmed: list[tuple[str, str]] = field(default_factory=list)
    inferred: list[tuple[str, str]] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)
    unchanged: int = 0

    @property
    def used_source(self) -> bool:
        return bool(self.new_firms or self.updated_firms or self.confirmed or self.inferred or self.rejected)


#: the firm's text kept with a rejection (``intake_rejections`` columns)
REJECTION_TEXT = ("main_products", "business_scope", "industry_code")
FIRM_FIELDS = ("credit_code", "business_scope", "main_products", "industry_code", "name_en", "revenue_100m_cny")


def apply_decisions(ds: Dataset, decisions: Iterable[Decision], source_id: str, *, date: str, note: str,
                    out: Applied | None = None) -> Applied:
    """Write ``decisions`` into ``ds`` (in place) under ``source_id``; applying them twice changes
    nothing the second time. The caller validates and adds the source row (see :mod:`.apply`)."""
    out = out or Applied()
    rejections = {(r.props.get("credit_code") or normalise_name(r.props["firm_name"]), r.props["segment_id"])
                  for r in ds.rules.get("intake_rejections", [])}
    located = {r.start for r in ds.rels_of("LOCATED_IN")}
    for d in decisions:
        record_rejections(ds, d, source_id, date, note, rejections, out)
        if not d.accepted:
            continue
        if not place_firm(ds, d, source_id, located, out):
            continue
        add_placements(ds, d, source_id, out)
    return out


def record_rejections(ds: Dataset, d: Decision, source_id: str, date: str, note: str,
                      seen: set[tuple[str, str]], out: Applied) -> None:
    """An ``intake_rejections`` row per rejected segment not already remembered."""
    for seg in d.rejected:
        if (d.key, seg) in seen:
            continue
        seen.add((d.key, seg))
        props: dict[str, object] = {"firm_name": d.name, "segment_id": seg, "date": date, "note": note, "source_id": source_id,
                 "confidence": "confirmed"}
        if d.credit_code:
            props["credit_code"] = d.credit_code
        for k in REJECTION_TEXT:  # the text staff judged: a negative example even for a firm not in the dataset
            if d.fields.get(k):
                props[k] = d.fields[k]
        ds.rules.setdefault("intake_rejections", []).append(Row(props))
        out.rejected.append((d.firm_id, seg))


def place_firm(ds: Dataset, d: Decision, source_id: str, located: set[str], out: Applied) -> bool:
    """The firm node: created for a new firm, empty fields filled for an existing one.
    ``False`` when ``firm_id`` is not a firm (the caller reported it)."""
    node = ds.nodes.get(d.firm_id)
    if node is None:
        conf = "confirmed" if any(c == "confirmed" for _, c in d.accepted) else "inferred"
        props: dict[str, object] = {"name": d.name, "local": bool(d.local), "source_id": source_id, "confidence": conf}
        for k in FIRM_FIELDS:
            v = d.credit_code if k == "credit_code" else d.fields.get(k)
            if v not in (None, ""):
                props[k] = v
        ds.nodes[d.firm_id] = Node(d.firm_id, "Firm", props)
        if d.district_id:
            ds.rels[("LOCATED_IN", d.firm_id, d.district_id)] = Rel("LOCATED_IN", d.firm_id, d.district_id,
                                                                     {"source_id": source_id, "confidence": conf})
            located.add(d.firm_id)
        out.new_firms.append(d.firm_id)
        return True
    if node.label != "Firm":
        return False
    changed = False
    for k in FIRM_FIELDS[:4]:
        v = d.credit_code if k == "credit_code" else d.fields.get(k)
        if v and not node.props.get(k):
            node.props[k] = v
            changed = True
    if d.district_id and d.firm_id not in located:
        ds.rels[("LOCATED_IN", d.firm_id, d.district_id)] = Rel("LOCATED_IN", d.firm_id, d.district_id,
                                                                 {"source_id": source_id, "confidence": "confirmed"})
        located.add(d.firm_id)
        changed = True
    if changed:
        out.updated_firms.append(d.firm_id)
    return True


def add_placements(ds: Dataset, d: Decision, source_id: str, out: Applied) -> None:
    """``firm_segments`` for the accepted segments; an inferred placement staff confirm is upgraded."""
    for seg, conf in d.accepted:
        k = ("IN_SEGMENT", d.firm_id, seg)
        old = ds.rels.get(k)
        if old is None:
            ds.rels[k] = Rel("IN_SEGMENT", d.firm_id, seg, {"source_id": source_id, "confidence": conf})
            (out.confirmed if conf == "confirmed" else out.inferred).append((d.firm_id, seg))
        elif conf == "confirmed" and old.props.get("confidence") != "confirmed":
            old.props.update({"source_id": source_id, "confidence": "confirmed"})
            out.confirmed.append((d.firm_id, seg))
        else:
            out.unchanged += 1
