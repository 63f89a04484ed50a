"""The front door to Neo4j: connect, load, store the analysis, the query library, the Browser, the local server.

Every function takes the connection the commands take (``{uri, user, database}``, None parts from the
environment or the local server; :func:`chainkg.api.connection_settings`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..neo4j_io.writer import DEFAULT_BATCH_SIZE  # rows per transaction

if TYPE_CHECKING:
    from ..analysis import Analysis
    from ..connection import ConnectionSettings
    from ..cypher.library import Query

__all__ = ["DEFAULT_BATCH_SIZE", "browser_link", "browser_style", "browser_url", "bulk_load", "connect", "dry_run", "load",
           "local_server", "query", "query_library", "run_query", "server_home", "server_settings", "status_labels", "write_analysis"]



def connect(connection: ConnectionSettings | Mapping | None = None, **driver_config) -> tuple[Any, ConnectionSettings]:
    """(driver, settings) for the configured Neo4j, or ``ConnectionProblem`` (exit 2)."""
    from ..connection import open_driver
    from . import connection_settings

    settings = connection_settings(connection)
    return open_driver(settings, **driver_config), settings


def load(driver, database: str, report, *, batch_size: int | None = None, replace: bool = False, prune: bool = False,
         progress=None):
    """Merge a validated dataset (its validation report) into ``database``; a ``LoadReport`` of every step."""
    from ..neo4j_io.writer import load_dataset

    return load_dataset(driver, database, report, batch_size=batch_size or DEFAULT_BATCH_SIZE, replace=replace,
                        prune=prune, progress=progress)


def dry_run(driver, database: str, report, *, batch_size: int | None = None):
    """What :func:`load` would write (created / updated per step), writing nothing."""
    from ..neo4j_io.writer import dry_run as plan

    return plan(driver, database, report, batch_size or DEFAULT_BATCH_SIZE)


def bulk_load(report, connection: ConnectionSettings | Mapping | None = None, *, home: Path | None = None, log=None):
    """An offline ``neo4j-admin import`` of a validated dataset into the empty local server's database."""
    from ..neo4j_io.bulk import bulk_load as run
    from . import connection_settings

    return run(report, connection_settings(connection), local_server(home), log=log)


def write_analysis(driver, database: str, analysis: Analysis, *, lang: str = "zh", as_of: dt.date | None = None):
    """Store ``analysis`` (ana_* properties, status labels) and the 红绿黄灯 of its tech items as of
    ``as_of`` (default today): ``(analysis WriteReport, light counts)``."""
    from ..neo4j_io.analysis_writer import write_analysis as write
    from ..neo4j_io.lights_writer import write_lights

    rep = write(driver, database, analysis, lang=lang)
    lights = write_lights(driver, database, analysis.G, as_of or dt.date.today(), lang=lang, run_at=rep.run_at)
    return rep, lights


def status_labels(analysis: Analysis) -> dict[str, int]:
    """Neo4j status label -> segments that ``write_analysis`` would give it."""
    from collections import Counter

    from ..graph_model.schema import STATUS_LABELS

    return dict(sorted(Counter(STATUS_LABELS[st.status] for st in analysis.statuses.values()).items()))


# -- the query library ----------------------------------------------------------------------------

def query_library() -> dict[str, Query]:
    """Name -> library query (cypher/queries/*.cypher)."""
    from ..cypher.library import library

    return library()


def query(name: str, params: Mapping[str, str] | None = None) -> tuple[Query, dict]:
    """A library query by name with its parameters bound (text from the command line, typed and checked)."""
    from ..cypher import library as lib

    q = lib.get(name)
    return q, lib.bind(q, dict(params or {}))


def run_query(driver, database: str, q: Query, bound: dict) -> tuple[list[str], list[dict]]:
    """(columns, rows) of a bound library query, in a read transaction."""
    from ..cypher import library as lib

    return lib.run(driver, database, q, bound)


def browser_url(uri: str | None = None, home: Path | None = None) -> str:
    """The Neo4j Browser's address: CHAINKG_BROWSER_URL, else the local server's (in ``home``) HTTP port,
    else ``uri``'s host on port 7474."""
    from ..connection import browser_base_url

    return browser_base_url(uri, home)


def browser_link(q: Query, bound: dict, *, uri: str | None = None, home: Path | None = None,
                 database: str | None = None, base_url: str | None = None) -> str:
    """A Browser URL opening with ``:params {...};`` and the query in the editor (the Browser at ``base_url``,
    else :func:`browser_url`)."""
    from ..cypher.browser_link import browser_link as link

    return link(base_url or browser_url(uri, home), q, bound, database)


def browser_style() -> str:
    """The GraSS style sheet: the shipped rules plus one per status label of the vocabulary."""
    from ..browser import style_text

    return style_text()


# -- the project's own local server ------------------------------------------------------------------

def server_home(home: Path | None = None) -> Path:
    """``home``, else the default local server's home (CHAINKG_SERVER_HOME, else $CHAINKG_HOME/servers/default)."""
    from ..paths import default_server_home

    return home or default_server_home()


def local_server(home: Path | None = None):
    """The local Neo4j instance in ``home`` (default :func:`server_home`)."""
    from ..server.instance import LocalServer

    return LocalServer(server_home(home))


def server_settings(*, bolt_port: int, http_port: int, heap: str, pagecache: str):
    """Ports and memory of a local server to start (initial heap derived from ``heap``)."""
    from ..server.instance import ServerSettings, initial_heap

    return ServerSettings(bolt_port=bolt_port, http_port=http_port, heap_max=heap, heap_initial=initial_heap(heap),
                          pagecache=pagecache)
