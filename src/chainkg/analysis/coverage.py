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


def _figure(G: nx.MultiDiGraph, m: dict) -> dict:
    src = m.get("source_id")
    return {"metric_id": m["id"], "metric": m.get("metric"), "value": m["value"], "unit": m.get("unit"),
            "period": m.get("period"), "covers": m.get("covers"), "derived": bool(m.get("derived")),
            "confidence": m.get("confidence"), "source_id": src,
            "reliability": G.nodes[src].get("reliability") if src and src in G else None}


def chain_coverage(G: nx.MultiDiGraph, view: ChainView | None = None, lang: str = "zh") -> list[dict]:
    """One row per chain: named local firms, reported firms, their ratio (``None`` if unknown).

    The denominator is a ``firms_reported*`` metric whose scope is the chain and which counts all of
    it (no ``covers``); a figure for one park or another industry is listed in ``scoped_figures``
    with its 口径, never used as the chain's coverage. A derived figure is used, and says so.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("C", label="Chain", name="光伏")
    >>> G.add_node("S", label="Segment", name="电池片")
    >>> G.add_node("F", label="Firm", name="甲", local=True)
    >>> G.add_node("M", label="Metric", scope="chain", scope_id="C", metric="firms_reported", value=4.0)
    >>> G.add_node("P", label="Metric", scope="chain", scope_id="C", metric="firms_reported", value=30.0,
    ...            covers="某园区企业")
    >>> _ = G.add_edge("C", "S", "HAS_SEGMENT"); _ = G.add_edge("F", "S", "IN_SEGMENT")
    >>> row = chain_coverage(G)[0]
    >>> row["named_local_firms"], row["reported_firms"], row["coverage"], row["low"]
    (1, 4, 0.25, True)
    >>> [(f["metric_id"], f["value"], f["covers"]) for f in row["scoped_figures"]]
    [('P', 30.0, '某园区企业')]
    """
    view = view or ChainView.of(G)
    rows = []
    for chain in view.segments_of:
        reported = [m for m in metrics_of(G, chain) if m.get("scope") in (None, "chain")
                    and str(m.get("metric", "")).startswith("firms_reported")]
        whole = [m for m in reported if not m.get("covers")]
        best = max(whole, key=lambda m: m["value"], default=None)
        named_local = len(view.local_firms_of_chain(chain))
        n_reported = int(best["value"]) if best else None
        ratio = round(named_local / n_reported, 3) if n_reported else None
        fig = _figure(G, best) if best else None
        rows.append({
            "chain_id": chain, "chain": name(G, chain, lang), "segments": len(view.segments_of[chain]),
            "named_local_firms": named_local, "named_firms": len(view.firms_of_chain(chain)),
            "link_unknown_firms": len(view.link_unknown(chain)),
            "reported_firms": n_reported, "reported_metric": best["id"] if best else None,
            "reported_source": best.get("source_id") if best else None,
            "reported_derived": fig["derived"] if fig else False,
            "reported_confidence": fig["confidence"] if fig else None,
            "reported_reliability": fig["reliability"] if fig else None,
            "coverage": ratio, "low": ratio is None or ratio < LOW_COVERAGE,
            "scoped_figures": [_figure(G, m) for m in reported if m.get("covers")],
        })
    return rows
