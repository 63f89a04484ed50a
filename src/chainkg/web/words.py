"""The explorer's words: the declared vocabulary (:mod:`chainkg.graph_model.vocabulary`) as pages show it.

A page asks for the word of a key with ``t(key)``: the same word a report's column of that key has,
its English capitalised as a label (words of values, such as yes/no, stay lower case).
"""

from __future__ import annotations

from functools import cache

from ..graph_model.vocabulary import VALUE_WORDS, headers

LANGS = ("zh", "en")


#: the explorer's own page words (#24: the map, search, exports, briefing, error pages), zh and en as shown
PAGE_WORDS: dict[str, tuple[str, str]] = {
    "unknown": ("未知", "unknown"), "export_page": ("导出本页表格", "Export this page's tables"),
    "no_candidate_short": ("暂无外地候选企业：可新建线索、导入企业名单或请数据管理员补录",
                           "no outside firm on record yet: start a lead, import a list, or ask the data keeper"),
    "coverage_unknown": ("报道企业总数未知，无法计算覆盖率（未知不等于低）",
                         "the number of firms reported is unknown, so coverage cannot be computed (unknown is not low)"),
    "named_of_reported": ("已点名本地企业 / 报道企业数", "Named local firms / firms reported"),
    "named_of_reported_hint": ("资料中点名的本地企业数 / 公开报道的本地企业总数（如“规上企业 85 家”）",
                               "local firms named in the data / local firms a source reports in total (e.g. “85 firms above scale”)"),
    "unit_100m": ("亿元", "100M CNY"), "tagged_leader": ("标注为链主", "tagged chain leader"),
    "page_not_found_text": ("这个地址没有页面。可能是链接已过期或地址输错了：请用上方搜索框查找企业、环节或产业链，或返回总览。",
                            "There is no page at this address: the link may be old or mistyped. Search for a firm, "
                            "segment or chain above, or go back to the overview."),
    "not_found_hint": ("可能已被改名或删除。请用上方搜索框按名称查找。", "It may have been renamed or removed: search for it by name above."),
    "no_candidate": ("资料中还没有这个环节的外地候选企业。可以：在工作台为本环节新建招商线索；用“企业名单导入”（chainkg intake）"
                     "导入一份外地企业名单，系统会自动判断所属环节；或把已知的候选企业交给数据管理员补录。",
                     "No outside firm is on record for this link yet. You can start a lead for it in the workspace, "
                     "import a list of outside firms (chainkg intake, which places them in links), or give the firms "
                     "you know to the data keeper to add."),
    "other_gaps_note": ("另有 {n} 个缺口在本区县没有企业的产业链中（chainkg gaps --district 计入全部 {total} 个）。",
                        "{n} more gaps lie in chains where this district has no firm (chainkg gaps --district counts all {total})."),
    "all_statuses_here": ("按本区县计算的全部环节状态", "Every segment's status, counting this district's firms as local"),
    "legend": ("图例", "Legend"), "briefing": ("打印简报", "Print briefing"),
    "briefing_title": ("产业链简报", "Chain briefing"), "print": ("打印 / 另存为 PDF", "Print / save as PDF"),
    "gaps_reasons": ("缺口与理由", "Gaps and why"), "generated": ("生成", "Generated"),
    "projects_in_district": ("仅列出位于所选区县的项目", "only projects located in the chosen district"),
    "search_kind": ("类型", "Kind"), "all_kinds": ("全部类型", "All kinds"),
    "matched_by": ("匹配", "matched"), "match_pinyin": ("拼音", "pinyin"), "match_initials": ("拼音首字母", "initials"),
    "match_alias": ("曾用名/简称", "former or short name"), "match_fuzzy": ("近似", "similar"),
    "in_chain": ("所在产业链", "in chain"),
    "map_scroll": ("地图较宽时可在框内左右滑动", "Scroll sideways inside the map when it is wider than the screen"),
    "export_all": ("全部表格（Excel）", "All tables (Excel)"), "export_csv": ("单表 CSV", "One table as CSV"),
}


@cache
def _words(lang: str) -> dict[str, str]:
    words = headers(lang)
    if lang == "en":
        words = {k: w if k in VALUE_WORDS or not w else w[0].upper() + w[1:] for k, w in words.items()}
    return {**words, **{k: v[0] if lang == "zh" else v[1] for k, v in PAGE_WORDS.items()}}


def word(key: str, lang: str) -> str:
    """A word of the explorer in ``lang``; an unknown key is an error (a page asking for a word nobody declared).

    >>> word("overview", "zh"), word("overview", "en"), word("local_firms", "en"), word("yes", "en")
    ('总览', 'Overview', 'Local firms', 'yes')
    """
    return _words(lang)[key]


#: every word of the explorer: key -> (zh, en), as pages show them
WORDS: dict[str, tuple[str, str]] = {k: (w, _words("en")[k]) for k, w in _words("zh").items()}


#: data values that are codes or Chinese-only words, shown in the page's language
CODE_WORDS: dict[str, dict[str, tuple[str, str]]] = {
    "project_status": {"signed": ("签约", "signed"), "started": ("开工", "started"), "landed": ("投产", "landed")},
    "confidence": {"confirmed": ("已证实", "confirmed"), "inferred": ("推断", "inferred")},
    "reliability": {"high": ("高", "high"), "moderate": ("中", "moderate"), "low": ("低", "low")},
    "district_kind": {"区": ("区", "district"), "县": ("县", "county"), "县级市": ("县级市", "county-level city"),
                      "地级市": ("地级市", "prefecture-level city"), "开发区": ("开发区", "development zone"),
                      "经开区": ("经开区", "economic development zone"), "高新区": ("高新区", "high-tech zone"),
                      "园区": ("园区", "industrial park"), "新城": ("新城", "new town"), "镇": ("镇", "town")},
    "tag": {"上市": ("上市", "listed"), "链主": ("链主", "chain leader"), "链主候选": ("链主候选", "chain-leader candidate"),
            "单项冠军": ("单项冠军", "single champion"), "专精特新": ("专精特新", "specialised SME"),
            "小巨人": ("小巨人", "little giant")},
    "fact_kind": {"placement": ("企业所在环节", "placement"), "firm": ("企业", "firm"), "project": ("项目", "project"),
                  "segment": ("环节", "segment"), "link": ("环节关联", "link"),
                  "chain_membership": ("企业所属产业链", "chain membership"),
                  "cluster_mapping": ("产业链所属集群", "cluster membership"), "district": ("区县", "district"),
                  "coverage": ("覆盖率", "coverage"), "lab": ("创新平台", "lab"), "fund": ("基金", "fund")},
    "level": {"国家级": ("国家级", "national"), "省级": ("省级", "provincial"), "市级": ("市级", "municipal")},
    "lab_kind": {"研究院": ("研究院", "institute"), "实验室": ("实验室", "laboratory"), "技术中心": ("技术中心", "technology centre"),
                 "研究生院": ("研究生院", "graduate school"), "技术创新中心": ("技术创新中心", "technology innovation centre"),
                 "学院": ("学院", "college"), "试制中心": ("试制中心", "prototyping centre")},
}


def shown(kind: str, value, lang: str) -> str:
    """A data code in the page's language; an unknown value as it is (it is data).

    >>> shown("project_status", "signed", "zh"), shown("district_kind", "县级市", "en"), shown("tag", "新词", "en")
    ('签约', 'county-level city', '新词')
    """
    if value is None or value == "":
        return ""
    pair = CODE_WORDS.get(kind, {}).get(str(value))
    if pair is None:
        return str(value)
    return pair[0] if lang == "zh" else pair[1]


def number(value, digits: int = 2) -> str:
    """A number rounded for reading: at most ``digits`` decimals, no trailing zeros; None as empty.

    >>> number(153.505715), number(10.019, 1), number(20), number(None), number(0.5)
    ('153.51', '10', '20', '', '0.5')
    """
    if value is None or value == "":
        return ""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".") if digits else f"{value:.0f}"
    return "0" if text in ("-0", "") else text
