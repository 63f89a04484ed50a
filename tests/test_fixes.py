"""Issue #22: silent wrong answers, crashes and wrong exits, one language at a time, files Excel opens.

Each test failed before its fix; the answers are worked out by hand on tiny graphs and files.
"""

from __future__ import annotations

import csv
import io

import pytest

from conftest import cli
from helpers import example_copy, problems

BOM = "\ufeff"


def _rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text.removeprefix(BOM))))


# -- silent wrong answers ------------------------------------------------------------------------

def test_export_into_an_existing_folder_removes_the_file_of_a_now_empty_table(tmp_path):
    from chainkg.loaders import load_valid
    from chainkg.loaders.export import export_dataset

    out = tmp_path / "out"
    ds = load_valid(example_copy(tmp_path))
    export_dataset(ds, out)
    assert (out / "supplies.csv").exists()
    ds2 = load_valid(example_copy(tmp_path / "b", supplies="supplier_id,customer_id,source_id\n"))
    export_dataset(ds2, out)
    assert not (out / "supplies.csv").exists()  # it kept the old rows: reading back brought them back
    again = load_valid(out)
    assert not again.rels_of("SUPPLIES")


def test_csv_row_with_more_cells_than_its_header_is_a_problem_with_file_and_row(tmp_path):
    ds = example_copy(tmp_path)
    f = ds / "firms.csv"
    lines = f.read_text(encoding="utf-8").splitlines()
    lines[1] += ",stray"  # row 2 of firms.csv: one cell more than the header
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = [p for p in problems(ds) if p.code == "extra_cells"]
    assert [(p.file.endswith("firms.csv"), p.row, p.value, p.severity) for p in found] == [(True, 2, "stray", "error")]


def test_workbook_row_with_cells_beyond_the_header_is_a_problem(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "sources"
    ws.append(["id", "title"])
    ws.append(["S1", "一个来源", None, "stray"])
    wb.save(tmp_path / "d.xlsx")
    found = [p for p in problems(tmp_path / "d.xlsx") if p.code == "extra_cells"]
    assert [(p.sheet, p.row, p.value) for p in found] == [("sources", 2, "stray")]


def test_markdown_escapes_html_from_data():
    from chainkg.reports.tables import render

    md = render([{"name": "<script>alert(1)</script> & <b>x</b>"}], ["name"], "md")
    assert "<script>" not in md and "<b>" not in md
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;x&lt;/b&gt;" in md


def test_markdown_headers_and_titles_are_escaped_too():
    from chainkg.reports.tables import render

    md = render([{"a": 1}], ["a"], "md", headers={"a": "<i>h</i>"}, title="<img src=x>")
    assert "<i>" not in md and "<img" not in md


# -- files Excel opens --------------------------------------------------------------------------

def test_cli_csv_starts_with_a_utf8_bom(tmp_path):
    out = cli("gaps", "--data", example_copy(tmp_path), "--format", "csv").stdout
    assert out.startswith(BOM) and _rows(out)
    cli("gaps", "--data", tmp_path / "ds", "--format", "csv", "-o", tmp_path / "g.csv")
    assert (tmp_path / "g.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    # the file -o writes is read back by Python's own utf-8-sig like Excel reads it
    assert _rows((tmp_path / "g.csv").read_text(encoding="utf-8-sig"))


def test_export_csv_files_start_with_a_bom_and_read_back(tmp_path):
    from chainkg.loaders import load_valid
    from chainkg.loaders.export import export_dataset

    files = export_dataset(load_valid(example_copy(tmp_path)), tmp_path / "out")
    assert files and all(f.read_bytes().startswith(b"\xef\xbb\xbf") for f in files)
    assert load_valid(tmp_path / "out").nodes  # reading accepts the BOM


# -- priorities: weighted and raw named apart, rounded for reading ------------------------------

def _line_chain(n=4):
    from chainkg.testing import tiny_graph

    segs = [(f"S{i}", "midstream") for i in range(n)]
    return tiny_graph({"K": segs}, feeds=[(f"S{i}", f"S{i + 1}") for i in range(n - 1)])


def test_priority_flow_points_are_named_apart_from_raw_betweenness_and_rounded():
    from chainkg.analysis import analyze
    from chainkg.findings import gap_records

    a = analyze(_line_chain())
    # S1 of S0→S1→S2→S3: 2 of the 6 ordered pairs pass through it, betweenness 1/3; 2 points × 1/3 = 0.667
    parts = a.priorities["S1"]["parts"]
    assert "flow_betweenness" not in parts and parts["flow_betweenness_points"] == 0.7
    row = next(r for r in gap_records(a, "en") if r["segment_id"] == "S1")
    assert row["flow_betweenness"] == 0.3333
    assert all(round(r["priority"]["total"], 1) == r["priority"]["total"] for r in gap_records(a))


def test_a_tiny_flow_term_does_not_rank_equal_gaps_apart():
    from chainkg.analysis import analyze
    from chainkg.findings import gap_records

    # a long line: the ends' neighbours have a small betweenness (well under 0.05 points once weighted)
    a = analyze(_line_chain(40))
    totals = {r["segment_id"]: r["priority"]["total"] for r in gap_records(a)}
    assert all(round(t, 1) == t for t in totals.values())
    # S0 and S39 (ends, betweenness 0) tie with nobody above them by a hidden tie-break: the same total
    assert totals["S0"] == totals["S39"]


def test_priority_parts_words_say_points():
    from chainkg.findings.labels import parts_text

    assert parts_text({"flow_betweenness_points": 0.7}, "zh") == "流量中介度加分=0.7"
    assert parts_text({"flow_betweenness_points": 0.7}, "en") == "flow betweenness points=0.7"


# -- what-if summary --------------------------------------------------------------------------------

def test_whatif_summary_names_a_chokepoint_the_change_creates():
    from chainkg.analysis import analyze
    from chainkg.analysis.whatif import Change, WhatIf
    from chainkg.findings.whatif import outcome_records, summary_text
    from chainkg.testing import tiny_graph

    # A → B → C, a local firm in A only: a firm landing in C makes B cut A from C
    G = tiny_graph({"K": [("A", "upstream"), ("B", "midstream"), ("C", "downstream")]},
                   feeds=[("A", "B"), ("B", "C")], firms={"F1": (True, ["A"])})
    w = WhatIf(analyze(G))
    rec = outcome_records(w, w.run([Change("add_firm", firm="新企业", segment="C")]), "zh")
    assert [x["segment_id"] for x in rec["effect"]["chokepoints_added"]] == ["B"]
    assert "新增卡点 环节B" in summary_text(rec["effect"], "zh")
    en = outcome_records(w, w.run([Change("add_firm", firm="New", segment="C")]), "en")
    assert "chokepoints created: Segment B" in summary_text(en["effect"], "en")


# -- 链主 tied to a chain ------------------------------------------------------------------------------

def _leaders(G):
    from chainkg.analysis.firms import chain_leader_candidates, firm_centrality
    from chainkg.analysis.views import ChainView

    out = chain_leader_candidates(G, ChainView.of(G), firm_centrality(G))
    return {c: [(r["firm_id"], r["tagged_chain_leader"]) for r in rows] for c, rows in out.items()}


def _two_chains(**kw):
    from chainkg.testing import tiny_graph

    return tiny_graph({"PV": [("P1", "upstream")], "IC": [("I1", "upstream")]},
                      firms={"Y": (True, ["P1", "I1"]), "Z": (True, ["P1"])}, revenue={"Z": 100}, **kw)


def test_a_bare_chain_leader_tag_of_a_firm_in_two_chains_counts_for_neither():
    # before: Y's one 链主 tag put it first in both chains
    assert _leaders(_two_chains(tags={"Y": ["链主"]})) == {"PV": [("Z", False), ("Y", False)],
                                                          "IC": [("Y", False)]}


def test_chain_leader_tag_counts_where_a_source_ties_the_firm_to_the_chain():
    assert _leaders(_two_chains(tags={"Y": ["链主"]}, chain_firms={"Y": ["IC"]})) == {
        "PV": [("Z", False), ("Y", False)], "IC": [("Y", True)]}


def test_chain_leader_tag_with_a_chain_qualifier():
    got = _leaders(_two_chains(tags={"Y": ["链主:PV"]}))
    assert got == {"PV": [("Y", True), ("Z", False)], "IC": [("Y", False)]}
    got = _leaders(_two_chains(tags={"Y": ["链主：链IC"]}))  # full-width colon, the chain's Chinese name
    assert got["IC"] == [("Y", True)] and got["PV"][1] == ("Y", False)


def test_chain_leader_tag_counts_where_the_firms_own_source_places_it():
    G = _two_chains(tags={"Y": ["链主"]})
    G.nodes["Y"]["source_id"] = "S-A"
    G.edges["Y", "P1", "IN_SEGMENT"]["source_id"] = "S-A"
    G.edges["Y", "I1", "IN_SEGMENT"]["source_id"] = "S-B"
    assert _leaders(G)["PV"][0] == ("Y", True) and _leaders(G)["IC"] == [("Y", False)]


def test_chain_leader_tag_of_a_firm_in_one_chain_counts_there():
    from chainkg.testing import tiny_graph

    G = tiny_graph({"PV": [("P1", "upstream")]}, firms={"Y": (True, ["P1"])}, tags={"Y": ["链主"]})
    assert _leaders(G) == {"PV": [("Y", True)]}


# -- --district: the tier row and the local-firm count ------------------------------------------------

def test_district_tiers_and_local_firm_count_are_district_wide():
    import chainkg
    from conftest import FIXTURES

    G = chainkg.open_graph(FIXTURES / "small")
    city = chainkg.build_report(chainkg.analyze(G), with_maps=False)
    assert city["local_firms"] == 4 and [(t["scope"], t["threshold"], t["firms"]) for t in city["tiers"]][:2] == [
        ("city", 500, 1), ("city", 100, 2)]
    # 高邮市 (D1) and 甘垛园区 (D2, part of D1): FA 120, FB 60, FD 600 亿元; FC is in 经开区
    a = chainkg.analyze(G, district="高邮市")
    rep = chainkg.build_report(a, with_maps=False)
    assert rep["local_firms"] == 3
    assert [(t["scope"], t["scope_id"], t["threshold"], t["firms"], t["target"]) for t in rep["tiers"]] == [
        ("district", "D1", 500, 1, None), ("district", "D1", 100, 2, None), ("district", "D1", 50, 3, None),
        ("district", "D1", 20, 3, None)]
    assert rep["tiers"][0]["name"] == "高邮市"
    rows = chainkg.tiers(a)
    assert "city" not in {r["scope"] for r in rows} and rows[0]["local_firms"] == 3


# -- crashes and wrong exits ------------------------------------------------------------------------

@pytest.mark.parametrize("table,text", [
    ("firms", "id,name,local,tags,source_id\nF1,甲\x07公司,是,上市,S1\n"),
    ("firms", "id,name,local,tags,source_id\nF1,甲公司,是,上\x1b市,S1\n"),
])
def test_a_control_character_is_refused_at_validation_with_file_row_column(tmp_path, table, text):
    ds = example_copy(tmp_path, **{table: text})
    found = [p for p in problems(ds) if p.code == "control_character"]
    assert [(p.file.endswith(f"{table}.csv"), p.row, p.column, p.severity) for p in found] == [
        (True, 2, "name" if "\x07" in text else "tags", "error")]
    assert "U+00" in found[0].message


def test_a_control_character_in_json_is_refused_too(tmp_path):
    import json

    from chainkg.loaders import load_valid
    from chainkg.loaders.rows import dataset_rows

    tables = dataset_rows(load_valid(example_copy(tmp_path)))
    tables["sources"][0]["title"] = "标题\u0001"
    (tmp_path / "d.json").write_text(json.dumps(tables, ensure_ascii=True, default=str), encoding="utf-8")
    found = [p for p in problems(tmp_path / "d.json") if p.code == "control_character"]
    assert [(p.sheet, p.row, p.column) for p in found] == [("sources", 2, "title")]


def test_report_workbook_writes_text_with_control_characters_safely(tmp_path):
    from chainkg.cells import cell

    assert cell("a\x01b", to="xlsx") == "a\ufffdb" and cell("a\tb\nc", to="xlsx") == "a\tb\nc"


def test_intake_apply_with_a_non_numeric_revenue_is_a_problem_not_a_traceback(tmp_path):
    from openpyxl import load_workbook

    from chainkg.errors import DataError
    from chainkg.intake import apply_review
    from chainkg.loaders import load_valid
    from test_intake import _fill, _propose_review, make_dataset

    ds_path = make_dataset(tmp_path)
    review, _ = _propose_review(tmp_path, ds_path)
    _fill(review, {"扬州甲光伏有限公司": "是"})
    wb = load_workbook(review)
    ws = wb["复核"]
    headers = [c.value for c in ws[1]]
    row = next(r for r in range(2, ws.max_row + 1)
               if ws.cell(row=r, column=headers.index("企业名称") + 1).value == "扬州甲光伏有限公司")
    ws.cell(row=row, column=headers.index("营业收入(亿元)") + 1).value = "约3亿"
    wb.save(review)
    with pytest.raises(DataError) as exc:
        apply_review(review, load_valid(ds_path))
    [p] = exc.value.problems
    assert (p.row, p.column, p.value) == (row, "营业收入(亿元)", "约3亿") and "not a number" in p.message


def test_serve_on_a_busy_port_exits_2_with_a_clear_message_before_any_work(tmp_path):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        res = cli("serve", "--data", example_copy(tmp_path), "--port", port)
    assert res.returncode == 2
    assert f"Port {port} on 127.0.0.1 is in use" in res.stderr and "--port" in res.stderr
    assert "explorer on" not in res.stderr  # checked before the data is read and "ready" printed


@pytest.mark.neo4j
def test_neo4j_reader_names_nodes_whose_labels_are_not_in_the_schema(neo4j, tmp_path):
    from chainkg.errors import DataError
    from chainkg.neo4j_io.reader import read_graph_dataset

    drv = neo4j.driver()
    with drv:
        drv.execute_query("CREATE (:ChainKG:Person {id: 'P1'}), (:ChainKG:Source {id: 'S1'})",
                          database_=neo4j.settings.database)
        with pytest.raises(DataError) as exc:
            read_graph_dataset(drv, neo4j.settings.database)
    assert "P1" in exc.value.message and "Person" in exc.value.message
    assert [(p.code, p.value) for p in exc.value.problems] == [("unknown_label", "P1")]


# -- Neo4j however it was started ---------------------------------------------------------------------

def _fake_home(tmp_path, bolt=17687, http=17474):
    import json

    home = tmp_path / "n4j"
    home.mkdir()
    (home / "chainkg-server.json").write_text(json.dumps({"bolt_port": bolt, "http_port": http}))
    return home


_NO_ENV = {"NEO4J_URI": None, "CHAINKG_BROWSER_URL": None, "CHAINKG_SERVER_HOME": None}


def test_browser_link_takes_the_http_port_from_the_servers_settings(tmp_path):
    home = _fake_home(tmp_path)
    assert cli("browser", "--home", home, env=_NO_ENV).stdout.strip() == "http://127.0.0.1:17474/browser/"
    assert cli("browser", env={**_NO_ENV, "CHAINKG_SERVER_HOME": str(home)}).stdout.strip() == \
        "http://127.0.0.1:17474/browser/"
    # NEO4J_URI naming that server's Bolt port: still its HTTP port, not 7474
    env = {**_NO_ENV, "NEO4J_URI": "bolt://127.0.0.1:17687"}
    assert cli("browser", "--home", home, env=env).stdout.strip() == "http://127.0.0.1:17474/browser/"
    assert cli("query", "link", "segment_status", "--home", home, env=_NO_ENV).stdout.startswith(
        "http://127.0.0.1:17474/browser/?")
    # another server: its host on 7474, and CHAINKG_BROWSER_URL says where it really is
    env = {**_NO_ENV, "NEO4J_URI": "bolt://db.example:7687"}
    assert cli("browser", "--home", home, env=env).stdout.strip() == "http://db.example:7474/browser/"
    env["CHAINKG_BROWSER_URL"] = "http://db.example:8474/browser/"
    assert cli("browser", env=env).stdout.strip() == "http://db.example:8474/browser/"


def test_every_neo4j_command_takes_home_and_the_no_server_hint_says_so(tmp_path):
    from chainkg.cli import main

    def commands(group, prefix=()):
        for name, cmd in group.commands.items():
            if hasattr(cmd, "commands"):
                yield from commands(cmd, (*prefix, name))
            else:
                yield (*prefix, name), cmd

    takes_uri = {" ".join(n): {p.name for p in c.params} for n, c in commands(main)
                 if any(p.name == "uri" for p in c.params)}
    assert takes_uri and all("home" in ps for ps in takes_uri.values()), takes_uri
    res = cli("query", "run", "segment_status", "--home", tmp_path / "never-started", env=_NO_ENV)
    assert res.returncode == 2 and "--home H" in res.stderr and "CHAINKG_SERVER_HOME" in res.stderr


def test_server_start_says_how_other_commands_find_it(tmp_path):
    from chainkg.cli.server import use_hint

    assert use_hint(tmp_path / "n4j").splitlines()[-1] == f"  export CHAINKG_SERVER_HOME={tmp_path / 'n4j'}"


def test_browser_url_variable_is_documented():
    from conftest import ROOT

    assert "CHAINKG_BROWSER_URL" in (ROOT / "docs" / "browser.md").read_text(encoding="utf-8")
    assert "CHAINKG_SERVER_HOME" in (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.neo4j
def test_commands_reach_a_server_started_with_its_own_home(neo4j_server):
    if neo4j_server.server is None:
        pytest.skip("an external test server: no home")
    home = neo4j_server.server.home
    res = cli("query", "run", "data_version", "--home", home, "--format", "json", env=_NO_ENV)
    assert res.returncode == 0, res.stderr
    res = cli("query", "run", "data_version", "--format", "json", env={**_NO_ENV, "CHAINKG_SERVER_HOME": str(home)})
    assert res.returncode == 0, res.stderr


@pytest.mark.neo4j
def test_driver_notifications_are_silenced_unless_verbose(neo4j, tmp_path, caplog):
    import dataclasses
    import logging

    from chainkg.connection import open_driver

    caplog.set_level(logging.INFO, logger="neo4j.notifications")

    def notes(settings):
        caplog.clear()
        with open_driver(settings) as drv:  # a label no database has: the server warns about it
            drv.execute_query("MATCH (n:NoSuchLabelEver) RETURN n", database_=settings.database)
        return [r for r in caplog.records if r.name == "neo4j.notifications"]

    assert notes(neo4j.settings) == []  # the default: silenced
    assert notes(dataclasses.replace(neo4j.settings, notifications=True))  # --verbose
    env = {"NEO4J_URI": neo4j.settings.uri, "NEO4J_PASSWORD": neo4j.settings.password}
    caplog.clear()
    assert cli("load", example_copy(tmp_path), "--dry-run", env=env).returncode == 0
    assert not [r for r in caplog.records if r.name == "neo4j.notifications"]


# -- library queries check their parameters; a second load says "unchanged" ----------------------------

def _load_small(neo4j, tmp_path=None):
    from chainkg.loaders import read_dataset
    from chainkg.neo4j_io.writer import load_dataset
    from conftest import FIXTURES

    drv = neo4j.driver()
    with drv:
        return load_dataset(drv, neo4j.settings.database, read_dataset(tmp_path or FIXTURES / "small"))


def _env(neo4j):
    return {"NEO4J_URI": neo4j.settings.uri, "NEO4J_PASSWORD": neo4j.settings.password, "NEO4J_USER": "neo4j"}


@pytest.mark.neo4j
def test_query_run_checks_named_nodes_against_the_data_with_did_you_mean(neo4j):
    _load_small(neo4j)
    res = cli("query", "run", "chain_gaps", "-p", "chain=光", env=_env(neo4j))
    assert res.returncode == 2, res.stdout
    assert "-p chain '光': no Chain has this id or name" in res.stderr and "Did you mean: CH1 (光伏)" in res.stderr
    res = cli("query", "run", "firm_network", "-p", "firm=甲", env=_env(neo4j))
    assert res.returncode == 2 and "Did you mean: FA (甲硅片)" in res.stderr
    ok = cli("query", "run", "chain_gaps", "-p", "chain=光伏", "--format", "json", env=_env(neo4j))
    assert ok.returncode == 0, ok.stderr
    # an optional parameter left out (null) is not checked
    assert cli("query", "run", "chain_leaders", "-p", "chain=PV", env=_env(neo4j)).returncode == 0


def test_query_parameters_naming_nodes_are_declared_by_label():
    from chainkg.cypher.library import library

    labels = {(q.name, p.name): p.label for q in library().values() for p in q.params if p.label}
    assert labels[("chain_gaps", "chain")] == "Chain" and labels[("firm_network", "firm")] == "Firm"
    assert labels[("district_chains", "district")] == "District" and labels[("segment_firms", "segment")] == "Segment"
    assert labels[("supply_paths", "from")] == "Firm" and labels[("fund_portfolio", "fund")] == "Fund"


@pytest.mark.neo4j
def test_a_second_load_of_unchanged_data_reports_rows_unchanged(neo4j, tmp_path):
    import shutil

    from conftest import FIXTURES

    first = _load_small(neo4j)
    assert all(s.created == s.total and s.unchanged == 0 for s in first.steps)
    again = _load_small(neo4j)
    assert [(s.name, s.created, s.updated, s.unchanged) for s in again.steps] == [
        (s.name, 0, 0, s.total) for s in again.steps]
    ds = tmp_path / "ds"
    shutil.copytree(FIXTURES / "small", ds)
    f = ds / "firms.csv"
    f.write_text(f.read_text(encoding="utf-8").replace("FA,甲硅片,A Wafers,D1,是,120,", "FA,甲硅片,A Wafers,D1,是,130,"),
                 encoding="utf-8")
    third = _load_small(neo4j, ds)
    firm = next(s for s in third.steps if s.name == "Firm")
    assert (firm.created, firm.updated, firm.unchanged) == (0, 1, firm.total - 1)
    res = cli("load", ds, "--dry-run", "--format", "json", env=_env(neo4j))
    import json

    steps = {s["name"]: s for s in json.loads(res.stdout)["steps"]}
    assert (steps["Firm"]["updated"], steps["Firm"]["unchanged"]) == (0, steps["Firm"]["total"])


# -- one language at a time -------------------------------------------------------------------------------

_CJK = __import__("re").compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
#: codes a Chinese table must not show as a cell
_CODES = {"confirmed", "inferred", "city", "cluster", "chain", "district", "only_local_firm", "articulation",
          "signed", "started", "landed", "gap_fill", "gap_extend", "gap_isolated", "gap_unlinked", "single", "thin",
          "present", "up", "down", "high", "moderate", "low", "upstream", "midstream", "downstream"}
_TABLES = [("gaps",), ("chokepoints",), ("centrality",), ("centrality", "--leaders"), ("prospects",), ("tiers",)]


def _data_words(path) -> set[str]:
    """Every text of the dataset (names are data, in whatever language they are written)."""
    from chainkg.loaders import load_valid

    ds = load_valid(path)
    words = set()
    for n in ds.nodes.values():
        words |= {str(v) for v in n.props.values() if isinstance(v, str)}
        words |= {str(x) for v in n.props.values() if isinstance(v, list) for x in v}
    return words


def _cells(text: str) -> list[str]:
    return [c for row in csv.reader(io.StringIO(text.removeprefix(BOM))) for c in row]


@pytest.mark.parametrize("cmd", _TABLES, ids=" ".join)
def test_chinese_tables_show_no_raw_codes(cmd):
    from conftest import FIXTURES

    out = cli(*cmd, "--data", FIXTURES / "small", "--format", "csv")
    assert out.returncode == 0, out.stderr
    shown = {c for c in _cells(out.stdout)} | {x.strip() for c in _cells(out.stdout) for x in c.split(";")}
    assert not shown & _CODES, shown & _CODES


@pytest.mark.parametrize("cmd", _TABLES, ids=" ".join)
def test_english_tables_show_no_chinese_but_data(cmd):
    from conftest import FIXTURES

    out = cli(*cmd, "--data", FIXTURES / "small", "--format", "csv", "--lang", "en")
    assert out.returncode == 0, out.stderr
    text = out.stdout
    for w in sorted(_data_words(FIXTURES / "small"), key=len, reverse=True):
        text = text.replace(w, "")
    assert not _CJK.findall(text), [line for line in text.splitlines() if _CJK.search(line)][:5]


def test_english_report_markdown_has_no_chinese_but_data():
    from conftest import FIXTURES

    out = cli("report", "--data", FIXTURES / "small", "--format", "md", "--lang", "en")
    text = out.stdout
    for w in sorted(_data_words(FIXTURES / "small"), key=len, reverse=True):
        text = text.replace(w, "")
    assert not _CJK.findall(text), [line for line in text.splitlines() if _CJK.search(line)][:5]


def test_chinese_report_markdown_titles_are_chinese():
    from conftest import FIXTURES

    out = cli("report", "--data", FIXTURES / "small", "--format", "md").stdout
    titles = [line[3:] for line in out.splitlines() if line.startswith("## ")]
    assert titles and all(_CJK.search(t) for t in titles), titles


def test_three_confirmed_columns_are_named_apart():
    from chainkg.findings.labels import headers

    for lang in ("zh", "en"):
        h = headers(lang)
        names = [h["basis"], h["confirmed"], h["confidence"]]
        assert len(set(names)) == 3 and not any(n in ("已证实", "confirmed") for n in names), names
    assert headers("zh")["confirmed"] == "缺失已证实" and headers("en")["confidence"] == "source confidence"


def test_whatif_tables_speak_one_language():
    from conftest import FIXTURES

    zh = cli("whatif", "--data", FIXTURES / "small", "--add-firm", "新企业", "--segment", "P4", "--format", "md")
    assert zh.returncode == 0, zh.stderr
    cells = {c.strip() for line in zh.stdout.splitlines() if line.startswith("|") for c in line.split("|")}
    assert not {x.strip() for c in cells for x in c.split(",")} & {"status", "priority", "chokepoint", "local_firms"}
    en = cli("whatif", "--data", FIXTURES / "small", "--add-firm", "New", "--segment", "P4", "--format", "md",
             "--lang", "en").stdout
    for w in sorted(_data_words(FIXTURES / "small"), key=len, reverse=True):
        en = en.replace(w, "")
    assert not _CJK.findall(en), [line for line in en.splitlines() if _CJK.search(line)][:5]


# -- validation: the cause first, in the user's language --------------------------------------------------

def test_a_misnamed_file_is_the_first_problem_with_did_you_mean_and_no_knock_on_errors(tmp_path):
    ds = example_copy(tmp_path)
    (ds / "firms.csv").rename(ds / "firm.csv")
    probs = problems(ds)
    first = probs[0]
    assert (first.severity, first.code, first.value) == ("error", "unknown_table", "firm")
    assert "did you mean firms.csv" in first.message.lower() and "6 reference" in first.message
    assert not [p for p in probs if p.code == "unknown_reference"]  # the six knock-on errors, said in one


def test_a_misnamed_column_says_did_you_mean(tmp_path):
    ds = example_copy(tmp_path)
    f = ds / "chains.csv"
    f.write_text(f.read_text(encoding="utf-8").replace("cluster_id", "clusterid", 1), encoding="utf-8")
    probs = problems(ds)
    assert probs[0].code == "missing_column" and "clusterid" in probs[0].hint
    unknown = next(p for p in probs if p.code == "unknown_column")
    assert "did you mean cluster_id" in unknown.message.lower()


def test_validate_speaks_chinese_by_default_and_english_when_asked(tmp_path):
    ds = example_copy(tmp_path, firms="id,name,local,revenue_100m_cny,source_id\nF1,甲,是,很多,S1\n")
    zh = cli("validate", ds, "--format", "csv")
    assert zh.returncode == 1
    rows = _rows(zh.stdout)
    assert set(rows[0]) >= {"级别", "代码", "文件", "行", "列", "值", "问题", "如何修改"}
    bad = next(r for r in rows if r["代码"] == "bad_number")
    assert bad["级别"] == "错误" and "不是数字" in bad["问题"] and _CJK.search(bad["如何修改"])
    assert "个错误" in zh.stderr
    en = cli("validate", ds, "--format", "csv", "--lang", "en")
    bad = next(r for r in _rows(en.stdout) if r["code"] == "bad_number")
    assert "is not a number" in bad["message"] and "error(s)" in en.stderr


def test_every_problem_code_has_chinese_words():
    import re
    from pathlib import Path

    from chainkg.loaders.messages import ZH

    src = Path(__import__("chainkg").__file__).parent
    codes = set()
    for f in src.rglob("*.py"):
        text = f.read_text(encoding="utf-8")
        codes |= set(re.findall(r'"(?:error|warning)", "([a-z_]+)"', text))
        codes |= set(re.findall(r'PydanticCustomError\(\s*"([a-z_]+)"', text))
    assert codes and codes <= set(ZH), sorted(codes - set(ZH))


def test_intake_messages_speak_chinese_by_default_and_english_when_asked(tmp_path):
    from test_intake import make_dataset, write_list

    ds = make_dataset(tmp_path)
    lst = write_list(tmp_path, "企业名称,营业收入(亿元)\n扬州甲光伏有限公司,很多\n")
    zh = cli("intake", "propose", lst, "--data", ds, "-o", tmp_path / "r.xlsx")
    assert "不是数字" in zh.stderr and "已写出" in zh.stderr
    en = cli("intake", "propose", lst, "--data", ds, "-o", tmp_path / "r2.xlsx", "--lang", "en")
    assert "is not a number" in en.stderr and "Wrote" in en.stderr and "已写出" not in en.stderr


# -- README promises kept ---------------------------------------------------------------------------------

def test_report_for_one_chain(tmp_path):
    import json

    from conftest import FIXTURES

    res = cli("report", "--data", FIXTURES / "small", "--chain", "储能", "--format", "json")
    assert res.returncode == 0, res.stderr
    rep = json.loads(res.stdout)
    assert [c["chain_id"] for c in rep["chains"]] == ["CH2"] and rep["chain"] == "CH2"
    assert {g["chain_id"] for g in rep["top_gaps"]} <= {"CH2"}
    assert sum(rep["status_counts"].values()) == 4  # E1..E4
    assert {t["scope"] for t in rep["tiers"]} == {"chain"} and {t["scope_id"] for t in rep["tiers"]} == {"CH2"}
    assert "储能" in rep["title"]
    bad = cli("report", "--data", FIXTURES / "small", "--chain", "储", "--format", "json")
    assert bad.returncode == 2 and "Did you mean" in bad.stderr


def test_whatif_confirmed_only(tmp_path):
    import json

    # F1's one placement (in SG2) is only inferred: over confirmed facts only, F1 sits in no segment
    ds = example_copy(tmp_path, firm_segments="firm_id,segment_id,source_id,confidence\nF1,SG2,S1,inferred\n"
                                              "F2,SG1,S1,confirmed\n")
    full = cli("whatif", "--data", ds, "--remove-firm", "F1", "--format", "json")
    assert full.returncode == 0, full.stderr
    assert "SG2" in [r["segment_id"] for r in json.loads(full.stdout)["segments"] if "status" in r["changed"]]
    conf = cli("whatif", "--data", ds, "--remove-firm", "F1", "--confirmed-only", "--format", "json")
    assert conf.returncode == 0, conf.stderr
    assert json.loads(conf.stdout)["segments"] == []  # F1 leaving changes nothing that is confirmed


def test_readme_counts_the_queries_and_promises_only_existing_options():
    import re

    from chainkg.cli import main
    from chainkg.cypher.library import library
    from conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"{len(library())} named, typed, read-only queries" in readme
    options = {cmd: {o for p in main.commands[cmd].params for o in p.opts} for cmd in ("whatif", "report")}
    assert "--confirmed-only" in options["whatif"] and {"--chain", "--confirmed-only"} <= options["report"]
    assert re.search(r"--confirmed-only` \(every analysis command, `report`, `whatif`", readme)


def test_english_html_report_has_no_chinese_but_data(tmp_path):
    import re

    from conftest import FIXTURES

    out = tmp_path / "en.html"
    assert cli("report", "--data", FIXTURES / "small", "--format", "html", "-o", out, "--lang", "en").returncode == 0
    text = re.sub(r"<style.*?</style>|<[^>]+>", " ", out.read_text(encoding="utf-8"), flags=re.S)
    for w in sorted(_data_words(FIXTURES / "small"), key=len, reverse=True):
        text = text.replace(w, "")
    assert not _CJK.findall(text), [line.strip() for line in text.splitlines() if _CJK.search(line)][:5]


def test_query_parameters_with_a_fixed_set_of_values_say_did_you_mean():
    from chainkg.cypher import library as lib
    from chainkg.errors import UsageError

    q = lib.get("tech_lights")
    assert lib.bind(q, {"light": "red"})["light"] == "red" and lib.bind(q, {})["light"] is None
    with pytest.raises(UsageError) as exc:
        lib.bind(q, {"light": "redd"})
    assert "not one of red, yellow, green" in exc.value.message and exc.value.hint == "Did you mean: red"
    assert lib.bind(lib.get("projects"), {"status": "签约"})["status"] == "signed"  # the schema's spelling
    with pytest.raises(UsageError):
        lib.bind(lib.get("projects"), {"status": "done"})


def test_the_analysis_writer_checks_its_invariant_without_assert(tmp_path):
    import subprocess
    import sys

    # under python -O an assert vanishes: the check must still refuse rows that miss a declared property
    code = """
from chainkg.analysis import analyze
from chainkg.findings import gap_records
from chainkg.neo4j_io.analysis_writer import AnalysisWriteError, segment_rows
from chainkg.testing import tiny_graph
a = analyze(tiny_graph({"K": [("A", "upstream")]}))
gaps = gap_records(a)
gaps[0]["priority"]["parts"]["surprise"] = 1
try:
    segment_rows(a, gaps, "2026-01-01")
except AnalysisWriteError as exc:
    print("refused:", exc.message)
"""
    out = subprocess.run([sys.executable, "-O", "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.startswith("refused:") and "ana_priority_surprise" in out


def test_a_killed_server_leaves_no_zombie_for_neo4j_to_take_as_running():
    import os
    import subprocess
    import time

    from chainkg.server.instance import _pid_alive, _reap

    # Neo4j's launcher sees a zombie pid as a running server ("Neo4j is already running"): kill() reaps it
    proc = subprocess.Popen(["sleep", "0"])
    while _pid_alive(proc.pid):
        time.sleep(0.05)
    assert os.path.exists(f"/proc/{proc.pid}")  # a zombie: dead to chainkg, alive to Java's ProcessHandle
    _reap(proc.pid)
    assert not os.path.exists(f"/proc/{proc.pid}")


def test_chinese_html_report_shows_no_raw_codes(tmp_path):
    import re

    from conftest import FIXTURES

    out = tmp_path / "zh.html"
    assert cli("report", "--data", FIXTURES / "small", "--format", "html", "-o", out).returncode == 0
    text = re.sub(r"<style.*?</style>|<script.*?</script>|<[^>]+>", "\n", out.read_text(encoding="utf-8"), flags=re.S)
    words = {w.strip() for line in text.splitlines() for w in line.split()}
    assert not words & (_CODES - {"chain"}), words & _CODES
