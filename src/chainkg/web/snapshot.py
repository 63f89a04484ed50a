"""One data version of the explorer's graph and everything computed from it, built once.

A :class:`Snapshot` is immutable data (the graph, its name, when it was read) plus caches: the
analysis per district filter and the built pages, each kind of page in its own bounded cache, so
thousands of distinct searches never evict a chain page. Two concurrent first requests for the same
key build it once: the second waits for the first (:class:`OnceCache`).
"""

from __future__ import annotations

import threading
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
