"""Validation and intake problems in the reader's language: every problem code in Chinese words.

A :class:`~chainkg.graph_model.records.Problem` carries its English message and hint; :func:`localize`
gives the row a table shows, in Chinese (the default of ``chainkg validate`` and ``chainkg intake``)
or English. The Chinese words are written from the problem's own fields (file, sheet, row, column,
value), so they say the same as the English ones, and a misnamed file or column keeps its "did you
mean" (:mod:`.causes`).
"""

from __future__ import annotations

from pathlib import Path

from ..graph_model.records import PROBLEM_COLUMNS, Problem
from ..graph_model.vocabulary import SEVERITY, TABLE_HEADERS, pick

#: code -> (问题, 如何修改); ``{value}``, ``{column}``, ``{where}`` (file or sheet), ``{meant}`` are filled in
ZH: dict[str, tuple[str, str]] = {
    "bad_value": ("「{value}」不是本列可用的值。", "按本列的说明改正该单元格（阶段、日期、环节或区县）。"),
    "other_district": ("该行的区县「{value}」不在您负责的范围内。", "只导入本区县的线索；其他区县的线索请由该区县的同事或编辑导入。"),
    "bad_bool": ("「{value}」不是 是/否。", "填写 是/否（也可 true/false、yes/no、1/0）。"),
    "bad_credit_code": ("「{value}」不是有效的统一社会信用代码（18 位，格式或校验位不对）。",
                        "从国家企业信用信息公示系统复制 18 位代码，或留空。"),
    "bad_date": ("「{value}」不是日期。", "按 YYYY、YYYY-MM 或 YYYY-MM-DD 填写，例如 2023-09-14。"),
    "bad_enum": ("「{value}」不是本列可选的值。", "使用列出的取值之一，中文或英文均可。"),
    "bad_industry_code": ("「{value}」不是 GB/T 4754-2017 行业代码。", "填写 2 至 4 位数字代码（38、382、3825），可带门类字母（C3825）。"),
    "bad_number": ("「{value}」不是数字（或为负数）。", "填写普通数字，如 12.5；列名给出单位（亿元）。"),
    "bad_percent": ("「{value}」不是 0 到 100 的百分比。", "填写 0 到 100 的数，如 40 或 40%。"),
    "control_character": ("「{value}」含有不可见的控制字符。", "删除该不可见字符（常见于从其他程序粘贴）；制表符和换行可以保留。"),
    "extra_cells": ("该行在最后一个列标题右侧还有已填写的单元格（「{value}」…），不属于任何列。",
                    "为该列加上标题，或删除多余的单元格（常见原因：值中有未加引号的逗号）。"),
    "missing_value": ("「{column}」为必填项，但为空。", "填写该单元格；不需要的行请整行删除。"),
    "missing_column": ("缺少必填列「{column}」。", "添加标题为「{column}」或其中文名的列。{renamed}"),
    "missing_table": ("缺少必需的表 {value}，或该表为空。", "添加 {value}.csv，或名为 {value}（或其中文名）的工作表。"),
    "duplicate_column": ("列「{column}」与另一列含义相同。", "只保留其中一列。"),
    "duplicate_id": ("编号「{value}」重复出现。", "每个编号只能出现一次：删除重复行，或改用新的编号。"),
    "unknown_column": ("未知的列「{column}」，其中的值不会读取。{did_you_mean}", "改为已知的列名，或删除该列。"),
    "unknown_table": ("{where}不是已知的表，已忽略。{did_you_mean}{broken}", "按表名命名文件或工作表（英文或中文名均可）。{rename}"),
    "unknown_file": ("{where}不是 chainkg 可读取的数据格式，已忽略。", "使用 .csv、.xlsx、.yaml/.yml 或 .json。"),
    "unknown_reference": ("「{column}」中的「{value}」在数据中找不到对应的记录。", "填写数据中已有的编号，或先添加被引用的那一行。"),
    "self_link": ("该行把「{value}」与自身相连。", "检查起点与终点，删除或改正该行。"),
    "repeated_pair": ("同一对关系「{value}」出现不止一次，已合并。", "删除重复的行。"),
    "weak_source": ("所引用来源的可靠性低，结论只能作参考。", "尽量补充更可靠的来源（官方文件、年报、权威媒体）。"),
    "feeds_cycle": ("环节关联构成环路：{value}。", "回收等循环环节属正常；否则请检查关联方向。"),
    "firm_without_segment": ("企业「{value}」没有所属环节，也未关联任何产业链。", "在 firm_segments 或 firm_chains 表中添加该企业的行。"),
    "empty_term": ("关键词「{value}」几乎能匹配所有企业，没有区分作用。", "改用更具体的词。"),
    "short_term": ("关键词「{value}」过短，容易误配。", "改用至少两个字、更具体的词。"),
    "bad_plan": ("该里程碑的计划不完整或自相矛盾（「{value}」）。", "检查计划开始、计划完成日期及资金计划。"),
    "funds_without_plan": ("有资金到位记录，但没有资金计划。", "补充计划资金，或删除到位记录。"),
    "funds_over_plan": ("到位资金超过计划资金。", "检查两列的数字与单位（亿元）。"),
    "done_not_complete": ("里程碑已标为完成，但缺少完成日期或进度未到 100%。", "补充完成日期并将进度填为 100。"),
    "bad_encoding": ("文件的编码无法可靠判断（几种编码读来同样通顺），或不是 UTF-8、GB18030（GBK）、Big5 中的任何一种；为免读出乱码，未读取。",
                     "另存为 UTF-8，或用 --encoding 指明编码（如 --encoding big5、--encoding gb18030）。"),
    "unknown_district": ("「{value}」不是数据集中的区县或园区；「是否本地」留空。",
                         "改正名称（如 邗江区），在数据集中添加该区县，或在复核表中填写「是否本地」。"),
    "unknown_address": ("地址「{value}」中没有数据集认识的区县或园区；「是否本地」留空。",
                        "添加「所属区县」列，或在复核表中填写「是否本地」（区域外填 否）。"),
    "bad_file": ("文件无法读取（格式损坏或不是所说的类型）。", "在 Excel 或 WPS 中打开并重新保存。"),
    "missing_file": ("文件不存在。", "检查路径。"),
    "unknown_sheet": ("工作簿中没有所需的工作表。", "使用 chainkg 写出的工作簿，保留其工作表名称。"),
    "deregistered": ("企业「{value}」登记状态为注销或吊销，不予挂链。", "如该企业仍在经营，请核实登记状态。"),
    "duplicate_firm": ("「{value}」与名录中另一行是同一企业，两行已合并。", "删除其中一行；如为不同企业，请改正名称或代码。"),
    "not_a_review": ("这不是 chainkg intake propose 写出的复核工作簿。", "先运行 chainkg intake propose 名录 --data 数据 -o review.xlsx，再填写该文件。"),
    "bad_review_cell": ("复核单元格「{value}」无法采用。", "按说明填写：是 / 否 / 环节编号（用 ; 分隔）。"),
    "unknown_label": ("数据库中的节点「{value}」带有 ChainKG 标签，却没有任何 chainkg 标签。", "给它加上 chainkg 的标签，或去掉其 ChainKG 标签。"),
}

def headers(lang: str) -> dict[str, str]:
    """The problem table's column headers (declared in the vocabulary: ``TABLE_HEADERS["problems"]``)."""
    words = TABLE_HEADERS["problems"]
    return {c: pick(words[c], lang) for c in PROBLEM_COLUMNS}


def localize(p: Problem, lang: str = "zh") -> dict:
    """The problem as a table row in ``lang`` (codes and places stay as they are)."""
    row = p.as_dict()
    if lang != "zh":
        return row
    from .causes import near_column, near_table

    row["severity"] = pick(SEVERITY[p.severity], lang) if p.severity in SEVERITY else p.severity
    words = ZH.get(p.code)
    if words is None:
        return row
    where = f"工作表「{p.sheet}」" if p.sheet else f"文件「{Path(p.file).name}」" if p.file else ""
    fill = {"value": "" if p.value is None else str(p.value), "column": p.column or "", "where": where,
            "did_you_mean": "", "broken": "", "rename": "", "renamed": ""}
    table = None
    if p.code == "unknown_table" and p.value and (meant := near_table(str(p.value))):
        fill["did_you_mean"] = f"是否应为 {meant}.csv（或工作表 {meant}）？"
        fill["rename"] = f"改名为 {meant}.csv。"
        if p.severity == "error":
            fill["broken"] = "其他表中引用该表的行因此报错，不再逐条列出。"
    if p.code in ("unknown_column", "missing_column") and p.column:
        from ..graph_model.schema import table_aliases

        name = p.sheet if p.sheet else Path(p.file or "").stem
        table = table_aliases().get(name.strip().casefold())
        if table and p.code == "unknown_column" and (meant := near_column(table, p.column)):
            fill["did_you_mean"] = f"是否应为「{meant}」？"
        if table and p.code == "missing_column" and p.hint and "most likely it" in p.hint:
            fill["renamed"] = "很可能是把该列写错了名称：" + p.hint.split("'")[1] + f" 应改为「{p.column}」。"
    row["message"] = words[0].format(**fill)
    row["hint"] = words[1].format(**fill)
    return row


def summary(name: str, errors: int, warnings: int, counts: dict[str, int], lang: str = "zh") -> str:
    """The one-line summary ``chainkg validate`` prints after the problems."""
    if lang != "zh":
        read = ", ".join(f"{k} {v}" for k, v in counts.items())
        return f"{name}: {errors} error(s), {warnings} warning(s). Read: {read or 'nothing'}."
    from ..graph_model.schema import EDGE_TABLES, NODE_TABLES

    zh = {**{t.rel_type: t.zh for t in EDGE_TABLES}, **{t.label: t.zh for t in NODE_TABLES}}
    read = "，".join(f"{zh.get(k, k)} {v}" for k, v in counts.items())
    return f"{name}：{errors} 个错误，{warnings} 个警告。已读取：{read or '无'}。"
