"""The words of a finding: why a segment has its status, how to read it, a prospect's reasons,
and the evidence (source, reliability, confidence) of a node."""

from __future__ import annotations

import networkx as nx

from ..analysis import Analysis
from ..analysis.chain_graph import chain_of
from ..analysis.coverage import LOW_COVERAGE
from ..analysis.status import SegmentStatus
from ..analysis.views import name
from ..graph_model.firm_table import node_attrs
from ..graph_model.vocabulary import RELIABILITY_NOTES
from . import labels as L


def evidence(G: nx.MultiDiGraph, node: str) -> dict:
    d = node_attrs(G, node)
    src = d.get("source_id")
    s = G.nodes[src] if src and src in G else {}
    return {"source_id": src, "source_title": s.get("title"), "source_url": s.get("url"), "source_date": s.get("date"),
            "source_reliability": s.get("reliability"), "confidence": d.get("confidence")}


def join_names(G: nx.MultiDiGraph, ids, lang: str) -> str:
    """Names of ``ids`` in ``lang``, joined as the language lists them (、 or ", ")."""
    return ("、" if lang == "zh" else ", ").join(name(G, i, lang) for i in ids)


def chain_name(G, s, lang):
    c = chain_of(G, s)
    return name(G, c, lang) if c else "?"


def explain(a: Analysis, st: SegmentStatus, lang: str) -> str:
    G, zh = a.G, lang == "zh"
    names = lambda ids: join_names(G, ids, lang)
    if st.status == "gap_unlinked":
        return "没有任何 FEEDS 关联，在链中的位置未知" if zh else "no FEEDS link at all: its place in the chain is unknown"
    if st.status == "gap_fill":
        parts = []
        if st.pulls:
            pulled = "、".join(f"{name(G, t, lang)}（{chain_name(G, t, lang)}）" for t in st.pulls) if zh else \
                ", ".join(f"{name(G, t, lang)} ({chain_name(G, t, lang)})" for t in st.pulls)
            parts.append(f"直接供给有本地企业的环节：{pulled}" if zh else f"directly feeds segments with local firms: {pulled}")
        if st.local_ancestors and st.local_descendants:
            parts.append(f"位于本地上游（{names(st.local_ancestors)}）与下游（{names(st.local_descendants)}）之间" if zh else
                         f"lies between local upstream ({names(st.local_ancestors)}) and downstream "
                         f"({names(st.local_descendants)})")
        return "；".join(parts) if zh else "; ".join(parts)
    if st.status == "gap_extend":
        if st.direction == "down":
            return f"上游有本地企业（{names(st.local_ancestors)}），可向下游延伸" if zh else \
                f"local firms upstream ({names(st.local_ancestors)}): extend the chain downstream"
        return f"下游有本地企业（{names(st.local_descendants)}），可向上游延伸" if zh else \
            f"local firms downstream ({names(st.local_descendants)}): extend the chain upstream"
    if st.status == "gap_isolated":
        return "链内上下游均无本地企业" if zh else "no local firm upstream or downstream within the chain"
    firms = sorted(a.view.local_in.get(st.segment, ()))
    if st.status == "single":
        return f"仅 1 家本地企业：{names(firms)}" if zh else f"only one local firm: {names(firms)}"
    if st.status == "thin":
        return f"{len(firms)} 家本地企业：{names(firms)}" if zh else f"{len(firms)} local firms: {names(firms)}"
    return f"{len(firms)} 家本地企业" if zh else f"{len(firms)} local firms"


def reading(a: Analysis, st: SegmentStatus, lang: str) -> tuple[str, dict, bool]:
    """(display text, coverage, confirmed) of a segment: the coverage rule of docs/analysis.md."""
    cov = a.coverage.get(st.chain, {})
    confirmed = bool(a.G.nodes[st.segment].get("local_absence_confirmed"))
    coverage = {"named_local_firms": cov.get("named_local_firms"), "reported_firms": cov.get("reported_firms"),
                "ratio": cov.get("coverage"), "low": cov.get("low", True), "metric_id": cov.get("reported_metric"),
                "threshold": LOW_COVERAGE, "derived": cov.get("reported_derived", False),
                "reliability": cov.get("reported_reliability"), "scoped_figures": cov.get("scoped_figures", []),
                "text": coverage_text(cov, lang)}
    label = L.pick(L.STATUS[st.status], lang)
    if not st.is_gap:
        return label, coverage, confirmed
    if confirmed:
        return f"{label} · {L.pick(L.CONFIRMED_GAP, lang)}", coverage, confirmed
    if coverage["low"]:
        return (f"{label} · {L.pick(L.NO_LOCAL_ON_RECORD, lang)}（{coverage['text']}）" if lang == "zh" else
                f"{label} · {L.pick(L.NO_LOCAL_ON_RECORD, lang)} ({coverage['text']})"), coverage, confirmed
    return f"{label} · {L.pick(L.GAP_BY_DATA, lang)}", coverage, confirmed


RELIABILITY_WORDS = RELIABILITY_NOTES  # the declared vocabulary's


def coverage_text(cov: dict, lang: str) -> str:
    """A chain's coverage figure with its scope: the ratio only against a whole-chain count, a derived
    count and a weak source said next to it, a park's or another industry's count with its 口径.

    >>> coverage_text({"named_local_firms": 5, "reported_firms": 62, "coverage": 0.081, "reported_derived": True,
    ...                "reported_reliability": "moderate"}, "en")
    'coverage 5/62 = 8.1% (derived by the data; moderate-reliability source)'
    >>> coverage_text({"named_local_firms": 5, "reported_firms": None, "coverage": None, "scoped_figures": [
    ...     {"value": 30.0, "metric": "firms_reported_at_least", "covers": "维扬经开区微电子企业"}]}, "zh")
    '覆盖率 报道企业数未知；另有 ≥30 家（口径：维扬经开区微电子企业，非全链）'
    """
    zh = lang == "zh"
    word = "覆盖率" if zh else "coverage"
    if cov.get("coverage") is not None:
        text = f"{word} {cov['named_local_firms']}/{cov['reported_firms']} = {cov['coverage']:.1%}"
        notes = []
        if cov.get("reported_derived"):
            notes.append("数据推算所得" if zh else "derived by the data")
        if cov.get("reported_reliability") in RELIABILITY_WORDS:
            notes.append(L.pick(RELIABILITY_WORDS[cov["reported_reliability"]], lang))
        if notes:
            text += f"（{'；'.join(notes)}）" if zh else f" ({'; '.join(notes)})"
    else:
        text = f"{word} {'报道企业数未知' if zh else 'reported number unknown'}"
    for f in cov.get("scoped_figures") or ():
        at_least = "≥" if str(f.get("metric", "")).endswith("_at_least") else ""
        value = f"{at_least}{f['value']:g}"
        weak = RELIABILITY_WORDS.get(f.get("reliability"))
        tail = f"，{L.pick(weak, lang)}" if weak and zh else (f", {L.pick(weak, lang)}" if weak else "")
        text += (f"；另有 {value} 家（口径：{f['covers']}，非全链{tail}）" if zh else
                 f"; a source counts {value} firms (only {f['covers']}, not the whole chain{tail})")
    return text


def shortfall_text(r: dict, lang: str) -> str | None:
    """A tier's shortfall as far as it is provable.

    >>> shortfall_text({"target": 10, "shortfall": None, "shortfall_at_least": None, "shortfall_at_most": 10}, "zh")
    '未知（≤ 10）'
    >>> shortfall_text({"target": 5, "shortfall": None, "shortfall_at_least": 2, "shortfall_at_most": 3}, "en")
    '≥ 2 (≤ 3)'
    >>> shortfall_text({"target": 1, "shortfall": 0, "shortfall_at_least": 0, "shortfall_at_most": 0}, "en")
    '0 (met)'
    """
    zh = lang == "zh"
    if r.get("target") is None:
        return None
    if r.get("shortfall") is not None:
        return str(r["shortfall"]) if r["shortfall"] else ("0（已达标）" if zh else "0 (met)")
    if r.get("shortfall_at_least"):
        return f"≥ {r['shortfall_at_least']}（≤ {r['shortfall_at_most']}）" if zh else \
            f"≥ {r['shortfall_at_least']} (≤ {r['shortfall_at_most']})"
    return f"未知（≤ {r['shortfall_at_most']}）" if zh else f"unknown (≤ {r['shortfall_at_most']})"


def prospect_reasons(G, p, lang) -> list[str]:
    zh = lang == "zh"
    out = []
    if p.get("projects"):
        ns = ("、" if zh else ", ").join(name(G, x, lang) for x in p["projects"])
        # its projects here are investments, not a local firm: the firm is registered outside, so the
        # link still counts no local firm of it (a lead for expansion or for bringing its suppliers)
        out.append(f"已在本地有投资项目：{ns}（该企业登记在外地，项目不计为本环节的本地企业；可谈增资扩产、以商引商）" if zh else
                   f"has investment projects here: {ns} (the firm is registered outside, so its projects do not make "
                   f"it a local firm of this link; a lead for expansion or for bringing in its partners)")
    if p.get("group_plants"):
        ns = join_names(G, p["group_plants"], lang)
        out.append(f"所属集团已在本地设厂（可谈以商引商）：{ns}" if zh else
                   f"its group already has a plant here (a lead for bringing in its partners): {ns}")
    if p["local_partners"]:
        ns = join_names(G, p["local_partners"], lang)
        out.append(f"与本地企业有供应关系：{ns}" if zh else f"supplies or buys from local firms: {ns}")
    if p["funds"]:
        ns = join_names(G, p["funds"], lang)
        out.append(f"本地基金已投资：{ns}" if zh else f"a fund in the data invests in it: {ns}")
    if p["revenue_unknown"]:
        out.append("营收未知（按 0 分计）" if zh else "revenue unknown (scored 0)")
    else:
        revenue = f"{round(p['revenue_100m_cny'], 2):g}"
        out.append(f"营收 {revenue} 亿元" if zh else f"revenue {revenue} (100M CNY)")
    if p["other_gaps"]:
        ns = join_names(G, p["other_gaps"], lang)
        out.append(f"还覆盖本链其他缺口：{ns}" if zh else f"also works in other gaps of the chain: {ns}")
    return out
