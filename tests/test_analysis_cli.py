"""The analysis commands end to end on the bundled Yangzhou dataset."""

from __future__ import annotations

import csv
import io
import json
import subprocess

from conftest import CHAINKG, cli

run = cli  # in-process; the exit-code test below runs the installed command


def jrun(*args):
    res = run(*args, "--format", "json")
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout), res.stderr


def test_gaps_json_covers_all_13_chains_with_the_documented_fields():
    from chainkg.loaders import load_valid

    rows, _ = jrun("gaps")
    ds = load_valid("yangzhou-613")  # every segment of every chain, once
    assert sorted(r["segment_id"] for r in rows) == sorted(n.id for n in ds.nodes_of("Segment"))
    assert {r["chain_id"] for r in rows} == {c.id for c in ds.nodes_of("Chain")}
    for r in rows:
        assert {"segment_id", "segment", "chain_id", "chain", "status", "direction", "local_firms", "priority",
                "coverage", "confirmed", "source_id", "confidence"} <= set(r)
        assert set(r["priority"]) == {"total", "parts"}
        assert r["status"] in ("gap_fill", "gap_extend", "gap_isolated", "gap_unlinked", "single", "thin", "present")
        assert (r["direction"] in ("up", "down")) == (r["status"] == "gap_extend")
    # nothing in the data confirms an absence: no gap may read as confirmed
    assert not any(r["confirmed"] for r in rows)
    assert all("未掌握本地企业" in r["display"] for r in rows if r["status"].startswith("gap_"))


def test_top_finding_cnc_systems():
    rows, _ = jrun("gaps", "--chain", "工业母机及机器人")
    top = rows[0]
    assert (top["segment_id"], top["status"], top["rank"]) == ("MT-CNC", "gap_fill", 1)
    assert [p["segment_id"] for p in top["pulls"]] == ["MT-CUT", "MT-FORM"]
    assert top["priority"]["parts"]["key"] == 3 and top["priority"]["parts"]["adjacent_local_firms"] == 5
    assert "覆盖率 10/66 = 15.2%" in top["display"]  # 10 named local MT firms (#15 research) of 66 reported
    assert top["source_id"] == "SEG-MT-1" and top["confidence"] == "confirmed"


def test_english_and_filters():
    rows, _ = jrun("gaps", "--chain", "Crystalline-silicon PV", "--lang", "en")
    assert len(rows) == 14 and rows[0]["chain"] == "Crystalline-silicon PV"
    # 光伏银浆 is the top gap; 电池片 (present) follows since #27 put the 光伏制造装备 suppliers of 中科高邮 on record
    assert rows[0]["segment"] == "Silver paste" and "no local firm on record" in rows[0]["display"]
    assert rows[1]["segment"] == "Cells" and rows[1]["status"] == "present"
    cluster, _ = jrun("gaps", "--cluster", "新能源")
    assert {r["chain_id"] for r in cluster} == {"PV", "ES", "H2"}
    gaoyou, _ = jrun("gaps", "--district", "高邮市", "--chain", "PV")
    assert {r["segment_id"]: r["local_firms"] for r in gaoyou}["PV-MOD"] == 0  # 晶澳 is in 扬州经开区


def test_unknown_and_ambiguous_names_exit_2():
    res = subprocess.run([CHAINKG, "gaps", "--chain", "光伏"], capture_output=True, text=True, timeout=300)
    assert res.returncode == 2 and "--chain '光伏': no Chain has this id or name." in res.stderr
    assert "Did you mean: PV (晶硅光伏)" in res.stderr


def test_csv_and_md_outputs(tmp_path):
    res = run("gaps", "--chain", "PV", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    # #27 data: 光伏制造装备 suppliers of 中科高邮 on record put 光伏银浆 (fed to the local cells) first
    assert len(rows) == 14 and rows[0]["环节"] == "光伏银浆" and rows[0]["优先级"] == "9.0"
    assert rows[1]["环节"] == "电池片" and rows[1]["优先级"] == "8.1"
    out = tmp_path / "g.md"
    assert run("gaps", "--chain", "PV", "--format", "md", "-o", str(out)).returncode == 0
    assert out.read_text(encoding="utf-8").count("\n| ") == 15  # header + 14 segments


def test_chokepoints_on_the_bundled_data():
    rows, _ = jrun("chokepoints")
    got = {r["segment_id"]: r["pairs"] for r in rows}
    # with the #15 firms 15 links are chokepoints; the two of before keep their pairs (now with more of them);
    # #27 adds AV-PART (宝胜 now also in 机载系统), SM-MONO (local firms now in SM-FEED) and ES-OM (航天锂电 now in
    # 储能电芯): 18; data4 (#27): 大源新材料 (制品与部件) is outside by the local rule (a project only), so
    # SM-COMPOSITE and SM-COMPOUND no longer sit between two local firms: 16
    assert len(got) == 16
    assert ["PV-WAFER", "PV-MOD"] in got["PV-CELL"] and ["IC-DESIGN", "IC-OSAT"] in got["IC-FAB"]
    assert got["H2-FCS"] == [["H2-STACK", "H2-APP"]]


def test_centrality_on_the_bundled_supplies():
    rows, err = jrun("centrality")
    assert "数据中没有供应关系" not in err  # #27: 47 SUPPLIES rows
    ranked = [r["firm_id"] for r in sorted(rows, key=lambda r: -(r["pagerank"] or 0))][:2]
    # data4: 天富龙 supplies 11 named customers (its exchange review), 新大洋 builds for 7 owners and lessors
    assert ranked == ["F-SM-TFL", "F-SMDXDY"]
    keys = {r["firm_id"]: r["key_firm"] for r in rows if r["key_firm"]}
    assert keys["F-XINYANG"] == ["only_local_firm"]  # the only local firm of 航空材料 and 组件/机体结构件
    leaders, _ = jrun("centrality", "--leaders", "--chain", "MT")
    # 亚威 has the only sourced MT revenue (19.28 亿元, 2023) and leads; 扬力 next, the one MT supplier with a
    # customer on record (#27: its press for 德展精工), then segments covered, then id
    assert [r["firm_id"] for r in leaders][:3] == ["F-YAWEI", "F-YANGLI", "F-GUIYU"]


def test_prospects_and_empty_pools():
    rows, err = jrun("prospects", "--chain", "PV")
    equip = [r for r in rows if r["segment_id"] == "PV-EQUIP"]
    # #27: the six equipment makers that supply 中科高邮 score for that local partner
    assert [(r["firm_id"], r["score"]) for r in equip] == [
        ("F-PV-HYMSON", 2), ("F-PV-JZZB", 2), ("F-PV-KLW", 2), ("F-PV-PUDATE", 2), ("F-PV-SC", 2), ("F-PV-SONGYU", 2),
        ("F-CSI", 0)]
    assert equip[0]["reasons"][0] == "与本地企业有供应关系：中科高邮（中科云网控股子公司）"
    # 阿特斯 already has projects here: an existing investor (增资扩产 / 以商引商), not a cold approach
    assert equip[-1]["reasons"] == ["已在本地有投资项目：阿特斯14GW组件项目、2GW钙钛矿装备项目（该企业登记在外地，项目不计为本环节的本地企业；可谈增资扩产、以商引商）",
                                   "营收未知（按 0 分计）"]
    assert equip[-1]["existing_investor"] is True
    paste = [(r["firm_id"], r["score"]) for r in rows if r["segment_id"] == "PV-PASTE"]
    assert paste == [("F-PV-DKEM", 3), ("F-PV-GOODWORK", 0), ("F-PV-JUHE", 0)]  # 帝科's revenue scores
    assert "个缺口环节没有外地候选企业" in err


def test_tiers_against_the_city_targets():
    rows, err = jrun("tiers")
    city = [(r["threshold"], r["firms"], r["target"], r["shortfall"], r["shortfall_at_most"], r["unknown_revenue"])
            for r in rows if r["scope"] == "city"]
    # local firms with a sourced revenue: 宝胜 437.98, 亚普 80.76, 扬杰 60.33, 联环 21.74, 亚威 19.28, 亚星 12.1,
    # 晨化 9.3, 泽景 5.78 (#27); data4: 天富龙 38.41, 艾迪 4.11; 112 of 122 unknown, so the shortfall is unknown (at
    # most target minus the firms on record), never "= target - firms"
    assert city == [(500, 0, 1, None, 1, 112), (100, 1, 10, None, 9, 112), (50, 3, 20, None, 17, 112),
                    (20, 5, 50, None, 45, 112)]
    assert "开票销售" in err


def test_csv_rows_carry_their_evidence():
    for cmd, col in (("gaps", "来源编号"), ("prospects", "来源编号"), ("chokepoints", "来源编号"), ("tiers", "目标来源")):
        res = run(cmd, "--format", "csv")
        rows = list(csv.DictReader(io.StringIO(res.stdout)))
        assert rows and col in rows[0], cmd
    tiers = list(csv.DictReader(io.StringIO(run("tiers", "--format", "csv").stdout)))
    assert tiers[0]["目标来源"] == "S-SEED"
