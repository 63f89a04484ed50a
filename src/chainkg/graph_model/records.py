"""Typed records: pydantic row models generated from the schema, and the validated dataset.

A :class:`Dataset` holds nodes (by id) and relationships (by type and pair), each with the
place in the input it came from; it is what the Neo4j writer and the NetworkX builder take.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, partial
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, create_model

from . import values as V
from .schema import TABLE_BY_NAME, Column, Table

PROBLEM_COLUMNS = ["severity", "code", "file", "sheet", "row", "column", "value", "message", "hint"]


@dataclass
class Problem:
    """One validation problem, in the machine-readable shape of the CLI conventions."""
    severity: str  # error | warning
    code: str
    file: str | None
    sheet: str | None
    row: int | None
    column: str | None
    value: Any
    message: str
    hint: str | None = None

    def as_dict(self) -> dict:
        return {c: getattr(self, c) for c in PROBLEM_COLUMNS}


@dataclass(frozen=True)
class Origin:
    """Where a record came from: file, sheet, spreadsheet row (header = 1)."""
    file: str
    sheet: str | None
    row: int


@dataclass
class Node:
    id: str
    label: str
    props: dict
    origin: Origin | None = None


@dataclass
class Rel:
    type: str
    start: str
    end: str
    props: dict
    origin: Origin | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.type, self.start, self.end)


@dataclass
class Row:
    """A row of a rule table (segment_terms …): kept beside the graph, not in it."""
    props: dict
    origin: Origin | None = None


@dataclass
class Dataset:
    name: str
    nodes: dict[str, Node] = field(default_factory=dict)
    rels: dict[tuple[str, str, str], Rel] = field(default_factory=dict)
    rules: dict[str, list[Row]] = field(default_factory=dict)  # rule table -> rows

    def nodes_of(self, label: str) -> list[Node]:
        return [n for n in self.nodes.values() if n.label == label]

    def rels_of(self, rel_type: str) -> list[Rel]:
        return [r for r in self.rels.values() if r.type == rel_type]

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for n in self.nodes.values():
            out[n.label] = out.get(n.label, 0) + 1
        for r in self.rels.values():
            out[r.type] = out.get(r.type, 0) + 1
        return out


def _skip_empty(fn):
    def wrapped(v):
        return None if V.is_empty(v) else fn(v)
    return wrapped


def _annotation(col: Column):
    kind = col.kind
    conv: Callable[[Any], Any]
    typ: Any
    if kind in ("id", "ref", "text"):
        conv, typ = V.to_text, str
    elif kind == "bool":
        conv, typ = V.to_bool, bool
    elif kind == "number":
        conv, typ = V.to_number, float
    elif kind == "int":
        conv, typ = V.to_int, int
    elif kind == "percent":
        conv, typ = V.to_percent, float
    elif kind == "date":
        conv, typ = V.to_date, str
    elif kind == "list":
        conv, typ = V.to_list, list[str]
    elif kind == "enum":
        conv, typ = partial(V.to_enum, enum=col.enum or ""), str
    elif kind == "credit_code":
        conv, typ = V.to_credit_code, str
    elif kind == "industry_code":
        conv, typ = V.to_industry_code, str
    else:  # pragma: no cover - schema typo
        raise ValueError(f"unknown column kind {kind!r}")
    if col.required:
        return Annotated[typ, BeforeValidator(_skip_empty(conv))], ...
    return Annotated[typ | None, BeforeValidator(_skip_empty(conv))], None


@cache
def row_model(table_name: str) -> type[BaseModel]:
    """The strict pydantic model of one table's rows (``extra="forbid"``)."""
    table: Table = TABLE_BY_NAME[table_name]
    fields = {c.name: _annotation(c) for c in table.columns}
    return create_model(f"{table_name.title().replace('_', '')}Row",
                        __config__=ConfigDict(extra="forbid", frozen=True), **fields)
