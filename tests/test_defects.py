"""Defects found when chainkg was tried as a new user would (issue #13 §5), each pinned."""

from __future__ import annotations

from click.testing import CliRunner


def _cli(*args):
    from chainkg.cli import main

    res = CliRunner().invoke(main, list(args))
    assert res.exit_code == 0, res.output
    return res


def test_key_firms_are_joined_to_chains_by_id_not_display_name():
    import chainkg
    from chainkg.testing import tiny_graph

    # two chains with a link of the same English name ("System integration"); F is the only local firm of Q's
    g = tiny_graph({"K": [("K-SI", "downstream")], "Q": [("Q-SI", "downstream")]}, firms={"F": (True, ["Q-SI"])})
    for s in ("K-SI", "Q-SI"):
        g.nodes[s]["name_en"] = "System integration"
    rep = chainkg.build_report(chainkg.analyze(g), lang="en", with_maps=False)
    keys = {c["chain_id"]: [k["firm_id"] for k in c["key_firms"]] for c in rep["chains"]}
    assert keys == {"K": [], "Q": ["F"]}  # by name, F was listed under K too


def test_bundled_storage_key_firm_is_not_listed_under_machine_tools():
    import chainkg

    rep = chainkg.build_report(chainkg.analyze(chainkg.open_graph()), lang="en", with_maps=False)
    keys = {c["chain_id"]: {k["firm_id"] for k in c["key_firms"]} for c in rep["chains"]}
    # 中车株洲所 is the only local firm of storage "System integration" (ES-SI); MT-SI has the same English name
    assert "F-CRRC" in keys["ES"] and "F-CRRC" not in keys["MT"]


def test_report_top_n_reaches_the_terminal_summary():
    out = _cli("report", "--format", "table", "--top", "3", "--lang", "en").stdout
    assert "Top 3 gaps" in out and "Top 10 gaps" not in out
    rows = [line for line in out.splitlines() if line.startswith("│ ") and line.split("│")[1].strip().isdigit()]
    assert [line.split("│")[1].strip() for line in rows][-3:] == ["1", "2", "3"]
    out = _cli("report", "--format", "table", "--top", "12").stdout
    assert "全市优先缺口（前 12）" in out


def test_english_csv_prints_booleans_in_english():
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(_cli("gaps", "--lang", "en", "--format", "csv").stdout)))
    assert {r["key"] for r in rows} == {"yes", "no"} and {r["absence confirmed"] for r in rows} == {"no"}
    zh = list(csv.DictReader(io.StringIO(_cli("gaps", "--format", "csv").stdout)))
    assert {r["关键环节"] for r in zh} == {"是", "否"}


def test_one_unreadable_file_does_not_hide_the_others_problems(tmp_path):
    from helpers import example_copy

    ds = example_copy(tmp_path, firms="id,name,local\nF1,甲,maybe\n")
    (ds / "clusters.csv").write_bytes(b"id,name\nCL1,\x81\x20\xff\xfe\n")
    from chainkg.cli import main

    res = CliRunner().invoke(main, ["validate", str(ds), "--format", "csv"])
    assert res.exit_code == 1
    assert "clusters.csv" in res.stdout and "bad_encoding" in res.stdout
    assert "firms.csv" in res.stdout and "bad_bool" in res.stdout  # read and checked in the same run
