"""Validation: every error and warning kind, with its exact text, on CSV, XLSX and YAML."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import pytest

from conftest import CHAINKG, cli
from helpers import EXAMPLE, example_copy, one, problems


def test_example_is_clean():
    assert problems(EXAMPLE) == []


def test_missing_column(tmp_path):
    ds = example_copy(tmp_path, segments="id,chain_id,name\nSG1,CH1,硅片\n")
    p = one(problems(ds), "missing_column")
    assert (p.severity, p.row, p.column) == ("error", 1, "stage")
    assert p.message == "Required column 'stage' (阶段) is missing from table segments."
    assert p.hint == "Add a column headed 'stage' or '阶段'."


def test_missing_value(tmp_path):
    ds = example_copy(tmp_path, clusters="id,name\nCL1,\n")
    p = one(problems(ds), "missing_value")
    assert (p.file.endswith("clusters.csv"), p.row, p.column, p.value) == (True, 2, "name", None)
    assert p.message == "'name' is required but empty."
    assert p.hint == "Fill in the cell, or delete the row if it is not needed."


@pytest.mark.parametrize("cell,code,message", [
    ("sideways", "bad_enum", "'sideways' is not one of: upstream (上游), midstream (中游), downstream (下游)."),
])
def test_bad_enum(tmp_path, cell, code, message):
    ds = example_copy(tmp_path, segments=f"id,chain_id,name,stage\nSG1,CH1,a,upstream\nSG2,CH1,b,{cell}\n"
                                         "SG3,CH1,c,midstream\nSG4,CH1,d,下游\n")
    p = one(problems(ds), code)
    assert (p.row, p.column, p.value, p.message) == (3, "stage", cell, message)


def test_bad_number_bool_date(tmp_path):
    firms = ("id,name,local,revenue_100m_cny,revenue_year\n"
             "F1,甲,perhaps,abc,2024\n"
             "F2,乙,是,-3,20x4\n")
    projects = "id,name,status,date\nP1,项目,signed,2023-13-01\nP2,项目2,签约,2023-02-30\n"
    probs = problems(example_copy(tmp_path, firms=firms, projects=projects))
    got = {(p.code, p.row, p.column): p.message for p in probs if p.severity == "error"}
    assert got[("bad_bool", 2, "local")] == "'perhaps' is not yes/no."
    assert got[("bad_number", 2, "revenue_100m_cny")] == "'abc' is not a number."
    assert got[("bad_number", 3, "revenue_100m_cny")] == "'-3' is negative; it must be 0 or more."
    assert got[("bad_number", 3, "revenue_year")] == "'20x4' is not a number."
    assert got[("bad_date", 2, "date")] == "'2023-13-01' is not a date YYYY, YYYY-MM or YYYY-MM-DD."
    assert got[("bad_date", 3, "date")] == "'2023-02-30' is not a real calendar date."


@pytest.mark.parametrize("code,reason", [
    ("91110000600037341X", "the check digit does not match"),
    ("123", "it must have 18 characters"),
    ("9111000060003734IL", "it contains characters a credit code cannot have"),
])
def test_bad_credit_code(tmp_path, code, reason):
    ds = example_copy(tmp_path, firms=f"id,name,local,credit_code\nF1,甲,是,{code}\nF2,乙,否,\n")
    p = one(problems(ds), "bad_credit_code")
    assert p.message == f"'{code}' is not a valid unified social credit code: {reason}."
    assert (p.row, p.column, p.value) == (2, "credit_code", code)


def test_duplicate_id_across_tables(tmp_path):
    ds = example_copy(tmp_path, funds="id,name\nF1,和企业同编号的基金\n")
    p = one(problems(ds), "duplicate_id")
    assert p.file.endswith("funds.csv") and p.row == 2 and p.value == "F1"
    assert p.message == "Id 'F1' is already used by a Firm in firms.csv row 2."
    assert p.hint == "Ids must be unique across all tables: give one of them another id."


def test_unknown_reference_and_wrong_label(tmp_path):
    ds = example_copy(tmp_path, firm_segments="firm_id,segment_id\nF1,SG9\nF2,CH1\n")
    probs = [p for p in problems(ds) if p.code == "unknown_reference"]
    assert [(p.row, p.column, p.value, p.message) for p in probs] == [
        (2, "segment_id", "SG9", "'SG9' in segment_id is not the id of any Segment in the dataset."),
        (3, "segment_id", "CH1", "'CH1' in segment_id is a Chain, not a Segment."),
    ]
    assert probs[0].hint == "Add a row with this id to segments, or correct the id."


def test_self_link(tmp_path):
    ds = example_copy(tmp_path, segment_links="from_id,to_id\nSG1,SG2\nSG2,SG2\n")
    p = one(problems(ds), "self_link")
    assert (p.row, p.value, p.message) == (3, "SG2", "Segment 'SG2' feeds itself.")


def test_warnings(tmp_path):
    ds = example_copy(
        tmp_path,
        segments=("id,chain_id,name,stage,颜色\nSG1,CH1,a,upstream,red\nSG2,CH1,b,midstream,\n"
                  "SG3,CH1,c,midstream,\nSG4,CH1,d,downstream,\n"),
        segment_links="from_id,to_id\nSG1,SG2\nSG2,SG3\nSG3,SG1\nSG1,SG2\n",
        firms="id,name,local\nF1,甲,是\nF2,乙,否\nF3,丙,是\n",
    )
    (ds / "notes-table.csv").write_text("a,b\n1,2\n")
    (ds / "old.xls").write_bytes(b"\xd0\xcf")
    probs = problems(ds)
    assert all(p.severity == "warning" for p in probs), [p.as_dict() for p in probs]
    by = {p.code: p for p in probs}
    assert by["unknown_column"].message == "Unknown column '颜色' in table segments; its values are not loaded."
    assert by["unknown_table"].message == "File 'notes-table.csv' is not a known table and is ignored."
    assert by["unknown_file"].message == "File type '.xls' is not a data format chainkg reads; the file is ignored."
    assert by["repeated_pair"].message == "FEEDS SG1 -> SG2 repeats segment_links.csv row 2; the two are merged."
    assert by["repeated_pair"].row == 5
    assert by["firm_without_segment"].message == (
        "Firm 'F3' (丙) is in no segment and no chain; the analysis cannot place it.")
    assert by["feeds_cycle"].message == "FEEDS links form a cycle within chain 'CH1': SG1 -> SG2 -> SG3 -> SG1."
    assert sorted(by) == ["feeds_cycle", "firm_without_segment", "repeated_pair", "unknown_column",
                          "unknown_file", "unknown_table"]


def test_many_bad_rows_are_all_reported(tmp_path):
    rows = "\n".join(f"F{i},企业{i},maybe{i}" for i in range(1, 51))
    probs = problems(example_copy(tmp_path, firms="id,name,local\n" + rows + "\n",
                                  firm_segments="firm_id,segment_id\n", supplies="supplier_id,customer_id\n",
                                  fund_investments="fund_id,firm_id\n", projects="id,name\n"))
    bad = [p for p in probs if p.code == "bad_bool"]
    assert [p.row for p in bad] == list(range(2, 52))
    assert bad[-1].value == "maybe50"


def test_gbk_csv_with_chinese_headers(tmp_path):
    ds = example_copy(tmp_path)
    text = "编号,名称,是否本地,所属区县,营业收入(亿元),标签\nF1,示例光伏电池有限公司,是,D2,12.5,专精特新、上市\nF2,外地硅片集团,否,,,\n"
    (ds / "firms.csv").write_bytes(text.encode("gbk"))
    from chainkg.loaders import read_dataset

    report = read_dataset(ds)
    assert report.problems == []
    f1 = report.dataset.nodes["F1"]
    assert f1.props["local"] is True and f1.props["tags"] == ["专精特新", "上市"]
    assert f1.props["revenue_100m_cny"] == 12.5
    assert report.dataset.nodes["F2"].props["local"] is False


def test_utf8_bom_csv(tmp_path):
    ds = example_copy(tmp_path)
    (ds / "clusters.csv").write_bytes("\ufeffid,name\nCL1,新能源\n".encode("utf-8"))
    assert problems(ds) == []


def test_undecodable_csv_suggests_encoding(tmp_path):
    ds = example_copy(tmp_path)
    (ds / "clusters.csv").write_bytes(b"id,name\nCL1,\x81\x20\xff\xfe\n")
    p = one(problems(ds), "bad_encoding")
    assert p.message == "The file is neither UTF-8, GB18030 (GBK) nor Big5."
    assert p.hint == "Save it as UTF-8, or name its encoding with --encoding."


def test_one_unreadable_file_does_not_stop_the_others(tmp_path):
    # two unreadable files (bad encoding, bad JSON) and a bad cell in a third: all reported in one run
    ds = example_copy(tmp_path, firms="id,name,local\nF1,甲,maybe\nF2,乙,否\n")
    (ds / "clusters.csv").write_bytes(b"id,name\nCL1,\x81\x20\xff\xfe\n")
    (ds / "labs.json").write_text("[{", encoding="utf-8")
    (ds / "labs.csv").unlink()
    (ds / "lab_supports.csv").unlink()
    probs = problems(ds)
    got = sorted((Path(p.file).name, p.code, p.row) for p in probs)
    assert got == [("clusters.csv", "bad_encoding", None), ("firms.csv", "bad_bool", 2), ("labs.json", "bad_file", None)]


def test_weak_source_on_a_confirmed_row(tmp_path):
    ds = example_copy(tmp_path, sources="id,title,reliability\nS1,示例来源,moderate\nS2,弱来源,低\n",
                      firms="id,name,local,source_id,confidence\nF1,甲,是,S2,已证实\nF2,乙,否,S2,推断\nF3,丙,是,S1,confirmed\n",
                      firm_segments="firm_id,segment_id\nF1,SG1\nF2,SG1\nF3,SG1\n")
    p = one(problems(ds), "weak_source")  # F1 only: F2 is inferred, F3's source is moderate
    assert (Path(p.file).name, p.row, p.column, p.value, p.severity) == ("firms.csv", 2, "source_id", "S2", "warning")
    assert p.message == "The row is marked confirmed, but its source 'S2' (弱来源) has low reliability."
    assert p.hint == "Cite a more reliable source for it, or set its confidence to inferred (推断)."


def _workbook(path, sheets):
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    wb.save(path)
    return path


def test_xlsx_quirks(tmp_path):
    path = _workbook(tmp_path / "d.xlsx", {
        "产业集群": [["编号", "名称"], [1.0, "新能源"], [None, None], [None, None]],
        "chains": [["编号", "所属集群", "名称"], ["CH1", 1, "光伏"]],
        "segments": [["编号", "所属产业链", "名称", "阶段", "关键环节"],
                     ["SG1", "CH1", "硅片", "上游", "否"], ["SG2", "CH1", "电池片", "中游", "是"]],
        "projects": [["编号", "名称", "状态", "日期"], ["P1", "项目", "签约", dt.datetime(2023, 9, 14)],
                     ["P2", "坏项目", "cancelled", None]],
    })
    from chainkg.loaders import read_dataset

    report = read_dataset(path)
    assert [(p.code, p.sheet, p.row, p.column) for p in report.problems] == [("bad_enum", "projects", 3, "状态")]
    ds = report.dataset
    assert "1" in ds.nodes and ds.nodes["1"].label == "Cluster"
    assert ("HAS_CHAIN", "1", "CH1") in ds.rels
    assert ds.nodes["P1"].props == {"name": "项目", "status": "signed", "date": "2023-09-14"}
    assert ds.nodes["SG2"].props["stage"] == "midstream" and ds.nodes["SG2"].props["key"] is True


def test_yaml_single_file(tmp_path):
    path = tmp_path / "d.yaml"
    path.write_text(
        "clusters:\n  - {id: CL1, name: 新能源}\n"
        "chains:\n  - {id: CH1, cluster_id: CL1, name: 光伏}\n"
        "segments:\n  - {id: SG1, chain_id: CH1, name: 硅片, stage: 上游}\n"
        "  - {id: SG2, chain_id: CH1, name: 电池片, stage: middle}\n", encoding="utf-8")
    from chainkg.loaders import read_dataset

    report = read_dataset(path)
    p = one(report.problems, "bad_enum")
    assert (p.sheet, p.row, p.column, p.value) == ("segments", 3, "stage", "middle")
    assert report.dataset.nodes["SG1"].props["stage"] == "upstream"


def test_validate_cli_json_and_exit_codes(tmp_path):
    ds = example_copy(tmp_path, segment_links="from_id,to_id\nSG2,SG2\n")
    res = subprocess.run([CHAINKG, "validate", str(ds), "--format", "json"], capture_output=True, text=True)
    assert res.returncode == 1
    rows = json.loads(res.stdout)
    assert set(rows[0]) == {"severity", "code", "file", "sheet", "row", "column", "value", "message", "hint"}
    assert rows[0]["code"] == "self_link"
    assert cli("validate", EXAMPLE).returncode == 0
    warn = example_copy(tmp_path / "w", firms="id,name,local\nF1,甲,是\nF2,乙,否\nF3,丙,是\n")
    assert cli("validate", warn).returncode == 0
    assert cli("validate", warn, "--strict").returncode == 1
    missing = subprocess.run([CHAINKG, "validate", str(tmp_path / "nope")], capture_output=True, text=True)
    assert missing.returncode == 2 and "No dataset" in missing.stderr


def test_missing_or_empty_required_table(tmp_path):
    ds = example_copy(tmp_path, chains="id,cluster_id,name\n")  # header only
    (ds / "clusters.csv").unlink()
    probs = problems(ds)
    assert sorted((p.code, p.value) for p in probs if p.code == "missing_table") == [
        ("missing_table", "chains"), ("missing_table", "clusters")]
    # a present table whose rows all have errors is not "missing": its row errors say what is wrong
    bad = example_copy(tmp_path / "b", segments="id,chain_id,name\nSG1,CH1,硅片\n")
    assert [p.code for p in problems(bad) if p.code in ("missing_table", "missing_column")] == ["missing_column"]
