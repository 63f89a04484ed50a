"""``chainkg serve --from-neo4j`` against the real Neo4j: pages from read transactions, the CJK
full-text search, Browser links, a reload noticed and recomputed, Neo4j going away and coming back."""

from __future__ import annotations

import re
import shutil
from urllib.parse import urlparse

import pytest

from conftest import FIXTURES
from explorer_data import _append
from tcp_proxy import Proxy

pytestmark = [pytest.mark.neo4j, pytest.mark.filterwarnings("ignore:Using `httpx`")]


def _load(neo4j, path):
    from chainkg.loaders import load_valid
    from chainkg.neo4j_io.writer import load_dataset

    drv = neo4j.driver()
    with drv:
        load_dataset(drv, neo4j.settings.database, load_valid(str(path)), replace=True)


def _state(neo4j):
    drv = neo4j.driver()
    with drv:
        rec = drv.execute_query("CALL () { MATCH (n) RETURN count(n) AS nodes } CALL () { MATCH ()-[r]->() "
                                "RETURN count(r) AS rels } RETURN nodes, rels",
                                database_=neo4j.settings.database).records[0]
    return dict(rec)


def test_from_neo4j(neo4j, tmp_path):
    from starlette.testclient import TestClient

    from chainkg.connection import ConnectionSettings
    from chainkg.web import source as data
    from chainkg.web.app import create_app
    from chainkg.web.source import Explorer

    ds = tmp_path / "small"
    shutil.copytree(FIXTURES / "small", ds)
    _load(neo4j, ds)
    bolt = urlparse(neo4j.settings.uri)
    proxy = Proxy(bolt.hostname, bolt.port).start()
    s = neo4j.settings
    settings = ConnectionSettings(f"bolt://127.0.0.1:{proxy.port}", s.user, s.password, s.database)
    ex = Explorer(from_neo4j=True, settings=settings, browser_url="http://127.0.0.1:7474/browser/").start()
    c = TestClient(create_app(ex), base_url="http://127.0.0.1")
    try:
        before = _state(neo4j)
        assert 'data-segment-id="P4" data-status="gap_extend"' in c.get("/chain/CH1").text
        # the query library's link, parameters in the URL
        link = re.search(r'<p class="browser-link"><a href="([^"]+)"', c.get("/chain/CH1").text).group(1)
        assert link.startswith("http://127.0.0.1:7474/browser/?cmd=edit&amp;arg=%3Aparams%20%7Bchain%3A%20%22CH1%22")
        # search: the CJK full-text index (bigrams) plus the in-memory fallback for one character
        hits = re.findall(r'href="/(\w+)/(\w+)"', c.get("/search?q=电池").text.split("<h1>")[1])
        assert ("segment", "P2") in hits and ("firm", "FB") in hits
        assert ("firm", "FA") in re.findall(r'href="/(\w+)/(\w+)"', c.get("/search?q=硅").text.split("<h1>")[1])
        assert c.get("/search?q=%28%5B%22").status_code == 200  # Lucene syntax characters are escaped
        for path in ("/", "/segment/P4", "/firm/FC", "/district/D1", "/export/xlsx/CH1"):
            assert c.get(path).status_code == 200, path
        assert _state(neo4j) == before  # serving wrote nothing

        # a reload: a local firm in P4 turns the gap into a single point; the next request recomputes
        _append(ds / "firms.csv", "FZ,新电站,Z Plants,D3,是,10,,S1")
        _append(ds / "firm_segments.csv", "FZ,P4,S1")
        _load(neo4j, ds)
        ex.wait_refreshed()
        assert 'data-segment-id="P4" data-status="single"' in c.get("/chain/CH1").text

        # Neo4j goes away: a clear error page; it comes back: pages again, without a restart
        proxy.stop()
        import time
        time.sleep(data.VERSION_TTL + 0.1)
        r = c.get("/chain/CH1?lang=en")
        assert r.status_code == 503 and "Neo4j cannot be read right now" in r.text
        assert c.get("/").status_code == 503 and "无法读取 Neo4j" in c.get("/").text
        proxy = Proxy(bolt.hostname, bolt.port, port=proxy.port).start()
        r = c.get("/chain/CH1")
        assert r.status_code == 200 and 'data-segment-id="P4" data-status="single"' in r.text
    finally:
        ex.close()
        proxy.stop()
