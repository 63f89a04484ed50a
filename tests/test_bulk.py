"""`chainkg load --bulk`: Neo4j's offline importer gives the graph `load` gives; it refuses a
non-empty database and a server that is not the project's own."""

from __future__ import annotations

import pytest

from chainkg.connection import ConnectionSettings
from chainkg.errors import UsageError
from chainkg.loaders import read_dataset
from chainkg.neo4j_io.bulk import NotEmpty, bulk_load
from chainkg.neo4j_io.version import read_version
from chainkg.neo4j_io.writer import load_dataset
from chainkg.synth import synth_dataset


def snapshot(driver, database):  # the data (:ChainKG): a load bumps the version counter, an import does not
    nodes, _, _ = driver.execute_query(
        "MATCH (n:ChainKG) RETURN n.id AS id, labels(n) AS labels, properties(n) AS props", database_=database)
    rels, _, _ = driver.execute_query(
        "MATCH (a:ChainKG)-[r]->(b:ChainKG) RETURN type(r) AS type, a.id AS a, b.id AS b, properties(r) AS props", database_=database)
    return (sorted((r["id"], sorted(r["labels"]), sorted(r["props"].items())) for r in nodes),
            sorted((r["type"], r["a"], r["b"], sorted(r["props"].items())) for r in rels))


def schema(driver, database):
    records, _, _ = driver.execute_query("SHOW INDEXES YIELD name, type RETURN name, type ORDER BY name",
                                         database_=database)
    return [(r["name"], r["type"]) for r in records if r["name"].startswith("chainkg")]


@pytest.mark.neo4j
def test_bulk_gives_the_graph_load_gives(neo4j, tmp_path):
    if neo4j.server is None:
        pytest.skip("an external test server: --bulk needs the project's own")
    synth_dataset(tmp_path / "d", firms=100, seed=5)  # every table synth writes (19), 100 firms
    supplies = tmp_path / "d" / "supplies.csv"
    header, line = supplies.read_text(encoding="utf-8").splitlines()[:2]
    again = dict(zip(header.split(","), line.split(","), strict=True)) | {"source_id": "", "confidence": "confirmed"}
    with supplies.open("a", encoding="utf-8") as fh:  # a repeated pair (other properties): merged the same way
        fh.write(",".join(again[c] for c in header.split(",")) + "\n")
    report = read_dataset(tmp_path / "d")
    assert report.ok() and any(p.code == "repeated_pair" for p in report.problems)
    db = neo4j.settings.database
    with neo4j.driver() as driver:
        load_dataset(driver, db, read_dataset(tmp_path / "d").dataset)
        by_load, schema_by_load = snapshot(driver, db), schema(driver, db)
        with pytest.raises(NotEmpty) as refused:
            bulk_load(report, neo4j.settings, neo4j.server)
        assert refused.value.exit_code == 2 and "not empty" in refused.value.message
        # the data gone, the version counter kept (as `load --replace` leaves it): empty enough for --bulk
        driver.execute_query("MATCH (n:ChainKG) DETACH DELETE n", database_=db)
        with driver.session(database=db) as session:
            before = session.execute_read(read_version)
        assert before >= 1  # the load bumped it
    result = bulk_load(report, neo4j.settings, neo4j.server)
    with neo4j.driver() as driver:
        with driver.session(database=db) as session:  # the import replaced the counter: carried over, plus one
            assert session.execute_read(read_version) == result.version == before + 1
        assert snapshot(driver, db) == by_load
        assert schema(driver, db) == schema_by_load
        driver.execute_query("MATCH (n) DETACH DELETE n", database_=db)
        # the online load sent from the column-wise frames (what `chainkg load` does): the same graph again
        load_dataset(driver, db, read_dataset(tmp_path / "d"), batch_size=250)
        assert snapshot(driver, db) == by_load
    assert result.nodes["Firm"] == 100 and result.records == len(by_load[0]) + len(by_load[1])


@pytest.mark.parametrize("source", ["yangzhou-613", "tests/fixtures/small", "synth"])
def test_the_load_plan_from_frames_is_the_dataset_plan(source, tmp_path):
    """`load` sends the column-wise reader's frames a batch at a time: the same steps, and in each step
    the same rows (every declared property, None where empty) as the plan of the Dataset objects."""
    from chainkg.neo4j_io.plan import FrameRows, build_plan, plan_of

    if source == "synth":
        synth_dataset(tmp_path / "d", firms=300, seed=2)
        source = tmp_path / "d"
    frames, objects = plan_of(read_dataset(source)), build_plan(read_dataset(source).dataset)
    assert all(isinstance(s.rows, FrameRows) for s in frames)
    assert [(s.kind, s.name, s.table, len(s.rows)) for s in frames] == [(s.kind, s.name, s.table, len(s.rows))
                                                                        for s in objects]
    key = lambda r: (r.get("id") or "", r.get("start") or "", r.get("end") or "")
    for a, b in zip(frames, objects, strict=True):
        rows = list(a.rows[0:len(a.rows)])
        assert (rows if a.kind == "nodes" else sorted(rows, key=key)) == (
            b.rows if b.kind == "nodes" else sorted(b.rows, key=key)), a.name
        if len(a.rows) > 3:  # batches are contiguous slices of the same rows
            assert a.rows[1:3] == rows[1:3] and a.rows[2] == rows[2]


def test_bulk_refuses_another_server_or_none(tmp_path):
    from chainkg.server import LocalServer

    small = read_dataset("tests/fixtures/small")
    other = ConnectionSettings("bolt://db.example.org:7687", "neo4j", "x", "neo4j")
    with pytest.raises(UsageError) as refused:
        bulk_load(small, other, LocalServer(tmp_path / "home"))
    assert "only loads into the project's own local server" in refused.value.message
    assert refused.value.exit_code == 2
    local = ConnectionSettings("bolt://127.0.0.1:17687", "neo4j", "x", "neo4j")
    with pytest.raises(UsageError, match="not running"):
        bulk_load(small, local, LocalServer(tmp_path / "home"))
