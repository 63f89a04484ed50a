"""Read a dataset into a :class:`~chainkg.graph_model.records.Dataset`, reporting every problem.

Row checks come from the pydantic row models; cross-table checks (duplicate ids, references,
self links, repeated pairs, firms in no segment, FEEDS cycles) follow once every table is read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from ..errors import DataError
from ..graph_model.records import Dataset, Node, Origin, Problem, Rel, Row, row_model
from ..graph_model.schema import TABLE_BY_NAME, TABLE_OF_LABEL, EdgeTable, NodeTable, RuleTable, header_aliases, table_aliases
from ..graph_model.values import as_text, is_empty
from .dataset import iter_raw_tables, resolve_dataset

NOTES_SHEETS = {"说明", "readme", "notes"}
#: problem codes of a file that could not be read at all
UNREADABLE = ("bad_encoding", "bad_file")

HINTS = {
    "control_character": "Delete the invisible character (often pasted from another program); "
                         "tabs and line breaks are fine.",
    "missing_value": "Fill in the cell, or delete the row if it is not needed.",
    "bad_enum": "Use one of the listed values, in English or Chinese.",
    "bad_number": "Write a plain number such as 12.5; the column name gives the unit (亿元 = 100 million yuan).",
    "bad_bool": "Use 是/否, true/false, yes/no or 1/0.",
    "bad_percent": "Write a percentage from 0 to 100, e.g. 40 or 40%.",
    "bad_date": "Write dates as YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2023-09-14.",
    "bad_credit_code": "Copy the 18-character code from the National Enterprise Credit Information "
                       "Publicity System, or leave the cell empty.",
    "bad_industry_code": "Write a GB/T 4754-2017 code: 2-4 digits (38, 382, 3825), optionally after its "
                         "section letter (C3825).",
}

#: terms that match almost every firm: a segment_terms row with one of these says nothing
EMPTY_TERMS = frozenset("""平台 服务 科技 技术 公司 有限公司 集团 实业 发展 产业 工业 企业 生产 制造 销售 加工 研发 开发 研制
    设计 咨询 贸易 进出口 批发 零售 经营 管理 信息 工程 系统 设备 产品 材料 智能 新材料 新能源 高新 高科技 创新 数字
    网络 电子 机械 一般项目 许可项目 技术服务 技术开发 技术咨询 技术转让 技术推广 货物进出口 技术进出口""".split())


class ProblemsReport:
    """What a reader found: ``problems``, and ``dataset`` when asked (shared by the row and column readers)."""
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def ok(self, strict: bool = False) -> bool:
        return not self.errors and not (strict and self.warnings)

    def require_ok(self, strict: bool = False) -> Dataset:
        """The dataset, or DataError carrying every problem: the one "refuse bad data" decision."""
        if self.ok(strict):
            return self.dataset
        n_err, n_warn = len(self.errors), len(self.warnings)
        raise DataError(f"{self.name}: {n_err} error(s), {n_warn} warning(s)"
                        + (" (--strict: warnings count as errors)" if strict and n_warn else "")
                        + "; nothing was done.", problems=self.problems,
                        hint="Fix the rows listed (chainkg validate lists them all) and try again.")


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
                f"{where} is not a known table and is ignored.",
                f"Name it after a table: {', '.join(TABLE_BY_NAME)} (or its Chinese name)."))
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
                             f"Unknown column '{h}' in table {table_name}; its values are not loaded.",
                             f"Rename it to a known column ({', '.join(c.name for c in table.columns)}) "
                             "or remove it.")
            elif col in header_of:
                self.problem("error", "duplicate_column", origin1, h, None,
                             f"Columns '{header_of[col]}' and '{h}' both mean '{col}'.", "Keep only one of them.")
            else:
                header_of[col] = h
        missing = [c for c in table.columns if c.required and c.name not in header_of]
        for c in missing:
            self.problem("error", "missing_column", origin1, c.name, None,
                         f"Required column '{c.name}' ({c.zh}) is missing from table {table_name}.",
                         f"Add a column headed '{c.name}' or '{c.zh}'.")
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
                                     f"'{header_of.get(col, col)}' is required but empty.", HINTS["missing_value"])
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
                         f"Id '{node_id}' is already used by a {first.label} in {Path(first.origin.file).name}"
                         f"{f' sheet {first.origin.sheet}' if first.origin.sheet else ''} row {first.origin.row}.",
                         "Ids must be unique across all tables: give one of them another id.")
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
            self.problem("error", "self_link", origin, header_of[table.from_column], start,
                         f"Segment '{start}' feeds itself.",
                         "Remove the row: a FEEDS link joins two different segments.")
            return
        self.pending.append(_PendingRel(
            table.rel_type, start, end, table.from_labels, table.to_labels, rec, origin,
            ((header_of[table.from_column], start, table.from_labels),
             (header_of[table.to_column], end, table.to_labels))))

    def _rule(self, table: RuleTable, rec: dict, origin: Origin, header_of) -> None:
        if table.table == "segment_terms":
            term = rec["term"]
            if term.strip().casefold() in EMPTY_TERMS:
                self.problem("error", "empty_term", origin, header_of["term"], term,
                             f"The term '{term}' says nothing about what a firm makes: nearly every firm's "
                             "name or business scope has it.",
                             "Use a word for the product or process (电池片, 逆变器, 膜电极), or delete the row.")
                return
            if len(term.strip()) < 2:
                self.problem("warning", "short_term", origin, header_of["term"], term,
                             f"The one-character term '{term}' matches many unrelated firms.",
                             "Use a longer word (锂电池 rather than 锂).")
        self.pending_rules.append((table, rec, origin, header_of))

    # -- across tables -----------------------------------------------------------------------
    def _check_ref(self, origin, header, ref_id, allowed) -> bool:
        node = self.ds.nodes.get(ref_id)
        tables = " or ".join(TABLE_OF_LABEL[label] for label in allowed)
        if node is None and ref_id in self.rejected:
            return False  # its own row's errors are reported already
        if node is None:
            self.problem("error", "unknown_reference", origin, header, ref_id,
                         f"'{ref_id}' in {header} is not the id of any {' or '.join(allowed)} in the dataset.",
                         f"Add a row with this id to {tables}, or correct the id.")
            return False
        if node.label not in allowed:
            self.problem("error", "unknown_reference", origin, header, ref_id,
                         f"'{ref_id}' in {header} is a {node.label}, not a {' or '.join(allowed)}.",
                         f"Use the id of a row in {tables}.")
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
                             f"'{header}' is required when scope is {scope}.",
                             f"Give the id of the {scope}, or set scope to city.")
            else:
                self._check_ref(origin, header, scope_id, ("Cluster",) if scope == "cluster" else ("Chain",))
        for p in self.pending:
            if not all([self._check_ref(p.origin, h, ref, allowed) for h, ref, allowed in p.check]):
                continue
            key = (p.type, p.start, p.end)
            if key in self.ds.rels:
                first = self.ds.rels[key]
                self.problem("warning", "repeated_pair", p.origin, None, f"{p.start} -> {p.end}",
                             f"{p.type} {p.start} -> {p.end} repeats {Path(first.origin.file).name} "
                             f"row {first.origin.row}; the two are merged.",
                             "Delete one of the rows.")
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
                         f"The row is marked confirmed, but its source '{src}' ({source.get('title')}) has low "
                         "reliability.",
                         "Cite a more reliable source for it, or set its confidence to inferred (推断).")

    def _warn_firms_without_segment(self) -> None:
        # a firm_chains row places a firm at chain level: the analysis counts it, so no warning
        placed = {r.start for r in self.ds.rels.values() if r.type in ("IN_SEGMENT", "IN_CHAIN")}
        for n in self.ds.nodes.values():
            if n.label == "Firm" and n.id not in placed:
                self.problem("warning", "firm_without_segment", n.origin, "id", n.id,
                             f"Firm '{n.id}' ({n.props.get('name')}) is in no segment and no chain; "
                             "the analysis cannot place it.",
                             "Add a firm_segments row for it, or a firm_chains row if a source names only its chain.")

    def _check_milestones(self) -> None:
        """Dates and figures of one tech_milestones row that contradict each other."""
        from ..graph_model.values import period_bounds

        for n in self.ds.nodes.values():
            if n.label != "Milestone":
                continue
            p, o = n.props, n.origin
            start, due, done = p.get("planned_start"), p.get("planned_date"), p.get("done_date")
            if start and due and period_bounds(start)[0] > period_bounds(due)[1]:
                self.problem("error", "bad_plan", o, "planned_start", start,
                             f"Milestone '{n.id}' is planned to start ({start}) after it is due ({due}).",
                             "Correct planned_start (计划开始) or planned_date (计划完成).")
            progress = p.get("progress_pct")
            if done and progress is not None and progress < 100:
                self.problem("warning", "done_not_complete", o, "progress_pct", progress,
                             f"Milestone '{n.id}' has a done date ({done}) but progress {progress:g}%.",
                             "Set progress to 100, or clear done_date (完成日期) if it is not done.")
            planned, paid = p.get("planned_funds_10k_cny"), p.get("funds_paid_10k_cny")
            if planned is not None and paid is not None and paid > planned:
                self.problem("warning", "funds_over_plan", o, "funds_paid_10k_cny", paid,
                             f"Milestone '{n.id}' has paid {paid:g} 万元, more than the planned {planned:g} 万元.",
                             "Check both figures; the funds light treats it as paid in full.")
            if paid is not None and planned is None:
                self.problem("warning", "funds_without_plan", o, "funds_paid_10k_cny", paid,
                             f"Milestone '{n.id}' has funds paid but no planned funds; the funds light cannot judge it.",
                             "Add planned_funds_10k_cny (计划资金(万元)).")

    def _warn_feeds_cycles(self) -> None:
        import networkx as nx

        chain_of = {r.end: r.start for r in self.ds.rels.values() if r.type == "HAS_SEGMENT"}
        by_chain: dict[str, nx.DiGraph] = {}
        feeds = {}
        for r in self.ds.rels.values():
            if r.type == "FEEDS" and chain_of.get(r.start) is not None and chain_of.get(r.start) == chain_of.get(r.end):
                by_chain.setdefault(chain_of[r.start], nx.DiGraph()).add_edge(r.start, r.end)
                feeds[(r.start, r.end)] = r
        for chain, g in sorted(by_chain.items()):
            for scc in nx.strongly_connected_components(g):
                if len(scc) < 2:
                    continue
                cycle = nx.find_cycle(g.subgraph(scc), source=min(scc))
                nodes = [u for u, _ in cycle]
                start = nodes.index(min(nodes))  # the same text on every run
                nodes = nodes[start:] + nodes[:start]
                path = " -> ".join(nodes + [nodes[0]])
                self.problem("warning", "feeds_cycle", feeds[cycle[-1]].origin, None, path,
                             f"FEEDS links form a cycle within chain '{chain}': {path}.",
                             "Expected for recycling loops (e.g. recycling -> materials); otherwise check "
                             "the direction of the links.")


def read_dataset(source=None, encoding: str | None = None):
    """Read and validate a dataset; every problem is in the report, nothing is raised for data.

    A folder of CSV files is checked column-wise (:mod:`.columnar`: same problems, same dataset, built
    only when asked for); anything else row by row (:func:`read_rows`).
    """
    from .causes import explain_causes
    from .columnar import Unsupported, read_columnar

    path = resolve_dataset(source)
    report: ProblemsReport
    try:
        report = read_columnar(path, encoding)
    except Unsupported:
        report = read_rows(path, encoding)
    report.problems = explain_causes(report.problems)  # a misnamed file or column first, with what it meant
    return report


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
                                          f"Table {t.table} ({t.zh}) is missing or empty; it is required.",
                                          f"Add {t.table}.csv, or a sheet named {t.table} or {t.zh}."))
        b.finish()
    b.problems.sort(key=lambda p: (p.severity != "error", p.file or "", p.sheet or "", p.row or 0))
    return ValidationReport(b.ds, b.problems)


def load_valid(source=None, encoding: str | None = None, strict: bool = False) -> Dataset:
    """The dataset, or DataError carrying every problem."""
    return read_dataset(source, encoding).require_ok(strict)
