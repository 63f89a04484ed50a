"""A node's properties and neighbours as the explorer's pages read them, whichever graph form.

The explorer serves the lean graph (:mod:`chainkg.graph_model.firm_table`: firms and their
relationships in columns) so that 100k firms are read and analysed in seconds. A page asks for
one firm's segments, a district's firms, a firm's suppliers: :class:`Neighbours` answers from the
graph and, for a lean graph, from per-type indexes of the firm table's relationships built once
per snapshot (a dict look-up each, not a scan of the columns).
"""

from __future__ import annotations

import threading

import polars as pl

from ..analysis.views import in_by_type, nodes_by_label, out_by_type
from ..graph_model.firm_table import firm_table, node_attrs, rel_attrs


class Neighbours:
    """One graph's node look-ups (see the module's text); safe to share between request threads.

    >>> from chainkg.testing import tiny_graph
    >>> nb = Neighbours(tiny_graph({"K": [("S", "upstream")]}, firms={"A": (True, ["S"])}))
    >>> nb.out("A", "IN_SEGMENT"), nb.into("S", "IN_SEGMENT"), nb.label("A"), nb.has("B")
    (['S'], ['A'], 'Firm', False)
    """

    def __init__(self, G):
        self.G = G
        self.table = firm_table(G)
        self._out: dict[str, dict] = {}
        self._in: dict[str, dict] = {}
        self._lock = threading.Lock()

    def has(self, n) -> bool:
        return n in self.G._node or (self.table is not None and n in self.table)

    def attrs(self, n) -> dict:
        """The node's properties (``label`` included); KeyError for a node that is not there."""
        return node_attrs(self.G, n)

    def label(self, n) -> str | None:
        d = self.G._node.get(n)
        if d is not None:
            return d.get("label")
        return "Firm" if self.table is not None and n in self.table else None

    def rel(self, kind: str, start, end) -> dict:
        return rel_attrs(self.G, kind, start, end)

    def _index(self, kind: str) -> tuple[dict, dict]:
        if kind not in self._out:
            with self._lock:
                if kind not in self._out:
                    frame = self.table.rels.get(kind) if self.table is not None else None
                    self._in[kind], self._out[kind] = ((_grouped(frame, "end", "start"), _grouped(frame, "start", "end"))
                                                       if frame is not None else ({}, {}))
        return self._out[kind], self._in[kind]

    def warm(self, kinds=("IN_SEGMENT", "LOCATED_IN", "SUPPLIES", "INVESTS_IN", "HAS_PROJECT")) -> None:
        """Build the indexes the pages use now (start-up), not on a first visit."""
        for k in kinds:
            self._index(k)

    def out(self, n, kind: str) -> list:
        """Ends of ``n``'s relationships of type ``kind``, sorted (as :func:`~chainkg.analysis.views.out_by_type`)."""
        here = out_by_type(self.G, n, kind) if n in self.G._node else []
        return sorted({*here, *self._index(kind)[0].get(n, ())})

    def into(self, n, kind: str) -> list:
        """Starts of the relationships of type ``kind`` that end at ``n``, sorted."""
        here = in_by_type(self.G, n, kind) if n in self.G._node else []
        return sorted({*here, *self._index(kind)[1].get(n, ())})

    def firms(self) -> list:
        """Every firm's id (graph order, then the table's)."""
        ids = nodes_by_label(self.G, "Firm")
        if self.table is not None:
            known = set(ids)  # firms a finding added to the graph are in the table too
            ids += [f for f in self.table.nodes.get_column("id").to_list() if f not in known]
        return ids

    def local_firm_count(self) -> int:
        if self.table is not None:
            return len(self.table.local_ids())
        return sum(1 for f in nodes_by_label(self.G, "Firm") if self.G.nodes[f].get("local") is True)


def _grouped(frame, key: str, value: str) -> dict:
    """``key`` -> its ``value``s, from a frame's two columns (grouped in polars, not row by row)."""
    g = frame.group_by(key, maintain_order=True).agg(pl.col(value))
    return dict(zip(g.get_column(key).to_list(), g.get_column(value).to_list(), strict=True))


def updated(nb: Neighbours, G, firms) -> Neighbours:
    """``nb``'s look-ups for ``G``, which is ``nb.G`` with only ``firms``' own relationships changed (a staff
    correction: :func:`chainkg.api.apply_changes`): the indexes already built are carried over, the entries
    of ``firms`` (and of the nodes they point to) redone from ``G``'s firm table. ``nb`` is left as it was.

    >>> from chainkg.testing import tiny_graph
    >>> from chainkg.graph_model.edits import edited_graph
    >>> G = tiny_graph({"K": [("S", "upstream"), ("T", "midstream")]}, firms={"A": (True, ["S"])})
    >>> nb = Neighbours(G)
    >>> new = updated(nb, edited_graph(G, [{"kind": "place", "firm": "A", "segment": "T"}]), ["A"])
    >>> new.out("A", "IN_SEGMENT"), new.into("T", "IN_SEGMENT"), nb.out("A", "IN_SEGMENT")
    (['S', 'T'], ['A'], ['S'])
    """
    new = Neighbours(G)
    firms = set(firms)
    with nb._lock:
        built = list(nb._out)
    for kind in built:
        out, into = nb._out[kind], nb._in[kind]
        frame = new.table.rels.get(kind) if new.table is not None else None
        mine = frame.filter(pl.col("start").is_in(list(firms))) if frame is not None else None
        now: dict = {}
        if mine is not None:
            for s, e in zip(mine.get_column("start").to_list(), mine.get_column("end").to_list(), strict=True):
                now.setdefault(s, []).append(e)
        if all(sorted(out.get(f, ())) == sorted(now.get(f, ())) for f in firms):
            new._out[kind], new._in[kind] = out, into  # unchanged: shared (never changed in place)
            continue
        out, into = dict(out), dict(into)
        for f in firms:
            for e in out.pop(f, ()):
                into[e] = [x for x in into.get(e, ()) if x != f]
            if f in now:
                out[f] = now[f]
                for e in now[f]:
                    into[e] = [*into.get(e, ()), f]
        new._out[kind], new._in[kind] = out, {e: v for e, v in into.items() if v}
    return new
