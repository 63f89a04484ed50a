"""The Neo4j Browser end to end, in headless Chromium: a `chainkg query link` URL, logged in, run,
the parameters applied, the result rendered, and the chainkg style colouring segments by status."""

from __future__ import annotations

import os

import pytest

from conftest import FIXTURES, cli

pytestmark = pytest.mark.neo4j

WANT = {"GapFill": "#E53935", "GapExtend": "#EF5350", "GapUnlinked": "#EF9A9A", "SinglePoint": "#FDD835",
        "Chain": "#1565C0"}


def _env(neo4j):
    return {**os.environ, "NEO4J_URI": neo4j.settings.uri, "NEO4J_PASSWORD": neo4j.settings.password,
            "CHAINKG_BROWSER_URL": neo4j.http_url + "/browser/"}


def test_query_link_in_the_browser(neo4j, tmp_path):
    if neo4j.server is None:
        pytest.skip("needs the test session's own server (its Browser config enables multi-statement mode)")
    from browser import browser
    from chainkg.cypher import library as lib
    from chainkg.cypher.browser_link import query_body

    env = _env(neo4j)
    assert cli("load", FIXTURES / "small", env=env).returncode == 0
    assert cli("analyze", "--write", env=env).returncode == 0
    link = cli("query", "link", "chain_graph", "-p", "chain=光伏", env=env).stdout.strip()
    assert link.startswith(neo4j.http_url + "/browser/?cmd=edit&arg=%3Aparams%20%7Bchain%3A%20%22%E5%85%89%E4%BC%8F")
    grass = cli("browser", "--style").stdout

    def run(page, text):
        page.get_by_test_id("activeEditor").click()
        page.keyboard.insert_text(text)
        page.get_by_test_id("editor-Run").click()

    with browser() as b:
        page = b.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(link)
        # the editor holds the parameters and the query, as the link says
        editor = page.get_by_test_id("activeEditor")
        editor.get_by_text(':params {chain: "光伏"};').wait_for()
        page.get_by_test_id("bolt-scheme-select").select_option("bolt://")
        page.get_by_test_id("username").fill("neo4j")
        page.get_by_test_id("password").fill(neo4j.settings.password)
        page.get_by_test_id("connect").click()
        page.get_by_text("You are connected as user").first.wait_for(timeout=60_000)
        page.get_by_test_id("editor-Run").click()
        ok = page.locator('[data-testid="multi-statement-list-icon"][title="Status: success"]')
        ok.nth(1).wait_for(timeout=60_000)  # :params and the query both succeeded
        assert page.locator('[data-testid="multi-statement-list-icon"]').count() == 2
        # the parameters now live in the Browser session: the query in its own frame renders the graph
        run(page, query_body(lib.get("chain_graph")))
        page.locator("svg g.node").nth(4).wait_for(timeout=60_000)
        names = page.eval_on_selector_all("svg g.node", "els => els.map(e => e.textContent.trim())")
        assert set(names) == {"光伏", "硅片", "组件", "电池片", "电站"}  # chain 光伏 only: $chain applied
        # load the shipped style the way a user does: drop the .grass file on the Browser
        dt = page.evaluate_handle("""(text) => { const dt = new DataTransfer();
            dt.items.add(new File([text], 'chainkg.grass', {type: ''})); return dt; }""", grass)
        main = page.get_by_test_id("main")
        for event in ("dragenter", "dragover", "drop"):
            main.dispatch_event(event, {"dataTransfer": dt})
        run(page, query_body(lib.get("chain_graph")))
        page.wait_for_function("() => [...document.querySelectorAll('svg g.node circle.b-outline')]"
                               ".some(c => c.getAttribute('fill') === '#E53935' || c.getAttribute('fill') === '#FDD835')",
                               timeout=60_000)
        fills = dict(page.eval_on_selector_all(
            "svg g.node", "els => els.map(e => [e.textContent.trim(), e.querySelector('circle.b-outline').getAttribute('fill')])"))
        # statuses from the analysis: P1 P2 P3 single points, P4 a gap (extend); 光伏 is the chain
        assert fills == {"光伏": WANT["Chain"], "硅片": WANT["SinglePoint"], "电池片": WANT["SinglePoint"],
                         "组件": WANT["SinglePoint"], "电站": WANT["GapExtend"]}
        page.screenshot(path=str(tmp_path / "browser.png"))
        assert (tmp_path / "browser.png").stat().st_size > 20_000
