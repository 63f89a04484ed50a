"""The explorer's snapshots of Neo4j: the data version every write bumps (load, analyze --write), the
snapshot read in the same read transaction as its version, a reload read in the background while the
previous snapshot goes on serving."""

from __future__ import annotations

import shutil
import threading

import pytest

from conftest import FIXTURES
from explorer_data import _append

pytestmark = [pytest.mark.neo4j, pytest.mark.filterwarnings("ignore:Using `httpx`")]


def _load(neo4j, path, replace=True, **kw):
    from chainkg.loaders import load_valid
    from chainkg.neo4j_io.writer import load_dataset

    with neo4j.driver() as drv:
        return load_dataset(drv, neo4j.settings.database, load_valid(str(path)), replace=replace, **kw)


def _version(neo4j) -> int:
    from chainkg.api import neo4j_version

    with neo4j.driver() as drv:
        return neo4j_version(drv, neo4j.settings.database)


def _rename(folder, firm_id: str, new_name: str) -> None:
    p = folder / "firms.csv"
    lines = p.read_text(encoding="utf-8").splitlines()
    p.write_text("\n".join(",".join([c[0], new_name, *c[2:]]) if (c := ln.split(","))[0] == firm_id else ln
                           for ln in lines) + "\n", encoding="utf-8")


def test_every_load_batch_and_analysis_write_bumps_the_version(neo4j, tmp_path):
    from chainkg import api
    from chainkg.neo4j_io.analysis_writer import write_analysis

    assert _version(neo4j) == 0  # a database chainkg never wrote
    rep = _load(neo4j, FIXTURES / "small", batch_size=2)
    batches = sum(s.batches_total for s in rep.steps)
    # hand count: one bump for clearing (--replace), one per committed batch
    assert batches > len(rep.steps) and _version(neo4j) == batches + 1
    # a load that changes only a property (one firm's name) bumps it too: counts alone would not see it
    ds = tmp_path / "small"
    shutil.copytree(FIXTURES / "small", ds)
    _rename(ds, "FA", "甲硅片新名")
    _load(neo4j, ds, batch_size=2)
    assert _version(neo4j) == 2 * (batches + 1)
    before = _version(neo4j)
    with neo4j.driver() as drv:
        write_analysis(drv, neo4j.settings.database, api.analyze(api.open_graph(str(ds))), batch_size=100)
    assert _version(neo4j) > before


def test_snapshot_is_labelled_with_the_version_it_was_read_at(neo4j, tmp_path):
    """A load committed while the snapshot streams (between its node and relationship queries): the
    snapshot keeps the version read first, so a follower sees a newer version and reads again."""
    from chainkg.neo4j_io.reader import read_snapshot

    ds = tmp_path / "small"
    shutil.copytree(FIXTURES / "small", ds)
    _load(neo4j, ds)
    v = _version(neo4j)
    _append(ds / "firms.csv", "FZ,新电站,Z Plants,D3,是,10,,S1")
    _append(ds / "firm_segments.csv", "FZ,P4,S1")
    with neo4j.driver() as drv:
        version, snap = read_snapshot(drv, neo4j.settings.database, between=lambda: _load(neo4j, ds, replace=False))
    assert version == v and _version(neo4j) > v
    assert ("IN_SEGMENT", "FZ", "P4") not in snap.rels  # FZ was not among the nodes read: left out
    with neo4j.driver() as drv:
        version, snap = read_snapshot(drv, neo4j.settings.database)
    assert version == _version(neo4j) and ("IN_SEGMENT", "FZ", "P4") in snap.rels


def test_a_reload_is_read_in_the_background_while_the_old_snapshot_serves(neo4j, tmp_path):
    from starlette.testclient import TestClient

    from chainkg.web.app import create_app
    from chainkg.web.source import Explorer

    ds = tmp_path / "small"
    shutil.copytree(FIXTURES / "small", ds)
    _load(neo4j, ds)
    ex = Explorer(from_neo4j=True, settings=neo4j.settings).start()
    c = TestClient(create_app(ex), base_url="http://127.0.0.1")
    try:
        assert "甲硅片" in c.get("/firm/FA").text and ex.current().version == str(_version(neo4j))
        release, warming = threading.Event(), threading.Event()
        real_warm = ex.warm

        def slow_warm(snap):  # the background read of the new version waits until the test lets it go
            warming.set()
            release.wait(60)
            real_warm(snap)
        ex.warm = slow_warm
        _rename(ds, "FA", "甲硅片新名")  # a property change only
        _load(neo4j, ds)
        ex._checked = 0.0
        assert "甲硅片新名" not in c.get("/firm/FA").text  # notices the new version: read in the background
        assert warming.wait(60), ex.refresh_error
        served: list[str] = []

        def pages():
            for i in range(3):
                ex._checked = 0.0  # each request asks for the version again
                served.append(c.get(f"/firm/FA?n={i}").text)
        t = threading.Thread(target=pages)
        t.start()
        t.join(30)
        assert not t.is_alive() and len(served) == 3  # served while the reload waits
        assert all("甲硅片新名" not in html and "甲硅片" in html for html in served)
        release.set()
        snap = ex.wait_refreshed()
        assert snap.version == str(_version(neo4j)) and ex.refreshes == 1
        assert "甲硅片新名" in c.get("/firm/FA").text
    finally:
        release.set()
        ex.close()
