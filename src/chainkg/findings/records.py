"""Findings: one row (a dict) per segment, prospect, chokepoint, firm, 链主 candidate or tier,
with ids, names in the chosen language, reasons and the evidence each rests on."""

from __future__ import annotations

from dataclasses import dataclass

from ..analysis import Analysis
from ..analysis import basis as B
from ..analysis.chain_graph import is_reverse
from ..analysis.firms import chain_leader_candidates, key_firms
from ..analysis.prospects import prospects_for
from ..analysis.tiers import all_tiers
from ..analysis.views import grouped_names, in_by_type, name, nodes_by_label, out_by_type
from ..graph_model.firm_table import node_attrs
from ..graph_model.vocabulary import GAPS
from . import labels as L
from .wording import chain_name, evidence, explain, prospect_reasons, reading, shortfall_text


def gap_records(a: Analysis, lang: str = "zh", chain: str | None = None, cluster: str | None = None) -> list[dict]:
    """One record per segment of the selected chains, highest priority first (ties by id)."""
    G = a.G
    rows = []
    chains = a.chains(chain, cluster)
    segments = [s for c in chains for s in a.view.segments_of[c]]
    local_names = dict(zip(segments, grouped_names(G, [sorted(a.view.local_in.get(s, ())) for s in segments], lang), strict=True))
    for c in chains:
        cov_basis = {f"coverage_{k}": v for k, v in B.basis(G, a.coverage_supports[c], lang).items()}
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
                "local_firm_names": local_names[s],
                "priority": a.priorities[s], "why": explain(a, st, lang),
                "pulls": [{"segment_id": t, "segment": name(G, t, lang), "chain": chain_name(G, t, lang)} for t in st.pulls],
                "local_ancestors": st.local_ancestors, "local_descendants": st.local_descendants,
                "reverse_links": [[u, v] for u, v, k in list(G.in_edges(s, keys=True)) + list(G.out_edges(s, keys=True))
                                  if k == "FEEDS" and is_reverse(G, u, v)],
                "flow_betweenness": a.betweenness.get(s, 0.0), "chokepoint": s in a.chokepoints,
                "coverage": coverage, "confirmed": confirmed, **evidence(G, s),
                **B.basis(G, a.supports[s], lang), **cov_basis,
            })
    rows.sort(key=lambda r: (-r["priority"]["total"], r["segment_id"]))
    for i, r in enumerate(rows, start=1):
        r["rank"] = i
    return rows


STRENGTHEN = ("single", "thin")  # links with too few local firms: prospects strengthen them (强链)


def prospect_records(a: Analysis, lang: str = "zh", chain: str | None = None, cluster: str | None = None,
                     segment: str | None = None, strengthen: bool = False) -> list[dict]:
    """Per gap segment (highest priority first), its outside firms; a segment with none gets one row saying so.
    ``strengthen``: also single and thin links (强链), after the gaps; each row's ``aim`` says which
    (``fill`` a gap, ``strengthen`` a link)."""
    G = a.G
    rows = []
    wanted = GAPS + STRENGTHEN if strengthen else GAPS
    gaps = [g for g in gap_records(a, lang, chain, cluster) if g["status"] in wanted
            and not (segment and g["segment_id"] != segment)]
    if strengthen:  # gaps first (by priority, as gap_records orders them), then the links to strengthen
        gaps.sort(key=lambda g: g["status"] not in GAPS)
    for g in gaps:
        st = a.statuses[g["segment_id"]]
        found = prospects_for(G, st, a.statuses, a.view, a.weights)
        base = {k: g[k] for k in ("segment_id", "segment", "chain_id", "chain", "status", "status_label", "display")}
        base["gap_priority"] = g["priority"]["total"]
        if strengthen:
            base["aim"] = "fill" if g["status"] in GAPS else "strengthen"
        if not found:
            rows.append({**base, "firm_id": None, "firm": None, "score": None, "parts": None, "reasons": [],
                         "existing_investor": False, "projects": [], "group_plants": [],
                         **B.basis(G, a.supports[g["segment_id"]], lang),
                         "message": ("资料中没有该环节的外地企业；请在模板 firms 表中补充候选企业（是否本地=否）及其 firm_segments 行"
                                     if lang == "zh" else "No outside firm on record for this link: add candidates to the "
                                     "template's firms sheet (local = no) with firm_segments rows.")})
            continue
        for p in found:
            rows.append({**base, "firm_id": p["firm_id"], "firm": name(G, p["firm_id"], lang), "score": p["score"],
                         "parts": p["parts"], "reasons": prospect_reasons(G, p, lang), "message": None,
                         "revenue_unknown": p["revenue_unknown"], "existing_investor": p["existing_investor"],
                         "projects": [{"project_id": x, "project": name(G, x, lang)} for x in p["projects"]],
                         "group_plants": [{"firm_id": x, "firm": name(G, x, lang)} for x in p["group_plants"]],
                         **evidence(G, p["firm_id"]),
                         **B.basis(G, B.prospect_support(G, a.supports[g["segment_id"]], g["segment_id"], p["firm_id"],
                                                         p["projects"]), lang)})
    return rows


def chokepoint_records(a: Analysis, lang: str = "zh", chain: str | None = None, cluster: str | None = None) -> list[dict]:
    G = a.G
    rows = []
    for c in a.chains(chain, cluster):
        for s in a.view.segments_of[c]:
            pairs = a.chokepoints.get(s)
            if not pairs:
                continue
            rows.append({"segment_id": s, "segment": name(G, s, lang), "chain_id": c, "chain": name(G, c, lang),
                         "status": a.statuses[s].status, "status_label": L.pick(L.STATUS[a.statuses[s].status], lang),
                         "pairs": [[u, d] for u, d in pairs],
                         "pair_names": [f"{name(G, u, lang)} → {name(G, d, lang)}" for u, d in pairs],
                         "flow_betweenness": a.betweenness.get(s, 0.0), **evidence(G, s),
                         **B.basis(G, B.chokepoint_support(G, a.view, s, pairs), lang)})
    rows.sort(key=lambda r: (-len(r["pairs"]), -r["flow_betweenness"], r["segment_id"]))
    return rows


def centrality_records(a: Analysis, lang: str = "zh", chain: str | None = None, cluster: str | None = None,
                       betweenness: bool = True, only_key_firms: bool = False) -> list[dict]:
    """Firms of the selected chains with supplier importance, betweenness and key-firm reasons."""
    G = a.G
    chains = a.chains(chain, cluster)
    cent = a.centrality if betweenness else a.supplier_ranks
    keys = {r["firm_id"]: r for r in key_firms(G, a.view, cent)}
    if only_key_firms:
        firms = set(keys)
    elif chain or cluster:
        firms = set().union(set(), *(a.view.firms_of_chain(c) for c in chains))
    else:
        firms = set(nodes_by_label(G, "Firm"))
    rows = [_firm_row(G, f, cent, keys.get(f, {}), lang) for f in firms]
    rows.sort(key=lambda r: (-(r["pagerank"] or 0), not r["key_firm"], r["firm_id"]))
    return rows


def _firm_row(G, f, cent, key: dict, lang: str) -> dict:
    """One firm's centrality row (``key``: its :func:`key_firms` row, or empty)."""
    supplies_in, supplies_out = in_by_type(G, f, "SUPPLIES"), out_by_type(G, f, "SUPPLIES")
    only_of = key.get("only_local_firm_of", [])
    return {"firm_id": f, "firm": name(G, f, lang), "local": node_attrs(G, f).get("local"),
            "pagerank": cent.pagerank.get(f) if cent.supplies_data else None,
            "betweenness": cent.betweenness.get(f) if cent.supplies_data else None,
            "sampled": cent.betweenness_sampled,
            "in_degree": len(supplies_in), "out_degree": len(supplies_out),
            "articulation": f in cent.articulation, "key_firm": key.get("reasons", []),
            "only_local_firm_of": [name(G, s, lang) for s in only_of],
            "only_local_firm_of_ids": only_of,
            "segments": [name(G, s, lang) for s in out_by_type(G, f, "IN_SEGMENT")],
            "segment_ids": out_by_type(G, f, "IN_SEGMENT"), "chain_ids": out_by_type(G, f, "IN_CHAIN"),
            **evidence(G, f),
            **B.basis(G, B.key_firm_support(G, f, key.get("reasons", []), only_of), lang)}


@dataclass
class ChainKeyFirms:
    """Each chain's key firms (:func:`centrality_records` rows, highest PageRank first, then by id), at most
    ``limit`` of them; ``totals``: how many each chain has; ``firms``: every key firm of any chain."""
    rows: dict[str, list[dict]]
    totals: dict[str, int]
    firms: set


def chain_key_firms(a: Analysis, lang: str = "zh", chains: list[str] | None = None,
                    limit: int | None = None) -> ChainKeyFirms:
    """Per chain (``chains``, default every chain), its key firms: the only local firm of one of its
    segments, or an articulation point placed in one of its segments or tied to it. Only the rows
    shown (the first ``limit`` of each chain) are built: at a million firms a chain has ~10⁴ key firms."""
    G = a.G
    cent = a.supplier_ranks
    keys = {r["firm_id"]: r for r in key_firms(G, a.view, cent)}
    chains = list(a.view.segments_of) if chains is None else chains
    chains_of_segment: dict[str, list[str]] = {}
    for c in chains:
        for s in a.view.segments_of[c]:
            chains_of_segment.setdefault(s, []).append(c)
    wanted = set(chains)
    pagerank = cent.pagerank if cent.supplies_data else {}
    by_chain: dict[str, list[str]] = {c: [] for c in chains}
    for f in sorted(keys, key=lambda f: (-(pagerank.get(f) or 0), f)):
        r = keys[f]
        segs = set(r["only_local_firm_of"])
        tied: set = set()
        if "articulation" in r["reasons"]:
            segs |= set(out_by_type(G, f, "IN_SEGMENT"))
            tied = wanted & set(out_by_type(G, f, "IN_CHAIN"))
        of = tied.union(*(chains_of_segment.get(s, ()) for s in segs))
        for c in chains:  # the chains' order, as the report lists them
            if c in of:
                by_chain[c].append(f)
    built: dict[str, dict] = {}

    def row(f):
        if f not in built:
            built[f] = _firm_row(G, f, cent, keys[f], lang)
        return built[f]

    return ChainKeyFirms({c: [row(f) for f in fs[:limit]] for c, fs in by_chain.items()},
                         {c: len(fs) for c, fs in by_chain.items()}, {f for fs in by_chain.values() for f in fs})


def leader_records(a: Analysis, lang: str = "zh", chain: str | None = None, cluster: str | None = None,
                   top: int | None = None) -> list[dict]:
    """Each selected chain's 链主 candidates, ranked (only the first ``top`` of each chain when given)."""
    G = a.G
    leaders = chain_leader_candidates(G, a.view, a.supplier_ranks, chains=set(a.chains(chain, cluster)))
    rows = []
    for c in a.chains(chain, cluster):
        unknown = set(a.view.link_unknown(c))
        for r in leaders.get(c, [])[:top]:
            rows.append({"chain_id": c, "chain": name(G, c, lang), **r, "firm": name(G, r["firm_id"], lang),
                         "link_unknown": r["firm_id"] in unknown, **evidence(G, r["firm_id"]),
                         **B.basis(G, B.membership_support(G, a.view, c, r["firm_id"]), lang)})
    return rows


def tier_records(a: Analysis, lang: str = "zh", chain: str | None = None, cluster: str | None = None,
                 scopes=("city", "cluster", "chain")) -> list[dict]:
    """The tiers of the city (or district), each cluster and each chain (only ``scopes``; the selected ones)."""
    G = a.G
    chains = set(a.chains(chain, cluster))
    rows = []
    for r in all_tiers(G, a.view, a.coverage, a.district, scopes):
        if chain or cluster:
            keep = (r["scope"] == "chain" and r["scope_id"] in chains) or (
                r["scope"] == "cluster" and (r["scope_id"] == cluster or (chain and a.view.cluster_of.get(chain) == r["scope_id"])))
            if not keep:
                continue
        r = dict(r, **B.basis(G, B.tier_support(G, a.view, r), lang))
        r["shortfall_text"] = shortfall_text(r, lang)
        r["name"] = name(G, r["scope_id"], lang) if r["scope_id"] else ("全市" if lang == "zh" else "city")
        r["scope_label"] = L.pick(L.SCOPE[r["scope"]], lang)
        r["firm_names"] = [name(G, f, lang) for f in r.pop("firm_ids")]
        rows.append(r)
    return rows
