"""The explorer's what-if, 红绿黄灯 and targets pages (Starlette's TestClient), answers worked out by
hand on tests/fixtures/small: FA, FB, FC are the only local firms of P1, P2, P3; P4 (电站) has only the
outside FX; FD (600) is the only local firm of E1."""

from __future__ import annotations

import re
from html import unescape

import pytest

from conftest import FIXTURES
from explorer_data import small_with_tech

pytestmark = pytest.mark.filterwarnings("ignore:Using `httpx`")

RAW_CODES = ("gap_fill", "gap_extend", "gap_isolated", "gap_unlinked", "single", "thin", "present", "confirmed",
             "inferred", "add_firm", "remove_firm", "strengthen", "red", "yellow", "green")


def client(data):
    from starlette.testclient import TestClient

    from chainkg.web.app import create_app
    from chainkg.web.source import Explorer

    return TestClient(create_app(Explorer(str(data)).start()), follow_redirects=False, base_url="http://127.0.0.1")


@pytest.fixture(scope="module")
def small():
    return client(FIXTURES / "small")


@pytest.fixture(scope="module")
def tech(tmp_path_factory):
    return client(small_with_tech(tmp_path_factory.mktemp("tech")))


def text(html: str) -> str:
    """The visible text of the page's main part (no tags, no attribute values)."""
    main = html.split("<main>", 1)[1].split("</main>", 1)[0]
    main = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", main, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", main))


def no_raw_codes(html: str) -> list[str]:
    words = set(re.findall(r"[a-z_]+", text(html)))
    return sorted(c for c in RAW_CODES if c in words)


def chinese_labels(html: str, data_names=()) -> list[str]:
    t = text(html)
    for n in data_names:
        t = t.replace(n, "")
    return sorted(set(re.findall(r"[\u4e00-\u9fff]+", t)))


def test_a_prospect_row_shows_its_landing_effect_and_links_to_the_whatif(small):
    html = small.get("/chain/CH1").text
    row = re.search(r'<tr data-segment-id="P4" data-firm-id="FX">(.*?)</tr>', html, re.S).group(1)
    assert "补上缺口 电站" in row and "补链" in row
    href = unescape(re.search(r'<a class="whatif-link" href="([^"]+)"', row).group(1))
    assert href == "/whatif?op1=land&firm1=FX&segment1=P4"
    page = small.get(href)
    assert page.status_code == 200
    # hand-worked: FX becomes P4's one local firm: 延链 → 单点
    assert 'data-segment-id="P4" data-status-before="gap_extend" data-status-after="single"' in page.text
    assert "外地组件集团 落户 电站" in text(page.text)
    assert no_raw_codes(page.text) == []


def test_an_outside_firms_page_shows_its_landing_effect(small):
    html = small.get("/firm/FX").text
    assert "补上缺口 电站" in text(html) and "/whatif?op1=land&amp;firm1=FX&amp;segment1=P4" in html
    en = small.get("/firm/FX?lang=en").text
    assert "closes gap" in text(en) and "/whatif?op1=land&amp;firm1=FX&amp;segment1=P4&amp;lang=en" in en


def test_whatif_takes_several_changes_and_writes_nothing(small):
    before = small.get("/chain/CH1").text
    r = small.get("/whatif", params={"op1": "land", "firm1": "FX", "segment1": "P4",
                                     "op2": "leave", "firm2": "甲硅片"})  # by name
    assert r.status_code == 200
    # FA was P1's only local firm: leaving opens a gap there
    p1 = re.search(r'data-segment-id="P1" data-status-before="(\w+)" data-status-after="(\w+)"', r.text).groups()
    assert p1[0] == "single" and p1[1].startswith("gap_")
    assert "甲硅片 离开" in text(r.text)
    assert small.get("/chain/CH1").text == before  # the snapshot is untouched
    moved = small.get("/whatif", params={"op1": "move", "firm1": "FB", "segment1": "P4"})
    p2 = re.search(r'data-segment-id="P2" data-status-before="(\w+)" data-status-after="(\w+)"', moved.text).groups()
    assert p2 == ("single", "gap_fill")  # FB was P2's only local firm
    p4 = re.search(r'data-segment-id="P4" data-status-before="(\w+)" data-status-after="(\w+)"', moved.text).groups()
    assert p4 == ("gap_extend", "single")


def test_whatif_names_every_problem_in_the_pages_language(small):
    r = small.get("/whatif", params={"op1": "leave", "firm1": "nobody", "op2": "land", "firm2": "X"})
    assert r.status_code == 400
    assert "第 1 行：没有编号或名称为“nobody”的企业" in text(r.text) and "第 2 行：请选择环节" in text(r.text)
    en = small.get("/whatif", params={"op1": "leave", "firm1": "nobody", "lang": "en"})
    assert "row 1: no firm has the id or name “nobody”" in text(en.text)
    assert chinese_labels(en.text, data_names=_names(small)) == []


def _names(c) -> list[str]:
    """The small fixture's Chinese data names (allowed on English pages as data)."""
    import csv

    out = []
    for table in ("segments", "firms", "chains", "districts", "clusters"):
        with (FIXTURES / "small" / f"{table}.csv").open(encoding="utf-8") as fh:
            out += [r["name"] for r in csv.DictReader(fh)]
    return sorted(out, key=len, reverse=True)


def test_a_new_firm_lands_and_its_name_is_escaped(small):
    r = small.get("/whatif", params={"op1": "land", "firm1": "<script>x</script>新厂", "segment1": "P4"})
    assert r.status_code == 200 and "<script>x</script>" not in r.text and "&lt;script&gt;x&lt;/script&gt;新厂" in r.text
    assert 'data-status-after="single"' in r.text


def test_lights_page_lights_filters_and_reasons(tech):
    r = tech.get("/lights?as_of=2026-01-15")
    rows = re.findall(r'<tr data-item-id="(\w+)" data-light="(\w+)">', r.text)
    assert rows == [("TI2", "red"), ("TI1", "green"), ("TI3", "none")]  # worst first
    assert "逾期 199 天" in text(r.text) and "&lt;b&gt;电池&lt;/b&gt;片技术" in r.text
    only_d2 = re.findall(r'data-item-id="(\w+)"', tech.get("/lights?as_of=2026-01-15&district=D2").text)
    assert only_d2 == ["TI3"]
    assert re.findall(r'data-item-id="(\w+)"', tech.get("/lights?as_of=2026-01-15&chain=CH2").text) == ["TI2"]
    assert re.findall(r'data-item-id="(\w+)"', tech.get("/lights?as_of=2026-01-15&light=green").text) == ["TI1"]
    assert tech.get("/lights?chain=NOPE").status_code == 404
    assert no_raw_codes(r.text) == []
    en = tech.get("/lights?as_of=2026-01-15&lang=en").text
    assert chinese_labels(en, data_names=_names(tech) + ["硅片新工艺", "电芯攻关", "电池", "片技术", "鉴定", "开工",
                                                          "研发", "测试来源"]) == []


def test_the_chain_map_badge_is_round_and_apart_from_the_status_colours(tech):
    html = tech.get("/chain/CH2").text
    badge = re.search(r'<g class="tech-light" data-light="(\w+)"><title>([^<]*)</title><circle', html)
    assert badge.groups() == ("red", "电芯攻关：红灯")  # TI2 serves E1 and stays red (never started)
    assert re.findall(r'<g class="tech-light" data-light="(\w+)">', tech.get("/chain/CH1").text) == ["green"]
    # a circle, not a box: the status colours fill the rect boxes
    assert re.search(r'<g class="tech-light" data-light="red"><title>[^<]*</title><circle cx="[\d.]+" cy="[\d.]+" r="7"',
                     html)


def test_targets_page_against_what_the_data_proves(small):
    r = small.get("/targets")
    # hand-worked: local revenues 600, 120, 60, 25 (none unknown); targets ≥500: 1, ≥100: 2
    bars = re.findall(r'<g class="tier" data-threshold="([\d.]+)" data-known="(\d+)" data-unknown="(\d+)" '
                      r'data-target="(\d*)"', r.text)
    assert bars == [("500", "1", "0", "1"), ("100", "2", "0", "2"), ("50", "3", "0", ""), ("20", "4", "0", "")]
    t = text(r.text)
    assert "资料报告的企业数" in t and "未知" in t  # the chains' invoiced sales are not on record
    assert no_raw_codes(r.text) == [] and "firms_reported" not in t
    en = small.get("/targets?lang=en").text
    assert "firms reported" in text(en) and "unknown" in text(en)
    assert chinese_labels(en, data_names=_names(small) + ["测试来源"]) == []


@pytest.mark.parametrize("path", ["/whatif", "/lights", "/targets"])
def test_new_pages_answer_get_only_in_both_languages(small, path):
    for lang in ("", "?lang=en"):
        assert small.get(path + lang).status_code == 200
    assert small.post(path).status_code == 405
