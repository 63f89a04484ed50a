"""Identifiers that may appear in Cypher text: only those declared in the schema."""

from __future__ import annotations

from ..graph_model.schema import BASE_LABEL, LABELS, LIGHT_LABELS, REL_TYPES, STATUS_LABELS

_ALLOWED_LABELS = frozenset((*LABELS, BASE_LABEL, *STATUS_LABELS.values(), *LIGHT_LABELS.values()))


def label(name: str) -> str:
    """A schema label, backquoted.

    >>> label("Firm")
    '`Firm`'
    >>> label("Firm`) DETACH DELETE n //")
    Traceback (most recent call last):
    ...
    ValueError: 'Firm`) DETACH DELETE n //' is not a label of the chainkg schema
    """
    if name not in _ALLOWED_LABELS:
        raise ValueError(f"{name!r} is not a label of the chainkg schema")
    return f"`{name}`"


def rel_type(name: str) -> str:
    """A schema relationship type, backquoted.

    >>> rel_type("FEEDS")
    '`FEEDS`'
    """
    if name not in REL_TYPES:
        raise ValueError(f"{name!r} is not a relationship type of the chainkg schema")
    return f"`{name}`"
