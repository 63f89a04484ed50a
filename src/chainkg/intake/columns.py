"""The columns of an enterprise list, as the common exports name them, and reading one list.

Staff lists come from enterprise-information services (企查查, 天眼查, 启信宝 exports), the
registry (国家企业信用信息公示系统), the statistics bureau's 规上企业名录 and park rosters. Each
names its columns a little differently; :data:`ALIASES` maps every spelling we know to one
field. Only 企业名称 is required. A column not in the table is reported (``unknown_column``)
and kept: it is carried into the review file untouched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DataError
from ..graph_model.records import Problem
from ..graph_model.values import to_credit_code, to_industry_code, to_number

#: field -> (Chinese label, accepted headers). The first header is the one the review file uses.
ALIASES: dict[str, tuple[str, tuple[str, ...]]] = {
    "name": ("企业名称", ("企业名称", "公司名称", "单位名称", "企业(机构)名称", "名称", "企业全称", "纳税人名称",
                       "市场主体名称", "company", "company name", "name")),
    "credit_code": ("统一社会信用代码", ("统一社会信用代码", "信用代码", "社会信用代码", "统一代码",
                                       "纳税人识别号", "uscc", "credit code")),
    "business_scope": ("经营范围", ("经营范围", "经营业务范围", "许可经营范围", "business scope")),
    "main_products": ("主营产品", ("主营产品", "主要产品", "主营业务", "主要业务", "产品", "主要产品名称",
                                 "main products")),
    "industry_code": ("行业代码", ("行业代码", "国民经济行业代码", "国标行业代码", "所属行业代码", "国民经济行业分类代码",
                                  "行业小类代码", "industry code")),
    "industry_name": ("所属行业", ("所属行业", "国民经济行业", "行业", "行业门类", "行业名称", "国标行业", "行业小类",
                                  "industry")),
    "district": ("所属区县", ("所属区县", "区县", "所在区县", "所属地区", "所在地区", "区域", "所属园区", "园区",
                             "district")),
    "address": ("注册地址", ("注册地址", "地址", "企业地址", "经营地址", "住所", "通信地址", "办公地址",
                            "生产经营地址", "address")),
    "status": ("登记状态", ("登记状态", "经营状态", "企业状态", "状态", "存续状态", "status")),
    "revenue_100m_cny": ("营业收入(亿元)", ("营业收入(亿元)", "营业收入（亿元）", "营收(亿元)", "营收（亿元）")),
    "name_en": ("英文名称", ("英文名称", "英文名", "english name")),
}
REQUIRED = ("name",)
#: registration states that mean the firm no longer exists
DEREGISTERED = ("注销", "吊销", "撤销", "已歇业", "deregistered", "revoked")


def _key(header: str) -> str:
    return re.sub(r"\s+", "", header).replace("（", "(").replace("）", ")").casefold()


HEADER_TO_FIELD: dict[str, str] = {_key(h): f for f, (_, hs) in ALIASES.items() for h in hs}


@dataclass
class ListRow:
    """One firm of a list, with where it came from."""
    file: str
    sheet: str | None
    row: int
    name: str
    credit_code: str | None = None
    business_scope: str | None = None
    main_products: str | None = None
    industry_code: str | None = None
    industry_name: str | None = None
    district: str | None = None
    address: str | None = None
    status: str | None = None
    revenue_100m_cny: float | None = None
    name_en: str | None = None
    extra: dict[str, str] = field(default_factory=dict)  # unknown columns, as headed in the file
    merged_rows: list[str] = field(default_factory=list)  # "file sheet row" of rows merged into this one

    @property
    def where(self) -> str:
        return f"{Path(self.file).name}{f' [{self.sheet}]' if self.sheet else ''} row {self.row}"


@dataclass
class ListReading:
    rows: list[ListRow]
    problems: list[Problem]
    extra_columns: list[str]  # unknown headers, in order of first appearance


def _problem(sev, code, file, sheet, row, column, value, message, hint):
    return Problem(sev, code, file, sheet, row, column, value, message, hint)


#: list columns checked on reading: field -> (converter, problem code, what is wrong, how to fix it);
#: a bad cell is a warning and the value is not used
CHECKED = {
    "credit_code": (to_credit_code, "bad_credit_code",
                    "is not a valid unified social credit code; the firm is matched by name.",
                    "Copy the 18-character code from the National Enterprise Credit Information "
                    "Publicity System, or leave the cell empty."),
    "industry_code": (to_industry_code, "bad_industry_code", "is not a GB/T 4754-2017 industry code; it is not used.",
                      "Write 2-4 digits (38, 382, 3825), optionally after the section letter (C3825)."),
    "revenue_100m_cny": (to_number, "bad_number", "is not a number; the revenue is not used.",
                         "Write a plain number of 亿元, such as 12.5."),
}


def read_list(path: str | Path, sheet: str | int | None = None, *, encoding: str | None = None) -> ListReading:
    """Read one enterprise list; every bad row and unknown column is in ``problems``.

    A CSV's encoding is detected (:func:`chainkg.loaders.frames.detect_encoding`) unless
    ``encoding`` names it; an unclear one is refused with the candidates named.

    A file without a 企业名称 column (under any alias) raises :class:`DataError`.
    """
    from ..loaders.frames import read_frame

    frame = read_frame(path, sheet, header_hint=list(HEADER_TO_FIELD), encoding=encoding)
    file, sh = frame.file, frame.sheet
    problems: list[Problem] = []
    field_of: dict[str, str] = {}
    extra: list[str] = []
    seen: dict[str, str] = {}
    for h in frame.headers:
        f = HEADER_TO_FIELD.get(_key(h))
        if f is None:
            extra.append(h)
            problems.append(_problem(
                "warning", "unknown_column", file, sh, frame.header_row, h, None,
                f"Column '{h}' is not one chainkg reads; it is kept in the review file as it is.",
                "Rename it to a known column (see docs/intake.md, 'Columns') if it holds one of them."))
        elif f in seen:
            extra.append(h)
            problems.append(_problem(
                "warning", "duplicate_column", file, sh, frame.header_row, h, None,
                f"Columns '{seen[f]}' and '{h}' both mean {ALIASES[f][0]}; '{seen[f]}' is used.",
                "Delete or rename one of them."))
        else:
            seen[f] = h
            field_of[h] = f
    if "name" not in seen:
        msg = "has no 企业名称 column (the only required one)"
        raise DataError(f"{file}: {msg}", problems=problems + [_problem(
            "error", "missing_column", file, sh, frame.header_row or None, "企业名称", None,
            f"The list {msg}; the header row found was row {frame.header_row}: "
            f"{', '.join(frame.headers[:8])}.",
            "Add a column headed 企业名称 (or 公司名称 / 单位名称).")])
    rows: list[ListRow] = []
    for rownum, cells in frame.records():
        values = {field_of[h]: v for h, v in cells.items() if h in field_of and v is not None}
        name = values.pop("name", None)
        if name is None:
            problems.append(_problem("error", "missing_value", file, sh, rownum, seen["name"], None,
                                     "The row has no 企业名称; it is skipped.",
                                     "Fill in the firm's registered name, or delete the row."))
            continue
        row = ListRow(file, sh, rownum, name, extra={h: v for h, v in cells.items() if h in extra and v})
        for f, v in values.items():
            if f in CHECKED:
                convert, code, what, hint = CHECKED[f]
                try:
                    v = convert(v)
                except Exception:
                    problems.append(_problem("warning", code, file, sh, rownum, seen[f], v, f"'{v}' {what}", hint))
                    continue
            setattr(row, f, v)
        if row.status and any(word in row.status for word in DEREGISTERED):
            problems.append(_problem(
                "warning", "deregistered", file, sh, rownum, seen["status"], row.status,
                f"'{name}' is {row.status}: it is reported, not placed.",
                "Nothing to do; remove the row if it should not be on the list."))
        rows.append(row)
    return ListReading(rows, problems, extra)


def is_deregistered(row: ListRow) -> bool:
    return bool(row.status) and any(word in (row.status or "") for word in DEREGISTERED)


def alias_table() -> str:
    """The alias table of docs/intake.md (tests check the doc holds it)."""
    lines = ["| field | 中文 | accepted headers 可用表头 |", "|---|---|---|"]
    for f, (zh, headers) in ALIASES.items():
        lines.append(f"| {f}{' (required 必填)' if f in REQUIRED else ''} | {zh} | {', '.join(headers)} |")
    return "\n".join(lines)
