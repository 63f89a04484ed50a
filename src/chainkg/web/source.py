"""Where the explorer's graph comes from: a dataset read once, or Neo4j followed.

An :class:`Explorer` holds the source and the current :class:`~chainkg.web.snapshot.Snapshot`.
With Neo4j, every request (at most every ``VERSION_TTL`` seconds) first asks for the data version
(in a read transaction); a reload that changes it is read by the next request. Neo4j going away
raises :class:`DataUnavailable`; the next request after it returns works again (the driver
reconnects on its own).
"""

from __future__ import annotations

import threading
import time
from functools import partial

from .. import api
from ..errors import ConnectionProblem
from ..safety import safe_url
from . import search as _search
from .snapshot import Snapshot

VERSION_TTL = 0.5  # seconds a data version is trusted before Neo4j is asked again


class DataUnavailable(Exception):
    """The graph cannot be read now (Neo4j unreachable or failing); the message says what happened."""


class Explorer:
    """The data behind ``chainkg serve``: ``--data`` (read once) or ``--from-neo4j`` (followed)."""

    def __init__(self, data: str | None = None, *, from_neo4j: bool = False, settings=None,
                 browser_url: str | None = None, encoding: str | None = None):
        self.data, self.encoding, self.from_neo4j, self.settings = data, encoding, from_neo4j, settings
        self.browser_url = browser_url
        self._snap: Snapshot | None = None
        self._lock = threading.Lock()
        self._driver = None
        self._checked = 0.0
        self.warmup_seconds: float | None = None

    def start(self) -> Explorer:
        """Read the graph and compute the analysis now (so the first page is quick); errors raise."""
        t0 = time.perf_counter()
        if self.from_neo4j:
            from ..api.database import connect

            self._driver, _ = connect(self.settings, connection_timeout=5, max_transaction_retry_time=1.0,
                                       connection_acquisition_timeout=10)
        self.warm(self.current())
        self.warmup_seconds = time.perf_counter() - t0
        return self

    def warm(self, snap: Snapshot) -> None:
        """Compute the analysis and supplier ranks and build the overview and every chain page (zh)."""
        from . import pages

        snap.analysis().supplier_ranks  # noqa: B018 (computed on first access)
        pages.overview(self, snap, "zh")
        for c in snap.analysis().view.segments_of:
            pages.chain(self, snap, c, "zh")

    def close(self) -> None:
        if self._driver is not None:
            self._driver.close()
            self._driver = None

    def current(self) -> Snapshot:
        if not self.from_neo4j:
            if self._snap is None:
                with self._lock:
                    if self._snap is None:
                        self._snap = self._read_dataset()
            return self._snap
        now = time.monotonic()
        if self._snap is not None and now - self._checked < VERSION_TTL:
            return self._snap
        version = self._neo4j(self._version)
        with self._lock:
            if self._snap is None or self._snap.version != version:
                self._snap = Snapshot(version, self._neo4j(self._read_graph), "neo4j", time.time())
            self._checked = time.monotonic()
            return self._snap

    def _read_dataset(self) -> Snapshot:
        G = api.open_graph(self.data, encoding=self.encoding)
        return Snapshot("dataset", G, G.graph.get("dataset", "?"), time.time())

    def _neo4j(self, work):
        from neo4j.exceptions import DriverError, Neo4jError

        try:
            return work(self._driver)
        except (DriverError, Neo4jError, OSError, ConnectionProblem) as exc:
            self._checked = 0.0
            raise DataUnavailable(f"Neo4j at {self.settings.uri}: {type(exc).__name__}: {exc}") from exc

    def _version(self, driver) -> str:
        """The data version: node and relationship counts (library query ``data_version``): a load that
        adds or removes nodes or relationships changes it (one that only changes properties does not)."""
        from ..api.database import query_library

        text = query_library()["data_version"].text

        def work(tx):
            r = tx.run(text).single()
            # staff corrections (chainkg serve --workspace) may change a property only: their counter too
            g = tx.run("OPTIONAL MATCH (g:WsGraphRev {id: 'graph'}) RETURN g.rev AS rev").single()
            return f"{r['nodes']}n/{r['rels']}r" + (f"/{g['rev']}ws" if g and g["rev"] is not None else "")
        with driver.session(database=self.settings.database, default_access_mode="READ") as s:
            return s.execute_read(work)

    def _read_graph(self, driver):
        """The whole graph through the front door (read access mode sessions)."""
        return api.open_graph(from_neo4j=True, connection=self.settings)

    # -- Neo4j Browser links and full-text search ---------------------------------------------------

    def browser(self, query: str, **params) -> str | None:
        """The Neo4j Browser link of a library query, when serving from Neo4j."""
        if not (self.from_neo4j and self.browser_url):
            return None
        from ..api.database import browser_link, query_library

        try:
            return safe_url(browser_link(query_library()[query], params, base_url=self.browser_url,
                                         database=self.settings.database))
        except ValueError:
            return None

    def search(self, snap: Snapshot, q: str, lang: str, limit: int = 50, kind: str | None = None) -> list[dict]:
        """:func:`chainkg.web.search.search`, with the CJK full-text index when serving from Neo4j."""
        fulltext = (lambda q, limit: self._neo4j(partial(self._fulltext, q, limit))) if self.from_neo4j else None
        return _search.search(snap, q, lang, limit, fulltext, kind=kind)

    def _fulltext(self, q: str, limit: int, driver) -> list[str]:
        from ..api.database import query_library

        text = query_library()["search_names"].text

        def work(tx):
            return [r["id"] for r in tx.run(text, q=_search.lucene_escape(q), limit=limit)]
        with driver.session(database=self.settings.database, default_access_mode="READ") as s:
            return s.execute_read(work)
