"""The workspace end to end in headless Debian Chromium (Playwright given /usr/bin/chromium): log in, start
a lead from a prospect row of the chain page, move it to 签约, see the chain map's badge and the pipeline's
effect, the same pages in English, log out. A real uvicorn on a free loopback port over the real Neo4j.

Screenshots go to tmp_path, or to $CHAINKG_WORKSPACE_SHOTS (docs/img when regenerating the docs).
"""

from __future__ import annotations

import os
import re
from contextlib import contextmanager
from pathlib import Path

import pytest

from test_workspace import EVIL, PASSWORD, add_users, load, workspace_data

pytestmark = [pytest.mark.neo4j]


@contextmanager
def running(neo4j):
    from browser import serving
    from chainkg.neo4j_io.workspace import Store
    from chainkg.web.app import create_app
    from chainkg.web.source import Explorer
    from chainkg.web.workspace import Workspace

    ex = Explorer(from_neo4j=True, settings=neo4j.settings).start()
    drv = neo4j.driver()
    ws = Workspace(Store(drv, neo4j.settings.database), ex).start()
    try:
        with serving(create_app(ex, workspace=ws)) as base:
            yield base
    finally:
        ex.close()
        drv.close()


def test_workspace_in_chromium(neo4j, tmp_path):
    from browser import browser, watch

    shots = Path(os.environ.get("CHAINKG_WORKSPACE_SHOTS") or tmp_path)
    load(neo4j, workspace_data(tmp_path))
    add_users(neo4j)
    problems, dialogs = [], []
    with running(neo4j) as base, browser() as b:
        page = b.new_page(viewport={"width": 1400, "height": 900})
        watch(page, base, problems, dialogs)

        # not logged in: the login page; a wrong password is refused, the right one opens the chain page asked for
        page.goto(base + "/chain/CH1")
        page.wait_for_url(re.compile(r".*/login\?next=%2Fchain%2FCH1$"))
        page.screenshot(path=str(shots / "workspace-login.png"))
        page.fill("input[name=username]", "staff1")
        page.fill("input[name=password]", "wrong password")
        page.click("#login-form button")
        assert "不正确" in page.locator("#login-message").inner_text()
        # the refused login is answered 401, which Chromium reports on its console: that one is expected
        assert [p for p in problems if "401" in p] and not [p for p in problems if "401" not in p], problems
        problems.clear()
        page.fill("input[name=username]", "staff1")
        page.fill("input[name=password]", PASSWORD)
        page.click("#login-form button")
        page.wait_for_url(base + "/chain/CH1")
        assert "staff1" in page.locator("#ws-user").inner_text()
        assert page.locator("svg.chain-map .lead-badge").count() == 0

        # start a lead from the prospect row: FO for the gap P4
        assert page.locator("table.prospects a.start-lead").count() >= 2  # FO for P4, and FX (a fund's firm)
        page.locator('table.prospects tr:has(a[href="/firm/FO"]) a.start-lead').click()
        page.wait_for_url(re.compile(r".*/ws/leads/new\?firm_id=FO&segment_id=P4$"))
        assert page.locator("#lead-firm").inner_text().startswith("远方电站设备")
        page.fill("input[name=next_step]", "约见总经理")
        page.fill("textarea[name=note]", EVIL)
        page.click("#create-lead")
        page.wait_for_url(re.compile(r".*/ws/leads/L-[0-9A-F]+$"))
        lead_url = page.url
        assert page.locator("#lead-stage").get_attribute("data-stage") == "lead"
        assert EVIL in page.locator("td.lead-notes").inner_text()  # text, not markup
        assert page.locator("main script, main img").count() == 0

        # move it to 签约
        page.select_option("#lead-stage-select", "signed")
        page.click("#save-lead")
        page.wait_for_url(lead_url)
        assert page.locator("#lead-stage").inner_text() == "签约"
        assert page.locator("table.ws-history tbody tr").count() == 2
        page.screenshot(path=str(shots / "workspace-lead.png"), full_page=True)

        # the board: the card under 签约
        page.click("#ws-board-link")
        page.wait_for_url(base + "/ws")
        assert page.locator('section[data-stage="signed"] .ws-card').count() == 1
        page.screenshot(path=str(shots / "workspace-board.png"))

        # the chain page: a badge on P4 and the pipeline's effect (P4's gap closes)
        page.goto(base + "/chain/CH1")
        badge = page.locator('svg.chain-map g.seg-box[data-segment-id="P4"] .lead-badge')
        assert badge.count() == 1 and badge.get_attribute("data-leads") == "1"
        assert page.locator("#pipeline-effect li.effect-gaps_closed a[data-segment-id=P4]").inner_text() == "电站"
        page.locator("#pipeline-effect").scroll_into_view_if_needed()
        page.screenshot(path=str(shots / "workspace-chain.png"), full_page=True)

        # English: the same pages, English words
        page.goto(base + "/ws?lang=en")
        assert page.locator('section[data-stage="signed"] h2').inner_text().startswith("Signed")
        assert page.locator("#ws-logout").inner_text() == "Log out"
        page.goto(lead_url + "?lang=en")
        assert page.locator("#lead-stage").inner_text() == "Signed"
        page.goto(base + "/chain/CH1?lang=en")
        assert "Gaps closed" in page.locator("#pipeline-effect").inner_text()
        assert not re.search(r"[\u4e00-\u9fff]", page.locator("#pipeline-effect h2").inner_text())
        page.goto(base + "/ws/leads?lang=en")
        page.check("input[name=overdue]")
        page.click("form.ws-filters button")
        page.wait_for_url(re.compile(r".*overdue=1.*"))
        assert page.locator("table.ws-leads tbody tr").count() == 0  # no due date: not overdue

        # log out: back to the login page, and the pages need a login again
        page.goto(base + "/ws")
        page.click("#ws-logout")
        page.wait_for_url(re.compile(r".*/login$"))
        page.goto(base + "/ws")
        page.wait_for_url(re.compile(r".*/login\?next=%2Fws$"))
    assert not dialogs, dialogs
    assert not problems, problems
