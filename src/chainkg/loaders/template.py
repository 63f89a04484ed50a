"""The Excel workbook staff fill in: every table, Chinese headers, column notes, drop-downs."""

from __future__ import annotations

from pathlib import Path

from ..cells import cell
from ..graph_model.schema import ENUM_ZH, ENUMS, TABLES, Column
from ..graph_model.vocabulary import YES_NO

MAX_ROWS = 2000  # rows the drop-down lists cover in an empty template


def _note(c: Column) -> str:
    parts = [c.name, "必填 required" if c.required else "选填 optional"]
    if c.note:
        parts.append(c.note)
    if c.kind == "bool":
        parts.append("/".join(reversed(YES_NO["zh"])))
    return "\n".join(parts)


def _choices(c: Column) -> list[str] | None:
    if c.kind == "bool":
        return list(reversed(YES_NO["zh"]))
    if c.kind == "enum":
        return [ENUM_ZH.get(v, v) for v in ENUMS[c.enum]] + list(ENUMS[c.enum])
    return None


def write_workbook(path: Path, tables: dict[str, list[dict]] | None = None, *, lang: str = "zh") -> Path:
    """An .xlsx with a notes sheet (说明) and one sheet per table; ``tables`` fills rows in."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    notes = wb.active
    notes.title = "说明"
    notes.append(["表 sheet", "中文名", "必填列 required columns", "说明 notes"])
    for t in TABLES:
        req = ", ".join(f"{c.zh} ({c.name})" for c in t.columns if c.required)
        notes.append([t.table, t.zh, req, "必填表 required table" if getattr(t, "required_table", False) else ""])
    notes.append([])
    notes.append(["表头可用中文或英文；是/否 列也接受 true/false。金额单位为亿元。"])
    notes.append(["Headers may be Chinese or English; yes/no columns accept 是/否 or true/false. Money is in 亿元 (100 million yuan)."])
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for cell_ in notes[1]:
        cell_.font = bold
    notes.column_dimensions["A"].width = 18
    notes.column_dimensions["B"].width = 14
    notes.column_dimensions["C"].width = 60

    for t in TABLES:
        ws = wb.create_sheet(t.table)
        headers = [c.zh if lang == "zh" else c.name for c in t.columns]
        ws.append(headers)
        rows = (tables or {}).get(t.table, [])
        for r in rows:
            ws.append([cell(r.get(c.name), to="data") for c in t.columns])
        ws.freeze_panes = "A2"
        last = max(MAX_ROWS, len(rows) + 1)
        for i, c in enumerate(t.columns, start=1):
            h = ws.cell(row=1, column=i)
            h.font = bold
            h.fill = fill
            h.comment = Comment(_note(c), "chainkg")
            letter = get_column_letter(i)
            ws.column_dimensions[letter].width = max(10, min(40, len(headers[i - 1]) * 2 + 4))
            choices = _choices(c)
            if choices:
                dv = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True,
                                    showErrorMessage=True, errorTitle="chainkg",
                                    error=f"{c.zh}: " + " / ".join(choices))
                ws.add_data_validation(dv)
                dv.add(f"{letter}2:{letter}{last}")
    return save_workbook(wb, path)


def save_workbook(wb, path: Path) -> Path:
    """Save an openpyxl workbook, making its folder first."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
