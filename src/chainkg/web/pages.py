"""The explorer's pages as plain data: one function per page, each built once per data version.

Page functions return dicts of plain values for the templates; ids go with every name so the
templates can link; URLs from data pass :func:`chainkg.safety.safe_url` (in :mod:`.refs`) or are dropped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..analysis.views import districts_under, in_by_type, nodes_by_label, out_by_type
from ..findings import chokepoint_records, gap_records, leader_records, prospect_records, tier_records
from ..findings import labels as L
from ..graph_model.vocabulary import GAPS, status_colour
from .lights import segment_badges
from .refs import backer_refs, basis, node_ref, projects, require, source, sources
from .snapshot import Snapshot
from .urls import url
from .whatif import with_landing

if TYPE_CHECKING:
    from .source import Explorer

FIRMS_SHOWN = 200  # firms listed on a segment or district page (the page says how many there are)



def description_in(text: str | None, lang: str) -> str | None:
    """A description shown only on pages of its own language (the data's descriptions are in one language).

    >>> description_in("卡脖子 for large aircraft", "zh"), description_in("大飞机卡脖子环节", "zh")
    (None, '大飞机卡脖子环节')
    """
    if not text:
        return None
    cjk = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    letters = sum(1 for ch in text if ch.isascii() and ch.isalpha())
    mostly_zh = cjk >= letters / 3
    return text if mostly_zh == (lang == "zh") else None


# -- pages ------------------------------------------------------------------------------------------

def overview(ex: Explorer, snap: Snapshot, lang: str) -> dict:
    def build():
        G, a = snap.G, snap.analysis()
        gaps = gap_records(a, lang)
        by_chain: dict[str, list[dict]] = {}
        for r in gaps:
            by_chain.setdefault(r["chain_id"], []).append(r)
        clusters = []
        for cl in nodes_by_label(G, "Cluster"):
            chains = []
            for c in [c for c, k in a.view.cluster_of.items() if k == cl]:
                rows = by_chain.get(c, [])
                cov = a.coverage.get(c, {})
                chains.append({**node_ref(G, c, lang), "segments": len(rows),
                               "counts": {st: sum(1 for r in rows if r["status"] == st) for st in L.STATUS},
                               "local_firms": cov.get("named_local_firms"), "reported_firms": cov.get("reported_firms"),
                               "coverage": cov.get("coverage"), "low": cov.get("low", True)})
            clusters.append({**node_ref(G, cl, lang), "chains": chains})
        return {
            "dataset": snap.dataset,
            "counts": {**{lbl: len(nodes_by_label(G, lbl)) for lbl in ("Chain", "Segment", "Lab", "Fund", "Project")},
                       "Firm": len(snap.nb.firms())},
            "local_firms": snap.nb.local_firm_count(),
            "status_counts": {st: sum(1 for r in gaps if r["status"] == st) for st in L.STATUS},
            "clusters": clusters,
            "top_gaps": [r for r in gaps if r["status"] in GAPS][:15],
            # numbers only, the same in both languages: computed once (all tiers are slow at scale)
            "tiers": city_tiers(snap, lang),
            "districts": [node_ref(G, d, lang) for d in nodes_by_label(G, "District")],
            "browser": ex.browser("segment_status"),
        }
    return snap.page(("overview", lang), build)


def city_tiers(snap: Snapshot, lang: str) -> list[dict]:
    """The city's revenue tiers against its targets (with ``shortfall_text`` in ``lang``), once per language."""
    return snap.page(("city-tiers", lang), lambda: [r for r in tier_records(snap.analysis(), lang) if r["scope"] == "city"])


def rounded(parts: dict) -> dict:
    """Priority or score parts with their numbers rounded for reading (2 decimals).

    >>> rounded({"flow_betweenness": 0.33333, "key": 3})
    {'flow_betweenness': 0.33, 'key': 3}
    """
    return {k: round(v, 2) if isinstance(v, float) else v for k, v in parts.items()}


def table_order(rows: list[dict]) -> list[dict]:
    """A chain's segment rows for its table: the gaps in priority order (numbered), then single and thin
    links, then covered ones (not numbered: a covered link is no gap to rank).

    >>> [r["segment_id"] for r in table_order([{"segment_id": "A", "status": "present", "rank": 1},
    ...     {"segment_id": "B", "status": "gap_fill", "rank": 2}, {"segment_id": "C", "status": "thin", "rank": 3}])]
    ['B', 'C', 'A']
    """
    group = {"single": 1, "thin": 1, "present": 2}
    out = sorted(rows, key=lambda r: (group.get(r["status"], 0), r["rank"]))
    n = 0
    for r in out:
        if r["status"] in GAPS:
            n += 1
            r["gap_rank"] = n
        else:
            r["gap_rank"] = None
    return out


def chain_rows(snap: Snapshot, kind: str, chain_id: str, lang: str, district: str | None = None) -> list[dict]:
    """One chain's finding rows (gaps, prospects, chokepoints), computed once per data version, language
    and district: the chain, segment, firm and export pages all read them (treat them as read-only)."""
    key = ("rows", kind, chain_id, lang, district)
    if kind == "prospects":  # it adds the firms it looks at to a lean graph: give it a copy of its own
        return snap.page(key, lambda: prospect_records(snap.analysis(district), lang, chain=chain_id,
                                                       strengthen=True))
    records = {"gaps": gap_records, "chokepoints": chokepoint_records}[kind]
    return snap.page(key, lambda: records(snap.analysis(district), lang, chain=chain_id))


def chain(ex: Explorer, snap: Snapshot, chain_id: str, lang: str, district: str | None = None) -> dict:
    G = snap.G
    require(G, chain_id, "Chain")
    if district is not None:
        require(G, district, "District")

    def build():
        from ..reports.chain_map import chain_map_svg

        a = snap.analysis(district)
        segs = a.view.segments_of[chain_id]
        rows = table_order([dict(r) for r in chain_rows(snap, "gaps", chain_id, lang, district)])
        cl = a.view.cluster_of.get(chain_id)
        everyone = chain_rows(snap, "prospects", chain_id, lang, district)
        prospects = [p for p in everyone if p["firm_id"]]
        return {
            **node_ref(G, chain_id, lang), "cluster": node_ref(G, cl, lang) if cl else None,
            "district": node_ref(G, district, lang) if district else None,
            "districts": [node_ref(G, d, lang) for d in nodes_by_label(G, "District")],
            "map_svg": chain_map_svg(G, chain_id, segs, {s: a.statuses[s].status for s in segs},
                                     {s: a.statuses[s].local_firms for s in segs}, lang,
                                     basis={r["segment_id"]: basis(r) for r in rows},
                                     href=lambda s: url("segment", s, lang),
                                     lights=segment_badges(snap, chain_id, lang)),
            "segments": [{**r, **basis(r), "colour": status_colour(r["status"]),
                          "parts": L.parts_text(rounded(r["priority"]["parts"]), lang)} for r in rows],
            "coverage": a.coverage.get(chain_id, {}),
            "counts": {st: sum(1 for r in rows if r["status"] == st) for st in L.STATUS},
            "labs": backer_refs(G, "SUPPORTS", [chain_id, *segs], "Lab", lang),
            "funds": backer_refs(G, "FOCUSES_ON", [chain_id], "Fund", lang),
            "projects": projects(G, set(segs), lang, district, snap.nb),
            "leaders": leader_records(a, lang, chain=chain_id, top=10),
            "prospects": with_landing(snap, prospects[:20], lang, district),
            "no_candidates": [p for p in everyone if not p["firm_id"]],
            "chokepoints": chain_rows(snap, "chokepoints", chain_id, lang, district),
            "sources": sources(G, [G.nodes[chain_id].get("source_id"), *(G.nodes[s].get("source_id") for s in segs)]),
            "browser": ex.browser("chain_graph", chain=chain_id),
        }
    return snap.page(("chain", chain_id, lang, district), build)


def segment(ex: Explorer, snap: Snapshot, seg_id: str, lang: str) -> dict:
    G = snap.G
    d = require(G, seg_id, "Segment")

    def build():
        a = snap.analysis()
        c = a.view.chain_of.get(seg_id)
        row = next(r for r in chain_rows(snap, "gaps", c, lang) if r["segment_id"] == seg_id)
        nb = snap.nb
        everyone = sorted(a.view.firms_in.get(seg_id, ()), key=lambda f: (nb.attrs(f).get("local") is not True, str(f)))
        firms = everyone[:FIRMS_SHOWN]
        neighbours = lambda edges: [{**node_ref(G, x, lang), "chain": node_ref(G, a.view.chain_of[x], lang)
                                     if x in a.view.chain_of else None, "status": a.statuses[x].status if x in a.statuses
                                     else None} for x in edges]
        prospects = with_landing(snap, [p for p in chain_rows(snap, "prospects", c, lang) if p["segment_id"] == seg_id],
                                 lang)
        choke = [r for r in chain_rows(snap, "chokepoints", c, lang) if r["segment_id"] == seg_id]
        return {
            **node_ref(G, seg_id, lang), "chain": node_ref(G, c, lang) if c else None,
            "row": row, **basis(row), "colour": status_colour(row["status"]),
            "parts": [(L.pick(L.PARTS.get(k, (k, k)), lang), v) for k, v in row["priority"]["parts"].items()],
            "description": description_in(d.get("description"), lang),
            "firms": [{**node_ref(G, f, lang), "local": nb.attrs(f).get("local"),
                       "revenue": nb.attrs(f).get("revenue_100m_cny"),
                       "district": [node_ref(G, x, lang) for x in nb.out(f, "LOCATED_IN")]} for f in firms],
            "firm_count": len(everyone),
            "upstream": neighbours(in_by_type(G, seg_id, "FEEDS")),
            "downstream": neighbours(out_by_type(G, seg_id, "FEEDS")),
            "prospects": prospects, "chokepoint_pairs": [p for r in choke for p in r["pair_names"]],
            "labs": backer_refs(G, "SUPPORTS", [seg_id], "Lab", lang),
            "funds": backer_refs(G, "FOCUSES_ON", [c] if c else [], "Fund", lang),
            "source": source(G, seg_id),
            "sources": sources(G, [d.get("source_id")]),
            "browser": ex.browser("segment_firms", segment=seg_id),
        }
    return snap.page(("segment", seg_id, lang), build)


def _supply_hops(nb, firm: str, direction: str, hops: int = 2) -> list[dict]:
    """Suppliers (``in``) or customers (``out``) up to ``hops`` SUPPLIES steps, nearest first."""
    step = (lambda n: nb.into(n, "SUPPLIES")) if direction == "in" else (lambda n: nb.out(n, "SUPPLIES"))
    seen, frontier, out = {firm}, [firm], []
    for h in range(1, hops + 1):
        nxt = []
        for n in frontier:
            for m in step(n):
                if m not in seen:
                    seen.add(m)
                    nxt.append(m)
                    out.append({"id": m, "hop": h, "via": n})
        frontier = nxt
    return out


def firm(ex: Explorer, snap: Snapshot, firm_id: str, lang: str) -> dict:
    G = snap.G
    d = require(G, firm_id, "Firm")

    def build():
        a, nb = snap.analysis(), snap.nb
        segs = nb.out(firm_id, "IN_SEGMENT")
        chains = sorted({a.view.chain_of[s] for s in segs if s in a.view.chain_of})
        ref = lambda n: {**node_ref(G, n, lang), "local": nb.attrs(n).get("local")}
        suppliers = [{**ref(r["id"]), "hop": r["hop"], "via": r["via"]} for r in _supply_hops(nb, firm_id, "in")]
        customers = [{**ref(r["id"]), "hop": r["hop"], "via": r["via"]} for r in _supply_hops(nb, firm_id, "out")]
        fills = []
        if d.get("local") is not True:
            for c in chains:  # each chain's prospects are computed once per data version
                fills += [p for p in chain_rows(snap, "prospects", c, lang) if p["firm_id"] == firm_id]
            fills = with_landing(snap, fills, lang)
        city = overview(ex, snap, "zh")["tiers"]  # the city's thresholds, whatever the language (built at start)
        tiers = sorted((r["threshold"] for r in city
                        if d.get("revenue_100m_cny") is not None and d["revenue_100m_cny"] >= r["threshold"]),
                       reverse=True)
        return {
            **ref(firm_id), "credit_code": d.get("credit_code"), "tags": d.get("tags") or [],
            "revenue": d.get("revenue_100m_cny"), "revenue_year": d.get("revenue_year"),
            "tier": tiers[0] if tiers else None,
            "segments": [{**node_ref(G, s, lang), "status": a.statuses[s].status if s in a.statuses else None,
                          "chain": node_ref(G, a.view.chain_of[s], lang) if s in a.view.chain_of else None}
                         for s in segs],
            "chains": [node_ref(G, c, lang) for c in chains],
            "districts": [node_ref(G, x, lang) for x in nb.out(firm_id, "LOCATED_IN")],
            "funds": [{**node_ref(G, f, lang), "amount": nb.rel("INVESTS_IN", f, firm_id).get("amount_100m_cny")}
                      for f in nb.into(firm_id, "INVESTS_IN")],
            "projects": [{**node_ref(G, p, lang), "status": G.nodes[p].get("status"), "date": G.nodes[p].get("date")}
                         for p in nb.out(firm_id, "HAS_PROJECT")],
            "suppliers": suppliers, "customers": customers, "fills": fills,
            "source": source(G, firm_id), "sources": sources(G, [d.get("source_id")]),
            "browser": ex.browser("firm_network", firm=firm_id),
        }
    return snap.page(("firm", firm_id, lang), build)


def district(ex: Explorer, snap: Snapshot, district_id: str, lang: str) -> dict:
    G = snap.G
    d = require(G, district_id, "District")

    def build():
        inside = districts_under(G, district_id)
        a, nb = snap.analysis(district_id), snap.nb
        firms = sorted({u for x in inside for u in nb.into(x, "LOCATED_IN") if nb.label(u) == "Firm"})
        segs: dict[str, set[str]] = {}
        for f in firms:
            for s in nb.out(f, "IN_SEGMENT"):
                segs.setdefault(s, set()).add(f)
        chains: dict[str, list[str]] = {}
        for s in segs:
            if s in a.view.chain_of:
                chains.setdefault(a.view.chain_of[s], []).append(s)
        every = gap_records(a, lang)  # as `chainkg gaps --district`: every chain, this district's firms as local
        gaps = [r for r in every if r["chain_id"] in chains and r["status"] in GAPS]
        parent = out_by_type(G, district_id, "PART_OF")
        return {
            **node_ref(G, district_id, lang), "kind_text": d.get("kind"),
            "parent": [node_ref(G, p, lang) for p in parent],
            "children": [node_ref(G, x, lang) for x in in_by_type(G, district_id, "PART_OF")],
            "firms": [{**node_ref(G, f, lang), "local": nb.attrs(f).get("local"),
                       "revenue": nb.attrs(f).get("revenue_100m_cny")} for f in firms[:FIRMS_SHOWN]],
            "firm_count": len(firms),
            "chains": [{**node_ref(G, c, lang), "segments": [
                {**node_ref(G, s, lang), "firms": len(segs[s]), "status": a.statuses[s].status,
                 "colour": status_colour(a.statuses[s].status)} for s in sorted(ss)]} for c, ss in chains.items()],
            "gaps": gaps, "every": every, "status_counts": {st: sum(1 for r in every if r["status"] == st) for st in L.STATUS},
            "other_gaps": sum(1 for r in every if r["status"] in GAPS) - len(gaps),
            "labs": [node_ref(G, u, lang) for x in inside for u in nb.into(x, "LOCATED_IN") if nb.label(u) == "Lab"],
            "browser": ex.browser("district_chains", district=district_id),
        }
    return snap.page(("district", district_id, lang), build)
