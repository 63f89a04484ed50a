"""Real changes to the data, applied to a copy of a graph: a firm added, removed or changed, a placement
made or taken back, a FEEDS link added or removed.

:func:`edited_graph` never touches the graph it is given. A lean graph (firms in a
:class:`~chainkg.graph_model.firm_table.FirmTable`) copies only its small structure graph and makes
new frames for the firms; a graph with a node per firm is copied whole. The analysis of the edited
graph, recomputed only where the edits reach, is :func:`chainkg.analysis.incremental.apply_edits`.

>>> from chainkg.testing import tiny_graph
>>> G = tiny_graph({"K": [("A", "upstream"), ("B", "midstream")]}, feeds=[("A", "B")], firms={"F1": (True, ["A"])})
>>> H = edited_graph(G, [Edit("add_firm", firm="F2", props={"name": "乙", "local": True}),
...                      Edit("place", firm="F2", segment="B"), Edit("remove_link", a="A", b="B")])
>>> sorted(firm_places(H, "F2", "IN_SEGMENT")), H.has_edge("A", "B"), G.has_edge("A", "B"), "F2" in G
(['B'], False, True, False)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import networkx as nx
import polars as pl

from ..errors import UsageError
from .firm_table import FIRM, FirmTable, firm_places, firm_table, has_firm

#: what each kind of edit needs besides its kind
KINDS = {
    "add_firm": ("firm",),          # a new firm: props (name, local, …); segment and district optional
    "remove_firm": ("firm",),       # the firm and every relationship it has
    "set_firm": ("firm",),          # props to set (a value None removes the property)
    "place": ("firm", "segment"),   # IN_SEGMENT firm → segment (props: the placement's, e.g. confidence)
    "unplace": ("firm", "segment"),
    "join_chain": ("firm", "chain"),   # IN_CHAIN: tied to a chain, link unknown
    "leave_chain": ("firm", "chain"),
    "locate": ("firm", "district"),    # LOCATED_IN
    "unlocate": ("firm", "district"),
    "add_link": ("a", "b"),          # FEEDS a → b between two segments
    "remove_link": ("a", "b"),
}
#: the relationship each placement-like edit makes or takes back, and the label its target must have
_RELS = {"place": ("IN_SEGMENT", "segment", "Segment"), "unplace": ("IN_SEGMENT", "segment", "Segment"),
         "join_chain": ("IN_CHAIN", "chain", "Chain"), "leave_chain": ("IN_CHAIN", "chain", "Chain"),
         "locate": ("LOCATED_IN", "district", "District"), "unlocate": ("LOCATED_IN", "district", "District")}


@dataclass(frozen=True)
class Edit:
    """One change to the data, by ids (see :data:`KINDS`). ``props``: a firm's properties for
    ``add_firm``/``set_firm``, the relationship's for ``place``/``join_chain``/``locate``/``add_link``."""
    kind: str
    firm: str | None = None
    segment: str | None = None
    chain: str | None = None
    district: str | None = None
    a: str | None = None
    b: str | None = None
    props: Mapping = field(default_factory=dict, hash=False)

    @classmethod
    def of(cls, item: Edit | Mapping) -> Edit:
        """An :class:`Edit`, or one from a mapping with the same keys (``{"kind": "place", "firm": …}``)."""
        if isinstance(item, Edit):
            return item
        if not isinstance(item, Mapping):
            raise UsageError(f"An edit is a mapping such as {{'kind': 'place', 'firm': 'F1', 'segment': 'S1'}}, got {item!r}.")
        unknown = set(item) - {"kind", "firm", "segment", "chain", "district", "a", "b", "props"}
        if unknown:
            raise UsageError(f"Unknown key(s) in an edit: {', '.join(sorted(map(str, unknown)))}.",
                             hint="An edit has kind, firm, segment, chain, district, a, b and props.")
        return cls(**item)

    @property
    def segments(self) -> tuple:
        """The segments a link edit names (none for a firm edit)."""
        return (self.a, self.b) if self.kind in ("add_link", "remove_link") else ()


def _label(G: nx.MultiDiGraph, n) -> str | None:
    d = G._node.get(n)
    if d is not None:
        return d.get("label")
    return FIRM if has_firm(G, n) else None


def check(G: nx.MultiDiGraph, e: Edit) -> str | None:
    """What is wrong with applying ``e`` to ``G`` now, or None."""
    if e.kind not in KINDS:
        return f"unknown kind {e.kind!r} (one of {', '.join(KINDS)})"
    missing = [k for k in KINDS[e.kind] if not getattr(e, k)]
    if missing:
        return f"{e.kind} needs {' and '.join(missing)}"
    if e.kind in ("add_link", "remove_link"):
        for s in (e.a, e.b):
            if _label(G, s) != "Segment":
                return f"{s!r} is not a segment's id"
        if e.a == e.b:
            return f"a segment cannot feed itself ({e.a})"
        has = G.has_edge(e.a, e.b, "FEEDS")
        if e.kind == "add_link" and has:
            return f"the link {e.a} → {e.b} exists already"
        if e.kind == "remove_link" and not has:
            return f"there is no FEEDS link {e.a} → {e.b} to remove"
        return None
    exists = has_firm(G, e.firm)
    if e.kind == "add_firm":
        if exists or e.firm in G:
            return f"{e.firm!r} is an id already"
    elif not exists:
        return f"{e.firm!r} is not a firm's id"
    if e.kind in _RELS:
        kind, attr, label = _RELS[e.kind]
        target = getattr(e, attr)
        if _label(G, target) != label:
            return f"{target!r} is not the id of a {label}"
        placed = target in firm_places(G, e.firm, kind)
        if e.kind in ("place", "join_chain", "locate") and placed:
            return f"{e.firm} → {target} ({kind}) exists already"
        if e.kind in ("unplace", "leave_chain", "unlocate") and not placed:
            return f"there is no {kind} {e.firm} → {target} to remove"
    for attr in ("segment", "district") if e.kind == "add_firm" else ():
        target, label = getattr(e, attr), attr.capitalize()
        if target and _label(G, target) != label:
            return f"{target!r} is not the id of a {label}"
    return None


def _steps(e: Edit) -> list[Edit]:
    """An ``add_firm`` with a segment or district is the firm, then its placement and location."""
    if e.kind != "add_firm":
        return [e]
    out = [Edit("add_firm", firm=e.firm, props=e.props)]
    if e.segment:
        out.append(Edit("place", firm=e.firm, segment=e.segment))
    if e.district:
        out.append(Edit("locate", firm=e.firm, district=e.district))
    return out


def edited_graph(G: nx.MultiDiGraph, edits: Iterable[Edit | Mapping]) -> nx.MultiDiGraph:
    """A new graph: ``G`` with ``edits`` applied in order (``G`` itself is left as it was).

    Every edit is checked against the graph as the edits before it left it; a UsageError names every
    problem (``edit 2: 'X' is not a firm's id``) and nothing is applied.
    """
    steps: list[Edit] = []
    for e in map(Edit.of, edits):
        steps += _steps(e)
    table = firm_table(G)
    H = G.copy()
    if table is not None:
        H.graph["firms"] = table
    problems = []
    for i, e in enumerate(steps, start=1):
        why = check(H, e)
        if why:
            problems.append(f"edit {i}: {why}")
            continue
        if table is not None and e.kind not in ("add_link", "remove_link"):
            H.graph["firms"] = _edited_table(H.graph["firms"], e)
        else:
            _edit_nodes(H, e)
    if problems:
        raise UsageError(f"{len(problems)} problem(s) in the edits:\n  " + "\n  ".join(problems),
                         hint="Firms, segments, chains and districts are given by id; see chainkg.graph_model.edits.KINDS.")
    return H


def _edit_nodes(H: nx.MultiDiGraph, e: Edit) -> None:
    """Apply one checked edit to a graph with a node per firm (or a link edit to any graph)."""
    if e.kind == "add_link":
        H.add_edge(e.a, e.b, "FEEDS", **dict(e.props))
    elif e.kind == "remove_link":
        H.remove_edge(e.a, e.b, "FEEDS")
    elif e.kind == "add_firm":
        H.add_node(e.firm, label=FIRM, **{k: v for k, v in e.props.items() if v is not None})
    elif e.kind == "remove_firm":
        H.remove_node(e.firm)
    elif e.kind == "set_firm":
        d = H.nodes[e.firm]
        for k, v in e.props.items():
            if v is None:
                d.pop(k, None)
            else:
                d[k] = v
    else:
        kind, attr, _ = _RELS[e.kind]
        if e.kind in ("place", "join_chain", "locate"):
            H.add_edge(e.firm, getattr(e, attr), kind, **{k: v for k, v in e.props.items() if v is not None})
        else:
            H.remove_edge(e.firm, getattr(e, attr), kind)


def _row(frame: pl.DataFrame, values: Mapping) -> pl.DataFrame:
    """One row with ``frame``'s types where it has the column (new columns typed by their value)."""
    cols = {}
    for k, v in values.items():
        dtype = frame.schema.get(k)
        cols[k] = pl.Series(k, [v], dtype=dtype) if dtype is not None else pl.Series(k, [v])
    return pl.DataFrame(cols)


def _edited_table(t: FirmTable, e: Edit) -> FirmTable:
    """A new table with one checked firm edit applied (the frames are never changed in place)."""
    nodes, rels = t.nodes, dict(t.rels)
    changed, order, pair = None, "same", None
    if e.kind == "add_firm":
        order = "appended"
        nodes = pl.concat([nodes, _row(nodes, {"id": e.firm, **e.props})], how="diagonal_relaxed")
    elif e.kind == "remove_firm":
        order = "removed"
        nodes = nodes.filter(pl.col("id") != e.firm)
        rels = {k: f.filter((pl.col("start") != e.firm) & (pl.col("end") != e.firm)) for k, f in rels.items()}
    elif e.kind == "set_firm":
        new = [k for k in e.props if k not in nodes.columns]
        row = _row(nodes, {"id": e.firm, **e.props})
        if new:
            nodes = nodes.with_columns(pl.lit(None, dtype=row.schema[k]).alias(k) for k in new)
        nodes = nodes.update(row, on="id", how="left", include_nulls=True)
    else:
        kind, attr, _ = _RELS[e.kind]
        changed, target = kind, getattr(e, attr)
        pair = (e.firm, target, e.kind in ("place", "join_chain", "locate"))
        frame = rels.get(kind, pl.DataFrame(schema={"start": pl.String, "end": pl.String}))
        if e.kind in ("place", "join_chain", "locate"):
            rels[kind] = pl.concat([frame, _row(frame, {"start": e.firm, "end": target, **e.props})],
                                   how="diagonal_relaxed")
        else:
            rels[kind] = frame.filter(~((pl.col("start") == e.firm) & (pl.col("end") == target)))
    return FirmTable(nodes, rels).carry(t, e.firm, changed, order, pair)
