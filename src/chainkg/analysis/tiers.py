"""Local firms by revenue tier, cumulative, against the city's targets (with the shortfall)."""

from __future__ import annotations

import networkx as nx

from .views import ChainView, nodes_by_label

DEFAULT_THRESHOLDS = (500, 100, 50, 20)
NOTE_ZH = "注意：市目标按工业开票销售计，本数据为营业收入，口径不同，仅供参考。"
NOTE_EN = "Note: the city's targets count invoiced sales (开票销售); the data holds revenue, a different measure."


def _targets(G: nx.MultiDiGraph, scope: str, scope_id: str | None) -> dict[float, dict]:
    out = {}
    for t in nodes_by_label(G, "Target"):
        d = G.nodes[t]
        if (d.get("scope") == scope and d.get("scope_id") == scope_id and d.get("threshold") is not None
                and str(d.get("metric", "")).startswith("firms_")):
            out[float(d["threshold"])] = {"id": t, "count": d["count"], "year": d.get("year"),
                                          "source_id": d.get("source_id")}
    return out


def tier_rows(G: nx.MultiDiGraph, firms: set[str], scope: str, scope_id: str | None,
              thresholds=DEFAULT_THRESHOLDS) -> list[dict]:
    """One row per threshold: firms at or above it (cumulative), the target and the shortfall.

    >>> from chainkg.testing import tiny_graph
    >>> G = tiny_graph({"K": [("S", "upstream")]}, firms={"A": (True, ["S"]), "B": (True, ["S"]), "C": (True, ["S"])},
    ...                revenue={"A": 600, "B": 120})
    >>> G.add_node("T", label="Target", scope="city", metric="firms_invoiced_sales_over", threshold=100.0, count=10)
    >>> [(r["threshold"], r["firms"], r["target"], r["shortfall"], r["unknown_revenue"])
    ...  for r in tier_rows(G, {"A", "B", "C"}, "city", None)][:2]
    [(500, 1, None, None, 1), (100, 2, 10, 8, 1)]
    """
    targets = _targets(G, scope, scope_id)
    known = {f: G.nodes[f]["revenue_100m_cny"] for f in firms if G.nodes[f].get("revenue_100m_cny") is not None}
    unknown = len(firms) - len(known)
    rows = []
    for th in sorted({*thresholds, *targets}, reverse=True):
        at = sorted((f for f, r in known.items() if r >= th), key=lambda f: (-known[f], f))
        t = targets.get(float(th))
        rows.append({"scope": scope, "scope_id": scope_id, "threshold": th, "firms": len(at), "firm_ids": at,
                     "target": t["count"] if t else None, "target_year": t["year"] if t else None,
                     "shortfall": max(0, t["count"] - len(at)) if t else None,
                     "target_source_id": t["source_id"] if t else None,
                     "unknown_revenue": unknown, "local_firms": len(firms)})
    return rows


def all_tiers(G: nx.MultiDiGraph, view: ChainView) -> list[dict]:
    """City, then each cluster, then each chain."""
    local = {f for f in nodes_by_label(G, "Firm") if G.nodes[f].get("local") is True}
    rows = tier_rows(G, local, "city", None)
    for cluster in nodes_by_label(G, "Cluster"):
        chains = [c for c, cl in view.cluster_of.items() if cl == cluster]
        rows += tier_rows(G, set().union(set(), *(view.local_firms_of_chain(c) for c in chains)), "cluster", cluster)
    for chain in view.segments_of:
        rows += tier_rows(G, view.local_firms_of_chain(chain), "chain", chain)
    return rows
