"""One cell formatter: how a value is written into a cell of every table chainkg writes.

``to`` names the target:

- ``text``: terminal tables and Markdown (yes/no in the reader's language, lists joined with "; ");
- ``csv``: the same text, through :func:`chainkg.safety.neutralize` (never a formula);
- ``xlsx``: numbers and booleans stay native cells, text is neutralised;
- ``data``: the input format (export, template): booleans ``true``/``false``, lists joined with
  ";" (what the readers split again), text neutralised; the readers :func:`~chainkg.safety.restore` it.

>>> cell(True, "zh"), cell(True, "en"), cell(True, to="xlsx"), cell(True, to="data")
('是', 'yes', True, 'true')
>>> cell(["链主", "上市"]), cell(["链主", "上市"], to="data"), cell(None), cell(None, to="xlsx")
('链主; 上市', '链主;上市', '', None)
>>> cell('=HYPERLINK("http://x","点我")', to="csv"), cell(-12.5, to="xlsx"), cell("-12.5", to="csv")
('\\'=HYPERLINK("http://x","点我")', -12.5, '-12.5')
>>> cell("=1+1"), cell(2.5)
('=1+1', '2.5')
"""

from __future__ import annotations

import json
import re

from .graph_model.vocabulary import YES_NO
from .safety import neutralize

#: characters no workbook cell may hold (openpyxl raises IllegalCharacterError): written as U+FFFD
_ILLEGAL_IN_XLSX = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")

TARGETS = ("text", "csv", "xlsx", "data")
__all__ = ["TARGETS", "YES_NO", "cell"]


def cell(value, lang: str | None = "zh", *, to: str = "text"):
    """``value`` as the cell of a ``to`` table (see the module text); ``lang`` words yes/no."""
    if value is None:
        return None if to in ("xlsx", "data") else ""
    if isinstance(value, bool):
        if to == "xlsx":
            return value
        if to == "data":
            return "true" if value else "false"
        return YES_NO.get(lang or "zh", YES_NO["zh"])[value]
    if isinstance(value, (int, float)):
        return value if to in ("xlsx", "data") else str(value)
    if isinstance(value, (list, tuple)):
        sep = ";" if to == "data" else "; "
        text = sep.join(str(cell(v, lang)) for v in value)
    elif isinstance(value, dict):
        text = json.dumps(value, ensure_ascii=False)
    else:
        text = str(value)
    if to == "xlsx":  # validation refuses them in datasets; lists from elsewhere are written safely too
        text = _ILLEGAL_IN_XLSX.sub("\ufffd", text)
    return text if to == "text" else neutralize(text)
