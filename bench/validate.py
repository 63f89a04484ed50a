"""Benchmark: validate a synthetic dataset (target: 100,000 firms in under 30 s).

    .venv/bin/python bench/validate.py --firms 100000
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from chainkg.loaders import read_dataset
from chainkg.synth import synth_dataset


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--firms", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        counts = synth_dataset(Path(tmp), firms=args.firms, seed=args.seed)
        t1 = time.perf_counter()
        report = read_dataset(Path(tmp))
        t2 = time.perf_counter()
    rows = sum(counts.values())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"synth {args.firms} firms: {rows} rows in {t1 - t0:.1f} s")
    print(f"validate: {t2 - t1:.1f} s ({rows / (t2 - t1):,.0f} rows/s), "
          f"{len(report.errors)} errors, {len(report.warnings)} warnings, peak RSS {peak:.0f} MB")


if __name__ == "__main__":
    main()
