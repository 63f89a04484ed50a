"""The Excel workbook staff fill in: every table, Chinese headers, column notes, drop-downs."""

from __future__ import annotations

from pathlib import Path

from ..graph_model.schema import ENUM_ZH, ENUMS, TABLES, Column
from ..graph_model.vocabulary import YES_NO
from ..workbook import add_sheet, new_workbook, save

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
    if c.kind == "enum" and c.enum:
        return [ENUM_ZH.get(v, v) for v in ENUMS[c.enum]] + list(ENUMS[c.enum])
    return None


def write_workbook(path: Path, tables: dict[str, list[dict]] | None = None, *, lang: str = "zh") -> Path:
    """An .xlsx with a notes sheet (说明) and one sheet per table; ``tables`` fills rows in."""
    from openpyxl.comments import Comment
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = new_workbook()
    notes = [[t.table, t.zh, ", ".join(f"{c.zh} ({c.name})" for c in t.columns if c.required),
              "必填表 required table" if getattr(t, "required_table", False) else ""] for t in TABLES]
    notes += [[], ["表头可用中文或英文；是/否 列也接受 true/false。金额单位为亿元。"],
              ["Headers may be Chinese or English; yes/no columns accept 是/否 or true/false. Money is in 亿元 (100 million yuan)."]]
    add_sheet(wb, "说明", ["表 sheet", "中文名", "必填列 required columns", "说明 notes"], notes, freeze=None,
              widths=[18, 14, 60, 20])

    for t in TABLES:
        headers = [c.zh if lang == "zh" else c.name for c in t.columns]
        rows = (tables or {}).get(t.table, [])
        ws = add_sheet(wb, t.table, headers, ([r.get(c.name) for c in t.columns] for r in rows), to="data",
                       widths=[max(10, min(40, len(h) * 2 + 4)) for h in headers])
        last = max(MAX_ROWS, len(rows) + 1)
        for i, c in enumerate(t.columns, start=1):
            ws.cell(row=1, column=i).comment = Comment(_note(c), "chainkg")
            letter = get_column_letter(i)
            choices = _choices(c)
            if choices:
                dv = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True,
                                    showErrorMessage=True, errorTitle="chainkg",
                                    error=f"{c.zh}: " + " / ".join(choices))
                ws.add_data_validation(dv)
                dv.add(f"{letter}2:{letter}{last}")
    return save(wb, path)
