"""``chainkg load --bulk``: a validated dataset into an *empty* database of the project's own server
through Neo4j's offline importer (``neo4j-admin database import full``).

The steps: refuse unless the target is the local server (:mod:`chainkg.server`) and its database
holds no node but the data-version counter; write the importer's CSV files (one per label and per relationship type,
typed headers derived from the schema) from the validated tables; stop the server; run the
importer from the assembled jars into that database; start the server again with the settings
it had; create the constraints and indexes :func:`~chainkg.neo4j_io.writer.ensure_schema` creates; set
the data version (:mod:`.version`) to one past the version the database held before, as every write does.

The graph is the one ``chainkg load`` writes: the same labels (each node also ``ChainKG``), ids,
properties (empty cells are absent), relationship types and properties. The files are input for
Neo4j's importer, not spreadsheets for people, so cells are written as they are (no formula
neutralising): the graph holds the data's own text either way.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import polars as pl

from ..errors import ChainKGError, LoadError, UsageError
from ..graph_model.schema import BASE_LABEL, NODE_TABLES, Column
from .frames import column_types, columns_by_name, import_frames
from .version import VERSION_LABEL, bump_version, read_version

#: schema column kind -> the importer's header type
IMPORT_TYPES = {"bool": "boolean", "number": "double", "percent": "double", "int": "long", "list": "string[]"}
ARRAY_DELIMITER = ";"  # list items never hold it: ; splits a list cell when it is read


class NotEmpty(ChainKGError):
    """The database already holds nodes: the offline importer would replace them."""


@dataclass
class BulkReport:
    database: str
    files: int = 0
    nodes: dict[str, int] = field(default_factory=dict)
    rels: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    version: int | None = None  # the data version after the import (neo4j_io.version)

    @property
    def records(self) -> int:
        return sum(self.nodes.values()) + sum(self.rels.values())

    def rows(self) -> list[dict]:
        return ([{"kind": "nodes", "name": k, "total": v} for k, v in self.nodes.items()]
                + [{"kind": "rels", "name": k, "total": v} for k, v in self.rels.items()])


def _header(name: str, col: Column | None) -> str:
    kind = IMPORT_TYPES.get(col.kind) if col is not None else None
    return f"{name}:{kind}" if kind else name


def write_import_files(report, folder: Path) -> tuple[list[str], BulkReport]:
    """The importer's CSV files in ``folder``; returns its ``--nodes``/``--relationships`` arguments."""
    folder.mkdir(parents=True, exist_ok=True)
    rep = BulkReport("")
    args: list[str] = []
    by_name: dict[tuple[str, str], list] = {}
    for name, kind, frame in import_frames(report):
        by_name.setdefault((kind, name), []).append(frame)
    types = column_types()
    col_of = columns_by_name()
    for (kind, name), frames in by_name.items():
        frame = pl.concat(frames, how="diagonal_relaxed") if len(frames) > 1 else frames[0]
        if frame.height == 0:
            continue
        props = [c for c in frame.columns if c not in ("id", "start", "end")]
        for c in props:
            if frame.schema[c] == pl.List(pl.String):
                frame = frame.with_columns(pl.col(c).list.join(ARRAY_DELIMITER))
        if kind == "nodes":
            table = next(t for t in NODE_TABLES if t.label == name)
            header = ["id:ID", *[_header(c, types[table.table].get(c)) for c in props], ":LABEL"]
            frame = frame.with_columns(pl.lit(f"{name}{ARRAY_DELIMITER}{BASE_LABEL}").alias(":LABEL"))
            rep.nodes[name] = frame.height
        else:
            header = [":START_ID", ":END_ID", *[_header(c, col_of.get(c)) for c in props], ":TYPE"]
            frame = frame.with_columns(pl.lit(name).alias(":TYPE"))
            rep.rels[name] = frame.height
        path = folder / f"{kind}-{name}.csv"
        frame.columns = header
        frame.write_csv(path, quote_style="necessary")
        args.append(f"--{'nodes' if kind == 'nodes' else 'relationships'}={path}")
        rep.files += 1
    return args, rep


# -- where it may run ---------------------------------------------------------------------------------

def local_target(settings, server) -> None:
    """Refuse (exit 2) unless ``settings`` point at ``server``, running on this machine."""
    st = server.state()
    host = urlparse(settings.uri).hostname
    port = urlparse(settings.uri).port
    if host not in ("127.0.0.1", "localhost", "::1") or (st.get("bolt_port") and port != st["bolt_port"]):
        raise UsageError(f"--bulk only loads into the project's own local server ({server.home}); "
                         f"{settings.uri} is another server.",
                         hint="Use plain `chainkg load` for a remote server, or unset NEO4J_URI / --uri.")
    if server.pid() is None:
        raise UsageError(f"--bulk writes the files of the project's own server, and it is not running ({server.home}).",
                         hint="Start it with `chainkg server start`, or load with plain `chainkg load`.")


def ensure_empty(driver, database: str) -> int:
    """Refuse (exit 2) when the database holds any node besides the data-version counter: the offline
    importer replaces the database. Returns the data version it holds (0 if none)."""
    records, _, _ = driver.execute_query(f"MATCH (n) WHERE NOT n:{VERSION_LABEL} RETURN count(n) AS n",
                                         database_=database)
    n = records[0]["n"]
    if n:
        raise NotEmpty(f"Database {database!r} is not empty ({n} nodes): --bulk only loads into an empty "
                       "database, because Neo4j's offline importer replaces the whole database.",
                       hint="Use plain `chainkg load` (it merges), or empty the database first "
                            "(`chainkg load --replace` removes chainkg's nodes).")
    with driver.session(database=database) as session:
        return session.execute_read(read_version)


def server_settings(server):
    """The settings the server runs with, read back from its neo4j.conf (ports, heap, page cache)."""
    from ..server.instance import ServerSettings

    conf = {}
    for line in (server.home / "conf" / "neo4j.conf").read_text().splitlines():
        if "=" in line and not line.startswith("#"):
            k, v = line.split("=", 1)
            conf.setdefault(k.strip(), v.strip())
    st = server.state()
    return ServerSettings(bolt_port=st["bolt_port"], http_port=st["http_port"],
                          heap_initial=conf.get("server.memory.heap.initial_size", "512m"),
                          heap_max=conf.get("server.memory.heap.max_size", "1g"),
                          pagecache=conf.get("server.memory.pagecache.size", "512m"))


# -- the import ---------------------------------------------------------------------------------------

def bulk_load(report, settings, server, *, timeout: float = 3600, log=None) -> BulkReport:
    """Import a validated report into the empty database of ``server``; the server is running after,
    whether the import succeeded or not."""
    from ..connection import open_driver
    from ..server.distribution import ensure_distribution
    from ..server.java import find_java
    from .writer import ensure_schema

    say = log or (lambda m: None)
    local_target(settings, server)
    with open_driver(settings) as driver:
        before = ensure_empty(driver, settings.database)
    t0 = time.perf_counter()
    folder = server.home / "import" / f"chainkg-bulk-{int(time.time())}"
    try:
        args, rep = write_import_files(report, folder)
        rep.database = settings.database
        t1 = time.perf_counter()
        rep.seconds["write_files"] = round(t1 - t0, 2)
        say(f"Wrote {rep.files} import files ({rep.records:,} records) in {t1 - t0:.1f} s; stopping the server.")
        srv_settings = server_settings(server)
        server.stop()
        java, _ = find_java()
        dist = ensure_distribution()
        t2 = time.perf_counter()
        try:
            proc = server._java_cmd(java, dist, "org.neo4j.cli.AdminTool", "database", "import", "full",
                                    settings.database, "--overwrite-destination=true", "--multiline-fields=true",
                                    f"--array-delimiter={ARRAY_DELIMITER}", "--id-type=string",
                                    "--skip-bad-relationships=false", "--skip-duplicate-nodes=false",
                                    f"--report-file={folder / 'import.report'}", *args,  # not in the user's folder
                                    timeout=timeout)
        finally:
            t3 = time.perf_counter()
            rep.seconds["import"] = round(t3 - t2, 2)
            say(f"neo4j-admin database import full: {t3 - t2:.1f} s; starting the server.")
            server.start(srv_settings, timeout=600)
            rep.seconds["restart"] = round(time.perf_counter() - t3, 2)
        if proc.returncode != 0:
            raise LoadError(f"neo4j-admin database import failed (exit {proc.returncode}); the database is as "
                            f"the importer left it:\n" + (proc.stdout + proc.stderr).strip()[-3000:],
                            hint="Fix the cause and run `chainkg load --bulk` again on the empty database.")
        t4 = time.perf_counter()
        with open_driver(settings) as driver:
            ensure_schema(driver, settings.database)
            driver.execute_query("CALL db.awaitIndexes(600)", database_=settings.database)
            # the import replaced the counter with the database: the new data gets the version after the old
            # one, so a reader (the explorer) that saw the empty database's version reads again
            with driver.session(database=settings.database) as session:
                rep.version = session.execute_write(bump_version, before)
        rep.seconds["schema"] = round(time.perf_counter() - t4, 2)
        rep.seconds["total"] = round(time.perf_counter() - t0, 2)
        return rep
    finally:
        shutil.rmtree(folder, ignore_errors=True)
