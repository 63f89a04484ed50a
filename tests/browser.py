"""Headless Chromium for tests: Debian's binary, given explicitly; nothing is ever downloaded."""

from __future__ import annotations

import os
import shutil
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
