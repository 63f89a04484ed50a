"""`chainkg analyze --write`: the analysis on the graph, rerunnable, and never touched by `load`."""

from __future__ import annotations

import os
import subprocess

import pytest

from conftest import CHAINKG, FIXTURES, cli

pytestmark = pytest.mark.neo4j


def _state(neo4j):
    drv = neo4j.driver()
    try:
        recs = drv.execute_query(
            "MATCH (n:ChainKG) WHERE n:Segment OR n:Firm RETURN n.id AS id, labels(n) AS labels, "
            "[k IN keys(n) WHERE k STARTS WITH 'ana_' AND k <> 'ana_run_at' | [k, n[k]]] AS ana ORDER BY id",
            database_=neo4j.settings.database).records
        return [(r["id"], sorted(r["labels"]), sorted(map(tuple, r["ana"]))) for r in recs]
    finally:
        drv.close()


def test_analyze_write_twice_and_labels_match_networkx(neo4j, tmp_path):
    from chainkg.analysis.status import classify_segments
    from chainkg.graph_model.nx_graph import to_networkx
    from chainkg.graph_model.schema import STATUS_LABELS
    from chainkg.loaders import load_valid
    from chainkg.synth import synth_dataset

    synth_dataset(tmp_path / "s", firms=60, seed=1)
    env = {**os.environ, "NEO4J_URI": neo4j.settings.uri, "NEO4J_PASSWORD": neo4j.settings.password}
    assert cli("load", tmp_path / "s", env=env).returncode == 0
    res = cli("analyze", "--write", env=env)
    assert res.returncode == 0, res.stderr
    first = _state(neo4j)
    assert cli("analyze", "--write", env=env).returncode == 0
    assert _state(neo4j) == first  # a rerun changes nothing but ana_run_at
    expected = {s: STATUS_LABELS[r.status] for s, r in classify_segments(to_networkx(load_valid(tmp_path / "s"))).items()}
    status_labels = set(STATUS_LABELS.values())
    got = {}
    for node_id, labels, ana in first:
        marks = [x for x in labels if x in status_labels]
        if "Segment" in labels:
            assert len(marks) == 1, (node_id, labels)  # exactly one status label
            got[node_id] = marks[0]
            assert dict(ana)["ana_status"] == [k for k, v in STATUS_LABELS.items() if v == marks[0]][0]
        else:
            assert marks == []
    assert got == expected
    # load never touches ana_* properties or status labels
    assert subprocess.run([CHAINKG, "load", str(tmp_path / "s")], env=env, capture_output=True).returncode == 0
    assert _state(neo4j) == first  # (the installed command, in its own process)


def test_stale_analysis_is_removed(neo4j):
    from chainkg.analysis import analyze
    from chainkg.graph_model.nx_graph import to_networkx
    from chainkg.loaders import load_valid
    from chainkg.neo4j_io.analysis_writer import write_analysis
    from chainkg.neo4j_io.writer import load_dataset

    drv = neo4j.driver()
    db = neo4j.settings.database
    ds = load_valid(FIXTURES / "small")
    load_dataset(drv, db, ds)
    write_analysis(drv, db, analyze(to_networkx(ds)))
    assert drv.execute_query("MATCH (s:Segment {id: 'P4'}) RETURN s:GapExtend AS g, s.ana_status AS st",
                             database_=db).records[0].data() == {"g": True, "st": "gap_extend"}
    # a local firm arrives in P4: its status label and properties change, no second label remains
    drv.execute_query("CREATE (f:Firm:ChainKG {id: 'FN', name: '新来企业', local: true}) WITH f "
                      "MATCH (s:Segment {id: 'P4'}) CREATE (f)-[:IN_SEGMENT]->(s)", database_=db)
    from chainkg.neo4j_io.reader import read_graph

    rep = write_analysis(drv, db, analyze(read_graph(drv, db)))
    rec = drv.execute_query("MATCH (s:Segment {id: 'P4'}) RETURN labels(s) AS l, s.ana_status AS st",
                            database_=db).records[0]
    assert rec["st"] == "single" and "GapExtend" not in rec["l"] and "SinglePoint" in rec["l"]
    assert rep.firms == 7 and rep.not_in_graph == []
    # an analysis of only part of the graph clears the rest (nothing stale survives)
    part = to_networkx(load_valid(FIXTURES / "small"))
    part.remove_nodes_from(["CH2", "E1", "E2", "E3", "E4"])
    rep = write_analysis(drv, db, analyze(part))
    assert rep.cleared_segments == 4
    left = drv.execute_query("MATCH (s:Segment {id: 'E1'}) RETURN s.ana_status AS st, labels(s) AS l",
                             database_=db).records[0]
    assert left["st"] is None and sorted(left["l"]) == ["ChainKG", "Segment"]
    drv.close()


def test_grass_style_covers_every_label():
    from chainkg.browser import style_text
    from chainkg.graph_model.schema import LABELS, REL_TYPES, STATUS_LABELS

    text = style_text()
    for lbl in (*LABELS, *STATUS_LABELS.values()):
        assert f"node.{lbl} {{" in text, lbl
    for rel in REL_TYPES:
        assert f"relationship.{rel} {{" in text, rel
    # status rules come after Segment's, so they win for a segment with a status label
    assert text.index("node.Segment {") < text.index("node.GapFill {") < text.index("node.Present {")
    assert '#E53935' in text.split("node.GapFill {")[1].split("}")[0]
    assert "/*" not in text  # the Browser's GraSS parser gets no comments


def test_browser_command_prints_urls(tmp_path):
    env = {"CHAINKG_HOME": str(tmp_path), "NEO4J_URI": "bolt://db.example:7687", "CHAINKG_BROWSER_URL": None}
    res = cli("browser", env=env)
    assert res.stdout.strip() == "http://db.example:7474/browser/"
    res = cli("browser", env={**env, "NEO4J_URI": None})
    assert res.returncode == 2 and "No Neo4j Browser known" in res.stderr
    style = cli("browser", "--style")
    assert style.stdout.startswith("node {")


def test_link_escaping():
    from chainkg.cypher.browser_link import browser_link, cypher_literal, params_command
    from chainkg.cypher.library import Query, get

    # & and # would cut the Browser's URL parsing even percent-encoded: they become Cypher escapes
    assert cypher_literal("A&B#1") == '"A\\u0026B\\u00231"'
    assert cypher_literal('say "hi"\\') == '"say \\"hi\\"\\\\"'
    assert params_command({"odd key": 1}) == ":params {`odd key`: 1}"
    url = browser_link("http://h:7474/browser", get("chain_gaps"), {"chain": "x'}) DETACH DELETE n //&#"})
    assert url.count("&") == 2 and "#" not in url  # cmd=edit & two args, nothing else
    with pytest.raises(ValueError, match="contains &"):
        browser_link("http://h/browser/", Query("bad", "RETURN 'a&b'"), {})
