"""Servers for benchmarks: a Neo4j (NEO4J_URI/NEO4J_PASSWORD when set, else a throwaway local server) and
`chainkg serve` in its own process, with what the serve and workspace benches share (ids of a data folder,
clients in threads, percentiles)."""

from __future__ import annotations

import csv
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from chainkg.connection import ConnectionSettings, open_driver
from chainkg.server import LocalServer, ServerSettings, free_port


@contextmanager
def bench_settings(tmp: Path, heap: str = "2g", pagecache: str = "1g"):
    """ConnectionSettings of NEO4J_URI/NEO4J_PASSWORD when set, else of a throwaway local server."""
    srv = None
    if os.environ.get("NEO4J_URI"):
        conn = ConnectionSettings(os.environ["NEO4J_URI"], os.environ.get("NEO4J_USER", "neo4j"),
                                  os.environ["NEO4J_PASSWORD"])
    else:
        srv = LocalServer(tmp / "home")
        st = ServerSettings(bolt_port=free_port(), http_port=free_port(), heap_initial=heap, heap_max=heap,
                            pagecache=pagecache)
        srv.start(st, timeout=300)
        conn = ConnectionSettings(f"bolt://127.0.0.1:{st.bolt_port}", "neo4j", srv.stored_password())
    try:
        yield conn
    finally:
        if srv:
            srv.stop()


@contextmanager
def bench_driver(tmp: Path, heap: str = "2g", pagecache: str = "1g"):
    with bench_settings(tmp, heap, pagecache) as conn:
        driver = open_driver(conn)
        try:
            yield driver
        finally:
            driver.close()


CHAINKG = str(Path(sys.executable).with_name("chainkg"))


def neo4j_env(conn: ConnectionSettings, **extra: str) -> dict[str, str]:
    """The environment that points chainkg commands at ``conn``."""
    return {**os.environ, "NEO4J_URI": conn.uri, "NEO4J_USER": conn.user, "NEO4J_PASSWORD": conn.password, **extra}


def synth(firms: int, folder: Path) -> None:
    """`chainkg synth --firms N -o folder`, timed."""
    t0 = time.perf_counter()
    subprocess.run([CHAINKG, "synth", "--firms", str(firms), "-o", str(folder)], check=True, capture_output=True)
    print(f"synth {firms:,} firms: {time.perf_counter() - t0:.1f} s", flush=True)


def load(folder: Path, env: dict[str, str]) -> None:
    """`chainkg load folder` into the Neo4j of ``env``, timed."""
    t0 = time.perf_counter()
    subprocess.run([CHAINKG, "load", str(folder), "--format", "json"], check=True, env=env, capture_output=True)
    print(f"chainkg load: {time.perf_counter() - t0:.1f} s", flush=True)


def ids(folder: Path, table: str, col: str = "id") -> list[str]:
    """The ``col`` values of ``folder/table.csv``."""
    with (folder / f"{table}.csv").open(encoding="utf-8-sig") as fh:
        return [r[col] for r in csv.DictReader(fh)]


def percentile(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))] if xs else float("nan")


def run_threads(client: Callable[[int], None], n: int) -> None:
    """``client(k)`` for k in 0..n-1, each in its own thread; returns when all have."""
    threads = [threading.Thread(target=client, args=(k,)) for k in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def _wait_port(port: int, proc: subprocess.Popen, timeout: float) -> float:
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout:
        if proc.poll() is not None:
            err = proc.stderr.read()[-2000:] if proc.stderr else ""
            raise SystemExit(f"chainkg serve exited with {proc.returncode}: {err}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return time.perf_counter()
        except OSError:
            time.sleep(0.05)
    raise SystemExit("chainkg serve did not open its port in time")


@dataclass
class Served:
    """A running `chainkg serve`: its port, when it was spawned and opened its port; its stderr once stopped."""
    port: int
    spawned: float
    opened: float = 0.0
    stderr: str = ""
    pid: int = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@contextmanager
def chainkg_serve(args: list[str], env: dict[str, str], timeout: float):
    """`chainkg serve ARGS --port P` on a free loopback port, waited for and stopped afterwards."""
    port = free_port()
    served = Served(port, time.perf_counter())
    proc = subprocess.Popen([CHAINKG, "serve", *args, "--port", str(port)], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    served.pid = proc.pid
    try:
        served.opened = _wait_port(port, proc, timeout)
        yield served
    finally:
        proc.terminate()
        try:
            _, served.stderr = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            _, served.stderr = proc.communicate()
