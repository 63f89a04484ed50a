"""The same graph in NetworkX: a ``MultiDiGraph`` keyed by id, edges keyed by relationship type."""

from __future__ import annotations

import networkx as nx

from .records import Dataset


def to_networkx(ds: Dataset) -> nx.MultiDiGraph:
    """Node key = id, attributes ``label`` plus properties; edge key = relationship type.

    >>> from chainkg.graph_model.records import Dataset, Node, Rel
    >>> ds = Dataset("tiny")
    >>> ds.nodes["A"] = Node("A", "Segment", {"name": "硅片", "stage": "upstream"})
    >>> ds.nodes["B"] = Node("B", "Segment", {"name": "电池片", "stage": "midstream"})
    >>> ds.rels[("FEEDS", "A", "B")] = Rel("FEEDS", "A", "B", {"confidence": "confirmed"})
    >>> G = to_networkx(ds)
    >>> G.nodes["A"]["label"], list(G.edges(keys=True, data=True))
    ('Segment', [('A', 'B', 'FEEDS', {'confidence': 'confirmed'})])
    """
    g = nx.MultiDiGraph(name=ds.name)
    g.add_nodes_from((n.id, {"label": n.label, **n.props}) for n in ds.nodes.values())
    g.add_edges_from((r.start, r.end, r.type, dict(r.props)) for r in ds.rels.values())
    return g
