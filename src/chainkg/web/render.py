"""Templates to HTML responses: one Jinja2 environment (autoescaped), the page's language and its
switch link."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from .refs import status_words
from .urls import url
from .words import LANGS, number, shown, word

HERE = Path(__file__).parent
_env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(default=True),
                   trim_blocks=True, lstrip_blocks=True)
_env.filters["num"] = number
#: the query parameters a page keeps in its other-language link (any other parameter is dropped)
KEPT_PARAMS = ("district", "q", "kind", "chain", "light", "as_of",  # the lights page's filters
               *(f"{k}{i}" for i in range(1, 5) for k in ("op", "firm", "segment", "district")))  # what-if rows
MAX_PARAM = 200


def lang_of(request: Request) -> str:
    lang = request.query_params.get("lang", "zh")
    return lang if lang in LANGS else "zh"


def page(template: str, lang: str, request: Request, status: int = 200, **ctx) -> HTMLResponse:
    """``template`` rendered in ``lang`` with ``ctx``, the words, links and the other language's address."""
    other = "en" if lang == "zh" else "zh"
    switch = {k: request.query_params[k][:MAX_PARAM] for k in KEPT_PARAMS if request.query_params.get(k)}
    if other != "zh":
        switch["lang"] = other
    ctx.setdefault("crumbs", [])
    html = _env.get_template(template).render(
        lang=lang, t=lambda k: word(k, lang), shown=lambda kind, v: shown(kind, v, lang), url=lambda kind, i=None, **kw: url(kind, i, lang, **kw),
        switch_url=request.url.path + ("?" + urlencode(switch) if switch else ""), other_lang=other,
        status_words=status_words(lang), **ctx)
    return HTMLResponse(html, status_code=status)
