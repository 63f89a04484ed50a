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


def lean_graph(ds: Dataset) -> nx.MultiDiGraph:
    """The lean graph of ``ds`` (:mod:`chainkg.graph_model.firm_table`): every node but the firms, every
    relationship without a firm at an end; the firms and their relationships in a ``FirmTable`` in
    ``graph["firms"]`` — the same graph the column reader builds from its frames (``lean_graph()``).

    >>> from chainkg.graph_model.records import Dataset, Node, Rel
    >>> ds = Dataset("tiny")
    >>> ds.nodes["S"] = Node("S", "Segment", {"name": "硅片"})
    >>> ds.nodes["F"] = Node("F", "Firm", {"name": "甲", "local": True})
    >>> ds.rels[("IN_SEGMENT", "F", "S")] = Rel("IN_SEGMENT", "F", "S", {"confidence": "inferred"})
    >>> G = lean_graph(ds)
    >>> list(G.nodes), G.graph["firms"].attrs("F"), G.graph["firms"].rels["IN_SEGMENT"].row(0)
    (['S'], {'label': 'Firm', 'name': '甲', 'local': True}, ('F', 'S', 'inferred'))
    """
    import polars as pl

    from .firm_table import FIRM, FirmTable
    from .schema import TABLE_BY_NAME, TABLE_OF_LABEL

    firms = [n for n in ds.nodes.values() if n.label == FIRM]
    dtypes = {"bool": pl.Boolean, "number": pl.Float64, "percent": pl.Float64, "int": pl.Int64,
              "list": pl.List(pl.String)}
    declared: dict = {c.name: dtypes.get(c.kind, pl.String) for c in TABLE_BY_NAME[TABLE_OF_LABEL[FIRM]].columns}
    cols = [c for c in declared if c != "id" and any(c in n.props for n in firms)]
    cols += sorted({k for n in firms for k in n.props} - set(cols))
    nodes = pl.DataFrame({"id": pl.Series([n.id for n in firms], dtype=pl.String),
                          **{c: pl.Series(c, [n.props.get(c) for n in firms], dtype=declared.get(c)) for c in cols}})
    ids = {n.id for n in firms}
    g = nx.MultiDiGraph(name=ds.name)
    g.add_nodes_from((n.id, {"label": n.label, **n.props}) for n in ds.nodes.values() if n.label != FIRM)
    kept: dict[str, list] = {}
    for r in ds.rels.values():
        if r.start in ids or r.end in ids:
            kept.setdefault(r.type, []).append(r)
        else:
            g.add_edge(r.start, r.end, r.type, **r.props)
    rels = {}
    for kind, rs in kept.items():
        keys = sorted({k for r in rs for k in r.props})
        rels[kind] = pl.DataFrame({"start": pl.Series([r.start for r in rs], dtype=pl.String),
                                   "end": pl.Series([r.end for r in rs], dtype=pl.String),
                                   **{k: pl.Series(k, [r.props.get(k) for r in rs]) for k in keys}})
    g.graph["firms"] = FirmTable(nodes, rels)
    return g
