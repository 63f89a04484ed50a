"""The validator's words and the checks it makes on rows as objects: the report of problems (and its one
"refuse bad data" decision), the hints of cell problems, the text of every problem (:func:`text`, each
written once; :mod:`.messages` has them in Chinese), and the checks across rows that need the rows as
objects (milestone dates and figures, FEEDS cycles).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..errors import DataError
from ..graph_model.records import Dataset, Origin, Problem

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
    """What the validator found: ``problems``, and ``dataset`` when asked."""
    problems: list[Problem]
    name: str
    dataset: Dataset

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




def _problem(severity, code, origin: Origin, column, value, message, hint) -> Problem:
    return Problem(severity, code, origin.file, origin.sheet, origin.row, column, value, message, hint)


def milestone_problems(milestones: Iterable[tuple[str, dict, Origin]]) -> list[Problem]:
    """Dates and figures of one tech_milestones row that contradict each other (``milestones``: id, the
    row's properties, where it is; the first row of a repeated id only, as the dataset keeps it)."""
    from ..graph_model.values import period_bounds

    out = []
    for node_id, p, o in milestones:
        start, due, done = p.get("planned_start"), p.get("planned_date"), p.get("done_date")
        if start and due and period_bounds(start)[0] > period_bounds(due)[1]:
            out.append(_problem("error", "bad_plan", o, "planned_start", start,
                                f"Milestone '{node_id}' is planned to start ({start}) after it is due ({due}).",
                                "Correct planned_start (计划开始) or planned_date (计划完成)."))
        progress = p.get("progress_pct")
        if done and progress is not None and progress < 100:
            out.append(_problem("warning", "done_not_complete", o, "progress_pct", progress,
                                f"Milestone '{node_id}' has a done date ({done}) but progress {progress:g}%.",
                                "Set progress to 100, or clear done_date (完成日期) if it is not done."))
        planned, paid = p.get("planned_funds_10k_cny"), p.get("funds_paid_10k_cny")
        if planned is not None and paid is not None and paid > planned:
            out.append(_problem("warning", "funds_over_plan", o, "funds_paid_10k_cny", paid,
                                f"Milestone '{node_id}' has paid {paid:g} 万元, more than the planned {planned:g} 万元.",
                                "Check both figures; the funds light treats it as paid in full."))
        if paid is not None and planned is None:
            out.append(_problem("warning", "funds_without_plan", o, "funds_paid_10k_cny", paid,
                                f"Milestone '{node_id}' has funds paid but no planned funds; the funds light cannot "
                                "judge it.", "Add planned_funds_10k_cny (计划资金(万元))."))
    return out


def feeds_cycle_problems(links: Iterable[tuple[str, str, str, Origin]]) -> list[Problem]:
    """FEEDS cycles within a chain (``links``: type HAS_SEGMENT or FEEDS, start, end, where it is)."""
    import networkx as nx

    links = list(links)
    chain_of = {end: start for typ, start, end, _ in links if typ == "HAS_SEGMENT"}
    by_chain: dict[str, nx.DiGraph] = {}
    feeds = {}
    for typ, start, end, origin in links:
        if typ == "FEEDS" and chain_of.get(start) is not None and chain_of.get(start) == chain_of.get(end):
            by_chain.setdefault(chain_of[start], nx.DiGraph()).add_edge(start, end)
            feeds[(start, end)] = origin
    out = []
    for chain, g in sorted(by_chain.items()):
        for scc in nx.strongly_connected_components(g):
            if len(scc) < 2:
                continue
            cycle = nx.find_cycle(g.subgraph(scc), source=min(scc))
            nodes = [u for u, _ in cycle]
            first = nodes.index(min(nodes))  # the same text on every run
            nodes = nodes[first:] + nodes[:first]
            path = " -> ".join(nodes + [nodes[0]])
            out.append(_problem("warning", "feeds_cycle", feeds[cycle[-1][:2]], None, path,
                                f"FEEDS links form a cycle within chain '{chain}': {path}.",
                                "Expected for recycling loops (e.g. recycling -> materials); otherwise check "
                                "the direction of the links."))
    return out


# -- the words of every problem the validator finds (each text once) ---------------------------------

def text(code: str, **kw) -> tuple[str, str | None]:
    """(message, hint) of a problem, from its code and the values it names.

    >>> text("self_link", segment="PV-CELL")
    ("Segment 'PV-CELL' feeds itself.", 'Remove the row: a FEEDS link joins two different segments.')
    """
    return _TEXTS[code](**kw)


def _duplicate_id(id, label, file, row, sheet=None):
    where = f"{file}{f' sheet {sheet}' if sheet else ''} row {row}"
    return (f"Id '{id}' is already used by a {label} in {where}.",
            "Ids must be unique across all tables: give one of them another id.")


def _unknown_reference(ref, header, names, tables, label=None):
    if label is None:
        return (f"'{ref}' in {header} is not the id of any {names} in the dataset.",
                f"Add a row with this id to {tables}, or correct the id.")
    return f"'{ref}' in {header} is a {label}, not a {names}.", f"Use the id of a row in {tables}."


_TEXTS: dict[str, Callable[..., tuple[str, str | None]]] = {
    "unknown_column": lambda header, table, known: (
        f"Unknown column '{header}' in table {table}; its values are not loaded.",
        f"Rename it to a known column ({known}) or remove it."),
    "duplicate_column": lambda first, header, column: (
        f"Columns '{first}' and '{header}' both mean '{column}'.", "Keep only one of them."),
    "missing_column": lambda column, zh, table: (
        f"Required column '{column}' ({zh}) is missing from table {table}.", f"Add a column headed '{column}' or '{zh}'."),
    "missing_value": lambda header: (f"'{header}' is required but empty.", HINTS["missing_value"]),
    "missing_scope_id": lambda header, scope: (
        f"'{header}' is required when scope is {scope}.", f"Give the id of the {scope}, or set scope to city."),
    "missing_table": lambda table, zh: (
        f"Table {table} ({zh}) is missing or empty; it is required.", f"Add {table}.csv, or a sheet named {table} or {zh}."),
    "unknown_table": lambda where, tables: (
        f"{where} is not a known table and is ignored.", f"Name it after a table: {tables} (or its Chinese name)."),
    "duplicate_id": _duplicate_id,
    "unknown_reference": _unknown_reference,
    "self_link": lambda segment: (
        f"Segment '{segment}' feeds itself.", "Remove the row: a FEEDS link joins two different segments."),
    "empty_term": lambda term: (
        f"The term '{term}' says nothing about what a firm makes: nearly every firm's name or business scope has it.",
        "Use a word for the product or process (电池片, 逆变器, 膜电极), or delete the row."),
    "short_term": lambda term: (
        f"The one-character term '{term}' matches many unrelated firms.", "Use a longer word (锂电池 rather than 锂)."),
    "repeated_pair": lambda type, start, end, file, row: (
        f"{type} {start} -> {end} repeats {file} row {row}; the two are merged.", "Delete one of the rows."),
    "weak_source": lambda source, title: (
        f"The row is marked confirmed, but its source '{source}' ({title}) has low reliability.",
        "Cite a more reliable source for it, or set its confidence to inferred (推断)."),
    "extra_cells": lambda row, n, shown: (
        f"Row {row} has {n} filled cell(s) right of the last column header ({shown}); they belong to no column.",
        "Give the column a header, or remove the stray cells (often an unquoted comma inside a value)."),
    "unknown_file": lambda suffix, supported: (
        f"File type '{suffix}' is not a data format chainkg reads; the file is ignored.",
        f"Use .csv, .xlsx, .yaml/.yml or .json (supported: {supported})."),
    "firm_without_segment": lambda id, name: (
        f"Firm '{id}' ({name}) is in no segment and no chain; the analysis cannot place it.",
        "Add a firm_segments row for it, or a firm_chains row if a source names only its chain."),
}
