"""``chainkg monitor`` (红绿黄灯 of key-technology work) and ``chainkg whatif`` (hypothetical changes)."""

from __future__ import annotations

import datetime as dt

import click

from ..reports.tables import render
from .common import neo4j_options, source_options
from .output import emit


def _as_of(ctx, param, value):
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date YYYY-MM-DD.")


def as_of_option(help_text: str = "Judge the 红绿黄灯 as of this date (default today): replays a past month."):
    return click.option("--as-of", "as_of", default=None, callback=_as_of, metavar="YYYY-MM-DD", help=help_text)


def _level_word(level, lang):
    from ..analysis.lights import LEVEL_EN, LEVEL_ZH

    return (LEVEL_ZH if lang == "zh" else LEVEL_EN)[level] if level else ""


def write_rows_xlsx(path, sheets: dict[str, tuple[list[str], list[str], list[dict]]], lang: str = "zh") -> None:
    """One sheet per entry ``{title: (columns, shown headers, rows)}``; cells through :func:`chainkg.cells.cell`."""
    from pathlib import Path

    from openpyxl import Workbook
    from openpyxl.styles import Font

    from ..cells import cell

    wb = Workbook()
    wb.remove(wb.active)
    for title, (cols, shown, rows) in sheets.items():
        ws = wb.create_sheet(title[:31])
        ws.append([cell(h, lang, to="xlsx") for h in shown])
        for c in ws[1]:
            c.font = Font(bold=True)
        for r in rows:
            ws.append([cell(r.get(c), lang, to="xlsx") for c in cols])
        ws.freeze_panes = "A2"
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


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
@neo4j_options
def monitor(data, from_neo4j, encoding, as_of, lights_file, chain, cluster, district, lead, only, fmt, lang, output,
            uri, user, database):
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
    """
    from ..analysis.lights import load_thresholds, monitor_records
    from ..analysis.resolve import resolve
    from ..errors import UsageError
    from ..findings.labels import headers
    from .common import open_graph

    if fmt == "xlsx" and not output:
        raise UsageError("--format xlsx writes a file: give it with -o.", hint="e.g. -o out/monitor.xlsx")
    G = open_graph({"data": data, "from_neo4j": from_neo4j, "encoding": encoding, "uri": uri, "user": user,
                    "database": database})
    th = load_thresholds(lights_file)
    lead_id = None
    if lead:
        try:
            lead_id = resolve(G, "Firm", lead, "--lead")
        except UsageError:
            lead_id = resolve(G, "Lab", lead, "--lead")
    rows = monitor_records(
        G, as_of, th, lang, chain=resolve(G, "Chain", chain) if chain else None,
        cluster=resolve(G, "Cluster", cluster) if cluster else None,
        district=resolve(G, "District", district) if district else None, lead=lead_id)
    if only:
        rows = [r for r in rows if r["light"] == only]
    zh = lang == "zh"
    title = (f"关键技术红绿黄灯（截至 {as_of}）" if zh else f"Key-technology lights as of {as_of}")
    cols = ["light_label", "item", "kind_label", "chain", "serves", "lead", "light_start", "light_schedule",
            "light_funds", "light_freshness", "milestones_done", "milestones", "reasons"]
    if fmt != "table":
        cols += ["item_id", "light", "kind", "chain_id", "serves_id", "lead_id", "as_of", "source_id", "source_url",
                 "confidence"]
    shown = headers(lang, "monitor")
    flat = [{**r, **{f"light_{d}": _level_word(r[f"light_{d}"], lang)
                     for d in ("start", "schedule", "funds", "freshness")}} for r in rows]
    if fmt == "json":
        emit(render(rows, None, "json"), output)
    elif fmt == "xlsx":
        from ..analysis.lights import DIMENSION_ZH
        from ..graph_model.vocabulary import SHEETS, pick

        detail_cols = ["item_id", "item", "milestone_id", "dimension", "level", "reason", "measure"]
        detail_shown = headers(lang, "monitor_detail")
        detail = [{"item_id": r["item_id"], "item": r["item"], **lt,
                   "dimension": DIMENSION_ZH[lt["dimension"]] if zh else lt["dimension"],
                   "level": _level_word(lt["level"], lang)} for r in rows for lt in r["lights"]]
        write_rows_xlsx(output, {pick(SHEETS["monitor"], lang): (cols, [shown.get(c, c) for c in cols], flat),
                                 pick(SHEETS["by_dimension"], lang): (detail_cols, [detail_shown[c] for c in detail_cols],
                                                                       detail)}, lang)
        click.echo(f"Wrote {output}", err=True)
    else:
        emit(render(flat, cols, fmt, headers=shown, title=title, lang=lang), output)
    counts = {lv: sum(1 for r in rows if r["light"] == lv) for lv in ("red", "yellow", "green", None)}
    click.echo((f"红灯 {counts['red']}，黄灯 {counts['yellow']}，绿灯 {counts['green']}，未判定 {counts[None]}（截至 {as_of}）"
                if zh else f"red {counts['red']}, yellow {counts['yellow']}, green {counts['green']}, "
                f"not judged {counts[None]} (as of {as_of})"), err=True)


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
@click.option("--format", "fmt", type=click.Choice(["table", "md", "json"]), default="table", show_default=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="Write to this file.")
@neo4j_options
def whatif(data, from_neo4j, encoding, add_firm, remove_firm, move_firm, segment, district, add_link, remove_link,
           changes_file, in_district, weights, fmt, lang, output, uri, user, database):
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
    """
    from ..analysis.whatif import WhatIf, read_changes, resolve_changes
    from ..api import analyze
    from ..errors import UsageError
    from ..findings.labels import headers
    from ..findings.whatif import outcome_records
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
    changes = read_changes(G, changes_file) if changes_file else []
    if raw or not changes:
        changes += resolve_changes(G, raw)
    w = WhatIf(analyze(G, district=in_district, weights=weights))
    rec = outcome_records(w, w.run(changes), lang)
    zh = lang == "zh"
    if fmt == "json":
        emit(render([], None, "json", json_payload=rec), output)
        return
    shown = headers(lang, "whatif")
    eff = rec["effect"]
    names = lambda xs: "、".join(x["segment"] for x in xs) or "—"  # noqa: E731
    summary = (f"补上缺口 {names(eff['gaps_closed'])}；新增缺口 {names(eff['gaps_opened'])}；"
               f"单点加强 {names(eff['singles_strengthened'])}；卡点缓解 {names(eff['chokepoints_relieved'])}"
               if zh else f"gaps closed: {names(eff['gaps_closed'])}; gaps opened: {names(eff['gaps_opened'])}; "
               f"single points strengthened: {names(eff['singles_strengthened'])}; chokepoints relieved: "
               f"{names(eff['chokepoints_relieved'])}")
    head = ("假设：" if zh else "If: ") + ("；".join(rec["changes"]) if zh else "; ".join(rec["changes"]))
    parts = [head + "\n" + summary + "\n\n" if fmt == "table" else f"**{head}**\n\n{summary}\n\n"]
    segs = [{**r, "changed": ", ".join(r["changed"])} for r in rec["segments"]]
    parts.append(render(segs, ["chain", "segment", "changed", "status", "priority", "chokepoint", "local_firms"]
                        + (["segment_id"] if fmt == "md" else []), fmt, headers=shown, lang=lang,
                        title="环节变化" if zh else "Segments that change"))
    if rec["key_firms"]:
        parts.append(render(rec["key_firms"], ["firm", "change_label", "only_local_firm_of"], fmt, headers=shown,
                            lang=lang, title="关键企业变化" if zh else "Key firms that change"))
    if rec["leaders"]:
        parts.append(render(rec["leaders"], ["chain", "firm", "rank"], fmt, headers=shown, lang=lang,
                            title="链主候选变化" if zh else "链主 candidates whose rank changes"))
    emit("\n".join(parts), output)


COMMANDS = [monitor, whatif]
