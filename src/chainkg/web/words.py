"""The explorer's own words, in Chinese and English (the analysis' words come with its records)."""

from __future__ import annotations

LANGS = ("zh", "en")

WORDS: dict[str, tuple[str, str]] = {
    "app": ("产业链图谱浏览", "Chain explorer"),
    "overview": ("总览", "Overview"),
    "search": ("搜索", "Search"),
    "search_hint": ("企业、环节、产业链、区县名称或拼音", "firm, segment, chain or district name"),
    "search_results": ("搜索结果", "Search results"),
    "no_results": ("没有找到匹配的名称（已按中文、英文、曾用名、拼音和近似拼写查找）。", "No name matches (Chinese, English, former names, pinyin and near spellings were tried)."),
    "chain": ("产业链", "Chain"), "chains": ("产业链", "Chains"), "cluster": ("产业集群", "Cluster"),
    "segment": ("环节", "Segment"), "segments": ("环节", "Segments"), "firm": ("企业", "Firm"),
    "firms": ("企业", "Firms"), "district": ("区县/园区", "District / park"), "districts": ("区县/园区", "Districts / parks"),
    "lab": ("创新平台", "Lab"), "labs": ("创新平台", "Labs"), "fund": ("产业基金", "Fund"), "funds": ("产业基金", "Funds"),
    "project": ("项目", "Project"), "projects": ("项目", "Projects"),
    "status": ("状态", "Status"), "reading": ("判断", "Reading"), "priority": ("优先级", "Priority"),
    "priority_parts": ("优先级构成", "Priority parts"), "why": ("依据", "Why"), "evidence": ("证据", "Evidence"),
    "basis": ("依据性质", "Basis"), "inferred_facts": ("所依据的推断事实", "Inferred facts it rests on"),
    "basis_confirmed": ("已证实", "confirmed"), "basis_inferred": ("含推断", "inferred"),
    "local_firms": ("本地企业", "Local firms"), "all_firms": ("在本环节的企业", "Firms in this segment"),
    "local": ("本地", "local"), "outside": ("外地", "outside"),
    "upstream": ("上游环节", "Upstream segments"), "downstream": ("下游环节", "Downstream segments"),
    "prospects": ("招商对象", "Prospects"), "reasons": ("理由", "Reasons"), "score": ("评分", "Score"),
    "chokepoints": ("卡点", "Chokepoints"), "chokepoint_pairs": ("断开的本地上下游", "Local pairs it cuts"),
    "sources": ("来源", "Sources"), "source": ("来源", "Source"), "confidence": ("可信度", "Confidence"),
    "coverage": ("覆盖率", "Coverage"), "coverage_low": ("覆盖率低：缺口可能只是资料未收录", "low coverage: a gap may only be missing data"),
    "status_counts": ("环节状态", "Segment statuses"), "top_gaps": ("优先缺口", "Top gaps"),
    "tiers": ("营收档位与目标", "Revenue tiers vs targets"), "threshold": ("门槛(亿元)", "Threshold (CNY 100m)"),
    "target": ("目标", "Target"), "shortfall": ("差额", "Shortfall"), "count": ("数量", "Count"),
    "map": ("产业链图", "Chain map"), "map_hint": ("点击环节查看详情；红=缺口，黄=单点/薄弱，绿=已覆盖，虚线框=推断",
                                              "Click a segment to open it. Red = gap, yellow = single/thin, green = present; dashed = inferred"),
    "filter_district": ("按区县筛选本地企业", "Count as local only firms in"), "all_districts": ("全市", "Whole city"),
    "apply": ("应用", "Apply"), "export": ("导出本链表格", "Export this chain's tables"),
    "leaders": ("链主候选", "Chain-leader candidates"), "segments_covered": ("覆盖环节数", "Segments covered"),
    "revenue": ("营收(亿元)", "Revenue (CNY 100m)"), "tags": ("标签", "Tags"), "tier": ("营收档位", "Revenue tier"),
    "credit_code": ("统一社会信用代码", "Credit code"), "suppliers": ("供应商", "Suppliers"), "customers": ("客户", "Customers"),
    "hop": ("跳数", "Hops"), "via": ("经由", "Via"), "network": ("供应关系（两跳内）", "Supply network (up to 2 hops)"),
    "fills": ("可填补的缺口", "Gaps it could fill"), "no_supplies": ("资料中没有该企业的供应关系。", "No supply relation on record."),
    "hosts": ("所涉产业链与环节", "Chains and segments here"), "gaps_here": ("本地视角下的缺口", "Gaps seen from here"),
    "parent": ("上级", "Part of"), "children": ("下辖", "Contains"), "kind": ("类型", "Kind"),
    "in_browser": ("在 Neo4j Browser 中打开", "Open in Neo4j Browser"),
    "not_found": ("未找到", "Not found"), "not_found_text": ("没有这个编号的{what}：", "There is no {what} with the id "),
    "back_home": ("返回总览", "Back to the overview"),
    "unavailable": ("数据暂不可用", "Data unavailable"),
    "unavailable_text": ("无法读取 Neo4j 图数据库。请检查服务器是否运行（chainkg server status），恢复后刷新本页即可。",
                         "Neo4j cannot be read right now. Check that the server runs (chainkg server status); "
                         "reload this page once it is back."),
    "forbidden": ("需要访问令牌", "Token required"),
    "forbidden_text": ("此服务需要访问令牌：在网址后加 ?token=…（一次即可）或发送 Authorization: Bearer 头。",
                       "This server needs its token: add ?token=… to the URL once, or send an Authorization: Bearer header."),
    "method": ("只读服务", "Read-only"), "method_text": ("本服务只接受 GET 请求。", "This server answers GET requests only."),
    "data_version": ("数据版本", "Data version"), "dataset": ("数据集", "Dataset"),
    "none": ("无", "none"), "yes": ("是", "yes"), "no": ("否", "no"), "key": ("关键环节", "key segment"),
    "message": ("说明", "Message"), "amount": ("金额(亿元)", "Amount (CNY 100m)"), "date": ("日期", "Date"),
    "stage": ("阶段", "Stage"), "rank": ("排名", "Rank"), "name": ("名称", "Name"), "level": ("级别", "Level"),
    "size": ("规模(亿元)", "Size (CNY 100m)"), "backs": ("支撑/投向", "Backs"), "reliability": ("可靠性", "Reliability"),
    "url": ("网址", "URL"), "publisher": ("发布者", "Publisher"), "more_firms": ("仅显示前 {n} 家，共 {total} 家", "first {n} of {total} shown"),
    "description": ("说明", "Description"), "chain_of": ("所属产业链", "Chain"),
    "unknown": ("未知", "unknown"),
    "coverage_unknown": ("报道企业总数未知，无法计算覆盖率（未知不等于低）",
                         "the number of firms reported is unknown, so coverage cannot be computed (unknown is not low)"),
    "named_of_reported": ("已点名本地企业 / 报道企业数", "Named local firms / firms reported"),
    "named_of_reported_hint": ("资料中点名的本地企业数 / 公开报道的本地企业总数（如“规上企业 85 家”）",
                               "local firms named in the data / local firms a source reports in total (e.g. “85 firms above scale”)"),
    "unit_100m": ("亿元", "CNY 100m"), "tagged_leader": ("标注为链主", "tagged chain leader"),
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


def word(key: str, lang: str) -> str:
    """A word of the explorer in ``lang``.

    >>> word("overview", "zh"), word("overview", "en")
    ('总览', 'Overview')
    """
    zh, en = WORDS[key]
    return zh if lang == "zh" else en
