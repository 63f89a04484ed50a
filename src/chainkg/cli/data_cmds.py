"""Data commands: validate, template, export, synth."""

from __future__ import annotations

from pathlib import Path

import click

from ..reports.tables import render
from .common import connection, neo4j_options
from .output import emit

dataset_arg = click.argument("dataset", required=False)
encoding_opt = click.option("--encoding", default=None,
                            help="CSV encoding (default: UTF-8 with or without BOM, else GB18030/GBK).")



@click.command()
@dataset_arg
@encoding_opt
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "md"]), default="table",
              show_default=True)
@click.option("--strict", is_flag=True, help="Warnings count as errors (exit 1).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the problems to this file.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Language of the messages and hints.")
def validate(dataset, encoding, fmt, strict, output, lang):
    """Check a dataset and report every problem; exit 1 on errors.

    DATASET is a folder of CSV/YAML/JSON files, an .xlsx workbook, or a bundled dataset
    name (default yangzhou-613).

    \b
    Examples:
      chainkg validate
      chainkg validate ./my-data --format json
      chainkg validate 扬州.xlsx --strict
      chainkg validate ./gbk-files --encoding gbk
      chainkg validate ./my-data --lang en         # messages in English
    """
    from ..api.files import PROBLEM_COLUMNS, problem_headers, problem_row, validation_summary
    from ..api.files import validate as read

    report = read(dataset, encoding)
    rows = [problem_row(p, lang) for p in report.problems]
    if fmt == "json":  # machine-readable: the keys stay, the words are in --lang
        emit(render(rows, PROBLEM_COLUMNS, "json"), output)
    elif rows:
        emit(render(rows, PROBLEM_COLUMNS, fmt, headers=problem_headers(lang), lang=lang), output)
    click.echo(validation_summary(report, lang), err=True)
    if not report.ok(strict):
        raise SystemExit(1)


@click.command()
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="The .xlsx to write.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, help="Header language.")
def template(output, lang):
    """Write an empty Excel workbook to fill in: every table, Chinese headers, notes, drop-downs.

    \b
    Example:
      chainkg template -o 产业链数据模板.xlsx
    """
    from ..api.files import write_template

    click.echo(f"Wrote {write_template(output, lang=lang)}")


@click.command()
@dataset_arg
@encoding_opt
@click.option("-o", "--output", required=True, type=click.Path(), help="A folder (CSV files) or a .xlsx file.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None,
              help="Header language (default: en for CSV, zh for xlsx).")
@click.option("--from-neo4j", is_flag=True, help="Read the graph from Neo4j instead of a dataset.")
@neo4j_options
def export(dataset, encoding, output, lang, from_neo4j, **conn):
    """Write the graph back in the input format (export -> validate -> load gives the same graph).

    With --from-neo4j into a folder, the 招商 workspace's leads, stage history and visits go to
    workspace.json beside the tables (staff corrections are facts of the graph, in the tables);
    `chainkg load` of that folder writes them back. Accounts and the audit log are not exported.

    \b
    Examples:
      chainkg export yangzhou-613 -o out/yangzhou.xlsx
      chainkg export --from-neo4j -o out/from-graph/
    """
    from ..api import open_dataset
    from ..api.files import export as write

    ds = open_dataset(dataset, from_neo4j=from_neo4j, connection=connection(conn), encoding=encoding)
    files = write(ds, output, lang=lang)
    if from_neo4j:
        from ..api.workspace import export_workspace

        files = list(files) + export_workspace(connection(conn), Path(output))
    click.echo(f"Wrote {len(files)} file(s) to {Path(output)}")


@click.command()
@click.option("--firms", type=int, default=1000, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--chains", type=int, default=None, help="Number of chains (default: by size, 3 to 13).")
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False), help="Folder for the CSV files.")
def synth(firms, seed, chains, output):
    """Write a reproducible synthetic dataset of any size (same seed, same files).

    \b
    Examples:
      chainkg synth --firms 1000 --seed 1 -o /tmp/synth-1k
      chainkg synth --firms 100000 -o /tmp/synth-100k && chainkg validate /tmp/synth-100k
    """
    from ..api.files import synth as write

    counts = write(output, firms=firms, seed=seed, chains=chains)
    click.echo(f"Wrote {output}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


COMMANDS = [validate, template, export, synth]
