"""A dataset back to table rows (the input format): the inverse of validation."""

from __future__ import annotations

from collections import defaultdict

from ..graph_model.records import Dataset
from ..graph_model.schema import EDGE_TABLES, NODE_TABLES, RULE_TABLES, TABLES, Table

_ORDER = [t.table for t in TABLES]


def dataset_rows(ds: Dataset) -> dict[str, list[dict]]:
    """table name -> rows with canonical column names; export -> validate gives ``ds`` again."""
    out_rels = defaultdict(list)
    in_rels = defaultdict(list)
    for r in ds.rels.values():
        out_rels[(r.type, r.start)].append(r)
        in_rels[(r.type, r.end)].append(r)
    tables: dict[str, list[dict]] = {}
    for t in NODE_TABLES:
        rows = []
        for n in ds.nodes_of(t.label):
            row = {"id": n.id, **n.props}
            for fk in t.foreign_keys:
                if fk.reverse:
                    hits = [r.start for r in in_rels[(fk.rel_type, n.id)] if ds.nodes[r.start].label in fk.target_labels]
                else:
                    hits = [r.end for r in out_rels[(fk.rel_type, n.id)] if ds.nodes[r.end].label in fk.target_labels]
                if hits:
                    row[fk.column] = hits[0]
            rows.append(row)
        tables[t.table] = rows
    for e in EDGE_TABLES:
        rows = []
        for r in ds.rels_of(e.rel_type):
            if ds.nodes[r.start].label in e.from_labels and ds.nodes[r.end].label in e.to_labels:
                rows.append({e.from_column: r.start, e.to_column: r.end, **r.props})
        tables[e.table] = rows
    for rule in RULE_TABLES:
        tables[rule.table] = [dict(r.props) for r in ds.rules.get(rule.table, [])]
    return {t: tables[t] for t in _ORDER if t in tables}


def column_names(table: Table) -> list[str]:
    return [c.name for c in table.columns]
