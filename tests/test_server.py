"""The local Neo4j server: real process, real driver, real error paths."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import urllib.request
from pathlib import Path

import pytest
import yaml

from conftest import CHAINKG, ROOT

pytestmark = pytest.mark.neo4j


def run_cli(*args, env=None, **kw):
    return subprocess.run([CHAINKG, *args], capture_output=True, text=True, env=env, timeout=600, **kw)


def clean_env(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env.update(extra)
    return env


def test_driver_round_trip(neo4j):
    drv = neo4j.driver()
    recs, _, _ = drv.execute_query("CREATE (n:RoundTrip {name: $name}) RETURN n.name AS name",
                                   name="晶澳", database_=neo4j.settings.database)
    assert recs[0]["name"] == "晶澳"
    recs, _, _ = drv.execute_query("MATCH (n:RoundTrip) RETURN count(n) AS c", database_=neo4j.settings.database)
    assert recs[0]["c"] == 1
    drv.close()


def test_apoc_is_loaded(neo4j):
    from chainkg.server import pinned_versions

    drv = neo4j.driver()
    recs, _, _ = drv.execute_query("RETURN apoc.version() AS v", database_=neo4j.settings.database)
    assert recs[0]["v"] == pinned_versions()["apoc"]
    drv.close()


def test_server_version_is_pinned(neo4j):
    from chainkg.server import pinned_versions

    drv = neo4j.driver()
    recs, _, _ = drv.execute_query("CALL dbms.components() YIELD versions, edition RETURN versions[0] AS v, edition",
                                   database_=neo4j.settings.database)
    assert recs[0]["v"] == pinned_versions()["neo4j"] and recs[0]["v"].startswith("5.26.")
    assert recs[0]["edition"] == "community"
    drv.close()


def test_browser_is_served(neo4j_server):
    if not neo4j_server.http_url:
        pytest.skip("external test server without CHAINKG_TEST_NEO4J_HTTP")
    with urllib.request.urlopen(neo4j_server.http_url + "/browser/", timeout=30) as resp:
        assert resp.status == 200
        assert b"Neo4j Browser" in resp.read()


def _listening(port: int) -> list[str]:
    """Local addresses listening on ``port`` (from /proc/net/tcp and tcp6)."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            addr, p = local.split(":")
            if state == "0A" and int(p, 16) == port:
                found.append(addr)
    return found


def test_listens_on_loopback_only(neo4j_server):
    srv = neo4j_server.server
    if srv is None:
        pytest.skip("external test server")
    st = srv.state()
    for port in (st["bolt_port"], st["http_port"]):
        addrs = _listening(port)
        # 127.0.0.1, as IPv4 or IPv4-mapped IPv6 (::ffff:127.0.0.1): nothing else
        assert addrs and set(addrs) <= {"0100007F", "0000000000000000FFFF00000100007F"}, addrs
    conf = (srv.home / "conf" / "neo4j.conf").read_text()
    assert "server.default_listen_address=127.0.0.1" in conf
    assert "dbms.usage_report.enabled=false" in conf and "client.allow_telemetry=false" in conf


def test_password_file_is_private(neo4j_server):
    srv = neo4j_server.server
    if srv is None:
        pytest.skip("external test server")
    assert oct(srv.password_path.stat().st_mode & 0o777) == "0o600"


def test_status_logs_kill_mid_load_and_restart_by_the_command(neo4j, tmp_path):
    """On the session's server (no dedicated instance: two Java starts fewer), started with a password
    beginning with "-" (neo4j-admin once read it as an option; tests/conftest.py): its status and logs by the
    command; SIGKILLed after three committed batches of a load (the error says exactly what was written),
    started again by the command, loaded again: the graph equals a clean load. Stopped by the command, and its
    status says so: the session fixture's teardown (tests/conftest.py)."""
    from chainkg.connection import open_driver
    from chainkg.errors import LoadError
    from chainkg.graph_model.nx_graph import to_networkx
    from chainkg.loaders import load_valid
    from chainkg.neo4j_io.reader import read_graph
    from chainkg.neo4j_io.writer import load_dataset
    from chainkg.synth import synth_dataset
    from helpers import graph_signature as _signature

    srv = neo4j.server
    if srv is None:
        pytest.skip("external test server: it is not ours to kill")
    home, conn = srv.home, neo4j.settings
    bolt, http = srv.state()["bolt_port"], srv.state()["http_port"]
    assert conn.password.startswith("-")
    env = clean_env(NEO4J_PASSWORD=conn.password)
    st = json.loads(run_cli("server", "status", "--home", str(home), "--format", "json", env=env).stdout)
    assert st["running"] is True
    assert st["version"].startswith("5.26.")
    assert st["bolt_uri"] == f"bolt://127.0.0.1:{bolt}"
    assert st["browser_url"] == f"http://127.0.0.1:{http}/browser/"
    assert (home / "password").read_text().strip() == conn.password
    logs = run_cli("server", "logs", "--home", str(home), "-n", "5", env=env)
    assert logs.returncode == 0 and logs.stdout.strip()

    synth_dataset(tmp_path / "s", firms=400, seed=9)
    ds = load_valid(tmp_path / "s")

    def kill_after_three_firm_batches(step):
        if step.name == "Firm" and step.batches_done == 3:
            srv.kill()

    drv = open_driver(conn, max_transaction_retry_time=2)
    with pytest.raises(LoadError) as exc:
        load_dataset(drv, conn.database, ds, batch_size=100, after_batch=kill_after_three_firm_batches)
    drv.close()
    assert "nodes Firm (firms): 300/400 rows PARTLY committed" in str(exc.value)
    restarted = run_cli("server", "start", "--home", str(home), "--bolt-port", str(bolt), "--http-port", str(http),
                        "--heap", "1g", "--pagecache", "256m", "--timeout", "300", env=env)
    assert restarted.returncode == 0, restarted.stderr
    with open_driver(conn) as drv:
        assert drv.execute_query("MATCH (f:Firm) RETURN count(f) AS c", database_=conn.database).records[0]["c"] == 300
        load_dataset(drv, conn.database, ds)  # the rerun, in the default batches
        assert _signature(read_graph(drv, conn.database)) == _signature(to_networkx(ds))


# -- error paths (no server needed: they fail before Neo4j starts) -----------------------

def test_java_missing(tmp_path):
    env = clean_env(PATH=str(Path(CHAINKG).parent), CHAINKG_HOME=str(tmp_path))
    env.pop("JAVA_HOME", None)
    res = run_cli("server", "start", "--home", str(tmp_path / "h"), env=env)
    assert res.returncode == 2
    assert "Java not found: JAVA_HOME is not set and there is no java on PATH." in res.stderr


def test_java_home_without_java(tmp_path):
    env = clean_env(JAVA_HOME=str(tmp_path), CHAINKG_HOME=str(tmp_path))
    res = run_cli("server", "start", "--home", str(tmp_path / "h"), env=env)
    assert res.returncode == 2
    assert f"JAVA_HOME points to {tmp_path}, which has no bin/java." in res.stderr


def test_java_wrong_version(tmp_path):
    fake = tmp_path / "jdk" / "bin"
    fake.mkdir(parents=True)
    (fake / "java").write_text('#!/bin/sh\necho \'openjdk version "11.0.2" 2019-01-15\' >&2\n')
    (fake / "java").chmod(0o755)
    env = clean_env(JAVA_HOME=str(tmp_path / "jdk"), CHAINKG_HOME=str(tmp_path))
    res = run_cli("server", "start", "--home", str(tmp_path / "h"), env=env)
    assert res.returncode == 2
    assert f"Neo4j 5.26 needs Java 17 or 21, but the Java from JAVA_HOME={tmp_path / 'jdk'} is version 11." in res.stderr


def test_maven_missing(tmp_path):
    from chainkg.server import free_port
    from chainkg.server.java import find_java

    java, _ = find_java()
    bindir = tmp_path / "bin"
    bindir.mkdir()
    (bindir / "java").symlink_to(java.resolve())
    env = clean_env(PATH=f"{bindir}:{Path(CHAINKG).parent}", CHAINKG_HOME=str(tmp_path / "empty-cache"))
    env.pop("JAVA_HOME", None)
    res = run_cli("server", "start", "--home", str(tmp_path / "h"), "--bolt-port", str(free_port()),
                  "--http-port", str(free_port()), env=env)
    assert res.returncode == 2
    assert "Maven (mvn) not found on PATH" in res.stderr


def test_port_busy(tmp_path):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        res = run_cli("server", "start", "--home", str(tmp_path / "h"), "--bolt-port", str(port),
                      env=clean_env())
    assert res.returncode == 2
    assert f"Port {port} on 127.0.0.1 (Bolt) is already in use." in res.stderr


def test_password_mismatch(tmp_path):
    home = tmp_path / "h"
    home.mkdir()
    (home / "password").write_text("the-stored-one\n")
    res = run_cli("server", "start", "--home", str(home), env=clean_env(NEO4J_PASSWORD="another-one"))
    assert res.returncode == 2
    assert f"(stored in {home / 'password'})" in res.stderr
    assert "NEO4J_PASSWORD differs from the password this server home was initialised with" in res.stderr


def test_unreachable_server_is_exit_2(tmp_path):
    from chainkg.connection import ConnectionSettings, open_driver
    from chainkg.errors import ConnectionProblem
    from chainkg.server import free_port

    port = free_port()
    with pytest.raises(ConnectionProblem, match=f"Cannot reach Neo4j at bolt://127.0.0.1:{port}") as exc:
        open_driver(ConnectionSettings(f"bolt://127.0.0.1:{port}", "neo4j", "whatever1"))
    assert exc.value.exit_code == 2


def test_wrong_password_is_exit_2(neo4j_server):
    from chainkg.connection import ConnectionSettings, open_driver
    from chainkg.errors import ConnectionProblem

    bad = ConnectionSettings(neo4j_server.settings.uri, "neo4j", "definitely-wrong")
    with pytest.raises(ConnectionProblem, match="refused the credentials of user 'neo4j'"):
        open_driver(bad)


# -- docker-compose.yml --------------------------------------------------------------------

def test_docker_compose_matches_local_server():
    from chainkg.server import pinned_versions
    from chainkg.server.instance import DEFAULT_BOLT_PORT, DEFAULT_HTTP_PORT

    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    svc = compose["services"]["neo4j"]
    assert svc["image"] == f"neo4j:{pinned_versions()['neo4j']}-community"
    assert sorted(svc["ports"]) == sorted([f"127.0.0.1:{DEFAULT_BOLT_PORT}:7687",
                                           f"127.0.0.1:{DEFAULT_HTTP_PORT}:7474"])
    env = svc["environment"]
    assert env["NEO4J_AUTH"] == "neo4j/${NEO4J_PASSWORD:?set NEO4J_PASSWORD (8+ characters)}"
    assert env["NEO4J_PLUGINS"] == '["apoc"]'
    assert "healthcheck" in svc and set(compose["volumes"]) >= {"neo4j-data", "neo4j-logs"}
