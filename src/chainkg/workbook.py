"""One workbook writer: every .xlsx chainkg writes (report, template, export, intake review, monitor,
the explorer's exports) is made of these sheets and saved by :func:`save`.

A sheet is a header row (bold, shaded, frozen) and rows whose cells go through the one cell formatter
(:func:`chainkg.cells.cell`: numbers stay numbers, text is never a formula); a workbook is saved to a
temporary file beside its target and moved into place, so a failed write leaves no half-written file.

>>> import io
>>> from openpyxl import load_workbook
>>> wb = new_workbook()
>>> ws = add_sheet(wb, "环节/缺口", ["环节", "优先级", "关键"], [["组件", 5.0, True], ["=1+1", None, False]], lang="zh")
>>> back = load_workbook(io.BytesIO(to_bytes(wb)))
>>> back.sheetnames, [[c.value for c in r] for r in back["环节_缺口"].iter_rows()]
(['环节_缺口'], [['环节', '优先级', '关键'], ['组件', 5, True], ["'=1+1", None, False]])
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from .cells import cell

HEADER_FILL = "DDEBF7"
_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")


def new_workbook(*, write_only: bool = False) -> Any:
    """An empty openpyxl workbook (no default sheet)."""
    from openpyxl import Workbook

    wb = Workbook(write_only=write_only)
    if not write_only:
        wb.remove(wb.active)
    return wb


def sheet_title(title: str) -> str:
    """A title Excel accepts: at most 31 characters, none of ``[]:*?/\\``.

    >>> sheet_title("what changes: inferred/confirmed facts only")
    'what changes_ inferred_confirme'
    """
    return _BAD_TITLE.sub("_", title)[:31] or "sheet"


def header_style(c, fill: str = HEADER_FILL) -> None:
    """A header cell's look: bold on the shade every chainkg workbook uses."""
    from openpyxl.styles import Font, PatternFill

    c.font = Font(bold=True)
    c.fill = PatternFill("solid", fgColor=fill)


def add_sheet(wb, title: str, headers: Sequence[str], rows: Iterable[Sequence], *, lang: str | None = "zh",
              to: str | None = "xlsx", freeze: str | None = "A2", autofilter: bool = False,
              widths: Sequence[float] | None = None):
    """A sheet of ``headers`` and ``rows`` (values, each through :func:`~chainkg.cells.cell` ``to``; ``to=None``:
    cells already made by it);
    column widths follow the text (or ``widths``). Returns the worksheet for what only it adds
    (colours, comments, drop-downs)."""
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(sheet_title(title))
    ws.append([cell(h, lang, to="xlsx") for h in headers])
    for c in ws[1]:
        header_style(c)
    longest = [len(str(h)) for h in headers]
    n = 0
    for r in rows:
        values = [cell(v, lang, to=to) for v in r] if to else list(r)
        ws.append(values)
        n += 1
        if n <= 500:  # widths from the first rows: enough to read, cheap on 100,000
            for i, v in enumerate(values[:len(longest)]):
                longest[i] = max(longest[i], len(str(v)) if v is not None else 0)
    if freeze:
        ws.freeze_panes = freeze
    if autofilter and n:
        ws.auto_filter.ref = ws.dimensions
    for i, w in enumerate(widths or [max(8, min(60, x * 1.6 + 2)) for x in longest], start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    return ws


def add_tables(wb, sheets: dict[str, tuple[Sequence[str], Iterable[Sequence]]], *, lang: str | None = "zh",
               to: str | None = "xlsx") -> None:
    """One sheet per ``{title: (headers, rows)}``."""
    for title, (headers, rows) in sheets.items():
        add_sheet(wb, title, headers, rows, lang=lang, to=to)


def save(wb, path: str | Path) -> Path:
    """Save ``wb`` at ``path`` (its folder made first): all of it, or nothing and the error."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        wb.save(tmp)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it 0600: give it the mode any new file gets
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def to_bytes(wb) -> bytes:
    """The workbook as the bytes of an .xlsx file (a download)."""
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_tables(path: str | Path, sheets: dict[str, tuple[Sequence[str], Iterable[Sequence]]], *,
                 lang: str | None = "zh") -> Path:
    """A workbook of plain tables ``{title: (headers, rows)}`` saved at ``path``."""
    wb = new_workbook()
    add_tables(wb, sheets, lang=lang)
    return save(wb, path)
