"""The explorer as staff read it (issue #24): each defect found by reading the pages has its test here,
with answers worked out by hand on tests/fixtures/small or read off the bundled data's records;
plus search, exports and the chain briefing. In-process (Starlette's TestClient on 127.0.0.1)."""

from __future__ import annotations

import io
import json
import re
import shutil

import pytest
from click.testing import CliRunner

from browser import map_overlaps
from conftest import FIXTURES
from crawl import CJK, RAW_CODES, crawl, data_strings, visible_text, without_data
from explorer_data import BUNDLED

pytestmark = pytest.mark.filterwarnings("ignore:Using `httpx`")


def client(data):
    from starlette.testclient import TestClient

    from chainkg.web.app import create_app
    from chainkg.web.source import Explorer

    return TestClient(create_app(Explorer(str(data)).start()), follow_redirects=False, base_url="http://127.0.0.1")


@pytest.fixture(scope="module")
def small():
    return client(FIXTURES / "small")


@pytest.fixture(scope="module")
def bundled():
    return client(BUNDLED)


@pytest.fixture(scope="module")
def named(tmp_path_factory):
    """small plus: FA's former and short names, and a chain whose id is Chinese (链三, one segment)."""
    ds = tmp_path_factory.mktemp("named") / "small"
    shutil.copytree(FIXTURES / "small", ds)
    firms = (ds / "firms.csv").read_text(encoding="utf-8").splitlines()
    firms[0] += ",aliases"
    firms = [firms[0]] + [line + (",甲硅科技;甲硅股份" if line.startswith("FA,") else ",") for line in firms[1:]]
    (ds / "firms.csv").write_text("\n".join(firms) + "\n", encoding="utf-8")
    with open(ds / "chains.csv", "a", encoding="utf-8") as f:
        f.write("链三,CL1,第三链,Third,S1\n")
    with open(ds / "segments.csv", "a", encoding="utf-8") as f:
        f.write("Q1,链三,第三环节,Third link,midstream,否,S1\n")
    return client(ds)


def rows_of(html: str, table: str) -> list[str]:
    body = html.split(f'<table class="data {table}">')[1].split("</table>")[0]
    return re.findall(r"<tr[^>]*>(.*?)</tr>", body.split("<tbody>")[1], re.S)


def cells(row: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


# -- wrong or misleading today --------------------------------------------------------------------

def test_overview_shows_the_shortfall_of_every_tier(small, bundled):
    # small: local revenues 120, 60, 25, 600 (all known): ≥500 one firm for a target of 1, ≥100 two for 2;
    # ≥50 and ≥20 (the standard tiers) have no target
    rows = [cells(r) for r in rows_of(small.get("/").text, "tiers")]
    assert rows == [["≥ 500", "1", "1", "0（已达标）"], ["≥ 100", "2", "2", "0（已达标）"], ["≥ 50", "3", "", ""],
                    ["≥ 20", "4", "", ""]]
    assert [cells(r)[3] for r in rows_of(small.get("/?lang=en").text, "tiers")] == ["0 (met)", "0 (met)", "", ""]
    # bundled: 115 local firms' revenue unknown, so only an upper bound (as `chainkg tiers` says)
    assert [cells(r)[3] for r in rows_of(bundled.get("/").text, "tiers")][:2] == ["未知（≤ 1）", "未知（≤ 9）"]


def test_unknown_coverage_reads_unknown_not_low(bundled):
    html = bundled.get("/").text
    pv = next(r for t in html.split('<table class="data chains">')[1:] for r in rows_of('<table class="data chains">' + t,
                                                                                        "chains") if '/chain/PV"' in r)
    # PV: its named local firms (counted from the data, not pinned), the number reported unknown -> coverage
    # unknown, no warning
    import chainkg

    cov = chainkg.analyze(chainkg.open_graph()).coverage["PV"]
    assert cov["reported_firms"] is None and cov["named_local_firms"] > 0
    assert cells(pv)[3:] == [f"{cov['named_local_firms']} / 未知", "未知"] and "warn" not in pv
    assert "已点名本地企业 / 报道企业数" in html and "公开报道的本地企业总数" in html  # "4 / 85" explained
    assert "覆盖率低" not in bundled.get("/chain/PV").text


def test_chain_table_ranks_gaps_apart_from_covered_links(bundled):
    rows = [(r, cells(r)) for r in rows_of(bundled.get("/chain/PV").text, "segments")]
    statuses = [re.search(r'data-status="(\w+)"', r).group(1) for r, _ in rows]
    gaps = [i for i, s in enumerate(statuses) if s.startswith("gap_")]
    assert gaps == list(range(len(gaps))) and len(gaps) >= 5  # gaps first, numbered 1, 2, …
    assert [c[0] for _, c in rows[:len(gaps)]] == [str(i + 1) for i in range(len(gaps))]
    assert all(c[0] == "" for _, c in rows[len(gaps):])  # 电池片 (covered) is no longer row 1, and has no rank
    assert "电池片" in rows[-1][1][1] or any("电池片" in c[1] for _, c in rows[len(gaps):])


def test_prospect_reason_says_what_the_investment_is(bundled):
    html = bundled.get("/chain/PV").text
    row = next(r for r in rows_of(html, "prospects") if "阿特斯" in r)
    assert "已在本地有投资项目：阿特斯14GW组件项目、2GW钙钛矿装备项目（该企业登记在外地，项目不计为本环节的本地企业" in row
    assert "已在本地投资" not in html


def test_district_page_lists_every_gap_with_the_counts_of_chainkg_gaps(bundled):
    from chainkg.cli import main

    res = CliRunner().invoke(main, ["gaps", "--district", "D-GY", "--format", "json"])
    cli = json.loads(res.stdout)
    html = bundled.get("/district/D-GY").text
    shown = dict(re.findall(r'data-status="(\w+)" data-count="(\d+)"', html))
    assert {k: int(v) for k, v in shown.items()} == {st: sum(1 for r in cli if r["status"] == st)
                                                       for st in shown}
    gaps = rows_of(html, "gaps")
    hosted = {re.search(r"/chain/([^?\"]+)", g).group(1) for g in gaps}
    want = [r for r in cli if r["status"].startswith("gap_") and r["chain_id"] in hosted]
    assert len(gaps) == len(want) > 30  # no cut at 30 (高邮市 has more in the chains it hosts)
    other = sum(1 for r in cli if r["status"].startswith("gap_")) - len(want)
    assert f"另有 {other} 个缺口" in html


def test_district_filter_reaches_the_projects_table(small):
    # PR1: FA's, in D1 (高邮市); PR2: FC's, in D3 (经开区); D2 (甘垛园区) lies under D1
    ids = lambda html: re.findall(r'data-project-id="(\w+)"', html)
    assert ids(small.get("/chain/CH1").text) == ["PR1", "PR2"]
    assert ids(small.get("/chain/CH1?district=D1").text) == ["PR1"]
    assert ids(small.get("/chain/CH1?district=D3").text) == ["PR2"]
    assert ids(small.get("/chain/CH1?district=D2").text) == []
    assert "仅列出位于所选区县的项目" in small.get("/chain/CH1?district=D2").text


def test_chain_leader_tag_is_what_the_findings_give_in_the_page_language(small):
    from chainkg import analyze, open_graph
    from chainkg.findings import leader_records

    tagged = {r["firm"] for r in leader_records(analyze(open_graph(str(FIXTURES / "small"))), "zh", chain="CH1")
              if r["tagged_chain_leader"]}
    html = small.get("/chain/CH1").text
    got = {cells(r)[0].replace("标注为链主", "").strip() for r in rows_of(html, "leaders") if "标注为链主" in r}
    assert got == tagged == {"甲硅片"}
    en = small.get("/chain/CH1?lang=en").text
    assert "(链主)" not in en and "tagged chain leader" in en


def test_codes_and_numbers_in_the_page_language(small, bundled):
    zh, en = small.get("/chain/CH1").text, small.get("/chain/CH1?lang=en").text
    assert "签约" in zh and ">signed<" in en  # project status
    firm = bundled.get("/firm/F-YANGJIE?lang=en").text
    assert '<span class="chip">listed</span>' in firm and '<span class="chip">上市</span>' not in firm
    assert "county-level city" in small.get("/district/D1?lang=en").text
    text = visible_text(bundled.get("/chain/PV").text)
    assert not re.search(r"\d\.\d{3,}", text)  # priority 10.019, revenue 153.505715: rounded
    assert "营收 153.51 亿元" in text


def test_map_has_no_line_under_a_box_in_any_chain_and_reads_in_words(bundled):
    from chainkg import analyze, open_graph

    a = analyze(open_graph(str(BUNDLED)))
    for chain in a.view.segments_of:
        for lang in ("zh", "en"):
            html = bundled.get(f"/chain/{chain}" + ("?lang=en" if lang == "en" else "")).text
            svg = html.split('<div class="map-wrap" id="chain-map">')[1].split("</svg>")[0] + "</svg>"
            assert map_overlaps(svg) == [], (chain, lang)
            titles = re.findall(r"<title>([^<]*)</title>", svg)
            assert titles and (lang == "en" or not any(RAW_CODES.search(t) for t in titles)), (chain, lang)  # "· present"
            assert not any(re.search(r"\b[A-Z]{1,4}-[A-Z0-9-]+\b", t) for t in titles), (chain, lang)  # no ids
    en = bundled.get("/chain/PV?lang=en").text
    lines = re.findall(r'<text x="[^"]+" y="[^"]+" text-anchor="middle" font-size="12.5" fill="#111">([^<]*)</text>', en)
    lines = [x.replace("★ ", "").replace(" ※", "") for x in lines]
    assert "PV equipment" in lines or {"PV", "equipment"} <= set(lines)  # never "PV equipmen" + "t"
    assert "Metallurgical silicon" in lines or {"Metallurgical", "silicon"} <= set(lines)
    assert not any(re.search(r"[a-z]$", x) and x.split()[-1] not in en for x in lines)


def test_cross_chain_links_are_whole_and_link_to_the_segment(bundled):
    html = bundled.get("/chain/PV").text
    link = re.search(r'<a class="cross-chain" data-to="H2-PROD" href="/segment/H2-PROD">(.*?)</a>', html, re.S)
    assert link and "".join(re.findall(r">([^<]*)</text>", link.group(1))) == "→ 制氢(化石、工业副产、电解水)（氢能）"
    legend = html.split('<g class="legend">')[1].split("</g>")[0]
    assert "★ 关键环节" in legend and "※ 状态依据含推断事实" in legend and "与其他产业链的环节相连" in legend


def test_no_candidate_text_in_staff_words(small):
    html = small.get("/chain/CH2").text + small.get("/segment/E4").text
    assert "新建招商线索" in html and "firm_segments" not in html and "模板" not in html


def test_error_pages_say_what_to_do_and_the_two_500s_are_404s(small, named):
    r = small.get("/no/such/page")
    assert r.status_code == 404 and "这个地址没有页面" in r.text and 'href="/search"' in r.text
    r = small.get("/firm/NOPE?lang=en")
    assert r.status_code == 404 and "There is no firm with the id" in r.text and "search for it by name" in r.text
    assert small.get("/chain/CH1?district=FA").status_code == 404  # a firm id as the district: was a 500
    assert small.get("/export/csv/CH1?district=FA").status_code == 404
    r = named.get("/export/csv/链三")  # a chain id in Chinese: was a 500 (a header must be latin-1)
    assert r.status_code == 200 and "filename*=UTF-8''" in r.headers["content-disposition"]
    assert named.get("/export/xlsx/链三?lang=en").status_code == 200


def test_favicon(small):
    r = small.get("/favicon.ico")
    assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml")
    assert '<link rel="icon" href="/static/favicon.svg"' in small.get("/").text


def test_language_link_keeps_only_the_page_parameters(small):
    r = small.get("/chain/CH1?district=D1&junk=" + "x" * 60000)
    assert r.status_code == 200 and len(r.content) < 40000
    switch = re.search(r'id="lang-switch" href="([^"]*)"', r.text).group(1)
    assert switch.replace("&amp;", "&") == "/chain/CH1?district=D1&lang=en"


def test_host_testserver_is_refused(small):
    assert small.get("/", headers={"Host": "testserver"}).status_code == 421


def test_chips_never_wrap():
    from chainkg.web.render import HERE

    css = (HERE / "static" / "style.css").read_text(encoding="utf-8")
    assert ".badge, .chip, .count-chip { white-space: nowrap; }" in css


# -- every page, both languages --------------------------------------------------------------------

ODD = ["/chain/CH1?district=FA", "/chain/CH1?district=nope", "/chain/CH1?lang=xx", "/export/csv/CH1?table=nope",
       "/export/xlsx/NOPE", "/export/pdf/CH1", "/segment/%E2%80%AE", "/firm/", "/search?q=%00", "/search?q=" + "晶" * 500,
       "/search?q=a&kind=nope", "/brief/NOPE", "/district/FA", "/chain/CH1?district=" + "x" * 5000]


@pytest.mark.parametrize("which", ["small", "bundled"])
def test_crawl_both_languages_no_500_no_codes_no_chinese_labels(which, small, bundled):
    from chainkg import open_graph

    c = {"small": small, "bundled": bundled}[which]
    strings = data_strings(open_graph(str(FIXTURES / "small" if which == "small" else BUNDLED)))
    problems, n = [], 0
    for u, r in crawl(c, ["/", "/?lang=en", *ODD, *(x + ("&" if "?" in x else "?") + "lang=en" for x in ODD)]):
        n += 1
        if r.status_code not in (200, 404):  # (links of the normal pages all answer 200: test_serve.py)
            problems.append((u, r.status_code))
        if not r.headers.get("content-type", "").startswith("text/html"):
            continue
        from urllib.parse import parse_qs, urlsplit

        typed = sorted({x for q in parse_qs(urlsplit(u).query).get("q", []) for x in (q, q[:200])}, key=len,
                       reverse=True)  # what the user typed
        text = without_data(visible_text(r.text), [*typed, *strings])
        if "lang=en" in u:
            problems += [(u, "Chinese", m.group()) for m in CJK.finditer(text)][:3]
        else:
            problems += [(u, "code", m.group()) for m in RAW_CODES.finditer(text)][:3]
        problems += [(u, "unrounded", m.group()) for m in re.finditer(r"\d\.\d{3,}", text)][:3]
    assert problems == [] and n > (150 if which == "small" else 2000)


# -- search -----------------------------------------------------------------------------------------

def hits(c, q: str, **params) -> list[tuple[str, str | None]]:
    from urllib.parse import urlencode

    html = c.get("/search?" + urlencode({"q": q, **params})).text
    return [(i, (re.search(r'data-how="(\w+)"', body) or [None, None])[1])
            for i, body in re.findall(r'<li data-label="\w+" data-id="([^"]+)">(.*?)</li>', html, re.S)]


def test_search_pinyin_initials_aliases_fuzzy_and_kinds(named, bundled):
    # 甲硅片 = jia gui pian; 高邮市 = gao you shi
    assert hits(named, "jiagui")[0] == ("FA", "pinyin")
    # 硅片 itself, then 甲硅片 from a syllable on, then the project 硅片扩产项目
    assert hits(named, "guipian") == [("P1", "pinyin"), ("FA", "pinyin"), ("PR1", "pinyin")]
    assert ("FA", "initials") in hits(named, "jgp")
    assert hits(named, "甲硅科技") == [("FA", None)] and hits(named, "甲硅股") == [("FA", "alias")]
    assert hits(named, "jiaguipain")[0] == ("FA", "fuzzy")  # letters swapped
    assert [i for i, _ in hits(named, "gaoyou")][:1] == ["D1"]  # the district before its firms
    assert hits(bundled, "jingao")[0] == ("F-JA", "pinyin") and hits(bundled, "ja")[0][0] == "F-JA"
    assert {i for i, _ in hits(bundled, "ja", kind="project")} == {"P-JA-10GWCELL", "P-JA-2X6GW"}
    html = bundled.get("/search?q=%E6%99%B6%E6%BE%B3").text
    assert 'href="/chain/PV#project-P-JA-10GWCELL"' in html  # a project hit links to its row
    assert 'id="project-P-JA-10GWCELL"' in bundled.get("/chain/PV").text
    gaoyou = [i for i, _ in hits(bundled, "高邮")]
    assert gaoyou[0] == "D-GY" and gaoyou.index("D-GY") < min(i for i, x in enumerate(gaoyou) if x.startswith("F-"))


# -- exports ----------------------------------------------------------------------------------------

def test_xlsx_export_is_ready_for_excel(small):
    from openpyxl import load_workbook

    r = small.get("/export/xlsx/CH1?district=D1")
    assert r.headers["content-disposition"].endswith("''" + "%E5%85%89%E4%BC%8F-%E9%AB%98%E9%82%AE%E5%B8%82.xlsx")
    assert 'filename="chain-CH1-D1.xlsx"' in r.headers["content-disposition"]  # 光伏-高邮市.xlsx
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["环节与缺口", "招商对象", "卡点环节", "链主候选", "项目", "创新平台", "产业基金", "来源"]
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2" and ws["A1"].font.b and (ws.auto_filter.ref or ws.max_row == 1), ws.title
        assert all(ws.column_dimensions[c].width >= 8 for c in "AB")
    leaders = [[c.value for c in row] for row in wb["链主候选"].iter_rows()]
    col = leaders[0].index("资料称链主") if "资料称链主" in leaders[0] else None
    assert col is not None and {r[col] for r in leaders[1:]} <= {"是", "否"}
    projects = [[c.value for c in row] for row in wb["项目"].iter_rows()]
    assert [p[0] for p in projects[1:]] == ["PR1"] and "签约" in projects[1]  # the district's project, in words
    en = load_workbook(io.BytesIO(small.get("/export/xlsx/CH1?lang=en").content))
    assert en.sheetnames[0] == "Segments and gaps"


def test_csv_export_has_a_bom_and_every_table(small):
    for table in ("segments", "prospects", "chokepoints", "leaders", "projects", "labs", "funds", "sources"):
        r = small.get(f"/export/csv/CH1?table={table}")
        assert r.status_code == 200 and r.content.startswith(b"\xef\xbb\xbf"), table


# -- the chain briefing ---------------------------------------------------------------------------

def test_briefing_has_the_map_the_gaps_with_reasons_and_prospects(small):
    html = small.get("/brief/CH1").text
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chain-map"' in html
    rows = rows_of(html, "gaps")
    # CH1: P4 is its one gap (gap_extend), FX the outside firm in it
    assert re.findall(r'<tr data-segment-id="(\w+)"', html.split('class="data gaps"')[1]) == ["P4"]
    assert "外地组件集团" in rows[0] and 'data-print="1"' in html
    assert "@page { size: A4;" in small.get("/static/style.css").text


def test_a_description_shows_on_pages_of_its_language_only(bundled):
    # AV-ENG's description in the data is English ("卡脖子 for large aircraft …"): not on the Chinese page
    zh, en = bundled.get("/segment/AV-ENG").text, bundled.get("/segment/AV-ENG?lang=en").text
    assert 'class="description"' not in zh and "for large aircraft" in en


def test_district_page_exports_its_tables_named_after_the_district(small, bundled):
    from openpyxl import load_workbook

    r = small.get("/district/D1")
    assert 'href="/district-export/xlsx/D1"' in r.text
    x = small.get("/district-export/xlsx/D1")
    assert 'filename="district-D1.xlsx"' in x.headers["content-disposition"]
    assert x.headers["content-disposition"].endswith("''" + "%E9%AB%98%E9%82%AE%E5%B8%82.xlsx")  # 高邮市.xlsx
    wb = load_workbook(io.BytesIO(x.content))
    assert wb.sheetnames == ["本地视角下的缺口", "全部环节状态", "企业"]
    # D1 (高邮市, with 甘垛园区 under it): FA, FB, FD are its firms; every segment of both chains has a status
    assert [r[1].value for r in wb["企业"].iter_rows(min_row=2)] == ["甲硅片", "乙电池", "丁电芯"]
    assert wb["全部环节状态"].max_row - 1 == 8
    # the bundled data: the gaps sheet has the page's rows (高邮市: more than 30, none cut)
    g = load_workbook(io.BytesIO(bundled.get("/district-export/xlsx/D-GY").content))
    page_gaps = rows_of(bundled.get("/district/D-GY").text, "gaps")
    assert g["本地视角下的缺口"].max_row - 1 == len(page_gaps) > 30
    c = small.get("/district-export/csv/D1?table=district_segments&lang=en")
    assert c.content.startswith(b"\xef\xbb\xbf") and b"Every" not in c.content[:3]
    assert small.get("/district-export/xlsx/FA").status_code == 404
