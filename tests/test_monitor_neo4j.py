"""红绿黄灯 on the graph: `analyze --write` labels TechItems, the library query reads them back."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

pytestmark = pytest.mark.neo4j


def test_light_labels_written_replaced_and_queried(neo4j, tmp_path, monkeypatch):
    from chainkg.cli import main
    from chainkg.cypher import library as lib
    from chainkg.synth import SYNTH_AS_OF, synth_dataset

    synth_dataset(tmp_path / "s", firms=60, seed=1)
    monkeypatch.setenv("NEO4J_URI", neo4j.settings.uri)
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j.settings.password)
    runner = CliRunner()
    assert runner.invoke(main, ["load", str(tmp_path / "s")]).exit_code == 0
    res = runner.invoke(main, ["analyze", "--write", "--as-of", SYNTH_AS_OF])
    assert res.exit_code == 0, res.output
    assert "LightGreen 4, LightRed 4, LightYellow 4, none 1" in res.output
    drv = neo4j.driver()
    db = neo4j.settings.database

    def labels():
        recs = drv.execute_query("MATCH (t:TechItem) RETURN t.id AS id, [x IN labels(t) WHERE x STARTS WITH 'Light'] "
                                 "AS l, t.ana_light AS light ORDER BY id", database_=db).records
        return {r["id"]: (r["l"], r["light"]) for r in recs}

    first = labels()
    assert first["TI4"] == (["LightRed"], "red") and first["TI13"] == ([], None)
    assert all(len(v[0]) <= 1 for v in first.values())
    query = lib.get("tech_lights")
    rows = lib.run(drv, db, query, lib.bind(query, {"light": "red"}))[1]
    assert {r["item_id"] for r in rows} == {"TI1", "TI4", "TI7", "TI10"}
    assert rows[0]["reasons"] and rows[0]["as_of"] == SYNTH_AS_OF and rows[0]["milestones"]
    # the monitor reads the same lights from the graph as from the files
    import json

    args = ["monitor", "--as-of", SYNTH_AS_OF, "--format", "json"]
    from_graph = json.loads(runner.invoke(main, [*args, "--from-neo4j"]).stdout)
    from_files = json.loads(runner.invoke(main, [*args, "--data", str(tmp_path / "s")]).stdout)
    assert [(r["item_id"], r["light"], r["reasons"]) for r in from_graph] == \
        [(r["item_id"], r["light"], r["reasons"]) for r in from_files]
    # replay a year earlier: nothing has started or is due, no progress is known yet; labels are replaced
    assert runner.invoke(main, ["analyze", "--write", "--as-of", "2025-06-30"]).exit_code == 0
    later = labels()
    assert later["TI4"] == (["LightGreen"], "green") and later["TI1"] == (["LightGreen"], "green")
    assert all(len(v[0]) <= 1 for v in later.values())
    drv.close()
