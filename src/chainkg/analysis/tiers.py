"""Local firms by revenue tier, cumulative, against the city's targets (with the shortfall)."""

from __future__ import annotations

import networkx as nx

from ..graph_model.vocabulary import WORDS
from .firms import firm_values
from .views import ChainView, local_firms, nodes_by_label

DEFAULT_THRESHOLDS = (500, 100, 50, 20)
NOTE_ZH, NOTE_EN = WORDS["tiers_note"]  # the declared vocabulary's


def _targets(G: nx.MultiDiGraph, scope: str, scope_id: str | None) -> dict[float, dict]:
    out = {}
    for t in nodes_by_label(G, "Target"):
        d = G.nodes[t]
        if (d.get("scope") == scope and d.get("scope_id") == scope_id and d.get("threshold") is not None
                and str(d.get("metric", "")).startswith("firms_")):
            out[float(d["threshold"])] = {"id": t, "count": d["count"], "year": d.get("year"),
                                          "source_id": d.get("source_id")}
    return out


def shortfall_bounds(target: int | None, known_at: int, unknown: int, complete: bool) -> dict:
    """What can be proved about the shortfall ``target - (firms at or above the threshold)``.

    ``known_at`` firms are known to reach the threshold, ``unknown`` have no revenue on record;
    ``complete``: the data names every firm of the scope. Without a complete list, firms not in the
    data may reach the threshold too, so only an upper bound is provable (and 0 once the target is met).

    >>> shortfall_bounds(10, 2, 0, complete=True)     # every firm and revenue known: exact
    {'shortfall': 8, 'shortfall_at_least': 8, 'shortfall_at_most': 8}
    >>> shortfall_bounds(10, 2, 3, complete=True)     # 3 unknown revenues could each reach it
    {'shortfall': None, 'shortfall_at_least': 5, 'shortfall_at_most': 8}
    >>> shortfall_bounds(10, 2, 9, complete=True)     # could all reach it: nothing below 8 is provable
    {'shortfall': None, 'shortfall_at_least': None, 'shortfall_at_most': 8}
    >>> shortfall_bounds(10, 0, 44, complete=False)   # revenue simply missing: never "shortfall = target"
    {'shortfall': None, 'shortfall_at_least': None, 'shortfall_at_most': 10}
    >>> shortfall_bounds(1, 1, 44, complete=False)    # met by firms on record, whatever the rest
    {'shortfall': 0, 'shortfall_at_least': 0, 'shortfall_at_most': 0}
    """
    if target is None:
        return {"shortfall": None, "shortfall_at_least": None, "shortfall_at_most": None}
    at_most = max(0, target - known_at)
    if at_most == 0 or (complete and unknown == 0):
        return {"shortfall": at_most, "shortfall_at_least": at_most, "shortfall_at_most": at_most}
    at_least = target - known_at - unknown if complete else 0
    return {"shortfall": None, "shortfall_at_least": at_least if at_least > 0 else None, "shortfall_at_most": at_most}


def tier_rows(G: nx.MultiDiGraph, firms: set[str], scope: str, scope_id: str | None,
              thresholds=DEFAULT_THRESHOLDS, complete: bool = False) -> list[dict]:
    """One row per threshold: firms known at or above it (cumulative), those with unknown revenue,
    the target and what is provable of the shortfall (:func:`shortfall_bounds`).

    >>> from chainkg.testing import tiny_graph
    >>> G = tiny_graph({"K": [("S", "upstream")]}, firms={"A": (True, ["S"]), "B": (True, ["S"]), "C": (True, ["S"])},
    ...                revenue={"A": 600, "B": 120})
    >>> G.add_node("T", label="Target", scope="city", metric="firms_invoiced_sales_over", threshold=100.0, count=10)
    >>> [(r["threshold"], r["firms"], r["unknown_revenue"], r["target"], r["shortfall"], r["shortfall_at_most"])
    ...  for r in tier_rows(G, {"A", "B", "C"}, "city", None)][:2]
    [(500, 1, 1, None, None, None), (100, 2, 1, 10, None, 8)]
    >>> [(r["shortfall"], r["shortfall_at_least"]) for r in tier_rows(G, {"A", "B", "C"}, "city", None, complete=True)][1]
    (None, 7)
    """
    targets = _targets(G, scope, scope_id)
    known = firm_values(G, firms, "revenue_100m_cny")
    unknown = len(firms) - len(known)
    rows = []
    for th in sorted({*thresholds, *targets}, reverse=True):
        at = sorted((f for f, r in known.items() if r >= th), key=lambda f: (-known[f], f))
        t = targets.get(float(th))
        rows.append({"scope": scope, "scope_id": scope_id, "threshold": th, "firms": len(at), "firm_ids": at,
                     "target": t["count"] if t else None, "target_year": t["year"] if t else None,
                     **shortfall_bounds(t["count"] if t else None, len(at), unknown, complete),
                     "target_id": t["id"] if t else None, "target_source_id": t["source_id"] if t else None,
                     "unknown_revenue": unknown, "known_revenue": len(known), "local_firms": len(firms),
                     "complete": complete})
    return rows


def all_tiers(G: nx.MultiDiGraph, view: ChainView, coverage: dict[str, dict] | None = None,
              district: str | None = None, scopes=("city", "cluster", "chain")) -> list[dict]:
    """City (with ``district``: that district, the view's "local"), then each cluster, then each chain
    (only the ``scopes`` asked for; ``city`` stands for the district too).
    A chain's firm list is complete when its named local firms reach the number a source reports for
    the whole chain (``coverage``); a cluster's when every chain in it is."""
    coverage = coverage or {}
    done = {c: bool(r.get("reported_firms")) and r["named_local_firms"] >= r["reported_firms"]
            for c, r in coverage.items()}
    # the city's (a district's) firms outside any chain are never known to be complete
    rows: list[dict] = []
    if "city" in scopes and district:
        rows = tier_rows(G, local_firms(G, district), "district", district, complete=False)
    elif "city" in scopes:
        rows = tier_rows(G, local_firms(G), "city", None, complete=False)
    for cluster in nodes_by_label(G, "Cluster") if "cluster" in scopes else ():
        chains = [c for c, cl in view.cluster_of.items() if cl == cluster]
        rows += tier_rows(G, set().union(set(), *(view.local_firms_of_chain(c) for c in chains)), "cluster", cluster,
                          complete=bool(chains) and all(done.get(c, False) for c in chains))
    for chain in view.segments_of if "chain" in scopes else ():
        rows += tier_rows(G, view.local_firms_of_chain(chain), "chain", chain, complete=done.get(chain, False))
    return rows
