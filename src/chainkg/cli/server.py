"""``chainkg server start | stop | status | logs``: the project's own local Neo4j."""

from __future__ import annotations

from pathlib import Path

import click

from ..reports.tables import render
from .output import emit

_home = click.option("--home", type=click.Path(file_okay=False, path_type=Path), default=None,
                     help="Server home (conf, data, logs, run). Default: CHAINKG_SERVER_HOME, else "
                          "$CHAINKG_HOME/servers/default.")


def _server(home: Path | None):
    from ..api.database import local_server

    return local_server(home)


@click.group()
def server():
    """The project's own local Neo4j Community server (127.0.0.1 only).

    \b
    Examples:
      chainkg server start
      chainkg server start --home /tmp/n4j --bolt-port 17687 --http-port 17474
      chainkg server status --format json
      chainkg server logs -n 100
      chainkg server stop
    """


@server.command()
@_home
@click.option("--bolt-port", type=int, default=7687, show_default=True)
@click.option("--http-port", type=int, default=7474, show_default=True)
@click.option("--heap", default="1g", show_default=True, help="Maximum Java heap (initial is half, at least 256m).")
@click.option("--pagecache", default="512m", show_default=True, help="Page cache size.")
@click.option("--timeout", type=float, default=180, show_default=True, help="Seconds to wait for RETURN 1.")
def start(home, bolt_port, http_port, heap, pagecache, timeout):
    """Assemble Neo4j from Maven Central (once), then start it in the background.

    The password is NEO4J_PASSWORD, or generated and stored (mode 0600) in the home. Returns
    when an authenticated RETURN 1 succeeds.

    \b
    Examples:
      chainkg server start
      NEO4J_PASSWORD=s3cret-pass chainkg server start --home ./n4j --bolt-port 17687
    """
    from ..api.database import server_settings

    srv = _server(home)
    settings = server_settings(bolt_port=bolt_port, http_port=http_port, heap=heap, pagecache=pagecache)
    st = srv.start(settings, timeout=timeout, log=lambda m: click.echo(m, err=True))
    if st.get("already_running"):
        click.echo(f"Already running (pid {st['pid']}): {st['bolt_uri']}  {st['browser_url']}")
    else:
        click.echo(f"Neo4j {st['version']} started in {st['seconds']} s (pid {st['pid']})")
        click.echo(f"  Bolt:    {st['bolt_uri']}")
        click.echo(f"  Browser: {st['browser_url']}  (user neo4j, password in {srv.password_path})")
    click.echo(use_hint(srv.home))


def use_hint(home: Path) -> str:
    """How the other commands find this server: nothing for the default home, else --home or the variable.

    >>> print(use_hint(Path("/srv/n4j")))
    Other commands use this server with --home /srv/n4j, or in this shell:
      export CHAINKG_SERVER_HOME=/srv/n4j
    """
    import shlex

    from ..api.database import server_home

    if home.resolve() == server_home().resolve():
        return "Other commands (load, analyze, query, serve --from-neo4j ...) use this server."
    return (f"Other commands use this server with --home {shlex.quote(str(home))}, or in this shell:\n"
            f"  export CHAINKG_SERVER_HOME={shlex.quote(str(home))}")


@server.command()
@_home
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def status(home, fmt):
    """Running or not, version, Bolt URI, Browser URL, pid, home.

    \b
    Examples:
      chainkg server status
      chainkg server status --format json
    """
    st = _server(home).status()
    if fmt == "json":
        emit(render([], None, "json", json_payload=st), None)
        return
    rows = [{"key": k, "value": "" if v is None else str(v)} for k, v in st.items()]
    emit(render(rows, ["key", "value"], "table"), None)


@server.command()
@_home
@click.option("--timeout", type=float, default=120, show_default=True)
def stop(home, timeout):
    """Stop the server (SIGTERM, wait; SIGKILL after --timeout).

    \b
    Example:
      chainkg server stop
    """
    res = _server(home).stop(timeout=timeout)
    if not res["was_running"]:
        click.echo(f"Not running ({res['home']}).")
    else:
        how = "killed after timeout" if res["killed"] else "stopped"
        click.echo(f"Neo4j (pid {res['pid']}) {how} in {res['seconds']} s.")


@server.command()
@_home
@click.option("-n", "--lines", type=int, default=50, show_default=True)
def logs(home, lines):
    """Print the last lines of the server log.

    \b
    Example:
      chainkg server logs -n 200
    """
    click.echo(_server(home).logs(lines), nl=False)
