"""What-if from a prospect and the 红绿黄灯 page, clicked through in headless Debian Chromium (Playwright,
the system executable), in both languages, on tests/fixtures/small plus three tech items (their lights
worked out by hand in tests/explorer_data.small_with_tech)."""

from __future__ import annotations

import os
from pathlib import Path

from explorer_data import small_with_tech
from test_serve_e2e import running


def _watch(page, base, problems):
    # a console error names no URL: responses say which; the favicon is helper explorer's (issue #24)
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400
            and not r.url.endswith("/favicon.ico") else None)
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}")
            if m.type in ("error", "warning") and "404" not in m.text else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("request", lambda r: None if r.url.startswith(base) else problems.append(f"external request: {r.url}"))


def test_whatif_from_a_prospect_and_the_lights_page_in_chromium(tmp_path):
    from browser import browser

    shots = Path(os.environ.get("CHAINKG_EXPLORER_SHOTS") or tmp_path)
    data = small_with_tech(tmp_path)
    problems: list[str] = []
    with running(data) as base, browser() as b:
        page = b.new_page(viewport={"width": 1366, "height": 900})
        _watch(page, base, problems)

        # a prospect row on the chain page -> its what-if
        page.goto(base + "/chain/CH1")
        row = page.locator('table.prospects tr[data-segment-id="P4"][data-firm-id="FX"]')
        assert "补上缺口 电站" in row.inner_text()
        row.locator("a.whatif-link").click()
        page.wait_for_url("**/whatif?op1=land&firm1=FX&segment1=P4")
        p4 = page.locator('table.whatif-segments tr[data-segment-id="P4"]')
        assert p4.get_attribute("data-status-before") == "gap_extend" and p4.get_attribute("data-status-after") == "single"
        assert "延链 → 单点" in p4.inner_text()
        # a second change in the form: 甲硅片 (FA, P1's only local firm) leaves
        page.select_option('select[name="op2"]', "leave")
        page.fill('input[name="firm2"]', "甲硅片")
        page.click("#run-whatif")
        page.wait_for_selector('table.whatif-segments tr[data-segment-id="P1"]')
        p1 = page.locator('table.whatif-segments tr[data-segment-id="P1"]')
        assert p1.get_attribute("data-status-before") == "single"
        assert p1.get_attribute("data-status-after").startswith("gap_")
        assert "甲硅片 离开" in page.locator("section.whatif-result h2").inner_text()
        page.screenshot(path=str(shots / "explorer-whatif.png"), full_page=True)
        # the same in English, from the language link
        page.click("#lang-switch")
        page.wait_for_selector('table.whatif-segments tr[data-segment-id="P1"]')
        heading = page.locator("section.whatif-result h2").inner_text()
        assert heading.startswith("If: ") and "leaves" in heading and "lands in" in heading
        assert "Gap: extend → Single point" in page.locator('table.whatif-segments tr[data-segment-id="P4"]').inner_text()

        # 红绿黄灯: every item, then only chain 储能 (CH2), by the filter form
        page.goto(base + "/lights?as_of=2026-01-15")
        items = page.eval_on_selector_all("table.lights tr[data-item-id]", "els => els.map(e => [e.dataset.itemId, e.dataset.light])")
        assert items == [["TI2", "red"], ["TI1", "green"], ["TI3", "none"]]
        page.screenshot(path=str(shots / "explorer-lights.png"), full_page=True)
        page.select_option('select[name="chain"]', "CH2")
        page.click("#apply-lights")
        page.wait_for_url("**/lights?*chain=CH2*")
        assert page.eval_on_selector_all("table.lights tr[data-item-id]", "els => els.map(e => e.dataset.itemId)") == ["TI2"]
        assert "逾期 199 天" in page.locator('tr[data-item-id="TI2"]').inner_text()
        page.click("#lang-switch")
        page.wait_for_selector('tr[data-item-id="TI2"]')
        assert "red" in page.locator('tr[data-item-id="TI2"] td').first.inner_text()
        assert "199 days" in page.locator('tr[data-item-id="TI2"]').inner_text()
        # the chain map's tech-light badge: a round mark, apart from the boxes' status colours
        page.goto(base + "/chain/CH2")
        badge = page.locator('svg.chain-map g.tech-light[data-light="red"] circle')
        assert badge.count() == 1
        assert badge.get_attribute("fill") not in ("#fde2e1", "#fff4cc", "#dff3e3")
    assert problems == []
