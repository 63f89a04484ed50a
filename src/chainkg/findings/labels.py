"""The analysis' words, as the findings and reports read them: a view of the declared vocabulary
(:mod:`chainkg.graph_model.vocabulary`), which holds every word; nothing is declared here."""

from __future__ import annotations

from functools import cache

from ..graph_model.vocabulary import (
    BASIS,
    DIRECTION,
    KEY_REASONS,
    PARTS,
    SCHEMA_HEADERS,
    SCOPE,
    WORDS,
    Pair,
    headers,
    pick,
)
from ..graph_model.vocabulary import STAGE_WORDS as STAGE
from ..graph_model.vocabulary import STATUS_WORDS as STATUS

NO_LOCAL_ON_RECORD = WORDS["no_local_on_record"]
CONFIRMED_GAP = WORDS["confirmed_gap"]
GAP_BY_DATA = WORDS["gap_by_data"]
HEADERS = WORDS

__all__ = ["BASIS", "CODE_COLUMNS", "CONFIRMED_GAP", "DIRECTION", "GAP_BY_DATA", "HEADERS", "NO_LOCAL_ON_RECORD", "PARTS",
           "SCHEMA_HEADERS", "SCOPE", "STAGE", "STATUS", "Pair", "code_word", "headers", "parts_text", "pick"]

#: finding columns that hold codes, shown in words in every table (JSON keeps the codes): column -> its words
CODE_COLUMNS = ("basis", "coverage_basis", "scope", "status", "status_before", "status_after", "gap_status",
                "status_confirmed_only", "direction", "key_firm", "confidence", "reliability", "source_reliability")


@cache
def _code_words() -> dict[str, dict[str, Pair]]:
    from ..graph_model.schema import ENUMS

    def enum(name: str) -> dict[str, Pair]:  # the schema's first spelling is the Chinese word
        return {code: (spellings[0], code) for code, spellings in ENUMS[name].items()}

    return {"basis": BASIS, "coverage_basis": BASIS, "scope": SCOPE, "status": STATUS, "status_before": STATUS,
            "status_after": STATUS, "gap_status": STATUS, "status_confirmed_only": STATUS, "direction": DIRECTION,
            "key_firm": KEY_REASONS, "confidence": enum("confidence"), "reliability": enum("reliability"),
            "source_reliability": enum("reliability")}


def code_word(column: str, value, lang: str):
    """A code cell in words; anything else as it is.

    >>> code_word("basis", "inferred", "zh"), code_word("key_firm", ["articulation"], "en"), code_word("x", "up", "zh")
    ('含推断事实', ['supply-network articulation point'], 'up')
    """
    words = _code_words().get(column)
    if words is None:
        return value
    if isinstance(value, list):
        return [pick(words[v], lang) if isinstance(v, str) and v in words else v for v in value]
    return pick(words[value], lang) if isinstance(value, str) and value in words else value


def parts_text(parts: dict | None, lang: str) -> str:
    """``{"key": 3, "kind": 2}`` as ``关键环节=3; 类型=2`` (zh) or ``key=3; kind=2`` (en).

    >>> parts_text({"key": 3, "kind": 2}, "zh"), parts_text({"key": 3, "odd": 1}, "en"), parts_text(None, "en")
    ('关键环节=3; 类型=2', 'key=3; odd=1', '')
    """
    if not parts:
        return ""
    return "; ".join(f"{pick(PARTS.get(k, (k, k)), lang)}={v}" for k, v in parts.items())
