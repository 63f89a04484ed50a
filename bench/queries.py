"""Benchmark: every library query on a synthetic 100,000-firm load; the slowest one's plan (PROFILE).

Starts its own throwaway server (temporary home, free ports) unless NEO4J_URI is set.

    .venv/bin/python bench/queries.py --firms 100000
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from _server import bench_driver
from chainkg.cypher import library as lib
from chainkg.loaders import load_valid
from chainkg.neo4j_io.writer import load_dataset
from chainkg.synth import synth_dataset

PARAMS = {  # typical arguments on a synth dataset
    "chain_segments": {"chain": "CH1"}, "chain_gaps": {"chain": "CH1"}, "segment_firms": {"segment": "CH1-S2"},
    "firm_network": {"firm": "F10"}, "supply_paths": {"from": "F10", "to": "F20"}, "district_chains": {"district": "D1"},
    "chain_backers": {"chain": "CH1"}, "fund_portfolio": {"fund": "FD1"}, "chain_leaders": {"chain": "CH1"},
    "projects": {}, "revenue_tiers": {}, "single_points_supplying_other_chains": {}, "search_names": {"q": "企业123"},
    "segment_status": {},
}


def summarize(plan, depth=0, out=None):
    out = [] if out is None else out
    args = plan.get("args", {}) if isinstance(plan, dict) else {}
    out.append(f"{'  ' * depth}{plan['operatorType']} rows={args.get('Rows', plan.get('rows'))} "
               f"dbHits={plan.get('dbHits')}")
    for child in plan.get("children", []):
        summarize(child, depth + 1, out)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--firms", type=int, default=100_000)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="chainkg-qbench-"))
    with bench_driver(tmp) as driver:
        synth_dataset(tmp / "d", firms=args.firms, seed=0)
        load_dataset(driver, "neo4j", load_valid(tmp / "d"))
        driver.execute_query("CALL db.awaitIndexes(300)", database_="neo4j")
        times = {}
        for name, query in lib.library().items():
            params = lib.bind(query, {k: str(v) for k, v in PARAMS.get(name, {}).items()})
            lib.run(driver, "neo4j", query, params)  # warm-up
            t0 = time.perf_counter()
            _, rows = lib.run(driver, "neo4j", query, params)
            times[name] = (time.perf_counter() - t0, len(rows))
        for name, (t, n) in sorted(times.items(), key=lambda x: -x[1][0]):
            print(f"{name:<40} {t * 1000:9.1f} ms  {n} rows")
        slowest = max(times, key=lambda k: times[k][0])
        q = lib.get(slowest)
        params = lib.bind(q, {k: str(v) for k, v in PARAMS.get(slowest, {}).items()})
        with driver.session(database="neo4j") as s:
            summary = s.run("PROFILE " + q.text, params).consume()
        print(f"\nPROFILE {slowest}:")
        print("\n".join(summarize(summary.profile)[:40]))


if __name__ == "__main__":
    main()
