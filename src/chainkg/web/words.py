"""The explorer's own words, in Chinese and English (the analysis' words come with its records)."""

from __future__ import annotations

LANGS = ("zh", "en")

WORDS: dict[str, tuple[str, str]] = {
    "app": ("产业链图谱浏览", "Chain explorer"),
    "overview": ("总览", "Overview"),
    "search": ("搜索", "Search"),
    "search_hint": ("企业、环节、产业链、平台、基金名称", "firm, segment, chain, lab or fund name"),
    "search_results": ("搜索结果", "Search results"),
    "no_results": ("没有找到名称包含该文字的节点。", "No name contains this text."),
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
    "tiers": ("营收档位与目标", "Revenue tiers vs targets"), "threshold": ("门槛(亿元)", "Threshold (亿元)"),
    "target": ("目标", "Target"), "shortfall": ("差额", "Shortfall"), "count": ("数量", "Count"),
    "map": ("产业链图", "Chain map"), "map_hint": ("点击环节查看详情；红=缺口，黄=单点/薄弱，绿=已覆盖，虚线框=推断",
                                              "Click a segment to open it. Red = gap, yellow = single/thin, green = present; dashed = inferred"),
    "filter_district": ("按区县筛选本地企业", "Count as local only firms in"), "all_districts": ("全市", "Whole city"),
    "apply": ("应用", "Apply"), "export": ("导出本链表格", "Export this chain's tables"),
    "leaders": ("链主候选", "Chain-leader candidates"), "segments_covered": ("覆盖环节数", "Segments covered"),
    "revenue": ("营收(亿元)", "Revenue (亿元)"), "tags": ("标签", "Tags"), "tier": ("营收档位", "Revenue tier"),
    "credit_code": ("统一社会信用代码", "Credit code"), "suppliers": ("供应商", "Suppliers"), "customers": ("客户", "Customers"),
    "hop": ("跳数", "Hops"), "via": ("经由", "Via"), "network": ("供应关系（两跳内）", "Supply network (up to 2 hops)"),
    "fills": ("可填补的缺口", "Gaps it could fill"), "no_supplies": ("资料中没有该企业的供应关系。", "No supply relation on record."),
    "hosts": ("所涉产业链与环节", "Chains and segments here"), "gaps_here": ("本地视角下的缺口", "Gaps seen from here"),
    "parent": ("上级", "Part of"), "children": ("下辖", "Contains"), "kind": ("类型", "Kind"),
    "in_browser": ("在 Neo4j Browser 中打开", "Open in Neo4j Browser"),
    "not_found": ("未找到", "Not found"), "not_found_text": ("没有这个编号的{what}：", "There is no {what} with id "),
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
    "message": ("说明", "Message"), "amount": ("金额(亿元)", "Amount (亿元)"), "date": ("日期", "Date"),
    "stage": ("阶段", "Stage"), "rank": ("排名", "Rank"), "name": ("名称", "Name"), "level": ("级别", "Level"),
    "size": ("规模(亿元)", "Size (亿元)"), "backs": ("支撑/投向", "Backs"), "reliability": ("可靠性", "Reliability"),
    "url": ("网址", "URL"), "publisher": ("发布者", "Publisher"), "more_firms": ("仅显示前 {n} 家，共 {total} 家", "first {n} of {total} shown"),
    "description": ("说明", "Description"), "chain_of": ("所属产业链", "Chain"),
}


def word(key: str, lang: str) -> str:
    """A word of the explorer in ``lang``.

    >>> word("overview", "zh"), word("overview", "en")
    ('总览', 'Overview')
    """
    zh, en = WORDS[key]
    return zh if lang == "zh" else en
