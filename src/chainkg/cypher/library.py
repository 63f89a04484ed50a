"""The Cypher library: named, parameterised, read-only queries shipped as ``queries/*.cypher``.

Each file starts with a header::

    // name: chain_segments
    // description.zh: ...
    // description.en: ...
    // param: chain: Chain — chain id, or exact Chinese or English name
    // param: limit: int = 10 — how many

Parameters are typed (string, int, float, bool, or the values it takes: ``red|yellow|green``); a default
makes one optional (``= null`` too).
A parameter typed by a node label (``Chain``, ``Firm`` …) names a node: its id, or its exact Chinese or
English name; :func:`run` checks it against the data first, as the analysis commands check ``--chain``
(no such node: UsageError with "did you mean"), so a typo is never a silent empty answer.
Values always travel as Cypher parameters, never in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from ..errors import UsageError
from ..graph_model.schema import LABELS
from ..graph_model.vocabulary import FALSE_WORDS, TRUE_WORDS

TYPES = ("string", "int", "float", "bool")
#: a parameter of one of these types names a node with that label (a string: id, name or name_en)
NODE_TYPES = tuple(LABELS)
_PARAM_RE = re.compile(r"^(?P<name>\w+):\s*(?P<type>\w+(?:\|\w+)*)(?:\s*=\s*(?P<default>[^—]+?))?\s*(?:—\s*(?P<doc>.*))?$")
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

    @property
    def label(self) -> str | None:
        """The node label a parameter names, or None."""
        return self.type if self.type in NODE_TYPES else None

    @property
    def choices(self) -> tuple[str, ...]:
        """The values a ``red|yellow|green`` parameter takes (empty for any other type)."""
        return tuple(self.type.split("|")) if "|" in self.type else ()

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
            if not m or (m["type"] not in (*TYPES, *NODE_TYPES) and "|" not in m["type"]):
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


def _spelled(value: str, choices: tuple[str, ...]) -> str:
    """A choice written as the schema also spells it (签约 for signed), else ``value``.

    >>> _spelled("签约", ("signed", "started", "landed")), _spelled("红", ("red", "yellow", "green"))
    ('signed', '红')
    """
    from ..graph_model.schema import ENUMS

    folded = value.strip().casefold()
    for spellings in ENUMS.values():
        for code, words in spellings.items():
            if code in choices and folded in {w.casefold() for w in words}:
                return code
    return value


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
            if p.choices and out[p.name] is not None and out[p.name] not in p.choices:
                out[p.name] = _spelled(out[p.name], p.choices)
            if p.choices and out[p.name] is not None and out[p.name] not in p.choices:
                import difflib

                near = difflib.get_close_matches(str(out[p.name]), p.choices, n=1)
                raise UsageError(f"-p {p.name} {out[p.name]!r}: not one of {', '.join(p.choices)}.",
                                 hint=(f"Did you mean: {near[0]}" if near else f"Use one of {', '.join(p.choices)}."))
        elif p.required:
            raise UsageError(f"Query {query.name} needs -p {p.name}=... ({p.type}: {p.doc}).")
        else:
            out[p.name] = p.default
    return out


_NAMED = "MATCH (n:{label}) WHERE n.id = $v OR n.name = $v OR n.name_en = $v RETURN count(n) AS n"
_NEAR = ("MATCH (n:{label}) WHERE toLower(n.id + ' ' + coalesce(n.name, '') + ' ' + coalesce(n.name_en, '')) "
         "CONTAINS toLower($v) RETURN n.id AS id, n.name AS name ORDER BY n.id LIMIT 10")


def check_references(tx, query: Query, params: dict) -> None:
    """UsageError when a parameter naming a node (typed by its label) names none, with the near ones."""
    from .names import label as quoted

    for p in query.params:
        value = params.get(p.name)
        if p.label is None or value is None:
            continue
        if tx.run(_NAMED.format(label=quoted(p.label)), v=value).single()["n"]:
            continue
        near = [f"{r['id']} ({r['name']})" if r["name"] else str(r["id"])
                for r in tx.run(_NEAR.format(label=quoted(p.label)), v=value)]
        raise UsageError(f"-p {p.name} {value!r}: no {p.label} has this id or name.",
                         hint=("Did you mean: " + ", ".join(near)) if near else
                         f"Use an id or the exact Chinese or English name of a {p.label}.")


def run(driver, database: str, query: Query, params: dict, check: bool = True) -> tuple[list[str], list[dict]]:
    """Run in a read transaction: (columns, rows); first, with ``check``, :func:`check_references`."""
    def work(tx):
        if check:
            check_references(tx, query, params)
        result = tx.run(query.text, params)
        rows = [r.data() for r in result]
        return list(result.keys()), rows

    with driver.session(database=database, default_access_mode="READ") as session:
        return session.execute_read(work)
