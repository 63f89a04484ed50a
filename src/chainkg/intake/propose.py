"""Propose segments (挂链) for the firms of enterprise lists: always the top k, each with a calibrated
confidence, a decision and the evidence.

The confidence comes from the learned ranker of :mod:`chainkg.intake.ranker` (text of the placed
firms, the segments' own text, the term rules and industry codes, all as features of one model);
``proposed`` / ``review`` / ``weak`` from :class:`~chainkg.intake.ranker.Thresholds` chosen on
held-out folds of the dataset itself for a target precision (default 0.9) unless given. Then:

- a segment the firm is already in, that staff rejected for it before (``intake_rejections``),
  or that an exclusion term removes (also chain-wide) is not offered: the next one moves up;
- **chain fit**: where a chain has chain-wide terms (a ``segment_terms`` row whose 所属环节 is the
  chain), a segment of that chain is at most ``review`` unless the firm shows one of them;
- **catch-all**: a segment named 其他… (or "Other …") is dropped when a sibling segment of its
  chain is ``proposed``, or the firm is already in one;
- a candidate with no evidence at all (nothing in common with the segment's text or its placed
  firms, no term, no code) is not shown; a firm left without any candidate says why
  (:data:`REASONS`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..graph_model.records import Dataset, Problem
from .columns import ListRow, is_deregistered, read_list
from .evidence import FIELD_FACTOR, FIELD_ZH, CodeRules, Term, TermRules, firm_text, place_words, term_strength
from .identity import DistrictIndex, FirmIndex, merge_duplicates, new_firm_id, normalise_name
from .ranker import Ranker, Thresholds

DECISION_ZH = {"proposed": "建议", "review": "待复核", "weak": "弱"}
#: why a firm has no candidate at all
REASONS = {"no_text": ("名录里没有名称核心词、主营产品或经营范围", "the list gives no name core, products or business scope"),
           "nothing_similar": ("与任何环节及已挂链企业都没有共同的词，也没有命中关键词或行业代码",
                               "nothing in common with any segment or placed firm, and no term or industry code"),
           "all_excluded": ("所有环节都已在、被否决或被排除词排除", "every segment is already held, rejected or excluded")}


@dataclass
class Proposal:
    segment_id: str
    segment_name: str
    chain_id: str | None
    score: float  # the calibrated confidence, 0-1
    decision: str  # proposed | review | weak
    terms: float = 0.0
    code: float = 0.0
    similarity: float = 0.0  # cosine to the segment's placed firms (centroid)
    evidence: list[dict] = field(default_factory=list)
    features: dict[str, float] = field(default_factory=dict)

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
            elif e["kind"] == "model":
                parts.append(f"模型 {e['linear']:+.2f} · 同环节企业 {e['centroid']:.2f} · 环节说明 {e['prior']:.2f}")
            elif e["kind"] == "chain":
                parts.append(e["note"])
        return "; ".join(parts)

    def as_dict(self) -> dict:
        return {"segment_id": self.segment_id, "segment_name": self.segment_name, "chain_id": self.chain_id,
                "score": self.score, "decision": self.decision,
                "strengths": {"terms": round(self.terms, 3), "code": round(self.code, 3),
                              "similarity": round(self.similarity, 3)},
                "features": self.features, "evidence": self.evidence}


@dataclass
class FirmProposals:
    row: ListRow
    firm_id: str  # an existing firm id, or the id a new firm will get
    existing: bool
    match_how: str | None
    district_id: str | None
    district_words: str | None
    local: bool | None  # None: the list names a place the dataset does not know (reported)
    current_segments: list[str]
    proposals: list[Proposal]
    deregistered: bool = False
    reason: str | None = None  # why there is no proposal (a key of REASONS)
    priority: float = 0.0  # how much a staff decision on this row teaches (review order)

    def as_dict(self) -> dict:
        r = self.row
        return {"file": r.file, "sheet": r.sheet, "row": r.row, "merged_rows": r.merged_rows, "name": r.name,
                "credit_code": r.credit_code, "firm_id": self.firm_id, "existing": self.existing,
                "matched_by": self.match_how, "district_id": self.district_id, "district_words": self.district_words,
                "local": self.local, "current_segments": self.current_segments, "deregistered": self.deregistered,
                "business_scope": r.business_scope, "main_products": r.main_products,
                "industry_code": r.industry_code, "extra": r.extra, "reason": self.reason,
                "priority": self.priority, "proposals": [p.as_dict() for p in self.proposals]}


@dataclass
class IntakeResult:
    dataset: str
    files: list[str]
    created: str
    thresholds: Thresholds
    firms: list[FirmProposals]
    problems: list[Problem]
    extra_columns: list[str]
    model: dict = field(default_factory=dict)  # what the ranker learned from (placed firms, C, seconds)

    def counts(self) -> dict[str, int]:
        placed = [f for f in self.firms if not f.deregistered]
        return {"firms": len(self.firms), "existing": sum(f.existing for f in placed),
                "new": sum(not f.existing for f in placed),
                "deregistered": sum(f.deregistered for f in self.firms),
                "with_proposed": sum(any(p.decision == "proposed" for p in f.proposals) for f in placed),
                "review_only": sum(bool(f.proposals) and not any(p.decision == "proposed" for p in f.proposals)
                                   and any(p.decision == "review" for p in f.proposals) for f in placed),
                "weak_only": sum(bool(f.proposals) and all(p.decision == "weak" for p in f.proposals) for f in placed),
                "no_proposal": sum(not f.proposals for f in placed)}

    def as_dict(self) -> dict:
        return {"dataset": self.dataset, "files": self.files, "created": self.created,
                "thresholds": self.thresholds.as_dict(), "model": self.model,
                "counts": self.counts(), "firms": [f.as_dict() for f in self.firms],
                "problems": [p.as_dict() for p in self.problems]}


def is_catch_all(name: str, name_en: str | None = None) -> bool:
    """
    >>> is_catch_all("其他配套"), is_catch_all("电池片"), is_catch_all("x", "Other parts")
    (True, False, True)
    """
    return name.startswith(("其他", "其它")) or (name_en or "").lower().startswith("other")


#: cosine of 主营产品 + 经营范围 at or above which a list row repeats the text of a rejected firm
SAME_TEXT = 0.9


class Proposer:
    """What a dataset knows (segments, rules, placed firms, staff rejections), learned once and
    ready to rank many list rows.

    ``thresholds``: given ones win; by default they are chosen on held-out folds of the placed
    firms for ``target_precision`` (see :mod:`.ranker`).
    """

    def __init__(self, ds: Dataset, thresholds: Thresholds | None = None, top: int = 3, *,
                 target_precision: float = 0.9, ranker_options: dict | None = None):
        self.ds, self.top = ds, top
        self.segments = {n.id: n for n in ds.nodes_of("Segment")}
        self.catch_all = {sid for sid, n in self.segments.items()
                          if is_catch_all(n.props.get("name", ""), n.props.get("name_en"))}
        self.chain_of = {r.end: r.start for r in ds.rels_of("HAS_SEGMENT")}
        self.chain_segments: dict[str, set[str]] = {}
        for seg, chain in self.chain_of.items():
            self.chain_segments.setdefault(chain, set()).add(seg)
        self.terms = TermRules(ds)
        self.codes = CodeRules(ds)
        self.places = place_words(ds)
        self.chain_terms = {t.target for ts in self.terms.terms.values() for t in ts
                            if t.mode == "include" and t.target not in self.segments}
        self.current: dict[str, list[str]] = {}
        for r in ds.rels_of("IN_SEGMENT"):
            if ds.nodes[r.start].label == "Firm":
                self.current.setdefault(r.start, []).append(r.end)
        self.rejected: set[tuple[str, str]] = set()
        self.rejected_by: dict[str, set[str]] = {}  # firm key -> segments staff rejected for it
        for rej in ds.rules.get("intake_rejections", []):
            key = rej.props.get("credit_code") or normalise_name(rej.props["firm_name"])
            self.rejected.add((key, rej.props["segment_id"]))
            self.rejected_by.setdefault(key, set()).add(rej.props["segment_id"])
        self.ranker = self._train(target_precision, ranker_options or {})
        self._rejected_texts()
        self.thresholds = thresholds if thresholds is not None else self.ranker.thresholds

    # -- learning -------------------------------------------------------------------------------------

    def segment_text(self, sid: str) -> str:
        """The text prior of a segment: its name, description, its include terms, its chain's name."""
        n = self.segments[sid]
        words = [n.props.get("name") or "", n.props.get("description") or ""]
        words += sorted({t.term for ts in self.terms.terms.values() for t in ts if t.target == sid and t.mode == "include"})
        chain = self.ds.nodes.get(self.chain_of.get(sid, ""))
        if chain is not None:
            words.append(chain.props.get("name") or "")
        return " ".join(w for w in words if w)

    def _firm_fields(self, fid: str) -> tuple[str | None, str | None, str | None, str | None]:
        p = self.ds.nodes[fid].props
        return p.get("name"), p.get("main_products"), p.get("business_scope"), p.get("industry_code")

    def _train(self, target_precision: float, options: dict) -> Ranker:
        seg_ids = sorted(self.segments)
        ranker = Ranker(seg_ids, [self.segment_text(s) for s in seg_ids], target_precision=target_precision,
                        **options)
        fids = sorted(self.current)
        fields = [self._firm_fields(f) for f in fids]
        texts = [firm_text(n, mp, bs, self.places) for n, mp, bs, _ in fields]
        rules = self.rules([f[0] for f in fields], [f[1] for f in fields], [f[2] for f in fields],
                           [f[3] for f in fields])
        ranker.fit(texts, [sorted(self.current[f]) for f in fids], rules, self.negatives())
        ranker.placed_ids = [fids[i] for i in ranker.kept]
        return ranker

    def negatives(self) -> list[tuple[str, str, dict[str, tuple[float, float]]]]:
        """(text, segment, rules) of every staff rejection: negative examples of the ranker.

        Keyed by the text, not only by the firm: a rejection row keeps the 主营产品 / 经营范围 /
        行业代码 staff saw (a firm new to the dataset has no other text); a rejection without them
        uses the text of the firm the dataset holds under that credit code or name. A rejection
        with no text anywhere teaches nothing (it still keeps the segment from being proposed)."""
        held: dict[str, str] = {}
        for n in self.ds.nodes_of("Firm"):
            held.setdefault(normalise_name(n.props.get("name", "")), n.id)
            if n.props.get("credit_code"):
                held[n.props["credit_code"]] = n.id
        out = []
        for rej in self.ds.rules.get("intake_rejections", []):
            p, seg = rej.props, rej.props["segment_id"]
            if seg not in self.segments:
                continue
            name, mp, bs, code = p.get("firm_name"), p.get("main_products"), p.get("business_scope"), p.get("industry_code")
            if not (mp or bs or code):
                fid = held.get(p.get("credit_code") or "") or held.get(normalise_name(name or ""))
                if fid is not None:
                    name, mp, bs, code = self._firm_fields(fid)
            text = firm_text(name, mp, bs, self.places)
            if text.strip():
                out.append((text, seg, self.rules([name], [mp], [bs], [code])[0]))
        return out

    def _rejected_texts(self) -> None:
        """The 主营产品 + 经营范围 of each rejection that kept them, as vectors: a list row saying the
        same (cosine >= :data:`SAME_TEXT`) is the same firm for that rejection, whatever its name."""
        from .ranker import _normalise_rows

        texts, segs = [], []
        for rej in self.ds.rules.get("intake_rejections", []):
            p = rej.props
            t = firm_text(None, p.get("main_products"), p.get("business_scope"))
            if t.strip() and p["segment_id"] in self.segments:
                texts.append(t)
                segs.append(p["segment_id"])
        self.rejected_segs = segs
        self.rejected_matrix = _normalise_rows(self.ranker.transform(texts)) if texts else None

    def _rejected_same_text(self, rows: list[ListRow]) -> list[set[str]]:
        """Per row, the segments rejected for a firm whose text this row repeats."""
        out: list[set[str]] = [set() for _ in rows]
        if self.rejected_matrix is None:
            return out
        from .ranker import _normalise_rows

        texts = [firm_text(None, r.main_products, r.business_scope) for r in rows]
        sims = (_normalise_rows(self.ranker.transform(texts)) @ self.rejected_matrix.T).tocoo()
        for i, j, v in zip(sims.row, sims.col, sims.data, strict=True):
            if v >= SAME_TEXT and texts[i].strip():
                out[i].add(self.rejected_segs[j])
        return out

    def rules(self, names, products, scopes, codes) -> list[dict[str, tuple[float, float]]]:
        """``{segment: (terms strength, code strength)}`` per firm (exclusions not applied here)."""
        hits = self.terms.hits({"name": list(names), "main_products": list(products), "business_scope": list(scopes)})
        out = []
        for h, code in zip(hits, codes, strict=True):
            total: dict[str, float] = {}
            seen: set[tuple[str, str, str]] = set()
            for f, t in h:
                if t.mode == "include" and t.target in self.segments and (f, t.term, t.target) not in seen:
                    seen.add((f, t.term, t.target))
                    total[t.target] = total.get(t.target, 0.0) + t.weight * FIELD_FACTOR[f]
            r = {seg: (term_strength(v), 0.0) for seg, v in total.items()}
            for seg, (strength, _) in self.codes.match(code).items():
                r[seg] = (r.get(seg, (0.0, 0.0))[0], strength)
            out.append(r)
        return out

    # -- scoring --------------------------------------------------------------------------------------

    def score_rows(self, rows: list[ListRow], firm_ids: list[str | None] | None = None) -> list[list[Proposal]]:
        """The ``top`` proposals for each row, best first; ``firm_ids`` are existing firms (their
        placements are not offered again)."""
        return [p for p, _ in self.score_rows_why(rows, firm_ids)]

    def score_rows_why(self, rows: list[ListRow], firm_ids: list[str | None] | None = None
                       ) -> list[tuple[list[Proposal], str | None]]:
        """As :meth:`score_rows`, with the reason (a key of :data:`REASONS`) when there is none."""
        from .ranker import CHUNK

        firm_ids = firm_ids or [None] * len(rows)
        out: list[tuple[list[Proposal], str | None]] = []
        for start in range(0, len(rows), CHUNK):
            out += self._chunk(rows[start:start + CHUNK], firm_ids[start:start + CHUNK])
        return out

    def _chunk(self, rows: list[ListRow], firm_ids: list[str | None]) -> list[tuple[list[Proposal], str | None]]:
        names: list[str | None] = [r.name for r in rows]
        prods: list[str | None] = [r.main_products for r in rows]
        scopes: list[str | None] = [r.business_scope for r in rows]
        hits = self.terms.hits({"name": names, "main_products": prods, "business_scope": scopes})
        rules = self.rules(names, prods, scopes, [r.industry_code for r in rows])
        texts = [firm_text(r.name, r.main_products, r.business_scope, self.places) for r in rows]
        banned: list[set[str]] = []
        chain_ok: list[set[str]] = []
        same_text = self._rejected_same_text(rows)
        for r, fid, h, again in zip(rows, firm_ids, hits, same_text, strict=True):
            key = r.credit_code or normalise_name(r.name)
            b = set(self.current.get(fid, ())) if fid else set()
            ok = set()
            for _, t in h:
                if t.mode == "exclude":
                    b |= self.chain_segments.get(t.target, {t.target})
                elif t.target not in self.segments:
                    ok.add(t.target)
            b |= self.rejected_by.get(key, set()) | again
            banned.append(b)
            chain_ok.append(ok)
        extra = self.top + 3 if self.catch_all else self.top
        ranked = self.ranker.rank(texts, rules, top=extra, exclude=banned)
        x = self.ranker.transform(texts)
        nearest = nearest_placed(self.ranker, x, [[c.segment for c in cs] for cs in ranked])
        out = []
        for i, r in enumerate(rows):
            props = []
            seg_terms = self._term_evidence(hits[i])
            for c in ranked[i]:
                f = c.features
                if max(f["centroid"], f["prior"], f["terms"], f["code"]) <= 0:
                    continue  # the model's prior alone: nothing of this firm points there
                seg = c.segment
                chain = self.chain_of.get(seg)
                decision = self.thresholds.decide(c.confidence)
                ev = [{"kind": "term", "term": tt.term, "field": fld, "weight": tt.weight}
                      for (fld, _), tt in sorted(seg_terms.get(seg, {}).items(), key=lambda x: (-x[1].weight, x[1].term))]
                if f["code"] > 0:
                    ev.append({"kind": "code", "firm_code": r.industry_code, "code": self.codes.match(r.industry_code)[seg][1]})
                if seg in nearest[i]:
                    fid, v = nearest[i][seg]
                    ev.append({"kind": "similar", "firm_id": fid, "name": self.ds.nodes[fid].props.get("name", fid),
                               "similarity": round(v, 3)})
                ev.append({"kind": "model", "linear": f["linear"], "centroid": f["centroid"], "prior": f["prior"]})
                if chain in self.chain_terms and chain not in chain_ok[i] and decision == "proposed":
                    decision = "review"
                    ev.append({"kind": "chain", "note": f"未见产业链 {chain} 的链级关键词 (no chain-wide term of {chain})"})
                props.append(Proposal(seg, self.segments[seg].props.get("name", seg), chain, c.confidence, decision,
                                      f["terms"], f["code"], f["centroid"], ev, f))
            if self.catch_all and any(p.segment_id in self.catch_all for p in props):
                # a sibling already proposed, or one the firm is already in, rules the catch-all out
                taken = {p.chain_id for p in props if p.decision == "proposed" and p.segment_id not in self.catch_all}
                fid_i = firm_ids[i]
                taken |= {self.chain_of.get(s) for s in (self.current.get(fid_i, ()) if fid_i else ())
                          if s not in self.catch_all}
                props = [p for p in props if not (p.segment_id in self.catch_all and p.chain_id in taken)]
            props = props[: self.top]
            reason = None
            if not props:
                if not texts[i].strip() and not rules[i]:
                    reason = "no_text"
                elif len(banned[i] & set(self.segments)) >= len(self.segments):
                    reason = "all_excluded"
                else:
                    reason = "nothing_similar"
            out.append((props, reason))
        return out

    @staticmethod
    def _term_evidence(hits: list[tuple[str, Term]]) -> dict[str, dict[tuple[str, str], Term]]:
        found: dict[str, dict[tuple[str, str], Term]] = {}
        for f, t in hits:
            if t.mode == "include":
                found.setdefault(t.target, {}).setdefault((f, t.term), t)
        return found


def similarity_block(rows, placed):
    """Cosine similarities of some list rows with some placed firms (both L2-normalised TF-IDF):
    a **sparse** matrix, never a dense one (tests check it).

    >>> from scipy import sparse
    >>> m = similarity_block(sparse.csr_matrix([[1.0, 0.0]]), sparse.csr_matrix([[1.0, 0.0], [0.0, 1.0]]))
    >>> sparse.issparse(m), m.toarray().tolist()
    (True, [[1.0, 0.0]])
    """
    return (rows @ placed.T).tocsr()


_PLACED_INDEX: dict[int, tuple] = {}


def _placed_index(ranker: Ranker) -> tuple:
    """The ranker's placed firms, L2-normalised, and the rows of each segment (computed once)."""
    from sklearn.preprocessing import normalize

    key = id(ranker.placed_matrix)
    if key not in _PLACED_INDEX:
        cols: dict[str, list[int]] = {}
        for j, ls in enumerate(ranker.placed_labels):
            for s in ls:
                cols.setdefault(s, []).append(j)
        _PLACED_INDEX.clear()
        _PLACED_INDEX[key] = (normalize(ranker.placed_matrix, norm="l2", axis=1),
                              {s: np.asarray(v) for s, v in cols.items()})
    return _PLACED_INDEX[key]


def nearest_placed(ranker: Ranker, x, candidates: list[list[str]]) -> list[dict[str, tuple[str, float]]]:
    """For each row and each of its candidate segments, the most similar placed firm of the
    segment: ``{segment: (firm id, cosine)}``. Computed per segment on the rows that have it
    as a candidate and that segment's placed firms only, as sparse blocks."""
    from sklearn.preprocessing import normalize

    out: list[dict[str, tuple[str, float]]] = [{} for _ in candidates]
    placed = ranker.placed_matrix
    if placed is None or not candidates:
        return out
    norm, seg_cols = _placed_index(ranker)
    xn = normalize(x, norm="l2", axis=1)
    by_seg: dict[str, list[int]] = {}
    for i, segs in enumerate(candidates):
        for s in segs:
            by_seg.setdefault(s, []).append(i)
    for seg, rows in by_seg.items():
        cols = seg_cols.get(seg)
        if cols is None:
            continue
        m = similarity_block(xn[rows], norm[cols])
        best = np.asarray(m.argmax(axis=1)).ravel()
        vals = np.asarray(m.max(axis=1).todense()).ravel()
        for i, j, v in zip(rows, best, vals, strict=True):
            if v > 0:
                out[i][seg] = (ranker.placed_ids[int(cols[int(j)])], float(v))
    return out


def propose(lists: list[str | Path], ds: Dataset, *, thresholds: Thresholds | None = None, top: int = 3,
            sheet: str | int | None = None, today: str | None = None, target_precision: float = 0.9,
            encoding: str | None = None, proposer: Proposer | None = None) -> IntakeResult:
    """Read enterprise lists, match them to ``ds`` and propose segments; every problem is reported.

    ``thresholds`` default to the ones chosen on held-out folds of ``ds``'s placed firms for
    ``target_precision``. A list that cannot be read at all is reported with the others'
    problems (``DataError`` when no list could be read).
    """
    from ..errors import DataError
    from .learning import review_priority

    rows: list[ListRow] = []
    problems: list[Problem] = []
    extra: list[str] = []
    read_any = False
    for path in lists:
        try:
            reading = read_list(path, sheet, encoding=encoding)
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
    if proposer is None:  # a proposer already trained on ``ds`` can be given (the browser review keeps one)
        proposer = Proposer(ds, thresholds, top, target_precision=target_precision)
    live = [r for r in rows if not is_deregistered(r)]
    matches = {id(r): firms_ix.match(r) for r in rows}
    scored = proposer.score_rows_why(live, [matches[id(r)].firm_id for r in live])
    by_row = {id(r): p for r, p in zip(live, scored, strict=True)}
    located = {x.start: x.end for x in ds.rels_of("LOCATED_IN") if ds.nodes[x.start].label == "Firm"}
    count = dict(zip(proposer.ranker.segments, proposer.ranker.placed_count, strict=True))
    out = []
    for r in rows:
        m = matches[id(r)]
        existing = ds.nodes.get(m.firm_id) if m.firm_id else None
        found, local, problem = locate(r, districts)
        if problem is not None:
            problems.append(problem)
        district = found[0] if found else (located.get(existing.id) if existing is not None else None)
        if existing is not None and not found:
            local = bool(existing.props.get("local"))
        props, reason = by_row.get(id(r), ([], None))
        firm = FirmProposals(
            r, m.firm_id or new_firm_id(r), existing is not None, m.how, district, found[1] if found else None,
            local, sorted(proposer.current.get(m.firm_id, ())) if m.firm_id else [], props,
            deregistered=is_deregistered(r), reason=reason)
        firm.priority = review_priority(firm, count)
        out.append(firm)
    problems.sort(key=lambda p: (p.severity != "error", p.file or "", p.sheet or "", p.row or 0))
    model = {**proposer.ranker.report, "learned": proposer.ranker.learned}
    return IntakeResult(ds.name, [str(p) for p in lists], today or dt.date.today().isoformat(), proposer.thresholds,
                        out, problems, extra, model)


def locate(row: ListRow, districts: DistrictIndex) -> tuple[tuple[str, str] | None, bool | None, Problem | None]:
    """``(district found, local, warning)`` of a list row.

    A 所属区县 the dataset knows makes the firm local; one it does not know is a warning naming
    the value, and ``local`` is unknown (``None``), never silently "outside". Without a 所属区县,
    the address decides the same way; a row with neither is not local.
    """
    for value, code, column, what, hint in (
            (row.district, "unknown_district", "所属区县", f"'{row.district}' is not a district or park of the dataset",
             "Correct the name (e.g. 邗江区), add the district to the dataset, or fill 是否本地 in the review."),
            (row.address, "unknown_address", "注册地址", f"The address '{row.address}' names no district or park of the "
             "dataset", "Add a 所属区县 column, or fill 是否本地 in the review (否 if the firm is outside the region).")):
        found = districts.find(value)
        if found:
            return found, True, None
        if value:
            return None, None, Problem("warning", code, row.file, row.sheet, row.row, column, value,
                                       f"{what}; 是否本地 is left empty.", hint)
    return None, False, None
