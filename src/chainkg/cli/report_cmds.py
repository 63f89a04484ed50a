"""``chainkg report``: the whole analysis as a terminal summary, Markdown, JSON, HTML (chain maps) or XLSX."""

from __future__ import annotations

from pathlib import Path

import click

from .common import neo4j_options, source_options
from .monitor_cmds import as_of_option
from .output import emit


@click.command()
@source_options
@click.option("--chain", default=None, help="The report of this chain only: id, or exact Chinese or English name.")
@click.option("--district", default=None, help="Count as local only firms located in this district (or under it).")
@click.option("--weights", type=click.Path(exists=True, dir_okay=False), default=None, help="Points file.")
@click.option("--format", "fmt", type=click.Choice(["table", "md", "json", "html", "xlsx"]), default=None,
              help="One format; without it: terminal summary plus out/report.html and out/report.xlsx.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="File to write (required for html and xlsx).")
@click.option("--out-dir", type=click.Path(file_okay=False), default="out", show_default=True,
              help="Folder for report.html and report.xlsx when no --format is given.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option("--top", type=click.IntRange(1), default=15, show_default=True, help="Top gaps in the summary.")
@click.option("--confirmed-only", is_flag=True,
              help="The same report over confirmed facts only (its 'what changes' section compares with all facts).")
@as_of_option("Date the 红绿黄灯 of tech items are judged at (default today; docs/monitor.md).")
@neo4j_options
def report(chain, district, weights, fmt, output, out_dir, lang, top, confirmed_only, as_of, **source):
    """The full report: summary, per-chain maps (红/黄/绿), gaps, prospects, chokepoints, key firms, tiers.

    \b
    Examples:
      chainkg report                                   # summary + out/report.html + out/report.xlsx
      chainkg report --format html -o out/report.html
      chainkg report --format xlsx -o out/report.xlsx --lang en
      chainkg report --data ./my-data --format md -o report.md
      chainkg report --confirmed-only --format html -o out/confirmed.html
      chainkg report --chain 晶硅光伏 --format html -o out/pv.html     # one chain
      chainkg report --as-of 2026-06-30 --data out/synth   # 红绿黄灯 replayed at a date
      chainkg report --from-neo4j --format md -o r.md  # with the 招商 pipeline's effect per chain
    """
    from ..api import analyze, build_report
    from ..errors import UsageError
    from .common import open_graph

    if fmt in ("html", "xlsx") and not output:
        raise UsageError(f"--format {fmt} writes a file: give it with -o.", hint=f"e.g. -o out/report.{fmt}")
    G = open_graph(source)
    a = analyze(G, district=district, weights=weights, confirmed_only=confirmed_only)
    rep = build_report(a, lang=lang, top=top, with_maps=fmt in (None, "html"), as_of=as_of, chain=chain)
    pipeline = _pipeline(a, lang, source) if source.get("from_neo4j") else []
    if pipeline:
        rep["pipeline"] = pipeline
    if fmt is None:
        from ..reports.html import render_html
        from ..reports.text import terminal_summary
        from ..reports.xlsx import write_xlsx

        click.echo(terminal_summary(rep, top) + _pipeline_text(pipeline, lang), nl=False)
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        (out / "report.html").write_text(render_html(rep), encoding="utf-8")
        write_xlsx(rep, out / "report.xlsx")
        click.echo(f"Wrote {out / 'report.html'} and {out / 'report.xlsx'}", err=True)
    elif fmt == "table":
        from ..reports.text import terminal_summary

        emit(terminal_summary(rep, top) + _pipeline_text(pipeline, lang), output)
    elif fmt == "md":
        from ..reports.text import markdown

        emit(markdown(rep) + _pipeline_text(pipeline, lang, md=True), output)
    elif fmt == "json":
        import json

        emit(json.dumps(rep, ensure_ascii=False, indent=2, default=str) + "\n", output)
    elif fmt == "html":
        from ..reports.html import render_html

        emit(render_html(rep), output)
    else:
        from ..reports.xlsx import write_xlsx

        click.echo(f"Wrote {write_xlsx(rep, Path(output))}", err=True)


def _pipeline(a, lang, source) -> list[dict]:
    """The 招商 pipeline's effect per chain, when the workspace in Neo4j has leads at 签约 or later."""
    from ..api.workspace import open_store
    from ..web.workspace.service import pipeline_records

    store = open_store({k: source.get(k) for k in ("uri", "user", "database")})
    with store.driver:
        leads = store.leads()
    return pipeline_records(a, leads, lang)


def _pipeline_text(rows: list[dict], lang: str, md: bool = False) -> str:
    if not rows:
        return ""
    zh = lang == "zh"
    head = "在谈项目的效果（签约及以后阶段的线索全部落地）" if zh else "The pipeline's effect (if every lead at 签约 or later lands)"
    lines = ["", ("## " if md else "") + head, ""]
    for r in rows:
        n = r["landing_leads"]
        lines.append(("- " if md else "  ") + f"{r['chain']}（{n} 项）：{r['text']}" if zh else
                     ("- " if md else "  ") + f"{r['chain']} ({n}): {r['text']}")
    return "\n".join(lines) + "\n"


COMMANDS = [report]
