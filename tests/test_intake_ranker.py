"""The learned ranker, learning from staff, encodings, districts and the memory bound. Hand-built
lists and answers."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse

from chainkg.errors import DataError
from chainkg.intake import Ranker, choose_thresholds, order_for_review, propose
from chainkg.intake.columns import read_list
from chainkg.intake.propose import Proposer, nearest_placed, similarity_block
from chainkg.intake.ranker import DEFAULT_COEF, FEATURES
from chainkg.loaders import load_valid
from chainkg.loaders.frames import detect_encoding
from test_intake import make_dataset, write_list

# two segments whose placed firms share no character: 光伏 (电池片 / 组件) against 食品 (饺子 / 汤圆)
SOLAR = ["单晶电池片", "多晶电池片", "电池片组件", "高效电池片", "电池片制造", "光伏电池片"]
FOOD = ["速冻饺子", "冷冻汤圆", "饺子汤圆", "手工饺子", "汤圆馅料", "水饺汤圆"]


def tiny_ranker(**kw) -> Ranker:
    rk = Ranker(["SOLAR", "FOOD", "EMPTY"], ["光伏 电池片", "食品 饺子", "储能 电芯"], inner_folds=3, **kw)
    return rk.fit(SOLAR + FOOD, [["SOLAR"]] * 6 + [["FOOD"]] * 6)


def test_tiny_labelled_set_linear_model_ranks_by_shared_characters():
    rk = tiny_ranker()
    assert rk.learned and rk.report["placed_firms"] == 12 and rk.report["segments_with_placed_firms"] == 2
    # 电池片 appears only in SOLAR firms, 饺子 only in FOOD ones: each text goes to its side first,
    # with a higher confidence than the other side; the combiner learned a positive weight for
    # the linear margin and the centroid cosine (both separate the sides perfectly)
    (a, b) = rk.rank(["电池片", "饺子"], top=3)
    assert [c.segment for c in a][0] == "SOLAR" and [c.segment for c in b][0] == "FOOD"
    assert a[0].confidence > a[1].confidence and b[0].confidence > b[1].confidence
    w = dict(zip(FEATURES, rk.coef[:-1], strict=False))
    assert w["linear"] > 0 or w["centroid"] > 0
    # always the top 3: every segment is ranked, the empty one too
    assert len(a) == 3 and {c.segment for c in a} == {"SOLAR", "FOOD", "EMPTY"}


def test_text_prior_for_an_empty_segment():
    rk = tiny_ranker()
    # 储能电芯 is in no placed firm, only in the EMPTY segment's own text (储能 电芯): scored by
    # the text prior (default weights, sigmoid(-4 + 6 × 0.70) = 0.56), above FOOD, which shares
    # nothing with it; SOLAR shares 电 with 电池片 and stays a candidate
    (c,) = rk.rank(["储能电芯"], top=3)
    by = {x.segment: x for x in c}
    assert by["EMPTY"].confidence > 0.5 > by["FOOD"].confidence
    assert by["EMPTY"].features["prior"] > 0.6 and by["EMPTY"].features["centroid"] == 0


def test_nothing_learned_without_placed_firms_uses_the_defaults():
    rk = Ranker(["A", "B"], ["电池片", "饺子"]).fit([], [])
    assert not rk.learned and rk.thresholds.estimated is False and tuple(rk.coef) == DEFAULT_COEF
    (c,) = rk.rank(["电池片"], top=2)
    assert c[0].segment == "A" and c[0].confidence > 0.5 > c[1].confidence


def test_thresholds_from_held_out_candidates_by_hand():
    # held out, best first: right, right, right, wrong, right, wrong. Without the Wilson bound
    # (z=0), precision >= 0.75 holds down to 0.5 (4 right of 5 = 0.8); >= 0.5 down to 0.4 (4/6)
    t = choose_thresholds([0.9, 0.8, 0.7, 0.6, 0.5, 0.4], [1, 1, 1, 0, 1, 0], 6, target=0.75, z=0)
    assert (t.proposed, t.review, t.estimated) == (0.5, 0.4, True)
    assert t.held_out == {"candidates": 6, "firms": 6, "proposed": 5, "precision": 0.8, "recall": 0.667,
                          "target_reached": True}
    # the 95% lower bound of 4/5 is far below 0.75: nothing is proposed, and that is said
    t = choose_thresholds([0.9, 0.8, 0.7, 0.6, 0.5, 0.4], [1, 1, 1, 0, 1, 0], 6, target=0.75)
    assert t.proposed > 1 and t.held_out["target_reached"] is False and t.held_out["proposed"] == 0
    assert t.decide(0.99) != "proposed"


def test_thresholds_of_a_fit_come_from_its_held_out_folds():
    rk = tiny_ranker()
    held = rk.thresholds.held_out
    # 12 firms, 3 candidates each on the inner held-out folds
    assert rk.thresholds.estimated and held["firms"] == 12 and held["candidates"] == 36
    assert rk.report["c"] in rk.c_grid and rk.report["inner_folds"] == 3


# -- learning from staff -------------------------------------------------------------------------------

PLACED = {
    "firms": ("id,name,main_products,local\n"
              "F1,扬州一号有限公司,单晶电池片,是\nF2,扬州二号有限公司,多晶电池片,是\nF3,扬州三号有限公司,高效电池片,是\n"
              "F4,扬州四号有限公司,储能电芯,是\nF5,扬州五号有限公司,磷酸铁锂电芯,是\nF6,扬州六号有限公司,储能电芯模组,是\n"
              "F7,扬州七号有限公司,储能系统集成,是\nF8,扬州八号有限公司,集装箱储能系统,是\n"
              "F9,扬州九号有限公司,储能系统,是\nF10,扬州十号有限公司,光伏组件,是\nF11,扬州十一有限公司,组件封装,是\n"
              "F12,扬州十二有限公司,双玻组件,是\n"),
    "firm_segments": ("firm_id,segment_id\nF1,PV-CELL\nF2,PV-CELL\nF3,PV-CELL\nF4,ES-CELL\nF5,ES-CELL\nF6,ES-CELL\n"
                      "F7,ES-SI\nF8,ES-SI\nF9,ES-SI\nF10,PV-MOD\nF11,PV-MOD\nF12,PV-MOD\n"),
    "segment_terms": None, "segment_industries": None,
}


def test_review_round_rejected_pair_not_proposed_again_accepted_raises_its_segment(tmp_path):
    from chainkg.graph_model.records import Row
    from chainkg.intake import Decision, apply_decisions

    ds = load_valid(make_dataset(tmp_path, **PLACED))
    lst = write_list(tmp_path, "企业名称,主营产品\n扬州甲有限公司,钙钛矿电池片\n扬州乙有限公司,钠电池电芯\n")
    before = propose([lst], ds)
    first = {f.row.name: [p.segment_id for p in f.proposals] for f in before.firms}
    conf0 = {f.row.name: {p.segment_id: p.score for p in f.proposals} for f in before.firms}
    assert first["扬州甲有限公司"][0] == "PV-CELL"
    # staff: 甲 is not PV-CELL (rejected) but PV-MOD (re-assigned); 乙 accepted as ES-CELL
    a = next(f for f in before.firms if f.row.name == "扬州甲有限公司")
    b = next(f for f in before.firms if f.row.name == "扬州乙有限公司")
    applied = apply_decisions(ds, [Decision(a.firm_id, a.row.name, [("PV-MOD", "confirmed")], ["PV-CELL"], local=True,
                                            fields={"main_products": "钙钛矿电池片"}),
                                   Decision(b.firm_id, b.row.name, [("ES-CELL", "confirmed")], local=True,
                                            fields={"main_products": "钠电池电芯"})],
                              "S1", date="2026-12-02", note="test")
    assert applied.rejected == [(a.firm_id, "PV-CELL")] and len(applied.confirmed) == 2
    assert ds.rules["intake_rejections"][0].props["segment_id"] == "PV-CELL"
    # the next propose: the rejected pair is not offered again; the firms are placed now, so a
    # new firm like 乙 gets a higher confidence for ES-CELL than 乙 got before
    lst2 = write_list(tmp_path, "企业名称,主营产品\n扬州甲有限公司,钙钛矿电池片\n扬州丙有限公司,钠电池电芯\n", name="b.csv")
    after = propose([lst2], ds)
    again = {f.row.name: {p.segment_id: p.score for p in f.proposals} for f in after.firms}
    assert "PV-CELL" not in again["扬州甲有限公司"] and "PV-MOD" not in again["扬州甲有限公司"]
    assert again["扬州丙有限公司"]["ES-CELL"] > conf0["扬州乙有限公司"]["ES-CELL"]
    # the rejection is a negative pair of the combiner's training (the firm's text is in the dataset)
    p = Proposer(ds)
    assert p.ranker.learned and any(r == Row(r.props) for r in ds.rules["intake_rejections"])


def test_review_order_puts_undecided_and_thinly_placed_first(tmp_path):
    ds = load_valid(make_dataset(tmp_path, **PLACED))
    lst = write_list(tmp_path, "企业名称,主营产品\n扬州甲有限公司,单晶电池片\n扬州乙有限公司,电池片 储能电芯 组件\n"
                               "扬州丙有限公司,\n")
    r = propose([lst], ds)
    order = [f.row.name for f in order_for_review(r.firms)]
    # 乙's text points three ways (undecided) before 甲 (a clear 电池片); 丙 has no candidate: last
    assert order == ["扬州乙有限公司", "扬州甲有限公司", "扬州丙有限公司"]
    assert next(f for f in r.firms if f.row.name == "扬州丙有限公司").reason in ("no_text", "nothing_similar")


# -- encodings -------------------------------------------------------------------------------------------

BIG5_TEXT = "name,main products\n臺灣水泥股份有限公司,水泥及熟料\n亞洲水泥股份有限公司,預拌混凝土\n統一企業股份有限公司,食品飲料\n"
GB_TEXT = "企业名称,主营产品\n扬州光伏科技有限公司,电池片及组件\n江苏储能有限公司,储能电芯\n"


def test_big5_gb18030_utf16_are_detected_and_read(tmp_path):
    assert detect_encoding(BIG5_TEXT.encode("big5"))[0] == "big5"  # not read as GB18030 with garbled names
    assert detect_encoding(GB_TEXT.encode("gb18030"))[0] == "gb18030"
    assert detect_encoding(GB_TEXT.encode("utf-16"))[0] == "utf-16"
    assert detect_encoding("name,code\n".encode("utf-16-le"))[0] == "utf-16-le"  # no BOM: told by its zero bytes
    rows = read_list(write_list(tmp_path, BIG5_TEXT, name="tw.csv", encoding="big5")).rows
    assert [r.name for r in rows] == ["臺灣水泥股份有限公司", "亞洲水泥股份有限公司", "統一企業股份有限公司"]
    rows = read_list(write_list(tmp_path, GB_TEXT, name="gb.csv", encoding="gb18030")).rows
    assert rows[1].main_products == "储能电芯"


def test_an_unclear_encoding_is_refused_with_candidates_and_encoding_suggested(tmp_path):
    # two characters read as well in Big5 as in GB18030: refused, not guessed
    p = write_list(tmp_path, "名称\n甲\n", name="short.csv", encoding="gb18030")
    enc, candidates = detect_encoding(p.read_bytes())
    assert enc is None and {"gb18030", "big5"} <= set(candidates)
    with pytest.raises(DataError) as e:
        read_list(p)
    prob = e.value.problems[0]
    assert prob.code == "bad_encoding" and "--encoding" in prob.hint and "big5" in prob.message
    # the named encoding is used as given
    assert [r.name for r in read_list(p, encoding="gb18030").rows] == ["甲"]


# -- districts -------------------------------------------------------------------------------------------

def test_unknown_district_is_a_warning_with_the_value_never_outside(tmp_path):
    ds = load_valid(make_dataset(tmp_path))
    lst = write_list(tmp_path, "企业名称,主营产品,所属区县\n甲,电池片,邗江区\n乙,电池片,火星区\n丙,电池片,\n")
    r = propose([lst], ds)
    local = {f.row.name: (f.district_id, f.local) for f in r.firms}
    assert local == {"甲": ("D-HJ", True), "乙": (None, None), "丙": (None, False)}
    (w,) = [p for p in r.problems if p.code == "unknown_district"]
    assert (w.severity, w.row, w.column, w.value) == ("warning", 3, "所属区县", "火星区")


# -- memory ----------------------------------------------------------------------------------------------

def test_a_chunk_similarity_matrix_stays_sparse():
    rng = np.random.default_rng(0)
    placed = sparse.random(500, 2000, density=0.005, format="csr", random_state=0)
    rows = sparse.random(50, 2000, density=0.005, format="csr", random_state=1)
    m = similarity_block(rows, placed)
    assert sparse.issparse(m) and m.shape == (50, 500)
    assert m.nnz < 0.2 * 50 * 500  # few pairs share a column: most of the block is never stored
    del rng


def test_nearest_placed_firm_is_computed_per_candidate_segment_only(tmp_path):
    ds = load_valid(make_dataset(tmp_path, **PLACED))
    p = Proposer(ds)
    x = p.ranker.transform(["扬州某有限公司 单晶电池片"])
    got = nearest_placed(p.ranker, x, [["PV-CELL"]])
    assert list(got[0]) == ["PV-CELL"] and got[0]["PV-CELL"][0] == "F1"  # 单晶电池片: F1's own words


def test_a_large_dataset_tunes_c_on_a_sample_and_scores_with_models_of_all_but_a_fold():
    # max_tune 9 < 12 placed firms: C compared on the 9 sampled, the 3 fold models trained on the rest
    rk = Ranker(["SOLAR", "FOOD"], ["光伏 电池片", "食品 饺子"], inner_folds=3, max_tune=9)
    rk.fit(SOLAR + FOOD, [["SOLAR"]] * 6 + [["FOOD"]] * 6)
    assert rk.learned and rk.report["tuned_on"] == 9 and len(rk.bases) == 3
    assert all(b.count.sum() >= 9 for b in rk.bases)  # each fold model saw more than the sample's 6
    assert rk.rank(["电池片"], top=1)[0][0].segment == "SOLAR"


def test_review_round_rejection_of_a_new_firm_is_text_keyed(tmp_path):
    """A firm new to the dataset rejected in review.xlsx: the rejection keeps the text staff saw, so
    the next propose learns from it (a negative pair) and a row repeating that text under another
    name is not offered the segment again; a row with other text still is."""
    from chainkg.intake import apply_review, write_checked, write_review
    from chainkg.loaders import read_dataset
    from test_intake import _fill

    ds = load_valid(make_dataset(tmp_path, **PLACED))
    result = propose([write_list(tmp_path, "企业名称,主营产品\n扬州戊有限公司,钠离子储能电芯\n")], ds, today="2026-12-02")
    (firm,) = result.firms
    shown = [p.segment_id for p in firm.proposals if p.decision != "weak"]
    assert shown and shown[0] == "ES-CELL"
    review = write_review(result, tmp_path / "review.xlsx")
    _fill(review, {"扬州戊有限公司": "否"})
    res = apply_review(review, ds)
    out = res.dataset
    assert firm.firm_id not in out.nodes  # nothing accepted: the firm is not added
    (rej, *more) = [r.props for r in out.rules["intake_rejections"] if r.props["firm_name"] == "扬州戊有限公司"]
    assert rej["segment_id"] == "ES-CELL" and rej["main_products"] == "钠离子储能电芯"
    assert {r["segment_id"] for r in [rej, *more]} == set(shown)
    # the columns are part of the format: the updated dataset reads back without problems
    write_checked(out, tmp_path / "updated")
    back = load_valid(tmp_path / "updated")
    assert not read_dataset(tmp_path / "updated").errors
    # the next propose: the rejected (text, segment) pair is a negative example, though the dataset
    # holds no firm of that name ...
    p = Proposer(back)
    assert ("钠离子储能电芯", "ES-CELL") in {(t.split()[-1], s) for t, s, _ in p.negatives()}
    # ... and the same text under another name (no credit code to match) is that firm again
    lst = write_list(tmp_path, "企业名称,主营产品\n扬州己有限公司,钠离子储能电芯\n扬州庚有限公司,磷酸铁锂储能电芯\n", name="b.csv")
    again = {f.row.name: [q.segment_id for q in f.proposals] for f in propose([lst], back, proposer=p).firms}
    assert "ES-CELL" not in again["扬州己有限公司"]
    assert again["扬州庚有限公司"][0] == "ES-CELL"
