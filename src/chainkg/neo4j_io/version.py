"""The data version of a chainkg database: one counter bumped in the same transaction as every write.

A reader (the explorer) reads the version and its snapshot in one read transaction, so what it shows is
one consistent state; a writer (``load``, ``analyze --write``, the workspace) calls :func:`bump_version`
inside its own write transaction, so a change and its new version commit together or not at all.
The counter lives on one ``:ChainKGVersion`` node, outside the ``:ChainKG`` label that ``--prune`` and
``--replace`` touch.
"""

from __future__ import annotations

from typing import Any

VERSION_LABEL = "ChainKGVersion"

_BUMP = (
    f"MERGE (v:{VERSION_LABEL} {{id: 'data'}}) "
    "ON CREATE SET v.version = 0 "
    "SET v.version = CASE WHEN v.version < $after THEN $after ELSE v.version END + 1, v.changed_at = datetime() "
    "RETURN v.version AS version"
)
_READ = f"OPTIONAL MATCH (v:{VERSION_LABEL} {{id: 'data'}}) RETURN coalesce(v.version, 0) AS version"


def bump_version(tx: Any, after: int = 0) -> int:
    """Add one to the data version inside the caller's write transaction ``tx``; the new version.
    ``after``: a version the new one must exceed even if the counter holds less (``load --bulk``
    replaces the whole database, counter included, and carries the old version over this way)."""
    return int(tx.run(_BUMP, after=after).single()["version"])


def read_version(tx: Any) -> int:
    """The data version as seen by transaction ``tx`` (0 for a database never written by chainkg)."""
    return int(tx.run(_READ).single()["version"])
