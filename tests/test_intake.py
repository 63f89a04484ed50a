"""chainkg intake: lists -> proposals with evidence -> review.xlsx -> apply. Hand-computed answers.

Term strengths: one hit of weight 1 counts 1.0 in 主营产品, 0.8 in the name, 0.6 in 经营范围, and
the strength is 1 - exp(-sum): 1 - e^-1 = 0.632, 1 - e^-0.8 = 0.551, 1 - e^-0.6 = 0.451,
1 - e^-0.3 = 0.259. Scores combine as 1 - (1-terms)(1-code)(1-similarity).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from chainkg.cli import main
from chainkg.errors import DataError
from chainkg.intake import Thresholds, apply_review, propose, write_checked, write_review
from chainkg.intake.columns import read_list
from chainkg.loaders import load_valid, read_dataset

CODE_A = "91321000MA1X00001K"  # valid check digits (python-stdnum cn.uscc)
CODE_B = "91321000MA1X00011L"

DATASET = {
    "clusters": "id,name\nC1,新能源\n",
    "chains": "id,cluster_id,name\nPV,C1,光伏\nES,C1,储能\n",
    "segments": ("id,chain_id,name,name_en,stage\n"
                 "PV-CELL,PV,电池片,Cells,midstream\nPV-MOD,PV,组件,Modules,midstream\n"
                 "PV-OTHER,PV,其他光伏配套,Other PV,upstream\n"
                 "ES-CELL,ES,储能电芯,Cells,midstream\nES-SI,ES,储能系统集成,Integration,downstream\n"),
    "districts": ("id,name,kind,parent_id\nD-YZ,扬州市,地级市,\nD-HJ,邗江区,区,D-YZ\n"
                  "D-JKQ,扬州经开区,经开区,D-YZ\nD-GXQ,扬州高新区,高新区,D-HJ\n"),
    "sources": "id,title\nS1,测试来源\n",
    "firms": (f"id,name,credit_code,local,district_id,source_id\n"
              f"F-OLD,扬州旧能源有限公司,{CODE_B},是,D-HJ,S1\n"),
    "segment_terms": ("segment_id,term,mode,field,weight\n"
                      "PV-CELL,电池片,include,,\n"
                      "PV-MOD,光伏组件,include,main_products,\n"
                      "PV-OTHER,光伏,include,,\n"
                      "ES-CELL,电芯,include,,\n"
                      "ES-SI,系统集成,include,,\n"
                      "ES,储能,include,,\n"
                      "PV-CELL,电池片回收,exclude,business_scope,\n"
                      "ES-SI,集成电路,include,,0.5\n"),
    "segment_industries": "segment_id,industry_code,weight\nPV-CELL,3825,\nPV-MOD,382,\n",
}


def make_dataset(tmp_path: Path, name="ds", **replace) -> Path:
    ds = tmp_path / name
    ds.mkdir()
    for table, text in {**DATASET, **replace}.items():
        if text is not None:
            (ds / f"{table}.csv").write_text(text, encoding="utf-8")
    return ds


def write_list(tmp_path: Path, text: str, name="名录.csv", encoding="utf-8") -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def proposals_of(result, name):
    firm = next(f for f in result.firms if f.row.name == name)
    return {p.segment_id: (p.score, p.decision) for p in firm.proposals}


# -- reading lists ----------------------------------------------------------------------------------

def test_list_header_below_title_aliases_unknown_columns_and_bad_rows(tmp_path):
    p = write_list(tmp_path, "扬州市规上企业名录（2024）,,,,\n"
                             "公司名称,信用代码,主要产品,联系人,登记状态\n"
                             "扬州甲公司,BADCODE,电池片,张三,存续\n"
                             ",,组件,李四,\n"
                             "扬州乙公司,,,,吊销\n", encoding="gb18030")
    reading = read_list(p)
    assert [r.name for r in reading.rows] == ["扬州甲公司", "扬州乙公司"]
    first = reading.rows[0]
    assert (first.row, first.main_products, first.credit_code, first.extra) == (3, "电池片", None, {"联系人": "张三"})
    codes = {(pr.code, pr.row, pr.column, pr.value) for pr in reading.problems}
    assert codes == {("unknown_column", 2, "联系人", None), ("bad_credit_code", 3, "信用代码", "BADCODE"),
                     ("missing_value", 4, "公司名称", None), ("deregistered", 5, "登记状态", "吊销")}
    assert all(pr.file == str(p) for pr in reading.problems)


def test_list_without_name_column_is_refused(tmp_path):
    p = write_list(tmp_path, "地址,产品\n扬州,电池片\n")
    with pytest.raises(DataError) as exc:
        read_list(p)
    assert exc.value.problems[-1].code == "missing_column" and exc.value.problems[-1].column == "企业名称"


def test_xls_list(tmp_path):
    xlwt = pytest.importorskip("xlwt")
    p = tmp_path / "名录.xls"
    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet("名录")
    ws.write(0, 0, "园区企业名单")
    for j, h in enumerate(["企业名称", "国民经济行业代码"]):
        ws.write(1, j, h)
    ws.write(2, 0, "扬州甲公司")
    ws.write(2, 1, 3825)
    book.save(str(p))
    reading = read_list(p)
    assert [(r.row, r.name, r.industry_code) for r in reading.rows] == [(3, "扬州甲公司", "3825")]


# -- identity and place ----------------------------------------------------------------------------

def test_dedup_by_code_and_by_normalised_name_and_match_to_dataset(tmp_path):
    ds = load_valid(make_dataset(tmp_path))
    p = write_list(tmp_path, "企业名称,统一社会信用代码,主营产品,经营范围\n"
                             f"扬州甲光伏科技有限公司,{CODE_A},电池片,\n"
                             f"扬州甲光伏科技（集团）,{CODE_A},,电池片研发\n"  # same code: merged
                             "扬州丙（扬州）有限公司,,组件,\n"
                             "扬州丙(扬州)有限责任公司,,,光伏\n"  # same normalised name: merged
                             "扬州旧能源股份有限公司,,电芯,\n")  # the dataset's F-OLD by name
    result = propose([p], ds)
    assert [f.row.name for f in result.firms] == ["扬州甲光伏科技有限公司", "扬州丙（扬州）有限公司", "扬州旧能源股份有限公司"]
    a, c, old = result.firms
    assert a.row.business_scope == "电池片研发" and a.row.merged_rows == ["名录.csv row 3"]
    assert c.row.business_scope == "光伏" and c.row.merged_rows == ["名录.csv row 5"]
    assert (old.existing, old.firm_id, old.match_how) == (True, "F-OLD", "name")
    dups = [(pr.row, pr.code) for pr in result.problems if pr.code == "duplicate_firm"]
    assert dups == [(3, "duplicate_firm"), (5, "duplicate_firm")]
    # a matching credit code wins over a different name
    p2 = write_list(tmp_path, f"企业名称,统一社会信用代码\n完全不同的名字,{CODE_B}\n", name="b.csv")
    assert propose([p2], ds).firms[0].firm_id == "F-OLD"


def test_district_from_column_or_address_most_specific_wins(tmp_path):
    ds = load_valid(make_dataset(tmp_path))
    p = write_list(tmp_path, "企业名称,所属区县,注册地址\n"
                             "甲,邗江区,\n"
                             "乙,,江苏省扬州市邗江区扬州高新区某路1号\n"
                             "丙,,扬州经济技术开发区某路\n"
                             "丁,,南京市鼓楼区\n")
    r = propose([p], ds)
    got = [(f.district_id, f.local) for f in r.firms]
    # 南京 is no district of the dataset: unknown, reported with the value, never silently "outside"
    assert got == [("D-HJ", True), ("D-GXQ", True), ("D-JKQ", True), (None, None)]
    assert [(x.code, x.row, x.value) for x in r.problems if x.code.startswith("unknown_")] == [
        ("unknown_address", 5, "南京市鼓楼区")]


# -- evidence and scores -----------------------------------------------------------------------------
# The fixture dataset places no firm, so the ranker keeps DEFAULT_COEF (not learned): confidence =
# sigmoid(-4 + 4·terms + 5·code + 6·prior + 3·(prior - best prior of the firm) + ...), terms and code
# as in evidence.py. Default thresholds 0.6 / 0.3. A candidate with no evidence at all is not shown.

def top_of(result, name):
    firm = next(f for f in result.firms if f.row.name == name)
    return [(p.segment_id, p.decision) for p in firm.proposals]


def test_term_evidence_by_field_and_thresholds(tmp_path):
    ds = load_valid(make_dataset(tmp_path))
    p = write_list(tmp_path, "企业名称,主营产品,经营范围\n"
                             "甲,电池片,\n"  # 主营产品: terms 0.632 and the segment's own text: proposed
                             "丙,,电池片销售\n"  # 经营范围: terms 0.451: still first
                             "丁,,光刻机\n")  # no term: only a shared character (光) with 光伏 segments: weak
    r = propose([p], ds)
    assert r.thresholds.estimated is False and (r.thresholds.proposed, r.thresholds.review) == (0.6, 0.3)
    assert top_of(r, "甲")[0] == ("PV-CELL", "proposed")
    assert all(d == "weak" for _, d in top_of(r, "甲")[1:])  # the others: nothing but a character
    assert top_of(r, "丙")[0][0] == "PV-CELL"
    assert proposals_of(r, "甲")["PV-CELL"][0] > proposals_of(r, "丙")["PV-CELL"][0]  # 主营产品 counts more
    assert {d for _, d in top_of(r, "丁")} == {"weak"}
    firm = next(f for f in r.firms if f.row.name == "甲")
    assert firm.proposals[0].evidence[0] == {"kind": "term", "term": "电池片", "field": "main_products", "weight": 1.0}
    assert len(firm.proposals) == 3  # always the top 3 when three segments have any evidence
    # given thresholds win over the defaults
    r2 = propose([p], ds, thresholds=Thresholds(proposed=0.999, review=0.5))
    assert top_of(r2, "甲")[0] == ("PV-CELL", "review")


def test_field_specific_exclusion(tmp_path):
    ds = load_valid(make_dataset(tmp_path))
    p = write_list(tmp_path, "企业名称,主营产品,经营范围\n"
                             "甲,电池片,电池片回收\n"  # the exclusion is in 经营范围: PV-CELL is removed
                             "乙,电池片回收,\n")  # the same words in 主营产品 do not exclude
    r = propose([p], ds)
    assert "PV-CELL" not in proposals_of(r, "甲")
    assert top_of(r, "乙")[0] == ("PV-CELL", "proposed")


def test_industry_code_evidence_any_prefix_length(tmp_path):
    ds = load_valid(make_dataset(tmp_path))
    p = write_list(tmp_path, "企业名称,行业代码\n甲,C3825\n乙,3829\n丙,3411\n")
    r = propose([p], ds)
    # 3825: PV-CELL's 3825 (4 digits, 0.9: sigmoid(-4 + 4.5) = 0.62) before PV-MOD's 382 (0.75: 0.44)
    assert top_of(r, "甲") == [("PV-CELL", "proposed"), ("PV-MOD", "review")]
    assert top_of(r, "乙") == [("PV-MOD", "review")]
    f = next(f for f in r.firms if f.row.name == "丙")
    assert f.proposals == [] and f.reason == "nothing_similar"  # a code no segment declares, a name of one character
    ev = next(f for f in r.firms if f.row.name == "乙").proposals[0].evidence
    assert ev[0] == {"kind": "code", "firm_code": "3829", "code": "382"}


def test_catch_all_only_when_no_sibling_is_proposed(tmp_path):
    ds = load_valid(make_dataset(tmp_path))
    p = write_list(tmp_path, "企业名称,主营产品,经营范围\n"
                             "甲,光伏组件,\n"  # PV-MOD (光伏组件) proposed: the catch-all PV-OTHER (光伏) is dropped
                             "乙,,光伏配件\n")  # only PV-OTHER's term: kept, first
    r = propose([p], ds)
    assert top_of(r, "甲")[0] == ("PV-MOD", "proposed") and "PV-OTHER" not in proposals_of(r, "甲")
    assert top_of(r, "乙")[0][0] == "PV-OTHER"


def test_chain_fit_caps_segments_of_a_chain_with_chain_terms(tmp_path):
    ds = load_valid(make_dataset(tmp_path))
    p = write_list(tmp_path, "企业名称,主营产品\n甲,电芯\n乙,储能电芯\n")
    r = propose([p], ds)
    assert top_of(r, "甲")[0] == ("ES-CELL", "review")  # no 储能: not the storage chain for sure
    assert top_of(r, "乙")[0] == ("ES-CELL", "proposed")
    note = next(f for f in r.firms if f.row.name == "甲").proposals[0].evidence[-1]
    assert note["kind"] == "chain" and "ES" in note["note"]


def test_deregistered_firms_are_reported_not_placed(tmp_path):
    ds = load_valid(make_dataset(tmp_path))
    p = write_list(tmp_path, "企业名称,主营产品,登记状态\n甲,电池片,注销\n乙,电池片,存续（在营、开业、在册）\n")
    r = propose([p], ds)
    assert [(f.row.name, f.deregistered, bool(f.proposals)) for f in r.firms] == [("甲", True, False), ("乙", False, True)]
    assert [(pr.code, pr.row) for pr in r.problems] == [("deregistered", 2)]


def test_validate_refuses_empty_terms_and_checks_references(tmp_path):
    ds = make_dataset(tmp_path, segment_terms="segment_id,term\nPV-CELL,科技\nPV-CELL,平台\nNOPE,电池片\nPV,光伏\n")
    probs = {(p.code, p.row, p.value) for p in read_dataset(ds).errors}
    assert probs == {("empty_term", 2, "科技"), ("empty_term", 3, "平台"), ("unknown_reference", 4, "NOPE")}


def test_new_firm_columns_are_validated_exported_and_loaded(tmp_path):
    from chainkg.loaders.export import export_dataset
    from chainkg.neo4j_io.plan import build_plan

    ds_path = make_dataset(tmp_path, firms=("id,name,local,经营范围,主营产品,行业代码\n"
                                             "F-1,甲,是,光伏电池片生产,电池片,C3825\nF-2,乙,是,,,38x\n"))
    report = read_dataset(ds_path)
    assert [(p.code, p.row, p.value) for p in report.errors] == [("bad_industry_code", 3, "38x")]
    ds_path = make_dataset(tmp_path, "ds2", firms="id,name,local,经营范围,主营产品,行业代码\nF-1,甲,是,光伏电池片生产,电池片,C3825\n")
    ds = load_valid(ds_path)
    assert ds.nodes["F-1"].props["industry_code"] == "3825"
    export_dataset(ds, tmp_path / "out")
    again = load_valid(tmp_path / "out")
    assert again.nodes["F-1"].props == ds.nodes["F-1"].props
    assert [r.props for r in again.rules["segment_terms"]] == [r.props for r in ds.rules["segment_terms"]]
    firm_rows = next(s for s in build_plan(ds) if s.kind == "nodes" and s.label == "Firm").rows
    assert firm_rows[0]["props"]["main_products"] == "电池片"


# -- review and apply --------------------------------------------------------------------------------

def _fill(review: Path, answers: dict[str, str]) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(review)
    ws = wb["复核"]
    headers = [c.value for c in ws[1]]
    name_col, accept_col = headers.index("企业名称") + 1, headers.index("采纳") + 1
    for row in range(2, ws.max_row + 1):
        name = ws.cell(row=row, column=name_col).value
        if name in answers:
            ws.cell(row=row, column=accept_col).value = answers[name]
    wb.save(review)


LIST = ("企业名称,统一社会信用代码,主营产品,所属区县,备注\n"
        f"扬州甲光伏有限公司,{CODE_A},电池片 光伏组件,邗江区,老客户\n"
        "扬州乙储能有限公司,,储能电芯,,\n"
        "扬州丙科技有限公司,,电池片,,\n"
        "扬州旧能源有限公司,,储能系统集成,,\n"
        "扬州丁有限公司,,储能电芯,,\n")


def _propose_review(tmp_path, ds_path, list_text=LIST, name="review.xlsx"):
    ds = load_valid(ds_path)
    result = propose([write_list(tmp_path, list_text)], ds, today="2026-11-28")
    return write_review(result, tmp_path / name, segments=[("PV-CELL", "电池片", "PV")]), result


def test_review_workbook_shape(tmp_path):
    from openpyxl import load_workbook

    review, _ = _propose_review(tmp_path, make_dataset(tmp_path))
    wb = load_workbook(review)
    assert wb.sheetnames == ["复核", "环节", "问题", "说明"]
    ws = wb["复核"]
    headers = [c.value for c in ws[1]]
    assert headers[:4] == ["序号", "来源", "企业名称", "统一社会信用代码"]
    assert "建议1环节" in headers and "建议3依据" in headers and headers[-1] == "备注" and "采纳" in headers
    assert ws.freeze_panes == "D2" and ws.auto_filter.ref.startswith("A1:")
    dv = ws.data_validations.dataValidation[0]
    assert dv.formula1 == "=环节!$A$2:$A$4"
    assert [c.value for c in wb["环节"]["A"]][1:] == ["是", "否", "PV-CELL"]
    row = {h: c.value for h, c in zip(headers, ws[2], strict=True)}
    assert (row["企业名称"], row["建议1环节"], row["建议1结论"], row["所属区县"], row["备注"]) == (
        "扬州甲光伏有限公司", "PV-CELL", "建议", "D-HJ", "老客户")


def test_review_round_trip_apply_rejections_and_idempotence(tmp_path):
    ds_path = make_dataset(tmp_path)
    review, result = _propose_review(tmp_path, ds_path)
    new_a = next(f.firm_id for f in result.firms if f.row.name == "扬州甲光伏有限公司")
    new_b = next(f.firm_id for f in result.firms if f.row.name == "扬州乙储能有限公司")
    new_c = next(f.firm_id for f in result.firms if f.row.name == "扬州丙科技有限公司")
    _fill(review, {"扬州甲光伏有限公司": "是",  # both 建议 proposals: PV-MOD and PV-CELL
                   "扬州乙储能有限公司": "否",  # rejected, remembered
                   "扬州丙科技有限公司": "PV-MOD",  # a segment not proposed; PV-CELL (shown) is rejected
                   "扬州旧能源有限公司": "ES-SI"})  # an existing firm gains a placement
    res = apply_review(review, load_valid(ds_path))
    out = res.dataset
    src = res.source_id
    assert src.startswith("S-REVIEW-") and out.nodes[src].props["title"] == "人工复核 staff review, 2026-11-28, review.xlsx"
    assert sorted(res.confirmed) == sorted([(new_a, "PV-CELL"), (new_a, "PV-MOD"), (new_c, "PV-MOD"),
                                            ("F-OLD", "ES-SI")])
    assert res.inferred == [] and sorted(res.rejected) == sorted([(new_b, "ES-CELL"), (new_c, "PV-CELL")])
    assert out.rels[("IN_SEGMENT", new_a, "PV-CELL")].props == {"source_id": src, "confidence": "confirmed"}
    assert out.nodes[new_a].props["credit_code"] == CODE_A and out.nodes[new_a].props["local"] is True
    assert ("LOCATED_IN", new_a, "D-HJ") in out.rels
    assert new_b not in out.nodes  # nothing accepted: not added
    rej = [(r.props["firm_name"], r.props["segment_id"]) for r in out.rules["intake_rejections"]]
    assert sorted(rej) == sorted([("扬州乙储能有限公司", "ES-CELL"), ("扬州丙科技有限公司", "PV-CELL")])

    updated = tmp_path / "updated"
    write_checked(out, updated)
    assert not read_dataset(updated).errors
    before = {p.name: p.read_bytes() for p in updated.iterdir()}
    # the same review applied again to the updated dataset changes nothing
    again = apply_review(review, load_valid(updated))
    assert again.counts()["confirmed"] == 0 and again.counts()["rejected"] == 0 and again.unchanged == 4
    write_checked(again.dataset, updated)
    assert {p.name: p.read_bytes() for p in updated.iterdir()} == before
    # the next propose does not offer what was rejected, nor what the firm already has
    r2 = propose([write_list(tmp_path, LIST, name="again.csv")], load_valid(updated))
    assert "ES-CELL" not in proposals_of(r2, "扬州乙储能有限公司")
    assert "PV-CELL" not in proposals_of(r2, "扬州丙科技有限公司")
    assert not {"PV-CELL", "PV-MOD"} & set(proposals_of(r2, "扬州甲光伏有限公司"))


def test_accept_proposed_goes_in_as_inferred(tmp_path):
    ds_path = make_dataset(tmp_path)
    review, result = _propose_review(tmp_path, ds_path)
    res = apply_review(review, load_valid(ds_path), accept_proposed=True)
    d = next(f.firm_id for f in result.firms if f.row.name == "扬州丁有限公司")
    assert (d, "ES-CELL") in res.inferred  # 储能电芯: chain term and segment term -> proposed
    assert res.dataset.rels[("IN_SEGMENT", d, "ES-CELL")].props["confidence"] == "inferred"
    assert res.dataset.nodes[d].props["confidence"] == "inferred"
    c = next(f.firm_id for f in result.firms if f.row.name == "扬州丙科技有限公司")
    assert (c, "PV-CELL") in res.inferred
    assert res.confirmed == []


def test_failed_apply_writes_nothing(tmp_path):
    ds_path = make_dataset(tmp_path)
    review, _ = _propose_review(tmp_path, ds_path)
    _fill(review, {"扬州甲光伏有限公司": "PV-NOPE", "扬州乙储能有限公司": "是"})
    out = tmp_path / "updated"
    res = CliRunner().invoke(main, ["intake", "apply", str(review), "--data", str(ds_path), "-o", str(out)])
    assert res.exit_code == 1 and not out.exists()
    assert "PV-NOPE" in res.output and "nothing was written" in res.output
    # an updated dataset that would not validate is not written either, and the old one stays
    from chainkg.graph_model.records import Node

    ds = load_valid(ds_path)
    write_checked(ds, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    ds.nodes["F-BAD"] = Node("F-BAD", "Firm", {"name": "坏"})  # no `local`: a required column
    with pytest.raises(DataError) as exc:
        write_checked(ds, out)
    assert "nothing was written" in str(exc.value)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".chainkg-apply-")]


def test_hostile_cells_stay_text(tmp_path):
    from openpyxl import load_workbook

    ds_path = make_dataset(tmp_path)
    evil = '=HYPERLINK("http://evil.example","点我")'
    import csv
    import io

    buf = io.StringIO()
    csv.writer(buf).writerows([["企业名称", "主营产品", "联系人"], [evil, "电池片", "@SUM(A1)"]])
    review, _ = _propose_review(tmp_path, ds_path, buf.getvalue())
    ws = load_workbook(review)["复核"]
    headers = [c.value for c in ws[1]]
    row = {h: c.value for h, c in zip(headers, ws[2], strict=True)}
    assert row["企业名称"] == "'" + evil and row["联系人"] == "'@SUM(A1)"
    assert all(c.data_type != "f" for c in ws[2])
    _fill(review, {"'" + evil: "是"})
    res = apply_review(review, load_valid(ds_path))
    assert [res.dataset.nodes[f].props["name"] for f in res.new_firms] == [evil]


def test_cli_propose_json_and_exit_codes(tmp_path):
    ds_path = make_dataset(tmp_path)
    lst = write_list(tmp_path, "企业名称,主营产品\n甲,电池片\n,组件\n")
    out = tmp_path / "p.json"
    res = CliRunner().invoke(main, ["intake", "propose", str(lst), "--data", str(ds_path), "-o", str(out)])
    assert res.exit_code == 1  # a row without a name is an error; the proposals are still written
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["firms"][0]["proposals"][0]["segment_id"] == "PV-CELL"
    assert data["counts"] == {"firms": 1, "existing": 0, "new": 1, "deregistered": 0, "with_proposed": 1,
                              "review_only": 0, "weak_only": 0, "no_proposal": 0}
    assert data["thresholds"]["estimated"] is False and data["model"]["learned"] is False
    bad = write_list(tmp_path, "地址\n扬州\n", name="bad.csv")
    res = CliRunner().invoke(main, ["intake", "propose", str(bad), "--data", str(ds_path), "-o", str(out)])
    assert res.exit_code == 1 and "missing_column" in res.output
    res = CliRunner().invoke(main, ["intake", "propose", str(lst), "--data", str(ds_path), "-o", "x.txt"])
    assert res.exit_code == 2


def test_bundled_dataset_terms_place_the_example_list():
    example = Path(__file__).resolve().parents[1] / "examples" / "intake" / "名录示例.csv"
    result = propose([example], load_valid("yangzhou-613"))
    top = {f.row.name: (f.proposals[0].segment_id if f.proposals else None) for f in result.firms}
    assert top["扬州示例光伏电池有限公司（示例）"] == "PV-CELL"
    assert top["扬州示例储能系统有限公司（示例）"] in ("ES-SI", "ES-PACK", "ES-BMS")
    assert top["扬州示例折弯机床有限公司（示例）"] == "MT-FORM"
    assert any(p.code == "deregistered" for p in result.problems)


def test_docs_hold_the_alias_table():
    from chainkg.intake.columns import alias_table

    doc = (Path(__file__).resolve().parents[1] / "docs" / "intake.md").read_text(encoding="utf-8")
    assert alias_table() in doc


@pytest.mark.neo4j
def test_new_firm_columns_are_loaded_into_neo4j_and_rule_tables_stay_out(neo4j, tmp_path):
    from chainkg.neo4j_io.writer import load_dataset

    ds_path = make_dataset(tmp_path, firms="id,name,local,经营范围,主营产品,行业代码\nF-1,甲,是,光伏电池片生产,电池片,C3825\n")
    drv = neo4j.driver()
    try:
        load_dataset(drv, neo4j.settings.database, load_valid(ds_path))
        rows = drv.execute_query("MATCH (f:Firm {id: 'F-1'}) RETURN f.business_scope AS s, f.main_products AS p, "
                                 "f.industry_code AS c", database_=neo4j.settings.database).records
        assert [r.data() for r in rows] == [{"s": "光伏电池片生产", "p": "电池片", "c": "3825"}]
        labels = drv.execute_query("MATCH (n) UNWIND labels(n) AS l RETURN collect(DISTINCT l) AS ls",
                                   database_=neo4j.settings.database).records[0]["ls"]
        assert not any("Term" in label or "Rejection" in label for label in labels)
    finally:
        drv.close()


def test_apply_of_a_file_that_is_no_workbook_says_so(tmp_path):
    """Read by the one workbook opener: a clear error (exit 1), not BadZipFile's traceback."""
    broken = tmp_path / "复核.xlsx"
    broken.write_bytes(b"not a workbook")
    res = CliRunner().invoke(main, ["intake", "apply", str(broken), "-o", str(tmp_path / "out")])
    assert res.exit_code == 1, res.output
    assert "复核.xlsx: not a readable .xlsx workbook" in res.output and "save it again as .xlsx" in res.output
    assert not (tmp_path / "out").exists()
