"""``chainkg serve``: the staff explorer (a local, read-only web app)."""

from __future__ import annotations

import ipaddress
import os

import click

from .common import connection, neo4j_extra, neo4j_options, source_options

LOOPBACK_NAMES = ("localhost",)


def check_port(host: str, port: int) -> None:
    """PortBusy (exit 2) when ``host:port`` cannot be listened on, before any data is read."""
    import socket

    from ..errors import PortBusy

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds: a closed port in TIME_WAIT is free
        try:
            s.bind((host, port))
        except OSError as exc:
            raise PortBusy(f"Port {port} on {host} is in use (or not allowed): {exc.strerror or exc}.",
                           hint=f"Choose another one with --port (e.g. --port {port + 1 if port else 8001}), "
                                "or stop the program that holds it.") from None


def is_loopback(host: str) -> bool:
    """
    >>> is_loopback("127.0.0.1"), is_loopback("::1"), is_loopback("localhost"), is_loopback("0.0.0.0")
    (True, True, True, False)
    """
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@click.command()
@source_options
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but loopback needs --token.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--token", default=None,
              help="Access token (default CHAINKG_SERVE_TOKEN). With a token every request needs it: "
                   "open http://HOST:PORT/?token=TOKEN once (a cookie keeps it), or send "
                   "'Authorization: Bearer TOKEN'.")
@neo4j_options
def serve(data, from_neo4j, encoding, host, port, token, uri, user, database):
    """The explorer: chains, segments, firms and districts in your browser, read-only.

    Overview, chain maps (click a segment), segment, firm (企业画像) and district pages, search,
    zh/en switch, CSV/XLSX export of a chain's tables. Serves 127.0.0.1 only unless --host
    says otherwise, and then only with a token (--token or CHAINKG_SERVE_TOKEN). GET only;
    no page writes anything. With --from-neo4j every query is a read transaction, and every
    chainkg write (load, analyze --write) is noticed by its data version and read in the
    background while the previous data goes on being served. Also /whatif (what-if),
    /lights (红绿黄灯) and /targets (targets and indicators).

    \b
    Examples:
      chainkg serve                                  # bundled Yangzhou data, http://127.0.0.1:8000/
      chainkg serve --data ./my-data --port 8080
      chainkg serve --from-neo4j                     # the local server (chainkg server start; chainkg load)
      CHAINKG_SERVE_TOKEN=s3cret chainkg serve --host 0.0.0.0
                                                     # then open http://HOST:8000/?token=s3cret once
    """
    import uvicorn

    from ..errors import UsageError
    from ..web.app import create_app
    from ..web.source import Explorer

    token = token or os.environ.get("CHAINKG_SERVE_TOKEN") or None
    if not is_loopback(host) and not token:
        raise UsageError(f"--host {host} would open the explorer to the network without a token.",
                         hint="Give --token (or set CHAINKG_SERVE_TOKEN), or keep the default --host 127.0.0.1.")
    if from_neo4j and data:
        raise UsageError("Give either --data or --from-neo4j, not both.")
    check_port(host, port)
    settings = browser = None
    if from_neo4j:
        from ..api import connection_settings
        from ..api.database import browser_url as browser_base_url
        from ..errors import ConnectionProblem

        settings = connection_settings(connection({"uri": uri, "user": user, "database": database}))
        try:
            browser = browser_base_url(uri, neo4j_extra()["home"])
        except ConnectionProblem:
            browser = None
    explorer = Explorer(data, from_neo4j=from_neo4j, settings=settings, browser_url=browser, encoding=encoding).start(wait=False)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"chainkg explorer on http://{shown}:{port}/ (ready in {explorer.warmup_seconds:.1f} s, "
               f"the chain pages are being built in the background; Ctrl+C stops it)",
               err=True)
    try:
        uvicorn.run(create_app(explorer, token=token, loopback_only=is_loopback(host)), host=host, port=port,
                    log_level="warning", server_header=False, proxy_headers=False)
    except SystemExit as exc:  # uvicorn's startup failure (3): taken meanwhile by another program
        if exc.code not in (0, None):
            from ..errors import PortBusy

            raise PortBusy(f"The explorer could not listen on {host}:{port} (uvicorn exit {exc.code}).",
                           hint="Choose another --port, or stop the program that holds it.") from None
        raise
    finally:
        explorer.close()


COMMANDS = [serve]
