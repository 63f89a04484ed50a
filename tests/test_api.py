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


def test_findings_functions_resolve_names_and_return_plain_records():
    import chainkg
    from chainkg.errors import UsageError

    a = chainkg.analyze(chainkg.open_graph("docs/example"))
    by_id = chainkg.gaps(a, chain="CH1")
    assert by_id == chainkg.gaps(a, chain="晶硅光伏") == chainkg.gaps(a, chain="Crystalline-silicon PV")
    assert all(isinstance(r, dict) for r in by_id) and [r["rank"] for r in by_id] == [1, 2, 3, 4]
    assert [p["segment_id"] for p in chainkg.prospects(a, segment="Wafers")] == ["SG1"]
    with pytest.raises(UsageError, match="--chain 'Atlantis'"):
        chainkg.gaps(a, chain="Atlantis")


def test_to_frame_flattens_like_the_csv_output():
    pd = pytest.importorskip("pandas")
    import chainkg

    a = chainkg.analyze(chainkg.open_graph("docs/example"))
    df = chainkg.to_frame(chainkg.gaps(a, lang="en"), lang="en")
    assert isinstance(df, pd.DataFrame) and len(df) == 4
    assert df.loc[0, "priority"] == 5.7 and df.loc[0, "priority_parts"].startswith("key=3; kind=0")


def test_to_frame_without_pandas_says_how_to_get_it(monkeypatch):
    import builtins

    import chainkg
    from chainkg.errors import EnvironmentProblem

    real = builtins.__import__
    monkeypatch.setattr(builtins, "__import__", lambda name, *a, **k: (_ for _ in ()).throw(ImportError(name))
                        if name == "pandas" else real(name, *a, **k))
    with pytest.raises(EnvironmentProblem) as exc:
        chainkg.to_frame([])
    assert "chainkg[pandas]" in exc.value.hint


def test_scikit_learn_is_imported_by_intake_only():
    """The report, the explorer's data and every command but intake run without importing scikit-learn."""
    code = ("import sys, chainkg, chainkg.cli, chainkg.web.app\n"
            "from chainkg.api import scenarios\n"
            "rep = chainkg.build_report(chainkg.analyze(chainkg.open_graph()), with_maps=False)\n"
            "scenarios.monitor(chainkg.open_graph())\n"
            "before = 'sklearn' in sys.modules\n"
            "from chainkg.intake.ranker import Ranker\n"
            "Ranker(['S1'], ['光伏']).fit(['光伏 组件'], [['S1']])\n"
            "print(before, 'sklearn' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False True"


def test_intake_without_scikit_learn_says_how_to_get_it(monkeypatch):
    import builtins

    from chainkg.errors import EnvironmentProblem
    from chainkg.intake.ranker import Ranker

    real = builtins.__import__
    monkeypatch.setattr(builtins, "__import__", lambda name, *a, **k: (_ for _ in ()).throw(ImportError(name))
                        if name.startswith("sklearn") else real(name, *a, **k))
    with pytest.raises(EnvironmentProblem) as exc:
        Ranker(["S1"], ["光伏"]).fit(["光伏 组件"], [["S1"]])
    assert "scikit-learn" in str(exc.value) and "pip install" in exc.value.hint
