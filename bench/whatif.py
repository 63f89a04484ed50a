"""What-if speed: 1,000 single-firm scenarios on the bundled data (target <= 10 s).

Scenarios, in turn: a new firm lands in each segment; each local firm leaves; each firm moves to
the next segment of its chain; repeated until 1,000. One analysis, one :class:`WhatIf`, shared.

    .venv/bin/python bench/whatif.py [--n 1000] [--data yangzhou-613]
"""

from __future__ import annotations

import argparse
import platform
import time

from chainkg.analysis import analyze
from chainkg.analysis.whatif import Change, WhatIf
from chainkg.graph_model.nx_graph import to_networkx
from chainkg.loaders import load_valid


def scenarios(a, n: int) -> list[list[Change]]:
    segs = [s for c in a.view.segments_of for s in a.view.segments_of[c]]
    firms = sorted({f for fs in a.view.firms_in.values() for f in fs})
    out: list[list[Change]] = []
    k = 0
    while len(out) < n:
        out.append([Change("add_firm", firm=f"bench-{k}", segment=segs[k % len(segs)])])
        f = firms[k % len(firms)]
        out.append([Change("remove_firm", firm=f)])
        out.append([Change("move_firm", firm=f, segment=segs[(k * 7) % len(segs)])])
        k += 1
    return out[:n]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--data", default=None)
    args = ap.parse_args()
    t0 = time.perf_counter()
    a = analyze(to_networkx(load_valid(args.data)))
    w = WhatIf(a)
    t1 = time.perf_counter()
    todo = scenarios(a, args.n)
    t2 = time.perf_counter()
    changed = sum(len(w.run(s).segments) for s in todo)
    t3 = time.perf_counter()
    print(f"machine: {platform.node()} {platform.machine()} python {platform.python_version()}")
    print(f"load + analyze: {t1 - t0:.2f} s; {len(todo)} scenarios: {t3 - t2:.2f} s "
          f"({(t3 - t2) / len(todo) * 1000:.2f} ms each); {changed} segment changes reported")


if __name__ == "__main__":
    main()
