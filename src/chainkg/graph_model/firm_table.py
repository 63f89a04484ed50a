"""A graph whose firms stay in columns: the *lean* graph of a large dataset.

At a million firms, a NetworkX node per firm and an edge per placement cost most of the time and
memory of a segment-level analysis (gaps, chokepoints, prospects), which only needs, per segment,
*which* firms are there and which of them are local. The lean graph is the usual ``MultiDiGraph``
without the firm nodes and without any relationship that has a firm at one end; the firms and
those relationships stay in polars frames in a :class:`FirmTable`, kept in
``G.graph["firms"]``. Helpers that read one node or one relationship (:func:`node_attrs`,
:func:`rel_attrs`) look there when the graph does not hold it, so a name or a fact's confidence
reads the same either way, and :func:`chainkg.analysis.views.out_by_type` / ``in_by_type`` /
``nodes_by_label`` include the table's firms and relationships; measures over firms read columns
(:meth:`FirmTable.values`, :meth:`FirmTable.local_ids`) or the SUPPLIES graph built from arrays.

The same answers as the full graph: ``tests/test_lean.py`` compares every segment-level finding.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import polars as pl

FIRM = "Firm"
#: relationship types whose rows say where a firm is: placement in a link, membership of a chain
PLACEMENT, MEMBERSHIP = "IN_SEGMENT", "IN_CHAIN"


def _inferred(frame: pl.DataFrame) -> pl.Expr:
    """The row is an inferred fact: confidence ``inferred``, or a figure the data derived."""
    e = pl.lit(False)
    if "confidence" in frame.columns:
        e = e | (pl.col("confidence") == "inferred").fill_null(False)
    if "derived" in frame.columns:
        e = e | pl.col("derived").fill_null(False).cast(pl.Boolean)
    return e


@dataclass
class FirmTable:
    """The firms (``nodes``: ``id`` and the properties the graph node would have) and every
    relationship with a firm at one end (``rels``: type -> frame of ``start``, ``end`` and the
    relationship's properties), in the dataset's order."""
    nodes: pl.DataFrame
    rels: dict[str, pl.DataFrame] = field(default_factory=dict)
    _sorted_rels: dict[str, dict] = field(default_factory=dict, init=False, repr=False)  # type -> (start, end) -> row
    _attrs: dict = field(default_factory=dict, init=False, repr=False)
    _by_end: dict = field(default_factory=dict, init=False, repr=False)
    _inferred_sets: dict = field(default_factory=dict, init=False, repr=False)

    # -- one firm, one relationship ---------------------------------------------------------------

    @cached_property
    def _row_of(self) -> dict[str, int]:
        return {f: i for i, f in enumerate(self.nodes.get_column("id").to_list())}

    def __contains__(self, firm) -> bool:
        return firm in self._row_of

    def __len__(self) -> int:
        return self.nodes.height

    def attrs(self, firm) -> dict:
        """What ``G.nodes[firm]`` holds in the full graph: ``label`` and the non-empty properties."""
        d = self._attrs.get(firm)
        if d is None:
            row = self.nodes.row(self._row_of[firm])  # a tuple: a named row reads the column names every time
            d = self._attrs[firm] = {"label": FIRM, **{k: v for k, v in zip(self._columns, row, strict=True)
                                                       if k != "id" and v is not None}}
        return d

    def names(self, firms, lang: str = "zh") -> list[str]:
        """:meth:`name` of each of ``firms`` (a join: a KeyError for an id that is not a firm's)."""
        firms = pl.Series("id", list(firms), dtype=pl.String)
        cols = [c for c in ("name", "name_en") if c in self.nodes.columns]
        found = firms.to_frame().join(self.nodes.select("id", *cols).with_columns(_found=pl.lit(True)), on="id",
                                      how="left", maintain_order="left")
        if not found.get_column("_found").fill_null(False).all():
            raise KeyError(found.filter(pl.col("_found").is_null()).get_column("id")[0])
        order = [c for c in (("name", "name_en") if lang == "zh" else ("name_en", "name")) if c in cols]
        return found.select(pl.coalesce(*[pl.when(pl.col(c) != "").then(pl.col(c)) for c in order], "id")).to_series().to_list()

    def name(self, firm, lang: str = "zh") -> str:
        """The firm's name in ``lang``, falling back to the other language, then the id."""
        d = self.attrs(firm)
        first, second = ("name", "name_en") if lang == "zh" else ("name_en", "name")
        return d.get(first) or d.get(second) or str(firm)

    @cached_property
    def _columns(self) -> list[str]:
        return self.nodes.columns

    def _rel_index(self, kind: str) -> dict:
        """(start, end) -> row of the ``kind`` relationships, built once per type: findings look up thousands."""
        index = self._sorted_rels.get(kind)
        if index is None:
            frame = self.rels.get(kind)
            index = self._sorted_rels[kind] = {} if frame is None else dict(zip(
                zip(frame.get_column("start").to_list(), frame.get_column("end").to_list(), strict=True),
                range(frame.height), strict=True))
        return index

    def rel_attrs(self, kind: str, start, end) -> dict:
        """What ``G.edges[start, end, kind]`` holds in the full graph (KeyError if there is none)."""
        i = self._rel_index(kind).get((start, end))
        if i is None:
            raise KeyError((start, end, kind))
        frame = self.rels[kind]
        return {k: v for k, v in zip(frame.columns, frame.row(i), strict=True) if k not in ("start", "end") and v is not None}

    def inferred(self, fact) -> bool | None:
        """Whether a fact the table holds (``("node", firm)`` or ``("rel", type, start, end)``) is inferred
        (confidence ``inferred`` or derived), from sets built once; None for a fact that is not the table's."""
        if fact[0] == "node":
            if fact[1] not in self:
                return None
            ids = self._inferred_sets.get(None)
            if ids is None:
                ids = self._inferred_sets[None] = set(self.nodes.filter(_inferred(self.nodes)).get_column("id").to_list())
            return fact[1] in ids
        _, kind, start, end = fact
        frame = self.rels.get(kind)
        if frame is None:
            return None
        pairs = self._inferred_sets.get(kind)
        if pairs is None:
            hit = frame.filter(_inferred(frame))
            pairs = self._inferred_sets[kind] = set(zip(hit.get_column("start").to_list(),
                                                        hit.get_column("end").to_list(), strict=True))
        if (start, end) in pairs:
            return True
        return False if (start, end) in self._rel_index(kind) else None

    def ends(self, kind: str, node, side: str = "start") -> list:
        """The other ends of the ``kind`` relationships whose ``side`` (start or end) is ``node``, in
        id order (from an index built once per type and side)."""
        frame = self.rels.get(kind)
        if frame is None:
            return []
        key = (kind, side)
        by = self._by_end.get(key)
        if by is None:
            other = "end" if side == "start" else "start"
            grouped = frame.select(side, other).sort(side, other).group_by(side, maintain_order=True).agg(other)
            by = self._by_end[key] = dict(zip(grouped.get_column(side).to_list(), grouped.get_column(other).to_list(),
                                              strict=True))
        return list(by.get(node, ()))

    def values(self, firms, column: str) -> dict:
        """Firm -> its ``column`` value, for those of ``firms`` that have one (one join, not a look-up each)."""
        if column not in self.nodes.columns:
            return {}
        ids = pl.Series("id", list(firms), dtype=pl.String)
        found = (self.nodes.lazy().filter(pl.col("id").is_in(ids.implode()) & pl.col(column).is_not_null())
                 .select("id", column).collect())
        return dict(zip(found.get_column("id").to_list(), found.get_column(column).to_list(), strict=True))

    def ids(self) -> list:
        """Every firm, in the dataset's order."""
        return self.nodes.get_column("id").to_list()

    # -- where the firms are ----------------------------------------------------------------------

    def _local(self, inside: set | None) -> pl.DataFrame:
        """``id`` of the firms that count as local (``local`` true, and located in ``inside`` if given)."""
        firms = self.nodes.lazy().filter(pl.col("local").fill_null(False) if "local" in self.nodes.columns
                                         else pl.lit(False)).select("id")
        if inside is not None:
            located = self.rels.get("LOCATED_IN")
            there = (located.lazy().filter(pl.col("end").is_in(list(inside))).select(pl.col("start").alias("id"))
                     .unique() if located is not None else pl.LazyFrame({"id": []}, schema={"id": pl.String}))
            firms = firms.join(there, on="id", how="semi")
        return firms.collect()

    def memberships(self, chains: set, inside: set | None = None) -> tuple[dict, dict, dict, dict, dict]:
        """(segment -> firms, segment -> local firms, chain -> firms, chain -> local firms) as sets of ids,
        chain memberships only for ``chains``; and segment -> its local firms in the order
        :func:`chainkg.analysis.basis.status_support` picks them: fewest inferred facts first (the firm,
        its placement there), then by id."""
        local = self._local(inside).lazy().with_columns(_local=pl.lit(True))
        firm_cost = self.nodes.lazy().select("id", _inferred(self.nodes).cast(pl.Int32).alias("_fc"))
        out: list[dict] = []
        for kind in (PLACEMENT, MEMBERSHIP):
            frame = self.rels.get(kind)
            if frame is None:
                out += [{}, {}] + ([{}] if kind == PLACEMENT else [])
                continue
            lazy = frame.lazy()
            if kind == MEMBERSHIP:
                lazy = lazy.filter(pl.col("end").is_in(pl.Series(list(chains), dtype=pl.String).implode()))
            lazy = (lazy.select("start", "end", _inferred(frame).cast(pl.Int32).alias("_pc"))
                    .join(local, left_on="start", right_on="id", how="left", maintain_order="left")
                    .join(firm_cost, left_on="start", right_on="id", how="left", maintain_order="left")
                    .with_columns(pl.col("_local").fill_null(False), _cost=pl.col("_fc") + pl.col("_pc")))
            grouped = lazy.sort("_cost", "start").group_by("end").agg(  # a group keeps its rows' order
                pl.col("start").alias("all"), pl.col("start").filter(pl.col("_local")).alias("local")).collect()
            ends = grouped.get_column("end").to_list()
            every, locals_ = grouped.get_column("all").to_list(), grouped.get_column("local").to_list()
            out.append({e: set(a) for e, a in zip(ends, every, strict=True)})
            out.append({e: set(a) for e, a in zip(ends, locals_, strict=True) if a})
            if kind == PLACEMENT:
                out.append({e: a for e, a in zip(ends, locals_, strict=True) if a})
        return out[0], out[1], out[3], out[4], out[2]

    def ranked(self, local_in: dict) -> dict[str, list]:
        """Each segment of ``local_in`` (segment -> its local firms) -> those firms in the order
        :meth:`memberships` ranks them (fewest inferred facts first, then by id): the re-ranking of the few
        segments an edit touches, one filter over the placements."""
        pairs = pl.DataFrame({"end": [s for s, fs in local_in.items() for _ in fs],
                              "start": [f for fs in local_in.values() for f in fs]},
                             schema={"end": pl.String, "start": pl.String})
        frame = self.rels.get(PLACEMENT)
        if frame is None or not pairs.height:
            return {}
        placed = (frame.lazy().filter(pl.col("end").is_in(pairs.get_column("end").unique().implode()))
                  .select("start", "end", _inferred(frame).cast(pl.Int32).alias("_pc")))
        firm_cost = (self.nodes.lazy().filter(pl.col("id").is_in(pairs.get_column("start").unique().implode()))
                     .select("id", _inferred(self.nodes).cast(pl.Int32).alias("_fc")))
        grouped = (pairs.lazy().join(placed, on=["start", "end"], how="inner")
                   .join(firm_cost, left_on="start", right_on="id", how="inner")
                   .with_columns(_cost=pl.col("_fc") + pl.col("_pc")).sort("_cost", "start")
                   .group_by("end").agg(pl.col("start")).collect())
        return dict(zip(grouped.get_column("end").to_list(), grouped.get_column("start").to_list(), strict=True))

    def carry(self, old: FirmTable, firm, changed_kind: str | None, order: str, pair=None) -> FirmTable:
        """This table (``old`` with one edit to ``firm``) with ``old``'s look-up caches kept where the edit
        leaves them right: the row numbers (``order``: ``same``, ``appended`` or ``removed``), the
        properties read of other firms, the indices of other relationship types; for a relationship made
        or taken back (``pair``: (start, end, made)), its type's indices updated for that one pair rather
        than built again (an edit at 100k firms stays in milliseconds). Returns ``self``."""
        rows = old.__dict__.get("_row_of")
        if rows is not None:
            if order == "same":
                self.__dict__["_row_of"] = rows
            elif order == "appended":
                self.__dict__["_row_of"] = {**rows, firm: len(rows)}
            else:
                gone = rows[firm]
                self.__dict__["_row_of"] = {f: i - (i > gone) for f, i in rows.items() if f != firm}
        self._attrs.update((f, d) for f, d in old._attrs.items() if f != firm)
        if order == "removed":
            return self
        self._sorted_rels.update((k, f) for k, f in old._sorted_rels.items() if k != changed_kind)
        self._by_end.update((k, f) for k, f in old._by_end.items() if k[0] != changed_kind)
        # the inferred firms change only with a firm's own row (changed_kind None), a type's pairs with it
        self._inferred_sets.update((k, v) for k, v in old._inferred_sets.items()
                                   if (k is None and changed_kind is not None) or (k is not None and k != changed_kind))
        if pair is not None and changed_kind is not None:
            self._carry_pair(old, changed_kind, *pair)
        return self

    def _carry_pair(self, old: FirmTable, kind: str, start, end, made: bool) -> None:
        """``old``'s indices of ``kind`` with the one pair made (appended as the last row) or taken back."""
        index = old._sorted_rels.get(kind)
        if index is not None:
            if made:
                self._sorted_rels[kind] = {**index, (start, end): self.rels[kind].height - 1}
            else:
                gone = index[(start, end)]
                self._sorted_rels[kind] = {k: i - (i > gone) for k, i in index.items() if k != (start, end)}
        for side, at, to in (("start", start, end), ("end", end, start)):
            by = old._by_end.get((kind, side))
            if by is not None:
                ends = [x for x in by.get(at, ()) if x != to] + ([to] if made else [])
                by = dict(by)
                if ends:
                    by[at] = sorted(ends)
                else:
                    by.pop(at, None)
                self._by_end[(kind, side)] = by
        pairs = old._inferred_sets.get(kind)
        if pairs is not None:
            last = self.rels[kind].tail(1)
            inferred = made and bool(last.select(_inferred(last)).item())
            self._inferred_sets[kind] = (pairs | {(start, end)}) if inferred else (pairs - {(start, end)})

    def supplies_graph(self):
        """The SUPPLIES graph as a ``DiGraph``, built from the columns, its nodes and links in the order the
        full graph's ``supplies_graph`` has them (a supplier's links in the firm table's order, then by row)."""
        import networkx as nx

        return nx.DiGraph(zip(*self.supplies_pairs(), strict=True))

    def supplies_pairs(self) -> tuple[list, list]:
        """(suppliers, customers) of the SUPPLIES links in :meth:`supplies_graph`'s order."""
        frame = self.rels.get("SUPPLIES")
        if frame is None:
            return [], []
        order = self.nodes.select("id").with_row_index("_firm")
        frame = (frame.select("start", "end").with_row_index("_row").join(order, left_on="start", right_on="id")
                 .sort("_firm", "_row"))
        return frame.get_column("start").to_list(), frame.get_column("end").to_list()

    def local_ids(self) -> set:
        """The firms whose ``local`` is true."""
        return set(self._local(None).get_column("id").to_list())

    def chain_placements(self, segments_of: dict[str, list]) -> pl.DataFrame:
        """Every way a firm is in a chain: ``firm``, ``chain``, ``kind``, ``target``, ``inferred``."""
        chain_of = pl.DataFrame({"target": [s for segs in segments_of.values() for s in segs],
                                 "chain": [c for c, segs in segments_of.items() for _ in segs]},
                                schema={"target": pl.String, "chain": pl.String})
        parts = []
        if PLACEMENT in self.rels:
            f = self.rels[PLACEMENT]
            parts.append(f.select(pl.col("start").alias("firm"), pl.col("end").alias("target"),
                                  _inferred(f).alias("inferred")).join(chain_of, on="target")
                         .select("firm", "chain", pl.lit(PLACEMENT).alias("kind"), "target", "inferred"))
        if MEMBERSHIP in self.rels:
            f = self.rels[MEMBERSHIP]
            parts.append(f.filter(pl.col("end").is_in(list(segments_of))).select(
                pl.col("start").alias("firm"), pl.col("end").alias("chain"), pl.lit(MEMBERSHIP).alias("kind"),
                pl.col("end").alias("target"), _inferred(f).alias("inferred")))
        if not parts:
            return pl.DataFrame(schema={"firm": pl.String, "chain": pl.String, "kind": pl.String,
                                        "target": pl.String, "inferred": pl.Boolean})
        return pl.concat(parts)

    def inferred_firms(self, firms: pl.Series) -> pl.Series:
        """Those of ``firms`` whose own row is inferred."""
        return self.nodes.filter(pl.col("id").is_in(firms.implode()) & _inferred(self.nodes)).get_column("id")

    # -- confirmed facts only -------------------------------------------------------

    def confirmed(self, keep) -> FirmTable:
        """The table without inferred firms and inferred relationships, and without relationships whose
        other end is not in ``keep`` (the confirmed graph's nodes)."""
        nodes = self.nodes.filter(~_inferred(self.nodes))
        firms = nodes.get_column("id").implode()
        others = pl.Series(list(keep), dtype=pl.String).implode()
        rels = {}
        for kind, f in self.rels.items():
            ok = ~_inferred(f) & ((pl.col("start").is_in(firms) & (pl.col("end").is_in(firms) | pl.col("end").is_in(others)))
                                  | (pl.col("end").is_in(firms) & pl.col("start").is_in(others)))
            rels[kind] = f.filter(ok)
        return FirmTable(nodes, rels)


def firm_table(G) -> FirmTable | None:
    """The graph's firm table if it is a lean graph, else None."""
    return G.graph.get("firms")


def node_attrs(G, node) -> dict:
    """``G.nodes[node]``, or the firm's properties when a lean graph holds it in its table."""
    d = G._node.get(node)
    if d is not None:
        return d
    table = G.graph.get("firms")
    if table is not None and node in table:
        return table.attrs(node)
    return G.nodes[node]  # the graph's own KeyError


def rel_attrs(G, kind: str, start, end) -> dict:
    """``G.edges[start, end, kind]``, or the relationship's properties from a lean graph's firm table."""
    try:
        return G.edges[start, end, kind]
    except KeyError:
        table = G.graph.get("firms")
        if table is None:
            raise
        return table.rel_attrs(kind, start, end)


def has_firm(G, node) -> bool:
    """Whether ``node`` is a firm of ``G`` (a node labelled Firm, or a row of a lean graph's table)."""
    d = G._node.get(node)
    if d is not None:
        return d.get("label") == FIRM
    table = G.graph.get("firms")
    return table is not None and node in table


def firm_places(G, firm, kind: str) -> list:
    """The ends of ``firm``'s relationships of type ``kind`` (IN_SEGMENT, IN_CHAIN, LOCATED_IN …); empty
    for a firm that is not there."""
    table = G.graph.get("firms")
    if table is not None and firm not in G._node:
        return table.ends(kind, firm, "start")
    if firm not in G._node:
        return []
    return [v for v, keys in G._succ[firm].items() if kind in keys]
