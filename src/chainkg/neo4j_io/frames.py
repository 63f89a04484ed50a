"""The tables a load writes, as polars frames: nodes per label, relationships per type.

Both ways into Neo4j read them: ``load --bulk`` writes them as the importer's CSV files
(:mod:`.bulk`), the online ``load`` sends them in batches (:func:`.plan.plan_of`). From the
column-wise reader they come straight from its validated frames, so a million firms are never
held a second time as row objects; a dataset read row by row (workbooks, YAML) is small.
"""

from __future__ import annotations

import polars as pl

from ..graph_model.schema import EDGE_TABLES, NODE_TABLES, Column, EdgeTable, NodeTable


def node_property_keys() -> dict[str, list[str]]:
    """label -> declared node properties (columns but id and foreign keys)."""
    out = {}
    for t in NODE_TABLES:
        fks = {fk.column for fk in t.foreign_keys}
        out[t.label] = [c.name for c in t.columns if c.name != "id" and c.name not in fks]
    return out

_TABLES: tuple[NodeTable | EdgeTable, ...] = (*NODE_TABLES, *EDGE_TABLES)


def column_types() -> dict[str, dict[str, Column]]:
    """table -> column name -> its declaration."""
    return {t.table: {c.name: c for c in t.columns} for t in _TABLES}


def import_frames(report):
    """(label or type, kind, frame) for every node label and relationship type of a validated report:
    nodes ``id, <props>``; relationships ``start, end, <props>`` (repeated pairs merged as ``load`` does:
    the first row's values, then the first non-empty value of the later rows)."""
    if getattr(report, "holds_frames", False):  # the columnar reader: straight from its frames
        yield from _frames_of_columnar(report.tables())
    else:
        yield from _frames_of_dataset(report.dataset)


def _frames_of_columnar(tables):
    keys = node_property_keys()
    for t in tables:
        if isinstance(t.table, NodeTable):
            props = [k for k in keys[t.table.label] if k in t.df.columns]
            yield t.table.label, "nodes", t.valid().select("id", *props)
    for t in tables:
        for r, props, part in t.rel_frames():  # repeated pairs merged as the row reader merges them
            yield r.type, "rels", part.select("start", "end", *props)


def _frames_of_dataset(ds):
    """The same frames from a :class:`Dataset` (workbooks and YAML, read row by row: small)."""
    keys = node_property_keys()
    types = column_types()
    for t in NODE_TABLES:
        nodes = ds.nodes_of(t.label)
        if nodes:
            cols = keys[t.label]
            schema = {"id": pl.String, **{c: _polars_type(types[t.table][c]) for c in cols}}
            yield t.label, "nodes", pl.DataFrame([{"id": n.id, **{c: n.props.get(c) for c in cols}} for n in nodes],
                                                 schema=schema, orient="row")
    groups: dict[str, list] = {}
    for r in ds.rels.values():
        groups.setdefault(r.type, []).append(r)
    for rtype, rels in groups.items():
        cols = sorted({k for r in rels for k in r.props})
        schema = {"start": pl.String, "end": pl.String, **{c: _polars_type(columns_by_name()[c]) for c in cols}}
        yield rtype, "rels", pl.DataFrame([{"start": r.start, "end": r.end, **{c: r.props.get(c) for c in cols}}
                                           for r in rels], schema=schema, orient="row")


def _polars_type(col: Column):
    return {"bool": pl.Boolean, "number": pl.Float64, "percent": pl.Float64, "int": pl.Int64,
            "list": pl.List(pl.String)}.get(col.kind, pl.String)


def columns_by_name() -> dict[str, Column]:
    """Column name -> its declaration (a name means the same kind in every table that has it)."""
    out: dict[str, Column] = {}
    for t in _TABLES:
        for c in t.columns:
            out.setdefault(c.name, c)
    return out
