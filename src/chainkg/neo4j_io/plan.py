"""What a load writes, step by step: nodes per label, then relationships per (type, labels).

Each row carries *every* declared property (null where empty) so that ``SET += props``
also removes a property whose cell became empty.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..graph_model.records import Dataset
from ..graph_model.schema import EDGE_TABLES, NODE_TABLES
from .frames import import_frames, node_property_keys


@dataclass
class Step:
    kind: str  # nodes | rels
    label: str | None = None
    rel_type: str | None = None
    start_label: str | None = None
    end_label: str | None = None
    table: str = ""
    rows: list[dict] | FrameRows = field(default_factory=list)  # FrameRows: batches sliced from a frame

    @property
    def name(self) -> str:
        if self.kind == "nodes":
            return str(self.label)
        return f"{self.rel_type} ({self.start_label}→{self.end_label})"


def rel_property_keys(rtype: str, start_label: str, end_label: str) -> tuple[str, list[str]]:
    """(table, declared properties) of a relationship group."""
    for t in EDGE_TABLES:
        if t.rel_type == rtype and start_label in t.from_labels and end_label in t.to_labels:
            return t.table, [c.name for c in t.columns if c.name not in (t.from_column, t.to_column)]
    for n in NODE_TABLES:
        for fk in n.foreign_keys:
            pair = (fk.target_labels, (n.label,)) if fk.reverse else ((n.label,), fk.target_labels)
            if fk.rel_type == rtype and start_label in pair[0] and end_label in pair[1]:
                return f"{n.table}.{fk.column}", ["source_id", "confidence"]
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


class FrameRows(Sequence):
    """A step's rows drawn from a polars frame a batch at a time (``{"id", "props"}`` for nodes,
    ``{"start", "end", "props"}`` for relationships, every declared property, None where empty)."""

    def __init__(self, frame, keys: list[str], kind: str):
        self.frame, self.keys, self.kind = frame, keys, kind

    def __len__(self) -> int:
        return self.frame.height

    def __getitem__(self, i):
        if not isinstance(i, slice):
            if not 0 <= i < len(self):
                raise IndexError(i)
            return self[i:i + 1][0]
        start, stop, step = i.indices(len(self))
        if step != 1:
            raise ValueError("rows are read in contiguous batches")
        ends = ("id",) if self.kind == "nodes" else ("start", "end")
        return [{**{e: r[e] for e in ends}, "props": {k: r.get(k) for k in self.keys}}
                for r in self.frame.slice(start, max(0, stop - start)).iter_rows(named=True)]

    def column(self, name: str) -> list:
        return self.frame.get_column(name).to_list()


def plan_of(source) -> list[Step]:
    """The load's steps for a :class:`Dataset` or a validation report. The column-wise reader's report
    gives steps whose rows come from its frames a batch at a time (:mod:`.frames`): the same steps,
    rows and properties as :func:`build_plan` of its dataset, without a row object per row."""
    if isinstance(source, Dataset):
        return build_plan(source)
    if not getattr(source, "holds_frames", False):
        return build_plan(source.dataset)  # a handed-over column report refuses here rather than plan nothing
    import polars as pl

    keys = node_property_keys()
    found: dict[tuple[str, str], list] = {}
    for name, kind, frame in import_frames(source):
        found.setdefault((kind, name), []).append(frame)
    whole = {k: pl.concat(v, how="diagonal_relaxed") for k, v in found.items()}
    steps, labels = [], []
    for t in NODE_TABLES:
        frame = whole.get(("nodes", t.label))
        if frame is not None and frame.height:
            steps.append(Step("nodes", label=t.label, table=t.table, rows=FrameRows(frame, keys[t.label], "nodes")))
            labels.append(frame.select("id", pl.lit(t.label).alias("_label")))
    label_of = pl.concat(labels) if labels else pl.DataFrame(schema={"id": pl.String, "_label": pl.String})
    groups = []
    for (kind, rtype), frame in whole.items():
        if kind != "rels" or not frame.height:
            continue
        frame = (frame.join(label_of.rename({"id": "start", "_label": "_a"}), on="start", how="left", maintain_order="left")
                 .join(label_of.rename({"id": "end", "_label": "_b"}), on="end", how="left", maintain_order="left"))
        for (a, b), part in frame.group_by("_a", "_b", maintain_order=True):
            table, pkeys = rel_property_keys(rtype, a, b)
            groups.append(((rtype, a, b), table, FrameRows(part.drop("_a", "_b"), pkeys, "rels")))
    for (rtype, a, b), table, rows in sorted(groups, key=lambda g: g[0]):
        steps.append(Step("rels", rel_type=rtype, start_label=a, end_label=b, table=table, rows=rows))
    return steps
