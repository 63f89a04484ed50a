"""Render rows as table, md, json or csv (xlsx and html have modules of their own)."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import click

from ..errors import UsageError

TEXT_FORMATS = ("table", "md", "json", "csv")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (list, tuple)):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def render(rows: list[dict], columns: list[str] | None, fmt: str, *, headers: dict | None = None,
           title: str | None = None, json_payload=None) -> str:
    """Text for one table. ``headers`` maps column keys to shown names (table, md, csv)."""
    columns = columns or (list(rows[0].keys()) if rows else [])
    shown = [(headers or {}).get(c, c) for c in columns]
    if fmt == "json":
        return json.dumps(rows if json_payload is None else json_payload, ensure_ascii=False, indent=2,
                          default=str) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(shown)
        for r in rows:
            w.writerow([_cell(r.get(c)) for c in columns])
        return buf.getvalue()
    if fmt == "md":
        esc = lambda s: _cell(s).replace("|", "\\|").replace("\n", " ")  # noqa: E731
        out = [f"## {title}\n"] if title else []
        out.append("| " + " | ".join(shown) + " |")
        out.append("|" + "---|" * len(shown))
        out += ["| " + " | ".join(esc(r.get(c)) for c in columns) + " |" for r in rows]
        return "\n".join(out) + "\n"
    if fmt == "table":
        from rich.console import Console
        from rich.table import Table

        table = Table(title=title, show_lines=False)
        for s in shown:
            table.add_column(s, overflow="fold")
        for r in rows:
            table.add_row(*[_cell(r.get(c)) for c in columns])
        console = Console(file=io.StringIO(), width=200 if not sys.stdout.isatty() else None)
        console.print(table)
        return console.file.getvalue()
    raise UsageError(f"Unknown format {fmt!r}.", hint=f"Use one of {', '.join(TEXT_FORMATS)}.")


def emit(text: str, output: str | None) -> None:
    if output:
        path = Path(output)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        click.echo(f"Wrote {path}", err=True)
    else:
        click.echo(text, nl=False)
