"""What a load writes, step by step: nodes per label, then relationships per (type, labels).

Each row carries *every* declared property (null where empty) so that ``SET += props``
also removes a property whose cell became empty.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..graph_model.records import Dataset
from ..graph_model.schema import EDGE_TABLES, NODE_TABLES


@dataclass
class Step:
    kind: str  # nodes | rels
    label: str | None = None
    rel_type: str | None = None
    start_label: str | None = None
    end_label: str | None = None
    table: str = ""
    rows: list[dict] = field(default_factory=list)

    @property
    def name(self) -> str:
        if self.kind == "nodes":
            return self.label
        return f"{self.rel_type} ({self.start_label}→{self.end_label})"


def node_property_keys() -> dict[str, list[str]]:
    """label -> declared node properties (columns but id and foreign keys)."""
    out = {}
    for t in NODE_TABLES:
        fks = {fk.column for fk in t.foreign_keys}
        out[t.label] = [c.name for c in t.columns if c.name != "id" and c.name not in fks]
    return out


def rel_property_keys(rtype: str, start_label: str, end_label: str) -> tuple[str, list[str]]:
    """(table, declared properties) of a relationship group."""
    for t in EDGE_TABLES:
        if t.rel_type == rtype and start_label in t.from_labels and end_label in t.to_labels:
            return t.table, [c.name for c in t.columns if c.name not in (t.from_column, t.to_column)]
    for t in NODE_TABLES:
        for fk in t.foreign_keys:
            pair = (fk.target_labels, (t.label,)) if fk.reverse else ((t.label,), fk.target_labels)
            if fk.rel_type == rtype and start_label in pair[0] and end_label in pair[1]:
                return f"{t.table}.{fk.column}", ["source_id", "confidence"]
    raise ValueError(f"no table declares {rtype} ({start_label}→{end_label})")


def build_plan(ds: Dataset) -> list[Step]:
    steps: list[Step] = []
    keys = node_property_keys()
    for t in NODE_TABLES:
        rows = [{"id": n.id, "props": {k: n.props.get(k) for k in keys[t.label]}} for n in ds.nodes_of(t.label)]
        if rows:
            steps.append(Step("nodes", label=t.label, table=t.table, rows=rows))
    groups: dict[tuple[str, str, str], list] = {}
    for r in ds.rels.values():
        groups.setdefault((r.type, ds.nodes[r.start].label, ds.nodes[r.end].label), []).append(r)
    for (rtype, a, b), rels in sorted(groups.items()):
        table, pkeys = rel_property_keys(rtype, a, b)
        rows = [{"start": r.start, "end": r.end, "props": {k: r.props.get(k) for k in pkeys}} for r in rels]
        steps.append(Step("rels", rel_type=rtype, start_label=a, end_label=b, table=table, rows=rows))
    return steps
