"""The report as an Excel workbook: one sheet per section, Chinese headers with ``lang='zh'``."""

from __future__ import annotations

from pathlib import Path

from ..findings.labels import headers, parts_text
from .chain_map import COLOURS, status_colour

SHEETS = {  # sheet key -> (zh, en)
    "summary": ("概览", "summary"), "gaps": ("环节与缺口", "gaps"), "prospects": ("招商对象", "prospects"),
    "chokepoints": ("卡点环节", "chokepoints"), "key_firms": ("关键企业", "key firms"), "tiers": ("规模梯队", "tiers"),
    "sources": ("来源", "sources"),
}
GAP_COLUMNS = ["rank", "chain_id", "chain", "segment_id", "segment", "stage_label", "key", "status", "status_label",
               "display", "direction", "local_firms", "priority", "priority_parts", "why", "coverage_ratio",
               "confirmed", "source_id", "source_url", "confidence"]
PROSPECT_COLUMNS = ["chain", "segment_id", "segment", "status_label", "gap_priority", "firm_id", "firm", "score",
                    "score_parts", "reasons", "message", "source_id"]
CHOKE_COLUMNS = ["chain", "segment_id", "segment", "status_label", "pair_names", "flow_betweenness", "source_id"]
KEY_COLUMNS = ["chain", "rank", "firm_id", "firm", "tagged_chain_leader", "segments_covered", "revenue_100m_cny",
               "key_firm", "source_id"]
TIER_COLUMNS = ["scope", "name", "threshold", "firms", "target", "shortfall", "unknown_revenue"]
SOURCE_COLUMNS = ["id", "title", "url", "publisher", "date", "reliability"]


def _text(v, lang: str = "zh"):
    if isinstance(v, bool):
        return v
    if isinstance(v, (list, tuple)):
        return "; ".join(str(x) for x in v)
    if isinstance(v, dict):
        return parts_text(v, lang)
    return v


def sheet_rows(report: dict) -> dict[str, tuple[list[str], list[dict]]]:
    """Sheet key -> (columns, rows): the workbook's content, also used by tests."""
    gaps = [g for c in report["chains"] for g in c["gaps"]]
    gaps.sort(key=lambda g: g["rank"])
    flat = []
    for g in gaps:
        f = dict(g)
        f["priority_parts"] = g["priority"]["parts"]
        f["priority"] = g["priority"]["total"]
        f["coverage_ratio"] = g["coverage"]["ratio"]
        flat.append(f)
    prospects = []
    for c in report["chains"]:
        for p in c["prospects"]:
            prospects.append({**p, "score_parts": p.get("parts")})
    keys = {(k["firm_id"]) for c in report["chains"] for k in c["key_firms"]}
    leaders = [{**l, "key_firm": l["firm_id"] in keys} for c in report["chains"] for l in c["leaders"]]
    return {
        "gaps": (GAP_COLUMNS, flat),
        "prospects": (PROSPECT_COLUMNS, prospects),
        "chokepoints": (CHOKE_COLUMNS, [k for c in report["chains"] for k in c["chokepoints"]]),
        "key_firms": (KEY_COLUMNS, leaders),
        "tiers": (TIER_COLUMNS, report["tiers"]),
        "sources": (SOURCE_COLUMNS, report["sources"]),
    }


def write_xlsx(report: dict, path: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    lang = report["lang"]
    names = headers(lang) | {"id": "编号" if lang == "zh" else "id", "title": "标题" if lang == "zh" else "title",
                             "url": "网址" if lang == "zh" else "url", "publisher": "发布者" if lang == "zh" else "publisher",
                             "date": "日期" if lang == "zh" else "date", "reliability": "可靠性" if lang == "zh" else "reliability"}
    pick = 0 if lang == "zh" else 1
    wb = Workbook()
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="DDEBF7")
    fills = {c: PatternFill("solid", fgColor=fill.lstrip("#").upper()) for c, (fill, _) in COLOURS.items()}

    ws = wb.active
    ws.title = SHEETS["summary"][pick]
    summary = [("报告" if lang == "zh" else "report", report["title"]),
               ("生成日期" if lang == "zh" else "generated", report["generated"]),
               ("数据截至" if lang == "zh" else "data as of", report["data_as_of"]),
               ("本地企业" if lang == "zh" else "local firms", report["local_firms"])]
    summary += [(k, v) for k, v in report["counts"].items()]
    ws.append(["项目" if lang == "zh" else "item", "值" if lang == "zh" else "value"])
    for row in summary:
        ws.append(list(row))
    ws.append([])
    cov_head = ["产业链", "环节", "已点名本地企业", "报道企业数", "覆盖率"] if lang == "zh" else \
        ["chain", "segments", "named local firms", "reported firms", "coverage"]
    ws.append(cov_head)
    for c in report["chains"]:
        ws.append([c["chain"], c["segments"], c["coverage"]["named_local_firms"], c["coverage"]["reported_firms"],
                   c["coverage"]["coverage"]])
    for cell in ws[1]:
        cell.font = bold
        cell.fill = head_fill
    ws.freeze_panes = "A2"
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 40

    for key, (columns, rows) in sheet_rows(report).items():
        ws = wb.create_sheet(SHEETS[key][pick])
        ws.append([names.get(c, c) for c in columns])
        for r in rows:
            ws.append([_text(r.get(c), lang) for c in columns])
        for cell in ws[1]:
            cell.font = bold
            cell.fill = head_fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.freeze_panes = "A2"
        if rows:
            ws.auto_filter.ref = ws.dimensions
        if "status" in columns or "status_label" in columns:
            st_col = columns.index("status") if "status" in columns else None
            lab_col = columns.index("status_label") if "status_label" in columns else None
            for i, r in enumerate(rows, start=2):
                status = r.get("status")
                if status:
                    for col in (st_col, lab_col):
                        if col is not None:
                            ws.cell(i, col + 1).fill = fills[status_colour(status)]
        for i, c in enumerate(columns, start=1):
            longest = max([len(str(names.get(c, c)))] + [len(str(_text(r.get(c)) or "")) for r in rows[:500]])
            ws.column_dimensions[get_column_letter(i)].width = max(8, min(60, longest * 1.6 + 2))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
