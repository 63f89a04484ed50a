"""Options and helpers shared by commands."""

from __future__ import annotations

import click


def option_stack(*options):
    """One decorator applying ``options`` in order (the first is the first in --help)."""
    def decorate(fn):
        for opt in reversed(options):
            fn = opt(fn)
        return fn
    return decorate


#: --uri/--user/--database (the password only ever comes from NEO4J_PASSWORD or the local server)
neo4j_options = option_stack(
    click.option("--uri", default=None, help="Neo4j URI (default NEO4J_URI, else the local server)."),
    click.option("--user", default=None, help="Neo4j user (default NEO4J_USER, else neo4j)."),
    click.option("--database", default=None, help="Database (default NEO4J_DATABASE, else neo4j)."),
)


#: where a command's graph comes from: --data, or --from-neo4j with the connection options
source_options = option_stack(
    click.option("--data", "data", default=None,
                 help="Dataset: folder, .xlsx or bundled name (default yangzhou-613)."),
    click.option("--from-neo4j", is_flag=True, help="Read the graph from Neo4j instead of --data."),
    click.option("--encoding", default=None, help="CSV encoding of --data."),
)


def connection(kw: dict) -> dict:
    """The --uri/--user/--database of a command, for :func:`chainkg.api.open_graph`."""
    return {k: kw.get(k) for k in ("uri", "user", "database")}


def open_graph(kw: dict, dataset=None, lean: bool = False):
    """The command's graph through the front door (``dataset``: a positional argument, else --data;
    ``lean``: firms kept in columns, for segment-level findings)."""
    from ..api import open_graph as front_door

    return front_door(dataset if dataset is not None else kw.get("data"), from_neo4j=kw.get("from_neo4j", False),
                      connection=connection(kw), encoding=kw.get("encoding"), lean=lean)


def connect(uri, user, database, **driver_config):
    """(driver, settings) for the configured Neo4j, or ConnectionProblem (exit 2)."""
    from ..api.database import connect as front_door

    return front_door({"uri": uri, "user": user, "database": database}, **driver_config)


def print_problems(problems, limit: int = 200) -> None:
    from ..api.files import PROBLEM_COLUMNS
    from ..reports.tables import render

    rows = [p.as_dict() for p in problems[:limit]]
    click.echo(render(rows, PROBLEM_COLUMNS, "table"), err=True, nl=False)
    if len(problems) > limit:
        click.echo(f"... and {len(problems) - limit} more (chainkg validate --format json for all).", err=True)
