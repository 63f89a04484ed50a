"""Neo4j Browser links that open with a library query and its parameters in the editor.

The Browser (5.x) reads ``?cmd=edit&arg=...&arg=...`` and puts the ``arg`` values in the editor,
one per line. It decodes the whole URL *before* splitting it at ``&`` and ``#``, so those two
characters cannot appear in any value, not even percent-encoded: in parameter strings they are
written as Cypher escapes (``\\u0026``, ``\\u0023``); a query body containing them is refused.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from .library import Query

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "&": "\\u0026", "#": "\\u0023",
            "%": "\\u0025"}


def cypher_literal(value) -> str:
    """A Python value as a Cypher literal that survives the Browser's URL handling.

    >>> cypher_literal('A&B #1 "x"'), cypher_literal(3), cypher_literal(None), cypher_literal(True)
    ('"A\\\\u0026B \\\\u00231 \\\\"x\\\\""', '3', 'null', 'true')
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(cypher_literal(v) for v in value) + "]"
    return '"' + "".join(_ESCAPES.get(ch, ch) for ch in str(value)) + '"'


def params_command(params: dict) -> str:
    """The Browser command that sets the parameters.

    >>> params_command({"chain": "晶硅光伏", "limit": 10})
    ':params {chain: "晶硅光伏", limit: 10}'
    """
    items = []
    for k, v in params.items():
        key = k if _IDENT.match(k) else "`" + k.replace("`", "``") + "`"
        items.append(f"{key}: {cypher_literal(v)}")
    return ":params {" + ", ".join(items) + "}"


def query_body(query: Query) -> str:
    """The query text without its ``//`` header lines."""
    lines = query.text.splitlines()
    while lines and lines[0].startswith("//"):
        lines.pop(0)
    return "\n".join(lines).strip()


def browser_link(browser_url: str, query: Query, params: dict, database: str | None = None) -> str:
    """The Browser URL that opens with ``:params {...}`` and the query in the editor.

    >>> from chainkg.cypher.library import Query
    >>> q = Query("q", "// name: q\\nMATCH (c:Chain {id: $chain}) RETURN c")
    >>> browser_link("http://127.0.0.1:7474/browser/", q, {"chain": "A&B"})
    'http://127.0.0.1:7474/browser/?cmd=edit&arg=%3Aparams%20%7Bchain%3A%20%22A%5Cu0026B%22%7D%3B&arg=MATCH%20%28c%3AChain%20%7Bid%3A%20%24chain%7D%29%20RETURN%20c'
    """
    body = query_body(query)
    bad = sorted({ch for ch in body if ch in "&#"})
    if bad:
        raise ValueError(f"query {query.name} contains {' and '.join(bad)}, which the Browser's URL handling cuts")
    args = [params_command(params) + ";", body] if params else [body]
    url = browser_url if browser_url.endswith("/") else browser_url + "/"
    url += "?cmd=edit" + "".join("&arg=" + quote(a, safe="") for a in args)
    if database:
        url += "&db=" + quote(database, safe="")
    return url
