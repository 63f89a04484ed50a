"""Benchmark: `chainkg serve --workspace` under mixed reads and writes (not a timed test).

    .venv/bin/python bench/workspace.py                     # 100,000 firms, 20 clients, 60 s
    .venv/bin/python bench/workspace.py --firms 10000 --seconds 20 --write-share 0.5
    .venv/bin/python bench/workspace.py --workdir /tmp/ws-bench --corrections 0.2   # reuse data; 20 % editor fixes

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
import os
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
KINDS = ("write+page", "fact+page", "lead page", "board", "list", "chain")


def run_clients(base, clients, seconds, write_share, seed, firms, segments, chains, max_requests, corrections=0.0):
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
            editor = httpx.Client(base_url=base, timeout=60) if corrections else None
            if editor is not None:
                r = editor.post("/api/login", json={"username": "benchedit", "password": PASSWORD})
                r.raise_for_status()
                eh = {"X-CSRF-Token": r.json()["csrf"]}
            while time.perf_counter() < stop:
                with lock:
                    if next(budget, None) is None:
                        return
                t0 = time.perf_counter()
                try:
                    if editor is not None and mine and rng.random() < write_share * corrections:
                        kind = "fact+page"  # an editor's correction and the page of the segment it changes
                        seg = rng.choice(segments)
                        w = editor.post("/api/facts", json={"kind": "place", "firm_id": rng.choice(firms),
                                                            "segment_id": seg, "reason": "bench"}, headers=eh)
                        status = w.status_code if w.status_code >= 300 else editor.get(f"/segment/{seg}").status_code
                    elif rng.random() < write_share or not mine:
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


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--firms", type=int, default=100_000)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--write-share", type=float, default=0.3)
    ap.add_argument("--max-requests", type=int, default=100_000, help="bound on the total request count")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", type=Path, default=None, help="also write the figures here")
    ap.add_argument("--workdir", type=Path, default=None,
                    help="keep the synthetic data and the local Neo4j here and reuse them on the next run "
                         "(synth and load are skipped when they were done; the leads of earlier runs stay)")
    ap.add_argument("--corrections", type=float, default=0.0,
                    help="share of the writes that are editor corrections (place a firm in a segment, then the "
                         "segment's page) instead of lead writes")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="chainkg-ws-bench-") as scratch:
        tmp = args.workdir or Path(scratch)
        tmp.mkdir(parents=True, exist_ok=True)
        if not (tmp / "d" / "firms.csv").exists():
            synth(args.firms, tmp / "d")
        firms = ids(tmp / "d", "firms")[:5000]
        segments, chains = ids(tmp / "d", "segments"), ids(tmp / "d", "chains")
        with bench_settings(tmp) as conn:
            env = neo4j_env(conn)
            if not (tmp / "loaded").exists():
                load(tmp / "d", env)
                (tmp / "loaded").write_text("yes", encoding="utf-8")
            users = [(f"bench{k}", "staff") for k in range(args.clients)] + [("benchedit", "editor")]
            for name, role in users:  # exit 1 when the user exists already (a kept workdir): fine
                subprocess.run([CHAINKG, "users", "add", name, "--role", role],
                               env={**env, "CHAINKG_NEW_PASSWORD": PASSWORD}, capture_output=True)
            with chainkg_serve(["--workspace"], env, 900) as served:
                print(f"serve pid {served.pid} ready; load average {os.getloadavg()[0]:.1f}", flush=True)
                cpu0, load0 = _cpu_seconds(served.pid), os.getloadavg()[0]
                t2 = time.perf_counter()
                results = run_clients(served.base, args.clients, args.seconds, args.write_share,
                                      args.seed, firms, segments, chains, args.max_requests, args.corrections)
                wall = time.perf_counter() - t2
                cpu, load1 = _cpu_seconds(served.pid) - cpu0, os.getloadavg()[0]
    ok = lambda s: isinstance(s, int) and s < 400
    out = {"firms": args.firms, "clients": args.clients, "seconds": args.seconds, "write_share": args.write_share,
           "requests": len(results), "wall_s": round(wall, 1), "throughput_rps": round(len(results) / wall, 1),
           "errors": sum(1 for r in results if not ok(r[1])), "server_cpu_s": round(cpu, 1),
           "load_average": [round(load0, 1), round(load1, 1)], "kinds": {}}
    print(f"{len(results):,} requests in {wall:.1f} s ({out['throughput_rps']} req/s), {args.clients} clients, "
          f"write share {args.write_share}, errors {out['errors']}; serve used {cpu:.1f} CPU s; "
          f"load average {load0:.1f} at start, {load1:.1f} at the end (cores: {os.cpu_count()})")
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
