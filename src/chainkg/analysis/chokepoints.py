"""Chokepoint segments (卡点环节): removing S cuts a path between two local segments of its chain."""

from __future__ import annotations

import networkx as nx

from .chain_graph import within_chain_graph
from .views import ChainView


def chokepoints(G: nx.MultiDiGraph, view: ChainView | None = None) -> dict[str, list[tuple[str, str]]]:
    """Segment -> the (U, D) pairs of local segments (both != S) that only connect through S.

    Within C (C's segments, non-reverse FEEDS links): D is reachable from U, but not once S is
    removed.

    >>> from chainkg.testing import tiny_graph
    >>> G = tiny_graph({"K": [("A", "upstream"), ("B", "midstream"), ("C", "downstream"), ("X", "midstream")]},
    ...                feeds=[("A", "B"), ("B", "C"), ("A", "X")], firms={"F1": (True, ["A"]), "F2": (True, ["C"])})
    >>> chokepoints(G)
    {'B': [('A', 'C')]}
    """
    view = view or ChainView.of(G)
    out: dict[str, list[tuple[str, str]]] = {}
    for segments in view.segments_of.values():
        H = within_chain_graph(G, segments)
        local = [s for s in segments if view.local_in.get(s)]
        if len(local) < 2:
            continue
        reach = {u: nx.descendants(H, u) for u in local}
        for s in segments:
            candidates = [(u, d) for u in local if u != s for d in reach[u] if d != s and d in local and d != u]
            if not candidates:
                continue
            H2 = H.copy()
            H2.remove_node(s)
            cut = sorted((u, d) for u, d in candidates if not nx.has_path(H2, u, d))
            if cut:
                out[s] = cut
    return out
