"""The retired row reader, kept as the test oracle of the one validator (:mod:`chainkg.loaders.columnar`).

Every file is read row by row (Python's csv module, openpyxl, PyYAML/json) and each row goes through its
pydantic row model; the checks across tables follow. tests/test_columnar.py asserts that the validator
gives exactly this reader's problems (every field, same order) and dataset on many bad inputs, in every
input kind. It is test code: chainkg itself never imports it.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from chainkg.errors import DataError
from chainkg.graph_model.records import Dataset, Node, Origin, Problem, Rel, Row, row_model
from chainkg.graph_model.schema import (
    TABLE_BY_NAME,
    TABLE_OF_LABEL,
    EdgeTable,
    NodeTable,
    RuleTable,
    header_aliases,
    table_aliases,
)
from chainkg.graph_model.values import as_text, is_empty
from chainkg.loaders.dataset import IGNORED_SUFFIXES, resolve_dataset
from chainkg.loaders.problems import (
    EMPTY_TERMS,
    HINTS,
    NOTES_SHEETS,
    UNREADABLE,
    ProblemsReport,
    feeds_cycle_problems,
    milestone_problems,
    text,
)
from chainkg.safety import restore

# -- reading raw tables, row by row -------------------------------------------------------------------


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
    from chainkg.loaders.frames import EncodingUnclear, decode, encoding_problem

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
    from chainkg.loaders.frames import open_xlsx

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


def iter_raw_tables(path: Path, encoding: str | None, problems: list[Problem]) -> Iterator[RawTable]:
    files = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]
    for f in files:
        suffix = f.suffix.lower()
        if f.name.startswith((".", "~$")) or (path.is_dir() and suffix in IGNORED_SUFFIXES):
            continue
        read = READERS.get(suffix)
        if read is None:
            problems.append(Problem(
                "warning", "unknown_file", str(f), None, None, None, None,
                f"File type '{suffix or f.name}' is not a data format chainkg reads; the file is ignored.",
                f"Use .csv, .xlsx, .yaml/.yml or .json (supported: {', '.join(sorted(READERS))}).",
            ))
            continue
        try:
            for table in read(f, encoding=encoding):
                yield table
                problems.extend(table.problems)  # the caller has read its rows by now
        except DataError as exc:  # an unreadable file: report it and go on with the others
            problems.extend(exc.problems)


# -- the row reader ---------------------------------------------------------------------------------


@dataclass
class ValidationReport(ProblemsReport):
    dataset: Dataset
    problems: list[Problem] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.dataset.name

    def counts(self) -> dict[str, int]:
        return self.dataset.counts()


@dataclass
class _PendingRel:
    type: str
    start: str
    end: str
    start_labels: tuple[str, ...]
    end_labels: tuple[str, ...]
    props: dict
    origin: Origin
    check: tuple[tuple[str, str, tuple[str, ...]], ...]  # (header, id, allowed labels) to verify


class _Builder:
    def __init__(self, name: str):
        self.ds = Dataset(name)
        self.problems: list[Problem] = []
        self.pending: list[_PendingRel] = []
        self.scoped: list[tuple[Origin, dict, str]] = []  # targets/metrics scope checks
        self.sourced: list[tuple[Origin, str, str, str | None]] = []  # (origin, header, source id, confidence)
        self.rejected: set[str] = set()  # ids of rows with errors: references to them are not errors again
        self.data_rows: dict[str, int] = {}  # table -> data rows seen (valid or not)
        self.pending_rules: list[tuple[RuleTable, dict, Origin, dict]] = []

    def problem(self, severity, code, origin: Origin | None, column, value, message, hint=None, file=None):
        self.problems.append(Problem(severity, code, origin.file if origin else file,
                                     origin.sheet if origin else None, origin.row if origin else None,
                                     column, value, message, hint))

    # -- one table -------------------------------------------------------------------------
    def add_table(self, raw) -> None:
        table_name = table_aliases().get(raw.name.strip().casefold())
        if table_name is None:
            if raw.sheet is not None and raw.sheet.strip().casefold() in NOTES_SHEETS:
                return
            where = f"Sheet '{raw.sheet}'" if raw.sheet else f"File '{Path(raw.file).name}'"
            self.problems.append(Problem(
                "warning", "unknown_table", raw.file, raw.sheet, None, None, raw.name,
                *text("unknown_table", where=where, tables=", ".join(TABLE_BY_NAME))))
            return
        table = TABLE_BY_NAME[table_name]
        aliases = header_aliases(table)
        header_of: dict[str, str] = {}  # column -> header as written
        origin1 = Origin(raw.file, raw.sheet, 1)
        for h in raw.headers:
            if not h:
                continue
            col = aliases.get(h.casefold())
            if col is None:
                self.problem("warning", "unknown_column", origin1, h, None,
                             *text("unknown_column", header=h, table=table_name,
                                   known=", ".join(c.name for c in table.columns)))
            elif col in header_of:
                self.problem("error", "duplicate_column", origin1, h, None,
                             *text("duplicate_column", first=header_of[col], header=h, column=col))
            else:
                header_of[col] = h
        missing = [c for c in table.columns if c.required and c.name not in header_of]
        for c in missing:
            self.problem("error", "missing_column", origin1, c.name, None,
                         *text("missing_column", column=c.name, zh=c.zh, table=table_name))
        missing_names = {c.name for c in missing}
        model = row_model(table_name)
        col_of_header = {h: c for c, h in header_of.items()}
        for rownum, cells in raw.rows:
            self.data_rows[table_name] = self.data_rows.get(table_name, 0) + 1
            origin = Origin(raw.file, raw.sheet, rownum)
            data = {col_of_header[h]: v for h, v in cells.items() if h in col_of_header and not is_empty(v)}
            try:
                rec = model.model_validate(data).model_dump(exclude_none=True)
            except ValidationError as exc:
                if "id" in data and not is_empty(data["id"]):
                    self.rejected.add(as_text(data["id"]))
                for err in exc.errors():
                    col = str(err["loc"][0])
                    if err["type"] == "missing":
                        if col in missing_names:
                            continue
                        self.problem("error", "missing_value", origin, header_of.get(col, col), None,
                                     *text("missing_value", header=header_of.get(col, col)))
                    else:
                        raw_value = data.get(col)
                        self.problem("error", err["type"], origin, header_of.get(col, col),
                                     as_text(raw_value) if raw_value is not None else None,
                                     err["msg"], HINTS.get(err["type"]))
                continue
            if "source_id" in rec:
                self.sourced.append((origin, header_of["source_id"], rec["source_id"], rec.get("confidence")))
            if isinstance(table, NodeTable):
                self._node(table, rec, origin, header_of)
            elif isinstance(table, RuleTable):
                self._rule(table, rec, origin, header_of)
            else:
                self._edge(table, rec, origin, header_of)

    def _node(self, table: NodeTable, rec: dict, origin: Origin, header_of) -> None:
        node_id = rec["id"]
        if node_id in self.ds.nodes:
            first = self.ds.nodes[node_id]
            self.problem("error", "duplicate_id", origin, header_of["id"], node_id,
                         *text("duplicate_id", id=node_id, label=first.label, file=Path(first.origin.file).name,
                               row=first.origin.row, sheet=first.origin.sheet))
            return
        common = {k: rec[k] for k in ("source_id", "confidence") if k in rec}
        for fk in table.foreign_keys:
            target = rec.pop(fk.column, None)
            if target is None:
                continue
            start, end = (target, node_id) if fk.reverse else (node_id, target)
            sl, el = (fk.target_labels, (table.label,)) if fk.reverse else ((table.label,), fk.target_labels)
            self.pending.append(_PendingRel(fk.rel_type, start, end, sl, el, dict(common), origin,
                                            ((header_of[fk.column], target, fk.target_labels),)))
        if table.table in ("targets", "metrics"):
            self.scoped.append((origin, rec, header_of.get("scope_id", "scope_id")))
        props = {k: v for k, v in rec.items() if k != "id"}
        self.ds.nodes[node_id] = Node(node_id, table.label, props, origin)

    def _edge(self, table: EdgeTable, rec: dict, origin: Origin, header_of) -> None:
        start, end = rec.pop(table.from_column), rec.pop(table.to_column)
        if table.rel_type == "FEEDS" and start == end:
            self.problem("error", "self_link", origin, header_of[table.from_column], start, *text("self_link", segment=start))
            return
        self.pending.append(_PendingRel(
            table.rel_type, start, end, table.from_labels, table.to_labels, rec, origin,
            ((header_of[table.from_column], start, table.from_labels),
             (header_of[table.to_column], end, table.to_labels))))

    def _rule(self, table: RuleTable, rec: dict, origin: Origin, header_of) -> None:
        if table.table == "segment_terms":
            term = rec["term"]
            if term.strip().casefold() in EMPTY_TERMS:
                self.problem("error", "empty_term", origin, header_of["term"], term, *text("empty_term", term=term))
                return
            if len(term.strip()) < 2:
                self.problem("warning", "short_term", origin, header_of["term"], term, *text("short_term", term=term))
        self.pending_rules.append((table, rec, origin, header_of))

    # -- across tables -----------------------------------------------------------------------
    def _check_ref(self, origin, header, ref_id, allowed) -> bool:
        node = self.ds.nodes.get(ref_id)
        tables = " or ".join(TABLE_OF_LABEL[label] for label in allowed)
        if node is None and ref_id in self.rejected:
            return False  # its own row's errors are reported already
        if node is None or node.label not in allowed:
            self.problem("error", "unknown_reference", origin, header, ref_id,
                         *text("unknown_reference", ref=ref_id, header=header, names=" or ".join(allowed), tables=tables,
                               label=None if node is None else node.label))
            return False
        return True

    def finish(self) -> None:
        for origin, header, src, confidence in self.sourced:
            if self._check_ref(origin, header, src, ("Source",)) and confidence == "confirmed":
                self._warn_weak_source(origin, header, src)
        for origin, rec, header in self.scoped:
            scope, scope_id = rec["scope"], rec.get("scope_id")
            if scope == "city":
                continue
            if scope_id is None:
                self.problem("error", "missing_value", origin, header, None,
                             *text("missing_scope_id", header=header, scope=scope))
            else:
                self._check_ref(origin, header, scope_id, ("Cluster",) if scope == "cluster" else ("Chain",))
        for p in self.pending:
            if not all([self._check_ref(p.origin, h, ref, allowed) for h, ref, allowed in p.check]):
                continue
            key = (p.type, p.start, p.end)
            if key in self.ds.rels:
                first = self.ds.rels[key]
                self.problem("warning", "repeated_pair", p.origin, None, f"{p.start} -> {p.end}",
                             *text("repeated_pair", type=p.type, start=p.start, end=p.end,
                                   file=Path(first.origin.file).name, row=first.origin.row))
                for k, v in p.props.items():
                    first.props.setdefault(k, v)
                continue
            self.ds.rels[key] = Rel(p.type, p.start, p.end, p.props, p.origin)
        for table, rec, origin, header_of in self.pending_rules:
            if all([self._check_ref(origin, header_of[col], rec[col], labels)
                    for col, labels in table.refs if col in rec]):
                self.ds.rules.setdefault(table.table, []).append(Row(rec, origin))
        self._warn_firms_without_segment()
        self._warn_feeds_cycles()
        self._check_milestones()

    def _warn_weak_source(self, origin: Origin, header: str, src: str) -> None:
        source = self.ds.nodes[src].props
        if source.get("reliability") == "low":
            self.problem("warning", "weak_source", origin, header, src,
                         *text("weak_source", source=src, title=source.get("title")))

    def _warn_firms_without_segment(self) -> None:
        # a firm_chains row places a firm at chain level: the analysis counts it, so no warning
        placed = {r.start for r in self.ds.rels.values() if r.type in ("IN_SEGMENT", "IN_CHAIN")}
        for n in self.ds.nodes.values():
            if n.label == "Firm" and n.id not in placed:
                self.problem("warning", "firm_without_segment", n.origin, "id", n.id,
                             *text("firm_without_segment", id=n.id, name=n.props.get("name")))

    def _check_milestones(self) -> None:
        self.problems += milestone_problems((n.id, n.props, n.origin) for n in self.ds.nodes.values()
                                            if n.label == "Milestone")

    def _warn_feeds_cycles(self) -> None:
        self.problems += feeds_cycle_problems((r.type, r.start, r.end, r.origin) for r in self.ds.rels.values()
                                              if r.type in ("HAS_SEGMENT", "FEEDS"))


def read_rows(source=None, encoding: str | None = None) -> ValidationReport:
    """The row reader: each row through its pydantic model, then the checks across tables."""
    path = resolve_dataset(source)
    b = _Builder(path.stem if path.is_file() else path.name)
    for raw in iter_raw_tables(path, encoding, b.problems):  # an unreadable file is a problem, not the end
        b.add_table(raw)
    # checks across tables need every table: after an unreadable file they would only echo it
    if not any(p.code in UNREADABLE for p in b.problems):
        for t in TABLE_BY_NAME.values():
            if isinstance(t, NodeTable) and t.required_table and not b.data_rows.get(t.table):
                b.problems.append(Problem("error", "missing_table", str(path), None, None, None, t.table,
                                          *text("missing_table", table=t.table, zh=t.zh)))
        b.finish()
    b.problems.sort(key=lambda p: (p.severity != "error", p.file or "", p.sheet or "", p.row or 0))
    return ValidationReport(b.ds, b.problems)
