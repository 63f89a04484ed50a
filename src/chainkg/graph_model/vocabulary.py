"""The declared vocabulary: every word chainkg shows, once, with its code, in Chinese and English.

Read by the reports and CLI (:mod:`chainkg.findings.labels`, :mod:`chainkg.reports`), the explorer
(:mod:`chainkg.web.words`), the workbook writers, the readers of yes/no cells and the Neo4j Browser
style (:mod:`chainkg.browser`). A code has one word: a column of a table, a field of a page and a
part of a priority are named alike wherever they appear; a table that needs another word for a
column says so in :data:`TABLE_HEADERS`, here, not where it is drawn. Sentences built around data
(explanations, reasons) stay with the code that builds them (:mod:`chainkg.findings.wording`).

- :data:`STATUSES` and :data:`STAGES`: segment statuses (labels, Neo4j labels, colours, Browser style)
  and value-chain stages (the schema's enumeration, its words and order);
- :data:`WORDS`: headers, field names and phrases (one flat table; its keys are the record keys);
- code tables: :data:`DIRECTION`, :data:`BASIS`, :data:`PARTS`, :data:`SCOPE`, :data:`FACT_KINDS`, :data:`LIGHT_LEVELS`,
  :data:`DIMENSIONS`, :data:`RELIABILITY_NOTES`, :data:`CHANGES`, :data:`EFFECTS`, :data:`SHEETS`,
  :data:`TITLES`, :data:`SUMMARY`;
- yes/no: :data:`YES_NO` as written, :data:`TRUE_WORDS` / :data:`FALSE_WORDS` as read.

English words are lower case, as a report's column header; the explorer capitalises its labels
(:func:`chainkg.web.words.word`); :data:`VALUE_WORDS` are words of values, never capitalised.

>>> [s.code for s in STATUSES if s.is_gap]
['gap_fill', 'gap_extend', 'gap_isolated', 'gap_unlinked']
>>> STATUS["single"].neo4j_label, STATUS["single"].colour, STATUS["thin"].zh
('SinglePoint', 'yellow', '薄弱')
>>> [(s.code, s.order) for s in STAGES]
[('upstream', 0), ('midstream', 1), ('downstream', 2)]
>>> word("local_firms", "zh"), word("local_firms", "en"), word("no_such_key", "en")
('本地企业数', 'local firms', 'no_such_key')
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class Status:
    code: str
    zh: str
    en: str
    neo4j_label: str  # the label `chainkg analyze --write` puts on the segment
    colour: str  # the 红绿黄灯 light of the chain map and workbook: red | yellow | green
    is_gap: bool
    browser: tuple[str, str, str]  # Neo4j Browser node colour, border colour, caption colour


#: in the order reports count them
STATUSES: tuple[Status, ...] = (
    Status("gap_fill", "补链", "Gap: fill", "GapFill", "red", True, ("#E53935", "#B71C1C", "#FFFFFF")),
    Status("gap_extend", "延链", "Gap: extend", "GapExtend", "red", True, ("#EF5350", "#C62828", "#FFFFFF")),
    Status("gap_isolated", "孤立缺口", "Gap: isolated", "GapIsolated", "red", True, ("#E57373", "#C62828", "#FFFFFF")),
    Status("gap_unlinked", "未关联缺口", "Gap: unlinked", "GapUnlinked", "red", True,
           ("#EF9A9A", "#C62828", "#000000")),
    Status("single", "单点", "Single point", "SinglePoint", "yellow", False, ("#FDD835", "#F9A825", "#000000")),
    Status("thin", "薄弱", "Thin", "Thin", "yellow", False, ("#FFEE58", "#F9A825", "#000000")),
    Status("present", "已覆盖", "Present", "Present", "green", False, ("#43A047", "#2E7D32", "#FFFFFF")),
)
STATUS: dict[str, Status] = {s.code: s for s in STATUSES}
GAPS: tuple[str, ...] = tuple(s.code for s in STATUSES if s.is_gap)

#: light -> (fill, stroke) on the chain map and in the workbook
LIGHTS: dict[str, tuple[str, str]] = {
    "red": ("#fde2e1", "#c62828"), "yellow": ("#fff4cc", "#b8860b"), "green": ("#dff3e3", "#2e7d32"),
}


@dataclass(frozen=True)
class Stage:
    code: str
    zh: str
    en: str
    order: int
    spellings: tuple[str, ...]  # accepted in the input besides code and zh


STAGES: tuple[Stage, ...] = (
    Stage("upstream", "上游", "upstream", 0, ("u", "up")),
    Stage("midstream", "中游", "midstream", 1, ("m", "mid")),
    Stage("downstream", "下游", "downstream", 2, ("d", "down")),
)
STAGE: dict[str, Stage] = {s.code: s for s in STAGES}
STAGE_ORDER: dict[str, int] = {s.code: s.order for s in STAGES}


#: a word in Chinese and in English
Pair = tuple[str, str]


def pick(pair: Pair, lang: str) -> str:
    """The word of ``pair`` in ``lang`` (``zh`` or ``en``)."""
    return pair[0] if lang == "zh" else pair[1]


def word(key: str, lang: str, table: dict[str, Pair] | None = None) -> str:
    """The word of ``key`` in ``lang`` from ``table`` (default :data:`WORDS`); an unknown key is itself."""
    pair = (WORDS if table is None else table).get(key)
    return key if pair is None else pick(pair, lang)


# -- yes and no ----------------------------------------------------------------------------------
#: written: lang -> (no, yes)
YES_NO: dict[str, Pair] = {"zh": ("否", "是"), "en": ("no", "yes")}
#: read (case-folded): a yes/no cell, a boolean query parameter, an 采纳 column of a review sheet
TRUE_WORDS = frozenset({"是", "true", "yes", "y", "t", "1", "对", "√", "✓"})
FALSE_WORDS = frozenset({"否", "false", "no", "n", "f", "0", "不是", "×"})
#: besides yes/no, the words of an intake review's 采纳 (accept) column
ACCEPT_WORDS = TRUE_WORDS | {"采纳"}
REJECT_WORDS = FALSE_WORDS | {"不采纳"}

# -- words by code ---------------------------------------------------------------------------------
STATUS_WORDS: dict[str, Pair] = {s.code: (s.zh, s.en) for s in STATUSES}
STAGE_WORDS: dict[str, Pair] = {s.code: (s.zh, s.en) for s in STAGES}
#: direction of a gap's extension
DIRECTION: dict[str, Pair] = {"up": ("向上游延伸", "extend upstream"), "down": ("向下游延伸", "extend downstream")}
#: what a finding rests on
BASIS: dict[str, Pair] = {"confirmed": ("仅依据已证实事实", "confirmed"), "inferred": ("含推断事实", "inferred")}
#: why a firm is a key firm
KEY_REASONS: dict[str, Pair] = {"articulation": ("供应网络关键节点", "supply-network articulation point"),
                                "only_local_firm": ("环节唯一本地企业", "only local firm of a segment")}
#: the parts of a gap's priority and of a prospect's score
PARTS: dict[str, Pair] = {
    "key": ("关键环节", "key"), "kind": ("类型", "kind"), "adjacent_local_firms": ("相邻本地企业", "adjacent local firms"),
    "flow_betweenness_points": ("流量中介度加分", "flow betweenness points"), "labs": ("平台", "labs"),
    "funds": ("基金", "funds"),
    "local_partners": ("本地供应伙伴", "local partners"), "fund_investment": ("基金投资", "fund investment"),
    "revenue_tier": ("营收档", "revenue tier"), "other_gaps": ("其他缺口", "other gaps"),
}
#: tier scopes (a district's row stands for the city's with ``--district``)
SCOPE: dict[str, Pair] = {"city": ("全市", "city"), "district": ("区县", "district"), "cluster": ("集群", "cluster"),
                          "chain": ("产业链", "chain")}
#: kinds of fact a conclusion rests on (chainkg.analysis.basis)
FACT_KINDS: dict[str, Pair] = {
    "placement": ("企业所在环节", "placement"), "chain_membership": ("企业所属产业链", "chain membership"),
    "link": ("环节关联", "link"), "cluster_mapping": ("产业链所属集群", "cluster membership"),
    "segment": ("环节", "segment"), "metric": ("指标", "metric"), "firm": ("企业", "firm"),
    "supply": ("供应关系", "supply"), "project": ("项目", "project"), "target": ("目标", "target"),
    "location": ("所在区县", "location"), "district": ("区县园区", "district"), "lab": ("创新平台", "lab"),
    "fund": ("产业基金", "fund"), "investment": ("基金投资", "investment"),
    "fund_focus": ("基金投向", "fund focus"), "lab_support": ("平台支撑", "lab support"),
    "coverage": ("覆盖率", "coverage"),
}
#: the 红绿黄灯 of the key-technology monitor (docs/monitor.md); "" is an item not judged
LIGHT_LEVELS: dict[str, Pair] = {"green": ("绿灯", "green"), "yellow": ("黄灯", "yellow"), "red": ("红灯", "red"),
                                 "": ("未判定", "not judged")}
DIMENSIONS: dict[str, Pair] = {"start": ("开始", "start"), "schedule": ("进度", "schedule"), "funds": ("资金", "funds"),
                               "freshness": ("更新", "freshness")}
#: said next to a figure from a weak source
RELIABILITY_NOTES: dict[str, Pair] = {"low": ("来源可靠性低", "low-reliability source"),
                                      "moderate": ("来源可靠性中等", "moderate-reliability source")}
#: what-if: how a key firm changes, and the effect of a change
CHANGES: dict[str, Pair] = {"added": ("新增", "added"), "removed": ("不再是", "no longer"),
                            "changed": ("理由变化", "reasons change")}
EFFECTS: dict[str, Pair] = {"gaps_closed": ("补上缺口", "closes gap"),
                            "singles_strengthened": ("单点加强", "strengthens single point"),
                            "chokepoints_relieved": ("卡点缓解", "relieves chokepoint"), "gaps_opened": ("新增缺口", "opens gap"),
                            "chokepoints_added": ("新增卡点", "creates chokepoint")}
#: the what-if summary line: every kind of effect, the ones that make things worse included
EFFECT_SUMMARY: dict[str, Pair] = {"gaps_closed": ("补上缺口", "gaps closed"), "gaps_opened": ("新增缺口", "gaps opened"),
                                   "singles_strengthened": ("单点加强", "single points strengthened"),
                                   "chokepoints_relieved": ("卡点缓解", "chokepoints relieved"),
                                   "chokepoints_added": ("新增卡点", "chokepoints created")}
#: titles of the tables commands print, and the notes under them
TITLES: dict[str, Pair] = {
    "gaps": ("产业链环节状态与优先级", "Segment status and priority"), "chokepoints": ("卡点环节", "Chokepoint segments"),
    "leaders": ("链主候选", "Chain-leader candidates"), "centrality": ("企业中心性与关键企业", "Firm centrality and key firms"),
    "prospects": ("招商对象", "Prospects"), "tiers": ("企业规模梯队", "Firms by revenue tier"),
    "coverage": ("各链覆盖率", "Coverage per chain"),
    "whatif_segments": ("环节变化", "Segments that change"), "whatif_key_firms": ("关键企业变化", "Key firms that change"),
    "whatif_leaders": ("链主候选变化", "Chain-leader candidates whose rank changes"),
    "sampled_betweenness": ("中介度为抽样估计（k=500, seed 0）。", "Betweenness is sampled (k=500, seed 0)."),
}
#: the summary sheet of the report workbook
SUMMARY: dict[str, Pair] = {
    "report": ("报告", "report"), "generated": ("生成日期", "generated"), "data_as_of": ("数据截至", "data as of"),
    "local_firms": ("本地企业", "local firms"), "item": ("项目", "item"), "value": ("值", "value"),
    "basis_confirmed": ("环节状态依据：只依据已证实事实", "statuses resting on confirmed facts only"),
    "basis_inferred": ("环节状态依据：含推断事实（※）", "statuses resting on inferred facts (※)"),
    "differ_confirmed_only": ("只用已证实事实时状态不同的环节", "statuses that differ on confirmed facts only"),
    "confirmed_only": ("只用已证实事实（--confirmed-only）", "confirmed facts only (--confirmed-only)"),
    "cut": ("只列出部分行", "first rows only"),
}
#: the sheets of the report workbook
SHEETS: dict[str, Pair] = {
    "summary": ("概览", "summary"), "gaps": ("环节与缺口", "gaps"), "prospects": ("招商对象", "prospects"),
    "chokepoints": ("卡点环节", "chokepoints"), "key_firms": ("关键企业", "key firms"), "tiers": ("规模梯队", "tiers"),
    "changes": ("推断若有误会改变的结论", "what changes"), "monitor": ("红绿黄灯", "tech lights"),
    "sources": ("来源", "sources"), "by_dimension": ("各维度", "by dimension"),
}

# -- headers, fields and phrases -------------------------------------------------------------------
#: one flat table: record keys (columns of every table, fields of every page) and the explorer's phrases.
#: Data columns of the input (name, stage, source_id …) are named by the schema (SCHEMA_HEADERS, headers()).
WORDS: dict[str, Pair] = {
    # columns of the findings (gaps, prospects, chokepoints, firms, leaders, tiers, changes)
    "rank": ("排名", "rank"), "segment_id": ("环节编号", "segment id"), "segment": ("环节", "segment"),
    "chain_id": ("产业链编号", "chain id"), "chain": ("产业链", "chain"), "cluster": ("产业集群", "cluster"),
    "stage_label": ("阶段", "stage"), "status": ("状态代码", "status code"),
    "status_label": ("状态", "status"), "display": ("判断", "reading"), "direction": ("方向", "direction"),
    "local_firms": ("本地企业数", "local firms"), "local_firm_names": ("本地企业", "local firm names"),
    "priority": ("优先级", "priority"), "priority_parts": ("优先级构成", "priority parts"),
    "why": ("依据", "why"), "coverage_ratio": ("覆盖率", "coverage"),
    # three different "confirmed": the absence of local firms, the row's source, what a finding rests on
    "confirmed": ("缺失已证实", "absence confirmed"), "confidence": ("来源可信度", "source confidence"),
    "direction_label": ("方向", "direction"), "scope_label": ("范围", "scope"),
    "source_url": ("来源网址", "source url"),
    "firm_id": ("企业编号", "firm id"), "firm": ("企业", "firm"), "score": ("评分", "score"),
    "score_parts": ("评分构成", "score parts"), "reasons": ("理由", "reasons"),
    "pagerank": ("供应重要度(PageRank)", "PageRank"), "betweenness": ("中介度", "betweenness"),
    "articulation": ("关键节点", "articulation point"), "key_firm": ("关键企业", "key firm"),
    "flow_betweenness": ("链内流量中介度", "flow betweenness"), "pairs": ("被切断的本地环节对", "cut (U, D) pairs"),
    "threshold": ("门槛(亿元)", "threshold (100M CNY)"),
    "firms": ("企业数", "firms"), "target": ("目标", "target"), "shortfall": ("差额", "shortfall"),
    "unknown_revenue": ("营收未知", "revenue unknown"), "in_degree": ("客户数", "customers"),
    "out_degree": ("供应商数", "suppliers"), "sampled": ("抽样", "sampled"),
    "tagged_chain_leader": ("资料称链主", "called chain leader by a source"),
    "segments_covered": ("覆盖环节数", "segments covered"),
    "gap_status": ("缺口状态", "gap status"), "message": ("说明", "message"),
    "gap_priority": ("缺口优先级", "gap priority"), "scope_id": ("范围编号", "scope id"),
    "target_year": ("目标年份", "target year"), "target_source_id": ("目标来源", "target source"),
    "firm_names": ("企业", "firms"), "pair_names": ("被切断的本地环节对", "cut pairs"),
    "only_local_firm_of": ("唯一本地企业的环节", "only local firm of"),
    "basis": ("依据性质", "basis"), "inferred_facts": ("所依据的推断事实", "inferred facts it rests on"),
    "link_unknown": ("环节未知", "link unknown"), "existing_investor": ("已在本地投资", "existing investor"),
    "known_revenue": ("营收已知", "revenue known"), "shortfall_text": ("差额（可证明部分）", "shortfall (provable)"),
    "shortfall_at_least": ("差额至少", "shortfall at least"), "shortfall_at_most": ("差额至多", "shortfall at most"),
    "complete": ("企业名单完整", "firm list complete"),
    "status_confirmed_only": ("仅已证实事实时的状态代码", "status code on confirmed facts only"),
    "status_confirmed_only_label": ("仅已证实事实时的状态", "status on confirmed facts only"),
    "effect_text": ("落户效果", "effect of landing"), "effect_total": ("效果分", "effect"),
    # columns of the 红绿黄灯 rows (docs/monitor.md)
    "item_id": ("编号", "id"), "item": ("关键技术", "item"), "kind_label": ("类别", "kind"),
    "serves": ("服务环节", "serves"), "lead": ("牵头单位", "lead"),
    "light_label": ("灯", "light"), "light_start": ("开始", "start"), "light_schedule": ("进度", "schedule"),
    "light_funds": ("资金", "funds"), "light_freshness": ("更新", "freshness"),
    "milestones": ("里程碑数", "milestones"), "milestones_done": ("已完成", "done"), "as_of": ("截至", "as of"),
    "serves_id": ("服务对象编号", "serves id"), "lead_id": ("牵头单位编号", "lead id"),
    "light": ("灯代码", "light code"), "kind": ("类别代码", "kind code"),
    "milestone_id": ("里程碑编号", "milestone id"), "dimension": ("维度", "dimension"), "level": ("级别", "level"),
    "measure": ("度量（天或百分点）", "measure (days or points)"), "reason": ("原因", "reason"),
    # columns of what-if
    "changed": ("变化", "changed"), "chokepoint": ("卡点对数", "chokepoint pairs"), "change_label": ("变化", "change"),
    # the explorer: page names, labels and phrases
    "app": ("产业链图谱浏览", "chain explorer"),
    "overview": ("总览", "overview"),
    "search": ("搜索", "search"),
    "search_hint": ("企业、环节、产业链、区县名称或拼音", "firm, segment, chain or district name"),
    "search_results": ("搜索结果", "search results"),
    "no_results": ("没有找到匹配的名称（已按中文、英文、曾用名、拼音和近似拼写查找）。",
                   "No name matches (Chinese, English, former names, pinyin and near spellings were tried)."),
    "chains": ("产业链", "chains"), "segments": ("环节", "segments"),
    "district": ("区县/园区", "district / park"), "districts": ("区县/园区", "districts / parks"),
    "lab": ("创新平台", "lab"), "labs": ("创新平台", "labs"), "fund": ("产业基金", "fund"), "funds": ("产业基金", "funds"),
    "project": ("项目", "project"), "projects": ("项目", "projects"), "evidence": ("证据", "evidence"),
    "all_firms": ("在本环节的企业", "firms in this segment"),
    "upstream": ("上游环节", "upstream segments"), "downstream": ("下游环节", "downstream segments"),
    "prospects": ("招商对象", "prospects"),
    "chokepoints": ("卡点", "chokepoints"), "chokepoint_pairs": ("断开的本地上下游", "local pairs it cuts"),
    "sources": ("来源", "sources"), "source": ("来源", "source"),
    "coverage": ("覆盖率", "coverage"), "named_local_firms": ("已点名本地企业", "named local firms"),
    "reported_firms": ("报道企业数", "reported firms"), "coverage_text": ("覆盖率口径与依据", "coverage: scope and notes"),
    "status_counts": ("环节状态", "segment statuses"), "top_gaps": ("优先缺口", "top gaps"),
    "tiers": ("营收档位与目标", "revenue tiers vs targets"), "count": ("数量", "count"),
    "map": ("产业链图", "chain map"),
    "map_hint": ("点击环节查看详情；红=缺口，黄=单点/薄弱，绿=已覆盖，虚线框=推断",
                 "Click a segment to open it. Red = gap, yellow = single/thin, green = present; dashed = inferred"),
    "filter_district": ("按区县筛选本地企业", "count as local only firms in"), "all_districts": ("全市", "whole city"),
    "apply": ("应用", "apply"), "export": ("导出本链表格", "export this chain's tables"),
    "leaders": ("链主候选", "chain-leader candidates"),
    "revenue": ("营收(亿元)", "revenue (100M CNY)"), "tags": ("标签", "tags"), "tier": ("营收档位", "revenue tier"),
    "credit_code": ("统一社会信用代码", "credit code"), "suppliers": ("供应商", "suppliers"), "customers": ("客户", "customers"),
    "hop": ("跳数", "hops"), "via": ("经由", "via"), "network": ("供应关系（两跳内）", "supply network (up to 2 hops)"),
    "fills": ("可填补的缺口", "gaps it could fill"), "no_supplies": ("资料中没有该企业的供应关系。", "No supply relation on record."),
    "hosts": ("所涉产业链与环节", "chains and segments here"), "gaps_here": ("本地视角下的缺口", "gaps seen from here"),
    "parent": ("上级", "part of"), "children": ("下辖", "contains"), "node_kind": ("类型", "kind"),
    "in_browser": ("在 Neo4j Browser 中打开", "open in Neo4j Browser"),
    "not_found": ("未找到", "not found"), "not_found_text": ("没有这个编号的{what}：", "There is no {what} with the id "),
    "back_home": ("返回总览", "back to the overview"),
    "unavailable": ("数据暂不可用", "data unavailable"),
    "unavailable_text": ("无法读取 Neo4j 图数据库。请检查服务器是否运行（chainkg server status），恢复后刷新本页即可。",
                         "Neo4j cannot be read right now. Check that the server runs (chainkg server status); "
                         "reload this page once it is back."),
    "forbidden": ("需要访问令牌", "token required"),
    "forbidden_text": ("此服务需要访问令牌：在网址后加 ?token=…（一次即可）或发送 Authorization: Bearer 头。",
                       "This server needs its token: add ?token=… to the URL once, or send an Authorization: Bearer header."),
    "method": ("只读服务", "read-only"), "method_text": ("本服务只接受 GET 请求。", "This server answers GET requests only."),
    "data_version": ("数据版本", "data version"), "dataset": ("数据集", "dataset"),
    "amount": ("金额(亿元)", "amount (100M CNY)"),
    "size": ("规模(亿元)", "size (100M CNY)"), "backs": ("支撑/投向", "backs"),
    "description": ("说明", "description"), "chain_of": ("所属产业链", "chain"),
    # the explorer's what-if, 红绿黄灯 and targets pages
    "whatif": ("假设推演", "what-if"), "whatif_hint": ("假设企业落户、离开或转移环节，查看缺口、优先级、卡点与链主候选的变化（不写入任何数据）。",
                                                   "Suppose firms land, leave or move: see how gaps, priorities, chokepoints "
                                                   "and chain-leader candidates change (nothing is written)."),
    "op": ("变化", "change"), "op_land": ("落户", "lands in"), "op_leave": ("离开", "leaves"), "op_move": ("转到", "moves to"),
    "firm_or_new": ("企业（编号、名称，或新企业名称）", "firm (id, name, or a new firm's name)"),
    "run_whatif": ("推演", "run"), "whatif_this": ("推演", "what-if"), "aim": ("方向", "aim"),
    "aim_fill": ("补链", "fill a gap"), "aim_strengthen": ("强链", "strengthen"),
    "landing": ("落户后（前 → 后）", "if it lands (before → after)"), "no_change": ("无变化", "no change"),
    "if_changes": ("假设", "if"), "segments_changing": ("环节变化", "segments that change"),
    "key_firms_changing": ("关键企业变化", "key firms that change"),
    "leaders_changing": ("链主候选变化", "chain-leader candidates whose rank changes"),
    "whatif_problems": ("无法推演：", "Cannot run this what-if:"),
    "lights": ("红绿黄灯", "traffic lights"), "lights_hint": ("关键技术攻关的进度灯：红＝滞后或未按期启动，黄＝有风险，绿＝正常；无灯＝资料不足以判断。",
                                                          "Progress lights of key technology items: red = late or not started on time, "
                                                          "yellow = at risk, green = on track; no light = not enough data to judge."),
    "light_red": ("红灯", "red"), "light_yellow": ("黄灯", "yellow"), "light_green": ("绿灯", "green"),
    "light_none": ("无法判断", "cannot judge"), "all_lights": ("全部", "all"), "all_chains": ("全部产业链", "all chains"),
    "no_items": ("没有符合条件的项目。", "No item matches."), "tech_badge": ("技术攻关灯", "tech light"),
    "targets": ("目标与指标", "targets and indicators"),
    "targets_hint": ("市里的目标与数据能证明的情况对照；“未知”表示资料不足，不等于零。",
                     "The city's targets against what the data proves; unknown means the data does not say, not zero."),
    "unknown": ("未知", "unknown"), "proved": ("数据可证明", "proved by the data"), "year": ("年份", "year"),
    "metrics": ("指标", "indicators"), "value": ("数值", "value"), "unit": ("单位", "unit"),
    "scope": ("范围", "scope"), "city": ("全市", "city"), "target_count": ("目标企业数", "target (firms)"),
    "firms_at": ("达到门槛的企业（已知）", "firms at or above (known)"),
    "chart": ("图", "chart"), "met": ("已达成", "met"), "not_met": ("未达成", "not met"),
    # words of values (never capitalised)
    "none": ("无", "none"), "yes": ("是", "yes"), "no": ("否", "no"),
    "in_region": ("本地", "local"), "outside": ("外地", "outside"),
    "basis_confirmed": BASIS["confirmed"], "basis_inferred": BASIS["inferred"],
    "key_segment": ("关键环节", "key segment"),
    "coverage_low": ("覆盖率低：缺口可能只是资料未收录", "low coverage: a gap may only be missing data"),
    "more_firms": ("仅显示前 {n} 家，共 {total} 家", "first {n} of {total} shown"),
    "no_local_on_record": ("未掌握本地企业", "no local firm on record"),
    "confirmed_gap": ("已证实缺失", "confirmed gap"),
    "gap_by_data": ("数据显示缺口", "gap in the data"),
    "tiers_note": ("注意：市目标按工业开票销售计，本数据为营业收入，口径不同，仅供参考。",
                   "Note: the city's targets count invoiced sales; the data holds revenue, a different measure."),
}
#: the explorer's own page words (#24: the map, search, exports, briefing, error pages), zh and en as shown
PAGE_WORDS: dict[str, Pair] = {
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
#: data values that are codes or Chinese-only words, shown in the page's language
DATA_WORDS: dict[str, dict[str, Pair]] = {
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
    "fact_kind": FACT_KINDS,
    "level": {"国家级": ("国家级", "national"), "省级": ("省级", "provincial"), "市级": ("市级", "municipal")},
    "lab_kind": {"研究院": ("研究院", "institute"), "实验室": ("实验室", "laboratory"), "技术中心": ("技术中心", "technology centre"),
                 "研究生院": ("研究生院", "graduate school"), "技术创新中心": ("技术创新中心", "technology innovation centre"),
                 "学院": ("学院", "college"), "试制中心": ("试制中心", "prototyping centre")},
}
#: the sheets of the explorer's downloads (and their order)
PAGE_SHEETS: dict[str, Pair] = {
    "segments": ("环节与缺口", "Segments and gaps"), "prospects": ("招商对象", "Prospects"),
    "chokepoints": ("卡点环节", "Chokepoints"), "leaders": ("链主候选", "Chain-leader candidates"),
    "projects": ("项目", "Projects"), "labs": ("创新平台", "Labs"), "funds": ("产业基金", "Funds"),
    "sources": ("来源", "Sources"),
    "district_gaps": ("本地视角下的缺口", "Gaps seen from here"), "district_segments": ("全部环节状态", "Every segment"),
    "district_firms": ("企业", "Firms"),
}
#: the chain map's own words (legend, box captions)
MAP_WORDS: dict[str, Pair] = {
    "local": ("本地企业 {n} 家", "{n} local firm{s}"),
    "inferred_basis": ("状态依据含推断事实", "status rests on inferred facts"),
    "link_unknown": ("环节未知的本地企业", "Local firms, link unknown"),
    "gap": ("缺口", "gap"), "single_thin": ("单点 / 薄弱", "single / thin"), "present": ("已覆盖", "present"),
    "dashed_box": ("虚线框：环节本身为推断", "dashed box: the segment itself is inferred"),
    "key": ("★ 关键环节", "★ key segment"), "mark": ("※ 状态依据含推断事实", "※ status rests on inferred facts"),
    "reverse": ("虚线箭头：反向关系（回收、反馈）", "dashed arrow: reverse link (recycling, feedback)"),
    "cross": ("→ / ← 紫色：与其他产业链的环节相连", "→ / ← purple: linked to another chain's segment"),
}
#: the keys of WORDS that name values, not fields: the explorer leaves them lower case
VALUE_WORDS = frozenset({"none", "yes", "no", "in_region", "outside", "basis_confirmed", "basis_inferred", "key_segment",
                         "coverage_low", "more_firms", "no_local_on_record", "confirmed_gap", "gap_by_data",
                         "tiers_note", "light_red", "light_yellow", "light_green", "light_none", "unknown", "met",
                         "not_met", "aim_fill", "aim_strengthen", "no_change"})
#: a problem's severity in words (English keeps the code)
SEVERITY: dict[str, Pair] = {"error": ("错误", "error"), "warning": ("警告", "warning")}
#: a table whose column means something narrower there: table -> key -> words (over WORDS)
TABLE_HEADERS: dict[str, dict[str, Pair]] = {
    # the what-if rows hold before → after words, not codes
    "whatif": {"status": ("状态", "status"), "rank": ("链主候选排名", "chain-leader rank")},
    # the monitor's rows: an item's source, its own reasons
    "monitor": {"source_id": ("来源", "source"), "reasons": ("原因", "reasons")},
    # the monitor's sheet by dimension
    "monitor_detail": {"level": ("灯", "light")},
    # a problem table (validate, load, intake): English keeps the column codes people grep for
    "problems": {"severity": ("级别", "severity"), "code": ("代码", "code"), "file": ("文件", "file"),
                 "sheet": ("工作表", "sheet"), "row": ("行", "row"), "column": ("列", "column"), "value": ("值", "value"),
                 "message": ("问题", "message"), "hint": ("如何修改", "hint")},
    # the explorer's own tables (projects, labs, funds, sources) on its pages and in its downloads
    "page_tables": {
        "project": ("项目", "project"), "firms": ("企业", "firms"), "segments": ("环节", "segments"),
        "project_status": ("状态", "status"), "amount": ("金额(亿元)", "amount (100M CNY)"), "date": ("日期", "date"),
        "lab": ("创新平台", "lab"), "level": ("级别", "level"), "backs": ("支撑对象", "backs"), "fund": ("基金", "fund"),
        "size": ("规模(亿元)", "size (100M CNY)"), "title": ("标题", "title"), "publisher": ("发布者", "publisher"),
        "reliability": ("可靠性", "reliability"), "url": ("网址", "URL"), "id": ("编号", "id"),
        "gap_rank": ("缺口排名", "gap rank"),
    },
}

#: keys that are data columns of the input: key -> (table, column, English); the Chinese is the schema's
SCHEMA_HEADERS: dict[str, tuple[str, str, str]] = {
    "stage": ("segments", "stage", "stage"), "key": ("segments", "key", "key"),
    "source_id": ("segments", "source_id", "source"),
    "local": ("firms", "local", "local"), "revenue_100m_cny": ("firms", "revenue_100m_cny", "revenue (100M CNY)"),
    "name": ("firms", "name", "name"), "scope": ("targets", "scope", "scope"),
    **{c: ("sources", c, c) for c in ("id", "title", "url", "publisher", "date", "reliability")},
}


@cache
def _headers(lang: str, table: str | None) -> dict[str, str]:
    from .schema import TABLE_BY_NAME

    out = {k: pick(v, lang) for k, v in WORDS.items()}
    for key, (name, column, en) in SCHEMA_HEADERS.items():
        out[key] = next(c.zh for c in TABLE_BY_NAME[name].columns if c.name == column) if lang == "zh" else en
    out.update({k: pick(v, lang) for k, v in TABLE_HEADERS.get(table or "", {}).items()})
    return out


def headers(lang: str, table: str | None = None) -> dict[str, str]:
    """Key -> header in ``lang``: :data:`WORDS`, data columns as the schema names them, then the
    words of ``table`` (:data:`TABLE_HEADERS`).

    >>> headers("zh")["revenue_100m_cny"], headers("zh")["source_id"], headers("en")["source_id"]
    ('营业收入(亿元)', '来源编号', 'source')
    >>> headers("zh")["status"], headers("zh", "whatif")["status"], headers("en", "whatif")["rank"]
    ('状态代码', '状态', 'chain-leader rank')
    """
    return dict(_headers(lang, table))


def status_colour(status: str) -> str:
    """The 红绿黄灯 light of a status.

    >>> status_colour("gap_fill"), status_colour("thin"), status_colour("present")
    ('red', 'yellow', 'green')
    """
    return STATUS[status].colour


@dataclass(frozen=True)
class LeadStage:
    """A stage of a 招商 lead (the workspace's pipeline): code, Chinese and English word, order."""
    code: str
    zh: str
    en: str
    order: int
    active: bool  # still being worked (not dropped, not producing)


#: the 招商 pipeline: 挖掘线索 → 接洽 → 走访 → 洽谈 → 签约 → 注册 → 开工 → 投产 (or 终止)
LEAD_STAGES: tuple[LeadStage, ...] = (
    LeadStage("lead", "线索", "Lead", 0, True),
    LeadStage("contact", "接洽", "Contact", 1, True),
    LeadStage("visit", "走访", "Visit", 2, True),
    LeadStage("negotiate", "洽谈", "Negotiation", 3, True),
    LeadStage("signed", "签约", "Signed", 4, True),
    LeadStage("registered", "注册", "Registered", 5, True),
    LeadStage("started", "开工", "Construction started", 6, True),
    LeadStage("producing", "投产", "Producing", 7, False),
    LeadStage("dropped", "终止", "Dropped", 8, False),
)
LEAD_STAGE: dict[str, LeadStage] = {s.code: s for s in LEAD_STAGES}
#: stages from which a lead counts as landing in the pipeline's effect ("if every lead at 签约 or later lands")
LANDING_STAGES: tuple[str, ...] = ("signed", "registered", "started", "producing")


def lead_stage(value: str | None) -> str | None:
    """A lead stage's code from its code or its Chinese or English word; None when it is none of them.

    >>> lead_stage("签约"), lead_stage("negotiate"), lead_stage(" Signed "), lead_stage("签字")
    ('signed', 'negotiate', 'signed', None)
    """
    v = (value or "").strip()
    for s in LEAD_STAGES:
        if v in (s.code, s.zh) or v.casefold() == s.en.casefold():
            return s.code
    return None
