"""The front door: chainkg.open_graph / analyze / build_report, lazily imported."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import FIXTURES


def test_import_chainkg_is_light_and_the_front_door_is_lazy():
    code = ("import sys, chainkg; heavy = [m for m in ('networkx', 'chainkg.api', 'neo4j', 'openpyxl') "
            "if m in sys.modules]; g = chainkg.open_graph; print(heavy, 'chainkg.api' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[] True"


def test_open_graph_analyze_build_report_on_a_small_dataset():
    import chainkg

    g = chainkg.open_graph(FIXTURES / "small")
    assert g.graph["dataset"] == "small"
    a = chainkg.analyze(g)
    assert set(a.statuses) == {n for n, d in g.nodes(data=True) if d["label"] == "Segment"}
    rep = chainkg.build_report(a, lang="en", with_maps=False)
    assert rep["dataset"] == "small" and rep["title"] == "small: industry-chain report"
    assert "map_svg" not in rep["chains"][0]


def test_analyze_resolves_a_district_by_name_and_reads_a_points_file(tmp_path):
    import chainkg
    from chainkg.analysis.weights import default_weights
    from chainkg.errors import UsageError

    g = chainkg.open_graph()
    a = chainkg.analyze(g, district="高邮市")
    assert a.district is not None and g.nodes[a.district]["name"] == "高邮市"
    w = tmp_path / "w.yaml"
    w.write_text("thin_threshold: 5\n", encoding="utf-8")
    assert chainkg.analyze(g, weights=w).weights.thin_threshold == 5
    assert chainkg.analyze(g, weights=default_weights().model_copy(update={"thin_threshold": 4})).weights.thin_threshold == 4
    with pytest.raises(UsageError, match="--district 'Atlantis'"):
        chainkg.analyze(g, district="Atlantis")


def test_open_graph_refuses_a_dataset_with_errors_naming_every_problem(tmp_path):
    import chainkg
    from chainkg.errors import DataError
    from helpers import example_copy

    ds = example_copy(tmp_path, firms="id,name,local\nF1,甲,maybe\nF2,,是\n")
    with pytest.raises(DataError) as exc:
        chainkg.open_graph(ds)
    assert {p.code for p in exc.value.problems} >= {"bad_bool", "missing_value"}
    assert "nothing was done" in exc.value.message
