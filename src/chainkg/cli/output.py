"""Where a command's text goes: a file (-o) or standard output. Tables are rendered by
:mod:`chainkg.reports.tables`."""

from __future__ import annotations

from pathlib import Path

import click


def emit(text: str, output: str | None) -> None:
    if output:
        path = Path(output)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        click.echo(f"Wrote {path}", err=True)
    else:
        click.echo(text, nl=False)
