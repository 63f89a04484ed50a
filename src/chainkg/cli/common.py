"""Options and helpers shared by commands."""

from __future__ import annotations

from pathlib import Path

import click


def option_stack(*options):
    """One decorator applying ``options`` in order (the first is the first in --help)."""
    def decorate(fn):
        for opt in reversed(options):
            fn = opt(fn)
        return fn
    return decorate


def _remember(ctx, param, value):
    """--home and --verbose of a Neo4j command, kept on the context for :func:`connection`/:func:`connect`."""
    ctx.meta.setdefault("chainkg.neo4j", {})[param.name] = value
    return value


#: the local server a command connects to: --home H, as `chainkg server start --home H` started it
home_option = click.option(
    "--home", type=click.Path(file_okay=False, path_type=Path), default=None, expose_value=False, callback=_remember,
    help="Home of the local server started with `chainkg server start --home H` "
         "(default CHAINKG_SERVER_HOME, else $CHAINKG_HOME/servers/default).")

#: --uri/--user/--database (the password only ever comes from NEO4J_PASSWORD or the local server),
#: --home (which local server), --verbose (the driver's notifications)
neo4j_options = option_stack(
    click.option("--uri", default=None, help="Neo4j URI (default NEO4J_URI, else the local server)."),
    click.option("--user", default=None, help="Neo4j user (default NEO4J_USER, else neo4j)."),
    click.option("--database", default=None, help="Database (default NEO4J_DATABASE, else neo4j)."),
    home_option,
    click.option("--verbose", is_flag=True, expose_value=False, callback=_remember,
                 help="Show the Neo4j server's notifications (query-plan warnings, unknown labels ...); "
                      "silenced by default."),
)


def neo4j_extra() -> dict:
    """``{home, notifications}`` of the running command (its --home and --verbose)."""
    ctx = click.get_current_context(silent=True)
    meta = ctx.meta.get("chainkg.neo4j", {}) if ctx else {}
    return {"home": meta.get("home"), "notifications": bool(meta.get("verbose"))}


#: where a command's graph comes from: --data, or --from-neo4j with the connection options
source_options = option_stack(
    click.option("--data", "data", default=None,
                 help="Dataset: folder, .xlsx or bundled name (default yangzhou-613)."),
    click.option("--from-neo4j", is_flag=True, help="Read the graph from Neo4j instead of --data."),
    click.option("--encoding", default=None, help="CSV encoding of --data."),
)


def connection(kw: dict) -> dict:
    """The --uri/--user/--database/--home/--verbose of a command, for :func:`chainkg.api.open_graph`."""
    return {**{k: kw.get(k) for k in ("uri", "user", "database")}, **neo4j_extra()}


def open_graph(kw: dict, dataset=None, lean: bool = False):
    """The command's graph through the front door (``dataset``: a positional argument, else --data;
    ``lean``: firms kept in columns, for segment-level findings)."""
    from ..api import open_graph as front_door

    return front_door(dataset if dataset is not None else kw.get("data"), from_neo4j=kw.get("from_neo4j", False),
                      connection=connection(kw), encoding=kw.get("encoding"), lean=lean)


def connect(uri, user, database, **driver_config):
    """(driver, settings) for the configured Neo4j, or ConnectionProblem (exit 2)."""
    from ..api.database import connect as front_door

    return front_door(connection({"uri": uri, "user": user, "database": database}), **driver_config)


def print_problems(problems, limit: int = 200, lang: str = "zh") -> None:
    from ..api.files import PROBLEM_COLUMNS, problem_headers, problem_row
    from ..reports.tables import render

    rows = [problem_row(p, lang) for p in problems[:limit]]
    click.echo(render(rows, PROBLEM_COLUMNS, "table", headers=problem_headers(lang), lang=lang), err=True, nl=False)
    if len(problems) > limit:
        click.echo(f"……另有 {len(problems) - limit} 个（chainkg validate --format json 列出全部）。" if lang == "zh" else
                   f"... and {len(problems) - limit} more (chainkg validate --format json for all).", err=True)
