"""The one validator (the column reader) gives exactly the retired row reader's problems and dataset
(tests/row_oracle.py, the oracle), on every bad input, as CSV folders, workbooks and YAML files."""

from __future__ import annotations

import random

import pytest

from chainkg.loaders.columnar import read_columnar
from chainkg.testing import as_records, as_workbook, csv_tables
from helpers import EXAMPLE, ROOT, example_copy
from row_oracle import read_rows


def same(path, encoding=None):
    """Both readers on ``path``: equal problems (all fields, same order) and equal datasets."""
    rows = read_rows(path, encoding)
    cols = read_columnar(path, encoding)
    assert [p.as_dict() for p in cols.problems] == [p.as_dict() for p in rows.problems]
    assert cols.counts() == rows.dataset.counts()
    g = cols.graph()  # straight from the frames: the graph of the row reader's dataset
    from chainkg.graph_model.nx_graph import to_networkx

    g_rows = to_networkx(rows.dataset)
    assert list(g.nodes(data=True)) == list(g_rows.nodes(data=True))
    assert list(g.edges(keys=True, data=True)) == list(g_rows.edges(keys=True, data=True))
    ds_rows, ds_cols = rows.dataset, cols.dataset
    assert list(ds_cols.nodes.items()) == list(ds_rows.nodes.items())
    assert list(ds_cols.rels.items()) == list(ds_rows.rels.items())
    assert ds_cols.rules == ds_rows.rules
    for n in ds_rows.nodes:  # types too: 1 and 1.0 are equal but not the same value
        assert [type(v) for v in ds_cols.nodes[n].props.values()] == [type(v) for v in ds_rows.nodes[n].props.values()]
    return rows.problems


FIRMS = "id,name,local,credit_code,revenue_100m_cny,revenue_year,tags,district_id,source_id,confidence\n"

CASES = {
    "clean": {},
    "missing_column": {"segments": "id,chain_id,name\nSG1,CH1,硅片\n"},
    "missing_value": {"clusters": "id,name\nCL1,\n"},
    "bad_enum": {"segments": "id,chain_id,name,stage\nSG1,CH1,a,upstream\nSG2,CH1,b,sideways\n"
                             "SG3,CH1,c,MIDSTREAM\nSG4,CH1,d, 下游 \nSG5,CH1,e,Up\n"},
    "numbers_bools_dates": {
        "firms": FIRMS + "F1,甲,perhaps,,abc,2024,,,,\nF2,乙,是,,-3,20x4,,,,\nF3,丙,YES,,\"1,234.5\",2024.0,,,,\n"
                         "F4,丁,Ｙ,,.5,1e3,,,,\nF5,戊,1,,5.,+7,,,,\nF6,己,0,,1_000,2024.5,,,,\nF7,庚,t,,inf,nan,,,,\n"
                         "F8,辛,n,,１２,１２,,,,\nF9,壬,×,,1e999,99999,,,,\nF10,癸,√,,-0,0,,,,\n"
                         "F11,子,否,,１,2e1,,,,\n",
        "projects": "id,name,status,date\nP1,项目,signed,2023-13-01\nP2,项目2,签约,2023-02-30\nP3,项目3,LANDED,２０２４\n"
                    "P4,项目4,开工,2024-2\nP5,项目5,在建,2024-02-29\nP6,项目6,投产,2023\n"},
    "credit_codes": {"firms": FIRMS + "F1,甲,是,91110000600037341X,,,,,,\nF2,乙,否,123,,,,,,\n"
                                      "F3,丙,是,9111000060003734IL,,,,,,\nF4,丁,是,91110000600037341L,,,,,,\n"
                                      "F5,戊,是,91110000600037341l,,,,,,\nF6,己,是,9111 0000-600037341L,,,,,,\n"
                                      "F7,庚,是, 91320000134759788F ,,,,,,\n"},
    "lists": {"firms": FIRMS + "F1,甲,是,,,,链主; 专精特新、上市,,,\nF2,乙,否,,,,；,,,\nF3,丙,是,,,,  a ;; b ；c、,,,\n"},
    "duplicate_ids": {"funds": "id,name\nF1,和企业同编号的基金\nFD1,基金\nFD1,又一个\n",
                      "firms": FIRMS + "F1,甲,是,,,,,,,\nF2,乙,否,,,,,,,\nF1,甲2,是,,,,,,,\nCL1,集群名,是,,,,,,,\n"},
    "references": {"firm_segments": "firm_id,segment_id\nF1,SG9\nF2,CH1\nFX,SG1\nF1,SG1\n",
                   "supplies": "supplier_id,customer_id,confidence\nF1,F2,confirmed\nF1,F2,inferred\nF2,F9,\nSG1,F1,\n"},
    "rejected_reference": {"firms": FIRMS + "F1,甲,perhaps,,,,,,,\nF2,乙,否,,,,,D9,S9,\n",
                           "supplies": "supplier_id,customer_id\nF1,F2\n"},
    "self_link": {"segment_links": "from_id,to_id\nSG1,SG2\nSG2,SG2\nSG1,SG2\n"},
    "warnings": {"segments": "id,chain_id,name,stage,颜色\nSG1,CH1,a,upstream,red\nSG2,CH1,b,midstream,\n"
                             "SG3,CH1,c,midstream,\nSG4,CH1,d,downstream,\n",
                 "segment_links": "from_id,to_id\nSG1,SG2\nSG2,SG3\nSG3,SG1\nSG1,SG2\n",
                 "firms": "id,name,local\nF1,甲,是\nF2,乙,否\nF3,丙,是\n"},
    "many_bad_rows": {"firms": "id,name,local\n" + "\n".join(f"F{i},企业{i},maybe{i}" for i in range(1, 51)) + "\n",
                      "firm_segments": "firm_id,segment_id\n", "supplies": "supplier_id,customer_id\n",
                      "fund_investments": "fund_id,firm_id\n", "projects": "id,name\n"},
    "chinese_headers": {"firms": "编号,名称,是否本地,所属区县,营业收入(亿元),标签\nF1,示例,是,D2,12.5,专精特新、上市\n"
                                 "F2,外地,否,,,\n"},
    "duplicate_column": {"firms": "id,name,名称,local\nF1,甲,甲,是\nF2,乙,乙,否\n"},
    "blank_and_comma_rows": {"firms": "id,name,local\n\nF1,甲,是\n,,\n  ,\t, \nF2,乙,否\n\n"},
    "quoted_multiline": {"firms": 'id,name,local\nF1,"甲\n公司",是\nF2,"乙,""引号""",否\n'},
    "short_rows": {"firms": "id,name,local,district_id\nF1,甲,是\nF2\n"},
    "scopes": {"targets": "id,scope,scope_id,metric,count\nT1,city,,m,1\nT2,chain,,m,1\nT3,cluster,CH1,m,1\n"
                          "T4,产业链,CH1,m,2\nT5,集群,CLX,m,1\n"},
    "fk_rows": {"projects": "id,name,firm_id,segment_id,district_id\nP1,a,F1,SG1,D1\nP2,b,FX,SGX,DX\nP3,c,SG1,F1,\n"},
    "missing_tables": {"chains": "id,cluster_id,name\n"},
    "weak_sources_and_chain_firms": {
        "sources": "id,title,reliability\nS1,来源一,low\nS2,来源二,high\nS3,来源三,低\n",
        "firms": "id,name,local,source_id,confidence\nF1,甲,是,S1,confirmed\nF2,乙,否,S2,已证实\nF3,丙,是,S3,证实\n"
                 "F4,丁,是,S1,inferred\nF1,甲again,是,S1,confirmed\n",
        "firm_chains": "firm_id,chain_id,source_id,confidence\nF3,CH1,S3,confirmed\nF4,CH1,,\nF4,CH1,S1,\nF9,CH1,,\n"},
    "neutralised_cells": {"firms": "id,name,local,revenue_100m_cny,tags\nF1,'=SUM(A1),是,'12,'@x\n"
                                   "F2,'+86 514,否,'-3,\"'\t\"\nF3,''=x,'是,,'\n'F4,'-,是,,\n"},
    "rule_tables": {"segment_terms": "segment_id,term,source_id\nSG1,硅片,S1\nSG2,科技,S1\nSG9,电池,S1\nSG3,锂,\n"
                                     "CH1,组件,\nSG4,,\n"},
    "rule_tables_2": {"segment_industries": "segment_id,industry_code,weight\nSG1,C3825,1\nSG2,XX,-1\nSG9,C38,\n",
                      "intake_rejections": "firm_name,credit_code,segment_id\n甲,91110000600037341L,SG1\n乙,123,SG2\n"
                                           "丙,,CH1\n"},
    "whitespace_ids": {"firms": "id,name,local\n F1 ,甲,是\nF2\x1c,乙,否\n", "firm_segments": "firm_id,segment_id\nF1 ,SG1\n"},
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_same_as_row_reader(tmp_path, case):
    ds = example_copy(tmp_path, **CASES[case])
    if case == "missing_tables":
        (ds / "clusters.csv").unlink()
    if case == "warnings":
        (ds / "notes-table.csv").write_text("a,b\n1,2\n")
        (ds / "old.xls").write_bytes(b"\xd0\xcf")
    same(ds)


def test_gbk_bom_and_encoding_option(tmp_path):
    ds = example_copy(tmp_path)
    (ds / "firms.csv").write_bytes("编号,名称,是否本地\nF1,示例光伏,是\nF2,外地,否\n".encode("gbk"))
    (ds / "clusters.csv").write_bytes("\ufeffid,name\nCL1,新能源\n".encode("utf-8"))
    same(ds)
    gbk = example_copy(tmp_path / "g")
    for f in gbk.glob("*.csv"):
        f.write_bytes(f.read_text(encoding="utf-8").encode("gb18030"))
    same(gbk, encoding="gb18030")


def test_bundled_and_fixture_datasets():
    for path in (EXAMPLE, ROOT / "tests" / "fixtures" / "small", ROOT / "src" / "chainkg" / "datasets" / "yangzhou-613"):
        same(path)


def test_randomly_damaged_synthetic_dataset(tmp_path):
    """A synthetic dataset with one cell replaced by something odd in about three rows in ten: same answers."""
    from chainkg.synth import synth_dataset

    synth_dataset(tmp_path / "d", firms=600, seed=3)
    rng = random.Random(7)
    junk = ["", " ", "x", "-1", "\"1,5\"", "是", "maybe", "F1", "F9999", "CH1", "CH1-S1", "SRC1", "SRCX", "上游", "sideways",
            "2024-02-30", "2024-13", "１２", "91110000600037341L", "91110000600037341X", "confirmed", "推断", "?"]
    for f in sorted((tmp_path / "d").glob("*.csv")):
        lines = f.read_text(encoding="utf-8").splitlines()
        out = [lines[0]]
        for line in lines[1:]:
            cells = line.split(",")
            if rng.random() < 0.3:
                k = rng.randrange(len(cells))
                cells[k] = rng.choice(junk) if '"' not in cells[k] else cells[k]
            out.append(",".join(cells))
        f.write_text("\n".join(out) + "\n", encoding="utf-8")
    probs = same(tmp_path / "d")
    assert len({p.code for p in probs}) >= 8


def test_credit_check_digits_match_stdnum():
    """The vectorised GB 32100 check digit gives python-stdnum's answer on many codes."""
    import polars as pl
    from stdnum.cn import uscc

    from chainkg.loaders.columnar import _USCC, USCC_ALPHABET, uscc_check_ok

    rng = random.Random(0)
    codes = []
    for _ in range(5000):
        body = "".join(rng.choice("0123456789") for _ in range(8)) + "".join(rng.choice(USCC_ALPHABET) for _ in range(9))
        codes.append(body + (uscc.calc_check_digit(body) if rng.random() < 0.5 else rng.choice(USCC_ALPHABET)))
    codes += ["91110000600037341L", "91110000600037341l", "9111000060003734IL", "123", "A1110000600037341L"]
    series = pl.Series("c", codes)
    shaped = series.str.contains(_USCC)
    checked = dict(zip(series.filter(shaped).to_list(), uscc_check_ok(series.filter(shaped)).to_list(), strict=True))
    got = [bool(ok and checked[c]) for c, ok in zip(codes, shaped.to_list(), strict=True)]
    assert got == [uscc.is_valid(c) and uscc.compact(c) == c for c in codes]
    assert sum(got) > 2000


def test_inputs_polars_does_not_read_are_read_row_by_row(tmp_path):
    """A row longer than its header, lone carriage returns, an explicit encoding with a BOM, an empty file,
    repeated headers: read by the csv module into the same frames (the validator is the same)."""
    cases = {
        "long_row": {"firms": "id,name,local\nF1,甲,是,extra\nF2,乙,否,,\n"},
        "lone_cr": {"firms": "id,name,local\rF1,甲,是\rF2,乙,maybe\r\n"},
        "empty_file": {"labs": ""},
        "repeated_header": {"firms": "id,name,name,local\nF1,甲,甲2,是\nF2,乙,,否\n"},
        "huge_int": {"firms": "id,name,local,revenue_year\nF1,甲,是,99999999999999999999\n"},
    }
    found = {}
    for case, tables in cases.items():
        found[case] = {(p.code, p.row) for p in same(example_copy(tmp_path / case, **tables))}
    assert ("extra_cells", 2) in found["long_row"] and ("extra_cells", 3) not in found["long_row"]
    assert ("bad_bool", 3) in found["lone_cr"]
    assert ("missing_column", 1) in found["empty_file"]
    assert ("duplicate_column", 1) in found["repeated_header"]
    assert ("bad_number", 2) in found["huge_int"]
    bom = example_copy(tmp_path / "bom")
    (bom / "clusters.csv").write_bytes("\ufeffid,name\nCL1,新能源\n".encode("utf-8"))
    assert ("missing_column", 1) in {(p.code, p.row) for p in same(bom, encoding="utf-8")}  # utf-8 keeps the BOM


def test_a_repeated_milestone_id_gets_the_same_bad_plan_from_both_readers(tmp_path):
    """The first row of a repeated milestone id is the one the dataset keeps: its bad plan is reported
    by both readers (the column reader used to check the last row instead, and miss it)."""
    d = example_copy(tmp_path)
    (d / "tech_items.csv").write_text("id,name,kind,source_id\nTI9,钙钛矿叠层,核心技术,S1\n", encoding="utf-8")
    (d / "tech_milestones.csv").write_text(
        "id,item_id,name,planned_start,planned_date,source_id\n"
        "MS9,TI9,中试,2025-06,2024-12,S1\n"      # starts after it is due: bad_plan
        "MS9,TI9,中试,2024-01,2024-12,S1\n",     # the same id again: duplicate_id, not checked
        encoding="utf-8")
    col, rows = read_columnar(d), read_rows(d)
    assert [(p.code, p.row) for p in col.problems] == [(p.code, p.row) for p in rows.problems]
    assert ("bad_plan", 2) in [(p.code, p.row) for p in col.problems]
    assert ("duplicate_id", 3) in [(p.code, p.row) for p in col.problems]


def test_a_report_whose_frames_were_handed_over_refuses_further_use():
    """After .lean_graph() the frames are gone: a dataset, a graph, counts or a load plan from the report
    would be empty (a ``load --prune`` from it would delete every ChainKG node), so each refuses."""
    from chainkg.errors import UsageError
    from chainkg.neo4j_io.frames import import_frames
    from chainkg.neo4j_io.plan import plan_of

    report = read_columnar(EXAMPLE)
    assert report.holds_frames and len(plan_of(report)) > 5
    G = report.lean_graph()
    assert len(G.graph["firms"]) == 2
    for use in (lambda: report.dataset, report.graph, report.lean_graph, report.counts, lambda: plan_of(report),
                lambda: list(import_frames(report))):
        with pytest.raises(UsageError, match="handed its frames over to a lean graph"):
            use()
    # handed to the dataset instead: the dataset (and what is built from it) still answers
    report = read_columnar(EXAMPLE)
    ds = report.dataset
    assert report.graph().number_of_nodes() == len(ds.nodes) and plan_of(report) and report.counts()
    with pytest.raises(UsageError, match="handed its frames over to the dataset"):
        report.lean_graph()


def test_the_whitespace_set_is_what_str_strip_removes():
    from chainkg.loaders.columnar import WHITESPACE

    assert WHITESPACE == "".join(chr(c) for c in range(0x110000) if chr(c).isspace())


# -- the same cases as workbooks, YAML and JSON: every input kind is validated by the same code ------------------

@pytest.mark.parametrize("form", ["xlsx", "yaml", "json"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_same_as_row_reader_in_every_input_kind(tmp_path, case, form):
    ds = example_copy(tmp_path, **CASES[case])
    if case == "missing_tables":
        (ds / "clusters.csv").unlink()
    target = tmp_path / f"d.{form}"
    (as_workbook if form == "xlsx" else as_records)(ds, target)
    same(target)


def test_workbook_and_record_quirks(tmp_path):
    """Cells that are not text, stray cells, empty and notes sheets, neutralised cells, lists, records
    that are not mappings: the validator converts what the file holds, as the row reader did."""
    import datetime as dt
    import json

    from openpyxl import Workbook

    ds = example_copy(tmp_path)
    wb = Workbook()
    wb.remove(wb.active)
    for table, rows in csv_tables(ds).items():
        ws = wb.create_sheet(table)
        for r in rows:
            ws.append(r)
    ws = wb["firms"]  # id,name,name_en,credit_code,district_id,local,revenue_100m_cny,revenue_year,tags,source_id,confidence
    ws.append(["F7", "'=HYPERLINK(1)", None, None, None, True, 12.0, 2024.0, None, None, None, "stray"])
    ws.append([7.0, "乙", None, None, None, "maybe", True, 2024.5])
    ws.append([None] * 12 + ["只在右边"])
    # id,name,firm_id,segment_id,district_id,amount_100m_cny,status,date,source_id
    wb["projects"].append(["P9", "项目", None, None, None, None, "在建", dt.datetime(2023, 9, 14, 10, 30)])
    wb["projects"].append(["P10", "项目", None, None, None, None, "在建", dt.datetime(2023, 9, 14), "S404"])
    wb.create_sheet("说明").append(["这是说明"])
    wb.create_sheet("空表")
    wb.create_sheet("别的表").append(["a", "b"])
    wb.save(tmp_path / "q.xlsx")
    from chainkg.loaders import read_dataset

    assert read_dataset(tmp_path / "q.xlsx").dataset.nodes["F7"].props["name"] == "=HYPERLINK(1)"  # restored, as text
    probs = [(p.code, p.sheet, p.row, p.column, p.value) for p in same(tmp_path / "q.xlsx")]
    assert probs == [  # worked out by hand: F7 is fine but for its stray cell; 7.0 is the id "7"
        ("extra_cells", "firms", 4, None, "stray"), ("bad_bool", "firms", 5, "local", "maybe"), ("bad_number", "firms", 5, "revenue_100m_cny", "true"),
        ("bad_number", "firms", 5, "revenue_year", "2024.5"),
        ("missing_value", "firms", 6, "id", None), ("missing_value", "firms", 6, "name", None),
        ("missing_value", "firms", 6, "local", None),
        ("extra_cells", "firms", 6, None, "只在右边"),
        ("unknown_reference", "projects", 4, "source_id", "S404"),
        ("firm_without_segment", "firms", 4, "id", "F7"), ("unknown_table", "别的表", None, None, "别的表")]
    records = {
        "clusters": [{"id": "CL1", "name": "新能源"}, "not a record", {"id": 2, "name": None}],
        "chains": [{"id": "CH1", "cluster_id": "CL1", "name": "光伏"}],
        "segments": [{"id": "SG1", "chain_id": "CH1", "name": "硅片", "stage": "上游", "key": "yes"},
                     {"id": "SG2", "chain_id": "CH1", "name": ["电池片"], "stage": "中游", "key": 2}],
        "firms": [{"id": "F1", "name": "甲", "local": True, "tags": ["链主", "a;b", "", 3], "revenue_100m_cny": True,
                   "revenue_year": 99999999999999999999, "credit_code": 123},
                  {"id": "F2", "name": {"nested": 1}, "local": 0, "tags": [], "revenue_year": 2024.0}],
    }
    (tmp_path / "r.json").write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    probs = [(p.code, p.sheet, p.row, p.column, p.value, p.message) for p in same(tmp_path / "r.json")]
    assert [p[:5] for p in probs] == [
        ("missing_value", "clusters", 3, "id", None), ("missing_value", "clusters", 3, "name", None),
        ("missing_value", "clusters", 4, "name", None), ("bad_credit_code", "firms", 2, "credit_code", "123"),
        ("bad_number", "firms", 2, "revenue_100m_cny", "true"), ("bad_number", "firms", 2, "revenue_year", "99999999999999999999"),
        ("bad_bool", "segments", 3, "key", "2"), ("firm_without_segment", "firms", 3, "id", "F2")]
    assert probs[4][5] == "'True' is not a number."  # the converter's words for the value the file holds


def test_polars_and_the_csv_module_read_a_file_into_the_same_frame(tmp_path):
    """The CSV fast path (polars) and the row-by-row path (the csv module, the row reader's way) give the same
    cells and row numbers on random files with quotes, commas, blank lines and line breaks in odd places;
    where polars cannot read a file as the csv module does, it says so (None) and the csv module reads it."""
    from chainkg.loaders.readers import ROW, _csv_polars, _csv_rows
    from chainkg.safety import restore

    def cells(frame):
        cols = [c for c in frame.df.columns if c.startswith("column_")][: len(frame.headers)]
        out = []
        for r in frame.df.select(ROW, *cols).iter_rows():
            values = [None if v is None or not restore(v).strip() else restore(v).strip() for v in r[1:]]
            values += [None] * (len(frame.headers) - len(values))
            if any(v is not None for v in values) or frame.kept:
                out.append((r[0], values))
        return frame.headers, out

    rng = random.Random(11)
    pieces = ["a", "b", "甲", ",", ",", '"', '""', "\n", "\r\n", " ", "\t", "'=1", "x y", ",,"]
    read_by_polars = 0
    for n in range(1000):
        text = "id,name,local\n" + "".join(rng.choice(pieces) for _ in range(rng.randrange(1, 30)))
        f = tmp_path / f"t{n}.csv"
        f.write_bytes(text.encode("utf-8"))
        fast = _csv_polars(f, text.encode("utf-8"))
        if fast is None:
            continue
        read_by_polars += 1
        slow = _csv_rows(f, text)
        if slow.problems:  # a row longer than the header: polars must not have read it
            raise AssertionError(f"polars read a long row: {text!r}")
        assert cells(fast) == cells(slow), text
    assert read_by_polars > 150
