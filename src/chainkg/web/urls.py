"""The explorer's addresses: one function, so pages, the chain map's links and the cache agree."""

from __future__ import annotations

from urllib.parse import quote, urlencode


def url(kind: str | None, node_id=None, lang: str = "zh", **query) -> str:
    """A page's stable address: ``/firm/F-JA`` (zh) or ``/firm/F-JA?lang=en``; ids are percent-encoded.

    >>> url("firm", "F/1 <x>", "en")
    '/firm/F%2F1%20%3Cx%3E?lang=en'
    >>> url(None), url("search", lang="zh", q="晶澳")
    ('/', '/search?q=%E6%99%B6%E6%BE%B3')
    """
    path = "/" if kind is None else f"/{kind}" + (f"/{quote(str(node_id), safe='')}" if node_id is not None else "")
    q = {k: v for k, v in query.items() if v is not None}
    if lang != "zh":
        q["lang"] = lang
    return path + ("?" + urlencode(q) if q else "")
