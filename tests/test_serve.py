"""The explorer in-process (Starlette's TestClient): pages with hand-checked content, links, 404s,
security headers, GET only, the token, hostile names, exports."""

from __future__ import annotations

import io
import re

import pytest
from click.testing import CliRunner

from conftest import FIXTURES
from explorer_data import EVIL_DISTRICT, EVIL_NAME, EVIL_NAME_EN, EVIL_URL, hostile_small

pytestmark = pytest.mark.filterwarnings("ignore:Using `httpx`")  # starlette's TestClient prefers httpx2 now


def client(data, token=None):
    from starlette.testclient import TestClient

    from chainkg.web.app import create_app
    from chainkg.web.source import Explorer

    return TestClient(create_app(Explorer(str(data)).start(), token=token), follow_redirects=False,
                      base_url="http://127.0.0.1")


@pytest.fixture(scope="module")
def small():
    return client(FIXTURES / "small")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    return client(hostile_small(tmp_path_factory.mktemp("hostile")))


def links(html: str) -> list[str]:
    return [h.replace("&amp;", "&") for h in re.findall(r'href="([^"]*)"', html)]


def test_overview_lists_clusters_chains_and_statuses(small):
    r = small.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "/chain/CH1" in links(r.text) and "/chain/CH2" in links(r.text)
    assert ">光伏</a>" in r.text and ">储能</a>" in r.text
    en = small.get("/?lang=en").text
    assert ">PV</a>" in en and 'href="/chain/CH1?lang=en"' in en


def test_chain_map_boxes_link_to_segments_with_their_statuses(small):
    html = small.get("/chain/CH1").text
    boxes = [(h, s, st, c) for s, st, c, h in re.findall(
        r'<g class="seg-box" data-segment-id="(\w+)" data-status="(\w+)" data-colour="(\w+)"[^>]*>'
        r'(?:(?!</g>).)*?<a class="seg-link" href="([^"]+)">', html, re.S)]
    # hand-checked: FA, FB, FC are the only local firms of P1, P2, P3; P4 has only the outside FX, local upstream
    assert sorted(boxes) == [("/segment/P1", "P1", "single", "yellow"), ("/segment/P2", "P2", "single", "yellow"),
                             ("/segment/P3", "P3", "single", "yellow"), ("/segment/P4", "P4", "gap_extend", "red")]


def test_every_link_of_the_small_dataset_resolves(small):
    seen, todo = set(), ["/", "/?lang=en"]
    while todo:
        u = todo.pop()
        if u in seen or u.startswith("/static/") or not u.startswith("/"):
            continue
        seen.add(u)
        r = small.get(u)
        assert r.status_code == 200, u
        if r.headers["content-type"].startswith("text/html"):
            todo += links(r.text)
    assert {"/segment/P4", "/firm/FX", "/district/D1", "/export/csv/CH1?table=segments", "/export/xlsx/CH1", "/brief/CH1", "/firm/FB?lang=en"} <= seen


def test_segment_page_status_evidence_neighbours_prospects(small):
    html = small.get("/segment/P4").text
    assert 'id="segment-status" data-status="gap_extend"' in html
    assert '<a href="/segment/P3">组件</a>' in html  # upstream, clickable
    assert '<a href="/firm/FX">外地组件集团</a>' in html  # the outside firm, as a prospect
    assert "测试来源 test source" in html


def test_firm_network_two_hops(small):
    r = small.get("/firm/FC")
    sup = re.search(r'<ul class="suppliers">(.*?)</ul>', r.text, re.S).group(1)
    # FB and FD supply FC; FA supplies FB: two hops away
    assert re.findall(r'href="/firm/(\w+)">[^<]*</a> · 跳数 (\d)', sup) == [("FB", "1"), ("FD", "1"), ("FA", "2")]
    assert 'class="firm-network"' in r.text
    assert "<ul class=\"customers\"><li>无</li>" in r.text


def test_outside_firm_shows_the_gaps_it_could_fill(small):
    html = small.get("/firm/FX?lang=en").text
    fills = re.search(r'<table class="data fills">(.*?)</table>', html, re.S).group(1)
    assert '/segment/P4?lang=en">Plants</a>' in fills


def test_district_page(small):
    html = small.get("/district/D1").text  # 高邮市 with 甘垛园区 under it: FA, FD located in D1, FB in D2
    firms = re.search(r'<ul class="district-firms">(.*?)</ul>', html, re.S).group(1)
    assert re.findall(r'href="/firm/(\w+)"', firms) == ["FA", "FB", "FD"]
    assert '<a href="/district/D2">甘垛园区</a>' in html


def test_search_in_memory(small):
    html = small.get("/search?q=电池").text
    hits = re.findall(r'<li data-label="(\w+)"[^>]*>.*?href="/(\w+)/(\w+)"', html, re.S)
    assert hits == [("Segment", "segment", "P2"), ("Firm", "firm", "FB")]  # 电池片 starts with it; 乙电池 holds it
    assert "/chain/CH1" in links(small.get("/search?q=pv").text)
    assert "没有找到" in small.get("/search?q=不存在的名字").text


@pytest.mark.parametrize("path", ["/chain/NOPE", "/segment/NOPE", "/firm/NOPE", "/district/NOPE", "/firm/P1",
                                  "/export/csv/NOPE", "/no/such/page", "/chain/CH1?district=NOPE"])
def test_unknown_ids_are_404_pages_in_the_chosen_language(small, path):
    zh = small.get(path)
    assert zh.status_code == 404 and "未找到" in zh.text and zh.headers["content-type"].startswith("text/html")
    en = small.get(path + ("&" if "?" in path else "?") + "lang=en")
    assert en.status_code == 404 and "Not found" in en.text


@pytest.mark.parametrize("path", ["/", "/chain/CH1", "/firm/NOPE", "/static/style.css", "/search?q=x"])
def test_security_headers_everywhere(small, path):
    h = small.get(path).headers
    assert "script-src 'self'" in h["content-security-policy"] and "unsafe-inline" not in h["content-security-policy"]
    assert "frame-ancestors 'none'" in h["content-security-policy"]
    assert h["x-content-type-options"] == "nosniff" and h["x-frame-options"] == "DENY"
    assert h["referrer-policy"] == "no-referrer"


def test_no_inline_script_or_style(small):
    for path in ("/", "/chain/CH1", "/segment/P4", "/firm/FC", "/district/D1", "/search?q=a"):
        html = small.get(path).text
        assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/app.js" defer>']
        assert not re.search(r"<[^>]*\son\w+=", html)  # no event-handler attributes
        assert "style=" not in html


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
def test_get_only(small, method):
    r = small.request(method, "/chain/CH1")
    assert r.status_code == 405 and r.headers["allow"] == "GET, HEAD"
    assert r.headers["x-content-type-options"] == "nosniff"


def test_token(tmp_path):
    c = client(FIXTURES / "small", token="s3cret-token")
    assert c.get("/").status_code == 403 and "token" in c.get("/?lang=en").text
    assert c.get("/static/style.css").status_code == 403
    assert c.get("/", headers={"Authorization": "Bearer wrong"}).status_code == 403
    assert c.get("/", headers={"Authorization": "Bearer s3cret-token"}).status_code == 200
    assert c.get("/?token=wrong").status_code == 403
    r = c.get("/firm/FC?lang=en&token=s3cret-token")
    assert r.status_code == 303 and r.headers["location"] == "/firm/FC?lang=en"  # the token leaves the URL
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert c.get("/firm/FC").status_code == 200  # the cookie carries it from now on
    c.cookies.clear()
    assert c.get("/firm/FC").status_code == 403


def test_serve_refuses_the_network_without_a_token(monkeypatch):
    from chainkg.cli import main

    monkeypatch.delenv("CHAINKG_SERVE_TOKEN", raising=False)
    r = CliRunner().invoke(main, ["serve", "--host", "0.0.0.0"])
    assert r.exit_code == 2 and "without a token" in r.output
    r = CliRunner().invoke(main, ["serve", "--data", "x", "--from-neo4j"])
    assert r.exit_code == 2


def test_hostile_names_render_as_text_on_every_page(hostile):
    pages = ["/", "/chain/CH2", "/segment/E4", "/firm/FE", "/firm/FA", "/district/D4", "/district/D0",
             "/search?q=HYPERLINK", "/search?q=%3Cscript%3E", "/chain/CH2?district=D4", "/?lang=en", "/firm/FE?lang=en"]
    for path in pages:
        html = hostile.get(path).text
        for raw in (EVIL_NAME, EVIL_NAME_EN, EVIL_DISTRICT, "<script>alert", "<img src=x", "<svg onload"):
            assert raw not in html, (path, raw)
        assert EVIL_URL not in links(html), path
    firm = hostile.get("/firm/FE").text
    assert "=HYPERLINK(&#34;http://evil.example&#34;,&#34;点我&#34;)&lt;script&gt;alert(1)&lt;/script&gt;" in firm
    assert '<span class="unsafe-url">javascript:alert(3)</span>' in firm  # shown, not a link
    assert "&lt;b&gt;来源&lt;/b&gt;" in firm
    assert "&lt;svg onload=alert(4)&gt;园区" in hostile.get("/district/D4").text
    assert hostile.get("/firm/FE").status_code == 200


def test_export_csv_and_xlsx_neutralize_cells(hostile):
    import csv
    from urllib.parse import quote

    from openpyxl import load_workbook

    from chainkg.safety import restore

    r = hostile.get("/export/csv/CH2")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    # the file name says the chain and the table in the page's language (an ASCII name of ids beside it)
    assert r.headers["content-disposition"] == ("attachment; filename=\"chain-CH2-segments.csv\"; filename*=UTF-8''"
                                                + quote("储能-环节与缺口.csv"))
    assert r.content.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel and WPS read the Chinese right
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["排名", "环节编号", "环节"]
    e4 = next(row for row in rows if row[1] == "E4")
    assert e4[8] == "'" + EVIL_NAME and restore(e4[8]) == EVIL_NAME  # local firm names: never a formula
    x = hostile.get("/export/xlsx/CH2")
    wb = load_workbook(io.BytesIO(x.content))
    assert wb.sheetnames == ["环节与缺口", "招商对象", "卡点环节", "链主候选", "项目", "创新平台", "产业基金", "来源"]
    cells = [c.value for row in wb["环节与缺口"].iter_rows() for c in row]
    assert "'" + EVIL_NAME in cells and EVIL_NAME not in cells
    assert hostile.get("/export/pdf/CH2").status_code == 404


def test_loopback_server_refuses_foreign_host_headers(small):
    # DNS rebinding: a page on evil.example resolving to 127.0.0.1 sends Host: evil.example
    assert small.get("/", headers={"Host": "evil.example"}).status_code == 421
    assert small.get("/", headers={"Host": "evil.example:8000"}).status_code == 421
    for host in ("127.0.0.1:8000", "localhost:8000", "[::1]:8000"):
        assert small.get("/", headers={"Host": host}).status_code == 200, host


def test_head_works_like_get(small):
    assert small.head("/chain/CH1").status_code == 200


def test_basis_and_inferred_facts_are_shown_when_rows_carry_them(monkeypatch):
    from chainkg.web import pages as data

    rows = data.gap_records
    fact = {"id": "FX→P4", "kind": "placement", "text": "<外地组件集团> → 电站"}
    monkeypatch.setattr(data, "gap_records", lambda *a, **k: [{**r, "basis": "inferred", "inferred_facts": [fact]}
                                                              for r in rows(*a, **k)])
    html = client(FIXTURES / "small").get("/segment/P4").text
    assert 'data-basis="inferred"' in html and "含推断" in html
    assert "<li>&lt;外地组件集团&gt; → 电站 <small>(企业所在环节)</small></li>" in html
