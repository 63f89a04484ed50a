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
from dataclasses import dataclass
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


READERS: dict[str, Callable[..., Iterator[RawTable]]] = {}


def reader(*suffixes: str):
    def register(fn):
        for s in suffixes:
            READERS[s] = fn
        return fn
    return register


def _decode(path: Path, encoding: str | None) -> str:
    """The text of ``path``: ``encoding``, else the one detection of :func:`chainkg.loaders.frames.decode`."""
    from .frames import EncodingUnclear, decode, encoding_problem

    try:
        return decode(path.read_bytes(), encoding)[0]
    except (UnicodeDecodeError, LookupError, EncodingUnclear) as exc:
        what, hint = encoding_problem(path, exc)
        if encoding:
            what, hint = f"cannot be read as {encoding}: {exc}", "Check the --encoding value."
        raise DataError(f"{path}: {what}", problems=[_file_problem(path, "bad_encoding", f"The file {what}.", hint)])


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

    def body():
        for i, values in enumerate(rows, start=2):
            if _nonempty(values):
                yield i, {h: restore(v) for h, v in zip(headers, values)}
    yield RawTable(path.stem, str(path), None, headers, body())


@reader(".xlsx", ".xlsm")
def read_xlsx(path: Path, encoding: str | None = None) -> Iterator[RawTable]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise DataError(f"{path}: not a readable .xlsx workbook ({exc})",
                        problems=[_file_problem(path, "bad_file", f"Not a readable .xlsx workbook: {exc}",
                                                "Save it again from Excel as .xlsx.")])
    for ws in wb.worksheets:
        it = ws.iter_rows(values_only=True)
        first = next(it, None)
        if first is None:
            continue
        headers = ["" if h is None else str(h).strip() for h in first]
        while headers and not headers[-1]:
            headers.pop()

        def body(it=it, headers=headers):
            for i, values in enumerate(it, start=2):
                values = values[: len(headers)]
                if _nonempty(values):
                    yield i, {h: _restore_xlsx(v) for h, v in zip(headers, values) if h}
        yield RawTable(ws.title, str(path), ws.title, headers, body())


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
                        problems=[_file_problem(path, "bad_file", f"Invalid {kind}: {exc}", "Fix the syntax.")])
    yield from _records(path, [] if data is None else data, path.stem)


@reader(".yaml", ".yml")
def read_yaml(path: Path, encoding: str | None = None) -> Iterator[RawTable]:
    import yaml

    yield from _read_structured(path, encoding, "YAML", yaml.safe_load, yaml.YAMLError)


@reader(".json")
def read_json(path: Path, encoding: str | None = None) -> Iterator[RawTable]:
    yield from _read_structured(path, encoding, "JSON", json.loads, json.JSONDecodeError)
