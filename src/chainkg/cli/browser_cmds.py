"""``chainkg analyze --write``, ``chainkg query link``, ``chainkg browser``: the analysis in the Neo4j Browser."""

from __future__ import annotations

import click

from .common import connect, neo4j_options
from .query_cmds import param_opt, parse_params, query


@click.command()
@click.option("--write", is_flag=True, help="Store the analysis on the graph (otherwise only show what would be written).")
@click.option("--data", default=None, help="Analyse this dataset instead of the graph itself (--from-neo4j).")
@click.option("--from-neo4j", is_flag=True, help="Analyse the graph in Neo4j (the default when --data is not given).")
@click.option("--encoding", default=None)
@click.option("--weights", type=click.Path(exists=True, dir_okay=False), default=None)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Language of ana_status_label and ana_display.")
@neo4j_options
def analyze(write, data, from_neo4j, encoding, weights, lang, uri, user, database):
    """Store the analysis on the graph: ana_* properties and one status label per segment.

    Segments get GapFill, GapExtend, GapIsolated, GapUnlinked, SinglePoint, Thin or Present
    (styled by `chainkg browser --style`) and ana_status, ana_priority and its parts, flow
    betweenness, chokepoint flag; firms get key-firm flag, PageRank, betweenness, 链主 rank.
    Rerunning replaces the previous run; `chainkg load` never touches ana_* properties.

    \b
    Examples:
      chainkg analyze --write
      chainkg analyze --write --data yangzhou-613
    """
    from collections import Counter

    from ..api import analyze as run_analysis
    from ..graph_model.schema import STATUS_LABELS
    from ..neo4j_io.analysis_writer import write_analysis
    from .common import open_graph

    from_data = bool(data) and not from_neo4j
    G = open_graph({"data": data, "encoding": encoding, "from_neo4j": not from_data, "uri": uri, "user": user,
                    "database": database})
    a = run_analysis(G, weights=weights)
    if not write:
        counts = Counter(STATUS_LABELS[st.status] for st in a.statuses.values())
        click.echo("Would write (use --write): " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
        return
    driver, settings = connect(uri, user, database)
    with driver:
        rep = write_analysis(driver, settings.database, a, lang=lang)
    click.echo(f"Wrote the analysis of {sum(rep.segments.values())} segments and {rep.firms} firms to "
               f"{settings.uri} at {rep.run_at}: " + ", ".join(f"{k} {v}" for k, v in sorted(rep.segments.items())))
    if rep.cleared_segments or rep.cleared_firms:
        click.echo(f"Cleared an earlier run's analysis from {rep.cleared_segments} segments and "
                   f"{rep.cleared_firms} firms not in this one.")
    if rep.not_in_graph:
        click.echo(f"{len(rep.not_in_graph)} analysed node(s) are not in the graph (load the dataset first): "
                   + ", ".join(rep.not_in_graph[:10]), err=True)


@query.command("link")
@click.argument("name")
@param_opt
@click.option("--uri", default=None, help="Neo4j URI whose Browser to use (default NEO4J_URI, else the local server).")
@click.option("--database", default=None)
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

    from ..connection import browser_base_url
    from ..cypher import library as lib
    from ..cypher.browser_link import browser_link

    q = lib.get(name)
    bound = lib.bind(q, parse_params(params))
    click.echo(browser_link(browser_base_url(uri), q, bound, database or os.environ.get("NEO4J_DATABASE")))


@click.command()
@click.option("--style", is_flag=True, help="Print the chainkg GraSS style sheet (save it and drop it on :style).")
@click.option("--open", "open_", is_flag=True, help="Open the Browser in the default web browser.")
@click.option("--uri", default=None, help="Neo4j URI whose Browser to use (default NEO4J_URI, else the local server).")
def browser(style, open_, uri):
    """The Neo4j Browser: its URL, or the chainkg style sheet.

    \b
    Examples:
      chainkg browser                          # prints http://127.0.0.1:7474/browser/
      chainkg browser --style > chainkg.grass  # then run :style in the Browser and drop the file on it
    """
    if style:
        from ..browser import style_text

        click.echo(style_text(), nl=False)
        return
    from ..connection import browser_base_url

    url = browser_base_url(uri)
    click.echo(url)
    if open_:
        import webbrowser

        webbrowser.open(url)


COMMANDS = [analyze, browser]
