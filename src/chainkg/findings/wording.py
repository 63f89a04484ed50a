"""The words of a finding: why a segment has its status, how to read it, a prospect's reasons,
and the evidence (source, reliability, confidence) of a node."""

from __future__ import annotations

import networkx as nx

from ..analysis import Analysis
from ..analysis.chain_graph import chain_of
from ..analysis.coverage import LOW_COVERAGE
from ..analysis.status import SegmentStatus
from ..analysis.views import name
from . import labels as L


def evidence(G: nx.MultiDiGraph, node: str) -> dict:
    d = G.nodes[node]
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
    names = lambda ids: join_names(G, ids, lang)  # noqa: E731
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
                "threshold": LOW_COVERAGE}
    label = L.pick(L.STATUS[st.status], lang)
    if not st.is_gap:
        return label, coverage, confirmed
    if confirmed:
        return f"{label} · {L.pick(L.CONFIRMED_GAP, lang)}", coverage, confirmed
    if coverage["low"]:
        ratio = coverage["ratio"]
        figure = (f"{coverage['named_local_firms']}/{coverage['reported_firms']} = {ratio:.1%}" if ratio is not None
                  else ("报道企业数未知" if lang == "zh" else "reported number unknown"))
        word = "覆盖率" if lang == "zh" else "coverage"
        return f"{label} · {L.pick(L.NO_LOCAL_ON_RECORD, lang)}（{word} {figure}）", coverage, confirmed
    return f"{label} · {L.pick(L.GAP_BY_DATA, lang)}", coverage, confirmed


def prospect_reasons(G, p, lang) -> list[str]:
    zh = lang == "zh"
    out = []
    if p["local_partners"]:
        ns = join_names(G, p["local_partners"], lang)
        out.append(f"与本地企业有供应关系：{ns}" if zh else f"supplies or buys from local firms: {ns}")
    if p["funds"]:
        ns = join_names(G, p["funds"], lang)
        out.append(f"本地基金已投资：{ns}" if zh else f"a fund in the data invests in it: {ns}")
    if p["revenue_unknown"]:
        out.append("营收未知（按 0 分计）" if zh else "revenue unknown (scored 0)")
    else:
        out.append(f"营收 {p['revenue_100m_cny']:g} 亿元" if zh else f"revenue {p['revenue_100m_cny']:g} 亿元")
    if p["other_gaps"]:
        ns = join_names(G, p["other_gaps"], lang)
        out.append(f"还覆盖本链其他缺口：{ns}" if zh else f"also works in other gaps of the chain: {ns}")
    return out
