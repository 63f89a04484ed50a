"""Regenerate the screenshots in docs/img/ from the bundled dataset, in Debian's headless Chromium.

    .venv/bin/python scripts/docs_screenshots.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def main() -> None:
    from playwright.sync_api import sync_playwright

    chainkg = str(Path(sys.executable).with_name("chainkg"))
    img = ROOT / "docs" / "img"
    img.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([chainkg, "report", "--format", "html", "-o", f"{tmp}/report.html"], check=True)
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium", args=ARGS)
            page = b.new_page(viewport={"width": 2300, "height": 1000})
            page.goto(Path(f"{tmp}/report.html").as_uri())
            page.locator("section#chain-PV svg.chain-map").screenshot(path=str(img / "chain-map-pv.png"))
            page.set_viewport_size({"width": 1400, "height": 1000})
            page.locator("section#summary").screenshot(path=str(img / "report-summary.png"))
            b.close()
    print(f"Wrote {img / 'chain-map-pv.png'} and {img / 'report-summary.png'}")


if __name__ == "__main__":
    main()
