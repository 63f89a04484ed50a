"""The Cypher library against the real Neo4j, on tests/fixtures/small (answers worked out by hand)."""

from __future__ import annotations

import json
import os

import pytest

from chainkg.errors import UsageError
from conftest import FIXTURES, cli

pytestmark = pytest.mark.neo4j
SMALL = FIXTURES / "small"


@pytest.fixture(scope="module")
def loaded(neo4j_server):
    """The small fixture loaded once for the module (tests here only read)."""
    from chainkg.loaders import load_valid
    from chainkg.neo4j_io.writer import load_dataset
    from conftest import _wipe

    drv = neo4j_server.driver()
    _wipe(drv, neo4j_server.settings.database)
    load_dataset(drv, neo4j_server.settings.database, load_valid(SMALL))
    drv.execute_query("CALL db.awaitIndexes(120)", database_=neo4j_server.settings.database)
    yield neo4j_server
    drv.close()


def q(loaded, name, **params):
    from chainkg.cypher import library as lib

    query = lib.get(name)
    bound = lib.bind(query, {k: str(v) for k, v in params.items()})
    drv = loaded.driver()
    try:
        return lib.run(drv, loaded.settings.database, query, bound)[1]
    finally:
        drv.close()


def test_the_library_has_at_least_a_dozen_documented_queries():
    from chainkg.cypher.library import library

    lib = library()
    assert len(lib) >= 12
    for query in lib.values():
        assert query.description.get("zh") and query.description.get("en"), query.name


def test_chain_segments(loaded):
    rows = q(loaded, "chain_segments", chain="光伏")
    assert [(r["segment_id"], r["stage"], r["local_firms"], r["outside_firms"]) for r in rows] == [
        ("P1", "upstream", 1, 0), ("P2", "midstream", 1, 0), ("P3", "midstream", 1, 0), ("P4", "downstream", 0, 1)]
    assert q(loaded, "chain_segments", chain="PV") == rows  # English name works too


def test_chain_gaps(loaded):
    rows = q(loaded, "chain_gaps", chain="CH2")
    # E2 feeds P4 (no local firm) and E3; E3 feeds E1 (local FD); E4 is unlinked
    assert [(r["segment_id"], r["pulled_by"], r["outside_candidates"]) for r in rows] == [
        ("E3", ["电芯（储能）"], 1), ("E2", [], 0), ("E4", [], 0)]


def test_segment_firms_local_first(loaded):
    rows = q(loaded, "segment_firms", segment="组件")
    assert [(r["firm_id"], r["local"], r["district"]) for r in rows] == [("FC", True, "经开区")]
    rows = q(loaded, "segment_firms", segment="P4")
    assert [(r["firm_id"], r["local"], r["revenue_100m_cny"]) for r in rows] == [("FX", False, 300.0)]


def test_firm_network_two_hops(loaded):
    rows = q(loaded, "firm_network", firm="甲硅片")
    assert [(r["role"], r["hops"], r["other_id"]) for r in rows] == [("customer", 1, "FB"), ("customer", 2, "FC")]
    rows = q(loaded, "firm_network", firm="FC", hops=1)
    assert [(r["role"], r["hops"], r["other_id"]) for r in rows] == [("supplier", 1, "FB"), ("supplier", 1, "FD")]


def test_supply_paths(loaded):
    rows = q(loaded, "supply_paths", **{"from": "FA", "to": "丙组件"})
    assert rows == [{"path": ["甲硅片", "乙电池", "丙组件"], "ids": ["FA", "FB", "FC"], "hops": 2}]
    assert q(loaded, "supply_paths", **{"from": "FA", "to": "FC", "max_hops": 1}) == []


def test_district_chains_include_sub_districts(loaded):
    rows = q(loaded, "district_chains", district="高邮市")
    assert [(r["chain"], r["segment_id"], r["firms"], r["located_in"]) for r in rows] == [
        ("储能", "E1", ["丁电芯"], ["高邮市"]), ("光伏", "P1", ["甲硅片"], ["高邮市"]),
        ("光伏", "P2", ["乙电池"], ["甘垛园区"])]  # 甘垛园区 is PART_OF 高邮市


def test_chain_backers(loaded):
    rows = q(loaded, "chain_backers", chain="CH1")
    assert [(r["kind"], r["id"], sorted(r["backs"])) for r in rows] == [
        ("lab", "L1", ["光伏", "电池片"]), ("fund", "FD1", ["光伏"])]


def test_fund_portfolio(loaded):
    rows = q(loaded, "fund_portfolio", fund="新能源基金")
    assert [(r["chain"], sorted(r["firms"]), r["amount_100m_cny"]) for r in rows] == [
        ("光伏", ["外地组件集团", "甲硅片"], 3.5)]


def test_chain_leaders(loaded):
    rows = q(loaded, "chain_leaders", chain="光伏")
    # FA is tagged 链主; then one segment each, by revenue: FB 60, FC 25
    assert [(r["firm_id"], r["tagged_chain_leader"]) for r in rows] == [("FA", True), ("FB", False), ("FC", False)]
    assert (rows[0]["customers"], rows[1]["suppliers"], rows[1]["customers"]) == (["乙电池"], ["甲硅片"], ["丙组件"])
    assert sorted(rows[2]["suppliers"]) == ["丁电芯", "乙电池"] and rows[2]["customers"] == []


def test_projects(loaded):
    assert [(r["project_id"], r["chain"], r["segment"], r["firm"]) for r in q(loaded, "projects", status="signed")] == [
        ("PR1", "光伏", "硅片", "甲硅片")]
    assert [r["project_id"] for r in q(loaded, "projects")] == ["PR2", "PR1"]  # landed < signed


def test_revenue_tiers(loaded):
    rows = q(loaded, "revenue_tiers")
    assert [(r["threshold"], r["firms"], r["unknown_revenue"], r["city_target"]) for r in rows] == [
        (500, 1, 0, 1), (100, 2, 0, 2), (50, 3, 0, None), (20, 4, 0, None)]
    rows = q(loaded, "revenue_tiers", chain="光伏")
    assert [r["firms"] for r in rows] == [0, 1, 2, 3]


def test_single_points_supplying_other_chains(loaded):
    rows = q(loaded, "single_points_supplying_other_chains")
    # E1's only local firm FD supplies FC, which works in 光伏; FA and FB supply within their own chain
    assert [(r["segment_id"], r["firm_id"], r["also_supplies_chains"]) for r in rows] == [("E1", "FD", ["光伏"])]


def test_search_names_finds_a_fragment(loaded):
    ids = {r["id"] for r in q(loaded, "search_names", q="组件")}
    assert ids == {"P3", "FC", "FX", "PR2"}  # 组件, 丙组件, 外地组件集团, 组件工厂


def _nx_status(source):
    from chainkg.analysis.status import classify_segments
    from chainkg.graph_model.nx_graph import to_networkx
    from chainkg.loaders import load_valid

    return {s: (r.status, r.direction, r.pulls, r.local_ancestors, r.local_descendants)
            for s, r in classify_segments(to_networkx(load_valid(source))).items()}


def _cypher_status(neo4j):
    from chainkg.cypher import library as lib

    drv = neo4j.driver()
    try:
        rows = lib.run(drv, neo4j.settings.database, lib.get("segment_status"),
                       lib.bind(lib.get("segment_status"), {}))[1]
    finally:
        drv.close()
    return {r["segment_id"]: (r["status"], r["direction"], r["pulls"], r["local_ancestors"], r["local_descendants"])
            for r in rows}


def test_segment_status_agrees_with_networkx_on_the_fixture(loaded):
    cy = _cypher_status(loaded)
    assert cy == _nx_status(SMALL)
    assert {s: v[0] for s, v in cy.items()} == {
        "P1": "single", "P2": "single", "P3": "single", "P4": "gap_extend", "E1": "single",
        "E2": "gap_extend", "E3": "gap_fill", "E4": "gap_unlinked"}


def test_cypher_in_a_parameter_is_data(loaded):
    drv = loaded.driver()
    before = drv.execute_query("MATCH (n) RETURN count(n) AS c", database_=loaded.settings.database).records[0]["c"]
    for evil in ("x'}) DETACH DELETE n //", "光伏' OR 1=1 //", "\") MATCH (n) DETACH DELETE n //"):
        with pytest.raises(UsageError, match="no Chain has this id or name"):  # checked first, as data (#22)
            q(loaded, "chain_segments", chain=evil)
        assert q(loaded, "search_names", q="\"" + evil.replace('"', "") + "\"") == []
    after = drv.execute_query("MATCH (n) RETURN count(n) AS c", database_=loaded.settings.database).records[0]["c"]
    drv.close()
    assert after == before


def test_library_queries_are_read_only(loaded):
    from neo4j.exceptions import ClientError

    from chainkg.cypher.library import Query, run

    drv = loaded.driver()
    with pytest.raises(ClientError, match="(?i)write"):
        run(drv, loaded.settings.database, Query("w", "CREATE (:Oops)"), {})
    drv.close()


def _cli(loaded, *args):
    env = {**os.environ, "NEO4J_URI": loaded.settings.uri, "NEO4J_PASSWORD": loaded.settings.password}
    return cli("query", *args, env=env)


def test_query_cli(loaded):
    listed = json.loads(_cli(loaded, "list", "--format", "json").stdout)
    assert {"name", "description", "params"} == set(listed[0])
    seg = next(x for x in listed if x["name"] == "firm_network")
    assert seg["params"][1] == {"name": "hops", "type": "int", "required": False, "default": 2,
                                "description": "how many SUPPLIES steps (1 or 2)"}
    res = _cli(loaded, "run", "chain_segments", "-p", "chain=光伏", "--format", "json")
    assert res.returncode == 0 and len(json.loads(res.stdout)) == 4
    res = _cli(loaded, "run", "chain_segments", "-p", "chain=光伏", "--format", "csv")
    assert res.stdout.splitlines()[0].startswith("\ufeffchain,segment_id,segment,stage")  # BOM for Excel


@pytest.mark.parametrize("args,message", [
    (["run", "nope"], "No query named 'nope'."),
    (["run", "chain_segments"], "Query chain_segments needs -p chain=..."),
    (["run", "chain_segments", "-p", "chain=PV", "-p", "colour=red"], "Query chain_segments has no parameter colour."),
    (["run", "firm_network", "-p", "firm=FA", "-p", "hops=two"], "Parameter hops must be an int, not 'two'."),
    (["run", "chain_segments", "-p", "chain"], "-p 'chain' is not KEY=VALUE."),
])
def test_query_cli_errors_exit_2(loaded, args, message):
    res = _cli(loaded, *args)
    assert res.returncode == 2 and message in res.stderr, res.stderr
