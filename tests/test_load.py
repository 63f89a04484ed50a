"""Loading into the real Neo4j: idempotent, batched, honest about failures; the same graph in NetworkX."""

from __future__ import annotations

import os
import subprocess

import pytest

from conftest import CHAINKG, cli
from helpers import EXAMPLE, example_copy, graph_signature

pytestmark = pytest.mark.neo4j


def _load(neo4j, source, **kw):
    """Load as `chainkg load` does: the validated report (a folder of CSV files: sent from its frames)."""
    from chainkg.loaders import read_dataset
    from chainkg.neo4j_io.writer import load_dataset

    report = read_dataset(source)
    assert report.ok(), report.problems
    drv = neo4j.driver()
    try:
        return load_dataset(drv, neo4j.settings.database, report, **kw)
    finally:
        drv.close()


def _graph(neo4j, **kw):
    from chainkg.neo4j_io.reader import read_graph

    drv = neo4j.driver()
    try:
        return read_graph(drv, neo4j.settings.database, **kw)
    finally:
        drv.close()


_signature = graph_signature


def _expected(source):
    from chainkg.graph_model.nx_graph import to_networkx
    from chainkg.loaders import load_valid

    return _signature(to_networkx(load_valid(source)))


def _query(neo4j, cypher, **params):
    drv = neo4j.driver()
    try:
        return [r.data() for r in drv.execute_query(cypher, params, database_=neo4j.settings.database).records]
    finally:
        drv.close()


def test_records_to_networkx_equals_records_to_neo4j_to_networkx(neo4j, tmp_path):
    from chainkg.synth import synth_dataset

    synth_dataset(tmp_path / "s", firms=150, seed=11)  # every table synth writes
    report = _load(neo4j, tmp_path / "s", batch_size=97)  # odd size: a partial last batch in every step
    assert _signature(_graph(neo4j)) == _expected(tmp_path / "s")
    tables = {s.table for s in report.steps}
    assert {"firms", "supplies", "lab_supports", "fund_investments", "projects.firm_id", "districts.parent_id",
            "targets", "metrics", "sources"} <= tables


def test_load_twice_is_idempotent(neo4j):
    first = _load(neo4j, EXAMPLE)
    assert sum(s.created for s in first.steps) == sum(s.total for s in first.steps)
    before = _signature(_graph(neo4j))
    second = _load(neo4j, EXAMPLE)
    assert sum(s.created for s in second.steps) == 0
    # nothing changed: every row unchanged, none "updated" (#22)
    assert sum(s.updated for s in second.steps) == 0
    assert sum(s.unchanged for s in second.steps) == sum(s.total for s in second.steps)
    assert _signature(_graph(neo4j)) == before == _expected(EXAMPLE)
    assert _query(neo4j, "MATCH (n:ChainKG) RETURN count(n) AS c") == [{"c": 16}]


def test_edited_dataset_updates_and_removes_emptied_properties(neo4j, tmp_path):
    _load(neo4j, EXAMPLE)
    _query(neo4j, "MATCH (f:Firm {id: 'F1'}) SET f.ana_pagerank = 0.5")
    edited = example_copy(tmp_path, firms=(
        "id,name,name_en,credit_code,district_id,local,revenue_100m_cny,revenue_year,tags,source_id,confidence\n"
        "F1,示例光伏电池有限公司,Example Cells Co.,,D2,是,13,2024,专精特新,S1,confirmed\n"))
    (edited / "firm_segments.csv").write_text("firm_id,segment_id\nF1,SG2\n")
    (edited / "supplies.csv").write_text("supplier_id,customer_id\n")
    _load(neo4j, edited)
    f1 = _query(neo4j, "MATCH (f:Firm {id: 'F1'}) RETURN properties(f) AS p")[0]["p"]
    assert f1["revenue_100m_cny"] == 13.0 and f1["tags"] == ["专精特新"]
    assert "credit_code" not in f1  # the emptied cell removed the property
    assert f1["ana_pagerank"] == 0.5  # analysis properties are never touched by load
    # removed rows stay without --prune ...
    assert _query(neo4j, "MATCH (f:Firm {id: 'F2'}) RETURN count(f) AS c") == [{"c": 1}]
    pruned = _load(neo4j, edited, prune=True)
    assert (pruned.pruned_nodes, pruned.pruned_rels) == (1, 0)  # F2; its relationships went with it
    assert _query(neo4j, "MATCH (f:Firm) RETURN collect(f.id) AS ids") == [{"ids": ["F1"]}]
    assert _signature(_graph(neo4j)) == _expected(edited)


def test_prune_removes_relationships_no_longer_in_the_files(neo4j, tmp_path):
    _load(neo4j, EXAMPLE)
    fewer = example_copy(tmp_path, segment_links="from_id,to_id\nSG1,SG2\nSG2,SG3\n")
    report = _load(neo4j, fewer, prune=True)
    assert (report.pruned_nodes, report.pruned_rels) == (0, 1)
    assert _signature(_graph(neo4j)) == _expected(fewer)


def test_replace_clears_first_but_not_other_data(neo4j, tmp_path):
    _query(neo4j, "CREATE (:NotOurs {id: 'x'})")
    _load(neo4j, EXAMPLE)
    small = example_copy(tmp_path)
    for name in os.listdir(small):
        if name not in ("clusters.csv", "chains.csv", "segments.csv", "sources.csv"):
            (small / name).unlink()
    report = _load(neo4j, small, replace=True)
    assert report.cleared_nodes == 16
    assert _signature(_graph(neo4j)) == _expected(small)
    assert _query(neo4j, "MATCH (n:NotOurs) RETURN count(n) AS c") == [{"c": 1}]


def test_constraints_and_fulltext_index(neo4j, tmp_path):
    ds = example_copy(tmp_path, firms=(
        "id,name,local\nF1,扬州晶澳太阳能科技有限公司,是\nF2,外地硅片集团,否\n"))
    _load(neo4j, ds)
    names = {r["name"] for r in _query(neo4j, "SHOW CONSTRAINTS YIELD name")}
    assert {"chainkg_firm_id", "chainkg_segment_id", "chainkg_chainkg_id"} <= names
    _query(neo4j, "CALL db.awaitIndexes(120)")
    hits = _query(neo4j, "CALL db.index.fulltext.queryNodes('chainkg_names', $q) YIELD node RETURN node.id AS id",
                  q="晶澳")
    assert hits == [{"id": "F1"}]


def test_invalid_dataset_writes_nothing(neo4j, tmp_path):
    bad = example_copy(tmp_path, segment_links="from_id,to_id\nSG1,SG1\n")
    env = {**os.environ, "NEO4J_URI": neo4j.settings.uri, "NEO4J_PASSWORD": neo4j.settings.password}
    res = subprocess.run([CHAINKG, "load", str(bad), "--lang", "en"], capture_output=True, text=True, env=env)
    assert res.returncode == 1
    assert "1 error(s), 0 warning(s); nothing was done." in res.stderr
    assert "Segment 'SG1' feeds itself." in res.stderr
    zh = subprocess.run([CHAINKG, "load", str(bad)], capture_output=True, text=True, env=env)  # the default: Chinese
    assert zh.returncode == 1 and "与自身相连" in zh.stderr
    assert _query(neo4j, "MATCH (n) RETURN count(n) AS c") == [{"c": 0}]


def test_dry_run_writes_nothing_and_counts(neo4j):
    env = {**os.environ, "NEO4J_URI": neo4j.settings.uri, "NEO4J_PASSWORD": neo4j.settings.password}
    _load(neo4j, EXAMPLE)
    _query(neo4j, "MATCH (f:Firm {id: 'F2'}) DETACH DELETE f")
    res = cli("load", EXAMPLE, "--dry-run", "--format", "json", env=env)
    assert res.returncode == 0, res.stderr
    import json

    steps = {s["name"]: s for s in json.loads(res.stdout)["steps"]}
    # F2 is new, F1 is there exactly as in the files: unchanged, not "updated" (#22)
    assert (steps["Firm"]["created"], steps["Firm"]["updated"], steps["Firm"]["unchanged"]) == (1, 0, 1)
    assert steps["SUPPLIES (Firm→Firm)"]["created"] == 1
    assert _query(neo4j, "MATCH (f:Firm) RETURN count(f) AS c") == [{"c": 1}]


def test_unreachable_and_wrong_password_exit_2(neo4j):
    from chainkg.server import free_port

    port = free_port()
    env = {**os.environ, "NEO4J_URI": f"bolt://127.0.0.1:{port}", "NEO4J_PASSWORD": "whatever1"}
    res = subprocess.run([CHAINKG, "load", str(EXAMPLE)], capture_output=True, text=True, env=env)
    assert res.returncode == 2 and f"Cannot reach Neo4j at bolt://127.0.0.1:{port}" in res.stderr
    env = {**os.environ, "NEO4J_URI": neo4j.settings.uri, "NEO4J_PASSWORD": "wrong-password"}
    res = subprocess.run([CHAINKG, "load", str(EXAMPLE)], capture_output=True, text=True, env=env)
    assert res.returncode == 2 and "refused the credentials of user 'neo4j'" in res.stderr


def test_failure_midway_reports_and_rerun_completes(neo4j, tmp_path):
    from chainkg.errors import LoadError
    from chainkg.synth import synth_dataset

    synth_dataset(tmp_path / "s", firms=300, seed=5)
    calls = []

    def boom(step):
        calls.append(step.name)
        if step.name == "Firm" and step.batches_done == 2:
            raise RuntimeError("hook: stop after 2 Firm batches")

    with pytest.raises(LoadError) as exc:
        _load(neo4j, tmp_path / "s", batch_size=100, after_batch=boom)
    msg = str(exc.value)
    assert "The load stopped while writing nodes Firm, batch 3 of 3" in msg
    assert "nodes Segment (segments): " in msg and "rows committed" in msg
    assert "nodes Firm (firms): 200/300 rows PARTLY committed: batches 1-2 of 3" in msg
    assert "rels SUPPLIES (Firm→Firm) (supplies): 0/" in msg and "rows NOT written" in msg
    report = exc.value.report
    assert [s.written for s in report.steps if s.name == "Firm"] == [200]
    assert _query(neo4j, "MATCH (f:Firm) RETURN count(f) AS c") == [{"c": 200}]
    _load(neo4j, tmp_path / "s", batch_size=100)  # rerun completes, no duplicates
    assert _signature(_graph(neo4j)) == _expected(tmp_path / "s")


# the server killed mid-load, restarted and loaded again: tests/test_server.py (one dedicated instance)


def test_export_from_neo4j_round_trips(neo4j, tmp_path):
    from chainkg.synth import synth_dataset

    synth_dataset(tmp_path / "s", firms=200, seed=2)
    _load(neo4j, tmp_path / "s")
    env = {**os.environ, "NEO4J_URI": neo4j.settings.uri, "NEO4J_PASSWORD": neo4j.settings.password}
    res = cli("export", "--from-neo4j", "-o", tmp_path / "back.xlsx", env=env)
    assert res.returncode == 0, res.stderr
    assert _expected(tmp_path / "back.xlsx") == _expected(tmp_path / "s")  # export -> validate -> same graph
