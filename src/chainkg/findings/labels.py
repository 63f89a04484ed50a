"""Chinese and English words of the analysis: statuses, directions, column headers, explanations."""

from __future__ import annotations

STATUS = {
    "gap_fill": ("补链", "Gap: fill (补链)"),
    "gap_extend": ("延链", "Gap: extend (延链)"),
    "gap_isolated": ("孤立缺口", "Gap: isolated"),
    "gap_unlinked": ("未关联缺口", "Gap: unlinked"),
    "single": ("单点", "Single point"),
    "thin": ("薄弱", "Thin"),
    "present": ("已覆盖", "Present"),
}
DIRECTION = {"up": ("向上游延伸", "extend upstream"), "down": ("向下游延伸", "extend downstream")}
STAGE = {"upstream": ("上游", "upstream"), "midstream": ("中游", "midstream"), "downstream": ("下游", "downstream")}
NO_LOCAL_ON_RECORD = ("未掌握本地企业", "no local firm on record")
CONFIRMED_GAP = ("已证实缺失", "confirmed gap")
GAP_BY_DATA = ("数据显示缺口", "gap in the data")

HEADERS = {
    "rank": ("排名", "rank"), "segment_id": ("环节编号", "segment id"), "segment": ("环节", "segment"),
    "chain_id": ("产业链编号", "chain id"), "chain": ("产业链", "chain"), "cluster": ("集群", "cluster"),
    "stage": ("阶段", "stage"), "stage_label": ("阶段", "stage"), "key": ("关键", "key"), "status": ("状态代码", "status code"),
    "status_label": ("状态", "status"), "display": ("判断", "reading"), "direction": ("方向", "direction"),
    "local_firms": ("本地企业数", "local firms"), "local_firm_names": ("本地企业", "local firm names"),
    "priority": ("优先级", "priority"), "priority_parts": ("优先级构成", "priority parts"),
    "why": ("依据", "why"), "coverage_ratio": ("覆盖率", "coverage"), "confirmed": ("已证实", "confirmed"),
    "source_id": ("来源", "source"), "source_url": ("来源网址", "source url"), "confidence": ("可信度", "confidence"),
    "firm_id": ("企业编号", "firm id"), "firm": ("企业", "firm"), "score": ("评分", "score"),
    "score_parts": ("评分构成", "score parts"), "reasons": ("理由", "reasons"), "local": ("本地", "local"),
    "pagerank": ("供应重要度(PageRank)", "PageRank"), "betweenness": ("中介度", "betweenness"),
    "articulation": ("关键节点", "articulation point"), "key_firm": ("关键企业", "key firm"),
    "flow_betweenness": ("链内流量中介度", "flow betweenness"), "pairs": ("被切断的本地环节对", "cut (U, D) pairs"),
    "scope": ("范围", "scope"), "name": ("名称", "name"), "threshold": ("门槛(亿元)", "threshold (亿元)"),
    "firms": ("企业数", "firms"), "target": ("目标", "target"), "shortfall": ("差额", "shortfall"),
    "unknown_revenue": ("营收未知", "revenue unknown"), "in_degree": ("客户数", "customers"),
    "out_degree": ("供应商数", "suppliers"), "sampled": ("抽样", "sampled"), "revenue": ("营收(亿元)", "revenue (亿元)"),
    "tagged_chain_leader": ("资料称链主", "called 链主 by a source"), "segments_covered": ("覆盖环节数", "segments covered"),
    "gap_status": ("缺口状态", "gap status"), "message": ("说明", "message"),
    "gap_priority": ("缺口优先级", "gap priority"), "scope_id": ("范围编号", "scope id"),
    "target_year": ("目标年份", "target year"), "target_source_id": ("目标来源", "target source"),
    "firm_names": ("企业", "firms"), "pair_names": ("被切断的本地环节对", "cut pairs"),
    "revenue_100m_cny": ("营收(亿元)", "revenue (亿元)"), "only_local_firm_of": ("唯一本地企业的环节", "only local firm of"),
}


PARTS = {
    "key": ("关键环节", "key"), "kind": ("类型", "kind"), "adjacent_local_firms": ("相邻本地企业", "adjacent local firms"),
    "flow_betweenness": ("流量中介度", "flow betweenness"), "labs": ("平台", "labs"), "funds": ("基金", "funds"),
    "local_partners": ("本地供应伙伴", "local partners"), "fund_investment": ("基金投资", "fund investment"),
    "revenue_tier": ("营收档", "revenue tier"), "other_gaps": ("其他缺口", "other gaps"),
}


def parts_text(parts: dict | None, lang: str) -> str:
    """``{"key": 3, "kind": 2}`` as ``关键环节=3; 类型=2`` (zh) or ``key=3; kind=2`` (en)."""
    if not parts:
        return ""
    return "; ".join(f"{pick(PARTS.get(k, (k, k)), lang)}={v}" for k, v in parts.items())


def pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "zh" else pair[1]


def headers(lang: str) -> dict[str, str]:
    return {k: pick(v, lang) for k, v in HEADERS.items()}
