"""Readers of raw tables, picked by file type from a registry.

CSV and workbook cells pass through :func:`chainkg.safety.restore`, the exact inverse of what
chainkg's writers do to text that a spreadsheet would run as a formula.

Each reader yields :class:`RawTable` objects: a table's headers and its rows as
``(spreadsheet_row, {header: value})``, streamed. Row numbers count the header as row 1
(for YAML/JSON, the n-th record is row n + 1, as if it had a header row).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DataError
from ..graph_model.records import Problem
from ..safety import restore


@dataclass
class RawTable:
    name: str  # the file stem or sheet name, before alias resolution
    file: str
    sheet: str | None
    headers: list[str]
    rows: Iterable[tuple[int, dict]]
    #: problems found while the rows stream (a row with cells beyond the header), complete once they are read
    problems: list[Problem] = field(default_factory=list)


def _extra_cells(table: RawTable, row: int, values, width: int) -> None:
    """A row's non-empty cells right of the last header: a problem, never silently dropped."""
    extra = [v for v in values[width:] if v is not None and str(v).strip()]
    if extra:
        table.problems.append(Problem(
            "error", "extra_cells", table.file, table.sheet, row, None, str(extra[0]),
            f"Row {row} has {len(extra)} filled cell(s) right of the last column header "
            f"({', '.join(repr(str(v)) for v in extra[:3])}); they belong to no column.",
            "Give the column a header, or remove the stray cells (often an unquoted comma inside a value)."))


READERS: dict[str, Callable[..., Iterator[RawTable]]] = {}


def reader(*suffixes: str):
    def register(fn):
        for s in suffixes:
            READERS[s] = fn
        return fn
    return register


def _decode(path: Path, encoding: str | None) -> str:
    """The text of a file, decoded as every tabular file is (:func:`chainkg.loaders.frames.decode`: a BOM,
    else UTF-8, else the encoding charset-normalizer finds; ``encoding`` when given)."""
    from .frames import EncodingUnclear, decode, encoding_problem

    try:
        return decode(path.read_bytes(), encoding)[0]
    except (UnicodeDecodeError, LookupError, EncodingUnclear) as exc:
        if encoding:
            raise DataError(f"{path}: cannot be read as {encoding}: {exc}",
                            problems=[_file_problem(path, "bad_encoding", f"Cannot be read as {encoding}.",
                                                    "Check the --encoding value.")]) from exc
        what, hint = encoding_problem(path, exc)
        raise DataError(f"{path}: {what}",
                        problems=[_file_problem(path, "bad_encoding", f"The file {what}.", hint)]) from exc


def _file_problem(path, code, message, hint):
    return Problem("error", code, str(path), None, None, None, None, message, hint)


def _nonempty(values) -> bool:
    return any(v is not None and str(v).strip() for v in values)


@reader(".csv")
def read_csv(path: Path, encoding: str | None = None) -> Iterator[RawTable]:
    text = _decode(path, encoding)
    rows = csv.reader(io.StringIO(text, newline=""))
    headers = next(rows, [])
    headers = [h.strip() for h in headers]

    def body(table):
        for i, values in enumerate(rows, start=2):
            if _nonempty(values):
                _extra_cells(table, i, values, len(headers))
                yield i, {h: restore(v) for h, v in zip(headers, values, strict=False)}
    table = RawTable(path.stem, str(path), None, headers, ())
    table.rows = body(table)
    yield table


@reader(".xlsx", ".xlsm")
def read_xlsx(path: Path, encoding: str | None = None) -> Iterator[RawTable]:
    from .frames import open_xlsx

    wb = open_xlsx(path)  # the one workbook opener (a broken file: DataError with its problem)
    for ws in wb.worksheets:
        it = ws.iter_rows(values_only=True)
        first = next(it, None)
        if first is None:
            continue
        headers = ["" if h is None else str(h).strip() for h in first]
        while headers and not headers[-1]:
            headers.pop()

        def body(table, it=it, headers=headers):
            for i, values in enumerate(it, start=2):
                if _nonempty(values):
                    _extra_cells(table, i, values, len(headers))
                    values = values[: len(headers)]
                    yield i, {h: _restore_xlsx(v) for h, v in zip(headers, values, strict=False) if h}
        table = RawTable(ws.title, str(path), ws.title, headers, ())
        table.rows = body(table)
        yield table


def _restore_xlsx(value):
    """:func:`restore` for a workbook cell, whose XML turned the carriage return of a
    neutralised ``'\r...`` into a line feed (``'\n`` is never written otherwise).

    >>> _restore_xlsx("'\\n=1"), _restore_xlsx("'=1"), _restore_xlsx(3)
    ('\\r=1', '=1', 3)
    """
    if isinstance(value, str) and value.startswith("'\n"):
        value = "'\r" + value[2:]
    return restore(value)


def _records(path: Path, data, default_name: str) -> Iterator[RawTable]:
    """A list of mappings is one table; a mapping of lists is several."""
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
        rows = [(i, {str(k): v for k, v in rec.items()} if isinstance(rec, dict) else {"": rec})
                for i, rec in enumerate(records, start=2)]
        yield RawTable(str(name), str(path), name if name != default_name else None, headers, rows)


def _read_structured(path: Path, encoding: str | None, kind: str, parse, error: type[Exception]):
    try:
        data = parse(_decode(path, encoding))
    except error as exc:
        raise DataError(f"{path}: invalid {kind}: {exc}",
                        problems=[_file_problem(path, "bad_file", f"Invalid {kind}: {exc}", "Fix the syntax.")]) from exc
    yield from _records(path, [] if data is None else data, path.stem)


@reader(".yaml", ".yml")
def read_yaml(path: Path, encoding: str | None = None) -> Iterator[RawTable]:
    import yaml

    yield from _read_structured(path, encoding, "YAML", yaml.safe_load, yaml.YAMLError)


@reader(".json")
def read_json(path: Path, encoding: str | None = None) -> Iterator[RawTable]:
    yield from _read_structured(path, encoding, "JSON", json.loads, json.JSONDecodeError)
