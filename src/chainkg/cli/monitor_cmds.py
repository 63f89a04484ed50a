"""``chainkg monitor`` (红绿黄灯 of key-technology work) and ``chainkg whatif`` (hypothetical changes)."""

from __future__ import annotations

import datetime as dt

import click

from .common import neo4j_options, source_options
from .output import emit


def _as_of(ctx, param, value):
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date YYYY-MM-DD.") from None


def as_of_option(help_text: str = "Judge the 红绿黄灯 as of this date (default today): replays a past month."):
    return click.option("--as-of", "as_of", default=None, callback=_as_of, metavar="YYYY-MM-DD", help=help_text)


@click.command()
@source_options
@as_of_option()
@click.option("--lights", "lights_file", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Thresholds file (default: the shipped analysis/lights.yaml).")
@click.option("--chain", default=None, help="Only items serving this chain (id or exact name).")
@click.option("--cluster", default=None, help="Only items serving this cluster (id or exact name).")
@click.option("--district", default=None, help="Only items whose lead is located in this district (or under it).")
@click.option("--lead", default=None, help="Only items led by this firm or lab (id or exact name).")
@click.option("--light", "only", type=click.Choice(["red", "yellow", "green"]), default=None,
              help="Only items with this light.")
@click.option("--format", "fmt", type=click.Choice(["table", "md", "json", "csv", "xlsx"]), default="table",
              show_default=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="Write to this file.")
@click.option("--leads", "leads", is_flag=True,
              help="The 招商 workspace's leads and signed projects instead (needs --from-neo4j; rules in "
                   "web/workspace/lights.yaml, or --lights).")
@neo4j_options
def monitor(data, from_neo4j, encoding, as_of, lights_file, chain, cluster, district, lead, only, fmt, lang, output,
            leads, uri, user, database):
    """红绿黄灯: red / yellow / green lights of key technologies, materials, processes and products.

    Each milestone is judged on start, schedule, funds and freshness; an item's light is the
    worst, with its reasons in words. Thresholds: analysis/lights.yaml (docs/monitor.md).

    \b
    Examples:
      chainkg monitor
      chainkg monitor --as-of 2026-06-30 --chain 集成电路
      chainkg monitor --data out/synth --light red --format md
      chainkg monitor --lead 扬州群发光芯科技有限公司 --format json
      chainkg monitor --format xlsx -o out/monitor.xlsx
      chainkg monitor --from-neo4j --leads           # lights of the workspace's 招商 leads
    """
    if leads:
        return _lead_lights(from_neo4j, as_of, lights_file, only, fmt, lang, output, uri, user, database)
    from ..api.scenarios import monitor as lights
    from ..errors import UsageError
    from ..reports.monitor import monitor_summary, monitor_text, write_monitor_xlsx
    from .common import open_graph

    if fmt == "xlsx" and not output:
        raise UsageError("--format xlsx writes a file: give it with -o.", hint="e.g. -o out/monitor.xlsx")
    G = open_graph({"data": data, "from_neo4j": from_neo4j, "encoding": encoding, "uri": uri, "user": user,
                    "database": database})
    rows = lights(G, as_of=as_of, thresholds=lights_file, lang=lang, chain=chain, cluster=cluster, district=district,
                  lead=lead, light=only)
    if fmt == "xlsx":
        click.echo(f"Wrote {write_monitor_xlsx(rows, output, lang)}", err=True)
    else:
        emit(monitor_text(rows, fmt, lang, as_of), output)
    click.echo(monitor_summary(rows, lang, as_of), err=True)


LEAD_HEADERS = {"light_label": ("灯", "light"), "firm": ("企业", "firm"), "stage": ("阶段", "stage"),
                "district": ("区县", "district"), "owner": ("负责人", "owner"), "next_step": ("下一步", "next step"),
                "due": ("截止日期", "due"), "reasons": ("原因", "reasons"), "lead_id": ("线索编号", "lead id")}


def _lead_lights(from_neo4j, as_of, lights_file, only, fmt, lang, output, uri, user, database):
    """``monitor --leads``: the workspace's leads and signed projects, red first, with reasons."""
    from ..api.workspace import open_store
    from ..errors import UsageError
    from ..reports.tables import render
    from ..web.workspace.service import lead_light_records, load_light_rules
    from ..workbook import write_tables
    from .common import open_graph

    if not from_neo4j:
        raise UsageError("--leads reads the workspace in Neo4j: add --from-neo4j.")
    if fmt == "xlsx" and not output:
        raise UsageError("--format xlsx writes a file: give it with -o.", hint="e.g. -o out/leads.xlsx")
    G = open_graph({"from_neo4j": True, "uri": uri, "user": user, "database": database})
    store = open_store({"uri": uri, "user": user, "database": database})
    with store.driver:
        leads = store.leads()
    rows = lead_light_records(G, leads, load_light_rules(lights_file), lang, as_of)
    if only:
        rows = [r for r in rows if r["light"] == only]
    zh = lang == "zh"
    for r in rows:
        r["light_label"] = {"red": "红灯", "yellow": "黄灯", "green": "绿灯"}[r["light"]] if zh else r["light"]
    cols = ["light_label", "firm", "stage", "district", "owner", "next_step", "due", "reasons", "lead_id"]
    shown = {k: v[0 if zh else 1] for k, v in LEAD_HEADERS.items()}
    if fmt == "json":
        emit(render(rows, None, "json"), output)
    elif fmt == "xlsx":
        write_tables(output, {("招商线索" if zh else "leads"): ([shown[c] for c in cols],
                                                               [[r.get(c) for c in cols] for r in rows])}, lang=lang)
        click.echo(f"Wrote {output}", err=True)
    else:
        emit(render(rows, cols, fmt, headers=shown, title=(f"招商线索红绿黄灯（截至 {as_of}）" if zh else
                                                           f"Lead lights as of {as_of}"), lang=lang), output)
    counts = {lv: sum(1 for r in rows if r["light"] == lv) for lv in ("red", "yellow", "green")}
    click.echo((f"红灯 {counts['red']}，黄灯 {counts['yellow']}，绿灯 {counts['green']}（截至 {as_of}）" if zh else
                f"red {counts['red']}, yellow {counts['yellow']}, green {counts['green']} (as of {as_of})"), err=True)



@click.command()
@source_options
@click.option("--add-firm", "add_firm", multiple=True, metavar="NAME",
              help="A firm lands (local) in the --segment given with it: a new name, or an existing firm's id or name.")
@click.option("--remove-firm", "remove_firm", multiple=True, metavar="FIRM", help="A firm leaves (id or exact name).")
@click.option("--move-firm", "move_firm", multiple=True, metavar="FIRM",
              help="A firm leaves its segments for the --segment given with it.")
@click.option("--segment", "segment", multiple=True, metavar="S",
              help="Segment of each --add-firm, then of each --move-firm, in order.")
@click.option("--district", "district", multiple=True, metavar="D",
              help="District of each --add-firm, in order (optional; one for all is allowed).")
@click.option("--add-link", "add_link", multiple=True, nargs=2, metavar="A B", help="New FEEDS link A → B.")
@click.option("--remove-link", "remove_link", multiple=True, nargs=2, metavar="A B", help="Remove FEEDS link A → B.")
@click.option("--changes", "changes_file", type=click.Path(exists=True, dir_okay=False), default=None,
              help="A YAML file of changes (docs/analysis.md, What-if).")
@click.option("--in-district", "in_district", default=None,
              help="Count as local only firms located in this district (or under it), as in `gaps --district`.")
@click.option("--weights", type=click.Path(exists=True, dir_okay=False), default=None, help="Points file.")
@click.option("--confirmed-only", is_flag=True,
              help="The same what-if over confirmed facts only (inferred placements, links … left out).")
@click.option("--format", "fmt", type=click.Choice(["table", "md", "json"]), default="table", show_default=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="Write to this file.")
@neo4j_options
def whatif(data, from_neo4j, encoding, add_firm, remove_firm, move_firm, segment, district, add_link, remove_link,
           changes_file, in_district, weights, confirmed_only, fmt, lang, output, uri, user, database):
    """What if a firm lands, leaves or moves, or a link appears or goes? The difference, before → after.

    Prints every segment whose status, priority, chokepoint role or local-firm count changes,
    and the changes in key firms and 链主 candidates. Nothing is written anywhere.

    \b
    Examples:
      chainkg whatif --add-firm 某数控系统企业 --segment MT-CNC
      chainkg whatif --add-firm A --segment MT-CNC --add-firm B --segment MT-SERVO --district D-JD
      chainkg whatif --remove-firm F-GUIYU --format json
      chainkg whatif --move-firm F-QUNFA --segment IC-EDA
      chainkg whatif --add-link MT-CNC MT-ROBOT --remove-link MT-CNC MT-CUT --lang en
      chainkg whatif --changes scenario.yaml --format md -o scenario.md
      chainkg whatif --remove-firm F-GUIYU --confirmed-only   # on confirmed facts only
    """
    from ..api import analyze
    from ..api.scenarios import whatif as run
    from ..errors import UsageError
    from ..reports.whatif import whatif_text
    from .common import open_graph

    placed = len(add_firm) + len(move_firm)
    if len(segment) != placed:
        raise UsageError(f"{len(segment)} --segment for {len(add_firm)} --add-firm and {len(move_firm)} --move-firm: "
                         "each needs exactly one.",
                         hint="Give --segment once per --add-firm, then once per --move-firm, in that order.")
    if district and len(district) not in (1, len(add_firm)):
        raise UsageError(f"{len(district)} --district for {len(add_firm)} --add-firm.",
                         hint="Give one --district for all, or one per --add-firm.")
    G = open_graph({"data": data, "from_neo4j": from_neo4j, "encoding": encoding, "uri": uri, "user": user,
                    "database": database})
    raw = [{"add_firm": f, "segment": segment[i], **({"district": district[min(i, len(district) - 1)]} if district else {})}
           for i, f in enumerate(add_firm)]
    raw += [{"remove_firm": f} for f in remove_firm]
    raw += [{"move_firm": f, "segment": segment[len(add_firm) + i]} for i, f in enumerate(move_firm)]
    raw += [{"add_link": list(p)} for p in add_link] + [{"remove_link": list(p)} for p in remove_link]
    rec = run(analyze(G, district=in_district, weights=weights, confirmed_only=confirmed_only), raw,
              changes_file=changes_file, lang=lang)
    emit(whatif_text(rec, fmt, lang), output)

COMMANDS = [monitor, whatif]
