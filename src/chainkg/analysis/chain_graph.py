"""FEEDS structure per chain: reverse links, the within-chain graph, ancestors and descendants.

A FEEDS link *within one chain* whose target's stage comes before its source's (e.g. recycling →
materials) is a *reverse link* (stages are relative to a chain, so a cross-chain link never is): listed, and left out of the within-chain graph used for ancestor, descendant,
reachability and flow tests. The within-chain graph of chain C holds C's segments and the
non-reverse FEEDS links between them.
"""

from __future__ import annotations

import networkx as nx

from ..graph_model.vocabulary import STAGE_ORDER


def feeds_edges(G: nx.MultiDiGraph) -> list[tuple[str, str]]:
    return [(u, v) for u, v, k in G.edges(keys=True) if k == "FEEDS"]


def chain_of(G: nx.MultiDiGraph, segment: str) -> str | None:
    return next((c for c, _, k in G.in_edges(segment, keys=True) if k == "HAS_SEGMENT"), None)


def is_reverse(G: nx.MultiDiGraph, u: str, v: str) -> bool:
    """True when ``u`` and ``v`` are in the same chain and ``v``'s stage comes before ``u``'s.

    >>> from chainkg.testing import tiny_graph
    >>> G = tiny_graph({"C": [("MAT", "upstream"), ("RECY", "downstream")]}, feeds=[("RECY", "MAT")])
    >>> is_reverse(G, "RECY", "MAT"), is_reverse(G, "MAT", "RECY")
    (True, False)
    """
    su, sv = G.nodes[u].get("stage"), G.nodes[v].get("stage")
    if su not in STAGE_ORDER or sv not in STAGE_ORDER or STAGE_ORDER[sv] >= STAGE_ORDER[su]:
        return False
    return chain_of(G, u) == chain_of(G, v)


def within_chain_graph(G: nx.MultiDiGraph, segments: list[str]) -> nx.DiGraph:
    """C's segments and the non-reverse FEEDS links between them."""
    members = set(segments)
    H = nx.DiGraph()
    H.add_nodes_from(segments)
    for u, v, k in G.edges(segments, keys=True):
        if k == "FEEDS" and v in members and not is_reverse(G, u, v):
            H.add_edge(u, v)
    return H


def reverse_links(G: nx.MultiDiGraph) -> list[tuple[str, str]]:
    return [(u, v) for u, v in feeds_edges(G) if is_reverse(G, u, v)]
