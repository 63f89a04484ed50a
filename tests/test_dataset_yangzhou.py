"""The bundled Yangzhou "613" dataset: true to the facts, sourced, coverage stated."""

from __future__ import annotations

import re
from pathlib import Path

import networkx as nx
import pytest

from conftest import ROOT

FACT_URLS = ROOT / "tests" / "fixtures" / "fact_urls.txt"
SHARED = ROOT.parent / "shared" / "reference"

CLUSTERS = ["高端装备", "新能源", "新材料", "新一代信息技术", "汽车及零部件", "生命健康"]
CHAINS = ["航空", "工业母机及机器人", "高技术船舶与海工装备", "智能电网", "晶硅光伏", "储能", "氢能", "高性能合成材料",
          "集成电路", "人工智能", "新能源及智能网联汽车", "生物医药", "新型食品"]
# every firm the facts name (yangzhou-613-facts.md), as the dataset spells it
FIRMS = ["中环艾能(高邮)能源科技有限公司", "亚普汽车部件股份有限公司", "江苏(扬州)贵钰航空工业有限公司",
         "扬州群发光芯科技有限公司", "江苏新扬新材料", "扬力集团", "亚威股份", "扬州锻压", "金方圆", "中船澄西",
         "招商鼎衡", "中远海运", "招商金陵", "苏美达新大洋造船", "宝胜", "国电南自", "扬州晶澳", "阿特斯",
         "新瑞光电(新霖飞集团)", "新鹏", "中车株洲所宝应新型储能基地", "天合(Trina)", "仪征化纤", "实友化工",
         "远东联石化", "奥克化学", "大连化工", "晨化新材料", "扬杰科技", "比亚迪半导体", "诚盛科技", "广智微芯",
         "上汽大众(仪征)", "潍柴亚星", "江淮皮卡", "中集通华", "潍柴扬柴", "李尔", "泽景", "纳力新材料", "科霸生物",
         "赛诺威盛", "鹍远", "嘉能食品", "全蔬聚", "哈森"]
# firms a source ties to a chain without saying which link they work in: placed at chain level (firm_chains)
CHAIN_ONLY = {"SG": {"F-BAOSHENG", "F-GDNZ"},
              "SM": {"F-YIHUA", "F-SHIYOU", "F-YDLSH", "F-AOKE", "F-DLHG", "F-CHENHUA"},
              "IC": {"F-YANGJIE", "F-GZWX"},
              "NEV": {"F-YAPP", "F-WCYX", "F-CIMCTH", "F-WCYC", "F-LEAR", "F-NALI"},
              "BIO": {"F-KEBA", "F-SNWS", "F-KUNYUAN"},
              "FD": {"F-JIANENG", "F-QUANSHU"}}
# a firm no source ties to a chain (哈森, precision manufacturing in 宝应): the only firm warning allowed
FIRMS_WITHOUT_LINK = {"F-HASEN"}


@pytest.fixture(scope="module")
def report():
    from chainkg.loaders import read_dataset

    return read_dataset("yangzhou-613")


@pytest.fixture(scope="module")
def G(report):
    from chainkg.graph_model.nx_graph import to_networkx

    return to_networkx(report.dataset)


def _names(ds, label):
    return [n.props["name"] for n in ds.nodes_of(label)]


def test_validates_with_only_explained_warnings(report):
    assert report.errors == []
    cycles = sorted(p.value for p in report.warnings if p.code == "feeds_cycle")
    assert cycles == ["ES-APP -> ES-RECY -> ES-MAT -> ES-CELL -> ES-PACK -> ES-SI -> ES-OM -> ES-APP",
                      "NEV-AFTER -> NEV-BMAT -> NEV-BATT -> NEV-OEM -> NEV-AFTER"]  # the two recycling loops
    assert {p.value for p in report.warnings if p.code == "firm_without_segment"} == FIRMS_WITHOUT_LINK
    assert {p.code for p in report.warnings} == {"feeds_cycle", "firm_without_segment"}


def test_chain_level_firms(report):
    ds = report.dataset
    got: dict[str, set[str]] = {}
    for r in ds.rels_of("IN_CHAIN"):
        got.setdefault(r.end, set()).add(r.start)
    assert got == CHAIN_ONLY
    conf = {r.start: r.props["confidence"] for r in ds.rels_of("IN_CHAIN")}
    # the source names them for the chain itself; a proxy (化工新材料 for SM), 2010 data (SG) or
    # "electronics" (广智微芯) is a reading: inferred
    assert {f for f, c in conf.items() if c == "inferred"} == CHAIN_ONLY["SG"] | CHAIN_ONLY["SM"] | {"F-GZWX"}


def test_clusters_and_chains(report):
    ds = report.dataset
    assert _names(ds, "Cluster") == CLUSTERS
    assert _names(ds, "Chain") == CHAINS
    conf = {r.end: r.props["confidence"] for r in ds.rels_of("HAS_CHAIN")}
    confirmed = {ds.nodes[c].props["name"] for c, v in conf.items() if v == "confirmed"}
    assert confirmed == {"晶硅光伏", "新能源及智能网联汽车"}  # the facts confirm only these mappings


def test_every_chain_has_segments_and_an_upstream_to_downstream_path(report, G):
    ds = report.dataset
    for chain in ds.nodes_of("Chain"):
        segs = [r.end for r in ds.rels_of("HAS_SEGMENT") if r.start == chain.id]
        assert len(segs) >= 8, chain.id
        feeds = nx.DiGraph([(r.start, r.end) for r in ds.rels_of("FEEDS") if r.start in segs and r.end in segs])
        ups = [s for s in segs if ds.nodes[s].props["stage"] == "upstream" and s in feeds]
        downs = [s for s in segs if ds.nodes[s].props["stage"] == "downstream" and s in feeds]
        assert any(nx.has_path(feeds, u, d) for u in ups for d in downs), chain.id


def test_key_and_unsourced_segments(report):
    ds = report.dataset
    segs = {n.id: n.props for n in ds.nodes_of("Segment")}
    assert len(segs) == 157
    assert sum(1 for p in segs.values() if p["key"]) == 26  # the ★ segments of chain-segments.md
    editorial = {i for i, p in segs.items() if p["source_id"] == "S-EDITORIAL"}
    assert editorial == {"AV-LAI", "MT-TOOL", "SH-DECK", "SH-BLOCK", "PV-EQUIP", "ES-THERM", "SM-CAT", "SM-PARTS",
                         "IC-PMAT", "NEV-CHASSIS", "FD-EQUIP"}  # the "(no source)" segments
    assert all(segs[i]["confidence"] == "inferred" for i in editorial)
    assert not any(p.get("local_absence_confirmed") for p in segs.values())  # no source says a link is missing
    chain_of = {r.end: r.start for r in ds.rels_of("HAS_SEGMENT")}
    cross = [r for r in ds.rels_of("FEEDS") if chain_of[r.start] != chain_of[r.end]]
    assert len(cross) == 8 and all(r.props["confidence"] == "inferred" for r in cross)
    assert ("FEEDS", "IC-POWER", "NEV-PE") in ds.rels


def test_every_named_firm_is_present(report):
    names = set(_names(report.dataset, "Firm"))
    assert [f for f in FIRMS if f not in names] == []
    tags = {n.props["name"]: n.props.get("tags", []) for n in report.dataset.nodes_of("Firm")}
    assert [n for n, t in tags.items() if "链主" in t] == ["扬杰科技", "广智微芯"]  # only where a source says so
    outside = sorted(n.props["name"] for n in report.dataset.nodes_of("Firm") if not n.props["local"])
    assert outside == ["天合(Trina)", "阿特斯"]


def test_every_record_has_a_source_and_confidence(report):
    ds = report.dataset
    for n in ds.nodes.values():
        if n.label != "Source":
            assert n.props.get("source_id"), n.id
            assert n.props.get("confidence") in ("confirmed", "inferred"), n.id
    for r in ds.rels.values():
        assert r.props.get("source_id") and r.props.get("confidence"), r.key


def test_every_url_is_one_of_the_facts_urls(report):
    allowed = set(FACT_URLS.read_text().split())
    urls = {n.props["url"] for n in report.dataset.nodes_of("Source") if n.props.get("url")}
    assert urls <= allowed
    assert urls == allowed  # and every URL of the facts is used


def test_fact_url_list_matches_shared_reference():
    if not SHARED.exists():
        pytest.skip("../shared/reference is not beside this checkout")
    text = "".join((SHARED / f).read_text() for f in ("yangzhou-613-facts.md", "chain-segments.md"))
    urls = {u.rstrip(".;") for u in re.findall(r"https?://[^\s)|,]+", text)}
    assert urls == set(FACT_URLS.read_text().split())


def test_targets_and_figures(report):
    ds = report.dataset
    targets = sorted((n.props["threshold"], n.props["count"]) for n in ds.nodes_of("Target")
                     if n.props["metric"] == "firms_invoiced_sales_over")
    assert targets == [(20.0, 50), (50.0, 20), (100.0, 10), (500.0, 1)]
    metrics = {n.id: n.props for n in ds.nodes_of("Metric")}
    assert metrics["M-AV-FIRMS"]["value"] == 85 and metrics["M-MT-FIRMS"]["value"] == 66
    assert metrics["M-IC-FIRMS"]["value"] == 30 and metrics["M-NEV-FIRMS"]["value"] == 300
    assert metrics["M-CITY-SALES-2024"]["value"] == 9124
    revenue = [n.props.get("revenue_100m_cny") for n in ds.nodes_of("Firm")]
    assert revenue == [None] * len(revenue)  # no source gives a firm's revenue: none is filled in


def test_coverage_is_low_everywhere(G):
    from chainkg.analysis.coverage import chain_coverage

    rows = {r["chain_id"]: r for r in chain_coverage(G)}
    assert (rows["AV"]["named_local_firms"], rows["AV"]["reported_firms"]) == (1, 85)
    assert (rows["MT"]["named_local_firms"], rows["MT"]["reported_firms"]) == (5, 66)
    assert rows["SG"]["reported_firms"] is None and rows["SG"]["named_local_firms"] == 2  # 宝胜, 国电南自 (chain level)
    assert rows["IC"]["named_local_firms"] == 5  # 群发光芯, 比亚迪半导体, 诚盛科技 + 扬杰科技, 广智微芯
    assert all(r["low"] for r in rows.values())


def test_workbook_copy_is_the_same_dataset(report):
    from chainkg.loaders import read_dataset

    wb = read_dataset(ROOT / "docs" / "data" / "yangzhou-613.xlsx")
    assert wb.errors == []
    a, b = report.dataset, wb.dataset
    assert {k: (n.label, n.props) for k, n in a.nodes.items()} == {k: (n.label, n.props) for k, n in b.nodes.items()}
    assert {k: r.props for k, r in a.rels.items()} == {k: r.props for k, r in b.rels.items()}


def test_dataset_doc_coverage_table_is_current(G):
    from chainkg.analysis.coverage import chain_coverage

    doc = (ROOT / "docs" / "dataset-yangzhou-613.md").read_text(encoding="utf-8")
    for r in chain_coverage(G):
        reported = r["reported_firms"] if r["reported_firms"] is not None else "—"
        assert f"| {r['chain']} | {r['segments']} | {r['named_local_firms']} | {reported} |" in doc, r["chain"]
