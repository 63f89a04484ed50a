"""The explorer's caches: one bounded cache per kind of page (searches never evict chain pages), and
a page asked for twice at once is built once."""

from __future__ import annotations

import threading

import pytest

from conftest import FIXTURES

pytestmark = pytest.mark.filterwarnings("ignore:Using `httpx`")


def test_once_cache_builds_a_key_once_for_concurrent_callers():
    from chainkg.web.snapshot import OnceCache

    c = OnceCache(4)
    started, release = threading.Event(), threading.Event()
    calls = []

    def build():
        calls.append(1)
        started.set()
        release.wait(10)
        return object()
    got: list = []
    first = threading.Thread(target=lambda: got.append(c.get("k", build)))
    first.start()
    assert started.wait(10)
    second = threading.Thread(target=lambda: got.append(c.get("k", build)))
    second.start()
    second.join(0.2)
    assert second.is_alive()  # waiting for the first caller's value, not building its own
    release.set()
    first.join(10)
    second.join(10)
    assert len(calls) == 1 and c.builds == 1 and len(got) == 2 and got[0] is got[1]


def test_a_failed_build_is_not_cached_and_the_next_caller_builds_again():
    from chainkg.web.snapshot import OnceCache

    c = OnceCache(4)
    with pytest.raises(ZeroDivisionError):
        c.get("k", lambda: 1 / 0)
    assert c.get("k", lambda: 7) == 7 and c.keys() == ["k"]


def test_thousands_of_searches_never_evict_chain_pages():
    from chainkg.web import snapshot
    from chainkg.web.source import Explorer

    ex = Explorer(str(FIXTURES / "small")).start()
    snap = ex.current()
    chains = snap.cache("chain")
    built = chains.builds
    assert built == 2 and len(chains) == 2  # CH1 and CH2, built at start (zh)
    for i in range(snapshot.BOUNDS["search"] + 3100):  # more distinct searches than the old shared bound (4,096)
        ex.search(snap, f"x{i}", "zh")
    assert len(snap.cache("search")) == snapshot.BOUNDS["search"]  # bounded: the oldest searches went
    from chainkg.web import pages

    pages.chain(ex, snap, "CH1", "zh")
    assert chains.builds == built and len(chains) == 2  # still cached


def test_two_concurrent_first_requests_for_a_district_page_build_it_once(monkeypatch):
    from starlette.testclient import TestClient

    from chainkg.web import snapshot
    from chainkg.web.app import create_app
    from chainkg.web.source import Explorer

    ex = Explorer(str(FIXTURES / "small"))  # not started: start() builds every district page (zh)
    c = TestClient(create_app(ex), base_url="http://127.0.0.1")
    real = snapshot.api.district_view
    districts: list = []
    gate = threading.Barrier(2, timeout=5)

    def slow(city, district):
        districts.append(district)
        threading.Event().wait(0.3)  # long enough for the second request to arrive meanwhile
        return real(city, district)
    monkeypatch.setattr(snapshot.api, "district_view", slow)
    codes: list = []

    def get():
        gate.wait()
        codes.append(c.get("/district/D1").status_code)
    threads = [threading.Thread(target=get) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert codes == [200, 200]
    assert districts == ["D1"]  # one analysis for the district, though two requests needed it at once
    assert ex.current().cache("district").builds == 1
