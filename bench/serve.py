"""Benchmark: `chainkg serve` under load, in memory and from Neo4j, against the bundled data (not a timed test).

    .venv/bin/python bench/serve.py                       # 100,000 firms, both sources, 20 clients, 60 s
    .venv/bin/python bench/serve.py --firms 10000 --seconds 20 --source memory
    .venv/bin/python bench/serve.py --source neo4j --json serve.json

Synthesises the firms (`chainkg synth`); for each source (``memory``: `chainkg serve --data`,
``neo4j``: loaded into a Neo4j it starts, or NEO4J_URI / NEO4J_PASSWORD, then `chainkg serve
--from-neo4j`) it starts the explorer in its own process on a free loopback port, then runs N
concurrent clients (keep-alive HTTP) for the given time over a fixed, seeded mix of pages
(overview, chains, segments, firms, districts, searches; every district and chain visited for the
first time under load), stopping early at --max-requests. The same bench runs on the bundled data
(in memory) as the baseline unless --no-baseline. Reports ready (spawn to the first page
answered; the explorer's own "ready in" is the graph read, analysis and overview), p50/p95/max
latency and errors per page kind, split into first visits of a URL (built) and repeats (cached
per data version), and the p95 ratio to the baseline.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _server import bench_settings, chainkg_serve, ids, load, neo4j_env, percentile, run_threads, synth

MIX = {"overview": 1, "chain": 3, "segment": 6, "firm": 8, "district": 2, "search": 3}  # relative weights


def _names(folder: Path, n: int, rng: random.Random) -> list[str]:
    with (folder / "firms.csv").open(encoding="utf-8") as fh:
        names = [r["name"] for r in csv.DictReader(fh)]
    return [x[: rng.randint(2, 4)] for x in rng.sample(names, min(n, len(names)))]


def page_mix(folder: Path, n: int, seed: int) -> list[tuple[str, str]]:
    """(kind, path) for n requests: fixed by the seed."""
    from urllib.parse import quote

    rng = random.Random(seed)
    pools = {"overview": ["/"], "chain": [f"/chain/{quote(c)}" for c in ids(folder, "chains")],
             "segment": [f"/segment/{quote(s)}" for s in ids(folder, "segments")],
             "firm": [f"/firm/{quote(f)}" for f in ids(folder, "firms")],
             "district": [f"/district/{quote(d)}" for d in ids(folder, "districts")],
             "search": ["/search?q=" + quote(q) for q in _names(folder, 200, rng)]}
    kinds = [k for k, w in MIX.items() for _ in range(w)]
    out = []
    # every district and chain page is first visited under load (district first visits are the costly ones)
    firsts = [("district", p) for p in pools["district"]] + [("chain", p + "?lang=en") for p in pools["chain"]]
    rng.shuffle(firsts)
    for _ in range(n):
        if firsts and rng.random() < 0.05:
            out.append(firsts.pop())
            continue
        k = rng.choice(kinds)
        path = rng.choice(pools[k])
        out.append((k, path + (("&" if "?" in path else "?") + "lang=en" if rng.random() < 0.2 else "")))
    return out


def run_clients(base: str, mix: list[tuple[str, str]], clients: int, seconds: float, max_requests: int) -> list[tuple]:
    import httpx

    results: list[tuple] = []
    lock = threading.Lock()
    counter = iter(range(max_requests))
    seen: set[str] = set()
    stop = time.perf_counter() + seconds

    def client(k: int):
        with httpx.Client(base_url=base, timeout=60) as c:
            while time.perf_counter() < stop:
                with lock:
                    i = next(counter, None)
                if i is None:
                    return
                kind, path = mix[i % len(mix)]
                with lock:
                    first = path not in seen
                    seen.add(path)
                t0 = time.perf_counter()
                try:
                    status = c.get(path).status_code
                except httpx.HTTPError as exc:
                    status = type(exc).__name__
                ms = (time.perf_counter() - t0) * 1000
                with lock:
                    results.append((kind, first, status, ms))

    run_threads(client, clients)
    return results


def serve_bench(args, folder: Path, source: str, env: dict) -> dict:
    """One explorer process (``source``: memory or neo4j) under the clients; its figures."""
    import httpx

    cmd = ["--from-neo4j"] if source == "neo4j" else ["--data", str(folder)]
    with chainkg_serve(cmd, env, 600) as served:
        t1 = time.perf_counter()
        first = httpx.get(served.base + "/", timeout=120)
        first_ms = (time.perf_counter() - t1) * 1000
        ready_s = time.perf_counter() - served.spawned
        assert first.status_code == 200, first.status_code
        mix = page_mix(folder, min(args.max_requests, 50_000), args.seed)
        t2 = time.perf_counter()
        results = run_clients(served.base, mix, args.clients, args.seconds, args.max_requests)
        wall = time.perf_counter() - t2
    ready = re.search(r"ready in ([\d.]+) s", served.stderr)
    out = {"source": source, "data": str(folder), "clients": args.clients, "seconds": args.seconds,
           "requests": len(results), "wall_s": round(wall, 1), "throughput_rps": round(len(results) / wall, 1),
           "explorer_ready_s": float(ready.group(1)) if ready else None, "ready_s": round(ready_s, 1),
           "spawn_to_port_s": round(served.opened - served.spawned, 1), "first_page_ms": round(first_ms, 1),
           "errors": sum(1 for r in results if r[2] != 200), "p95_ms": round(percentile([r[3] for r in results], 95), 1),
           "pages": {}}
    for kind in MIX:
        rows = [r for r in results if r[0] == kind]
        ms = [r[3] for r in rows]
        firsts = [r[3] for r in rows if r[1]]
        out["pages"][kind] = {"n": len(rows), "p50_ms": round(percentile(ms, 50), 1), "p95_ms": round(percentile(ms, 95), 1),
                              "max_ms": round(max(ms), 1) if ms else None, "first_n": len(firsts),
                              "first_p50_ms": round(percentile(firsts, 50), 1), "first_p95_ms": round(percentile(firsts, 95), 1),
                              "errors": sum(1 for r in rows if r[2] != 200)}
    return out


def show(out: dict, baseline: dict | None) -> None:
    print(f"\n== {out['source']} · {out['data']}")
    print(f"ready (spawn to first page answered): {out['ready_s']} s; explorer's own ready: {out['explorer_ready_s']} s; "
          f"spawn to port open: {out['spawn_to_port_s']} s; first page: {out['first_page_ms']} ms")
    print(f"{out['requests']:,} requests in {out['wall_s']} s ({out['throughput_rps']} req/s), {out['clients']} clients, "
          f"errors {out['errors']}, p95 {out['p95_ms']} ms"
          + (f" = {out['p95_ms'] / baseline['p95_ms']:.2f}× the baseline's {baseline['p95_ms']} ms" if baseline else ""))
    print(f"{'page':<10}{'n':>7}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}   first visits: n / p50 / p95 ms   errors"
          + ("   p95 × baseline" if baseline else ""))
    for kind, p in out["pages"].items():
        ratio = ""
        if baseline and baseline["pages"][kind]["p95_ms"]:
            ratio = f"   {p['p95_ms'] / baseline['pages'][kind]['p95_ms']:.2f}×"
        print(f"{kind:<10}{p['n']:>7}{p['p50_ms']:>9}{p['p95_ms']:>9}{p['max_ms'] or 0:>9}   "
              f"{p['first_n']:>6} / {p['first_p50_ms']} / {p['first_p95_ms']}   {p['errors']}{ratio}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--firms", type=int, default=100_000)
    ap.add_argument("--source", choices=("memory", "neo4j", "both"), default="both")
    ap.add_argument("--no-baseline", action="store_true", help="skip the bundled data's run")
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--max-requests", type=int, default=200_000, help="bound on the total request count")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = ap.parse_args()
    runs: list[dict] = []
    bundled = Path(__file__).resolve().parents[1] / "src" / "chainkg" / "datasets" / "yangzhou-613"
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start", flush=True)
    with tempfile.TemporaryDirectory(prefix="chainkg-serve-bench-") as tmp:
        tmp = Path(tmp)
        synth(args.firms, tmp / "d")
        baseline = None if args.no_baseline else serve_bench(args, bundled, "memory", dict(os.environ))
        if baseline:
            show(baseline, None)
            runs.append(baseline)
        if args.source in ("memory", "both"):
            runs.append(serve_bench(args, tmp / "d", "memory", dict(os.environ)))
            show(runs[-1], baseline)
        if args.source in ("neo4j", "both"):
            with bench_settings(tmp) as conn:
                env = neo4j_env(conn, CHAINKG_BROWSER_URL="http://127.0.0.1:7474/browser/")
                load(tmp / "d", env)
                runs.append(serve_bench(args, tmp / "d", "neo4j", env))
                show(runs[-1], baseline)
    print(f"load average {os.getloadavg()[0]:.1f} at the end (the machine is shared)")
    if args.json:
        args.json.write_text(json.dumps({"firms": args.firms, "runs": runs}, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
