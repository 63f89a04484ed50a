"""The statements the loader sends, one per label or (type, start label, end label).

Rows are ``{id, props}`` for nodes and ``{start, end, props}`` for relationships, where
``props`` holds every declared property, null where the cell is empty: ``SET n += props``
then removes properties whose cell became empty and leaves ``ana_*`` properties alone.
"""

from __future__ import annotations

from ..graph_model.schema import BASE_LABEL
from .names import label, rel_type


def merge_nodes(node_label: str) -> str:
    """MERGE each row's node by id; a new node gets the base label too. Returns how many rows were
    new and how many changed an existing node (the rest left it as it was).

    >>> print(merge_nodes("Firm"))
    UNWIND $rows AS row
    OPTIONAL MATCH (old:`Firm` {id: row.id})
    WITH row, properties(old) AS before
    MERGE (n:`Firm` {id: row.id})
    ON CREATE SET n:`ChainKG`
    SET n += row.props
    RETURN count(*) - count(before) AS created, count(CASE WHEN before <> properties(n) THEN 1 END) AS updated
    """
    return (f"UNWIND $rows AS row\nOPTIONAL MATCH (old:{label(node_label)} {{id: row.id}})\n"
            f"WITH row, properties(old) AS before\nMERGE (n:{label(node_label)} {{id: row.id}})\n"
            f"ON CREATE SET n:{label(BASE_LABEL)}\nSET n += row.props\n" + _COUNTS)


_COUNTS = ("RETURN count(*) - count(before) AS created, count(CASE WHEN before <> properties({v}) THEN 1 END) "
           "AS updated").format(v="n")


def merge_rels(rtype: str, start_label: str, end_label: str) -> str:
    """MERGE each row's relationship between existing nodes; ``matched`` must equal the rows, and
    ``created``/``updated`` count the new and the changed ones.

    >>> print(merge_rels("IN_SEGMENT", "Firm", "Segment"))
    UNWIND $rows AS row
    MATCH (a:`Firm` {id: row.start})
    MATCH (b:`Segment` {id: row.end})
    WITH row, a, b, head([(a)-[o:`IN_SEGMENT`]->(b) | properties(o)]) AS before
    MERGE (a)-[r:`IN_SEGMENT`]->(b)
    SET r += row.props
    RETURN count(r) AS matched, count(*) - count(before) AS created, count(CASE WHEN before <> properties(r) THEN 1 END) AS updated
    """
    t = rel_type(rtype)
    return (f"UNWIND $rows AS row\nMATCH (a:{label(start_label)} {{id: row.start}})\n"
            f"MATCH (b:{label(end_label)} {{id: row.end}})\n"
            f"WITH row, a, b, head([(a)-[o:{t}]->(b) | properties(o)]) AS before\n"
            f"MERGE (a)-[r:{t}]->(b)\nSET r += row.props\n"
            "RETURN count(r) AS matched, count(*) - count(before) AS created, "
            "count(CASE WHEN before <> properties(r) THEN 1 END) AS updated")


def unchanged_nodes(node_label: str) -> str:
    """Of the rows, how many exist with exactly these properties (a dry run's "unchanged"); ``ana_*``
    and other properties the load never sets are not compared."""
    return (f"UNWIND $rows AS row MATCH (n:{label(node_label)} {{id: row.id}}) "
            "WHERE all(k IN keys(row.props) WHERE n[k] = row.props[k] OR (n[k] IS NULL AND row.props[k] IS NULL)) "
            "RETURN count(n) AS unchanged")


def unchanged_rels(rtype: str, start_label: str, end_label: str) -> str:
    return (f"UNWIND $rows AS row MATCH (a:{label(start_label)} {{id: row.start}})-[r:{rel_type(rtype)}]->"
            f"(b:{label(end_label)} {{id: row.end}}) "
            "WHERE all(k IN keys(row.props) WHERE r[k] = row.props[k] OR (r[k] IS NULL AND row.props[k] IS NULL)) "
            "RETURN count(r) AS unchanged")


def existing_ids(node_label: str) -> str:
    return f"UNWIND $ids AS id MATCH (n:{label(node_label)} {{id: id}}) RETURN count(n) AS existing"


def existing_rels(rtype: str, start_label: str, end_label: str) -> str:
    return (f"UNWIND $rows AS row MATCH (a:{label(start_label)} {{id: row.start}})-[r:{rel_type(rtype)}]->"
            f"(b:{label(end_label)} {{id: row.end}}) RETURN count(r) AS existing")


def all_node_ids() -> str:
    return f"MATCH (n:{label(BASE_LABEL)}) RETURN n.id AS id"


def all_rels(rtype: str) -> str:
    b = label(BASE_LABEL)
    return f"MATCH (a:{b})-[r:{rel_type(rtype)}]->(c:{b}) RETURN a.id AS start, c.id AS end"


def delete_nodes() -> str:
    return f"UNWIND $ids AS id MATCH (n:{label(BASE_LABEL)} {{id: id}}) DETACH DELETE n"


def delete_rels(rtype: str) -> str:
    b = label(BASE_LABEL)
    return (f"UNWIND $rows AS row MATCH (a:{b} {{id: row.start}})-[r:{rel_type(rtype)}]->(c:{b} {{id: row.end}}) "
            "DELETE r")


def clear_all() -> str:
    """Auto-commit only (CALL ... IN TRANSACTIONS): removes every chainkg node, in batches."""
    return (f"MATCH (n:{label(BASE_LABEL)}) CALL (n) {{ DETACH DELETE n }} IN TRANSACTIONS OF 10000 ROWS")
