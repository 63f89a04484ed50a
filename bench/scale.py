"""Benchmark: the growth curve. validate, gaps, report, load and load --bulk on synthetic datasets of
10k, 100k and 1M firms (10M where memory allows): wall time and peak memory of each step, each also
as a ratio to the time polars takes just to read the same CSV files, measured in the same run.

    .venv/bin/python bench/scale.py --firms 10000 100000 1000000 --repeat 3 --json docs/scale-bench.json
    .venv/bin/python bench/scale.py --plot docs/scale-bench.json docs/scale.png   # table + plot only

Every measured step runs in a fresh process under ``/usr/bin/time`` (wall seconds, peak RSS of that
process); the median of ``--repeat`` runs is kept for validate, gaps and the plain read, one run for
report, load and bulk load (``--repeat-slow`` to change). load and load --bulk run against a
throwaway local Neo4j (its own home and ports); before each load its database is emptied by
stopping the server and removing the store (the way a fresh server starts).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PY = sys.executable
CHAINKG = str(Path(sys.executable).with_name("chainkg"))
DATA = Path(os.environ.get("CHAINKG_BENCH_DATA", tempfile.gettempdir())) / "chainkg-scale"

PLAIN_READ = ("import sys, pathlib, polars as pl\n"
              "for f in sorted(pathlib.Path(sys.argv[1]).glob('*.csv')): pl.read_csv(f, infer_schema=False)\n")


def timed(cmd: list[str], env: dict | None = None) -> tuple[float, float, str]:
    """(wall seconds, peak RSS MB, stdout) of one process."""
    fd, out = tempfile.mkstemp(suffix=".time")
    os.close(fd)
    t0 = time.perf_counter()
    res = subprocess.run(["/usr/bin/time", "-f", "%e %M", "-o", out, *cmd], capture_output=True, text=True,
                         env=env)
    wall = time.perf_counter() - t0
    text = Path(out).read_text().strip().splitlines()
    os.unlink(out)
    if res.returncode not in (0,):
        raise SystemExit(f"{' '.join(cmd)} failed ({res.returncode}):\n{res.stderr[-3000:]}")
    return wall, int(text[-1].split()[1]) / 1024, res.stdout


def median_of(cmd, n, env=None) -> dict:
    runs = [timed(cmd, env) for _ in range(n)]
    out = {"seconds": round(statistics.median(r[0] for r in runs), 2),
           "peak_mb": round(max(r[1] for r in runs)), "runs": [round(r[0], 2) for r in runs]}
    try:  # load --bulk says where its time went
        phases = json.loads(runs[-1][2]).get("seconds")
        if phases:
            out["phases"] = phases
    except (ValueError, AttributeError):
        pass
    return out


def dataset(firms: int) -> Path:
    path = DATA / f"synth-{firms}"
    if not (path / "firms.csv").exists():
        subprocess.run([CHAINKG, "synth", "--firms", str(firms), "--seed", "0", "-o", str(path)], check=True,
                       capture_output=True)
    return path


class Server:
    """A throwaway local Neo4j for load and load --bulk; CHAINKG_HOME points the CLI at it."""

    def __init__(self, root: Path, heap: str, pagecache: str):
        from chainkg.paths import chainkg_home
        from chainkg.server import LocalServer, ServerSettings, free_port

        self.root = root
        (root / "servers").mkdir(parents=True, exist_ok=True)
        dist = chainkg_home() / "dist"  # the assembled jars, shared
        if not (root / "dist").exists():
            (root / "dist").symlink_to(dist)
        self.server = LocalServer(root / "servers" / "default")
        self.settings = ServerSettings(bolt_port=free_port(), http_port=free_port(), heap_initial=heap,
                                       heap_max=heap, pagecache=pagecache)
        self.env = dict(os.environ, CHAINKG_HOME=str(root))
        for k in ("NEO4J_URI", "NEO4J_PASSWORD", "NEO4J_USER", "NEO4J_DATABASE"):
            self.env.pop(k, None)

    def fresh(self) -> None:
        """An empty database: stop, remove the neo4j store and its transaction logs, start."""
        self.server.stop()
        data = self.server.home / "data"
        for sub in ("databases/neo4j", "transactions/neo4j"):
            shutil.rmtree(data / sub, ignore_errors=True)
        self.server.start(self.settings, timeout=900)

    def stop(self) -> None:
        self.server.stop()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--firms", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--steps", default="read,validate,gaps,report,load,bulk")
    ap.add_argument("--repeat", type=int, default=3, help="runs of read, validate and gaps (median)")
    ap.add_argument("--repeat-gaps", type=int, default=None, help="runs of gaps (default: --repeat)")
    ap.add_argument("--repeat-slow", type=int, default=1, help="runs of report, load and bulk")
    ap.add_argument("--load-max", type=int, default=1_000_000, help="largest size for the online load")
    ap.add_argument("--heap", default="2g")
    ap.add_argument("--pagecache", default="1g")
    ap.add_argument("--json", type=Path, default=None, help="write the results here (merged with what it has)")
    ap.add_argument("--plot", nargs=2, type=Path, metavar=("JSON", "PNG"), help="only draw the table and plot")
    args = ap.parse_args()
    if args.plot:
        return draw(json.loads(args.plot[0].read_text()), args.plot[1])
    steps = args.steps.split(",")
    results = json.loads(args.json.read_text()) if args.json and args.json.exists() else {}
    results.setdefault("machine", machine())
    results.setdefault("sizes", {})
    srv = None
    tmp = Path(tempfile.mkdtemp(prefix="chainkg-scale-"))
    try:
        for n in args.firms:
            d = dataset(n)
            rows = sum(max(0, sum(1 for _ in f.open(encoding="utf-8")) - 1) for f in d.glob("*.csv"))
            r = results["sizes"].setdefault(str(n), {})
            r["rows"] = rows
            r["load_avg_before"] = os.getloadavg()[0]

            def note(step, value, r=r, n=n):
                r[step] = value
                print(f"{n:>9,} firms {step:<8} {value['seconds']:8.2f} s  {value['peak_mb']:6} MB  "
                      f"(load {os.getloadavg()[0]:.1f})", flush=True)
                if args.json:
                    args.json.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")

            if "read" in steps:
                note("read", median_of([PY, "-c", PLAIN_READ, str(d)], args.repeat))
            if "validate" in steps:
                note("validate", median_of([CHAINKG, "validate", str(d), "--format", "json", "-o",
                                            str(tmp / "v.json")], args.repeat))
            if "gaps" in steps:
                note("gaps", median_of([CHAINKG, "gaps", "--data", str(d), "--format", "json", "-o",
                                        str(tmp / "g.json")], args.repeat_gaps or args.repeat))
            if "report" in steps:
                note("report", median_of([CHAINKG, "report", "--data", str(d), "--out-dir", str(tmp / "r")],
                                         args.repeat_slow))
            if ("load" in steps and n <= args.load_max) or "bulk" in steps:
                if srv is None:
                    srv = Server(tmp / "home", args.heap, args.pagecache)
                if "load" in steps and n <= args.load_max:
                    srv.fresh()
                    v = median_of([CHAINKG, "load", str(d), "--format", "json"], args.repeat_slow, srv.env)
                    v["records_per_s"] = round(rows_written(d) / v["seconds"])
                    note("load", v)
                if "bulk" in steps:
                    srv.fresh()
                    v = median_of([CHAINKG, "load", str(d), "--bulk", "--format", "json"], args.repeat_slow, srv.env)
                    v["records_per_s"] = round(rows_written(d) / v["seconds"])
                    note("bulk", v)
            r["load_avg_after"] = os.getloadavg()[0]
    finally:
        if srv is not None:
            srv.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
    print(table(results))


def rows_written(d: Path) -> int:
    """Nodes plus relationships of the dataset (what both loads write)."""
    from chainkg.loaders import read_dataset

    counts = read_dataset(d).counts()
    return sum(counts.values())


def machine() -> dict:
    import platform

    mem = next((int(line.split()[1]) // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), None)
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    return {"cpus": os.cpu_count(), "cpu": cpu, "memory_mb": mem, "python": platform.python_version(),
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}


STEPS = ("read", "validate", "gaps", "report", "load", "bulk")


def table(results: dict) -> str:
    """The growth curve as a Markdown table: seconds, peak MB and the ratio to the plain read."""
    lines = ["| step | " + " | ".join(f"{int(n):,} firms" for n in results["sizes"]) + " |",
             "|---|" + "---|" * len(results["sizes"])]
    for step in STEPS:
        cells = []
        for _n, r in results["sizes"].items():
            v = r.get(step)
            if not v:
                cells.append("—")
                continue
            cell = f"{v['seconds']:.1f} s, {v['peak_mb']:,} MB"
            if step not in ("read",) and r.get("read"):
                cell += f", {v['seconds'] / r['read']['seconds']:.1f}× read"
            if "records_per_s" in v:
                cell += f", {v['records_per_s']:,} rec/s"
            cells.append(cell)
        lines.append(f"| {step} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def draw(results: dict, png: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.2))
    for step in STEPS:
        pts = [(int(n), r[step]) for n, r in results["sizes"].items() if r.get(step)]
        if not pts:
            continue
        xs = [p[0] for p in pts]
        ax1.plot(xs, [p[1]["seconds"] for p in pts], marker="o", label=step)
        ax2.plot(xs, [p[1]["peak_mb"] for p in pts], marker="o", label=step)
    for ax, what in ((ax1, "wall time (s)"), (ax2, "peak memory (MB)")):
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("firms")
        ax.set_ylabel(what)
        ax.grid(True, which="both", alpha=0.3)
    ax1.legend(fontsize=8)
    m = results.get("machine", {})
    fig.suptitle(f"chainkg growth curve ({m.get('cpus')} CPUs, {m.get('memory_mb', 0) // 1024} GB, "
                 f"{m.get('date', '')})", fontsize=10)
    fig.tight_layout()
    fig.savefig(png, dpi=110)
    print(table(results))


if __name__ == "__main__":
    main()
