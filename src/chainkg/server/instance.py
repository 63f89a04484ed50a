"""One local Neo4j server instance: its home (conf, data, logs, run), its password, its process.

The jars come from the shared, cached :mod:`~chainkg.server.distribution`; each instance has
its own home, so tests run a server of their own beside a user's.
"""

from __future__ import annotations

import json
import os
import secrets
import shlex
import signal
import socket
import subprocess
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import PasswordMismatch, PortBusy, ServerError
from .distribution import Distribution, ensure_distribution
from .java import find_java

STATE_FILE = "chainkg-server.json"
PASSWORD_FILE = "password"
CONSOLE_LOG = "logs/console.log"
DEFAULT_BOLT_PORT = 7687
DEFAULT_HTTP_PORT = 7474


@dataclass
class ServerSettings:
    bolt_port: int = DEFAULT_BOLT_PORT
    http_port: int = DEFAULT_HTTP_PORT
    heap_initial: str = "512m"
    heap_max: str = "1g"
    pagecache: str = "512m"
    extra: dict[str, str] = field(default_factory=dict)


def initial_heap(heap_max: str) -> str:
    """The initial Java heap for a maximum: half of it, at least 256m.

    >>> initial_heap("1g"), initial_heap("4g"), initial_heap("300m")
    ('512m', '2048m', '256m')
    """
    units = {"k": 1 / 1024, "m": 1, "g": 1024}
    size = heap_max.strip()
    mb = float(size[:-1]) * units[size[-1].lower()] if size[-1].lower() in units else float(size) / 2**20
    return f"{max(256, int(mb // 2))}m"


def render_conf(home: Path, dist: Distribution, s: ServerSettings) -> str:
    """neo4j.conf for an instance: loopback only, APOC from plugins/, no outgoing calls."""
    h = home.resolve()
    lines = [
        "# Written by `chainkg server start`; edits are overwritten at the next start.",
        "server.default_listen_address=127.0.0.1",
        "server.default_advertised_address=127.0.0.1",
        f"server.bolt.listen_address=127.0.0.1:{s.bolt_port}",
        f"server.bolt.advertised_address=127.0.0.1:{s.bolt_port}",
        f"server.http.listen_address=127.0.0.1:{s.http_port}",
        f"server.http.advertised_address=127.0.0.1:{s.http_port}",
        "server.https.enabled=false",
        f"server.directories.data={h / 'data'}",
        f"server.directories.logs={h / 'logs'}",
        f"server.directories.run={h / 'run'}",
        f"server.directories.import={h / 'import'}",
        f"server.directories.plugins={dist.plugins}",
        "dbms.security.auth_enabled=true",
        "dbms.usage_report.enabled=false",
        # The Browser: no product analytics, remote content (guides) only from this machine.
        "client.allow_telemetry=false",
        "browser.remote_content_hostname_whitelist=127.0.0.1",
        # `chainkg query link` puts `:params {...};` and the query in the editor: two statements.
        "browser.post_connect_cmd=config enableMultiStatementMode: true",
        f"server.memory.heap.initial_size={s.heap_initial}",
        f"server.memory.heap.max_size={s.heap_max}",
        f"server.memory.pagecache.size={s.pagecache}",
        "dbms.security.procedures.unrestricted=apoc.*",
        "dbms.security.procedures.allowlist=apoc.*",
        "server.jvm.additional=-XX:+UseG1GC",
        "server.jvm.additional=--add-opens=java.base/java.nio=ALL-UNNAMED",
        "server.jvm.additional=--add-opens=java.base/java.io=ALL-UNNAMED",
        "server.jvm.additional=--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
        "server.jvm.additional=-Dio.netty.tryReflectionSetAccessible=true",
        "server.jvm.additional=-XX:+ExitOnOutOfMemoryError",
    ]
    lines += [f"{k}={v}" for k, v in sorted(s.extra.items())]
    return "\n".join(lines) + "\n"


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def free_port() -> int:
    """A port the OS says is free now (for tests and throwaway instances)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie left by our own Popen counts as dead
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return True


def _reap(pid: int) -> None:
    """Wait for ``pid`` if it is a child of this process that has ended (no zombie left behind)."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:  # not our child: its parent reaps it
        pass


def tail(path: Path, n: int = 40) -> str:
    if not path.exists():
        return f"(no log at {path})"
    with path.open(encoding="utf-8", errors="replace") as fh:
        return "".join(deque(fh, maxlen=n))


class LocalServer:
    """A Neo4j instance living in ``home``."""

    def __init__(self, home: Path):
        self.home = Path(home).expanduser().resolve()

    # -- files -------------------------------------------------------------------------
    @property
    def state_path(self) -> Path:
        return self.home / STATE_FILE

    @property
    def password_path(self) -> Path:
        return self.home / PASSWORD_FILE

    @property
    def log_path(self) -> Path:
        return self.home / CONSOLE_LOG

    def state(self) -> dict:
        try:
            return json.loads(self.state_path.read_text())
        except (OSError, ValueError):
            return {}

    def _write_state(self, **values) -> None:
        state = self.state() | values
        self.state_path.write_text(json.dumps(state, indent=2) + "\n")

    def stored_password(self) -> str | None:
        try:
            return self.password_path.read_text().strip() or None
        except OSError:
            return None

    def resolve_password(self) -> str:
        """NEO4J_PASSWORD, else the stored one, else a generated one; stored 0600."""
        env = os.environ.get("NEO4J_PASSWORD")
        stored = self.stored_password()
        if stored is not None:
            if env is not None and env != stored:
                raise PasswordMismatch(
                    f"NEO4J_PASSWORD differs from the password this server home was initialised with "
                    f"(stored in {self.password_path}).",
                    hint="Unset NEO4J_PASSWORD to use the stored one, set it to the stored value, "
                    "or use another --home.",
                )
            return stored
        password = env if env is not None else secrets.token_urlsafe(18)
        if len(password) < 8:
            raise ServerError("NEO4J_PASSWORD must have at least 8 characters (Neo4j's rule).",
                              hint="Choose a longer password.")
        self.home.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.password_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(password + "\n")
        return password

    # -- status ------------------------------------------------------------------------
    def pid(self) -> int | None:
        pid = self.state().get("pid")
        if pid and _pid_alive(pid):
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
            except OSError:
                return pid
            if str(self.home) in cmdline:  # not a recycled pid
                return pid
        return None

    def status(self) -> dict:
        st = self.state()
        pid = self.pid()
        bolt, http = st.get("bolt_port"), st.get("http_port")
        return {
            "running": pid is not None,
            "version": st.get("version"),
            "bolt_uri": f"bolt://127.0.0.1:{bolt}" if bolt else None,
            "browser_url": f"http://127.0.0.1:{http}/browser/" if http else None,
            "pid": pid,
            "home": str(self.home),
        }

    # -- lifecycle ---------------------------------------------------------------------
    def _env(self, java: Path) -> dict:
        env = dict(os.environ)
        env["NEO4J_HOME"] = str(self.home)
        env["NEO4J_CONF"] = str(self.home / "conf")
        env["JAVA_HOME"] = str(java.resolve().parent.parent)
        env.pop("NEO4J_PASSWORD", None)  # not for the server's environment
        return env

    def _java_cmd(self, java: Path, dist: Distribution, main: str, *args: str, timeout=120):
        return subprocess.run(
            [str(java), "-cp", f"{dist.lib}/*", main, *args],
            env=self._env(java), capture_output=True, text=True, timeout=timeout,
        )

    def start(self, settings: ServerSettings | None = None, timeout: float = 180.0, log=None) -> dict:
        settings = settings or ServerSettings()
        if self.stored_password() is not None:
            self.resolve_password()  # a differing NEO4J_PASSWORD is an error even when running
        if self.pid() is not None:
            st = self.status()
            st["already_running"] = True
            return st
        java, _major = find_java()
        for port, what in ((settings.bolt_port, "Bolt"), (settings.http_port, "HTTP")):
            if not port_is_free(port):
                raise PortBusy(
                    f"Port {port} on 127.0.0.1 ({what}) is already in use.",
                    hint=f"Stop what uses it, or choose another with --{what.lower()}-port.",
                )
        dist = ensure_distribution(log=log)
        for sub in ("conf", "data", "logs", "run", "import"):
            (self.home / sub).mkdir(parents=True, exist_ok=True)
        password = self.resolve_password()
        (self.home / "conf" / "neo4j.conf").write_text(render_conf(self.home, dist, settings))

        marker = self.home / "data" / ".chainkg-password-set"
        if not marker.exists():
            proc = self._java_cmd(java, dist, "org.neo4j.cli.AdminTool",
                                  "dbms", "set-initial-password", "--", password)  # "--": a password may start with "-"
            if proc.returncode != 0:
                raise ServerError("Setting the initial Neo4j password failed:\n"
                                  + (proc.stdout + proc.stderr).strip()[-2000:])
            marker.write_text("")

        dry = self._java_cmd(java, dist, "org.neo4j.server.startup.Neo4jCommand", "console", "--dry-run")
        if dry.returncode != 0 or not dry.stdout.strip():
            raise ServerError("Neo4j refused its configuration:\n" + (dry.stdout + dry.stderr).strip()[-3000:],
                              hint=f"See {self.home / 'conf' / 'neo4j.conf'}.")
        cmd = shlex.split(dry.stdout.strip().splitlines()[-1])
        started = time.monotonic()
        with self.log_path.open("ab") as out:
            proc = subprocess.Popen(cmd, cwd=self.home, env=self._env(java), stdout=out,
                                    stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                    start_new_session=True)
        self._write_state(pid=proc.pid, bolt_port=settings.bolt_port, http_port=settings.http_port,
                          version=dist.version, distribution=str(dist.root))
        self._wait_ready(proc, password, settings.bolt_port, timeout)
        st = self.status()
        st["seconds"] = round(time.monotonic() - started, 1)
        return st

    def _wait_ready(self, proc: subprocess.Popen, password: str, bolt_port: int, timeout: float) -> None:
        from neo4j import GraphDatabase
        from neo4j.exceptions import DriverError, Neo4jError

        deadline = time.monotonic() + timeout
        uri = f"bolt://127.0.0.1:{bolt_port}"
        while True:
            code = proc.poll()
            if code is not None:
                raise ServerError(
                    f"Neo4j exited with code {code} while starting "
                    "(1 web server failed, 2 database failed, 3 bad configuration). Last log lines:\n"
                    + tail(self.log_path, 30),
                    hint=f"Full log: {self.log_path}",
                )
            try:  # a plain auto-commit run: execute_query would retry (and log) on its own
                with GraphDatabase.driver(uri, auth=("neo4j", password), connection_timeout=2) as drv:
                    with drv.session(database="neo4j") as session:
                        session.run("RETURN 1").consume()
                return
            except (Neo4jError, DriverError, OSError):
                pass
            if time.monotonic() > deadline:
                raise ServerError(
                    f"Neo4j did not answer on {uri} within {timeout:.0f} s. Last log lines:\n"
                    + tail(self.log_path, 30),
                    hint=f"The process (pid {proc.pid}) is still running; `chainkg server stop` ends it. "
                    "A slow machine may need --timeout.",
                )
            time.sleep(0.5)

    def stop(self, timeout: float = 120.0) -> dict:
        pid = self.pid()
        if pid is None:
            return {"stopped": False, "was_running": False, "home": str(self.home)}
        started = time.monotonic()
        os.kill(pid, signal.SIGTERM)
        killed = False
        while _pid_alive(pid):
            if time.monotonic() - started > timeout:
                os.kill(pid, signal.SIGKILL)
                killed = True
                time.sleep(1)
                break
            time.sleep(0.3)
        _reap(pid)
        self._write_state(pid=None)
        return {"stopped": True, "was_running": True, "killed": killed, "pid": pid,
                "seconds": round(time.monotonic() - started, 1), "home": str(self.home)}

    def kill(self) -> None:
        """SIGKILL, for crash tests."""
        pid = self.pid()
        if pid is not None:
            os.kill(pid, signal.SIGKILL)
            while _pid_alive(pid):
                time.sleep(0.1)
            _reap(pid)  # our own child stays a zombie until waited for: Neo4j's launcher takes it as running

    def logs(self, lines: int = 50) -> str:
        return tail(self.log_path, lines)
