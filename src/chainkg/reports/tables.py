"""Tables: one row flattener and one renderer (table, md, json, csv) for every command and report.

Cells go through the one cell formatter :func:`chainkg.cells.cell`; headers come from
:func:`chainkg.graph_model.vocabulary.headers` in the reader's language.

>>> row = {"segment": "组件", "priority": {"total": 5.0, "parts": {"key": 3, "kind": 2}}, "key": True}
>>> flatten(row, "zh")["priority_parts"], flatten(row, "en")["priority"]
('关键环节=3; 类型=2', 5.0)
>>> print(render([flatten(row, "en")], ["segment", "priority", "key"], "csv", lang="en").lstrip(BOM), end="")
segment,priority,key
组件,5.0,yes
>>> print(md_text("<b>A|B</b> [x](y)"))
&lt;b&gt;A\\|B&lt;/b&gt; \\[x\\](y)
"""

from __future__ import annotations

import io
import json
import sys

from ..cells import cell
from ..errors import UsageError

TEXT_FORMATS = ("table", "md", "json", "csv")
#: the UTF-8 byte order mark every CSV chainkg writes starts with: Excel on Chinese Windows reads
#: UTF-8 without it as GBK (the readers accept it)
BOM = "\ufeff"
_MD_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "|": "\\|", "[": "\\[", "]": "\\]",
                             "`": "\\`", "\\": "\\\\", "\n": " ", "\r": " "})


def md_text(value) -> str:
    """Text from data as Markdown shows it, never as HTML, a link or a table cell break."""
    return str(value).translate(_MD_ESCAPES)


#: what every finding rests on (chainkg.analysis.basis)
BASIS_COLUMNS = ["basis", "inferred_facts"]
GAP_COLUMNS = ["rank", "chain_id", "chain", "segment_id", "segment", "stage_label", "key", "status_label",
               "display", "direction_label", "local_firms", "priority", "priority_parts", "why", "coverage_ratio",
               "confirmed", "source_id", "source_url", "confidence", *BASIS_COLUMNS]
PROSPECT_COLUMNS = ["chain", "segment_id", "segment", "status_label", "gap_priority", "firm_id", "firm",
                    "existing_investor", "score", "score_parts", "reasons", "message", "source_id", *BASIS_COLUMNS]
CHOKE_COLUMNS = ["chain", "segment_id", "segment", "status_label", "pair_names", "flow_betweenness", "source_id",
                 *BASIS_COLUMNS]
KEY_COLUMNS = ["chain", "rank", "firm_id", "firm", "tagged_chain_leader", "segments_covered", "link_unknown",
               "revenue_100m_cny", "key_firm", "source_id", *BASIS_COLUMNS]
TIER_COLUMNS = ["scope_label", "name", "threshold", "firms", "target", "shortfall_text", "known_revenue", "unknown_revenue",
                *BASIS_COLUMNS]
CHANGE_COLUMNS = ["chain", "segment_id", "segment", "status_label", "status_confirmed_only_label", "inferred_facts"]
MONITOR_COLUMNS = ["light_label", "item", "kind_label", "chain", "serves", "lead", "light_start", "light_schedule",
                   "light_funds", "light_freshness", "milestones_done", "milestones", "reasons", "as_of", "item_id",
                   "source_id", "confidence"]
SOURCE_COLUMNS = ["id", "title", "url", "publisher", "date", "reliability"]


def report_tables(report: dict) -> dict[str, tuple[list[str], list[dict]]]:
    """Table key -> (columns, flat rows): the report's tables, as the workbook and Markdown show them."""
    lang = report["lang"]
    gaps = [g for c in report["chains"] for g in c["gaps"]]
    gaps.sort(key=lambda g: g["rank"])
    flat = [flatten(g, lang) for g in gaps]
    prospects = [flatten(p, lang) for c in report["chains"] for p in c["prospects"]]
    keys = {(k["firm_id"]) for c in report["chains"] for k in c["key_firms"]}
    # a report whose key-firm lists are cut marks its leader rows itself (``key_firm``)
    leaders = [flatten({**x, "key_firm": x.get("key_firm", x["firm_id"] in keys)}, lang) for c in report["chains"]
               for x in c["leaders"]]
    return {
        "gaps": (GAP_COLUMNS, flat),
        "prospects": (PROSPECT_COLUMNS, prospects),
        "chokepoints": (CHOKE_COLUMNS, [flatten(k, lang) for c in report["chains"] for k in c["chokepoints"]]),
        "key_firms": (KEY_COLUMNS, leaders),
        "tiers": (TIER_COLUMNS, [flatten(t, lang) for t in report["tiers"]]),
        "changes": (CHANGE_COLUMNS, [flatten(x, lang) for x in report.get("changes", [])]),
        "monitor": (MONITOR_COLUMNS, _monitor_rows(report)),
        "sources": (SOURCE_COLUMNS, report["sources"]),
    }


def _monitor_rows(report: dict) -> list[dict]:
    """The 红绿黄灯 rows (docs/monitor.md) with each dimension's light in words."""
    from ..analysis.lights import LEVEL_EN, LEVEL_ZH
    from ..findings.labels import code_word

    words = LEVEL_ZH if report["lang"] == "zh" else LEVEL_EN
    dims = ("light_start", "light_schedule", "light_funds", "light_freshness")
    return [{**r, **{d: words[r[d]] if r[d] else "" for d in dims},
             "confidence": code_word("confidence", r.get("confidence"), report["lang"])}
            for r in report.get("monitor", {}).get("items", [])]


def flatten(row: dict, lang: str) -> dict:
    """Nested values of a finding as cells: priority -> total plus its parts in words, a
    prospect's score parts in words, coverage -> its ratio, inferred facts -> "id: text; ...".

    >>> flatten({"inferred_facts": [{"id": "F1>S2", "kind": "placement", "text": "甲 in 电池片"}]}, "zh")
    {'inferred_facts': 'F1>S2: 甲 in 电池片'}
    >>> flatten({"basis": "confirmed", "scope": "city", "confidence": "inferred"}, "zh")
    {'basis': '仅依据已证实事实', 'scope': '全市', 'confidence': '推断'}
    """
    from ..findings.labels import CODE_COLUMNS, code_word, parts_text

    f = {k: code_word(k, v, lang) if k in CODE_COLUMNS else v for k, v in row.items()}  # codes in words
    if "status" in row:
        f["status_code"] = row["status"]  # for the workbook's colours
    if isinstance(f.get("priority"), dict):
        f["priority_parts"] = parts_text(f["priority"]["parts"], lang)
        f["priority"] = f["priority"]["total"]
    if isinstance(f.get("parts"), dict):
        f["score_parts"] = parts_text(f["parts"], lang)
    if isinstance(f.get("coverage"), dict):
        f["coverage_ratio"] = f["coverage"]["ratio"]
    for k, v in f.items():  # facts a finding rests on: "id: text; ..."
        if k.endswith("inferred_facts") and isinstance(v, list):
            f[k] = "; ".join(f"{x.get('id')}: {x.get('text')}" if isinstance(x, dict) else str(x) for x in v)
    return f


def render(rows: list[dict], columns: list[str] | None, fmt: str, *, headers: dict | None = None,
           title: str | None = None, json_payload=None, lang: str = "zh") -> str:
    """Text for one table. ``headers`` maps column keys to shown names (table, md, csv)."""
    columns = columns or (list(rows[0].keys()) if rows else [])
    shown = [(headers or {}).get(c, c) for c in columns]
    if fmt == "json":
        return json.dumps(rows if json_payload is None else json_payload, ensure_ascii=False, indent=2,
                          default=str) + "\n"
    if fmt == "csv":
        import csv

        buf = io.StringIO()
        buf.write(BOM)
        w = csv.writer(buf, lineterminator="\n")
        w.writerow([cell(s, lang, to="csv") for s in shown])
        for r in rows:
            w.writerow([cell(r.get(c), lang, to="csv") for c in columns])
        return buf.getvalue()
    if fmt == "md":
        out = [f"## {md_text(title)}\n"] if title else []
        out.append("| " + " | ".join(md_text(s) for s in shown) + " |")
        out.append("|" + "---|" * len(shown))
        out += ["| " + " | ".join(md_text(cell(r.get(c), lang)) for c in columns) + " |" for r in rows]
        return "\n".join(out) + "\n"
    if fmt == "table":
        from rich.console import Console
        from rich.markup import escape
        from rich.table import Table

        table = Table(title=title, show_lines=False)
        for s in shown:
            table.add_column(s, overflow="fold")
        for r in rows:
            table.add_row(*[escape(cell(r.get(c), lang)) for c in columns])
        buf = io.StringIO()
        Console(file=buf, width=200 if not sys.stdout.isatty() else None).print(table)
        return buf.getvalue()
    raise UsageError(f"Unknown format {fmt!r}.", hint=f"Use one of {', '.join(TEXT_FORMATS)}.")
