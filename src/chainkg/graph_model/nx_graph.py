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


def to_lean_networkx(ds: Dataset) -> nx.MultiDiGraph:
    """The lean graph of ``ds`` (:mod:`chainkg.graph_model.firm_table`): :func:`to_networkx` without the
    firm nodes and the relationships with a firm at one end, which go into the firm table's frames.

    >>> from chainkg.graph_model.records import Dataset, Node, Rel
    >>> ds = Dataset("tiny")
    >>> ds.nodes["S"] = Node("S", "Segment", {"name": "硅片"})
    >>> ds.nodes["F"] = Node("F", "Firm", {"name": "甲", "local": True})
    >>> ds.rels[("IN_SEGMENT", "F", "S")] = Rel("IN_SEGMENT", "F", "S", {})
    >>> G = to_lean_networkx(ds)
    >>> list(G), G.graph["firms"].attrs("F"), G.graph["firms"].rels["IN_SEGMENT"].rows()
    (['S'], {'label': 'Firm', 'name': '甲', 'local': True}, [('F', 'S')])
    """
    import polars as pl

    from .firm_table import FIRM, FirmTable

    firms = {n.id for n in ds.nodes.values() if n.label == FIRM}
    g = nx.MultiDiGraph(name=ds.name)
    g.add_nodes_from((n.id, {"label": n.label, **n.props}) for n in ds.nodes.values() if n.id not in firms)
    g.add_edges_from((r.start, r.end, r.type, dict(r.props)) for r in ds.rels.values()
                     if r.start not in firms and r.end not in firms)
    rows = [{"id": n.id, **n.props} for n in ds.nodes.values() if n.id in firms]
    nodes = (pl.DataFrame(rows, infer_schema_length=None, strict=False) if rows
             else pl.DataFrame({"id": []}, schema={"id": pl.String}))
    by_type: dict[str, list[dict]] = {}
    for r in ds.rels.values():
        if r.start in firms or r.end in firms:
            by_type.setdefault(r.type, []).append({"start": r.start, "end": r.end, **r.props})
    g.graph["firms"] = FirmTable(nodes, {k: pl.DataFrame(v, infer_schema_length=None, strict=False)
                                         for k, v in by_type.items()})
    return g
