"""A graph whose firms stay in columns: the *lean* graph of a large dataset.

At a million firms, a NetworkX node per firm and an edge per placement cost most of the time and
memory of a segment-level analysis (gaps, chokepoints, prospects), which only needs, per segment,
*which* firms are there and which of them are local. The lean graph is the usual ``MultiDiGraph``
without the firm nodes and without any relationship that has a firm at one end; the firms and
those relationships stay in polars frames in a :class:`FirmTable`, kept in
``G.graph["firms"]``. Helpers that read one node or one relationship (:func:`node_attrs`,
:func:`rel_attrs`) look there when the graph does not hold it, so a name or a fact's confidence
reads the same either way; analyses that need firms as nodes ask :meth:`FirmTable.materialize` for
the few they look at (the outside firms of a gap, with their neighbours).

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
    _sorted_rels: dict[str, pl.DataFrame] = field(default_factory=dict, init=False, repr=False)
    _materialized: set = field(default_factory=set, init=False, repr=False)
    _attrs: dict = field(default_factory=dict, init=False, repr=False)

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
            row = self.nodes.row(self._row_of[firm], named=True)
            d = self._attrs[firm] = {"label": FIRM, **{k: v for k, v in row.items() if k != "id" and v is not None}}
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

    def rel_attrs(self, kind: str, start, end) -> dict:
        """What ``G.edges[start, end, kind]`` holds in the full graph (KeyError if there is none)."""
        frame = self._sorted_rels.get(kind)
        if frame is None:
            frame = self.rels.get(kind, pl.DataFrame({"start": [], "end": []}, schema={"start": pl.String,
                                                                                          "end": pl.String}))
            frame = frame.with_columns(_key=pl.col("start") + "\x00" + pl.col("end")).sort("_key")
            self._sorted_rels[kind] = frame
        key = f"{start}\x00{end}"
        keys = frame.get_column("_key")
        i = keys.search_sorted(key, side="left")
        if i >= frame.height or keys[i] != key:
            raise KeyError((start, end, kind))
        row = frame.row(i, named=True)
        return {k: v for k, v in row.items() if k not in ("start", "end", "_key") and v is not None}

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

    def supplies_graph(self):
        """The SUPPLIES graph as a ``DiGraph``, built from the columns, its nodes and links in the order the
        full graph's ``supplies_graph`` has them (a supplier's links in the firm table's order, then by row)."""
        import networkx as nx

        frame = self.rels.get("SUPPLIES")
        if frame is None:
            return nx.DiGraph()
        order = self.nodes.select("id").with_row_index("_firm")
        frame = (frame.select("start", "end").with_row_index("_row").join(order, left_on="start", right_on="id")
                 .sort("_firm", "_row"))
        return nx.DiGraph(zip(frame.get_column("start").to_list(), frame.get_column("end").to_list(), strict=True))

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

    # -- confirmed facts only; firms as nodes -------------------------------------------------------

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

    def materialize(self, G, firms) -> None:
        """Add ``firms`` to ``G`` as the full graph has them: the nodes, every relationship they have, and
        the firms at the other end of those (as nodes, without their own relationships)."""
        wanted = pl.Series(sorted({f for f in firms if f in self and f not in self._materialized}), dtype=pl.String)
        if not wanted.len():
            return
        self._materialized.update(wanted.to_list())
        edges, ends = [], set(wanted.to_list())
        for kind, f in self.rels.items():
            hit = f.filter(pl.col("start").is_in(wanted.implode()) | pl.col("end").is_in(wanted.implode()))
            props = [c for c in hit.columns if c not in ("start", "end")]
            for r in hit.iter_rows():
                edges.append((r[0], r[1], kind, {k: v for k, v in zip(props, r[2:], strict=True) if v is not None}))
                ends.update(e for e in r[:2] if e in self)
        G.add_nodes_from((f, self.attrs(f)) for f in sorted(ends) if f not in G)
        G.add_edges_from(e for e in edges if not G.has_edge(e[0], e[1], e[2]))


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
