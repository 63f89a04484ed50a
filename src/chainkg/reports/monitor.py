"""The 红绿黄灯 monitor rows (``chainkg.api.monitor``) as text, a workbook and a summary line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..analysis.lights import DIMENSION_ZH, LEVEL_EN, LEVEL_ZH
from ..findings.labels import headers
from ..graph_model.vocabulary import SHEETS, pick
from ..workbook import write_tables
from .tables import render

#: what the terminal shows; every other format adds the ids and the source
COLUMNS = ["light_label", "item", "kind_label", "chain", "serves", "lead", "light_start", "light_schedule",
           "light_funds", "light_freshness", "milestones_done", "milestones", "reasons"]
MORE_COLUMNS = ["item_id", "chain_id", "serves_id", "lead_id", "as_of", "source_id", "source_url",
                "confidence"]  # the light's and kind's codes only in JSON: tables show them in words
DETAIL_COLUMNS = ["item_id", "item", "milestone_id", "dimension", "level", "reason", "measure"]
DIMS = ("start", "schedule", "funds", "freshness")


def level_word(level: str | None, lang: str) -> str:
    """A light in words (empty: not judged).

    >>> level_word("red", "zh"), level_word("red", "en"), level_word(None, "zh")
    ('红灯', 'red', '')
    """
    return (LEVEL_ZH if lang == "zh" else LEVEL_EN)[level] if level else ""


def _flat(rows: list[dict], lang: str) -> list[dict]:
    from ..findings.labels import code_word

    return [{**r, **{f"light_{d}": level_word(r[f"light_{d}"], lang) for d in DIMS},
             "confidence": code_word("confidence", r.get("confidence"), lang)} for r in rows]


def monitor_text(rows: list[dict], fmt: str, lang: str, as_of: dt.date) -> str:
    """The rows as ``table``, ``md``, ``csv`` or ``json``."""
    if fmt == "json":
        return render(rows, None, "json")
    title = f"关键技术红绿黄灯（截至 {as_of}）" if lang == "zh" else f"Key-technology lights as of {as_of}"
    cols = COLUMNS + ([] if fmt == "table" else MORE_COLUMNS)
    return render(_flat(rows, lang), cols, fmt, headers=headers(lang, "monitor"), title=title, lang=lang)


def write_monitor_xlsx(rows: list[dict], path: str | Path, lang: str) -> Path:
    """Two sheets: one row per item, one row per milestone and dimension."""
    shown, detail_shown = headers(lang, "monitor"), headers(lang, "monitor_detail")
    cols = COLUMNS + MORE_COLUMNS
    detail = [{"item_id": r["item_id"], "item": r["item"], **lt,
               "dimension": DIMENSION_ZH[lt["dimension"]] if lang == "zh" else lt["dimension"],
               "level": level_word(lt["level"], lang)} for r in rows for lt in r["lights"]]
    return write_tables(path, {
        pick(SHEETS["monitor"], lang): ([shown.get(c, c) for c in cols], [[r.get(c) for c in cols] for r in _flat(rows, lang)]),
        pick(SHEETS["by_dimension"], lang): ([detail_shown[c] for c in DETAIL_COLUMNS],
                                              [[d.get(c) for c in DETAIL_COLUMNS] for d in detail]),
    }, lang=lang)


def monitor_summary(rows: list[dict], lang: str, as_of: dt.date) -> str:
    """``红灯 1，黄灯 2，绿灯 3，未判定 0（截至 …）``."""
    n = {lv: sum(1 for r in rows if r["light"] == lv) for lv in ("red", "yellow", "green", None)}
    if lang == "zh":
        return f"红灯 {n['red']}，黄灯 {n['yellow']}，绿灯 {n['green']}，未判定 {n[None]}（截至 {as_of}）"
    return f"red {n['red']}, yellow {n['yellow']}, green {n['green']}, not judged {n[None]} (as of {as_of})"
