"""How much of a chain the data knows: named local firms against the number sources report.

The bundled data names a few dozen firms where sources report hundreds, so a segment with no
local firm *on record* is usually not a confirmed gap. The reported number is the chain's
``firms_reported*`` metric (the largest, if several).
"""

from __future__ import annotations

import networkx as nx

from .views import ChainView, metrics_of, name

#: below this share of the reported firms, the data's silence is not evidence of absence
LOW_COVERAGE = 0.5


def chain_coverage(G: nx.MultiDiGraph, view: ChainView | None = None, lang: str = "zh") -> list[dict]:
    """One row per chain: named local firms, reported firms, their ratio (``None`` if unknown).

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("C", label="Chain", name="光伏")
    >>> G.add_node("S", label="Segment", name="电池片")
    >>> G.add_node("F", label="Firm", name="甲", local=True)
    >>> G.add_node("M", label="Metric", scope="chain", scope_id="C", metric="firms_reported", value=4.0)
    >>> _ = G.add_edge("C", "S", "HAS_SEGMENT"); _ = G.add_edge("F", "S", "IN_SEGMENT")
    >>> row = chain_coverage(G)[0]
    >>> row["named_local_firms"], row["reported_firms"], row["coverage"], row["low"]
    (1, 4, 0.25, True)
    """
    view = view or ChainView.of(G)
    rows = []
    for chain in view.segments_of:
        reported = [m for m in metrics_of(G, chain) if str(m.get("metric", "")).startswith("firms_reported")]
        best = max(reported, key=lambda m: m["value"], default=None)
        named_local = len(view.local_firms_of_chain(chain))
        n_reported = int(best["value"]) if best else None
        ratio = round(named_local / n_reported, 3) if n_reported else None
        rows.append({
            "chain_id": chain, "chain": name(G, chain, lang), "segments": len(view.segments_of[chain]),
            "named_local_firms": named_local, "named_firms": len(view.firms_of_chain(chain)),
            "reported_firms": n_reported, "reported_metric": best["id"] if best else None,
            "reported_source": best.get("source_id") if best else None,
            "coverage": ratio, "low": ratio is None or ratio < LOW_COVERAGE,
        })
    return rows
