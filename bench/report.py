"""Benchmark: `chainkg report` on the bundled data (target < 2 s) and a synthetic dataset; `chainkg --help`
(target < 0.3 s). Each command runs in a fresh process; the best of --repeat runs is shown.

    .venv/bin/python bench/report.py --firms 100000
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHAINKG = str(Path(sys.executable).with_name("chainkg"))


def best(cmd: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--firms", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        print(f"chainkg --help: {best([CHAINKG, '--help'], args.repeat * 2):.2f} s")
        for fmt in ("html", "xlsx"):
            t = best([CHAINKG, "report", "--format", fmt, "-o", f"{tmp}/r.{fmt}"], args.repeat)
            print(f"chainkg report --format {fmt} (yangzhou-613): {t:.2f} s")
        print(f"chainkg report (summary + html + xlsx, yangzhou-613): "
              f"{best([CHAINKG, 'report', '--out-dir', tmp], args.repeat):.2f} s")
        subprocess.run([CHAINKG, "synth", "--firms", str(args.firms), "-o", f"{tmp}/s"], check=True, capture_output=True)
        t = best([CHAINKG, "report", "--data", f"{tmp}/s", "--out-dir", f"{tmp}/o"], 1)
        print(f"chainkg report (summary + html + xlsx, synthetic {args.firms:,} firms): {t:.1f} s")


if __name__ == "__main__":
    main()
