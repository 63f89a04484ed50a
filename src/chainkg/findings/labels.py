"""The analysis' words, as the findings and reports read them: a view of the declared vocabulary
(:mod:`chainkg.graph_model.vocabulary`), which holds every word; nothing is declared here."""

from __future__ import annotations

from ..graph_model.vocabulary import BASIS, DIRECTION, PARTS, SCHEMA_HEADERS, SCOPE, WORDS, Pair, headers, pick
from ..graph_model.vocabulary import STAGE_WORDS as STAGE
from ..graph_model.vocabulary import STATUS_WORDS as STATUS

NO_LOCAL_ON_RECORD = WORDS["no_local_on_record"]
CONFIRMED_GAP = WORDS["confirmed_gap"]
GAP_BY_DATA = WORDS["gap_by_data"]
HEADERS = WORDS

__all__ = ["BASIS", "CONFIRMED_GAP", "DIRECTION", "GAP_BY_DATA", "HEADERS", "NO_LOCAL_ON_RECORD", "PARTS", "SCHEMA_HEADERS",
           "SCOPE", "STAGE", "STATUS", "Pair", "headers", "parts_text", "pick"]


def parts_text(parts: dict | None, lang: str) -> str:
    """``{"key": 3, "kind": 2}`` as ``关键环节=3; 类型=2`` (zh) or ``key=3; kind=2`` (en).

    >>> parts_text({"key": 3, "kind": 2}, "zh"), parts_text({"key": 3, "odd": 1}, "en"), parts_text(None, "en")
    ('关键环节=3; 类型=2', 'key=3; odd=1', '')
    """
    if not parts:
        return ""
    return "; ".join(f"{pick(PARTS.get(k, (k, k)), lang)}={v}" for k, v in parts.items())
