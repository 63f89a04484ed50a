"""Readers of raw tables, picked by file type: every table of a file as a frame of its cells, for the validator.

Each reader yields :class:`RawFrame` objects: a table's headers as written (stripped) and a polars frame of
its data rows, a text column per header position (``column_1`` …) with ``_idx`` (position in the frame) and
``_row`` (the spreadsheet row: the header is row 1; for YAML/JSON the n-th record is row n + 1, as if it
had a header row). :mod:`.columnar` validates these frames, the same way for every kind of file.

- CSV: read by polars when it can (UTF-8 or a detected encoding re-encoded, every line ending ``\\n`` or
  ``\\r\\n``, no row longer than the header); otherwise by Python's csv module, as people's files come (a
  lone carriage return, cells right of the last header, an encoding given with ``--encoding`` that keeps
  its BOM). Both give the same frame; cells a writer neutralised (``'=…``) are restored
  (:func:`chainkg.safety.restore`, the exact inverse of what chainkg's writers do).
- Workbooks (openpyxl) and YAML/JSON records: cells that are not text (numbers, dates, yes/no, lists) are
  kept as they are in :attr:`RawFrame.typed`, beside their text, so the validator converts the value the
  file holds (Excel's ``1.0`` for an id is ``"1"``, a date cell is ``YYYY-MM-DD``), not a rendering of it.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from ..errors import DataError
from ..graph_model.records import Problem
from ..graph_model.values import as_text, is_empty
from ..safety import restore
from .problems import text

#: the characters Python's ``str.strip()`` removes (polars' own whitespace set lacks \x1c-\x1f): every code point
#: whose ``isspace()`` is true, written out (computing it at import cost a pass over 1.1M code points)
WHITESPACE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
              "\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
_SEPARATORS = (b"\x1c", b"\x1d", b"\x1e", b"\x1f")  # whitespace to Python's str.strip(), not to polars
IDX = "_idx"  # position of a row in its table's frame
ROW = "_row"  # spreadsheet row number (header = 1)


@dataclass
class RawFrame:
    """One table as read: headers and the cells of its data rows, before any check."""
    name: str  # the file stem or sheet name, before alias resolution
    file: str
    sheet: str | None
    headers: list[str]
    #: ``column_<n>`` (text, None when empty) for the n-th header position, ``_idx``, ``_row``
    df: pl.DataFrame
    #: the characters to strip from cells (None: polars' default whitespace is the same for this file)
    chars: str | None = WHITESPACE
    #: False: cells a writer neutralised ('=…) are still to be restored (the polars CSV path)
    restored: bool = True
    #: False: rows empty everywhere are still in the frame (the polars CSV path); the validator drops them
    kept: bool = True
    #: header position -> {_idx: value} of the cells that are not text (their text is in ``df``)
    typed: dict[int, dict[int, Any]] = field(default_factory=dict)
    #: problems found while reading (cells right of the last header)
    problems: list[Problem] = field(default_factory=list)


READERS: dict[str, Callable[..., Iterator[RawFrame]]] = {}


def reader(*suffixes: str) -> Callable:
    def register(fn: Callable[..., Iterator[RawFrame]]) -> Callable[..., Iterator[RawFrame]]:
        for s in suffixes:
            READERS[s] = fn
        return fn
    return register


def _nonempty(values: Sequence) -> bool:
    return any(v is not None and str(v).strip() for v in values)


def _extra_cells(file: str, sheet: str | None, row: int, values: Sequence, width: int) -> Problem | None:
    """A row's non-empty cells right of the last header: a problem, never silently dropped."""
    extra = [v for v in values[width:] if v is not None and str(v).strip()]
    if not extra:
        return None
    return Problem("error", "extra_cells", file, sheet, row, None, str(extra[0]),
                   *text("extra_cells", row=row, n=len(extra), shown=", ".join(repr(str(v)) for v in extra[:3])))


def frame_of_rows(name: str, file: str, sheet: str | None, headers: list[str], rows: Sequence[tuple[int, Sequence]],
                  problems: list[Problem] | None = None) -> RawFrame:
    """The frame of rows read one by one: ``rows`` are (spreadsheet row, cells by header position); a cell
    that is not text keeps its value in ``typed``, and its text (:func:`as_text`) in the frame."""
    width = len(headers)
    columns: list[list[str | None]] = [[None] * len(rows) for _ in range(width)]
    typed: dict[int, dict[int, Any]] = {}
    for i, (_, cells) in enumerate(rows):
        for j, v in enumerate(cells[:width]):
            if v is None or isinstance(v, str):
                columns[j][i] = v
            elif not is_empty(v):
                typed.setdefault(j, {})[i] = v
                columns[j][i] = as_text(v)
    df = pl.DataFrame({IDX: pl.Series(IDX, range(len(rows)), dtype=pl.UInt32),
                       ROW: pl.Series(ROW, [r for r, _ in rows], dtype=pl.Int64),
                       **{f"column_{j + 1}": pl.Series(f"column_{j + 1}", col, dtype=pl.String)
                          for j, col in enumerate(columns)}})
    return RawFrame(name, file, sheet, headers, df, typed=typed, problems=problems or [])


# -- CSV ----------------------------------------------------------------------------------------------

def _decode(path: Path, encoding: str | None, data: bytes | None = None) -> str:
    """The text of a file, decoded as every tabular file is (:func:`chainkg.loaders.frames.decode`: a BOM,
    else UTF-8, else the encoding charset-normalizer finds; ``encoding`` when given)."""
    from .frames import EncodingUnclear, decode, encoding_problem

    try:
        return decode(path.read_bytes() if data is None else data, encoding)[0]
    except (UnicodeDecodeError, LookupError, EncodingUnclear) as exc:
        if encoding:
            raise DataError(f"{path}: cannot be read as {encoding}: {exc}",
                            problems=[_file_problem(path, "bad_encoding", f"Cannot be read as {encoding}.",
                                                    "Check the --encoding value.")]) from exc
        what, hint = encoding_problem(path, exc)
        raise DataError(f"{path}: {what}",
                        problems=[_file_problem(path, "bad_encoding", f"The file {what}.", hint)]) from exc


def _file_problem(path: Path, code: str, message: str, hint: str) -> Problem:
    return Problem("error", code, str(path), None, None, None, None, message, hint)


def _lone_cr(data: bytes | str) -> bool:
    """Whether a carriage return ends a line on its own (the csv module's line end, not polars')."""
    cr, crlf = (b"\r", b"\r\n") if isinstance(data, bytes) else ("\r", "\r\n")
    return data.find(cr) >= 0 and data.count(cr) != data.count(crlf)  # type: ignore[arg-type]


@reader(".csv")
def read_csv(path: Path, encoding: str | None = None) -> Iterator[RawFrame]:
    """A CSV file's one table: by polars when the file allows it, else row by row (the same frame)."""
    data = path.read_bytes()
    decoded = _decode(path, encoding, data) if encoding or _lone_cr(data) else None
    if decoded is not None:
        if decoded.startswith("\ufeff") or _lone_cr(decoded):  # a BOM the codec keeps is a header's first character
            yield _csv_rows(path, decoded)
            return
        data = decoded.encode("utf-8")
    frame = _csv_polars(path, data)
    if frame is None:  # not UTF-8 (decoded as every file is, then polars again), or a row polars reads otherwise
        if decoded is None:
            decoded = _decode(path, None, data)
        frame = (None if _lone_cr(decoded) else _csv_polars(path, decoded.encode("utf-8"))) or _csv_rows(path, decoded)
    yield frame


_FIELD_ENDS = np.zeros(256, dtype=bool)
_FIELD_ENDS[[ord(","), ord("\n"), ord("\r")]] = True


def quotes_regular(data: bytes) -> bool:
    '''Whether every double quote of CSV bytes is where the format puts it: opening a field, doubled inside
    one, or closing it before a comma or line end (and none left open). The csv module and polars read
    such a file alike; a stray quote (``a"b``, ``"ab"c``) each reads its own way, so it goes to the csv module.
    Vectorised over the runs of quotes: each quote toggles inside/outside.

    >>> quotes_regular(b'a,"b,""c""",d\\n"",x\\n'), quotes_regular(b'a,b"c\\n'), quotes_regular(b'"ab"c,d\\n')
    (True, False, False)
    >>> quotes_regular(b'a,"open\\n'), quotes_regular(b'no quotes\\n')
    (False, True)
    '''
    raw = np.frombuffer(data, dtype=np.uint8)
    at = np.flatnonzero(raw == 34)
    if not at.size:
        return True
    starts = np.concatenate(([0], np.flatnonzero(np.diff(at) != 1) + 1))
    first, length = at[starts], np.diff(np.concatenate((starts, [at.size])))
    inside_before = (np.cumsum(length) - length) % 2 == 1
    inside_after = (inside_before.astype(np.int64) + length) % 2 == 1
    padded = np.concatenate(([ord("\n")], raw, [ord("\n")]))  # before the first byte and after the last: a line end
    prev_ok = _FIELD_ENDS[padded[first]]  # padded[i] is raw[i - 1]
    next_ok = _FIELD_ENDS[padded[first + length + 1]]
    return bool(np.all(inside_before | prev_ok) and np.all(inside_after | next_ok) and not inside_after[-1])


def _csv_polars(path: Path, data: bytes) -> RawFrame | None:
    """The frame of UTF-8 CSV bytes read by polars; None when polars cannot read it as the csv module does
    (not UTF-8, a stray quote, a row longer than the header, nothing at all)."""
    if not quotes_regular(data):
        return None
    try:
        df = pl.read_csv(data, has_header=False, infer_schema=False, quote_char='"', encoding="utf8")
    except pl.exceptions.PolarsError:
        return None
    if df.height == 0:
        return None
    headers = [("" if h is None else h).strip() for h in df.row(0)]
    df = df.slice(1).with_row_index(IDX).with_columns((pl.col(IDX) + 2).cast(pl.Int64).alias(ROW))
    chars = WHITESPACE if any(data.find(b) >= 0 for b in _SEPARATORS) else None
    return RawFrame(path.stem, str(path), None, headers, df, chars=chars, restored=False, kept=False)


def _csv_rows(path: Path, decoded: str) -> RawFrame:
    """The frame of a CSV text read by Python's csv module (what polars does not read the same way)."""
    rows = csv.reader(io.StringIO(decoded, newline=""))
    headers = [h.strip() for h in next(rows, [])]
    body, problems = [], []
    for i, values in enumerate(rows, start=2):
        if _nonempty(values):
            if (extra := _extra_cells(str(path), None, i, values, len(headers))) is not None:
                problems.append(extra)
            body.append((i, [restore(v) for v in values[: len(headers)]]))
    return frame_of_rows(path.stem, str(path), None, headers, body, problems)


# -- workbooks ----------------------------------------------------------------------------------------

@reader(".xlsx", ".xlsm")
def read_xlsx(path: Path, encoding: str | None = None) -> Iterator[RawFrame]:
    """Every sheet with a header row (an empty sheet is no table)."""
    from .frames import open_xlsx

    wb = open_xlsx(path)  # the one workbook opener (a broken file: DataError with its problem)
    try:
        for ws in wb.worksheets:
            it = ws.iter_rows(values_only=True)
            first = next(it, None)
            if first is None:
                continue
            headers = ["" if h is None else str(h).strip() for h in first]
            while headers and not headers[-1]:
                headers.pop()
            body, problems = [], []
            for i, values in enumerate(it, start=2):
                if _nonempty(values):
                    if (extra := _extra_cells(str(path), ws.title, i, values, len(headers))) is not None:
                        problems.append(extra)
                    body.append((i, [_restore_xlsx(v) for v in values[: len(headers)]]))
            yield frame_of_rows(ws.title, str(path), ws.title, headers, body, problems)
    finally:
        wb.close()


def _restore_xlsx(value: Any) -> Any:
    """:func:`restore` for a workbook cell, whose XML turned the carriage return of a
    neutralised ``'\r...`` into a line feed (``'\n`` is never written otherwise).

    >>> _restore_xlsx("'\\n=1"), _restore_xlsx("'=1"), _restore_xlsx(3)
    ('\\r=1', '=1', 3)
    """
    if isinstance(value, str) and value.startswith("'\n"):
        value = "'\r" + value[2:]
    return restore(value)


# -- YAML and JSON records ------------------------------------------------------------------------------

def _records(path: Path, data: Any, default_name: str) -> Iterator[RawFrame]:
    """A list of mappings is one table; a mapping of lists is several."""
    tables: dict
    if isinstance(data, list):
        tables = {default_name: data}
    elif isinstance(data, dict) and all(isinstance(v, list) for v in data.values()):
        tables = data
    else:
        raise DataError(f"{path}: expected a list of records or a mapping of table names to lists",
                        problems=[_file_problem(path, "bad_file", "Expected a list of records, or a mapping "
                                                "of table names to lists of records.", "See docs/format.md.")])
    for name, records in tables.items():
        headers: list[str] = []
        for rec in records:
            if isinstance(rec, dict):
                headers += [str(k) for k in rec if str(k) not in headers]
        rows = []
        for i, rec in enumerate(records, start=2):
            cells = {str(k): v for k, v in rec.items()} if isinstance(rec, dict) else {}
            rows.append((i, [cells.get(h) for h in headers]))
        yield frame_of_rows(str(name), str(path), str(name) if name != default_name else None, headers, rows)


def _read_structured(path: Path, encoding: str | None, kind: str, parse: Callable[[str], Any],
                     error: type[Exception]) -> Iterator[RawFrame]:
    try:
        data = parse(_decode(path, encoding))
    except error as exc:
        raise DataError(f"{path}: invalid {kind}: {exc}",
                        problems=[_file_problem(path, "bad_file", f"Invalid {kind}: {exc}", "Fix the syntax.")]) from exc
    yield from _records(path, [] if data is None else data, path.stem)


@reader(".yaml", ".yml")
def read_yaml(path: Path, encoding: str | None = None) -> Iterator[RawFrame]:
    import yaml

    yield from _read_structured(path, encoding, "YAML", yaml.safe_load, yaml.YAMLError)


@reader(".json")
def read_json(path: Path, encoding: str | None = None) -> Iterator[RawFrame]:
    yield from _read_structured(path, encoding, "JSON", json.loads, json.JSONDecodeError)
