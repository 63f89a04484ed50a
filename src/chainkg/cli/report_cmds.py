"""``chainkg report``: the whole analysis as a terminal summary, Markdown, JSON, HTML (chain maps) or XLSX."""

from __future__ import annotations

from pathlib import Path

import click

from .common import neo4j_options
from .output import emit


@click.command()
@click.option("--data", default=None, help="Dataset: folder, .xlsx or bundled name (default yangzhou-613).")
@click.option("--from-neo4j", is_flag=True, help="Read the graph from Neo4j instead of --data.")
@click.option("--encoding", default=None, help="CSV encoding of --data.")
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
@neo4j_options
def report(data, from_neo4j, encoding, district, weights, fmt, output, out_dir, lang, top, uri, user, database):
    """The full report: summary, per-chain maps (红/黄/绿), gaps, prospects, chokepoints, key firms, tiers.

    \b
    Examples:
      chainkg report                                   # summary + out/report.html + out/report.xlsx
      chainkg report --format html -o out/report.html
      chainkg report --format xlsx -o out/report.xlsx --lang en
      chainkg report --data ./my-data --format md -o report.md
    """
    from ..analysis.resolve import resolve
    from ..analysis.run import analyze
    from ..analysis.weights import load_weights
    from ..errors import UsageError
    from ..loaders import DEFAULT_DATASET, resolve_dataset
    from ..reports.data import build_report
    from .analysis_cmds import load_graph

    if fmt in ("html", "xlsx") and not output:
        raise UsageError(f"--format {fmt} writes a file: give it with -o.", hint=f"e.g. -o out/report.{fmt}")
    G = load_graph(data, from_neo4j, encoding, uri, user, database)
    dist = resolve(G, "District", district) if district else None
    a = analyze(G, load_weights(weights), dist)
    name = "neo4j" if from_neo4j else resolve_dataset(data).stem if data else DEFAULT_DATASET
    rep = build_report(a, dataset=name, lang=lang, top=top, with_maps=fmt in (None, "html"))
    if fmt is None:
        from ..reports.html import render_html
        from ..reports.text import terminal_summary
        from ..reports.xlsx import write_xlsx

        click.echo(terminal_summary(rep), nl=False)
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        (out / "report.html").write_text(render_html(rep), encoding="utf-8")
        write_xlsx(rep, out / "report.xlsx")
        click.echo(f"Wrote {out / 'report.html'} and {out / 'report.xlsx'}", err=True)
    elif fmt == "table":
        from ..reports.text import terminal_summary

        emit(terminal_summary(rep), output)
    elif fmt == "md":
        from ..reports.text import markdown

        emit(markdown(rep), output)
    elif fmt == "json":
        import json

        emit(json.dumps(rep, ensure_ascii=False, indent=2, default=str) + "\n", output)
    elif fmt == "html":
        from ..reports.html import render_html

        emit(render_html(rep), output)
    else:
        from ..reports.xlsx import write_xlsx

        click.echo(f"Wrote {write_xlsx(rep, Path(output))}", err=True)


COMMANDS = [report]
