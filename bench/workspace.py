"""Benchmark: `chainkg serve --workspace` under mixed reads and writes (not a timed test).

    .venv/bin/python bench/workspace.py                     # 100,000 firms, 20 clients, 60 s
    .venv/bin/python bench/workspace.py --firms 10000 --seconds 20 --write-share 0.5

Synthesises the firms (`chainkg synth`), loads them into a Neo4j it starts (or NEO4J_URI /
NEO4J_PASSWORD), adds one staff account per client (`chainkg users add`), starts
`chainkg serve --workspace` on a free loopback port and logs every client in. Then N clients run
for the given time: with probability --write-share a client writes (creates a lead, or moves one of
its leads to the next stage, with its version) and at once loads the page that write affects (the
lead page), timed together as "write + page"; otherwise it reads a lead page, the board, the lead
list or a chain page (with its lead badges and the pipeline's effect). Reports p50/p95/max per kind
and the errors; the target is write + page <= 500 ms p95 at 100,000 firms and 20 clients.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _server import CHAINKG, bench_settings, chainkg_serve, ids, load, neo4j_env, percentile, run_threads, synth

PASSWORD = "bench password 1"
STAGES = ["lead", "contact", "visit", "negotiate", "signed", "registered", "started", "producing"]
KINDS = ("write+page", "lead page", "board", "list", "chain")


def run_clients(base, clients, seconds, write_share, seed, firms, segments, chains, max_requests):
    import httpx

    results: list[tuple] = []
    lock = threading.Lock()
    stop = time.perf_counter() + seconds
    budget = iter(range(max_requests))

    def client(k: int):
        rng = random.Random(seed * 1000 + k)
        mine: list[list] = []  # [id, version, stage index]
        with httpx.Client(base_url=base, timeout=60) as c:
            r = c.post("/api/login", json={"username": f"bench{k}", "password": PASSWORD})
            r.raise_for_status()
            h = {"X-CSRF-Token": r.json()["csrf"]}
            while time.perf_counter() < stop:
                with lock:
                    if next(budget, None) is None:
                        return
                t0 = time.perf_counter()
                try:
                    if rng.random() < write_share or not mine:
                        if mine and rng.random() < 0.6:
                            lead = rng.choice(mine)
                            lead[2] = min(lead[2] + 1, len(STAGES) - 1)
                            w = c.patch(f"/api/leads/{lead[0]}", json={"version": lead[1], "stage": STAGES[lead[2]]},
                                        headers=h)
                            if w.status_code == 200:
                                lead[1] = w.json()["version"]
                        else:
                            w = c.post("/api/leads", json={"firm_id": rng.choice(firms), "stage": "lead",
                                                           "segment_ids": [rng.choice(segments)]}, headers=h)
                            if w.status_code == 201:
                                lead = [w.json()["id"], w.json()["version"], 0]
                                mine.append(lead)
                        status = w.status_code if w.status_code >= 300 else c.get(f"/ws/leads/{lead[0]}").status_code
                        kind = "write+page"
                    else:
                        kind = rng.choice(["lead page", "lead page", "board", "list", "chain"])
                        path = {"lead page": f"/ws/leads/{rng.choice(mine)[0]}" if mine else "/ws", "board": "/ws",
                                "list": "/ws/leads?overdue=1", "chain": f"/chain/{rng.choice(chains)}"}[kind]
                        status = c.get(path).status_code
                except httpx.HTTPError as exc:
                    kind, status = locals().get("kind", "write+page"), type(exc).__name__
                ms = (time.perf_counter() - t0) * 1000
                with lock:
                    results.append((kind, status, ms))

    run_threads(client, clients)
    return results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--firms", type=int, default=100_000)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--write-share", type=float, default=0.3)
    ap.add_argument("--max-requests", type=int, default=100_000, help="bound on the total request count")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="chainkg-ws-bench-") as tmp:
        tmp = Path(tmp)
        synth(args.firms, tmp / "d")
        firms = [f for f in ids(tmp / "d", "firms")][:5000]
        segments, chains = ids(tmp / "d", "segments"), ids(tmp / "d", "chains")
        with bench_settings(tmp) as conn:
            env = neo4j_env(conn)
            load(tmp / "d", env)
            for k in range(args.clients):
                subprocess.run([CHAINKG, "users", "add", f"bench{k}", "--role", "staff"], check=True,
                               env={**env, "CHAINKG_NEW_PASSWORD": PASSWORD}, capture_output=True)
            with chainkg_serve(["--workspace"], env, 900) as served:
                t2 = time.perf_counter()
                results = run_clients(served.base, args.clients, args.seconds, args.write_share,
                                      args.seed, firms, segments, chains, args.max_requests)
                wall = time.perf_counter() - t2
    ok = lambda s: isinstance(s, int) and s < 400
    out = {"firms": args.firms, "clients": args.clients, "seconds": args.seconds, "write_share": args.write_share,
           "requests": len(results), "wall_s": round(wall, 1), "throughput_rps": round(len(results) / wall, 1),
           "errors": sum(1 for r in results if not ok(r[1])), "kinds": {}}
    print(f"{len(results):,} requests in {wall:.1f} s ({out['throughput_rps']} req/s), {args.clients} clients, "
          f"write share {args.write_share}, errors {out['errors']}")
    print(f"{'kind':<12}{'n':>7}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}  errors")
    for kind in KINDS:
        ms = [r[2] for r in results if r[0] == kind]
        errs = sum(1 for r in results if r[0] == kind and not ok(r[1]))
        p = {"n": len(ms), "p50_ms": round(percentile(ms, 50), 1), "p95_ms": round(percentile(ms, 95), 1),
             "max_ms": round(max(ms), 1) if ms else None, "errors": errs}
        out["kinds"][kind] = p
        print(f"{kind:<12}{p['n']:>7}{p['p50_ms']:>9}{p['p95_ms']:>9}{p['max_ms'] or 0:>9}  {errs}")
    target = out["kinds"]["write+page"]["p95_ms"]
    print(f"write + refreshed page p95: {target} ms (target <= 500 ms): {'met' if target <= 500 else 'NOT met'}")
    if args.json:
        args.json.write_text(json.dumps(out, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
