"""Read the chainkg graph back from Neo4j, streamed, into a Dataset or a NetworkX graph."""

from __future__ import annotations

from ..cypher.names import label
from ..errors import DataError
from ..graph_model.records import Dataset, Node, Problem, Rel
from ..graph_model.schema import ANALYSIS_PREFIX, BASE_LABEL, LABELS
from .version import read_version

_LABELS = frozenset(LABELS)


def read_graph_dataset(driver, database: str, *, with_analysis: bool = False, fetch_size: int = 10_000,
                       name: str = "neo4j") -> Dataset:
    """Every chainkg node and the schema's relationships between them (``ana_*`` only on request)."""
    ds = Dataset(name)
    unknown: list[Problem] = []
    b = label(BASE_LABEL)
    keep = (lambda k: True) if with_analysis else (lambda k: not k.startswith(ANALYSIS_PREFIX))
    # read access mode: the server refuses any write in these sessions (the explorer relies on it)
    with driver.session(database=database, fetch_size=fetch_size, default_access_mode="READ") as session:
        for rec in session.run(f"MATCH (n:{b}) RETURN n.id AS id, labels(n) AS labels, properties(n) AS props"):
            node_label = next((lbl for lbl in rec["labels"] if lbl in _LABELS), None)
            if node_label is None:
                unknown.append(Problem("error", "unknown_label", None, None, None, "labels", rec["id"],
                                       f"Node {rec['id']!r} has the labels {', '.join(rec['labels'])}: "
                                       f"none of them is a chainkg label.",
                                       f"Give it one of {', '.join(sorted(_LABELS))}, or remove the "
                                       f"{BASE_LABEL} label from it."))
                continue
            props = {k: v for k, v in rec["props"].items() if k != "id" and keep(k)}
            ds.nodes[rec["id"]] = Node(rec["id"], node_label, props)
    if unknown:
        shown = "; ".join(p.message for p in unknown[:5]) + (f"; and {len(unknown) - 5} more" if len(unknown) > 5 else "")
        raise DataError(f"{len(unknown)} node(s) in the database carry the {BASE_LABEL} label but no chainkg "
                        f"label: {shown}", problems=unknown, hint=unknown[0].hint)
    with driver.session(database=database, fetch_size=fetch_size, default_access_mode="READ") as session:
        q = f"MATCH (a:{b})-[r]->(c:{b}) RETURN a.id AS start, type(r) AS type, c.id AS end, properties(r) AS props"
        for rec in session.run(q):
            ds.rels[(rec["type"], rec["start"], rec["end"])] = Rel(rec["type"], rec["start"], rec["end"],
                                                                   {k: v for k, v in rec["props"].items() if keep(k)})
    return ds


def read_snapshot(driver, database: str, *, fetch_size: int = 10_000, name: str = "neo4j",
                  between=None) -> tuple[int, Dataset]:
    """(data version, dataset) read in ONE read transaction (:mod:`.version`).

    Neo4j's transactions read committed data, so a write committed while the nodes and relationships
    stream could still show; the version is therefore read FIRST: the dataset holds every change up
    to its version, and a later write, even one partly seen, has a higher version, so a follower
    comparing versions reads again. Relationships to nodes that appeared meanwhile are left out.
    ``between``: called between the node and relationship queries (tests commit a write there).
    """
    b = label(BASE_LABEL)

    def work(tx):
        ds = Dataset(name)
        first = read_version(tx)
        for rec in tx.run(f"MATCH (n:{b}) RETURN n.id AS id, labels(n) AS labels, properties(n) AS props"):
            node_label = next(lbl for lbl in rec["labels"] if lbl in _LABELS)
            ds.nodes[rec["id"]] = Node(rec["id"], node_label, {k: v for k, v in rec["props"].items()
                                                               if k != "id" and not k.startswith(ANALYSIS_PREFIX)})
        if between is not None:
            between()
        q = f"MATCH (a:{b})-[r]->(c:{b}) RETURN a.id AS start, type(r) AS type, c.id AS end, properties(r) AS props"
        for rec in tx.run(q):
            if rec["start"] in ds.nodes and rec["end"] in ds.nodes:  # a node added meanwhile: next version
                ds.rels[(rec["type"], rec["start"], rec["end"])] = Rel(
                    rec["type"], rec["start"], rec["end"],
                    {k: v for k, v in rec["props"].items() if not k.startswith(ANALYSIS_PREFIX)})
        return first, ds
    with driver.session(database=database, fetch_size=fetch_size, default_access_mode="READ") as session:
        return session.execute_read(work)


def data_version(driver, database: str) -> int:
    """The data version now (one small read transaction)."""
    with driver.session(database=database, default_access_mode="READ") as session:
        return session.execute_read(read_version)


def read_graph(driver, database: str, **kw):
    """The chainkg graph from Neo4j as the same ``MultiDiGraph`` :func:`to_networkx` builds."""
    from ..graph_model.nx_graph import to_networkx

    return to_networkx(read_graph_dataset(driver, database, **kw))
