"""Benchmark: load a synthetic dataset into the local Neo4j (target: 100,000 firms under 60 s).

Starts its own throwaway server (temporary home, free ports) unless NEO4J_URI is set.

    .venv/bin/python bench/load.py --firms 100000 --batch-sizes 2000,10000,20000 --naive-firms 10000
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from _server import bench_driver
from chainkg.cypher import writes
from chainkg.loaders import load_valid
from chainkg.neo4j_io.plan import build_plan
from chainkg.neo4j_io.reader import read_graph
from chainkg.neo4j_io.writer import ensure_schema, load_dataset
from chainkg.synth import synth_dataset


def clear(driver):
    with driver.session(database="neo4j") as s:
        s.run(writes.clear_all()).consume()


def naive_load(driver, ds) -> int:
    """One row per transaction, the way many scripts do it."""
    n = 0
    for step in build_plan(ds):
        q = (writes.merge_nodes(step.label) if step.kind == "nodes"
             else writes.merge_rels(step.rel_type, step.start_label, step.end_label))
        for row in step.rows:
            with driver.session(database="neo4j") as s:
                s.execute_write(lambda tx, r=row, q=q: tx.run(q, rows=[r]).consume())
            n += 1
    return n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--firms", type=int, default=100_000)
    ap.add_argument("--batch-sizes", default="10000")
    ap.add_argument("--naive-firms", type=int, default=10_000)
    ap.add_argument("--heap", default="2g")
    ap.add_argument("--pagecache", default="1g")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="chainkg-bench-"))
    with bench_driver(tmp, args.heap, args.pagecache) as driver:
        synth_dataset(tmp / "data", firms=args.firms, seed=0)
        ds = load_valid(tmp / "data")
        rows = sum(len(s.rows) for s in build_plan(ds))
        rels = len(ds.rels)
        print(f"dataset: {args.firms} firms, {len(ds.nodes)} nodes, {rels} relationships, {rows} rows")
        ensure_schema(driver, "neo4j")
        for size in [int(x) for x in args.batch_sizes.split(",")]:
            clear(driver)
            t0 = time.perf_counter()
            load_dataset(driver, "neo4j", ds, batch_size=size)
            t1 = time.perf_counter()
            load_dataset(driver, "neo4j", ds, batch_size=size)
            t2 = time.perf_counter()
            print(f"batch {size:>6}: first load {t1 - t0:6.1f} s ({rows / (t1 - t0):9,.0f} rows/s); "
                  f"second (no change) {t2 - t1:6.1f} s ({rows / (t2 - t1):9,.0f} rows/s)")
        t0 = time.perf_counter()
        g = read_graph(driver, "neo4j")
        t1 = time.perf_counter()
        print(f"export to NetworkX: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges in {t1 - t0:.1f} s")
        if args.naive_firms:
            synth_dataset(tmp / "slice", firms=args.naive_firms, seed=0)
            small = load_valid(tmp / "slice")
            clear(driver)
            t0 = time.perf_counter()
            n = naive_load(driver, small)
            t1 = time.perf_counter()
            clear(driver)
            t2 = time.perf_counter()
            load_dataset(driver, "neo4j", small, batch_size=10_000)
            t3 = time.perf_counter()
            print(f"{args.naive_firms} firms ({n} rows): one row per transaction {t1 - t0:.1f} s "
                  f"({n / (t1 - t0):,.0f} rows/s) vs batched {t3 - t2:.1f} s: {(t1 - t0) / (t3 - t2):.0f}x")


if __name__ == "__main__":
    main()
