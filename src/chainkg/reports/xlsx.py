"""The report as an Excel workbook: one sheet per section, Chinese headers with ``lang='zh'``."""

from __future__ import annotations

from pathlib import Path

from ..cells import cell
from ..findings.labels import headers
from ..graph_model.vocabulary import LIGHTS, SHEETS, SUMMARY, status_colour
from ..workbook import add_sheet, header_style, new_workbook, save
from .tables import report_tables


def write_xlsx(report: dict, path: Path) -> Path:
    from openpyxl.styles import Alignment, PatternFill

    lang = report["lang"]
    names = headers(lang)
    pick = 0 if lang == "zh" else 1
    wb = new_workbook()
    fills = {c: PatternFill("solid", fgColor=fill.lstrip("#").upper()) for c, (fill, _) in LIGHTS.items()}

    ws = wb.create_sheet(SHEETS["summary"][pick])
    say = lambda key: SUMMARY[key][pick]
    summary = [(say("report"), report["title"]), (say("generated"), report["generated"]),
               (say("data_as_of"), report["data_as_of"]), (say("local_firms"), report["local_firms"])]
    summary += [(k, v) for k, v in report["counts"].items()]
    put = lambda ws, values: ws.append([cell(v, lang, to="xlsx") for v in values])
    put(ws, [say("item"), say("value")])
    for row in summary:
        put(ws, row)
    ws.append([])
    b = report.get("basis_counts") or {}
    if b:
        put(ws, [say("basis_confirmed"), b.get("confirmed")])
        put(ws, [say("basis_inferred"), b.get("inferred")])
        put(ws, [say("differ_confirmed_only"), len(report.get("changes", []))])
    if report.get("confirmed_only"):
        put(ws, [say("confirmed_only"), True])
    put(ws, [])
    put(ws, [names[k] for k in ("chain", "segments", "named_local_firms", "reported_firms", "coverage", "coverage_text",
                                "basis", "inferred_facts")])
    for c in report["chains"]:
        cb = c.get("coverage_basis") or {}
        put(ws, [c["chain"], c["segments"], c["coverage"]["named_local_firms"], c["coverage"]["reported_firms"],
                 c["coverage"]["coverage"], c.get("coverage_text"), cb.get("basis"),
                 "; ".join(f"{x['id']}: {x['text']}" for x in cb.get("inferred_facts", []))])
    if report.get("cut"):  # tables listing only their first rows: say so, and how to get them all
        put(ws, [])
        for n in report["cut"]:
            put(ws, [say("cut"), n["text"]])
    for head in ws[1]:
        header_style(head)
    ws.freeze_panes = "A2"
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 40

    for key, (columns, rows) in report_tables(report).items():
        ws = add_sheet(wb, SHEETS[key][pick], [names.get(c, c) for c in columns],
                       ([r.get(c) for c in columns] for r in rows), lang=lang, autofilter=True)
        for head in ws[1]:
            head.alignment = Alignment(wrap_text=True, vertical="top")
        if "status" in columns or "status_label" in columns:
            st_col = columns.index("status") if "status" in columns else None
            lab_col = columns.index("status_label") if "status_label" in columns else None
            for i, r in enumerate(rows, start=2):
                status = r.get("status_code", r.get("status"))  # flatten shows the code in words
                if status:
                    for col in (st_col, lab_col):
                        if col is not None:
                            ws.cell(i, col + 1).fill = fills[status_colour(status)]
        if "light_label" in columns:  # the monitor sheet: its light cell in its colour
            col = columns.index("light_label") + 1
            for i, r in enumerate(rows, start=2):
                if r.get("light"):
                    ws.cell(i, col).fill = fills[r["light"]]
    return save(wb, path)
