"""The front door of the 招商 workspace (``chainkg serve --workspace``, ``chainkg users``, ``chainkg audit``):
the store in Neo4j and the library parts its pages use (graph navigation, the what-if engine, intake's
reading and matching), so commands and pages reach the library only through ``chainkg.api``."""

from __future__ import annotations

from collections.abc import Callable

from ..analysis import views as _views
from ..analysis.views import districts_under, name, nodes_by_label, out_by_type
from ..analysis.whatif import NEW_PREFIX, Change, WhatIf
from ..findings.whatif import effect_text
from ..graph_model.records import Problem, Row
from ..graph_model.values import to_credit_code
from ..intake.columns import ListRow, read_list
from ..intake.identity import new_firm_id, normalise_name
from ..intake.propose import propose
from ..loaders import load_valid
from ..neo4j_io.reader import read_graph_dataset
from ..neo4j_io.workspace import (
    LOCK_AFTER,
    LOCK_MINUTES,
    SLOW_AFTER,
    Actor,
    Stale,
    Store,
    WorkspaceError,
    check_date,
    check_stage,
    export_workspace,
    load_workspace,
)

#: a firm of the graph, a lean graph's firm table included where the library has one
has_node = _views.has_node


def attrs(G, node) -> dict:
    """A node's properties, a firm's from the graph's firm table ({} for a node that is not there)."""
    from ..graph_model.firm_table import node_attrs

    return node_attrs(G, node) if has_node(G, node) else {}


def firm_items(G) -> list[tuple[str, dict]]:
    """(id, properties) of every firm of the graph (its firm table's)."""
    return [(f, attrs(G, f)) for f in nodes_by_label(G, "Firm")]

__all__ = ["LOCK_AFTER", "LOCK_MINUTES", "NEW_PREFIX", "SLOW_AFTER", "Actor", "Change", "ListRow", "Problem", "Row",
           "Stale", "Store", "WhatIf", "WorkspaceError", "check_date", "check_stage", "districts_under", "effect_text",
           "ensure_local_database", "export_workspace", "has_node", "attrs", "firm_items", "load_valid", "load_workspace", "name",
           "new_firm_id", "nodes_by_label", "normalise_name", "open_store", "out_by_type", "propose", "read_graph_dataset",
           "read_list", "to_credit_code"]


def open_store(connection=None) -> Store:
    """The workspace store of ``connection`` ({uri, user, database}, settings, or None: environment / local
    server), its schema ensured; close it with ``store.driver.close()``."""
    from ..connection import open_driver
    from . import connection_settings

    settings = connection_settings(connection)
    store = Store(open_driver(settings), settings.database)
    store.ensure_schema()
    return store


def ensure_local_database(log: Callable[[str], None] = print) -> None:
    """The project's local server started if it is not running, and loaded with the bundled data when its
    database is empty (as ``chainkg server start`` and ``chainkg load`` do)."""
    from ..connection import open_driver
    from ..neo4j_io.writer import load_dataset
    from ..paths import default_server_home
    from ..server.instance import LocalServer, ServerSettings
    from . import connection_settings

    st = LocalServer(default_server_home()).start(ServerSettings(), timeout=180, log=log)  # a no-op when running
    if not st.get("already_running"):
        log(f"Local Neo4j started: {st['bolt_uri']}")
    settings = connection_settings({})
    with open_driver(settings) as driver:
        n = driver.execute_query("MATCH (n:ChainKG) RETURN count(n) AS n", database_=settings.database).records[0]["n"]
        if n == 0:
            log("The database is empty: loading the bundled yangzhou-613 data …")
            load_dataset(driver, settings.database, load_valid(None))
