"""The validator: every table of a dataset checked a column at a time, with polars.

Every input kind (a folder of CSV files, a workbook, YAML or JSON records) comes here as the same frames
(:mod:`.readers`), and every problem is named with its file, sheet, row, column and value, in the words of
:func:`.problems.text` (Chinese in :mod:`.messages`):

* every cell check comes from the declared pydantic row model (:func:`row_model`): a vectorised
  expression per column kind *accepts* the cells it is sure of (plain numbers, yes/no words,
  enum spellings, GB 32100 credit codes with their check digit, ISO dates ...); any cell it
  does not accept, and every cell that is not text (a workbook's number or date, a YAML list), goes
  through the model's own converter, cell by cell, which gives either the value or the exact error
  text. Bad cells are rare, so the slow path costs nothing on good data;
* duplicate ids, references, self links, repeated pairs and firms without a segment are joins
  and group-bys over whole columns;
* the dataset's rows stay in the frames: :attr:`ColumnarReport.dataset` builds the
  :class:`Dataset` objects only when a caller asks for them (and then lets the frames go), and
  :meth:`ColumnarReport.lean_graph` builds the graph with the firms in columns straight from them.

tests/row_oracle.py keeps the row reader this replaced, as the oracle: tests/test_columnar.py asserts
the same problems (every field, same order) and the same dataset on many bad inputs of every kind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
from pydantic_core import PydanticCustomError

from ..graph_model.records import Dataset, Node, Origin, Problem, Rel, Row, row_model
from ..graph_model.schema import (
    TABLE_BY_NAME,
    TABLE_OF_LABEL,
    Column,
    EdgeTable,
    NodeTable,
    RuleTable,
    Table,
    header_aliases,
    table_aliases,
)
from ..graph_model.values import CONTROL_CHARACTERS, FALSE, TRUE, as_text, enum_lookup
from ..safety import restore
from . import problems as P
from .dataset import iter_raw_tables, resolve_dataset
from .problems import EMPTY_TERMS, HINTS, NOTES_SHEETS, UNREADABLE, ProblemsReport, feeds_cycle_problems, milestone_problems
from .readers import IDX as _IDX
from .readers import ROW as _ROW
from .readers import WHITESPACE, RawFrame

__all__ = ["WHITESPACE", "ColumnarReport", "accept", "read_columnar", "uscc_check_ok"]

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_NUMBER = r"^[0-9.eE+-]+$"  # with a successful cast: a plain decimal number Python's float() reads the same
_DATE = r"^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"
_USCC = r"^[0-9]{8}[0-9A-HJ-NPQRTUWXY]{10}$"


# -- cell checks ---------------------------------------------------------------------------------

def _stripped(col: str, chars: str | None = WHITESPACE) -> pl.Expr:
    """The cell as ``str.strip()`` leaves it, empty as null; ``chars=None``: polars' own whitespace set,
    the same but for \\x1c-\\x1f (used when the file has none of those)."""
    s = pl.col(col).str.strip_chars(chars)
    return pl.when(s.str.len_bytes() > 0).then(s).otherwise(None)


def _number(s: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    t = s.str.replace_all(",", "", literal=True).str.replace_all("，", "", literal=True)
    v = t.cast(pl.Float64, strict=False)
    return v, t.str.contains(_NUMBER) & v.is_not_null() & v.is_finite() & (v >= 0)


_USCC_INDEX = np.full(256, -1, dtype=np.int64)
_USCC_INDEX[np.frombuffer(USCC_ALPHABET.encode(), dtype=np.uint8)] = np.arange(len(USCC_ALPHABET))


def uscc_check_ok(codes: pl.Series) -> pl.Series:
    """Whether each 18-character code (already of the right form) ends in its GB 32100-2015 check
    character: the codes as one byte matrix, the weighted sum as a matrix product.

    >>> uscc_check_ok(pl.Series(["91110000600037341L", "91110000600037341X"])).to_list()
    [True, False]
    """
    if codes.len() == 0:
        return pl.Series(codes.name, [], dtype=pl.Boolean)
    raw = np.frombuffer(codes.str.join("").item().encode("ascii"), dtype=np.uint8).reshape(-1, 18)
    values = _USCC_INDEX[raw]
    check = (31 - values[:, :17] @ np.array(USCC_WEIGHTS, dtype=np.int64)) % 31
    return pl.Series(codes.name, check == values[:, 17])


def accept(kind: str, enum: str | None, s: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """(value, accepted) for a stripped, non-empty cell: ``accepted`` only where the row model's
    converter surely gives ``value``; every other cell is left to the converter itself."""
    if kind in ("id", "ref", "text"):  # a control character: the converter names it
        return s, ~s.str.contains(CONTROL_CHARACTERS)
    if kind == "bool":
        words = {**{w: True for w in TRUE}, **{w: False for w in FALSE}}
        value = s.str.to_lowercase().replace_strict(words, default=None, return_dtype=pl.Boolean)
        return value, value.is_not_null()
    if kind == "number":
        v, ok = _number(s)
        return v, ok
    if kind == "int":
        v, ok = _number(s)
        ok = ok & (v == v.floor()) & (v < 2 ** 53)
        return v.cast(pl.Int64, strict=False), ok
    if kind == "date":
        ok = s.str.contains(_DATE) & ((s.str.len_bytes() != 10) | s.str.strptime(pl.Date, "%Y-%m-%d", strict=False)
                                      .is_not_null())
        return s, ok
    if kind == "list":
        parts = s.str.replace_all("[；、]", ";").str.split(";")
        value = parts.list.eval(pl.element().str.strip_chars(WHITESPACE)).list.eval(
            pl.element().filter(pl.element().str.len_bytes() > 0))
        return value, ~s.str.contains(CONTROL_CHARACTERS)
    if kind == "enum":
        value = s.str.to_lowercase().replace_strict(enum_lookup(enum), default=None, return_dtype=pl.String)
        return value, value.is_not_null()
    if kind == "credit_code":  # the check digit comes after, on the rows that pass this (see _check_cells)
        return s, s.str.contains(_USCC)
    return pl.lit(None), pl.lit(False)  # a kind without a fast path: every cell through the model's converter


# -- one table -------------------------------------------------------------------------------------

Where = tuple[str, str | None]  # (file, sheet) of a table

@dataclass
class _Table:
    """One validated table: its rows as a frame (converted ``<col>``, ``_idx``, ``_row``, ``_ok``)."""
    seq: int
    table: NodeTable | EdgeTable | RuleTable
    file: str
    sheet: str | None
    header_of: dict[str, str]
    df: pl.DataFrame
    dups: pl.Series | None = None  # node tables: _idx of valid rows whose id was used before (rule tables:
    # rows a rule check or a reference refused)
    rels: list[_Rels] = field(default_factory=list)

    @property
    def where(self) -> Where:
        return self.file, self.sheet

    def node_props(self) -> list[str]:
        """A node table's property columns the file has (not the id, not the foreign keys)."""
        fks = {fk.column for fk in self.table.foreign_keys}
        return [c.name for c in self.table.columns if c.name in self.header_of and c.name not in fks | {"id"}]

    def rel_frames(self):
        """(relationships, property columns, frame of ``_row``, ``start``, ``end`` and the properties) of
        each kind of relationship the table makes; a repeated pair is one row, its properties the first
        non-empty value in row order, as the row reader merges them."""
        props = [c for c in _rel_prop_columns(self.table) if c in self.df.columns]
        for r in self.rels:
            part = r.frame.join(self.df.select(_IDX, *props), on=_IDX, how="left", maintain_order="left")
            if not part["first"].all():
                merged = part.group_by("start", "end", maintain_order=True).agg(
                    *[pl.col(c).drop_nulls().first() for c in props])
                part = part.filter("first").select(_ROW, "start", "end").join(
                    merged, on=["start", "end"], how="left", maintain_order="left")
            yield r, props, part.select(_ROW, "start", "end", *props)

    def valid(self, first_only: bool = True) -> pl.DataFrame:
        """The rows without errors (and, for a node table, not repeating an earlier id)."""
        df = self.df.filter("_ok")
        if first_only and self.dups is not None and self.dups.len():
            df = df.filter(~pl.col(_IDX).is_in(self.dups.implode()))
        return df


@dataclass
class _Rels:
    """The accepted relationships one foreign key or edge table makes: ``_idx``, ``_row``, start, end, first."""
    sub: int  # a node table's foreign keys, in declared order
    type: str
    frame: pl.DataFrame


@dataclass
class _Problems:
    """Problems in the row reader's emission order: a list per phase, sorted the same way at the end."""
    items: list[Problem] = field(default_factory=list)

    def add(self, severity: str, code: str, where: Where, row: int | None, column: str | None, value: Any,
            message: str, hint: str | None = None) -> None:
        self.items.append(Problem(severity, code, where[0], where[1], row, column, value, message, hint))

    def texts(self, severity: str, code: str, where: Where, df: pl.DataFrame, column: str | None,
              value_col: str | None, words: Callable[[dict], tuple[str, str | None]]) -> None:
        """One problem per row of ``df`` (which has ``_row`` and the columns ``words`` uses); ``words(row)``
        gives its (message, hint), from :func:`.problems.text`."""
        for r in df.iter_rows(named=True):
            self.add(severity, code, where, r[_ROW], column, r[value_col] if value_col else None, *words(r))


def _header_problems(p: _Problems, table: Table, where: Where, headers: list[str]) -> dict[str, str]:
    """The header checks; column -> header as written."""
    aliases = header_aliases(table)
    header_of: dict[str, str] = {}
    for h in headers:
        if not h:
            continue
        col = aliases.get(h.casefold())
        if col is None:
            p.add("warning", "unknown_column", where, 1, h, None,
                  *P.text("unknown_column", header=h, table=table.table, known=", ".join(c.name for c in table.columns)))
        elif col in header_of:
            p.add("error", "duplicate_column", where, 1, h, None, *P.text("duplicate_column", first=header_of[col], header=h,
                                                                           column=col))
        else:
            header_of[col] = h
    missing = [c for c in table.columns if c.required and c.name not in header_of]
    for c in missing:
        p.add("error", "missing_column", where, 1, c.name, None, *P.text("missing_column", column=c.name, zh=c.zh,
                                                                         table=table.table))
    return header_of


def _restored(df: pl.DataFrame, raw: str) -> pl.Series | None:
    """The column with the cells a writer neutralised ('=...) restored (:func:`restore`: rare, so in Python),
    or None when it has none."""
    quoted = df.select(pl.col(raw).str.starts_with("'").fill_null(False).arg_true())[raw]
    if not quoted.len():
        return None
    series = df[raw].clone()
    series.scatter(quoted, [restore(v) for v in df[raw].gather(quoted).to_list()])
    return series


def _check_cells(p: _Problems, table: Table, raw: RawFrame, header_of: dict[str, str]) -> tuple[pl.DataFrame, pl.Series]:
    """Every cell through its column's check; the frame of converted values with ``_ok`` per row,
    and the ids of rows with errors."""
    df, where, chars = raw.df, (raw.file, raw.sheet), raw.chars
    raw_cols = [c for c in df.columns if c.startswith("column_")]
    position = {h: i for i, h in enumerate(raw.headers)}
    cols = [c for c in table.columns if c.name in header_of]
    source = {c.name: raw_cols[position[header_of[c.name]]] for c in cols}  # column -> its cells' column
    typed = {c.name: raw.typed[position[header_of[c.name]]] for c in cols if position[header_of[c.name]] in raw.typed}
    exprs = []
    for c in cols:
        value, ok = accept(c.kind, c.enum, pl.col(f"_raw_{c.name}"))
        if c.name in typed:  # a cell that is not text: its value through the converter, below
            ok = ok & ~pl.col(_IDX).is_in(pl.Series(list(typed[c.name]), dtype=pl.UInt32).implode())
        exprs.append(pl.when(pl.col(f"_raw_{c.name}").is_not_null() & ok).then(value).otherwise(None).alias(c.name))
    if not raw.restored:
        for c in cols:
            if (series := _restored(df, source[c.name])) is not None:
                df = df.with_columns(series.alias(f"_restored_{c.name}"))
                source[c.name] = f"_restored_{c.name}"
    nonempty = [] if raw.kept else [
        pl.any_horizontal(*[_stripped(c, chars).is_not_null() for c in raw_cols], pl.lit(False)).alias("_ne")]
    df = df.lazy().select(_IDX, _ROW, *[_stripped(source[c.name], chars).alias(f"_raw_{c.name}") for c in cols],
                          *nonempty).collect()
    if nonempty:
        if not df["_ne"].all():  # rows whose cells are all empty are skipped (numbering goes on)
            df = df.filter("_ne")
        df = df.drop("_ne")
    df = df.lazy().with_columns(exprs).collect()
    model = row_model(table.table)
    for c in cols:
        if c.kind == "credit_code":  # the check digit of the codes of the right form
            shaped = df.select(_IDX, c.name).filter(pl.col(c.name).is_not_null())
            wrong = shaped.filter(~uscc_check_ok(shaped[c.name]))[_IDX]
            if wrong.len():
                df = df.with_columns(pl.when(pl.col(_IDX).is_in(wrong.implode())).then(None)
                                     .otherwise(pl.col(c.name)).alias(c.name))
    errors: list[tuple[int, int, Problem]] = []  # (idx, column position, problem)
    bad_rows: set[int] = set()
    # one pass to learn which columns have empty required cells or cells the fast path left
    tally = df.select(*[pl.col(f"_raw_{c.name}").is_null().any().alias(f"e_{c.name}") for c in cols],
                      *[(pl.col(f"_raw_{c.name}").is_not_null() & pl.col(c.name).is_null()).any().alias(f"f_{c.name}")
                        for c in cols]).row(0, named=True) if cols else {}
    for pos, c in enumerate(table.columns):
        header = header_of.get(c.name, c.name)
        if c.name not in header_of:
            if c.required:  # a missing column: every row fails, its problem is the header's
                bad_rows.update(df[_IDX].to_list())
            continue
        cell = pl.col(f"_raw_{c.name}")
        if c.required and tally[f"e_{c.name}"]:
            for idx, row in df.filter(cell.is_null()).select(_IDX, _ROW).iter_rows():
                bad_rows.add(idx)
                errors.append((idx, pos, Problem("error", "missing_value", where[0], where[1], row, header, None,
                                                 *P.text("missing_value", header=header))))
        if tally[f"f_{c.name}"]:
            df = _convert(df, c, model.model_fields[c.name].metadata[0].func, typed.get(c.name, {}), where, header, pos,
                          errors, bad_rows)
    errors.sort(key=lambda e: (e[0], e[1]))
    p.items.extend(e[2] for e in errors)
    ok = pl.col(_IDX).is_in(pl.Series(sorted(bad_rows), dtype=pl.UInt32).implode()).not_() if bad_rows else pl.lit(True)
    df = df.with_columns(ok.alias("_ok"))
    # ids of rejected rows (references to them are not reported again); then the raw text goes
    rejected = (df.filter(~pl.col("_ok") & pl.col("_raw_id").is_not_null())["_raw_id"] if "_raw_id" in df.columns
                else pl.Series("_raw_id", [], dtype=pl.String))
    return df.drop([f"_raw_{c.name}" for c in cols]), rejected


def _convert(df: pl.DataFrame, c: Column, convert: Callable[[Any], Any], typed: dict[int, Any], where: Where,
             header: str, pos: int, errors: list[tuple[int, int, Problem]], bad_rows: set[int]) -> pl.DataFrame:
    """The cells of column ``c`` the fast path left, through the row model's converter: its value, or its
    problem (in ``errors``, the row in ``bad_rows``). A cell that is not text is converted as it is."""
    flagged = df.filter(pl.col(f"_raw_{c.name}").is_not_null() & pl.col(c.name).is_null())
    rescued: dict[int, Any] = {}
    for idx, row, text in flagged.select(_IDX, _ROW, f"_raw_{c.name}").iter_rows():
        value = typed.get(idx, text)
        try:
            rescued[idx] = convert(value)
        except PydanticCustomError as exc:
            bad_rows.add(idx)
            errors.append((idx, pos, Problem("error", exc.type, where[0], where[1], row, header, as_text(value),
                                             exc.message(), HINTS.get(exc.type))))
    if not rescued:
        return df
    dtype = df.schema[c.name]
    fix = pl.DataFrame({_IDX: pl.Series(list(rescued), dtype=pl.UInt32),
                        "_fix": pl.Series(list(rescued.values()), dtype=None if dtype == pl.Null else dtype)})
    if dtype == pl.Null:  # a kind without a fast path: the converter's values say the type
        df = df.with_columns(pl.col(c.name).cast(fix.schema["_fix"]))
    return df.join(fix, on=_IDX, how="left", maintain_order="left").with_columns(
        pl.coalesce(c.name, "_fix").alias(c.name)).drop("_fix")


# -- the whole dataset ---------------------------------------------------------------------------

@dataclass
class ColumnarReport(ProblemsReport):
    """What :func:`read_columnar` found: the problems, and the dataset on demand."""
    name: str
    problems: list[Problem]
    _tables: list[_Table]
    _nodes: pl.DataFrame  # id, seq of the accepted nodes in reading order
    #: False: a file could not be read, so the checks across tables were not made (nor their relationships and
    #: rules kept): the report has errors, and its dataset only the nodes
    _complete: bool = True
    #: what the frames were handed over to ("the dataset", "a lean graph"), once they are
    _handed: str | None = None

    @property
    def holds_frames(self) -> bool:
        """Whether the validated frames are still here (not yet handed over)."""
        return self._handed is None

    def tables(self) -> list[_Table]:
        """The validated frames (for the load's frames, :mod:`chainkg.neo4j_io.frames`)."""
        self._refuse_if_handed("its frames")
        return self._tables

    def _refuse_if_handed(self, what: str) -> None:
        """Once the frames are handed over, an answer from them would be empty, not the data's: refuse."""
        if self._handed is not None:
            from ..errors import UsageError

            raise UsageError(f"This validation report of {self.name} handed its frames over to {self._handed}; "
                             f"it cannot give {what} any more (it would be empty, not the data's).",
                             hint="Read the dataset again (chainkg.loaders.read_dataset), or ask for everything you "
                                  "need before building a lean graph.")

    def counts(self) -> dict[str, int]:
        """Nodes per label, then relationships per type, in the order the dataset first has them."""
        if "dataset" in self.__dict__:
            return self.dataset.counts()
        self._refuse_if_handed("counts")
        out: dict[str, int] = {}
        label = {t.seq: t.table.label for t in self._tables if isinstance(t.table, NodeTable)}
        for seq, n in self._nodes.group_by("seq", maintain_order=True).len().iter_rows():
            out[label[seq]] = out.get(label[seq], 0) + n
        seen = []
        for t in self._tables:
            for r in t.rels:
                firsts = r.frame.filter("first")
                if firsts.height:
                    seen.append((t.seq, firsts[_ROW][0], r.sub, r.type, firsts.height))
        for *_, typ, n in sorted(seen):
            out[typ] = out.get(typ, 0) + n
        return out

    def _node_rows(self, skip_label: str | None = None):
        """(id, label, props, file, row) of every node, in the dataset's order (``skip_label``: not those)."""
        for t in self._tables:
            if isinstance(t.table, NodeTable) and t.table.label != skip_label and "id" in t.df.columns:
                props = t.node_props()
                label = t.table.label
                for r in t.valid().select("id", _ROW, *props).iter_rows():
                    yield r[0], label, {k: v for k, v in zip(props, r[2:], strict=True) if v is not None}, t.where, r[1]

    def _rel_rows(self, aside: pl.Series | None = None, kept: dict | None = None):
        """(type, start, end, props, file, row) of every relationship in the dataset's order; a repeated
        pair's later rows add the properties the first lacks, as the row reader merges them.

        ``aside`` (ids): relationships with one of them at an end are not yielded but put in ``kept``
        (type -> frames of ``start``, ``end`` and the properties), in the same order."""
        for t in self._tables:
            rows = []
            for r, props, part in t.rel_frames():
                if aside is not None:
                    part = _set_aside(part, _end_labels(t.table, r), aside)
                    kept.setdefault(r.type, []).append(part.filter("_aside").select("start", "end", *props))
                    part = part.filter(~pl.col("_aside"))
                rows.extend((x[0], r.sub, r.type, x[1], x[2], {k: v for k, v in zip(props, x[3:], strict=True) if v is not None})
                            for x in part.select(_ROW, "start", "end", *props).iter_rows())
            if len(t.rels) > 1:  # a node table's foreign keys: row by row, in declared order
                rows.sort(key=lambda x: (x[0], x[1]))
            for row, _sub, typ, start, end, p in rows:
                yield typ, start, end, p, t.where, row

    @cached_property
    def dataset(self) -> Dataset:
        """The :class:`Dataset` the row reader would give (built once; the frames are then let go)."""
        self._refuse_if_handed("the dataset")
        ds = Dataset(self.name)
        for node_id, label, props, where, row in self._node_rows():
            ds.nodes[node_id] = Node(node_id, label, props, Origin(*where, row))
        for typ, start, end, props, where, row in self._rel_rows():
            ds.rels[(typ, start, end)] = Rel(typ, start, end, props, Origin(*where, row))
        for t in self._tables if self._complete else []:
            if isinstance(t.table, RuleTable):
                cols = [c.name for c in t.table.columns if c.name in t.df.columns]
                for r in t.valid().select(_ROW, *cols).iter_rows():
                    ds.rules.setdefault(t.table.table, []).append(
                        Row({k: v for k, v in zip(cols, r[1:], strict=True) if v is not None}, Origin(t.file, t.sheet, r[0])))
        self._tables, self._handed = [], "the dataset"  # the frames go once the objects exist: never the dataset twice
        return ds

    def graph(self):
        """``to_networkx(self.dataset)`` built straight from the frames, without the Dataset objects."""
        import networkx as nx

        if "dataset" in self.__dict__:
            from ..graph_model.nx_graph import to_networkx

            return to_networkx(self.dataset)
        self._refuse_if_handed("a graph")
        g = nx.MultiDiGraph(name=self.name)
        g.add_nodes_from((node_id, {"label": label, **props}) for node_id, label, props, _, _ in self._node_rows())
        g.add_edges_from((start, end, typ, props) for typ, start, end, props, _, _ in self._rel_rows())
        return g

    def lean_graph(self):
        """The graph without firm nodes and without the relationships that have a firm at one end; those
        stay in columns, in the :class:`~chainkg.graph_model.firm_table.FirmTable` in ``graph["firms"]``
        (the lean graph of :mod:`chainkg.graph_model.firm_table`)."""
        import networkx as nx

        from ..graph_model.firm_table import FIRM, FirmTable

        self._refuse_if_handed("a lean graph")
        firm_tables = [t for t in self._tables if isinstance(t.table, NodeTable) and t.table.label == FIRM
                       and "id" in t.df.columns]
        nodes = [t.valid().select("id", *t.node_props()) for t in firm_tables]
        nodes = pl.concat(nodes, how="diagonal_relaxed") if nodes else pl.DataFrame({"id": []}, schema={"id": pl.String})
        kept: dict[str, list] = {}
        g = nx.MultiDiGraph(name=self.name)
        g.add_nodes_from((node_id, {"label": label, **props}) for node_id, label, props, _, _ in self._node_rows(FIRM))
        g.add_edges_from((start, end, typ, props) for typ, start, end, props, _, _
                         in self._rel_rows(nodes.get_column("id"), kept))
        rels = {k: pl.concat(v, how="diagonal_relaxed") for k, v in kept.items()}
        g.graph["firms"] = FirmTable(nodes, {k: v for k, v in rels.items() if v.height})
        self._tables, self._handed = [], "a lean graph"  # never the dataset twice
        return g


def _end_labels(table, r: _Rels) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The labels the start and the end of a table's relationships may have (from the schema)."""
    if isinstance(table, EdgeTable):
        return table.from_labels, table.to_labels
    fk = table.foreign_keys[r.sub]
    return (fk.target_labels, (table.label,)) if fk.reverse else ((table.label,), fk.target_labels)


def _set_aside(part: pl.DataFrame, labels: tuple[tuple, tuple], aside: pl.Series) -> pl.DataFrame:
    """``part`` with ``_aside``: an end is one of the ``aside`` ids (``aside`` are firms: an end that cannot
    be a firm is not looked up, an end that can only be one needs no look-up)."""
    from ..graph_model.firm_table import FIRM

    flag = pl.lit(False)
    for end, allowed in zip(("start", "end"), labels, strict=True):
        if FIRM not in allowed:
            continue
        if set(allowed) == {FIRM}:
            flag = pl.lit(True)
            break
        part = part.join(aside.to_frame(end).with_columns(pl.lit(True).alias(f"_{end}")), on=end, how="left",
                         maintain_order="left")
        flag = flag | pl.col(f"_{end}").fill_null(False)
    return part.with_columns(_aside=flag)


def _rel_prop_columns(table) -> list[str]:
    if isinstance(table, EdgeTable):
        return [c.name for c in table.columns if c.name not in (table.from_column, table.to_column)]
    return [c for c in ("source_id", "confidence") if any(col.name == c for col in table.columns)]


def _pending(t: _Table):
    """(sub, type, frame of _idx, _row, start, end, checks) of the relationships a table's valid rows make;
    ``checks`` are (end, column, allowed labels) in the row reader's order."""
    if isinstance(t.table, RuleTable):
        return
    ok = t.valid()
    if isinstance(t.table, EdgeTable):
        tb = t.table
        if tb.from_column not in ok.columns or tb.to_column not in ok.columns:
            return
        frame = ok.select(_IDX, _ROW, pl.col(tb.from_column).alias("start"), pl.col(tb.to_column).alias("end"))
        if tb.rel_type == "FEEDS":
            frame = frame.filter(pl.col("start") != pl.col("end"))
        yield 0, tb.rel_type, frame, (("start", tb.from_column, tb.from_labels), ("end", tb.to_column, tb.to_labels))
        return
    for sub, fk in enumerate(t.table.foreign_keys):
        if fk.column not in ok.columns:
            continue
        rows = ok.filter(pl.col(fk.column).is_not_null())
        start, end = (fk.column, "id") if fk.reverse else ("id", fk.column)
        frame = rows.select(_IDX, _ROW, pl.col(start).alias("start"), pl.col(end).alias("end"))
        yield sub, fk.rel_type, frame, (("start" if fk.reverse else "end", fk.column, fk.target_labels),)


def read_columnar(source: str | Path | None = None, encoding: str | None = None) -> ColumnarReport:
    """Validate a dataset (a folder of CSV/YAML/JSON files, a workbook, one YAML or JSON file, or a bundled
    dataset's name): every problem in the report, nothing raised for data."""
    path = resolve_dataset(source)
    p = _Problems()
    tables: list[_Table] = []
    data_rows: dict[str, int] = {}
    rejected_ids = [pl.Series("_raw_id", [], dtype=pl.String)]
    read_problems: list[Problem] = []  # found while reading a table's rows (cells right of the last header)
    aliases = table_aliases()
    for raw in iter_raw_tables(path, encoding, p.items):  # an unreadable file is a problem, not the end
        name = aliases.get(raw.name.strip().casefold())
        if name is None:
            if raw.sheet is not None and raw.sheet.strip().casefold() in NOTES_SHEETS:
                continue
            where = f"Sheet '{raw.sheet}'" if raw.sheet else f"File '{Path(raw.file).name}'"
            p.add("warning", "unknown_table", (raw.file, raw.sheet), None, None, raw.name,
                  *P.text("unknown_table", where=where, tables=", ".join(TABLE_BY_NAME)))
            continue
        table = TABLE_BY_NAME[name]
        header_of = _header_problems(p, table, (raw.file, raw.sheet), raw.headers)
        df, rejected_here = _check_cells(p, table, raw, header_of)
        rejected_ids.append(rejected_here)
        read_problems += raw.problems
        data_rows[name] = data_rows.get(name, 0) + df.height
        tables.append(_Table(len(tables), table, raw.file, raw.sheet, header_of, df))
        if isinstance(table, EdgeTable):
            _self_links(p, tables[-1])
        elif isinstance(table, RuleTable):
            _rule_rows(p, tables[-1])
    nodes = _duplicates(p, tables)
    p.items += read_problems  # after the table's own (the row reader reported them once a table was read)
    # checks across tables need every table: after an unreadable file they would only echo it
    complete = not any(q.code in UNREADABLE for q in p.items)
    if complete:
        _across_tables(p, path, tables, nodes, data_rows, pl.concat(rejected_ids).unique())
    problems = sorted(p.items, key=lambda q: (q.severity != "error", q.file or "", q.sheet or "", q.row or 0))
    return ColumnarReport(path.stem if path.is_file() else path.name, problems, tables, nodes, complete)


def _across_tables(p: _Problems, path: Path, tables: list[_Table], nodes: pl.DataFrame, data_rows: dict[str, int],
                   rejected: pl.Series) -> None:
    """Required tables, references, relationships, and the checks across rows."""
    for t in TABLE_BY_NAME.values():
        if isinstance(t, NodeTable) and t.required_table and not data_rows.get(t.table):
            p.add("error", "missing_table", (str(path), None), None, None, t.table,
                  *P.text("missing_table", table=t.table, zh=t.zh))
    check = _RefCheck(p, tables, nodes, rejected)
    check.run([(t, 0, 0, t.df.filter(pl.col("_ok") & pl.col("source_id").is_not_null()).select(
        _IDX, _ROW, pl.col("source_id").alias("_ref")), t.header_of["source_id"], ("Source",))
        for t in tables if "source_id" in t.header_of])  # every valid row's source
    _weak_sources(p, tables)
    for t in tables:
        if t.table.table in ("targets", "metrics"):
            _scopes(p, check, t)
    _relationships(p, check, tables)
    _rule_references(check, tables)
    _firms_without_segment(p, tables)
    _feeds_cycles(p, tables)
    _milestones(p, tables)


def _duplicates(p: _Problems, tables: list[_Table]) -> pl.DataFrame:
    """Ids used twice (across all tables, first row wins); returns the accepted nodes: id, seq, _row."""
    parts = [t.df.filter("_ok").select("id", _IDX, _ROW, pl.lit(t.seq, pl.Int32).alias("seq"))
             for t in tables if isinstance(t.table, NodeTable) and "id" in t.df.columns]
    if not parts:
        return pl.DataFrame(schema={"id": pl.String, _IDX: pl.UInt32, _ROW: pl.Int64, "seq": pl.Int32})
    reg = pl.concat(parts, rechunk=False)
    first = reg["id"].is_first_distinct()
    if first.all():
        return reg
    dup = reg.filter(~first).join(reg.filter(first).select("id", pl.col("seq").alias("_fseq"),
                                                          pl.col(_ROW).alias("_frow")), on="id", how="left",
                                  maintain_order="left")
    by_seq = {t.seq: t for t in tables}
    for (seq,), part in dup.partition_by("seq", as_dict=True, maintain_order=True).items():
        t = by_seq[seq]
        t.dups = part[_IDX]
        p.texts("error", "duplicate_id", t.where, part, t.header_of["id"], "id",
                lambda r: P.text("duplicate_id", id=r["id"], label=by_seq[r["_fseq"]].table.label,
                                 file=Path(by_seq[r["_fseq"]].file).name, row=r["_frow"], sheet=by_seq[r["_fseq"]].sheet))
    return reg.filter(first)


def _rule_rows(p: _Problems, t: _Table) -> None:
    """The row reader's checks of a rule table's rows (segment_terms: empty and one-character terms)."""

    if t.table.table != "segment_terms" or "term" not in t.df.columns:
        return
    dropped = []
    for idx, row, term in t.df.filter("_ok").select(_IDX, _ROW, "term").iter_rows():
        header = t.header_of["term"]
        if term.strip().casefold() in EMPTY_TERMS:
            dropped.append(idx)
            p.add("error", "empty_term", t.where, row, header, term, *P.text("empty_term", term=term))
        elif len(term.strip()) < 2:
            p.add("warning", "short_term", t.where, row, header, term, *P.text("short_term", term=term))
    t.dups = pl.Series(_IDX, dropped, dtype=pl.UInt32)


def _rule_references(check: _RefCheck, tables: list[_Table]) -> None:
    """A rule table's references (``refs``), checked after the relationships, as the row reader does;
    rows with a bad one are left out of the rules."""
    for t in tables:
        if not isinstance(t.table, RuleTable):
            continue
        rows = t.valid()
        checks = [(t, 0, k, rows.filter(pl.col(col).is_not_null()).select(_IDX, _ROW, pl.col(col).alias("_ref")),
                   t.header_of[col], labels) for k, (col, labels) in enumerate(t.table.refs) if col in rows.columns]
        bad = check.run(checks).get((t.seq, 0))
        if bad is not None and bad.len():
            t.dups = pl.concat([t.dups, bad]) if t.dups is not None else bad


def _self_links(p: _Problems, t: _Table) -> None:
    tb = t.table
    if tb.rel_type != "FEEDS" or tb.from_column not in t.df.columns or tb.to_column not in t.df.columns:
        return
    rows = t.df.filter(pl.col("_ok") & (pl.col(tb.from_column) == pl.col(tb.to_column)))
    p.texts("error", "self_link", t.where, rows, t.header_of[tb.from_column], tb.from_column,
            lambda r: P.text("self_link", segment=r[tb.from_column]))


class _RefCheck:
    """References as joins, all columns pointing at the same kinds of node in one anti-join: not an id
    at all (unless its own row was rejected), or the id of the wrong kind of node."""

    def __init__(self, p: _Problems, tables: list[_Table], nodes: pl.DataFrame, rejected: pl.Series):
        self.p, self.nodes, self.rejected = p, nodes.select("id", "seq"), rejected
        self.label = {t.seq: t.table.label for t in tables if isinstance(t.table, NodeTable)}
        self._ids: dict[tuple[str, ...], pl.DataFrame] = {}

    def ids_of(self, allowed: tuple[str, ...]) -> pl.DataFrame:
        key = tuple(sorted(allowed))
        if key not in self._ids:
            seqs = [s for s, label in self.label.items() if label in allowed]
            self._ids[key] = self.nodes.filter(pl.col("seq").is_in(seqs)).select(pl.col("id").alias("_ref"))
        return self._ids[key]

    def run(self, checks) -> dict[tuple[int, int], pl.Series]:
        """``checks``: (table, sub, k, frame of _idx/_row/_ref, header, allowed). Reports the bad references,
        each table's in row order (then sub, k); returns (seq, sub) -> _idx of rows with a bad reference."""
        groups: dict[tuple[str, ...], list] = {}
        for n, c in enumerate(checks):
            groups.setdefault(tuple(sorted(c[5])), []).append((n, c))
        found = []  # (seq, row, sub, k, problem)
        bad_idx: dict[tuple[int, int], list[pl.Series]] = {}
        for allowed, members in groups.items():
            refs = pl.concat([c[3].select(_IDX, _ROW, "_ref", pl.lit(n, pl.Int32).alias("_n")) for n, c in members],
                             rechunk=False)
            bad = refs.join(self.ids_of(allowed), on="_ref", how="anti")
            if bad.height == 0:
                continue
            bad = bad.join(self.nodes, left_on="_ref", right_on="id", how="left", maintain_order="left")
            bad = bad.with_columns(pl.col("_ref").is_in(self.rejected.implode()).alias("_rejected"))
            by_n = dict(members)
            for (n,), part in bad.partition_by("_n", as_dict=True).items():
                t, sub, k, _, header, kinds = by_n[n]
                bad_idx.setdefault((t.seq, sub), []).append(part[_IDX])
                shown = part.filter(pl.col("seq").is_not_null() | ~pl.col("_rejected"))
                q = _Problems()
                tables = " or ".join(TABLE_OF_LABEL[label] for label in kinds)
                names = " or ".join(kinds)
                q.texts("error", "unknown_reference", t.where, shown, header, "_ref",
                        lambda r, header=header, names=names, tables=tables: P.text(
                            "unknown_reference", ref=r["_ref"], header=header, names=names, tables=tables,
                            label=None if r["seq"] is None else self.label[r["seq"]]))
                found.extend((t.seq, pr.row, sub, k, pr) for pr in q.items)
        found.sort(key=lambda x: x[:4])
        self.p.items.extend(x[4] for x in found)
        return {key: pl.concat(v).unique() for key, v in bad_idx.items()}


def _scopes(p: _Problems, check: _RefCheck, t: _Table) -> None:
    header = t.header_of.get("scope_id", "scope_id")
    if "scope" not in t.df.columns:
        return
    rows = t.valid().filter(pl.col("scope") != "city")
    if "scope_id" not in rows.columns:
        rows = rows.with_columns(pl.lit(None, pl.String).alias("scope_id"))
    p.texts("error", "missing_value", t.where, rows.filter(pl.col("scope_id").is_null()), header, None,
            lambda r: P.text("missing_scope_id", header=header, scope=r["scope"]))
    given = rows.filter(pl.col("scope_id").is_not_null()).select(_IDX, _ROW, "scope", pl.col("scope_id").alias("_ref"))
    check.run([(t, 0, 0, given.filter(pl.col("scope") == scope), header, allowed)
               for scope, allowed in (("cluster", ("Cluster",)), ("chain", ("Chain",)))])


def _relationships(p: _Problems, check: _RefCheck, tables: list[_Table]) -> None:
    """Check every relationship's ends (one anti-join per kind of end); keep the accepted ones in each
    table's ``rels`` with ``first`` (False: a repeated pair, reported)."""
    pending = [(t, sub, typ, frame, ends) for t in tables for sub, typ, frame, ends in _pending(t)]
    bad = check.run([(t, sub, k, frame.select(_IDX, _ROW, pl.col(end).alias("_ref")), t.header_of[col], allowed)
                     for t, sub, typ, frame, ends in pending for k, (end, col, allowed) in enumerate(ends)])
    by_type: dict[str, list[tuple[_Table, _Rels]]] = {}
    for t, sub, typ, frame, _ends in pending:
        drop = bad.get((t.seq, sub))
        if drop is not None:
            frame = frame.filter(~pl.col(_IDX).is_in(drop.implode()))
        r = _Rels(sub, typ, frame)
        t.rels.append(r)
        by_type.setdefault(typ, []).append((t, r))
    for typ, members in by_type.items():
        if len(members) == 1:  # the usual case: one table makes this type
            t, r = members[0]
            r.frame = r.frame.with_columns(pl.struct("start", "end").is_first_distinct().alias("first"))
            parts = [(t, r)]
        else:  # in the row reader's order across tables and foreign keys
            allrels = pl.concat([r.frame.with_columns(pl.lit(n, pl.Int32).alias("_n"), pl.lit(t.seq).alias("_seq"),
                                                      pl.lit(r.sub).alias("_sub")) for n, (t, r) in enumerate(members)])
            allrels = allrels.sort("_seq", _ROW, "_sub", maintain_order=True).with_columns(
                pl.struct("start", "end").is_first_distinct().alias("first"))
            for n, (_t, r) in enumerate(members):
                r.frame = allrels.filter(pl.col("_n") == n).drop("_n", "_seq", "_sub")
            parts = members
        repeats = [(t, r.frame.filter(~pl.col("first"))) for t, r in parts]
        if not any(x.height for _, x in repeats):
            continue
        firsts = pl.concat([r.frame.filter("first").select("start", "end", pl.lit(t.file).alias("_ffile"),
                                                           pl.col(_ROW).alias("_frow")) for t, r in parts])
        for t, rep in repeats:
            rep = rep.join(firsts, on=["start", "end"], how="left", maintain_order="left")
            for r in rep.iter_rows(named=True):
                p.add("warning", "repeated_pair", t.where, r[_ROW], None, f"{r['start']} -> {r['end']}",
                      *P.text("repeated_pair", type=typ, start=r["start"], end=r["end"], file=Path(r["_ffile"]).name,
                            row=r["_frow"]))


def _weak_sources(p: _Problems, tables: list[_Table]) -> None:
    """Rows marked confirmed whose source has low reliability."""
    weak = [t.valid().filter(pl.col("reliability") == "low").select(pl.col("id").alias("source_id"), "title")
            for t in tables if isinstance(t.table, NodeTable) and t.table.label == "Source"
            and "reliability" in t.df.columns]
    weak = pl.concat(weak) if weak else None
    if weak is None or weak.height == 0:
        return
    for t in tables:
        if "source_id" not in t.header_of or "confidence" not in t.df.columns:
            continue
        rows = t.df.filter(pl.col("_ok") & (pl.col("confidence") == "confirmed")).select(_ROW, "source_id").join(
            weak, on="source_id", how="inner", maintain_order="left")
        p.texts("warning", "weak_source", t.where, rows, t.header_of["source_id"], "source_id",
                lambda r: P.text("weak_source", source=r["source_id"], title=r["title"]))


def _firms_without_segment(p: _Problems, tables: list[_Table]) -> None:
    # a firm_chains row places a firm at chain level: the analysis counts it, so no warning
    placed = [r.frame.filter("first").select(pl.col("start").alias("id")) for t in tables for r in t.rels
              if r.type in ("IN_SEGMENT", "IN_CHAIN")]
    placed = pl.concat(placed) if placed else pl.DataFrame(schema={"id": pl.String})
    for t in tables:
        if isinstance(t.table, NodeTable) and t.table.label == "Firm":
            if "id" not in t.df.columns:
                continue
            lonely = t.valid().select(_ROW, "id", "name").join(placed, on="id", how="anti", maintain_order="left")
            p.texts("warning", "firm_without_segment", t.where, lonely, "id", "id",
                    lambda r: P.text("firm_without_segment", id=r["id"], name=r["name"]))


def _milestones(p: _Problems, tables: list[_Table]) -> None:
    """The tech_milestones checks across a row's dates and figures (docs/monitor.md), on the rows the
    dataset keeps (a repeated id's first row)."""
    for t in tables:
        if t.table.table != "tech_milestones":
            continue
        cols = [c.name for c in t.table.columns if c.name in t.df.columns]
        rows = t.valid().select(_ROW, *cols).iter_rows(named=True)
        p.items.extend(milestone_problems(
            (r["id"], {k: v for k, v in r.items() if k not in (_ROW, "id") and v is not None},
             Origin(t.file, t.sheet, r[_ROW])) for r in rows))


def _feeds_cycles(p: _Problems, tables: list[_Table]) -> None:
    """FEEDS cycles within a chain, on the (small) segment graph."""
    p.items.extend(feeds_cycle_problems(
        (r.type, start, end, Origin(t.file, t.sheet, row)) for t in tables for r in t.rels
        if r.type in ("HAS_SEGMENT", "FEEDS")
        for start, end, row in r.frame.filter("first").select("start", "end", _ROW).iter_rows()))
