"""One data version of the explorer's graph and everything computed from it, built once.

A :class:`Snapshot` is immutable data (the graph, its name, when it was read) plus caches: the
analysis per district filter and the built pages, each kind of page in its own bounded cache, so
thousands of distinct searches never evict a chain page. Two concurrent first requests for the same
key build it once: the second waits for the first (:class:`OnceCache`).
"""

from __future__ import annotations

import functools
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .. import api
from .graphview import Neighbours

#: entries kept per kind of page and data version (a kind not named here: DEFAULT_BOUND)
BOUNDS = {"search": 1024, "firm": 4096, "segment": 4096, "chain": 512, "district": 256, "rows": 2048}
DEFAULT_BOUND = 256


class OnceCache:
    """A bounded least-recently-used cache whose values are built once per key, even when asked
    concurrently: the first caller builds, the others wait for its value (or its exception).

    >>> c = OnceCache(2)
    >>> c.get("a", lambda: 1), c.get("b", lambda: 2), c.get("a", lambda: 99)
    (1, 2, 1)
    >>> c.get("c", lambda: 3), sorted(c.keys())   # "b" was the least recently used
    (3, ['a', 'c'])
    """

    def __init__(self, bound: int):
        self.bound = bound
        self._values: OrderedDict[Any, Any] = OrderedDict()
        self._building: dict[Any, threading.Event] = {}
        self._lock = threading.Lock()
        self.builds = 0  # how many values were built (tests: concurrent first requests build once)

    def keys(self) -> list:
        with self._lock:
            return list(self._values)

    def carried(self, keep: Callable[[Any], bool], value: Callable[[Any, Any], Any] | None = None) -> OnceCache:
        """A new cache of the same bound with the values whose key ``keep`` accepts (``value(key, old)``:
        the value to carry instead of the old one, when given), in the same order.

        >>> c = OnceCache(3)
        >>> c.get("a", lambda: 1), c.get("b", lambda: 2)
        (1, 2)
        >>> d = c.carried(lambda k: k != "a", lambda k, v: v * 10)
        >>> d.keys(), d.get("b", lambda: 0), c.get("b", lambda: 0)
        (['b'], 20, 2)
        """
        new = OnceCache(self.bound)
        with self._lock:
            items = list(self._values.items())
        for k, v in items:
            if keep(k):
                new._values[k] = value(k, v) if value is not None else v
        return new

    def __len__(self) -> int:
        return len(self._values)

    def get(self, key, build: Callable[[], Any]):
        while True:
            with self._lock:
                if key in self._values:
                    self._values.move_to_end(key)
                    return self._values[key]
                waiting = self._building.get(key)
                if waiting is None:
                    done = self._building[key] = threading.Event()
                    break
            waiting.wait()  # someone else builds it; then look again (their build may have failed)
        try:
            value = build()
            with self._lock:
                self.builds += 1
                self._values[key] = value
                while len(self._values) > self.bound:
                    self._values.popitem(last=False)
            return value
        finally:
            with self._lock:
                del self._building[key]
            done.set()


@dataclass
class Snapshot:
    """One data version: the graph and what was computed from it."""

    version: str
    G: Any
    dataset: str
    loaded_at: float
    caches: dict[str, OnceCache] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def cache(self, kind: str) -> OnceCache:
        c = self.caches.get(kind)
        if c is None:
            with self._lock:
                c = self.caches.setdefault(kind, OnceCache(BOUNDS.get(kind, DEFAULT_BOUND)))
        return c

    @property
    def nb(self) -> Neighbours:
        """Node look-ups for the pages, whichever graph form (:mod:`.graphview`), built once."""
        return self.cache("graph").get("neighbours", lambda: Neighbours(self.G))

    def analysis(self, district: str | None = None):
        """The analysis with ``district`` as "local" (None: the city), computed once; a district's is
        derived from the city's per-segment sets (:func:`chainkg.api.district_view`)."""
        if district is None:
            return self.cache("analysis").get(None, lambda: api.analyze(self.G))
        return self.cache("analysis").get(district, lambda: api.district_view(self.analysis(), district))

    def page(self, key: tuple, build: Callable[[], Any]):
        """The value of ``key`` (its first item names the kind, which has its own bounded cache)."""
        return self.cache(str(key[0])).get(key, build)

    def derive(self, version: str, update, firms) -> Snapshot:
        """The snapshot of data version ``version``, whose graph is this one's with a staff correction of
        ``firms`` applied: ``update`` is :func:`chainkg.api.apply_changes`'s answer (its analysis, the chains it
        reached). The pages and findings the change cannot reach are carried over (:func:`reach`), the rest
        is built again on its first request; this snapshot is left as it was (it may still be serving)."""
        new = Snapshot(version, update.analysis.G, self.dataset, time.time())
        r = reach(self, update, firms)
        for kind, cache in list(self.caches.items()):
            if kind == "analysis":
                new.caches[kind] = OnceCache(cache.bound)
                new.caches[kind]._values[None] = carry_ranks(cache._values.get(None), update.analysis, r)
            elif kind == "graph":
                from .graphview import updated

                new.caches[kind] = cache.carried(lambda k: k == "neighbours",
                                                 lambda k, nb: updated(nb, update.analysis.G, r.firms))
            elif kind == "names" and r.named:
                from .search import with_names

                new.caches[kind] = cache.carried(lambda k: True, lambda k, names: with_names(names, new.G, r.firms))
            elif kind == "ws-firm-index" and r.named:
                pass  # built again (the new firm's name and code are then found)
            else:
                new.caches[kind] = cache.carried(functools.partial(_kept, r, kind))
        return new


@dataclass
class Reach:
    """What a staff correction reaches, in page terms (:meth:`Snapshot.derive`)."""
    chains: set  # chains whose findings were recomputed
    segments: set  # segments whose page may differ (those chains', their FEEDS neighbours, new priorities)
    firms: set  # the firms the correction changed
    pages_of: Callable[[Any], bool]  # a firm whose page may differ
    named: bool  # a firm was added (search's names, the firm index)
    local: bool  # a firm's "local" changed or a firm was added (tiers, suppliers' local marks)

    def keeps(self, kind: str, key) -> bool:
        """Whether the cached value of ``key`` (of ``kind``) holds for the corrected graph too."""
        if kind in ("chain", "rows"):  # (chain, id, lang, district) / (rows, what, chain, lang, district)
            return key[-1] is None and key[-3 if kind == "rows" else 1] not in self.chains
        if kind == "segment":
            return key[1] not in self.segments
        if kind == "firm":
            return not self.pages_of(key[1])
        if kind == "lights":  # (lights, lang, as_of, chain, district): a chain's map badges
            return key[3] is not None and key[3] not in self.chains and key[4] is None
        if kind == "ws-effect":  # (ws-effect, chain, lang, changes)
            return key[1] not in self.chains
        if kind == "city-tiers":
            return not self.local
        if kind == "search":
            return not self.named
        return False  # overview, district pages, what-if engines, targets and anything else: built again


def reach(snap: Snapshot, update, firms) -> Reach:
    """The :class:`Reach` of ``update`` (made from ``snap``'s analysis) over ``snap``'s pages."""
    new = update.analysis
    chains = set(update.chains)
    segs = {x for c in chains for x in new.view.segments_of.get(c, ())} | set(update.priorities) | set(update.segments)
    G = new.G
    segs |= {y for x in list(segs) if x in G for y in (*G.predecessors(x), *G.successors(x))
             if G._node.get(y, {}).get("label") == "Segment"}
    firms = set(firms)
    nb_old = snap.nb
    named = any(not nb_old.has(f) for f in firms)
    local = named or any(nb_old.has(f) and nb_old.attrs(f).get("local") != _local(new.G, f) for f in firms)
    near = set(firms)
    if local:  # firm pages list suppliers and customers (two steps) with their local mark
        for f in firms:
            if nb_old.has(f):
                for h in _two_steps(nb_old, f):
                    near.add(h)

    def pages_of(f) -> bool:
        if f in near:
            return True
        return nb_old.has(f) and any(s in segs for s in nb_old.out(f, "IN_SEGMENT"))
    return Reach(chains, segs, firms, pages_of, named, local)


def _local(G, f):
    from ..api.workspace import attrs

    return attrs(G, f).get("local")  # None for a firm that is not in the graph


def _two_steps(nb, f) -> set:
    out: set = set()
    frontier = {f}
    for _ in range(2):
        nxt = {m for n in frontier for m in (*nb.into(n, "SUPPLIES"), *nb.out(n, "SUPPLIES"))} - out - {f}
        out |= nxt
        frontier = nxt
    return out


def carry_ranks(old, new, r: Reach):
    """``new`` with ``old``'s firm centrality where the correction cannot change it: PageRank and betweenness
    read only the SUPPLIES links (a correction never changes them), the articulation points the local firms
    among them (unchanged unless a firm that has SUPPLIES links changed its local mark)."""
    if not old:
        return new
    for attr in ("centrality", "supplier_ranks"):
        cent = old.__dict__.get(attr)
        if cent is None:
            continue
        if r.local and any(f in cent.pagerank for f in r.firms):
            continue  # its articulation points may differ: computed again on first use
        new.__dict__[attr] = cent
    return new


def _kept(reach: Any, kind: str, key: Any) -> bool:
    """Whether the page ``key`` of ``kind`` is out of the change's reach (its cached value stays)."""
    return bool(reach.keeps(kind, key))
