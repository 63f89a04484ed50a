"""The graph schema, declared once.

Tables (the input format) map to node labels and relationship types. From this one
declaration come: the pydantic row models (:mod:`.records`), header aliases, the Excel
template, Neo4j constraints and Cypher (``chainkg.cypher``), and the NetworkX builder.
"""

from __future__ import annotations

from dataclasses import dataclass

from .vocabulary import STAGES, STATUSES

# Enumerations: canonical value -> accepted spellings (Chinese included).
ENUMS: dict[str, dict[str, tuple[str, ...]]] = {
    "stage": {st.code: (st.zh, *st.spellings) for st in STAGES},
    "confidence": {"confirmed": ("已证实", "证实", "确认", "confirmed"), "inferred": ("推断", "推定", "inferred")},
    "project_status": {"signed": ("签约",), "started": ("开工", "在建"), "landed": ("投产", "落地", "竣工")},
    "scope": {"city": ("市", "全市", "城市"), "cluster": ("集群", "产业集群"), "chain": ("产业链", "链")},
    "reliability": {"high": ("高",), "moderate": ("中", "中等"), "low": ("低",)},
    "term_mode": {"include": ("包含", "正向", "正向词", "白名单", "+"), "exclude": ("排除", "负向", "负向词", "黑名单", "-")},
    "term_field": {"any": ("全部", "任意", "all"), "name": ("企业名称", "名称"), "business_scope": ("经营范围",),
                   "main_products": ("主营产品", "主要产品")},
    "tech_kind": {"core_technology": ("核心技术",), "advanced_material": ("先进材料",), "key_process": ("关键工艺",),
                  "pain_point": ("痛点堵点", "痛点", "堵点"), "innovative_product": ("创新产品",)},
}
#: an enumeration value's Chinese word: its first spelling
ENUM_ZH = {code: spellings[0] for values in ENUMS.values() for code, spellings in values.items()}


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # id | text | ref | bool | number | int | percent | date | enum | list | credit_code | industry_code
    zh: str
    required: bool = False
    enum: str | None = None  # key of ENUMS
    aliases: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class ForeignKey:
    """A column of a node table that becomes a relationship (never a property)."""
    column: str
    rel_type: str
    target_labels: tuple[str, ...]
    reverse: bool = False  # True: (target)-[rel]->(this row's node)


@dataclass(frozen=True)
class NodeTable:
    table: str
    label: str
    zh: str
    columns: tuple[Column, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()
    required_table: bool = False

    @property
    def is_edge(self) -> bool:
        return False


@dataclass(frozen=True)
class EdgeTable:
    table: str
    rel_type: str
    zh: str
    from_column: str
    to_column: str
    from_labels: tuple[str, ...]
    to_labels: tuple[str, ...]
    columns: tuple[Column, ...]

    @property
    def is_edge(self) -> bool:
        return True


@dataclass(frozen=True)
class RuleTable:
    """Rows kept beside the graph (the intake rules): validated, exported and read by
    ``chainkg intake``, never loaded as nodes or relationships. ``refs``: column -> allowed labels."""
    table: str
    zh: str
    columns: tuple[Column, ...]
    refs: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def is_edge(self) -> bool:
        return False


Table = NodeTable | EdgeTable | RuleTable

# Columns every table may carry.
SOURCE_ID = Column("source_id", "ref", "来源编号", aliases=("来源",), note="编号 of a row in sources")
CONFIDENCE = Column("confidence", "enum", "可信度", enum="confidence", note="confirmed 已证实 | inferred 推断")
COMMON = (SOURCE_ID, CONFIDENCE)

ID = Column("id", "id", "编号", required=True, aliases=("id", "ID"), note="unique across the whole dataset")
NAME = Column("name", "text", "名称", required=True, aliases=("中文名称",))
NAME_EN = Column("name_en", "text", "英文名称", aliases=("英文名",))
AMOUNT = Column("amount_100m_cny", "number", "金额(亿元)", aliases=("金额",), note="100 million yuan (亿元)")


def _node(table, label, zh, cols, fks=(), required=False):
    return NodeTable(table, label, zh, (ID, *cols, *COMMON), tuple(fks), required)


def _edge(table, rel, zh, f, t, fl, tl, extra=()):
    return EdgeTable(table, rel, zh, f.name, t.name, fl, tl, (f, t, *extra, *COMMON))


TABLES: tuple[Table, ...] = (
    _node("clusters", "Cluster", "产业集群", (NAME, NAME_EN), required=True),
    _node("chains", "Chain", "产业链",
          (Column("cluster_id", "ref", "所属集群", required=True, aliases=("集群",)), NAME, NAME_EN),
          [ForeignKey("cluster_id", "HAS_CHAIN", ("Cluster",), reverse=True)], required=True),
    _node("segments", "Segment", "产业链环节",
          (Column("chain_id", "ref", "所属产业链", required=True, aliases=("产业链",)), NAME, NAME_EN,
           Column("stage", "enum", "阶段", required=True, enum="stage", aliases=("环节阶段",),
                  note="upstream 上游 | midstream 中游 | downstream 下游"),
           Column("key", "bool", "关键环节", aliases=("是否关键",), note="是/否: a source calls it key or 卡脖子"),
           Column("description", "text", "说明", aliases=("描述",)),
           Column("local_absence_confirmed", "bool", "确认本地缺失",
                  note="是 only where a source says no local firm works in this link")),
          [ForeignKey("chain_id", "HAS_SEGMENT", ("Chain",), reverse=True)], required=True),
    _edge("segment_links", "FEEDS", "环节关联",
          Column("from_id", "ref", "上游环节", required=True, note="this segment's output ..."),
          Column("to_id", "ref", "下游环节", required=True, note="... is an input of this segment"),
          ("Segment",), ("Segment",)),
    _node("firms", "Firm", "企业",
          (NAME, NAME_EN,
           Column("credit_code", "credit_code", "统一社会信用代码", aliases=("信用代码",),
                  note="18 characters, GB 32100-2015"),
           Column("district_id", "ref", "所属区县", aliases=("区县",)),
           Column("local", "bool", "是否本地", required=True, aliases=("本地",), note="是 = located in the region"),
           Column("revenue_100m_cny", "number", "营业收入(亿元)", aliases=("营收(亿元)", "营业收入"),
                  note="100 million yuan (亿元)"),
           Column("revenue_year", "int", "营收年份"),
           Column("tags", "list", "标签", note="separate with ; or 、 (链主、专精特新、单项冠军、上市 …)"),
           Column("aliases", "list", "曾用名/简称", aliases=("别名", "曾用名", "简称"),
                  note="former and short names, separated with ; or 、 (晶澳科技、晶澳太阳能): the explorer's search finds them"),
           Column("business_scope", "text", "经营范围", aliases=("经营范围描述",),
                  note="as registered; read by chainkg intake"),
           Column("main_products", "text", "主营产品", aliases=("主要产品", "主营业务"),
                  note="read by chainkg intake"),
           Column("industry_code", "industry_code", "行业代码", aliases=("国民经济行业代码", "所属行业代码"),
                  note="GB/T 4754-2017 code: a section letter and/or 2-4 digits, e.g. C3825"),
           Column("parent_id", "ref", "母公司编号", aliases=("母公司", "所属集团"),
                  note="编号 of the firm (group) this firm belongs to: a subsidiary or plant -> its group")),
          [ForeignKey("district_id", "LOCATED_IN", ("District",)),
           ForeignKey("parent_id", "SUBSIDIARY_OF", ("Firm",))]),
    _edge("firm_segments", "IN_SEGMENT", "企业环节",
          Column("firm_id", "ref", "企业编号", required=True, aliases=("企业",)),
          Column("segment_id", "ref", "所属环节", required=True, aliases=("环节",)),
          ("Firm",), ("Segment",),
          (Column("note", "text", "说明", aliases=("备注",),
                  note="what the source says of the firm's work here, e.g. 在研 (developing)"),)),
    _edge("firm_chains", "IN_CHAIN", "企业产业链",
          Column("firm_id", "ref", "企业编号", required=True, aliases=("企业",)),
          Column("chain_id", "ref", "所属产业链", required=True, aliases=("产业链",),
                 note="a source ties the firm to this chain but not to a link: it counts in the chain's named "
                      "local firms and never makes a segment present"),
          ("Firm",), ("Chain",)),
    _edge("supplies", "SUPPLIES", "供应关系",
          Column("supplier_id", "ref", "供应商编号", required=True, aliases=("供应商",)),
          Column("customer_id", "ref", "客户编号", required=True, aliases=("客户",)),
          ("Firm",), ("Firm",),
          (Column("product", "text", "供应产品", aliases=("产品", "供货内容"),
                  note="what the supplier supplies, as the source says it"),)),
    RuleTable("segment_terms", "环节关键词", (
        Column("segment_id", "ref", "所属环节", required=True, aliases=("环节",),
               note="a segment id; or a chain id: a term every firm of the chain must show (chain fit)"),
        Column("term", "text", "关键词", required=True, aliases=("词",),
               note="a word that says what the segment makes or does (电池片, not 科技)"),
        Column("mode", "enum", "类型", enum="term_mode", aliases=("正负向",),
               note="include 包含 (default) | exclude 排除: a firm whose text has it is not proposed"),
        Column("field", "enum", "字段", enum="term_field", aliases=("匹配字段",),
               note="any 全部 (default) | name 企业名称 | business_scope 经营范围 | main_products 主营产品"),
        Column("weight", "number", "权重", note="default 1; a heavier term counts more"),
        *COMMON), (("segment_id", ("Segment", "Chain")),)),
    RuleTable("segment_industries", "环节行业代码", (
        Column("segment_id", "ref", "所属环节", required=True, aliases=("环节",)),
        Column("industry_code", "industry_code", "行业代码", required=True, aliases=("国民经济行业代码",),
               note="GB/T 4754-2017, any length: C38, 382, 3825 (a firm's code matches by prefix)"),
        Column("weight", "number", "权重", note="default 1"),
        *COMMON), (("segment_id", ("Segment",)),)),
    RuleTable("intake_rejections", "挂链否决", (
        Column("firm_name", "text", "企业名称", required=True, aliases=("企业",)),
        Column("credit_code", "credit_code", "统一社会信用代码", aliases=("信用代码",)),
        Column("segment_id", "ref", "所属环节", required=True, aliases=("环节",)),
        Column("date", "date", "日期"),
        Column("note", "text", "说明", note="where the rejection came from (review file)"),
        Column("main_products", "text", "主营产品",
               note="the firm's text as staff saw it when rejecting: the next propose learns from it (a negative "
                    "example) also for a firm the dataset does not hold"),
        Column("business_scope", "text", "经营范围", note="as 主营产品"),
        Column("industry_code", "industry_code", "行业代码", note="as 主营产品"),
        *COMMON), (("segment_id", ("Segment",)),)),
    _node("districts", "District", "区县园区",
          (NAME, NAME_EN, Column("kind", "text", "类型", note="区 / 县级市 / 县 / 开发区 / 园区 …"),
           Column("parent_id", "ref", "上级区域", aliases=("上级",))),
          [ForeignKey("parent_id", "PART_OF", ("District",))]),
    _node("labs", "Lab", "创新平台",
          (NAME, NAME_EN, Column("kind", "text", "类型", note="实验室 / 研究院 / 创新中心 …"),
           Column("level", "text", "级别", note="国家级 / 省级 / 市级"),
           Column("district_id", "ref", "所属区县", aliases=("区县",))),
          [ForeignKey("district_id", "LOCATED_IN", ("District",))]),
    _edge("lab_supports", "SUPPORTS", "平台支撑",
          Column("lab_id", "ref", "平台编号", required=True, aliases=("平台",)),
          Column("target_id", "ref", "支撑对象编号", required=True, aliases=("支撑对象",),
                 note="a segment or a chain"),
          ("Lab",), ("Segment", "Chain")),
    _node("funds", "Fund", "产业基金",
          (NAME, NAME_EN, Column("size_100m_cny", "number", "规模(亿元)", aliases=("规模",),
                                 note="100 million yuan (亿元)"),
           Column("manager", "text", "管理人"))),
    _edge("fund_chains", "FOCUSES_ON", "基金投向",
          Column("fund_id", "ref", "基金编号", required=True, aliases=("基金",)),
          Column("chain_id", "ref", "产业链编号", required=True, aliases=("所属产业链", "产业链")),
          ("Fund",), ("Chain",)),
    _edge("fund_investments", "INVESTS_IN", "基金投资",
          Column("fund_id", "ref", "基金编号", required=True, aliases=("基金",)),
          Column("firm_id", "ref", "企业编号", required=True, aliases=("企业",)),
          ("Fund",), ("Firm",), (AMOUNT,)),
    _node("projects", "Project", "项目",
          (NAME, NAME_EN, Column("firm_id", "ref", "企业编号", aliases=("企业",)),
           Column("segment_id", "ref", "所属环节", aliases=("环节",)),
           Column("district_id", "ref", "所属区县", aliases=("区县",)), AMOUNT,
           Column("status", "enum", "状态", enum="project_status", note="signed 签约 | started 开工 | landed 投产"),
           Column("date", "date", "日期", note="YYYY, YYYY-MM or YYYY-MM-DD")),
          [ForeignKey("firm_id", "HAS_PROJECT", ("Firm",), reverse=True),
           ForeignKey("segment_id", "IN_SEGMENT", ("Segment",)),
           ForeignKey("district_id", "LOCATED_IN", ("District",))]),
    # key-technology work monitored with red/yellow/green lights (docs/monitor.md)
    _node("tech_items", "TechItem", "关键技术",
          (NAME, NAME_EN,
           Column("kind", "enum", "类别", required=True, enum="tech_kind", aliases=("技术类别",),
                  note="核心技术 | 先进材料 | 关键工艺 | 痛点堵点 | 创新产品"),
           Column("serves_id", "ref", "服务环节", aliases=("所属环节", "服务对象"), note="a segment or a chain"),
           Column("lead_id", "ref", "牵头单位", aliases=("牵头企业", "承担单位"), note="a firm or a lab"),
           Column("description", "text", "说明", aliases=("描述",))),
          [ForeignKey("serves_id", "SERVES", ("Segment", "Chain")),
           ForeignKey("lead_id", "LEADS", ("Firm", "Lab"), reverse=True)]),
    _node("tech_milestones", "Milestone", "技术里程碑",
          (Column("item_id", "ref", "所属技术", required=True, aliases=("关键技术", "技术编号")), NAME,
           Column("planned_start", "date", "计划开始", note="YYYY, YYYY-MM or YYYY-MM-DD; the start light needs it"),
           Column("planned_date", "date", "计划完成", aliases=("计划日期", "计划完成日期")),
           Column("done_date", "date", "完成日期", aliases=("实际完成",), note="empty while not done"),
           Column("planned_funds_10k_cny", "number", "计划资金(万元)", aliases=("计划资金",), note="10 thousand yuan (万元)"),
           Column("funds_paid_10k_cny", "number", "已拨付资金(万元)", aliases=("已拨付资金", "到位资金"),
                  note="10 thousand yuan (万元), paid so far"),
           Column("progress_pct", "percent", "进度(%)", aliases=("进度", "完成进度"), note="0 to 100"),
           Column("updated_on", "date", "更新日期", aliases=("填报日期",), note="when progress and funds were last reported"),
           Column("note", "text", "备注")),
          [ForeignKey("item_id", "HAS_MILESTONE", ("TechItem",), reverse=True)]),
    _node("targets", "Target", "目标",
          (Column("scope", "enum", "范围", required=True, enum="scope", note="city 市 | cluster 集群 | chain 产业链"),
           Column("scope_id", "ref", "范围编号", note="cluster or chain id; empty for the city"),
           Column("metric", "text", "指标", required=True, note="e.g. firms_revenue_over_100m_cny"),
           Column("threshold", "number", "门槛", note="e.g. 100 (亿元)"),
           Column("count", "int", "数量", required=True), Column("year", "int", "年份"))),
    _node("metrics", "Metric", "指标数据",
          (Column("scope", "enum", "范围", required=True, enum="scope"),
           Column("scope_id", "ref", "范围编号"),
           Column("metric", "text", "指标", required=True), Column("value", "number", "数值", required=True),
           Column("unit", "text", "单位"), Column("period", "text", "期间", note="e.g. 2024, 2025-01..2025-08"),
           Column("covers", "text", "口径",
                  note="what the figure counts when it is only part of its scope: one park (维扬经开区), another "
                       "industry (汽车零部件企业); empty = all of the scope. A firm count with a 口径 is never a "
                       "chain's coverage denominator"),
           Column("derived", "bool", "推算所得",
                  note="是 = the data computed the figure (e.g. a sum of a source's figures); no source states it"))),
    _node("sources", "Source", "来源",
          (Column("title", "text", "标题", required=True), Column("url", "text", "网址", aliases=("链接",)),
           Column("publisher", "text", "发布者"), Column("date", "date", "日期"),
           Column("reliability", "enum", "可靠性", enum="reliability", note="high 高 | moderate 中 | low 低"))),
)

TABLE_BY_NAME: dict[str, Table] = {t.table: t for t in TABLES}
NODE_TABLES: tuple[NodeTable, ...] = tuple(t for t in TABLES if isinstance(t, NodeTable))
EDGE_TABLES: tuple[EdgeTable, ...] = tuple(t for t in TABLES if isinstance(t, EdgeTable))
RULE_TABLES: tuple[RuleTable, ...] = tuple(t for t in TABLES if isinstance(t, RuleTable))
LABELS: tuple[str, ...] = tuple(t.label for t in NODE_TABLES)
TABLE_OF_LABEL: dict[str, str] = {t.label: t.table for t in NODE_TABLES}


def _rel_types() -> dict[str, set[tuple[str, str]]]:
    out: dict[str, set[tuple[str, str]]] = {}
    for t in NODE_TABLES:
        for fk in t.foreign_keys:
            for target in fk.target_labels:
                pair = (target, t.label) if fk.reverse else (t.label, target)
                out.setdefault(fk.rel_type, set()).add(pair)
    for e in EDGE_TABLES:
        for a in e.from_labels:
            for b in e.to_labels:
                out.setdefault(e.rel_type, set()).add((a, b))
    return out


#: relationship type -> allowed (start label, end label) pairs
REL_TYPES: dict[str, set[tuple[str, str]]] = _rel_types()

#: Segment status labels written by ``chainkg analyze --write`` (one per segment).
STATUS_LABELS = {st.code: st.neo4j_label for st in STATUSES}

#: TechItem light labels written by ``chainkg analyze --write`` (one per judged item).
LIGHT_LABELS = {"red": "LightRed", "yellow": "LightYellow", "green": "LightGreen"}

#: the label every chainkg node carries besides its own, so load/prune/replace touch only ours
BASE_LABEL = "ChainKG"
#: properties written by the analysis; ``load`` never touches them
ANALYSIS_PREFIX = "ana_"


def header_aliases(table: Table) -> dict[str, str]:
    """Accepted header (case-folded) -> canonical column name."""
    out = {}
    for c in table.columns:
        for h in (c.name, c.zh, *c.aliases):
            out[h.strip().casefold()] = c.name
    return out


def table_aliases() -> dict[str, str]:
    """Accepted table / sheet / file names -> table name (e.g. ``企业`` -> ``firms``)."""
    out = {}
    for t in TABLES:
        out[t.table.casefold()] = t.table
        out[t.zh.casefold()] = t.table
    return out
