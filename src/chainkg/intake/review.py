"""The review workbook (复核表): one row per firm, its top proposals with evidence, and a 采纳 column.

Rows come in the order of :func:`chainkg.intake.learning.order_for_review`: the firms whose
decision teaches the ranker most first (undecided candidates, thinly placed segments).

Sheets: 复核 (the rows staff fill in), 问题 (every problem of the lists), 环节 (segment ids, the
source of the 采纳 drop-down), 说明 (how to fill it in, and what ``apply`` needs to know).
Every text cell goes through :func:`chainkg.safety.neutralize`; the reader restores it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..graph_model.records import PROBLEM_COLUMNS
from ..graph_model.vocabulary import YES_NO
from ..safety import neutralize
from ..workbook import HEADER_FILL, save
from .propose import DECISION_ZH, IntakeResult

SHEET = "复核"
META_SHEET = "说明"
MARKER = "chainkg intake review"
ACCEPT = "采纳"
NO, YES = YES_NO["zh"]

BASE_COLUMNS = [("seq", "序号"), ("where", "来源"), ("name", "企业名称"), ("credit_code", "统一社会信用代码"),
                ("firm_id", "企业编号"), ("match", "匹配"), ("district_id", "所属区县"), ("local", "是否本地"),
                ("current", "现有环节")]
TAIL_COLUMNS = [("accept", ACCEPT), ("note", "备注"), ("business_scope", "经营范围"), ("main_products", "主营产品"),
                ("industry_code", "行业代码"), ("industry_name", "所属行业"), ("address", "注册地址"),
                ("status", "登记状态"), ("revenue_100m_cny", "营业收入(亿元)"), ("name_en", "英文名称")]
PROPOSAL_FIELDS = [("segment", "环节"), ("segment_name", "名称"), ("score", "分数"), ("decision", "结论"),
                   ("evidence", "依据")]
PROBLEM_ZH = {"severity": "级别", "code": "代码", "file": "文件", "sheet": "工作表", "row": "行", "column": "列",
              "value": "值", "message": "说明 message", "hint": "怎么改 hint"}


def review_columns(top: int) -> list[tuple[str, str]]:
    cols = list(BASE_COLUMNS)
    for k in range(1, top + 1):
        cols += [(f"p{k}_{key}", f"建议{k}{zh}") for key, zh in PROPOSAL_FIELDS]
    return cols + TAIL_COLUMNS


def review_rows(result: IntakeResult, top: int) -> list[dict]:
    from .learning import order_for_review
    from .propose import REASONS

    rows = []
    for i, f in enumerate(order_for_review(result.firms), start=1):
        r = f.row
        where = "; ".join([r.where, *r.merged_rows])
        match = f"已有 {f.firm_id}（{f.match_how}）" if f.existing else "新企业"
        row = {"seq": i, "where": where, "name": r.name, "credit_code": r.credit_code, "firm_id": f.firm_id,
               "match": match, "district_id": f.district_id, "local": "" if f.local is None else YES if f.local else NO,
               "current": "; ".join(f.current_segments), "business_scope": r.business_scope,
               "main_products": r.main_products, "industry_code": r.industry_code, "industry_name": r.industry_name,
               "address": r.address, "status": r.status, "revenue_100m_cny": r.revenue_100m_cny,
               "name_en": r.name_en, "extra": r.extra,
               "note": f"无建议：{REASONS[f.reason][0]}" if f.reason else None}
        for k, p in enumerate(f.proposals[:top], start=1):
            row.update({f"p{k}_segment": p.segment_id, f"p{k}_segment_name": p.segment_name, f"p{k}_score": p.score,
                        f"p{k}_decision": DECISION_ZH[p.decision], f"p{k}_evidence": p.evidence_text()})
        rows.append(row)
    return rows


def write_review(result: IntakeResult, path: str | Path, *, top: int = 3,
                 segments: Sequence[tuple[str, str, str]] = ()) -> Path:
    """The review workbook; ``segments`` are (id, name, chain) for the drop-down sheet.

    Written in openpyxl's write-only mode, row by row, so 100,000 firms fit in memory.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    cols = review_columns(top)
    extra = result.extra_columns
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(SHEET)
    headers = [zh for _, zh in cols] + extra
    bold, fill = Font(bold=True), PatternFill("solid", fgColor=HEADER_FILL)
    accept_fill = PatternFill("solid", fgColor="FFF2CC")
    accept_at = [zh for _, zh in cols].index(ACCEPT)
    accept_col = get_column_letter(accept_at + 1)
    for i, h in enumerate(headers, start=1):
        wide = h.endswith("依据") or h in ("经营范围", "来源")
        ws.column_dimensions[get_column_letter(i)].width = 48 if wide else max(10, min(30, len(h) * 2 + 4))
    ws.freeze_panes = "D2"  # header and the firm's name stay in view
    n_choices = 2 + len(segments)
    dv = DataValidation(type="list", formula1=f"=环节!$A$2:$A${n_choices + 1}", allow_blank=True,
                        showErrorMessage=True, errorStyle="warning", errorTitle="chainkg",
                        error="填 是 / 否 / 环节编号（多个用 ; 分隔）: yes / no / segment ids separated by ;")
    ws.data_validations.append(dv)

    def header_cell(h):
        c = WriteOnlyCell(ws, value=neutralize(h))
        c.font, c.fill = bold, (accept_fill if h == ACCEPT else fill)
        return c

    ws.append([header_cell(h) for h in headers])
    n = 0
    for r in review_rows(result, top):
        values = [neutralize(r.get(key)) for key, _ in cols] + [neutralize(r["extra"].get(h)) for h in extra]
        accept = WriteOnlyCell(ws, value=values[accept_at])
        accept.fill = accept_fill
        values[accept_at] = accept
        ws.append(values)
        n += 1
    last = n + 1
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(last, 2)}"
    dv.add(f"{accept_col}2:{accept_col}{max(last, 1000)}")

    seg = wb.create_sheet("环节")
    seg.column_dimensions["A"].width = 16
    seg.column_dimensions["B"].width = 60
    seg.append(["采纳可填 value", "环节名称 segment", "产业链 chain"])
    seg.append([YES, "采纳结论为「建议」的建议（没有时采纳建议1）accept the 建议 proposals (else the first)", ""])
    seg.append([NO, "全部不采纳，下次不再建议 reject all shown proposals (remembered)", ""])
    for sid, name, chain in segments:
        seg.append([neutralize(sid), neutralize(name), neutralize(chain)])

    probs = wb.create_sheet("问题")
    probs.freeze_panes = "A2"
    if result.problems:
        probs.auto_filter.ref = f"A1:{get_column_letter(len(PROBLEM_COLUMNS))}{len(result.problems) + 1}"
    probs.append([PROBLEM_ZH[c] for c in PROBLEM_COLUMNS])
    for p in result.problems:
        probs.append([neutralize(v) for v in p.as_dict().values()])

    meta = wb.create_sheet(META_SHEET)
    meta.column_dimensions["A"].width = 20
    meta.column_dimensions["B"].width = 100
    th = result.thresholds
    held = th.held_out or {}
    how = (f"留出验证选定：目标准确率 {th.target_precision:.0%}，留出集上「建议」准确率 {held.get('precision')}、"
           f"召回率 {held.get('recall')}（{held.get('firms')} 家已挂链企业）/ chosen on held-out folds for a target "
           f"precision of {th.target_precision:.0%}" if th.estimated else
           "默认值（已挂链企业太少，未能在留出集上估计）/ defaults: too few placed firms to estimate them")
    for k, v in [(MARKER, "1"), ("dataset", result.dataset), ("created", result.created),
                 ("lists", "; ".join(Path(f).name for f in result.files)),
                 ("threshold_proposed", th.proposed), ("threshold_review", th.review),
                 ("thresholds_how", how), ("top", top),
                 ("model", "; ".join(f"{k}={v}" for k, v in result.model.items() if not isinstance(v, dict))),
                 ("", ""),
                 ("结论 怎么读", "建议 = 置信度达到「建议」阈值（留出集上准确率达目标）；待复核 = 达到「待复核」阈值；弱 = 仅供参考。"
                              "置信度是校准过的概率：0.9 表示这类建议大约十次对九次。行按「复核价值」排序：最不确定的、"
                              "已挂链企业少的环节排在前面，先复核它们，模型学得最多。"),
                 ("采纳 怎么填", "是 = 采纳结论为「建议」的各项（没有时采纳建议1）；否 = 全部不采纳（记入 intake_rejections，"
                              "下次不再建议）；环节编号 = 只采纳这些（可填未建议的环节，多个用 ; 分隔），其余建议记为不采纳；"
                              "留空 = 暂不处理（apply --accept-proposed 时，「建议」各项以「推断」写入）。"),
                 ("How to fill 采纳", "是 = accept the proposals marked 建议 (else the first one); 否 = reject all shown "
                                     "(remembered); segment ids = accept exactly these, reject the other shown ones; "
                                     "empty = untouched (with apply --accept-proposed, 建议 proposals go in as inferred).")]:
        meta.append([neutralize(k), neutralize(v)])
    return save(wb, path)


def read_meta(path: str | Path) -> dict[str, str]:
    """The key-value rows of the 说明 sheet (``{}`` when the workbook is not a review file)."""
    from ..loaders.frames import open_xlsx
    from ..safety import restore

    wb = open_xlsx(Path(path))  # the one workbook opener: a broken file is a DataError naming it
    try:
        if META_SHEET not in wb.sheetnames:
            return {}
        out = {}
        for row in wb[META_SHEET].iter_rows(values_only=True):
            if row and row[0] is not None:
                out[restore(str(row[0]))] = restore(str(row[1])) if len(row) > 1 and row[1] is not None else ""
        return out if MARKER in out else {}
    finally:
        wb.close()
