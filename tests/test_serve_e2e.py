"""The explorer end to end in headless Debian Chromium (Playwright, the system executable): a real
uvicorn on a free loopback port, the bundled data plus a hostile firm supplying 扬州晶澳.

Screenshots go to tmp_path, or to $CHAINKG_EXPLORER_SHOTS (docs/img when regenerating the docs).
"""

from __future__ import annotations

import os
import re
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from explorer_data import EVIL_NAME, hostile_bundled

FILL = {"gap": "#fde2e1", "yellow": "#fff4cc", "green": "#dff3e3"}


def _fill_of(status: str) -> str:
    return FILL["gap"] if status.startswith("gap_") else FILL["yellow"] if status in ("single", "thin") else FILL["green"]


@contextmanager
def running(data: Path):
    import uvicorn

    from chainkg.server import free_port
    from chainkg.web.app import create_app
    from chainkg.web.source import Explorer

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(Explorer(str(data)).start()), host="127.0.0.1", port=port,
                                           log_level="warning"))
    t = threading.Thread(target=server.run, daemon=True)
    t.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        t.join(10)


def test_explorer_in_chromium(tmp_path):
    from browser import browser
    from chainkg import analyze, open_graph

    shots = Path(os.environ.get("CHAINKG_EXPLORER_SHOTS") or tmp_path)
    data = hostile_bundled(tmp_path)
    statuses = {s: st.status for s, st in analyze(open_graph(str(data))).statuses.items()}
    problems, dialogs = [], []
    with running(data) as base, browser() as b:
        page = b.new_page(viewport={"width": 1400, "height": 900})
        page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
        page.on("request", lambda r: None if r.url.startswith(base) else problems.append(f"external request: {r.url}"))

        # overview -> chain
        page.goto(base + "/")
        page.screenshot(path=str(shots / "explorer-overview.png"), full_page=False)
        page.locator("a.chain-link", has_text="晶硅光伏").click()
        page.wait_for_url(base + "/chain/PV")
        # every map box has its segment's status, and the colour of that status
        boxes = page.eval_on_selector_all("svg.chain-map g.seg-box", """els => els.map(e => [e.dataset.segmentId,
            e.dataset.status, e.querySelector('rect').getAttribute('fill'), e.closest('a').getAttribute('href')])""")
        assert len(boxes) >= 8
        for seg, status, fill, href in boxes:
            assert status == statuses[seg] and fill == _fill_of(status) and href == f"/segment/{seg}", (seg, status, fill)
        assert {s for _, s, _, _ in boxes} & {"present", "single", "thin"} and any(s.startswith("gap_") for _, s, _, _ in boxes)
        page.set_viewport_size({"width": 2400, "height": 900})  # the whole map, for the docs
        page.locator("svg.chain-map").screenshot(path=str(shots / "explorer-chain-map.png"))
        page.set_viewport_size({"width": 1400, "height": 900})
        # click a segment on the map -> segment page -> a firm -> its supplier
        page.locator('svg.chain-map a:has(g[data-segment-id="PV-CELL"])').click()
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
    assert dialogs == []
    assert problems == []
