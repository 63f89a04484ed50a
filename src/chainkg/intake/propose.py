"""Propose segments (挂链) for the firms of enterprise lists, each with a score, a decision and evidence.

The score of a segment for a firm combines the three kinds of evidence of
:mod:`chainkg.intake.evidence` as independent signals (noisy-OR)::

    score = 1 - (1 - terms) × (1 - code) × (1 - similarity)

``proposed`` at or above ``Thresholds.proposed`` (0.6), ``review`` at or above
``Thresholds.review`` (0.3), nothing below. Then, in order:

- a segment the firm is already in, or that staff rejected before (``intake_rejections``), is
  not offered;
- **chain fit**: where a chain has chain-wide terms (a ``segment_terms`` row whose 所属环节 is the
  chain), a segment of that chain is at most ``review`` unless the firm shows one of them; a
  chain-wide exclusion removes every segment of the chain;
- **catch-all**: a segment named 其他… (or "Other …") is dropped when a sibling segment of its
  chain is ``proposed``, or the firm is already in one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ..graph_model.records import Dataset, Problem
from .columns import ListRow, is_deregistered, read_list
from .evidence import FIELD_FACTOR, FIELD_ZH, CodeRules, SimilarityIndex, Term, TermRules, firm_text, place_words, term_strength
from .identity import DistrictIndex, FirmIndex, merge_duplicates, new_firm_id, normalise_name

DECISION_ZH = {"proposed": "建议", "review": "待复核"}


@dataclass(frozen=True)
class Thresholds:
    proposed: float = 0.6
    review: float = 0.3

    def decide(self, score: float) -> str | None:
        """
        >>> Thresholds().decide(0.6), Thresholds().decide(0.59), Thresholds().decide(0.29)
        ('proposed', 'review', None)
        """
        if score >= self.proposed:
            return "proposed"
        if score >= self.review:
            return "review"
        return None


def combine(terms: float, code: float, similarity: float) -> float:
    """Noisy-OR of the three strengths.

    >>> combine(0.632, 0, 0), round(combine(0.5, 0.6, 0), 2), combine(0, 0, 0)
    (0.632, 0.8, 0.0)
    """
    return round(1.0 - (1 - terms) * (1 - code) * (1 - similarity), 3)


@dataclass
class Proposal:
    segment_id: str
    segment_name: str
    chain_id: str | None
    score: float
    decision: str
    terms: float = 0.0
    code: float = 0.0
    similarity: float = 0.0
    evidence: list[dict] = field(default_factory=list)

    def evidence_text(self) -> str:
        """The evidence in one line, as the review file shows it."""
        parts = []
        for e in self.evidence:
            if e["kind"] == "term":
                parts.append(f"词「{e['term']}」({FIELD_ZH[e['field']]})")
            elif e["kind"] == "code":
                parts.append(f"行业代码 {e['firm_code']}∈{e['code']}")
            elif e["kind"] == "similar":
                parts.append(f"相似企业 {e['name']}({e['firm_id']}, {e['similarity']:.2f})")
            elif e["kind"] == "chain":
                parts.append(e["note"])
        return "; ".join(parts)

    def as_dict(self) -> dict:
        return {"segment_id": self.segment_id, "segment_name": self.segment_name, "chain_id": self.chain_id,
                "score": self.score, "decision": self.decision,
                "strengths": {"terms": round(self.terms, 3), "code": round(self.code, 3),
                              "similarity": round(self.similarity, 3)},
                "evidence": self.evidence}


@dataclass
class FirmProposals:
    row: ListRow
    firm_id: str  # an existing firm id, or the id a new firm will get
    existing: bool
    match_how: str | None
    district_id: str | None
    district_words: str | None
    local: bool
    current_segments: list[str]
    proposals: list[Proposal]
    deregistered: bool = False

    def as_dict(self) -> dict:
        r = self.row
        return {"file": r.file, "sheet": r.sheet, "row": r.row, "merged_rows": r.merged_rows, "name": r.name,
                "credit_code": r.credit_code, "firm_id": self.firm_id, "existing": self.existing,
                "matched_by": self.match_how, "district_id": self.district_id, "district_words": self.district_words,
                "local": self.local, "current_segments": self.current_segments, "deregistered": self.deregistered,
                "business_scope": r.business_scope, "main_products": r.main_products,
                "industry_code": r.industry_code, "extra": r.extra,
                "proposals": [p.as_dict() for p in self.proposals]}


@dataclass
class IntakeResult:
    dataset: str
    files: list[str]
    created: str
    thresholds: Thresholds
    firms: list[FirmProposals]
    problems: list[Problem]
    extra_columns: list[str]

    def counts(self) -> dict[str, int]:
        placed = [f for f in self.firms if not f.deregistered]
        return {"firms": len(self.firms), "existing": sum(f.existing for f in placed),
                "new": sum(not f.existing for f in placed),
                "deregistered": sum(f.deregistered for f in self.firms),
                "with_proposed": sum(any(p.decision == "proposed" for p in f.proposals) for f in placed),
                "review_only": sum(bool(f.proposals) and all(p.decision == "review" for p in f.proposals)
                                   for f in placed),
                "no_proposal": sum(not f.proposals for f in placed)}

    def as_dict(self) -> dict:
        return {"dataset": self.dataset, "files": self.files, "created": self.created,
                "thresholds": {"proposed": self.thresholds.proposed, "review": self.thresholds.review},
                "counts": self.counts(), "firms": [f.as_dict() for f in self.firms],
                "problems": [p.as_dict() for p in self.problems]}


def is_catch_all(name: str, name_en: str | None = None) -> bool:
    """
    >>> is_catch_all("其他配套"), is_catch_all("电池片"), is_catch_all("x", "Other parts")
    (True, False, True)
    """
    return name.startswith(("其他", "其它")) or (name_en or "").lower().startswith("other")


class Proposer:
    """What a dataset knows (segments, rules, placed firms), ready to score many list rows."""

    def __init__(self, ds: Dataset, thresholds: Thresholds = Thresholds(), top: int = 3):
        self.ds, self.thresholds, self.top = ds, thresholds, top
        self.segments = {n.id: n for n in ds.nodes_of("Segment")}
        self.catch_all = {sid for sid, n in self.segments.items()
                          if is_catch_all(n.props.get("name", ""), n.props.get("name_en"))}
        self.chain_of = {r.end: r.start for r in ds.rels_of("HAS_SEGMENT")}
        self.terms = TermRules(ds)
        self.codes = CodeRules(ds)
        self.similar = SimilarityIndex.from_dataset(ds)
        self.places = place_words(ds)
        self.chain_terms = {t.target for ts in self.terms.terms.values() for t in ts
                            if t.mode == "include" and t.target not in self.segments}
        self.current: dict[str, list[str]] = {}
        for r in ds.rels_of("IN_SEGMENT"):
            if ds.nodes[r.start].label == "Firm":
                self.current.setdefault(r.start, []).append(r.end)
        self.rejected: set[tuple[str, str]] = set()
        for rule in ds.rules.get("intake_rejections", []):
            key = rule.props.get("credit_code") or normalise_name(rule.props["firm_name"])
            self.rejected.add((key, rule.props["segment_id"]))

    def score_rows(self, rows: list[ListRow], firm_ids: list[str | None] | None = None) -> list[list[Proposal]]:
        """Proposals for each row (best first, at most ``top``); ``firm_ids`` are existing firms
        (their placements and their own similarity are left out)."""
        firm_ids = firm_ids or [None] * len(rows)
        texts: dict[str, list[str | None]] = {"name": [r.name for r in rows], "main_products": [r.main_products for r in rows],
                 "business_scope": [r.business_scope for r in rows]}
        hits = self.terms.hits(texts)
        sims = self.similar.best([firm_text(r.name, r.main_products, r.business_scope, self.places) for r in rows],
                                 exclude=firm_ids)
        out = []
        for i, r in enumerate(rows):
            out.append(self._one(r, firm_ids[i], hits[i], sims[i]))
        return out

    def _one(self, row: ListRow, firm_id, hits: list[tuple[str, Term]], sims: dict) -> list[Proposal]:
        seg_terms: dict[str, dict[tuple[str, str], Term]] = {}  # distinct (field, term) hits per segment
        term_sum: dict[str, float] = {}
        vetoed: set[str] = set()
        chain_ok: set[str] = set()
        for f, t in hits:
            if t.mode == "exclude":
                vetoed.add(t.target)
            elif t.target in self.segments:
                found = seg_terms.setdefault(t.target, {})
                if (f, t.term) not in found:
                    found[(f, t.term)] = t
                    term_sum[t.target] = term_sum.get(t.target, 0.0) + t.weight * FIELD_FACTOR[f]
            else:
                chain_ok.add(t.target)
        codes = self.codes.match(row.industry_code)
        key = row.credit_code or normalise_name(row.name)
        skip = set(self.current.get(firm_id, ())) if firm_id else set()
        props: list[Proposal] = []
        for seg in set(term_sum) | set(codes) | set(sims):
            chain = self.chain_of.get(seg)
            if seg not in self.segments or seg in skip or seg in vetoed or chain in vetoed:
                continue
            if self.rejected and (key, seg) in self.rejected:
                continue
            tw = term_strength(term_sum[seg]) if seg in term_sum else 0.0
            c = codes[seg][0] if seg in codes else 0.0
            s = sims[seg][0] if seg in sims else 0.0
            score = combine(tw, c, s)
            decision = self.thresholds.decide(score)
            if decision is None:
                continue
            ev = [{"kind": "term", "term": tt.term, "field": f, "weight": tt.weight}
                  for (f, _), tt in sorted(seg_terms.get(seg, {}).items(), key=lambda x: (-x[1].weight, x[1].term))]
            if seg in codes:
                ev.append({"kind": "code", "firm_code": row.industry_code, "code": codes[seg][1]})
            if seg in sims and sims[seg][1] > 0:
                _, v, fid, fname = sims[seg]
                ev.append({"kind": "similar", "firm_id": fid, "name": fname, "similarity": round(v, 3)})
            if chain in self.chain_terms and chain not in chain_ok and decision == "proposed":
                decision = "review"
                ev.append({"kind": "chain", "note": f"未见产业链 {chain} 的链级关键词 (no chain-wide term of {chain})"})
            props.append(Proposal(seg, self.segments[seg].props.get("name", seg), chain, score, decision, tw, c, s, ev))
        if self.catch_all and any(p.segment_id in self.catch_all for p in props):
            # a sibling already proposed, or one the firm is already in, rules the catch-all out
            taken = {p.chain_id for p in props if p.decision == "proposed" and p.segment_id not in self.catch_all}
            taken |= {self.chain_of.get(x) for x in skip if x not in self.catch_all}
            props = [p for p in props if not (p.segment_id in self.catch_all and p.chain_id in taken)]
        props.sort(key=lambda p: (-p.score, p.segment_id))
        return props[: self.top]


def propose(lists: list[str | Path], ds: Dataset, *, thresholds: Thresholds = Thresholds(), top: int = 3,
            sheet: str | int | None = None, today: str | None = None) -> IntakeResult:
    """Read enterprise lists, match them to ``ds`` and propose segments; every problem is reported.

    A list that cannot be read at all is reported with the others' problems (``DataError`` is
    raised by the caller when no list could be read).
    """
    from ..errors import DataError

    rows: list[ListRow] = []
    problems: list[Problem] = []
    extra: list[str] = []
    read_any = False
    for path in lists:
        try:
            reading = read_list(path, sheet)
        except DataError as exc:
            problems.extend(exc.problems)
            continue
        read_any = True
        rows += reading.rows
        problems += reading.problems
        extra += [h for h in reading.extra_columns if h not in extra]
    if not read_any:
        raise DataError("No list could be read; nothing was proposed.", problems=problems,
                        hint="Fix the files named above.")
    rows, dup_problems = merge_duplicates(rows)
    problems += dup_problems
    firms_ix, districts = FirmIndex(ds), DistrictIndex(ds)
    proposer = Proposer(ds, thresholds, top)
    live = [r for r in rows if not is_deregistered(r)]
    matches = {id(r): firms_ix.match(r) for r in rows}
    scored = proposer.score_rows(live, [matches[id(r)].firm_id for r in live])
    by_row = {id(r): p for r, p in zip(live, scored, strict=True)}
    located = {x.start: x.end for x in ds.rels_of("LOCATED_IN") if ds.nodes[x.start].label == "Firm"}
    out = []
    for r in rows:
        m = matches[id(r)]
        existing = ds.nodes.get(m.firm_id) if m.firm_id else None
        found = districts.find(r.district) or districts.find(r.address)
        district = found[0] if found else (located.get(existing.id) if existing is not None else None)
        local = bool(existing.props.get("local")) if existing is not None and not found else found is not None
        out.append(FirmProposals(
            r, m.firm_id or new_firm_id(r), existing is not None, m.how, district, found[1] if found else None,
            local, sorted(proposer.current.get(m.firm_id, ())) if m.firm_id else [], by_row.get(id(r), []),
            deregistered=is_deregistered(r)))
    problems.sort(key=lambda p: (p.severity != "error", p.file or "", p.sheet or "", p.row or 0))
    return IntakeResult(ds.name, [str(p) for p in lists], today or dt.date.today().isoformat(), thresholds, out,
                        problems, extra)
