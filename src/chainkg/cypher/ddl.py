"""Constraints and indexes derived from the schema (Neo4j 5 syntax, IF NOT EXISTS)."""

from __future__ import annotations

from ..graph_model.schema import BASE_LABEL, LABELS, NODE_TABLES
from .names import label

FULLTEXT_INDEX = "chainkg_names"


def constraint_statements() -> list[str]:
    """One uniqueness constraint on ``id`` per label (and on the base label: ids are global).

    >>> constraint_statements()[0]
    'CREATE CONSTRAINT chainkg_chainkg_id IF NOT EXISTS FOR (n:`ChainKG`) REQUIRE n.id IS UNIQUE'
    """
    return [f"CREATE CONSTRAINT chainkg_{name.lower()}_id IF NOT EXISTS FOR (n:{label(name)}) REQUIRE n.id IS UNIQUE"
            for name in (BASE_LABEL, *LABELS)]


def index_statements() -> list[str]:
    """Range indexes on properties the library queries filter on, and the CJK full-text index."""
    out = []
    for t in NODE_TABLES:
        for col in ("name", "local", "stage", "status", "scope_id"):
            if any(c.name == col for c in t.columns):
                out.append(f"CREATE INDEX chainkg_{t.label.lower()}_{col} IF NOT EXISTS "
                           f"FOR (n:{label(t.label)}) ON (n.{col})")
    named = "|".join(label(t.label) for t in NODE_TABLES if any(c.name == "name" for c in t.columns))
    out.append(f"CREATE FULLTEXT INDEX {FULLTEXT_INDEX} IF NOT EXISTS FOR (n:{named}) ON EACH [n.name, n.name_en] "
               "OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}}")
    return out
