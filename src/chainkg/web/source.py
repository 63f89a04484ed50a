"""Where the explorer's graph comes from: a dataset read once, or Neo4j followed.

An :class:`Explorer` holds the source and the current :class:`~chainkg.web.snapshot.Snapshot`.
With Neo4j, every request (at most every ``VERSION_TTL`` seconds) first asks for the data version
(:mod:`chainkg.neo4j_io.version`, bumped in the same transaction as every chainkg write, property
changes included); a new version is read together with the graph in one read transaction, in the
background, while pages go on being served from the previous snapshot. Neo4j going away
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
FULLTEXT_TIMEOUT = 1.0  # seconds a search gives the full-text index


def _newer(version: str, snap: Snapshot | None) -> bool:
    """Whether ``version`` is later than ``snap``'s (any version replaces a snapshot without a number)."""
    try:
        return snap is None or int(version) > int(snap.version)
    except (TypeError, ValueError):
        return True


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
        self._refreshing: threading.Thread | None = None
        self.refreshes = 0  # new versions read and swapped in since start
        self.refresh_error: str | None = None  # why the last background read failed, if it did
        self.warmup_seconds: float | None = None  # start: until the first pages can be served
        self.warm_seconds: float | None = None  # start: until every chain page is built
        self._warming: threading.Thread | None = None
        #: ``same_graph(old, new) -> bool``: the graph of data version ``new`` is that of ``old`` (the workspace's
        #: lead writes bump the version without touching the graph); then the snapshot is kept, relabelled
        self.same_graph = None
        self._apply = threading.Condition()  # staff corrections applied in this process, in version order
        self._writers = 0  # corrections being written by this process: their version bump needs no re-read
        self.applied = 0  # corrections applied to the served snapshot in place (no re-read)

    def start(self, *, wait: bool = True) -> Explorer:
        """Read the graph, compute the analysis and build the overview now (so the first page is quick);
        errors raise. The rest of the warm-up (supplier ranks, look-up indexes, every chain page) follows
        at once, or with ``wait=False`` in the background while pages are served (``chainkg serve``: ready
        sooner; a page asked for before its part is warm waits for that part only, built once)."""
        t0 = time.perf_counter()
        if self.from_neo4j:
            from ..api.database import connect

            self._driver, _ = connect(self.settings, connection_timeout=5, max_transaction_retry_time=1.0,
                                       connection_acquisition_timeout=10)
        snap = self.current()
        self.warm_first(snap)
        self.warmup_seconds = time.perf_counter() - t0
        if wait:
            self.warm_rest(snap)
            self.warm_seconds = time.perf_counter() - t0
        else:
            def rest():
                try:
                    self.warm_rest(snap)
                    self.warm_seconds = time.perf_counter() - t0
                except Exception as exc:  # a page that needs the failed part raises it again itself
                    self.refresh_error = f"{type(exc).__name__}: {exc}"
            self._warming = threading.Thread(target=rest, name="chainkg-warm", daemon=True)
            self._warming.start()
        return self

    def warm(self, snap: Snapshot) -> None:
        """The whole warm-up of ``snap`` (a reload's, before it is served)."""
        self.warm_first(snap)
        self.warm_rest(snap)

    def warm_first(self, snap: Snapshot) -> None:
        """The analysis and the overview (zh)."""
        from . import pages

        pages.overview(self, snap, "zh")

    def warm_rest(self, snap: Snapshot) -> None:
        """Look-up indexes, supplier ranks, every chain page and every district page (zh), search's names."""
        from ..analysis.views import nodes_by_label
        from . import pages

        snap.nb.warm()  # firm, segment and district pages need these first
        snap.analysis().supplier_ranks  # noqa: B018 (computed on first access)
        for c in snap.analysis().view.segments_of:
            pages.chain(self, snap, c, "zh")
        for d in nodes_by_label(snap.G, "District"):
            pages.district(self, snap, d, "zh")
        snap.page(("names",), lambda: _search.name_list(snap.G))  # search's names with their pinyin

    def wait_warm(self, timeout: float = 120.0) -> None:
        """Wait for a background warm-up (``start(wait=False)``) to end."""
        if self._warming is not None:
            self._warming.join(timeout)

    def close(self) -> None:
        if self._driver is not None:
            self._driver.close()
            self._driver = None

    def current(self) -> Snapshot:
        """The snapshot to serve now. From Neo4j: the data version is asked at most every ``VERSION_TTL``
        seconds; a new version is read and warmed in the background (:meth:`_refresh`) while requests go on
        being served from the previous snapshot, which is swapped for the new one when it is ready."""
        if not self.from_neo4j:
            if self._snap is None:
                with self._lock:
                    if self._snap is None:
                        self._snap = self._read_dataset()
            return self._snap
        snap = self._snap
        if snap is None:  # the first read (start): nothing to serve meanwhile
            with self._lock:
                if self._snap is None:
                    self._snap = self._read_neo4j()
                    self._checked = time.monotonic()
            return self._snap
        if time.monotonic() - self._checked < VERSION_TTL:
            return snap
        version = str(self._neo4j(lambda drv: api.neo4j_version(drv, self.settings.database)))
        self._checked = time.monotonic()
        if version != snap.version and self.same_graph is not None and self._same_graph(snap.version, version):
            snap.version = version
            return snap
        if version != snap.version and self._writers:
            return snap  # a correction of this process: it applies it itself (apply_write), checked again later
        if version != snap.version:
            with self._lock:  # the version may have been swapped in meanwhile: compare with the one served now
                idle = self._refreshing is None or not self._refreshing.is_alive()
                if idle and version != snap.version and version != getattr(self._snap, "version", None):
                    self._refreshing = threading.Thread(target=self._refresh, name="chainkg-refresh", daemon=True)
                    self._refreshing.start()
        return snap

    def _same_graph(self, old: str, new: str) -> bool:
        try:
            return bool(self.same_graph(int(old), int(new)))  # type: ignore[misc]
        except (ValueError, TypeError):
            return False

    def _refresh(self) -> None:
        """Read the new version and warm it, then serve it (a failure keeps the old one; the next check retries)."""
        try:
            new = self._read_neo4j()
            self.warm(new)
        except Exception as exc:  # kept for the next check; the old snapshot goes on serving
            self.refresh_error = f"{type(exc).__name__}: {exc}"
            self._checked = 0.0
            return
        self.refresh_error = None
        with self._apply:
            if _newer(new.version, self._snap):  # a correction applied meanwhile may be newer than what was read
                self._snap = new
                self.refreshes += 1
            self._apply.notify_all()

    # -- staff corrections: applied to the served snapshot, recomputing only the chains they reach ----------

    def writing(self):
        """A context for writing a staff correction: meanwhile the version it bumps starts no re-read here."""
        from contextlib import contextmanager

        @contextmanager
        def ctx():
            with self._apply:
                self._writers += 1
            try:
                yield
            finally:
                with self._apply:
                    self._writers -= 1
                    self._apply.notify_all()
        return ctx()

    def apply_write(self, version: int, since: int | None, graph: dict | None, timeout: float = 10.0) -> bool:
        """Serve data version ``version``, a staff correction this process wrote (``graph``: its changes and new
        nodes, :meth:`chainkg.neo4j_io.workspace.Store.correct`), by applying it to the served snapshot when that
        snapshot's graph is the graph just before it (its version in ``since`` … ``version - 1``):
        :func:`chainkg.api.apply_changes` recomputes the chains it reaches and :meth:`Snapshot.derive` keeps the
        pages it cannot reach. Corrections of several threads are applied in version order (a later one waits
        for the earlier ones). False: not applicable (another process changed the graph meanwhile, or the
        changes do not fit the served graph); then the caller reads the graph again."""
        from ..errors import ChainKGError

        if not self.from_neo4j or graph is None or since is None:
            return False
        deadline = time.monotonic() + timeout
        with self._apply:
            while True:
                snap = self._snap
                if snap is None:
                    return False
                try:
                    cur = int(snap.version)
                except (TypeError, ValueError, AttributeError):
                    return False
                if cur >= version:
                    return True  # a re-read has it already
                if since <= cur:
                    break
                left = deadline - time.monotonic()
                if left <= 0 or self._writers <= 1:  # no earlier correction of this process to wait for
                    return False
                self._apply.wait(left)  # an earlier correction of this process is being applied
            try:
                up = api.apply_changes(snap.analysis(), graph["changes"])
            except ChainKGError as exc:
                self.refresh_error = f"correction {version} not applied in place: {exc}"
                return False
            for n, d in (graph.get("nodes") or {}).items():
                up.analysis.G.add_node(n, **d)  # the correction's source (a new graph: nobody reads it yet)
            firms = list(dict.fromkeys(c["firm"] for c in graph["changes"] if c.get("firm")))
            self._snap = snap.derive(str(version), up, firms)
            self.applied += 1
            self._apply.notify_all()
        return True

    def wait_refreshed(self, timeout: float = 30.0) -> Snapshot:
        """Check the version now and wait until any reload it starts is served (tests, benchmarks)."""
        self._checked = 0.0
        self.current()
        thread = self._refreshing
        if thread is not None:
            thread.join(timeout)
        return self.current()

    def _read_dataset(self) -> Snapshot:
        G = api.open_graph(self.data, encoding=self.encoding, lean=True)
        return Snapshot("dataset", G, G.graph.get("dataset", "?"), time.time())

    def _read_neo4j(self) -> Snapshot:
        """The data version and the graph, read in one read transaction (a consistent snapshot)."""
        version, G = self._neo4j(lambda drv: api.open_neo4j_snapshot(drv, self.settings.database, lean=True))
        return Snapshot(str(version), G, "neo4j", time.time())

    def _neo4j(self, work):
        from neo4j.exceptions import DriverError, Neo4jError

        try:
            return work(self._driver)
        except (DriverError, Neo4jError, OSError, ConnectionProblem) as exc:
            self._checked = 0.0
            raise DataUnavailable(f"Neo4j at {self.settings.uri}: {type(exc).__name__}: {exc}") from exc

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
        """:func:`chainkg.web.search.search`, with the CJK full-text index when serving from Neo4j (given at
        most ``FULLTEXT_TIMEOUT`` seconds: a slow or failing index leaves the in-memory matches, which
        find every name holding the text anyway)."""
        def fulltext(q, limit):
            try:
                return self._neo4j(partial(self._fulltext, q, limit))
            except DataUnavailable:
                return []
        return _search.search(snap, q, lang, limit, fulltext if self.from_neo4j else None, kind=kind)

    def _fulltext(self, q: str, limit: int, driver) -> list[str]:
        from neo4j import unit_of_work

        from ..api.database import query_library

        text = query_library()["search_names"].text

        @unit_of_work(timeout=FULLTEXT_TIMEOUT)
        def work(tx):
            return [r["id"] for r in tx.run(text, q=_search.lucene_escape(q), limit=limit)]
        with driver.session(database=self.settings.database, default_access_mode="READ") as s:
            return s.execute_read(work)
