"""Priority of a segment: a score whose parts are shown (points from :mod:`.weights`).

Every part is in points, rounded to one decimal as people read them, so two priorities that read
the same rank the same (ties by segment id), never apart by a hidden third decimal. The raw flow
betweenness (0..1) is ``flow_betweenness`` on the finding; its points are ``flow_betweenness_points``.
"""

from __future__ import annotations

import networkx as nx

from .chain_graph import within_chain_graph
from .status import SegmentStatus
from .views import ChainView, in_by_type, out_by_type
from .weights import Weights


def flow_betweenness(G: nx.MultiDiGraph, view: ChainView) -> dict[str, float]:
    """Normalised betweenness of each segment in its chain's within-chain FEEDS graph.

    >>> from chainkg.testing import tiny_graph
    >>> G = tiny_graph({"K": [("A", "upstream"), ("B", "midstream"), ("C", "downstream")]},
    ...                feeds=[("A", "B"), ("B", "C")])
    >>> flow_betweenness(G, ChainView.of(G))
    {'A': 0.0, 'B': 0.5, 'C': 0.0}
    """
    out: dict[str, float] = {}
    for segments in view.segments_of.values():
        H = within_chain_graph(G, segments)
        out.update({s: round(b, 4) for s, b in nx.betweenness_centrality(H, normalized=True).items()})
    return out


def priority(G: nx.MultiDiGraph, st: SegmentStatus, view: ChainView, weights: Weights,
             betweenness: dict[str, float]) -> dict:
    """``{total, parts}`` for one segment.

    >>> from chainkg.testing import tiny_graph
    >>> from chainkg.analysis.status import classify_segments
    >>> from chainkg.analysis.weights import default_weights
    >>> G = tiny_graph({"K": [("A", "upstream"), ("B", "midstream"), ("C", "downstream")]},
    ...                feeds=[("A", "B"), ("B", "C")], firms={"F1": (True, ["A"]), "F2": (True, ["C"])},
    ...                key=["B"], labs={"L1": ["K"]}, funds={"FD": (["K"], [])})
    >>> v = ChainView.of(G); st = classify_segments(G, view=v)["B"]
    >>> priority(G, st, v, default_weights(), flow_betweenness(G, v))
    {'total': 10.0, 'parts': {'key': 3, 'kind': 2, 'adjacent_local_firms': 2, 'flow_betweenness_points': 1.0, 'labs': 1, 'funds': 1}}
    """
    s, chain = st.segment, st.chain
    neighbours = set(out_by_type(G, s, "FEEDS")) | set(in_by_type(G, s, "FEEDS"))
    firms = set().union(set(), *(view.local_in.get(t, set()) for t in neighbours))
    labs = set(in_by_type(G, s, "SUPPORTS")) | set(in_by_type(G, chain, "SUPPORTS"))
    funds = set(in_by_type(G, chain, "FOCUSES_ON"))
    w = weights
    parts = {
        "key": w.key_segment if G.nodes[s].get("key") else 0,
        "kind": getattr(w.kind, st.status),
        "adjacent_local_firms": min(len(firms), w.adjacent_local_firm_max) * w.adjacent_local_firm,
        "flow_betweenness_points": round(betweenness.get(s, 0.0) * w.flow_betweenness, 1),
        "labs": min(len(labs), w.lab_max) * w.lab,
        "funds": min(len(funds), w.fund_max) * w.fund,
    }
    parts = {k: (int(v) if float(v).is_integer() and k != "flow_betweenness_points" else round(v, 1))
             for k, v in parts.items()}
    return {"total": round(float(sum(parts.values())), 1), "parts": parts}
