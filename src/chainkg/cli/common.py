"""Options and helpers shared by commands."""

from __future__ import annotations

import functools

import click


def neo4j_options(fn):
    """--uri/--user/--database (the password only ever comes from NEO4J_PASSWORD or the local server)."""
    @click.option("--uri", default=None, help="Neo4j URI (default NEO4J_URI, else the local server).")
    @click.option("--user", default=None, help="Neo4j user (default NEO4J_USER, else neo4j).")
    @click.option("--database", default=None, help="Database (default NEO4J_DATABASE, else neo4j).")
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return fn(*args, **kwargs)
    return wrapper


def connect(uri, user, database, **driver_config):
    """(driver, settings) for the configured Neo4j, or ConnectionProblem (exit 2)."""
    from ..connection import open_driver, resolve_connection

    settings = resolve_connection(uri, user, database)
    return open_driver(settings, **driver_config), settings


def print_problems(problems, limit: int = 200) -> None:
    from ..graph_model.records import PROBLEM_COLUMNS
    from .output import render

    rows = [p.as_dict() for p in problems[:limit]]
    click.echo(render(rows, PROBLEM_COLUMNS, "table"), err=True, nl=False)
    if len(problems) > limit:
        click.echo(f"... and {len(problems) - limit} more (chainkg validate --format json for all).", err=True)
