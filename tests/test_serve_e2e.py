"""The explorer end to end in headless Debian Chromium (Playwright, the system executable): a real
uvicorn on a free loopback port, the bundled data plus a hostile firm supplying 扬州晶澳.

Screenshots go to tmp_path, or to $CHAINKG_EXPLORER_SHOTS (docs/img when regenerating the docs).
"""

from __future__ import annotations

import io
import os
import re
from contextlib import contextmanager
from pathlib import Path

from explorer_data import EVIL_NAME, hostile_bundled

FILL = {"gap": "#fde2e1", "yellow": "#fff4cc", "green": "#dff3e3"}


def _fill_of(status: str) -> str:
    return FILL["gap"] if status.startswith("gap_") else FILL["yellow"] if status in ("single", "thin") else FILL["green"]


@contextmanager
def running(data: Path):
    from browser import serving
    from chainkg.web.app import create_app
    from chainkg.web.source import Explorer

    with serving(create_app(Explorer(str(data)).start())) as base:
        yield base


def test_explorer_in_chromium(tmp_path):
    from openpyxl import load_workbook
    from pypdf import PdfReader

    from browser import browser, map_overlaps, watch
    from chainkg import analyze, open_graph

    shots = Path(os.environ.get("CHAINKG_EXPLORER_SHOTS") or tmp_path)
    data = hostile_bundled(tmp_path)
    statuses = {s: st.status for s, st in analyze(open_graph(str(data))).statuses.items()}
    problems, dialogs = [], []
    with running(data) as base, browser() as b:
        page = b.new_page(viewport={"width": 1400, "height": 900}, accept_downloads=True)
        watch(page, base, problems, dialogs, failed_requests=True)

        # overview -> chain
        page.goto(base + "/")
        page.screenshot(path=str(shots / "explorer-overview.png"), full_page=False)
        page.locator("a.chain-link", has_text="晶硅光伏").click()
        page.wait_for_url(base + "/chain/PV")
        # every map box has its segment's status, and the colour of that status
        boxes = page.eval_on_selector_all("svg.chain-map g.seg-box", """els => els.map(e => [e.dataset.segmentId,
            e.dataset.status, e.querySelector('rect').getAttribute('fill'),
            e.querySelector('a.seg-link').getAttribute('href')])""")
        assert len(boxes) >= 8
        for seg, status, fill, href in boxes:
            assert status == statuses[seg] and fill == _fill_of(status) and href == f"/segment/{seg}", (seg, status, fill)
        assert {s for _, s, _, _ in boxes} & {"present", "single", "thin"} and any(s.startswith("gap_") for _, s, _, _ in boxes)
        # at 1366 px (staff's laptops) the whole map is on screen, the page does not scroll sideways, and no
        # arrow runs under a box it does not join (read from the SVG's own geometry)
        page.set_viewport_size({"width": 1366, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth") <= 1366
        box = page.locator("svg.chain-map").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 1366
        assert map_overlaps(page.locator("svg.chain-map").evaluate("e => e.outerHTML")) == []
        page.locator("#chain-map").screenshot(path=str(shots / "explorer-chain-map.png"))
        page.screenshot(path=str(shots / "explorer-chain-1366.png"), full_page=False)
        # the export: every table, opened as Excel would read it
        with page.expect_download() as dl:
            page.locator("#export-xlsx").click()
        wb = load_workbook(io.BytesIO(dl.value.path().read_bytes()))
        assert wb.sheetnames[:4] == ["环节与缺口", "招商对象", "卡点环节", "链主候选"]
        assert wb["环节与缺口"].freeze_panes == "A2" and wb["环节与缺口"]["A1"].value == "排名"
        assert dl.value.suggested_filename == "晶硅光伏.xlsx"
        # the briefing, printed to PDF by Chromium: A4 pages with the map, the gaps and their reasons
        page.locator("#briefing-link").click()
        page.wait_for_url(base + "/brief/PV")
        pdf = tmp_path / "briefing-PV.pdf"
        page.emulate_media(media="print")
        page.pdf(path=str(pdf), format="A4", print_background=True)
        page.emulate_media(media="screen")
        reader = PdfReader(str(pdf))
        assert 1 <= len(reader.pages) <= 4
        sizes = {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages}
        assert all(abs(w - 595.3) < 2 and abs(h - 841.9) < 2 for w, h in sizes), sizes  # A4: 210 x 297 mm in points
        text = "".join(p.extract_text() for p in reader.pages)
        assert "产业链简报" in text and "光伏银浆" in text and "阿特斯" in text and "打印" not in text
        first_gap = page.locator("table.gaps tbody tr").first.get_attribute("data-segment-id")
        assert statuses[first_gap].startswith("gap_")
        page.screenshot(path=str(shots / "explorer-briefing.png"), full_page=False)
        # a phone: the page itself does not scroll sideways, the map scrolls inside its box
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(base + "/chain/PV")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert page.locator("#chain-map").evaluate("e => e.scrollWidth > e.clientWidth")
        page.screenshot(path=str(shots / "explorer-phone.png"), full_page=False)
        page.set_viewport_size({"width": 1400, "height": 900})
        # click a segment on the map -> segment page -> a firm -> its supplier
        page.locator('svg.chain-map g[data-segment-id="PV-CELL"] a.seg-link').click()
        page.wait_for_url(base + "/segment/PV-CELL")
        assert page.locator("#segment-status").get_attribute("data-status") == statuses["PV-CELL"]
        page.screenshot(path=str(shots / "explorer-segment.png"), full_page=False)
        page.locator("a.firm-link", has_text="扬州晶澳").click()
        page.wait_for_url(base + "/firm/F-JA")
        assert page.locator("h1.firm-name").inner_text().startswith("扬州晶澳")
        assert page.locator("svg.firm-network g.net-firm").count() == 3  # F-EVIL -> F-JA -> F-YAPP
        page.screenshot(path=str(shots / "explorer-firm.png"), full_page=True)
        page.locator("a.supplier-link").first.click()
        page.wait_for_url(base + "/firm/F-EVIL")
        # the hostile name is text: shown literally, no element made of it, no dialog
        assert page.locator("h1.firm-name").inner_text().startswith(EVIL_NAME)
        assert page.locator("main script, main img").count() == 0
        assert page.locator("span.unsafe-url", has_text="javascript:alert(3)").count() == 1
        assert page.locator('a[href^="javascript:"]').count() == 0

        # search by pinyin, as people type: jingao finds 扬州晶澳, marked as a pinyin match
        page.locator("form.search input[name=q]").fill("jingao")
        page.locator("form.search button").click()
        page.wait_for_url(re.compile(r".*/search\?q=jingao"))
        first = page.locator("ul.hits li").first
        assert first.get_attribute("data-id") == "F-JA" and first.locator(".how").inner_text() == "拼音"
        page.screenshot(path=str(shots / "explorer-search-pinyin.png"))
        # search 晶澳
        page.locator("form.search input[name=q]").fill("晶澳")
        page.locator("form.search button").click()
        page.wait_for_url(re.compile(r".*/search\?q=.*"))
        hits = page.eval_on_selector_all("ul.hits a", "els => els.map(e => e.getAttribute('href'))")
        assert "/firm/F-JA" in hits
        page.screenshot(path=str(shots / "explorer-search.png"))

        # the district page
        page.goto(base + "/district/D-JKQ")
        assert page.locator("ul.district-firms a", has_text="扬州晶澳").count() == 1
        assert page.locator("h1").inner_text().startswith("扬州经开区")

        # the language switch, both ways, keeping the page
        page.goto(base + "/chain/PV")
        page.locator("#lang-switch").click()
        page.wait_for_url(base + "/chain/PV?lang=en")
        assert page.locator("h1").inner_text().startswith("Crystalline") or "PV" in page.locator("h1").inner_text()
        assert page.locator("html").get_attribute("lang") == "en"
        page.locator("#district-select").select_option("D-JKQ")  # the one script: filters apply when chosen
        page.wait_for_url(re.compile(r".*/chain/PV\?(lang=en&district=D-JKQ|district=D-JKQ&lang=en)"))
        page.locator("#lang-switch").click()
        page.wait_for_url(re.compile(r".*/chain/PV\?district=D-JKQ$"))
        assert page.locator("html").get_attribute("lang") == "zh-CN"

        # an unknown id: the 404 page in the chosen language
        resp = page.goto(base + "/firm/NOPE?lang=en")
        assert resp.status == 404 and page.locator("h1").inner_text() == "Not found"
        problems = [p for p in problems if "404" not in p]  # the 404 itself is logged by Chromium
        # a download ends its request as "aborted" (the file arrived: opened with openpyxl above)
        problems = [p for p in problems if p != f"request failed: {base}/export/xlsx/PV"]
    assert dialogs == []
    assert problems == []
