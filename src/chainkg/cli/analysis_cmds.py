"""Analysis commands: gaps, chokepoints, centrality, prospects, tiers, and analyze --write (onto the graph)."""

from __future__ import annotations

import click

from ..graph_model.vocabulary import TITLES, WORDS, pick
from ..reports.tables import TEXT_FORMATS, render
from .common import connect, neo4j_options, option_stack, source_options
from .output import emit

#: the options every analysis command takes
analysis_options = option_stack(
    source_options,
    click.option("--chain", default=None, help="Only this chain: id, or exact Chinese or English name."),
    click.option("--cluster", default=None, help="Only this cluster: id, or exact Chinese or English name."),
    click.option("--district", default=None, help="Count as local only firms located in this district (or under it)."),
    click.option("--weights", type=click.Path(exists=True, dir_okay=False), default=None,
                 help="Points file (default: the shipped analysis/weights.yaml)."),
    click.option("--confirmed-only", is_flag=True,
                 help="The same analysis over confirmed facts only (inferred segments, links, placements, "
                      "cluster mappings and metrics left out)."),
    click.option("--format", "fmt", type=click.Choice(TEXT_FORMATS), default="table", show_default=True),
    click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True),
    click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="Write to this file."),
    neo4j_options,
)


class Context:
    """The graph, the analysis, and the resolved filters of one command."""

    def __init__(self, kw: dict, lean: bool = False):
        """``lean``: segment-level findings only, firms kept in columns (``api.open_graph(lean=True)``)."""
        from .. import api
        from .common import open_graph

        self.G = open_graph(kw, lean=lean)
        self.analysis = api.analyze(self.G, district=kw.get("district"), weights=kw.get("weights"),
                                    confirmed_only=kw.get("confirmed_only", False))
        self.fmt, self.lang, self.output = kw["fmt"], kw["lang"], kw["output"]
        self.filters = {"lang": self.lang, "chain": kw.get("chain"), "cluster": kw.get("cluster")}


def show(ctx: Context, rows: list[dict], columns: list[str], title: str, note: str | None = None) -> None:
    from ..findings.labels import headers
    from ..reports.tables import flatten

    if ctx.fmt == "json":
        emit(render(rows, None, "json"), ctx.output)
    else:
        flat = [flatten(r, ctx.lang) for r in rows]
        emit(render(flat, columns, ctx.fmt, headers=headers(ctx.lang), title=title, lang=ctx.lang), ctx.output)
    if note:
        click.echo(note, err=True)


@click.command()
@analysis_options
def gaps(**kw):
    """Every segment's status (补链 / 延链 / 单点 / 薄弱 ...), priority with its parts, and evidence.

    Statuses: gap_fill, gap_extend, gap_isolated, gap_unlinked, single, thin, present
    (definitions: docs/analysis.md). A gap where the data's coverage is low reads
    "未掌握本地企业 / no local firm on record", not a confirmed gap.

    \b
    Examples:
      chainkg gaps
      chainkg gaps --chain 晶硅光伏 --format md
      chainkg gaps --chain PV --lang en --format json -o pv-gaps.json
      chainkg gaps --district 高邮市 --format csv -o gaoyou.csv
    """
    ctx = Context(kw, lean=True)
    from ..api import gaps as find

    rows = find(ctx.analysis, **ctx.filters)
    cols = ["rank", "chain", "segment", "stage_label", "display", "local_firms", "priority", "priority_parts", "why",
            "basis", "inferred_facts"]
    if ctx.fmt != "table":
        cols += ["segment_id", "chain_id", "direction_label", "key", "confirmed", "coverage_ratio", "source_id",
                 "source_url", "confidence"]
    show(ctx, rows, cols, pick(TITLES["gaps"], ctx.lang))


@click.command()
@analysis_options
def chokepoints(**kw):
    """Chokepoint segments (卡点环节): removing one cuts a path between two local segments.

    \b
    Examples:
      chainkg chokepoints
      chainkg chokepoints --chain 集成电路 --format json
    """
    ctx = Context(kw, lean=True)
    from ..api import chokepoints as find

    rows = find(ctx.analysis, **ctx.filters)
    cols = ["chain", "segment", "status_label", "pair_names", "flow_betweenness", "source_id", "confidence", "basis",
            "inferred_facts"]
    if ctx.fmt != "table":
        cols += ["segment_id", "chain_id", "source_url"]
    note = None
    if not rows:
        note = ("没有卡点环节：每条链中本地环节之间都不依赖单一环节相连（或本地环节不足两个）。" if ctx.lang == "zh" else
                "No chokepoint segment: no chain has two local segments joined only through one segment.")
    show(ctx, rows, cols, pick(TITLES["chokepoints"], ctx.lang), note)


@click.command()
@analysis_options
@click.option("--leaders", is_flag=True, help="Show 链主 candidates per chain instead of all firms.")
def centrality(leaders, **kw):
    """Supplier importance (PageRank on reversed SUPPLIES), betweenness, key firms, 链主 candidates.

    With no SUPPLIES data the command says so instead of printing zeros.

    \b
    Examples:
      chainkg centrality
      chainkg centrality --leaders --chain 集成电路
    """
    ctx = Context(kw)
    from ..api import firms
    from ..api import leaders as find_leaders

    a = ctx.analysis
    note = None
    if not a.centrality.supplies_data:
        note = ("数据中没有供应关系（supplies 表为空）：PageRank 与中介度无法计算，关键企业仅按“环节唯一本地企业”判断。"
                if ctx.lang == "zh" else "The data has no SUPPLIES relationships: PageRank and betweenness cannot be "
                "computed; key firms are only the only local firm of a segment.")
    elif a.centrality.betweenness_sampled:
        note = pick(TITLES["sampled_betweenness"], ctx.lang)
    if leaders:
        rows = find_leaders(a, **ctx.filters)
        cols = ["chain", "rank", "firm", "tagged_chain_leader", "segments_covered", "link_unknown", "revenue_100m_cny",
                "pagerank", "source_id", "basis", "inferred_facts"]
        title = pick(TITLES["leaders"], ctx.lang)
    else:
        rows = firms(a, **ctx.filters)
        cols = ["firm", "local", "pagerank", "betweenness", "in_degree", "out_degree", "articulation", "key_firm",
                "only_local_firm_of", "source_id", "basis", "inferred_facts"]
        title = pick(TITLES["centrality"], ctx.lang)
    show(ctx, rows, cols, title, note)


@click.command()
@analysis_options
@click.option("--segment", default=None, help="Only this segment: id, or exact Chinese or English name.")
@click.option("--rank-by", "rank_by", type=click.Choice(["score", "effect"]), default="score", show_default=True,
              help="effect: by what the firm's landing changes (gaps closed, single points, chokepoints; `chainkg whatif`).")
def prospects(segment, rank_by, **kw):
    """Outside firms to approach (招商对象) for each gap, scored, with reasons.

    \b
    Examples:
      chainkg prospects --chain 晶硅光伏
      chainkg prospects --segment 组件 --format json
      chainkg prospects --rank-by effect
    """
    ctx = Context(kw)  # landing effects re-run the analysis with the firm added: the full graph
    from ..api import prospects as find
    from ..api.scenarios import landing_effects

    rows = landing_effects(ctx.analysis, find(ctx.analysis, segment=segment, **ctx.filters), lang=ctx.lang,
                           rank_by=rank_by)
    cols = ["chain", "segment", "display", "gap_priority", "firm", "existing_investor", "score", "score_parts",
            "effect_text", "reasons", "message", "basis", "inferred_facts"]
    if ctx.fmt != "table":
        cols += ["segment_id", "firm_id", "source_id", "source_url", "confidence"]
    empty = sum(1 for r in rows if r["firm_id"] is None)
    note = (f"{empty} 个缺口环节没有外地候选企业。" if ctx.lang == "zh" else
            f"{empty} gap segment(s) have no outside candidate on record.") if empty else None
    show(ctx, rows, cols, pick(TITLES["prospects"], ctx.lang), note)


@click.command()
@analysis_options
def tiers(**kw):
    """Local firms by revenue tier (≥500/100/50/20 亿元) against the city's targets, with the shortfall.

    \b
    Examples:
      chainkg tiers
      chainkg tiers --cluster 新能源 --format md
    """
    ctx = Context(kw)
    from ..api import tiers as find

    rows = find(ctx.analysis, **ctx.filters)
    cols = ["scope_label", "name", "threshold", "firms", "known_revenue", "unknown_revenue", "target", "shortfall_text",
            "basis", "inferred_facts"]
    if ctx.fmt != "table":
        cols += ["scope_id", "shortfall", "shortfall_at_least", "shortfall_at_most", "complete", "target_year",
                 "target_source_id", "firm_names"]
    show(ctx, rows, cols, pick(TITLES["tiers"], ctx.lang),
         pick(WORDS["tiers_note"], ctx.lang))


@click.command()
@click.option("--write", is_flag=True, help="Store the analysis on the graph (otherwise only show what would be written).")
@click.option("--data", default=None, help="Analyse this dataset instead of the graph itself (--from-neo4j).")
@click.option("--from-neo4j", is_flag=True, help="Analyse the graph in Neo4j (the default when --data is not given).")
@click.option("--encoding", default=None)
@click.option("--weights", type=click.Path(exists=True, dir_okay=False), default=None)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Language of ana_status_label and ana_display.")
@click.option("--confirmed-only", is_flag=True, help="Write the analysis over confirmed facts only.")
@click.option("--as-of", "as_of", default=None, metavar="YYYY-MM-DD",
              help="Date the 红绿黄灯 of TechItems are judged at (default today).")
@neo4j_options
def analyze(write, data, from_neo4j, encoding, weights, lang, confirmed_only, as_of, uri, user, database):
    """Store the analysis on the graph: ana_* properties and one status label per segment.

    Segments get GapFill, GapExtend, GapIsolated, GapUnlinked, SinglePoint, Thin or Present
    (styled by `chainkg browser --style`) and ana_status, ana_priority and its parts, flow
    betweenness, chokepoint flag, ana_basis (confirmed | inferred) and ana_inferred_facts (what the
    status rests on that is only inferred); firms get key-firm flag, PageRank, betweenness, 链主 rank;
    TechItems get LightRed, LightYellow or LightGreen and ana_light* (docs/monitor.md).
    Rerunning replaces the previous run; `chainkg load` never touches ana_* properties.

    \b
    Examples:
      chainkg analyze --write
      chainkg analyze --write --data yangzhou-613
      chainkg analyze --write --confirmed-only
      chainkg analyze --write --as-of 2026-06-30
    """
    import datetime as dt

    from ..api import analyze as run_analysis
    from ..api.database import status_labels, write_analysis
    from .common import open_graph

    try:
        day = dt.date.fromisoformat(as_of) if as_of else dt.date.today()
    except ValueError:
        raise click.BadParameter(f"{as_of!r} is not a date YYYY-MM-DD.", param_hint="--as-of") from None
    from_data = bool(data) and not from_neo4j
    G = open_graph({"data": data, "encoding": encoding, "from_neo4j": not from_data, "uri": uri, "user": user,
                    "database": database})
    a = run_analysis(G, weights=weights, confirmed_only=confirmed_only)
    if not write:
        click.echo("Would write (use --write): " + ", ".join(f"{k} {v}" for k, v in status_labels(a).items()))
        return
    driver, settings = connect(uri, user, database)
    with driver:
        rep, lights = write_analysis(driver, settings.database, a, lang=lang, as_of=day)
    click.echo(f"Wrote the analysis of {sum(rep.segments.values())} segments and {rep.firms} firms to "
               f"{settings.uri} at {rep.run_at}: " + ", ".join(f"{k} {v}" for k, v in sorted(rep.segments.items())))
    if sum(lights.values()):
        click.echo(f"Lights of {sum(lights.values())} tech item(s) as of {day}: "
                   + ", ".join(f"{k} {v}" for k, v in sorted(lights.items())))
    if rep.cleared_segments or rep.cleared_firms:
        click.echo(f"Cleared an earlier run's analysis from {rep.cleared_segments} segments and "
                   f"{rep.cleared_firms} firms not in this one.")
    if rep.not_in_graph:
        click.echo(f"{len(rep.not_in_graph)} analysed node(s) are not in the graph (load the dataset first): "
                   + ", ".join(rep.not_in_graph[:10]), err=True)


COMMANDS = [gaps, chokepoints, centrality, prospects, tiers, analyze]
