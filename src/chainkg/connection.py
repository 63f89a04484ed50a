"""Neo4j connection settings: the environment first, else the local server's own settings.

A password is never taken from a command-line option. The local server is the one in
``--home`` (every Neo4j command has it), else ``CHAINKG_SERVER_HOME``, else the default home.
The Neo4j Browser's address is ``CHAINKG_BROWSER_URL``, else the local server's HTTP port.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .errors import ConnectionProblem
from .paths import default_server_home


@dataclass(frozen=True)
class ConnectionSettings:
    uri: str
    user: str
    password: str
    database: str = "neo4j"
    #: the server's notifications (query-plan warnings, absent labels ...): off unless asked (--verbose)
    notifications: bool = False

    def __repr__(self) -> str:  # keep the password out of logs and tracebacks
        return f"ConnectionSettings(uri={self.uri!r}, user={self.user!r}, database={self.database!r})"


#: how to name the server: said by every "no server" message
SERVER_HINT = ("Run `chainkg server start`; for a server started with `chainkg server start --home H`, give "
               "--home H (or set CHAINKG_SERVER_HOME=H); for another Neo4j set NEO4J_URI, NEO4J_USER and "
               "NEO4J_PASSWORD.")


def resolve_connection(uri: str | None = None, user: str | None = None, database: str | None = None,
                       home: Path | None = None, notifications: bool = False) -> ConnectionSettings:
    """Options beat ``NEO4J_*`` variables, which beat the local server in ``home`` (default
    ``CHAINKG_SERVER_HOME``, else the default home)."""
    from .server.instance import LocalServer

    uri = uri or os.environ.get("NEO4J_URI")
    user = user or os.environ.get("NEO4J_USER") or "neo4j"
    database = database or os.environ.get("NEO4J_DATABASE") or "neo4j"
    password = os.environ.get("NEO4J_PASSWORD")
    if not uri or password is None:
        server = LocalServer(home or default_server_home())
        st = server.state()
        if not uri:
            if not st.get("bolt_port"):
                raise ConnectionProblem(
                    "No Neo4j to connect to: NEO4J_URI is not set and the local server "
                    f"({server.home}) has never been started.", hint=SERVER_HINT)
            uri = f"bolt://127.0.0.1:{st['bolt_port']}"
        if password is None:
            password = server.stored_password()
            if password is None:
                raise ConnectionProblem(f"No password for {uri}: NEO4J_PASSWORD is not set.",
                                        hint="Set NEO4J_PASSWORD in the environment.")
    return ConnectionSettings(uri=uri, user=user, password=password, database=database, notifications=notifications)


def open_driver(settings: ConnectionSettings, **driver_config):
    """A verified driver, or ConnectionProblem saying what to check."""
    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError, DriverError, Neo4jError, ServiceUnavailable

    driver_config.setdefault("connection_timeout", 10)
    if not settings.notifications:  # else the driver logs every one as a warning (a dry run into an empty DB: 111)
        driver_config.setdefault("notifications_min_severity", "OFF")
    driver = GraphDatabase.driver(settings.uri, auth=(settings.user, settings.password), **driver_config)
    try:
        driver.verify_connectivity()
        driver.execute_query("RETURN 1", database_=settings.database)
    except AuthError as exc:
        driver.close()
        raise ConnectionProblem(
            f"Neo4j at {settings.uri} refused the credentials of user {settings.user!r}.",
            hint="Check NEO4J_USER and NEO4J_PASSWORD (for the local server: unset NEO4J_PASSWORD "
            "to use the stored one).",
        ) from exc
    except (ServiceUnavailable, OSError) as exc:
        driver.close()
        raise ConnectionProblem(
            f"Cannot reach Neo4j at {settings.uri}: {exc}",
            hint="Is the server running (`chainkg server status`)? " + SERVER_HINT,
        ) from exc
    except (DriverError, Neo4jError) as exc:
        driver.close()
        raise ConnectionProblem(f"Neo4j at {settings.uri} failed: {exc}",
                                hint=f"Check that database {settings.database!r} exists (NEO4J_DATABASE).") from exc
    return driver


def browser_base_url(uri: str | None = None, home: Path | None = None) -> str:
    """The Neo4j Browser of the configured server: ``CHAINKG_BROWSER_URL``; else the local server's
    own HTTP port (its settings in ``home``) when the server is the local one (no URI, or the URI of
    its Bolt port); else the URI's host on Neo4j's default HTTP port 7474."""
    from urllib.parse import urlparse

    from .safety import safe_url
    from .server.instance import LocalServer

    explicit = os.environ.get("CHAINKG_BROWSER_URL")
    if explicit:
        if not safe_url(explicit):
            raise ConnectionProblem(f"CHAINKG_BROWSER_URL {explicit!r} is not an http(s) URL; chainkg opens and "
                                    "links only http(s) addresses.", hint="e.g. CHAINKG_BROWSER_URL=http://db:7474/browser/")
        return explicit if explicit.endswith("/") else explicit + "/"
    uri = uri or os.environ.get("NEO4J_URI")
    st = LocalServer(home or default_server_home()).state()
    if uri:
        parsed = urlparse(uri)
        host = parsed.hostname or "127.0.0.1"
        local = host in ("127.0.0.1", "localhost", "::1") and st.get("http_port") and (
            parsed.port or 7687) == st.get("bolt_port")
        if local:
            return f"http://127.0.0.1:{st['http_port']}/browser/"
        return f"http://{host}:7474/browser/"
    if not st.get("http_port"):
        raise ConnectionProblem("No Neo4j Browser known: NEO4J_URI is not set and the local server has never "
                                "been started.", hint="Set CHAINKG_BROWSER_URL to the Browser's address. " + SERVER_HINT)
    return f"http://127.0.0.1:{st['http_port']}/browser/"
