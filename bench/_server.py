"""A Neo4j for benchmarks: NEO4J_URI/NEO4J_PASSWORD when set, else a throwaway local server."""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

from chainkg.connection import ConnectionSettings, open_driver
from chainkg.server import LocalServer, ServerSettings, free_port


@contextmanager
def bench_settings(tmp: Path, heap: str = "2g", pagecache: str = "1g"):
    """ConnectionSettings of NEO4J_URI/NEO4J_PASSWORD when set, else of a throwaway local server."""
    srv = None
    if os.environ.get("NEO4J_URI"):
        conn = ConnectionSettings(os.environ["NEO4J_URI"], os.environ.get("NEO4J_USER", "neo4j"),
                                  os.environ["NEO4J_PASSWORD"])
    else:
        srv = LocalServer(tmp / "home")
        st = ServerSettings(bolt_port=free_port(), http_port=free_port(), heap_initial=heap, heap_max=heap,
                            pagecache=pagecache)
        srv.start(st, timeout=300)
        conn = ConnectionSettings(f"bolt://127.0.0.1:{st.bolt_port}", "neo4j", srv.stored_password())
    try:
        yield conn
    finally:
        if srv:
            srv.stop()


@contextmanager
def bench_driver(tmp: Path, heap: str = "2g", pagecache: str = "1g"):
    with bench_settings(tmp, heap, pagecache) as conn:
        driver = open_driver(conn)
        try:
            yield driver
        finally:
            driver.close()
