"""Text from data stays data: spreadsheet/CSV cells that cannot become formulas, and links
that can only be http/https.

Every writer of a spreadsheet or CSV file passes each text cell through :func:`neutralize`;
every reader of such files passes it through :func:`restore`, so that
``restore(neutralize(s)) == s`` for every string and ``export -> validate`` gives the same
graph. Numbers stay numbers. Cells that start with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return get a leading apostrophe, as OWASP recommends against CSV/formula injection
(https://owasp.org/www-community/attacks/CSV_Injection); a text that is just a number
(``-12.5``) is left alone, since no spreadsheet runs it.

>>> neutralize('=HYPERLINK("http://x","点我")')
'\\'=HYPERLINK("http://x","点我")'
>>> neutralize("-12.5"), neutralize(-3), neutralize("扬州晶澳")
('-12.5', -3, '扬州晶澳')
>>> restore(neutralize("@SUM(A1)")), restore(neutralize("'=1")), restore("'plain")
('@SUM(A1)', "'=1", "'plain")
>>> safe_url("javascript:alert(1)") is None, safe_url(" https://example.org/a ")
(True, 'https://example.org/a')
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

#: first characters that make a spreadsheet cell a formula (or smuggle one in)
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
SAFE_SCHEMES = ("http", "https")


def _needs_quote(s: str) -> bool:
    if not s:
        return False
    if s[0] in FORMULA_TRIGGERS:
        return not _NUMBER.fullmatch(s)
    # an apostrophe before something that would need one: quote again, so restore() is exact
    return s[0] == "'" and (_needs_quote(s[1:]))


def neutralize(value):
    """A cell value as written to a spreadsheet or CSV: never a formula; non-strings unchanged.

    >>> neutralize("+86 514 8888"), neutralize("\\tcmd"), neutralize(None)
    ("'+86 514 8888", "'\\tcmd", None)
    """
    if isinstance(value, str) and _needs_quote(value):
        return "'" + value
    return value


def restore(value):
    """The inverse of :func:`neutralize`, for readers of files chainkg (or a person) wrote.

    >>> restore("'=A1"), restore("'-"), restore("=A1")
    ('=A1', '-', '=A1')
    """
    if isinstance(value, str) and value[:1] == "'" and _needs_quote(value[1:]):
        return value[1:]
    return value


def safe_url(url) -> str | None:
    """``url`` if it is an absolute http(s) link with a host, else None (shown as text, never a link).

    >>> safe_url("http://127.0.0.1:7474/browser/"), safe_url("data:text/html,x"), safe_url("//evil.example")
    ('http://127.0.0.1:7474/browser/', None, None)
    >>> safe_url("JaVaScRiPt:alert(1)"), safe_url(None), safe_url("https://")
    (None, None, None)
    """
    if not isinstance(url, str):
        return None
    u = url.strip()
    if any(ord(ch) < 32 for ch in u):
        return None
    try:
        parts = urlsplit(u)
    except ValueError:
        return None
    if parts.scheme.lower() not in SAFE_SCHEMES or not parts.netloc:
        return None
    return u
