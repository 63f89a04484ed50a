"""``chainkg load``: a validated dataset into Neo4j."""

from __future__ import annotations

import click

from ..reports.tables import render
from .common import connect, neo4j_options, print_problems
from .output import emit


@click.command()
@click.argument("dataset", required=False)
@click.option("--encoding", default=None, help="CSV encoding (default: UTF-8, else GB18030/GBK).")
@click.option("--replace", is_flag=True, help="First remove every chainkg node (in batches), then load.")
@click.option("--prune", is_flag=True, help="After loading, remove chainkg nodes and relationships not in the dataset.")
@click.option("--dry-run", is_flag=True, help="Validate and show what would be created or updated; write nothing.")
@click.option("--batch-size", type=click.IntRange(1), default=None,
              help="Rows per transaction (default 10000).")
@click.option("--strict", is_flag=True, help="Refuse to load when there are warnings too.")
@click.option("--bulk", is_flag=True,
              help="Into an EMPTY database of the local server (`chainkg server start`), with Neo4j's offline "
                   "importer (neo4j-admin database import full): the server is stopped and started again.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "md", "csv"]), default="table", show_default=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Language of the problems printed when the data has errors.")
@neo4j_options
def load(dataset, encoding, replace, prune, dry_run, batch_size, strict, bulk, fmt, lang, uri, user, database):
    """Validate a dataset, then write it into Neo4j (idempotent: loading twice changes nothing).

    A dataset with errors is never written. Rows removed from the files stay in the graph
    unless --prune or --replace. Analysis properties (ana_*) are never touched.

    \b
    Examples:
      chainkg load                           # the bundled yangzhou-613 into the local server
      chainkg load ./my-data --dry-run
      chainkg load 扬州.xlsx --prune
      NEO4J_URI=bolt://db:7687 NEO4J_PASSWORD=... chainkg load --batch-size 5000
      chainkg load ./province-data --bulk    # millions of rows into the empty local database
    """
    from ..api.database import dry_run as plan_only
    from ..api.database import load as load_dataset
    from ..api.files import validate as read_dataset
    from ..errors import DataError, UsageError

    if replace and prune:
        raise UsageError("--replace and --prune do not go together.", hint="--replace already removes everything else.")
    if bulk and (replace or prune or dry_run or batch_size):
        raise UsageError("--bulk goes with none of --replace, --prune, --dry-run, --batch-size.",
                         hint="--bulk fills an empty database in one offline import; use plain `chainkg load` "
                              "to merge into a database that has data.")
    report = read_dataset(dataset, encoding)
    try:
        if not report.ok(strict):
            report.require_ok(strict)  # raises, with every problem
    except DataError as exc:
        print_problems(exc.problems, lang=lang)
        raise
    if report.warnings:
        click.echo(f"{len(report.warnings)} warning(s); `chainkg validate` lists them.", err=True)
    if bulk:
        return _bulk(report, uri, user, database, fmt)
    ds = report  # the column-wise reader's report is sent from its frames: never a row object per row
    driver, settings = connect(uri, user, database, max_transaction_retry_time=15)
    size = batch_size
    with driver:
        if dry_run:
            result = plan_only(driver, settings.database, ds, batch_size=size)
        else:
            result = _load_with_progress(load_dataset, driver, settings.database, ds, size, replace, prune)
    rows = [s.as_dict() for s in result.steps]
    cols = ["kind", "name", "table", "total", "created", "updated", "unchanged", "batches_total"]
    title = f"{'Dry run: would write' if dry_run else 'Loaded'} {ds.name} into {settings.uri} ({settings.database})"
    emit(render(rows, cols, fmt, title=title, json_payload={
        "dataset": ds.name, "database": settings.database, "dry_run": dry_run, "steps": rows,
        "cleared_nodes": result.cleared_nodes, "pruned_nodes": result.pruned_nodes,
        "pruned_rels": result.pruned_rels}), None)
    if not dry_run:
        from ..api.workspace import load_workspace

        restored = load_workspace(dataset, settings)
        if restored is not None:
            click.echo(f"Workspace: {restored} lead(s) written back from workspace.json.", err=True)
    if replace:
        click.echo(f"Removed {result.cleared_nodes} chainkg node(s) first (--replace).", err=True)
    if prune:
        click.echo(f"Pruned {result.pruned_nodes} node(s) and {result.pruned_rels} relationship(s) "
                   "not in the dataset.", err=True)


def _bulk(report, uri, user, database, fmt):
    from ..api import connection_settings
    from ..api.database import bulk_load
    from .common import connection

    conn = connection({"uri": uri, "user": user, "database": database})
    settings = connection_settings(conn)
    result = bulk_load(report, settings, home=conn["home"], log=lambda m: click.echo(m, err=True))
    emit(render(result.rows(), ["kind", "name", "total"], fmt,
                title=f"Bulk-imported {report.name} into {settings.uri} ({settings.database})",
                json_payload={"dataset": report.name, "database": settings.database, "bulk": True, "version": result.version,
                              "steps": result.rows(), "seconds": result.seconds}), None)
    click.echo(f"{result.records:,} records in {result.seconds['total']:.1f} s "
               f"({result.records / max(result.seconds['total'], 1e-9):,.0f} records/s; "
               + ", ".join(f"{k} {v:.1f} s" for k, v in result.seconds.items() if k != "total") + ").", err=True)


def _load_with_progress(load_dataset, driver, database, ds, size, replace, prune):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description:<40}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  transient=False, console=_stderr_console()) as bar:
        tasks = {}

        def progress(step, n):
            if step.name not in tasks:
                tasks[step.name] = bar.add_task(f"{step.kind} {step.name}", total=step.total)
            bar.advance(tasks[step.name], n)
        return load_dataset(driver, database, ds, batch_size=size, replace=replace, prune=prune, progress=progress)


def _stderr_console():
    from rich.console import Console

    return Console(stderr=True)


COMMANDS = [load]
