"""Benchmark: `chainkg gaps` on synthetic datasets (time and peak memory per size).

    .venv/bin/python bench/gaps.py --firms 100000 1000000

Each size runs the real command in a fresh process; peak RSS comes from getrusage(RUSAGE_CHILDREN).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHAINKG = str(Path(sys.executable).with_name("chainkg"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--firms", type=int, nargs="+", default=[100_000, 1_000_000])
    args = ap.parse_args()
    for n in args.firms:
        tmp = Path(tempfile.mkdtemp(prefix=f"chainkg-gaps-{n}-"))
        try:
            t0 = time.perf_counter()
            subprocess.run([CHAINKG, "synth", "--firms", str(n), "-o", str(tmp / "d")], check=True,
                           capture_output=True)
            t1 = time.perf_counter()
            res = subprocess.run([CHAINKG, "gaps", "--data", str(tmp / "d"), "--format", "json",
                                  "-o", str(tmp / "gaps.json")], capture_output=True, text=True)
            t2 = time.perf_counter()
            if res.returncode != 0:
                print(res.stderr[-2000:])
                raise SystemExit(res.returncode)
            rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # largest child so far
            print(f"{n:>9,} firms: synth {t1 - t0:6.1f} s; chainkg gaps (read, validate, build graph, analyse) "
                  f"{t2 - t1:6.1f} s, peak RSS {rss:,.0f} MB")
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
