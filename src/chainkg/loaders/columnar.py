"""Column-wise reading and validation of a folder of CSV files, with polars.

The same problems (code, file, sheet, row, column, value, message, hint), in the same order, as
the row reader in :mod:`.validate`, and the same :class:`~chainkg.graph_model.records.Dataset`
when asked for one, but checked a column at a time:

* every cell check comes from the declared pydantic row model (:func:`row_model`): a vectorised
  expression per column kind *accepts* the cells it is sure of (plain numbers, yes/no words,
  enum spellings, GB 32100 credit codes with their check digit, ISO dates ...); any cell it
  does not accept goes through the model's own converter, cell by cell, which gives either the
  value or the exact error text. Bad cells are rare, so the slow path costs nothing on good data,
  and the answers are the row reader's by construction;
* duplicate ids, references, self links, repeated pairs and firms without a segment are joins
  and group-bys over whole columns;
* the dataset's rows stay in the frames: :attr:`ColumnarReport.dataset` builds the
  :class:`Dataset` objects only when a caller asks for them (and then lets the frames go).

Anything this reader does not handle itself (a workbook or YAML file in the folder, a file that
is not UTF-8, rows longer than the header, repeated header names, an empty file) sends the whole
dataset to the row reader, so the answer is always the row reader's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import polars as pl
from pydantic_core import PydanticCustomError

from ..graph_model.records import Dataset, Node, Origin, Problem, Rel, row_model
from ..graph_model.schema import (ENUMS, TABLE_BY_NAME, TABLE_OF_LABEL, EdgeTable, NodeTable, header_aliases,
                                  table_aliases)
from ..graph_model.values import FALSE, TRUE, enum_lookup
from .dataset import IGNORED_SUFFIXES
from .readers import READERS

#: the characters Python's ``str.strip()`` removes (polars' own whitespace set lacks \x1c-\x1f)
WHITESPACE = "".join(chr(c) for c in range(0x110000) if chr(c).isspace())
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_NUMBER = r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$"
_DATE = r"^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"
_USCC = r"^[0-9]{8}[0-9A-HJ-NPQRTUWXY]{10}$"
_IDX = "_idx"  # position of a row in its file's frame
_ROW = "_row"  # spreadsheet row number (header = 1)


class Unsupported(Exception):
    """This input needs the row reader."""


# -- reading -----------------------------------------------------------------------------------

def csv_files(path: Path) -> list[Path] | None:
    """The files of a folder dataset in reading order, or None when one needs another reader."""
    if not path.is_dir():
        return None
    files = []
    for f in sorted(p for p in path.iterdir() if p.is_file()):
        suffix = f.suffix.lower()
        if f.name.startswith((".", "~$")) or suffix in IGNORED_SUFFIXES:
            continue
        if suffix in READERS and suffix != ".csv":
            return None
        files.append(f)
    return files


def read_csv_frame(path: Path, encoding: str | None = None) -> tuple[list[str], pl.DataFrame]:
    """Headers (stripped) and a frame of the data rows as strings, with ``_idx`` and ``_row``.

    The one place that reads a file; to be swapped for the shared ``read_frame`` when it lands.
    """
    data: bytes | str = path.read_bytes()
    if encoding:  # the row reader decodes with exactly this codec (a BOM it keeps is kept by no one here)
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise Unsupported(str(exc))
        if text.startswith("\ufeff"):
            raise Unsupported("BOM with an explicit encoding")
        data = text.encode("utf-8")
        del text
    if b"\r" in data and b"\r" in data.replace(b"\r\n", b""):
        raise Unsupported("lone carriage returns")
    try:
        df = pl.read_csv(data, has_header=False, infer_schema=False, quote_char='"', encoding="utf8")
    except pl.exceptions.ComputeError as exc:
        if "utf-8" not in str(exc).lower():
            raise Unsupported(str(exc))
        try:  # the row reader's second guess
            df = pl.read_csv(data.decode("gb18030").encode("utf-8"), has_header=False, infer_schema=False)
        except (UnicodeDecodeError, pl.exceptions.PolarsError) as exc2:
            raise Unsupported(str(exc2))
    except pl.exceptions.PolarsError as exc:
        raise Unsupported(str(exc))
    del data
    if df.height == 0:
        raise Unsupported("empty")
    headers = [("" if h is None else h).strip(WHITESPACE) for h in df.row(0)]
    named = [h for h in headers if h]
    if len(set(named)) != len(named):
        raise Unsupported("repeated header")
    df = df.slice(1).with_row_index(_IDX).with_columns((pl.col(_IDX) + 2).cast(pl.Int64).alias(_ROW))
    return headers, df


# -- cell checks ---------------------------------------------------------------------------------

def _stripped(col: str) -> pl.Expr:
    s = pl.col(col).str.strip_chars(WHITESPACE)
    return pl.when(s.str.len_bytes() > 0).then(s).otherwise(None)


def _number(s: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    t = s.str.replace_all(",", "", literal=True).str.replace_all("，", "", literal=True)
    v = t.cast(pl.Float64, strict=False)
    return v, t.str.contains(_NUMBER) & v.is_not_null() & v.is_finite() & (v >= 0)


def uscc_check_digit(s: pl.Expr) -> pl.Expr:
    """GB 32100-2015 check character of the first 17 characters, as column operations.

    >>> df = pl.DataFrame({"c": ["91110000600037341L", "91320000134759788?"]})
    >>> df.select(uscc_check_digit(pl.col("c")).alias("check"))["check"].to_list()
    ['L', 'W']
    """
    index = {ch: i for i, ch in enumerate(USCC_ALPHABET)}
    total = pl.lit(0, pl.Int64)
    for pos, w in enumerate(USCC_WEIGHTS):
        total = total + s.str.slice(pos, 1).replace_strict(index, default=None, return_dtype=pl.Int64) * w
    return ((31 - total) % 31).replace_strict(dict(enumerate(USCC_ALPHABET)), default=None, return_dtype=pl.String)


def accept(kind: str, enum: str | None, s: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """(value, accepted) for a stripped, non-empty cell: ``accepted`` only where the row model's
    converter surely gives ``value``; every other cell is left to the converter itself."""
    if kind in ("id", "ref", "text"):
        return s, pl.lit(True)
    if kind == "bool":
        low = s.str.to_lowercase()
        value = pl.when(low.is_in(sorted(TRUE))).then(True).when(low.is_in(sorted(FALSE))).then(False) \
            .otherwise(None)
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
        return value, pl.lit(True)
    if kind == "enum":
        value = s.str.to_lowercase().replace_strict(enum_lookup(enum), default=None, return_dtype=pl.String)
        return value, value.is_not_null()
    if kind == "credit_code":
        return s, s.str.contains(_USCC) & (s.str.slice(17, 1) == uscc_check_digit(s))
    raise ValueError(f"unknown column kind {kind!r}")  # pragma: no cover - schema typo


# -- one table -------------------------------------------------------------------------------------

@dataclass
class _Table:
    """One validated table: its rows as a frame (raw ``_raw_<col>``, converted ``<col>``, ``_ok``)."""
    seq: int
    table: NodeTable | EdgeTable
    file: str
    header_of: dict[str, str]
    df: pl.DataFrame
    first: pl.Series | None = None  # node tables: the row is the first with its id (not a duplicate)


@dataclass
class _Problems:
    """Problems in the row reader's emission order: a list per phase, sorted the same way at the end."""
    items: list[Problem] = field(default_factory=list)

    def add(self, severity, code, file, row, column, value, message, hint=None, sheet=None):
        self.items.append(Problem(severity, code, file, sheet, row, column, value, message, hint))

    def frame(self, severity, code, file, df: pl.DataFrame, column, value_col, message, hint=None):
        """One problem per row of ``df`` (which has ``_row`` and the columns the lambdas use)."""
        for r in df.iter_rows(named=True):
            self.add(severity, code, file, r[_ROW], column(r) if callable(column) else column,
                     r[value_col] if value_col else None, message(r), hint(r) if callable(hint) else hint)


def _header_problems(p: _Problems, table, file: str, headers: list[str]) -> dict[str, str]:
    """The row reader's header checks (same texts); column -> header as written."""
    aliases = header_aliases(table)
    header_of: dict[str, str] = {}
    for h in headers:
        if not h:
            continue
        col = aliases.get(h.casefold())
        if col is None:
            p.add("warning", "unknown_column", file, 1, h, None,
                  f"Unknown column '{h}' in table {table.table}; its values are not loaded.",
                  f"Rename it to a known column ({', '.join(c.name for c in table.columns)}) or remove it.")
        elif col in header_of:
            p.add("error", "duplicate_column", file, 1, h, None,
                  f"Columns '{header_of[col]}' and '{h}' both mean '{col}'.", "Keep only one of them.")
        else:
            header_of[col] = h
    missing = [c for c in table.columns if c.required and c.name not in header_of]
    for c in missing:
        p.add("error", "missing_column", file, 1, c.name, None,
              f"Required column '{c.name}' ({c.zh}) is missing from table {table.table}.",
              f"Add a column headed '{c.name}' or '{c.zh}'.")
    return header_of


def _check_cells(p: _Problems, table, file: str, headers: list[str], df: pl.DataFrame,
                 header_of: dict[str, str]) -> pl.DataFrame:
    from .validate import HINTS

    raw_cols = [c for c in df.columns if c.startswith("column_")]
    # the row reader skips rows whose cells are all empty (numbering goes on)
    df = df.filter(pl.any_horizontal(_stripped(c).is_not_null() for c in raw_cols))
    position = {h: i for i, h in enumerate(headers)}
    cols = [c for c in table.columns if c.name in header_of]
    df = df.select(_IDX, _ROW, *[_stripped(raw_cols[position[header_of[c.name]]]).alias(f"_raw_{c.name}")
                                 for c in cols])
    model = row_model(table.table)
    exprs, oks = [], []
    for c in cols:
        value, ok = accept(c.kind, c.enum, pl.col(f"_raw_{c.name}"))
        exprs.append(pl.when(pl.col(f"_raw_{c.name}").is_not_null() & ok).then(value).otherwise(None).alias(c.name))
    df = df.with_columns(exprs)
    errors: list[tuple[int, int, Problem]] = []  # (idx, column position, problem)
    bad_rows: set[int] = set()
    for pos, c in enumerate(table.columns):
        header = header_of.get(c.name, c.name)
        if c.name not in header_of:
            if c.required:  # a missing column: every row fails, its problem is the header's
                bad_rows.update(df[_IDX].to_list())
            continue
        raw = pl.col(f"_raw_{c.name}")
        if c.required:
            for idx, row in df.filter(raw.is_null()).select(_IDX, _ROW).iter_rows():
                bad_rows.add(idx)
                errors.append((idx, pos, Problem("error", "missing_value", file, None, row, header, None,
                                                 f"'{header}' is required but empty.", HINTS["missing_value"])))
        flagged = df.filter(raw.is_not_null() & pl.col(c.name).is_null())
        if flagged.height == 0:
            continue
        convert = model.model_fields[c.name].metadata[0].func
        rescued: dict[int, object] = {}
        for idx, row, text in flagged.select(_IDX, _ROW, f"_raw_{c.name}").iter_rows():
            try:
                rescued[idx] = convert(text)
            except PydanticCustomError as exc:
                bad_rows.add(idx)
                errors.append((idx, pos, Problem("error", exc.type, file, None, row, header, text, exc.message(),
                                                 HINTS.get(exc.type))))
        if rescued:
            try:
                fix = pl.DataFrame({_IDX: list(rescued), "_fix": list(rescued.values())},
                                   schema={_IDX: pl.UInt32, "_fix": df.schema[c.name]})
            except (OverflowError, TypeError, pl.exceptions.PolarsError) as exc:  # an int beyond 64 bits
                raise Unsupported(str(exc))
            df = df.join(fix, on=_IDX, how="left", maintain_order="left").with_columns(
                pl.coalesce(c.name, "_fix").alias(c.name)).drop("_fix")
    errors.sort(key=lambda e: (e[0], e[1]))
    p.items.extend(e[2] for e in errors)
    return df.with_columns(pl.col(_IDX).is_in(sorted(bad_rows)).not_().alias("_ok"))


# -- the whole dataset ---------------------------------------------------------------------------

@dataclass
class ColumnarReport:
    """What :func:`read_columnar` found: the problems, and the dataset on demand."""
    name: str
    problems: list[Problem]
    _tables: list[_Table]
    _nodes: pl.DataFrame  # id, label, seq, _row, file (accepted nodes)
    _rels: pl.DataFrame  # type, start, end, seq, _row, sub, first (accepted rels, pending order)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def ok(self, strict: bool = False) -> bool:
        return not self.errors and not (strict and self.warnings)

    def counts(self) -> dict[str, int]:
        """Nodes per label, then relationships per type, in the order the dataset first has them."""
        out = {}
        for label, n in self._nodes.group_by("label", maintain_order=True).len().iter_rows():
            out[label] = n
        rels = self._rels.filter("first")
        for t, n in rels.group_by("type", maintain_order=True).len().iter_rows():
            out[t] = n
        return out

    @cached_property
    def dataset(self) -> Dataset:
        """The :class:`Dataset` the row reader would give (built once; the frames are then let go)."""
        ds = Dataset(self.name)
        for t in self._tables:
            if isinstance(t.table, NodeTable):
                fks = {fk.column for fk in t.table.foreign_keys}
                props = [c.name for c in t.table.columns if c.name in t.header_of and c.name not in fks | {"id"}]
                label = t.table.label
                for r in t.df.filter(pl.col("_ok") & t.first).select("id", _ROW, *props).iter_rows():
                    ds.nodes[r[0]] = Node(r[0], label, {k: v for k, v in zip(props, r[2:]) if v is not None},
                                          Origin(t.file, None, r[1]))
        for t in self._tables:
            rows = []
            for sub, frame in _pending_frames(t):
                props = _rel_prop_columns(t.table)
                part = self._rels.filter((pl.col("seq") == t.seq) & (pl.col("sub") == sub)).select(
                    _IDX, _ROW, "sub", "type", "start", "end", "first")
                part = part.join(frame.select(_IDX, *props), on=_IDX, how="left", maintain_order="left")
                rows.extend((r[1], r[2], r[3:7], {k: v for k, v in zip(props, r[7:]) if v is not None})
                            for r in part.iter_rows())
            if len({r[1] for r in rows}) > 1:  # a node table's foreign keys: row by row, in declared order
                rows.sort(key=lambda r: (r[0], r[1]))
            for row, _sub, (typ, start, end, first), props in rows:
                key = (typ, start, end)
                if first:
                    ds.rels[key] = Rel(typ, start, end, props, Origin(t.file, None, row))
                else:  # a repeated pair: merged into the first
                    for k, v in props.items():
                        ds.rels[key].props.setdefault(k, v)
        self._tables = []  # the frames go once the objects exist: never the dataset twice
        return ds


def _rel_prop_columns(table) -> list[str]:
    if isinstance(table, EdgeTable):
        return [c.name for c in table.columns if c.name not in (table.from_column, table.to_column)]
    return [c for c in ("source_id", "confidence") if any(col.name == c for col in table.columns)]


def _pending_frames(t: _Table):
    """(sub, frame with _idx, _row, type, start, end, checks...) of the relationships a table's rows make.

    ``sub`` orders the relationships of one row: a node table's foreign keys in declared order."""
    ok = t.df.filter(pl.col("_ok") & (t.first if t.first is not None else pl.lit(True)))
    if isinstance(t.table, EdgeTable):
        tb = t.table
        if tb.from_column not in ok.columns or tb.to_column not in ok.columns:
            return
        frame = ok.with_columns(pl.lit(tb.rel_type).alias("type"), pl.col(tb.from_column).alias("start"),
                                pl.col(tb.to_column).alias("end"))
        if tb.rel_type == "FEEDS":
            frame = frame.filter(pl.col("start") != pl.col("end"))
        for c in _rel_prop_columns(tb):
            if c not in frame.columns:
                frame = frame.with_columns(pl.lit(None, pl.String).alias(c))
        yield 0, frame
        return
    for sub, fk in enumerate(t.table.foreign_keys):
        if fk.column not in ok.columns:
            continue
        frame = ok.filter(pl.col(fk.column).is_not_null())
        if fk.reverse:
            frame = frame.with_columns(pl.col(fk.column).alias("start"), pl.col("id").alias("end"))
        else:
            frame = frame.with_columns(pl.col("id").alias("start"), pl.col(fk.column).alias("end"))
        frame = frame.with_columns(pl.lit(fk.rel_type).alias("type"))
        for c in _rel_prop_columns(t.table):
            if c not in frame.columns:
                frame = frame.with_columns(pl.lit(None, pl.String).alias(c))
        yield sub, frame


def read_columnar(path: Path, encoding: str | None = None) -> ColumnarReport:
    """Validate a folder of CSV files column-wise; raises :class:`Unsupported` when it needs the row reader."""
    files = csv_files(path)
    if files is None:
        raise Unsupported("not a folder of CSV files")
    p = _Problems()
    tables: list[_Table] = []
    data_rows: dict[str, int] = {}
    aliases = table_aliases()
    for f in files:
        if f.suffix.lower() != ".csv":
            p.add("warning", "unknown_file", str(f), None, None, None,
                  f"File type '{f.suffix.lower() or f.name}' is not a data format chainkg reads; the file is ignored.",
                  f"Use .csv, .xlsx, .yaml/.yml or .json (supported: {', '.join(sorted(READERS))}).")
            continue
        name = aliases.get(f.stem.strip().casefold())
        headers, df = read_csv_frame(f, encoding)
        if name is None:
            p.add("warning", "unknown_table", str(f), None, None, f.stem,
                  f"File '{f.name}' is not a known table and is ignored.",
                  f"Name it after a table: {', '.join(TABLE_BY_NAME)} (or its Chinese name).")
            continue
        table = TABLE_BY_NAME[name]
        header_of = _header_problems(p, table, str(f), headers)
        df = _check_cells(p, table, str(f), headers, df, header_of)
        data_rows[name] = data_rows.get(name, 0) + df.height
        tables.append(_Table(len(tables), table, str(f), header_of, df))
        # duplicate ids are row problems: checked as each node table comes, against all before it
        if isinstance(table, NodeTable):
            _duplicates(p, tables)
        else:
            _self_links(p, tables[-1])
    for t in TABLE_BY_NAME.values():
        if isinstance(t, NodeTable) and t.required_table and not data_rows.get(t.table):
            p.add("error", "missing_table", str(path), None, None, t.table,
                  f"Table {t.table} ({t.zh}) is missing or empty; it is required.",
                  f"Add {t.table}.csv, or a sheet named {t.table} or {t.zh}.")
    nodes = _node_registry(tables)
    rejected = pl.concat([t.df.filter(~pl.col("_ok") & pl.col("_raw_id").is_not_null()).select(
        pl.col("_raw_id").alias("id")) for t in tables if isinstance(t.table, NodeTable) and "_raw_id" in t.df.columns]
        or [pl.DataFrame(schema={"id": pl.String})]).unique()["id"]
    check = _RefCheck(p, nodes, rejected)
    for t in tables:  # every valid row's source
        if "source_id" in t.header_of:
            rows = t.df.filter(pl.col("_ok") & pl.col("source_id").is_not_null())
            check(t.file, rows, "source_id", t.header_of["source_id"], ("Source",))
    for t in tables:
        if t.table.table in ("targets", "metrics"):
            _scopes(p, check, t)
    rels = _relationships(p, check, tables)
    firms = nodes.filter(pl.col("label") == "Firm")
    if firms.height:
        placed = rels.filter(pl.col("first") & (pl.col("type") == "IN_SEGMENT")).select(pl.col("start").alias("id"))
        lonely = firms.join(placed, on="id", how="anti", maintain_order="left")
        for t in tables:
            if t.table.table == "firms" and lonely.height:
                names = t.df.filter(pl.col("_ok") & t.first).select("id", "name")
                rows = lonely.filter(pl.col("seq") == t.seq).join(names, on="id", how="left", maintain_order="left")
                p.frame("warning", "firm_without_segment", t.file, rows, "id", "id",
                        lambda r: f"Firm '{r['id']}' ({r['name']}) is in no segment; the analysis cannot place it.",
                        "Add a firm_segments row for it.")
    _feeds_cycles(p, tables, rels)
    problems = sorted(p.items, key=lambda q: (q.severity != "error", q.file or "", q.sheet or "", q.row or 0))
    return ColumnarReport(path.stem if path.is_file() else path.name, problems, tables, nodes, rels)


def _duplicates(p: _Problems, tables: list[_Table]) -> None:
    t = tables[-1]
    if "id" not in t.df.columns:
        t.first = pl.Series("first", [False] * t.df.height, dtype=pl.Boolean)
        return
    before = _node_registry(tables[:-1])
    ok = t.df.filter("_ok").select(_IDX, _ROW, "id")
    within = ok.with_columns(pl.col("id").is_first_distinct().alias("_first"))
    earlier = before.select("id", pl.col("label").alias("_label"), pl.col("file").alias("_file"),
                            pl.col(_ROW).alias("_first_row"))
    seen = within.join(earlier, on="id", how="left", maintain_order="left")
    # the first row with the id in this table, for ids not used before
    first_here = within.filter("_first").select("id", pl.col(_ROW).alias("_row_here"))
    seen = seen.join(first_here, on="id", how="left", maintain_order="left")
    dup = seen.filter(pl.col("_label").is_not_null() | ~pl.col("_first"))
    dup = dup.with_columns(pl.coalesce("_label", pl.lit(t.table.label)).alias("_label"),
                           pl.coalesce("_file", pl.lit(t.file)).alias("_file"),
                           pl.coalesce("_first_row", "_row_here").alias("_first_row"))
    header = t.header_of["id"]
    p.frame("error", "duplicate_id", t.file, dup, header, "id",
            lambda r: f"Id '{r['id']}' is already used by a {r['_label']} in {Path(r['_file']).name} "
                      f"row {r['_first_row']}.",
            "Ids must be unique across all tables: give one of them another id.")
    bad = set(dup[_IDX].to_list())
    t.first = t.df[_IDX].is_in(sorted(bad)).not_() if bad else pl.Series("first", [True] * t.df.height)


def _self_links(p: _Problems, t: _Table) -> None:
    tb = t.table
    if tb.rel_type != "FEEDS" or tb.from_column not in t.df.columns or tb.to_column not in t.df.columns:
        return
    rows = t.df.filter(pl.col("_ok") & (pl.col(tb.from_column) == pl.col(tb.to_column)))
    p.frame("error", "self_link", t.file, rows, t.header_of[tb.from_column], tb.from_column,
            lambda r: f"Segment '{r[tb.from_column]}' feeds itself.",
            "Remove the row: a FEEDS link joins two different segments.")


def _node_registry(tables: list[_Table]) -> pl.DataFrame:
    parts = [t.df.filter(pl.col("_ok") & t.first).select(
        "id", pl.lit(t.table.label).alias("label"), pl.lit(t.seq).alias("seq"), _ROW, pl.lit(t.file).alias("file"))
        for t in tables if isinstance(t.table, NodeTable) and t.first is not None and "id" in t.df.columns]
    if not parts:
        return pl.DataFrame(schema={"id": pl.String, "label": pl.String, "seq": pl.Int32, _ROW: pl.Int64,
                                    "file": pl.String})
    return pl.concat([x.with_columns(pl.col("seq").cast(pl.Int32)) for x in parts])


class _RefCheck:
    """References as joins: not an id at all (unless its own row was rejected), or the wrong kind."""

    def __init__(self, p: _Problems, nodes: pl.DataFrame, rejected: pl.Series):
        self.p, self.nodes, self.rejected = p, nodes.select("id", pl.col("label").alias("_label")), rejected

    def to(self, p: _Problems) -> "_RefCheck":
        """The same check, reporting into ``p``."""
        other = _RefCheck.__new__(_RefCheck)
        other.p, other.nodes, other.rejected = p, self.nodes, self.rejected
        return other

    def __call__(self, file: str, rows: pl.DataFrame, col: str, header: str, allowed: tuple[str, ...]) -> pl.Series:
        """Report bad references of ``rows[col]``; return the mask of good ones."""
        j = rows.select(_ROW, pl.col(col).alias("_ref")).join(self.nodes, left_on="_ref", right_on="id", how="left",
                                                              maintain_order="left")
        j = j.with_columns(pl.col("_ref").is_in(self.rejected.implode()).alias("_rejected"))
        tables = " or ".join(TABLE_OF_LABEL[label] for label in allowed)
        kinds = " or ".join(allowed)
        unknown = j.filter(pl.col("_label").is_null() & ~pl.col("_rejected"))
        wrong = j.filter(pl.col("_label").is_not_null() & ~pl.col("_label").is_in(list(allowed)))
        self.p.frame("error", "unknown_reference", file, pl.concat([
            unknown.with_columns(pl.lit(0).alias("_k")), wrong.with_columns(pl.lit(1).alias("_k"))]).sort(
                _ROW, maintain_order=True), header, "_ref",
            lambda r: (f"'{r['_ref']}' in {header} is not the id of any {kinds} in the dataset." if r["_k"] == 0
                       else f"'{r['_ref']}' in {header} is a {r['_label']}, not a {kinds}."),
            lambda r: (f"Add a row with this id to {tables}, or correct the id." if r["_k"] == 0
                       else f"Use the id of a row in {tables}."))
        return j["_label"].is_in(list(allowed)).fill_null(False)


def _scopes(p: _Problems, check: _RefCheck, t: _Table) -> None:
    header = t.header_of.get("scope_id", "scope_id")
    if "scope" not in t.df.columns:
        return
    rows = t.df.filter(pl.col("_ok") & t.first & (pl.col("scope") != "city"))
    if "scope_id" not in rows.columns:
        rows = rows.with_columns(pl.lit(None, pl.String).alias("scope_id"))
    p.frame("error", "missing_value", t.file, rows.filter(pl.col("scope_id").is_null()), header, None,
            lambda r: f"'{header}' is required when scope is {r['scope']}.",
            lambda r: f"Give the id of the {r['scope']}, or set scope to city.")
    given = rows.filter(pl.col("scope_id").is_not_null())
    # one group per scope, merged back in row order so each row's problem comes where the row reader puts it
    marks = []
    for scope, allowed in (("cluster", ("Cluster",)), ("chain", ("Chain",))):
        part = given.filter(pl.col("scope") == scope)
        if part.height:
            sub = _Problems()
            check.to(sub)(t.file, part, "scope_id", header, allowed)
            marks.extend(sub.items)
    p.items.extend(sorted(marks, key=lambda q: q.row))


def _relationships(p: _Problems, check: _RefCheck, tables: list[_Table]) -> pl.DataFrame:
    """Check every relationship's ends; return the accepted ones in the row reader's order, with ``first``."""
    parts = []
    for t in tables:
        frames = list(_pending_frames(t))
        if isinstance(t.table, EdgeTable):
            ends = [("start", t.table.from_column, t.table.from_labels), ("end", t.table.to_column, t.table.to_labels)]
        else:
            fk_list = t.table.foreign_keys
        sub_problems = []
        for sub, frame in frames:
            if isinstance(t.table, EdgeTable):
                checks = ends
            else:
                fk = fk_list[sub]
                checks = [("start" if fk.reverse else "end", fk.column, fk.target_labels)]
            good = pl.Series([True] * frame.height, dtype=pl.Boolean)
            for k, (end, col, allowed) in enumerate(checks):
                q = _Problems()
                good = good & check.to(q)(t.file, frame.select(_ROW, pl.col(end).alias(col)), col,
                                          t.header_of[col], allowed)
                sub_problems.extend((pr.row, sub, k, pr) for pr in q.items)
            parts.append(frame.filter(good).select(_IDX, _ROW, "type", "start", "end",
                                                   pl.lit(t.seq, pl.Int32).alias("seq"),
                                                   pl.lit(sub, pl.Int32).alias("sub")))
        sub_problems.sort(key=lambda x: (x[0], x[1], x[2]))
        p.items.extend(x[3] for x in sub_problems)
    if not parts:
        return pl.DataFrame(schema={_IDX: pl.UInt32, _ROW: pl.Int64, "type": pl.String, "start": pl.String,
                                    "end": pl.String, "seq": pl.Int32, "sub": pl.Int32, "first": pl.Boolean})
    rels = pl.concat(parts).sort("seq", _ROW, "sub", maintain_order=True)
    rels = rels.with_columns(pl.struct("type", "start", "end").is_first_distinct().alias("first"))
    repeats = rels.filter(~pl.col("first"))
    if repeats.height:
        firsts = rels.filter("first").select("type", "start", "end", pl.col("seq").alias("_fseq"),
                                             pl.col(_ROW).alias("_frow"))
        repeats = repeats.join(firsts, on=["type", "start", "end"], how="left", maintain_order="left")
        files = {t.seq: t.file for t in tables}
        for r in repeats.iter_rows(named=True):
            p.add("warning", "repeated_pair", files[r["seq"]], r[_ROW], None, f"{r['start']} -> {r['end']}",
                  f"{r['type']} {r['start']} -> {r['end']} repeats {Path(files[r['_fseq']]).name} "
                  f"row {r['_frow']}; the two are merged.", "Delete one of the rows.")
    return rels


def _feeds_cycles(p: _Problems, tables: list[_Table], rels: pl.DataFrame) -> None:
    """The row reader's own cycle check, on the (small) segment graph."""
    from .validate import _Builder

    files = {t.seq: t.file for t in tables}
    b = _Builder("cycles")
    for typ, start, end, seq, row in rels.filter(pl.col("first") & pl.col("type").is_in(["HAS_SEGMENT", "FEEDS"])) \
            .select("type", "start", "end", "seq", _ROW).iter_rows():
        b.ds.rels[(typ, start, end)] = Rel(typ, start, end, {}, Origin(files[seq], None, row))
    b._warn_feeds_cycles()
    p.items.extend(b.problems)
