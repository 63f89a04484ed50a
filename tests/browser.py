"""Headless Chromium for tests: Debian's binary, given explicitly; nothing is ever downloaded."""

from __future__ import annotations

import os
import shutil
import threading
import time
from contextlib import contextmanager

import pytest

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-default-apps"]


def chromium_path() -> str:
    path = os.environ.get("CHAINKG_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(path):
        msg = "Debian's chromium is not installed (make test installs it: scripts/setup-system.sh --browser)"
        if os.environ.get("CI"):
            pytest.fail(msg)  # browser tests never skip in CI
        pytest.skip(msg)
    return path


@contextmanager
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@contextmanager
def serving(app, timeout: float = 30):
    """``app`` under a real uvicorn on a free loopback port, in a thread of this process; yields its base URL."""
    import uvicorn

    from chainkg.server import free_port

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    t = threading.Thread(target=server.run, daemon=True)
    t.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        t.join(10)


def watch(page, base: str, problems: list[str], dialogs: list[str] | None = None, *, failed_requests: bool = False):
    """Collect into ``problems`` what a page must never do: console errors and warnings, script errors,
    requests outside ``base`` (and, with ``failed_requests``, requests that failed); dialogs are
    dismissed and their messages kept in ``dialogs``."""
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    if dialogs is not None:
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    if failed_requests:
        page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
    page.on("request", lambda r: None if r.url.startswith(base) else problems.append(f"external request: {r.url}"))


def map_geometry(svg: str) -> tuple[dict, list]:
    """The chain map's boxes ({segment: (x, y, w, h)}) and its arrows ([(from, to, [(x, y), …])]) read
    from the SVG itself, each cubic Bézier sampled at 24 points."""
    import re
    from html import unescape

    boxes = {unescape(s): tuple(float(v) for v in b.split(","))
             for s, b in re.findall(r'<g class="seg-box" data-segment-id="([^"]*)"[^>]*? data-box="([^"]+)"', svg)}
    arrows = []
    for a, b, d in re.findall(r'<path class="feeds[^"]*" data-from="([^"]*)" data-to="([^"]*)" d="([^"]*)"', svg):
        pts: list[tuple[float, float]] = []
        cur = (0.0, 0.0)
        for cmd, args in re.findall(r"([MCL])([^MCL]*)", d):
            nums = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", args)]
            xy = list(zip(nums[0::2], nums[1::2], strict=False))
            if cmd == "M":
                cur = xy[0]
                pts.append(cur)
            elif cmd == "L":
                for p in xy:
                    n = 24
                    pts += [(cur[0] + (p[0] - cur[0]) * i / n, cur[1] + (p[1] - cur[1]) * i / n) for i in range(1, n + 1)]
                    cur = p
            else:
                p1, p2, p3 = xy[:3]
                for i in range(1, 25):
                    t = i / 24
                    u = 1 - t
                    pts.append((u ** 3 * cur[0] + 3 * u * u * t * p1[0] + 3 * u * t * t * p2[0] + t ** 3 * p3[0],
                                u ** 3 * cur[1] + 3 * u * u * t * p1[1] + 3 * u * t * t * p2[1] + t ** 3 * p3[1]))
                cur = p3
        arrows.append((unescape(a), unescape(b), pts))
    return boxes, arrows


def map_overlaps(svg: str, margin: float = 2.0) -> list[tuple[str, str, str]]:
    """(from, to, box) for every arrow that runs through a box other than its own two ends (``margin``
    px inside the box's edge), and for every pair of boxes that overlap."""
    boxes, arrows = map_geometry(svg)
    bad = []
    for a, b, pts in arrows:
        for s, (x, y, w, h) in boxes.items():
            if s in (a, b):
                continue
            if any(x + margin < px < x + w - margin and y + margin < py < y + h - margin for px, py in pts):
                bad.append((a, b, s))
    items = sorted(boxes.items())
    for i, (s, (x, y, w, h)) in enumerate(items):
        for t, (x2, y2, w2, h2) in items[i + 1:]:
            if x < x2 + w2 and x2 < x + w and y < y2 + h2 and y2 < y + h:
                bad.append((s, t, "box overlap"))
    return bad
