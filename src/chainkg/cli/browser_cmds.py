"""``chainkg browser``: the Neo4j Browser's URL, or the chainkg style sheet for it."""

from __future__ import annotations

import click

from .common import home_option, neo4j_extra


@click.command()
@click.option("--style", is_flag=True, help="Print the chainkg GraSS style sheet (save it and drop it on :style).")
@click.option("--open", "open_", is_flag=True, help="Open the Browser in the default web browser.")
@click.option("--uri", default=None, help="Neo4j URI whose Browser to use (default NEO4J_URI, else the local server).")
@home_option
def browser(style, open_, uri):
    """The Neo4j Browser: its URL, or the chainkg style sheet.

    \b
    Examples:
      chainkg browser                          # prints http://127.0.0.1:7474/browser/
      chainkg browser --home ./n4j             # the server started with `chainkg server start --home ./n4j`
      CHAINKG_BROWSER_URL=http://db:7474/browser/ chainkg browser   # a Browser chainkg cannot know
      chainkg browser --style > chainkg.grass  # then run :style in the Browser and drop the file on it
    """
    if style:
        from ..api.database import browser_style

        click.echo(browser_style(), nl=False)
        return
    from ..api.database import browser_url

    url = browser_url(uri, neo4j_extra()["home"])
    click.echo(url)
    if open_:
        import webbrowser

        webbrowser.open(url)


COMMANDS = [browser]
