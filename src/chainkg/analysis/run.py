"""Run the whole analysis once and turn it into records (rows) with names, reasons and evidence."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import networkx as nx

from . import labels as L
from .chain_graph import chain_of, is_reverse
from .chokepoints import chokepoints
from .coverage import LOW_COVERAGE, chain_coverage
from .firms import FirmCentrality, chain_leader_candidates, firm_centrality, key_firms
from .priority import flow_betweenness, priority
from .prospects import prospects_for
from .status import SegmentStatus, classify_segments
from .tiers import all_tiers
from .views import ChainView, name, nodes_by_label, out_by_type
from .weights import Weights


@dataclass
class Analysis:
    G: nx.MultiDiGraph
    view: ChainView
    weights: Weights
    statuses: dict[str, SegmentStatus]
    betweenness: dict[str, float]
    priorities: dict[str, dict]
    chokepoints: dict[str, list[tuple[str, str]]]
    coverage: dict[str, dict]
    district: str | None = None

    @cached_property
    def centrality(self) -> FirmCentrality:
        """Firm centrality with betweenness, computed on first use only (the slow part at scale)."""
        return firm_centrality(self.G)

    @cached_property
    def supplier_ranks(self) -> FirmCentrality:
        """PageRank and articulation points without betweenness (enough for key firms and 链主 ranks)."""
        if "centrality" in self.__dict__:
            return self.centrality
        return firm_centrality(self.G, betweenness=False)


def analyze(G: nx.MultiDiGraph, weights: Weights | None = None, district: str | None = None) -> Analysis:
    weights = weights or Weights()
    view = ChainView.of(G, district)
    statuses = classify_segments(G, thin_threshold=weights.thin_threshold, view=view)
    betweenness = flow_betweenness(G, view)
    prios = {s: priority(G, st, view, weights, betweenness) for s, st in statuses.items()}
    return Analysis(G, view, weights, statuses, betweenness, prios, chokepoints(G, view),
                    {r["chain_id"]: r for r in chain_coverage(G, view)}, district)


# -- selection -----------------------------------------------------------------------------

def select_chains(a: Analysis, chain: str | None = None, cluster: str | None = None) -> list[str]:
    chains = list(a.view.segments_of)
    if chain:
        chains = [c for c in chains if c == chain]
    if cluster:
        chains = [c for c in chains if a.view.cluster_of.get(c) == cluster]
    return chains


# -- evidence and words ----------------------------------------------------------------------

def evidence(G: nx.MultiDiGraph, node: str) -> dict:
    d = G.nodes[node]
    src = d.get("source_id")
    s = G.nodes[src] if src and src in G else {}
    return {"source_id": src, "source_title": s.get("title"), "source_url": s.get("url"), "source_date": s.get("date"),
            "source_reliability": s.get("reliability"), "confidence": d.get("confidence")}


def _chain_name(G, s, lang):
    c = chain_of(G, s)
    return name(G, c, lang) if c else "?"


def explain(a: Analysis, st: SegmentStatus, lang: str) -> str:
    G, zh = a.G, lang == "zh"
    names = lambda ids: "、".join(name(G, i, lang) for i in ids) if zh else ", ".join(name(G, i, lang) for i in ids)  # noqa: E731
    if st.status == "gap_unlinked":
        return "没有任何 FEEDS 关联，在链中的位置未知" if zh else "no FEEDS link at all: its place in the chain is unknown"
    if st.status == "gap_fill":
        parts = []
        if st.pulls:
            pulled = "、".join(f"{name(G, t, lang)}（{_chain_name(G, t, lang)}）" for t in st.pulls) if zh else \
                ", ".join(f"{name(G, t, lang)} ({_chain_name(G, t, lang)})" for t in st.pulls)
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


# -- records -----------------------------------------------------------------------------------

def gap_records(a: Analysis, lang: str = "zh", chain: str | None = None, cluster: str | None = None) -> list[dict]:
    """One record per segment of the selected chains, highest priority first (ties by id)."""
    G = a.G
    rows = []
    for c in select_chains(a, chain, cluster):
        for s in a.view.segments_of[c]:
            st = a.statuses[s]
            display, coverage, confirmed = reading(a, st, lang)
            d = G.nodes[s]
            cl = a.view.cluster_of.get(c)
            rows.append({
                "segment_id": s, "segment": name(G, s, lang), "chain_id": c, "chain": name(G, c, lang),
                "cluster_id": cl, "cluster": name(G, cl, lang) if cl else None,
                "stage": d.get("stage"), "stage_label": L.pick(L.STAGE[d["stage"]], lang) if d.get("stage") in L.STAGE else None,
                "key": bool(d.get("key")), "status": st.status, "status_label": L.pick(L.STATUS[st.status], lang),
                "display": display, "direction": st.direction,
                "direction_label": L.pick(L.DIRECTION[st.direction], lang) if st.direction else None,
                "local_firms": st.local_firms,
                "local_firm_names": [name(G, f, lang) for f in sorted(a.view.local_in.get(s, ()))],
                "priority": a.priorities[s], "why": explain(a, st, lang),
                "pulls": [{"segment_id": t, "segment": name(G, t, lang), "chain": _chain_name(G, t, lang)} for t in st.pulls],
                "local_ancestors": st.local_ancestors, "local_descendants": st.local_descendants,
                "reverse_links": [[u, v] for u, v, k in list(G.in_edges(s, keys=True)) + list(G.out_edges(s, keys=True))
                                  if k == "FEEDS" and is_reverse(G, u, v)],
                "flow_betweenness": a.betweenness.get(s, 0.0), "chokepoint": s in a.chokepoints,
                "coverage": coverage, "confirmed": confirmed, **evidence(G, s),
            })
    rows.sort(key=lambda r: (-r["priority"]["total"], r["segment_id"]))
    for i, r in enumerate(rows, start=1):
        r["rank"] = i
    return rows


def prospect_records(a: Analysis, lang: str = "zh", chain: str | None = None, cluster: str | None = None,
                     segment: str | None = None) -> list[dict]:
    """Per gap segment (highest priority first), its outside firms; a segment with none gets one row saying so."""
    G = a.G
    rows = []
    for g in gap_records(a, lang, chain, cluster):
        if g["status"] not in ("gap_fill", "gap_extend", "gap_isolated", "gap_unlinked"):
            continue
        if segment and g["segment_id"] != segment:
            continue
        st = a.statuses[g["segment_id"]]
        found = prospects_for(G, st, a.statuses, a.view, a.weights)
        base = {k: g[k] for k in ("segment_id", "segment", "chain_id", "chain", "status", "status_label", "display")}
        base["gap_priority"] = g["priority"]["total"]
        if not found:
            rows.append({**base, "firm_id": None, "firm": None, "score": None, "parts": None, "reasons": [],
                         "message": ("资料中没有该环节的外地企业；请在模板 firms 表中补充候选企业（是否本地=否）及其 firm_segments 行"
                                     if lang == "zh" else "No outside firm on record for this link: add candidates to the "
                                     "template's firms sheet (local = 否) with firm_segments rows.")})
            continue
        for p in found:
            rows.append({**base, "firm_id": p["firm_id"], "firm": name(G, p["firm_id"], lang), "score": p["score"],
                         "parts": p["parts"], "reasons": _prospect_reasons(G, p, lang), "message": None,
                         "revenue_unknown": p["revenue_unknown"], **evidence(G, p["firm_id"])})
    return rows


def _prospect_reasons(G, p, lang) -> list[str]:
    zh = lang == "zh"
    out = []
    if p["local_partners"]:
        ns = ("、" if zh else ", ").join(name(G, f, lang) for f in p["local_partners"])
        out.append(f"与本地企业有供应关系：{ns}" if zh else f"supplies or buys from local firms: {ns}")
    if p["funds"]:
        ns = ("、" if zh else ", ").join(name(G, f, lang) for f in p["funds"])
        out.append(f"本地基金已投资：{ns}" if zh else f"a fund in the data invests in it: {ns}")
    if p["revenue_unknown"]:
        out.append("营收未知（按 0 分计）" if zh else "revenue unknown (scored 0)")
    else:
        out.append(f"营收 {p['revenue_100m_cny']:g} 亿元" if zh else f"revenue {p['revenue_100m_cny']:g} 亿元")
    if p["other_gaps"]:
        ns = ("、" if zh else ", ").join(name(G, s, lang) for s in p["other_gaps"])
        out.append(f"还覆盖本链其他缺口：{ns}" if zh else f"also works in other gaps of the chain: {ns}")
    return out


def chokepoint_records(a: Analysis, lang: str = "zh", chain: str | None = None, cluster: str | None = None) -> list[dict]:
    G = a.G
    rows = []
    for c in select_chains(a, chain, cluster):
        for s in a.view.segments_of[c]:
            pairs = a.chokepoints.get(s)
            if not pairs:
                continue
            rows.append({"segment_id": s, "segment": name(G, s, lang), "chain_id": c, "chain": name(G, c, lang),
                         "status": a.statuses[s].status, "status_label": L.pick(L.STATUS[a.statuses[s].status], lang),
                         "pairs": [[u, d] for u, d in pairs],
                         "pair_names": [f"{name(G, u, lang)} → {name(G, d, lang)}" for u, d in pairs],
                         "flow_betweenness": a.betweenness.get(s, 0.0), **evidence(G, s)})
    rows.sort(key=lambda r: (-len(r["pairs"]), -r["flow_betweenness"], r["segment_id"]))
    return rows


def centrality_records(a: Analysis, lang: str = "zh", chain: str | None = None, cluster: str | None = None,
                       betweenness: bool = True, only_key_firms: bool = False) -> list[dict]:
    """Firms of the selected chains with supplier importance, betweenness and key-firm reasons."""
    G = a.G
    chains = select_chains(a, chain, cluster)
    cent = a.centrality if betweenness else a.supplier_ranks
    keys = {r["firm_id"]: r for r in key_firms(G, a.view, cent)}
    if only_key_firms:
        firms = set(keys)
    elif chain or cluster:
        firms = set().union(set(), *(a.view.firms_of_chain(c) for c in chains))
    else:
        firms = set(nodes_by_label(G, "Firm"))
    rows = []
    for f in firms:
        rows.append({"firm_id": f, "firm": name(G, f, lang), "local": G.nodes[f].get("local"),
                     "pagerank": cent.pagerank.get(f) if cent.supplies_data else None,
                     "betweenness": cent.betweenness.get(f) if cent.supplies_data else None,
                     "sampled": cent.betweenness_sampled,
                     "in_degree": sum(1 for _, _, k in G.in_edges(f, keys=True) if k == "SUPPLIES"),
                     "out_degree": sum(1 for _, _, k in G.out_edges(f, keys=True) if k == "SUPPLIES"),
                     "articulation": f in cent.articulation, "key_firm": keys.get(f, {}).get("reasons", []),
                     "only_local_firm_of": [name(G, s, lang) for s in keys.get(f, {}).get("only_local_firm_of", [])],
                     "segments": [name(G, s, lang) for s in out_by_type(G, f, "IN_SEGMENT")], **evidence(G, f)})
    rows.sort(key=lambda r: (-(r["pagerank"] or 0), not r["key_firm"], r["firm_id"]))
    return rows


def leader_records(a: Analysis, lang: str = "zh", chain: str | None = None, cluster: str | None = None) -> list[dict]:
    G = a.G
    leaders = chain_leader_candidates(G, a.view, a.supplier_ranks)
    rows = []
    for c in select_chains(a, chain, cluster):
        for r in leaders.get(c, []):
            rows.append({"chain_id": c, "chain": name(G, c, lang), **r, "firm": name(G, r["firm_id"], lang),
                         **evidence(G, r["firm_id"])})
    return rows


def tier_records(a: Analysis, lang: str = "zh", chain: str | None = None, cluster: str | None = None) -> list[dict]:
    G = a.G
    chains = set(select_chains(a, chain, cluster))
    rows = []
    for r in all_tiers(G, a.view):
        if chain or cluster:
            keep = (r["scope"] == "chain" and r["scope_id"] in chains) or (
                r["scope"] == "cluster" and (r["scope_id"] == cluster or (chain and a.view.cluster_of.get(chain) == r["scope_id"])))
            if not keep:
                continue
        r = dict(r)
        r["name"] = name(G, r["scope_id"], lang) if r["scope_id"] else ("全市" if lang == "zh" else "city")
        r["firm_names"] = [name(G, f, lang) for f in r.pop("firm_ids")]
        rows.append(r)
    return rows
