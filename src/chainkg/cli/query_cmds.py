"""``chainkg query list | run | link``: the Cypher library from the command line."""

from __future__ import annotations

import click

from ..reports.tables import TEXT_FORMATS, render
from .common import connect, home_option, neo4j_extra, neo4j_options
from .output import emit

param_opt = click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE",
                         help="A query parameter (repeat for several); typed as the query declares.")


def parse_params(pairs) -> dict[str, str]:
    from ..errors import UsageError

    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"-p {pair!r} is not KEY=VALUE.", hint="e.g. -p chain=晶硅光伏")
        out[key.strip()] = value
    return out


@click.group()
def query():
    """The Cypher library: named, parameterised, read-only queries.

    \b
    Examples:
      chainkg query list
      chainkg query run chain_segments -p chain=晶硅光伏
      chainkg query run search_names -p q=晶澳 --format json
      chainkg query link chain_gaps -p chain=PV
    """


@query.command("list")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "md", "csv"]), default="table", show_default=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
def list_queries(fmt, lang):
    """List the queries with their descriptions and parameters.

    \b
    Example:
      chainkg query list --format json
    """
    from ..api.database import query_library

    rows = [q.as_dict(lang) for q in query_library().values()]
    if fmt == "json":
        emit(render(rows, None, "json"), None)
        return
    flat = [{"name": r["name"], "description": r["description"],
             "params": ", ".join(f"{p['name']}: {p['type']}" + ("" if p["required"] else f" = {p['default']}")
                                 for p in r["params"])} for r in rows]
    emit(render(flat, ["name", "description", "params"], fmt, lang=lang), None)


@query.command("run")
@click.argument("name")
@param_opt
@click.option("--format", "fmt", type=click.Choice(TEXT_FORMATS), default="table", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None)
@neo4j_options
def run_query(name, params, fmt, output, uri, user, database):
    """Run a library query against Neo4j (in a read transaction).

    \b
    Examples:
      chainkg query run chain_gaps -p chain=晶硅光伏
      chainkg query run firm_network -p firm=扬州晶澳 -p hops=1 --format csv -o net.csv
      chainkg query run segment_status --format json
    """
    from ..api.database import query, run_query

    q, bound = query(name, parse_params(params))
    driver, settings = connect(uri, user, database)
    with driver:
        columns, rows = run_query(driver, settings.database, q, bound)
    emit(render(rows, columns, fmt, title=None), output)
    click.echo(f"{len(rows)} row(s).", err=True)


@query.command("link")
@click.argument("name")
@param_opt
@click.option("--uri", default=None, help="Neo4j URI whose Browser to use (default NEO4J_URI, else the local server).")
@click.option("--database", default=None)
@home_option
def link(name, params, uri, database):
    """Print a Neo4j Browser URL that opens with `:params {...};` and the query in the editor.

    The Browser runs both when multi-statement mode is on: the local server turns it on at
    connect (browser.post_connect_cmd); elsewhere run `:config enableMultiStatementMode: true` once.

    \b
    Examples:
      chainkg query link chain_gaps -p chain=晶硅光伏
      chainkg query link segment_status
    """
    import os

    from ..api.database import browser_link, query

    q, bound = query(name, parse_params(params))
    click.echo(browser_link(q, bound, uri=uri, home=neo4j_extra()["home"],
                            database=database or os.environ.get("NEO4J_DATABASE")))


COMMANDS = [query]
