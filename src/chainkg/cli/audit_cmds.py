"""``chainkg audit``: the workspace's audit log (every write: who, when, what, before, after, why)."""

from __future__ import annotations

import click

from .common import home_option, neo4j_extra


@click.command()
@click.option("--since", default=None, help="Only entries at or after this date or time (YYYY-MM-DD[THH:MM]).")
@click.option("--user", "who", default=None, help="Only this user's entries.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@click.option("--limit", type=int, default=None, help="At most this many entries (newest first).")
@click.option("--uri", default=None, help="Neo4j URI (default NEO4J_URI, else the local server).")
@click.option("--neo4j-user", "neo4j_user", default=None, help="Neo4j user (default NEO4J_USER, else neo4j).")
@click.option("--database", default=None, help="Database (default NEO4J_DATABASE, else neo4j).")
@home_option
def audit(since, who, fmt, limit, uri, neo4j_user, database):
    """List the audit log of the 招商 workspace, newest first. Entries are never edited or deleted.

    --user is the workspace user whose entries to list (the Neo4j user is --neo4j-user or NEO4J_USER).

    \b
    Examples:
      chainkg audit
      chainkg audit --since 2026-12-01 --user wang
      chainkg audit --format csv > audit.csv
      chainkg audit --format json --limit 20
    """
    import json
    from datetime import UTC, datetime

    from ..api.workspace import open_store
    from ..errors import UsageError
    from ..reports.tables import render

    when = None
    if since:
        try:
            when = datetime.fromisoformat(since)
        except ValueError:
            raise UsageError(f"--since {since!r} is not a date.", hint="Write YYYY-MM-DD or YYYY-MM-DDTHH:MM.") from None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
    store = open_store({"uri": uri, "user": neo4j_user, "database": database, **neo4j_extra()})
    with store.driver:
        rows = store.audit(when, who, limit)
    cols = ("at", "user", "action", "entity", "entity_id", "before", "after", "reason")
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    text = lambda v: "" if v is None else json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else str(v)
    if fmt == "csv":  # the CLI's one CSV writer: a BOM (Excel), every cell through chainkg.cells
        click.echo(render([{c: text(r.get(c)) for c in cols} for r in rows], list(cols), "csv", lang="en"), nl=False)
        return
    if not rows:
        click.echo("No audit entries.")
    for r in rows:
        click.echo(f"{r['at'][:19]}  {r['user']:<14} {r['action']:<16} {r.get('entity_id') or '':<14} "
                   f"{text(r.get('reason'))}\n    before: {text(r.get('before'))}\n    after:  {text(r.get('after'))}")


COMMANDS = [audit]
