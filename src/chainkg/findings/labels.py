"""Chinese and English words of the analysis: statuses, directions, column headers, explanations."""

from __future__ import annotations

from ..graph_model.vocabulary import STAGES, STATUSES

STATUS = {st.code: (st.zh, st.en) for st in STATUSES}
DIRECTION = {"up": ("向上游延伸", "extend upstream"), "down": ("向下游延伸", "extend downstream")}
STAGE = {st.code: (st.zh, st.en) for st in STAGES}
NO_LOCAL_ON_RECORD = ("未掌握本地企业", "no local firm on record")
CONFIRMED_GAP = ("已证实缺失", "confirmed gap")
GAP_BY_DATA = ("数据显示缺口", "gap in the data")

HEADERS = {
    "rank": ("排名", "rank"), "segment_id": ("环节编号", "segment id"), "segment": ("环节", "segment"),
    "chain_id": ("产业链编号", "chain id"), "chain": ("产业链", "chain"), "cluster": ("集群", "cluster"),
    "stage_label": ("阶段", "stage"), "status": ("状态代码", "status code"),
    "status_label": ("状态", "status"), "display": ("判断", "reading"), "direction": ("方向", "direction"),
    "local_firms": ("本地企业数", "local firms"), "local_firm_names": ("本地企业", "local firm names"),
    "priority": ("优先级", "priority"), "priority_parts": ("优先级构成", "priority parts"),
    "why": ("依据", "why"), "coverage_ratio": ("覆盖率", "coverage"),
    # three different "confirmed": the absence of local firms, the row's source, what a finding rests on
    "confirmed": ("缺失已证实", "absence confirmed"), "confidence": ("来源可信度", "source confidence"),
    "source_url": ("来源网址", "source url"),
    "firm_id": ("企业编号", "firm id"), "firm": ("企业", "firm"), "score": ("评分", "score"),
    "score_parts": ("评分构成", "score parts"), "reasons": ("理由", "reasons"),
    "pagerank": ("供应重要度(PageRank)", "PageRank"), "betweenness": ("中介度", "betweenness"),
    "articulation": ("关键节点", "articulation point"), "key_firm": ("关键企业", "key firm"),
    "flow_betweenness": ("链内流量中介度", "flow betweenness"), "pairs": ("被切断的本地环节对", "cut (U, D) pairs"),
    "threshold": ("门槛(亿元)", "threshold (100M CNY)"), "direction_label": ("方向", "direction"),
    "scope_label": ("范围", "scope"), "key_firm_reasons": ("关键企业原因", "key firm because"),
    "firms": ("企业数", "firms"), "target": ("目标", "target"), "shortfall": ("差额", "shortfall"),
    "unknown_revenue": ("营收未知", "revenue unknown"), "in_degree": ("客户数", "customers"),
    "out_degree": ("供应商数", "suppliers"), "sampled": ("抽样", "sampled"),
    "tagged_chain_leader": ("资料称链主", "called chain leader by a source"), "segments_covered": ("覆盖环节数", "segments covered"),
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
}
#: tier scopes in words (a district's row stands for the city's with ``--district``)
SCOPE = {"city": ("全市", "city"), "district": ("区县", "district"), "cluster": ("集群", "cluster"),
         "chain": ("产业链", "chain")}
#: basis values in words
BASIS = {"confirmed": ("仅依据已证实事实", "confirmed"), "inferred": ("含推断事实", "inferred")}
#: why a firm is a key firm
KEY_REASONS = {"articulation": ("供应网络关键节点", "supply-network articulation point"),
               "only_local_firm": ("环节唯一本地企业", "only local firm of a segment")}


def _enum_words(enum: str) -> dict[str, tuple[str, str]]:
    from ..graph_model.schema import ENUMS

    return {code: (spellings[0], code) for code, spellings in ENUMS[enum].items()}


#: finding columns that hold codes, shown in words in every table (JSON keeps the codes)
CODE_WORDS: dict[str, dict[str, tuple[str, str]]] = {
    "basis": BASIS, "coverage_basis": BASIS, "scope": SCOPE, "status": STATUS, "status_before": STATUS, "status_after": STATUS,
    "gap_status": STATUS, "status_confirmed_only": STATUS, "direction": DIRECTION, "key_firm": KEY_REASONS,
    "confidence": _enum_words("confidence"), "reliability": _enum_words("reliability"),
    "source_reliability": _enum_words("reliability"),
}


def code_word(column: str, value, lang: str):
    """A code cell in words; anything else as it is.

    >>> code_word("basis", "inferred", "zh"), code_word("key_firm", ["articulation"], "en"), code_word("x", "up", "zh")
    ('含推断事实', ['supply-network articulation point'], 'up')
    """
    words = CODE_WORDS.get(column)
    if words is None:
        return value
    if isinstance(value, list):
        return [pick(words[v], lang) if isinstance(v, str) and v in words else v for v in value]
    return pick(words[value], lang) if isinstance(value, str) and value in words else value


PARTS = {
    "key": ("关键环节", "key"), "kind": ("类型", "kind"), "adjacent_local_firms": ("相邻本地企业", "adjacent local firms"),
    "flow_betweenness_points": ("流量中介度加分", "flow betweenness points"), "labs": ("平台", "labs"), "funds": ("基金", "funds"),
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


#: finding keys that are data columns: their header is the schema's (table, column) Chinese name
SCHEMA_HEADERS = {
    "stage": ("segments", "stage", "stage"), "key": ("segments", "key", "key"),
    "source_id": ("segments", "source_id", "source"),
    "local": ("firms", "local", "local"), "revenue_100m_cny": ("firms", "revenue_100m_cny", "revenue (100M CNY)"),
    "name": ("firms", "name", "name"), "scope": ("targets", "scope", "scope"),
    **{c: ("sources", c, c) for c in ("id", "title", "url", "publisher", "date", "reliability")},
}


def headers(lang: str) -> dict[str, str]:
    """Column key -> header in ``lang``; data columns are named as the schema names them.

    >>> headers("zh")["revenue_100m_cny"], headers("zh")["source_id"], headers("en")["source_id"]
    ('营业收入(亿元)', '来源编号', 'source')
    """
    from ..analysis.lights import MONITOR_HEADERS
    from ..graph_model.schema import TABLE_BY_NAME

    out = {k: pick(v, lang) for k, v in MONITOR_HEADERS.items()}  # the 红绿黄灯 rows (docs/monitor.md)
    out.update({k: pick(v, lang) for k, v in HEADERS.items()})
    for key, (table, column, en) in SCHEMA_HEADERS.items():
        zh = next(c.zh for c in TABLE_BY_NAME[table].columns if c.name == column)
        out[key] = zh if lang == "zh" else en
    return out
