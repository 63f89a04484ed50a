"""The Cypher library: named, parameterised, read-only queries shipped as ``queries/*.cypher``.

Each file starts with a header::

    // name: chain_segments
    // description.zh: ...
    // description.en: ...
    // param: chain: string — chain id, or exact Chinese or English name
    // param: limit: int = 10 — how many

Parameters are typed (string, int, float, bool); a default makes one optional (``= null`` too).
Values always travel as Cypher parameters, never in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from ..errors import UsageError
from ..graph_model.vocabulary import FALSE_WORDS, TRUE_WORDS

TYPES = ("string", "int", "float", "bool")
_PARAM_RE = re.compile(r"^(?P<name>\w+):\s*(?P<type>\w+)(?:\s*=\s*(?P<default>[^—]+?))?\s*(?:—\s*(?P<doc>.*))?$")
_REQUIRED = object()


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: object = _REQUIRED
    doc: str = ""

    @property
    def required(self) -> bool:
        return self.default is _REQUIRED

    def as_dict(self) -> dict:
        return {"name": self.name, "type": self.type, "required": self.required,
                "default": None if self.required else self.default, "description": self.doc}


@dataclass(frozen=True)
class Query:
    name: str
    text: str
    description: dict[str, str] = field(default_factory=dict)
    params: tuple[Param, ...] = ()

    def describe(self, lang: str = "zh") -> str:
        return self.description.get(lang) or self.description.get("en") or self.description.get("zh", "")

    def as_dict(self, lang: str = "zh") -> dict:
        return {"name": self.name, "description": self.describe(lang), "params": [p.as_dict() for p in self.params]}


def convert(value: str, typ: str, name: str):
    """A ``-p name=value`` string as the declared type.

    >>> convert("3", "int", "limit"), convert("是", "bool", "x"), convert("null", "string", "chain")
    (3, True, None)
    >>> try:
    ...     convert("three", "int", "limit")
    ... except UsageError as exc:
    ...     print(exc.message)
    Parameter limit must be an int, not 'three'.
    """
    if value.strip().lower() == "null":
        return None
    try:
        if typ == "int":
            return int(value)
        if typ == "float":
            return float(value)
        if typ == "bool":
            low = value.strip().lower()
            if low in TRUE_WORDS:
                return True
            if low in FALSE_WORDS:
                return False
            raise ValueError(value)
    except ValueError:
        raise UsageError(f"Parameter {name} must be an {typ}, not {value!r}.",
                         hint="Booleans take true/false (是/否); numbers are plain digits.") from None
    return value


def parse(text: str, origin: str = "") -> Query:
    meta: dict[str, str] = {}
    params: list[Param] = []
    for line in text.splitlines():
        if not line.startswith("//"):
            break
        key, _, value = line[2:].strip().partition(":")
        value = value.strip()
        if key == "param":
            m = _PARAM_RE.match(value)
            if not m or m["type"] not in TYPES:
                raise ValueError(f"{origin}: bad parameter line {line!r}")
            default = _REQUIRED
            if m["default"] is not None:
                default = convert(m["default"].strip(), m["type"], m["name"])
            params.append(Param(m["name"], m["type"], default, (m["doc"] or "").strip()))
        else:
            meta[key] = value
    if "name" not in meta:
        raise ValueError(f"{origin}: the header has no '// name:' line")
    desc = {k.split(".", 1)[1]: v for k, v in meta.items() if k.startswith("description.")}
    return Query(meta["name"], text, desc, tuple(params))


def queries_dir() -> Path:
    return Path(str(resources.files("chainkg.cypher") / "queries"))


@cache
def library() -> dict[str, Query]:
    out = {}
    for path in sorted(queries_dir().glob("*.cypher")):
        q = parse(path.read_text(encoding="utf-8"), str(path))
        if q.name != path.stem:
            raise ValueError(f"{path}: its name line says {q.name!r}")
        out[q.name] = q
    return out


def get(name: str) -> Query:
    lib = library()
    if name not in lib:
        raise UsageError(f"No query named {name!r}.", hint=f"`chainkg query list` shows them: {', '.join(lib)}.")
    return lib[name]


def bind(query: Query, raw: dict[str, str]) -> dict:
    """Typed parameters from ``-p key=value`` strings; unknown or missing ones are UsageErrors."""
    declared = {p.name: p for p in query.params}
    unknown = sorted(set(raw) - set(declared))
    if unknown:
        raise UsageError(f"Query {query.name} has no parameter {', '.join(unknown)}.",
                         hint=f"Its parameters: {', '.join(declared) or 'none'}.")
    out = {}
    for p in query.params:
        if p.name in raw:
            out[p.name] = convert(raw[p.name], p.type, p.name)
        elif p.required:
            raise UsageError(f"Query {query.name} needs -p {p.name}=... ({p.type}: {p.doc}).")
        else:
            out[p.name] = p.default
    return out


def run(driver, database: str, query: Query, params: dict) -> tuple[list[str], list[dict]]:
    """Run in a read transaction: (columns, rows)."""
    def work(tx):
        result = tx.run(query.text, params)
        rows = [r.data() for r in result]
        return list(result.keys()), rows

    with driver.session(database=database, default_access_mode="READ") as session:
        return session.execute_read(work)
