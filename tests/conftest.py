"""Test fixtures. The Neo4j fixture never touches a user's database: it uses
``CHAINKG_TEST_NEO4J_URI`` (with ``CHAINKG_TEST_NEO4J_USER`` / ``_PASSWORD`` / ``_DATABASE``)
when set, otherwise starts its own instance under a temporary home on free ports, once per
test session."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
CHAINKG = str(Path(sys.executable).with_name("chainkg"))


@dataclass
class Ran:
    """What a command did: like ``subprocess.CompletedProcess`` (returncode, stdout, stderr)."""
    returncode: int
    stdout: str
    stderr: str


def cli(*args, env: dict | None = None) -> Ran:
    """Run ``chainkg ARGS`` in this process (click's CliRunner): the same exit codes and output as
    the installed command, without starting Python again. ``env`` values of None unset a variable.
    An exception that is not a clean exit is raised here, with its traceback."""
    from click.testing import CliRunner

    from chainkg.cli import main

    res = CliRunner().invoke(main, [str(a) for a in args], env=env)
    if res.exception is not None and not isinstance(res.exception, SystemExit):
        raise res.exception
    return Ran(res.exit_code, res.stdout, res.stderr)

# No test may pick up a user's connection settings by accident.
for _var in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE"):
    os.environ.pop(_var, None)


@dataclass
class TestNeo4j:
    settings: object  # chainkg.connection.ConnectionSettings
    http_url: str | None
    server: object | None  # LocalServer when we started it

    def driver(self):
        from chainkg.connection import open_driver

        return open_driver(self.settings)


def _free_port_not_default() -> int:
    from chainkg.server import free_port

    while True:
        port = free_port()
        if port not in (7687, 7474):
            return port


@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory):
    from chainkg.connection import ConnectionSettings

    uri = os.environ.get("CHAINKG_TEST_NEO4J_URI")
    if uri:
        settings = ConnectionSettings(
            uri=uri,
            user=os.environ.get("CHAINKG_TEST_NEO4J_USER", "neo4j"),
            password=os.environ.get("CHAINKG_TEST_NEO4J_PASSWORD", ""),
            database=os.environ.get("CHAINKG_TEST_NEO4J_DATABASE", "neo4j"),
        )
        yield TestNeo4j(settings, os.environ.get("CHAINKG_TEST_NEO4J_HTTP"), None)
        return
    from chainkg.server import LocalServer, ServerSettings

    home = tmp_path_factory.mktemp("neo4j-home")
    srv = LocalServer(home)
    # a password beginning with "-" (neo4j-admin once read it as an option), stored 0600 as the command does
    fd = os.open(srv.password_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(f"-chainkg-test-{secrets.token_urlsafe(12)}\n")
    bolt, http = _free_port_not_default(), _free_port_not_default()
    srv.start(ServerSettings(bolt_port=bolt, http_port=http, heap_initial="512m", heap_max="1g",
                             pagecache="256m"), timeout=300)
    settings = ConnectionSettings(uri=f"bolt://127.0.0.1:{bolt}", user="neo4j",
                                  password=srv.stored_password(), database="neo4j")
    try:
        yield TestNeo4j(settings, f"http://127.0.0.1:{http}", srv)
    finally:
        # stopped by the command, and its status says so (tests/test_server.py restarts this server after a
        # SIGKILL; it has no dedicated instance, to save two Java starts)
        env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
        stopped = subprocess.run([CHAINKG, "server", "stop", "--home", str(home)], capture_output=True, text=True,
                                 env=env, timeout=300)
        status = subprocess.run([CHAINKG, "server", "status", "--home", str(home), "--format", "json"],
                                capture_output=True, text=True, env=env, timeout=300)
        srv.stop()  # never left running, whatever the command did
        shutil.rmtree(home, ignore_errors=True)
        assert stopped.returncode == 0 and " stopped in " in stopped.stdout, (stopped.stdout, stopped.stderr)
        st = json.loads(status.stdout)
        assert st["running"] is False and st["pid"] is None, st


@pytest.fixture
def neo4j(neo4j_server):
    """The session's server with an empty database (Community has only one)."""
    drv = neo4j_server.driver()
    _wipe(drv, neo4j_server.settings.database)
    try:
        yield neo4j_server
    finally:
        drv.close()


def _wipe(driver, database):
    with driver.session(database=database) as s:
        s.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
