"""The explorer as an ASGI app (Starlette): routes, security and error pages.

Read-only by construction: GET (and HEAD) only, every page built from the analysis or from
read transactions. Security headers on every response: a Content-Security-Policy with no inline
script (the one script is ``/static/app.js``), ``X-Content-Type-Options: nosniff``,
``frame-ancestors 'none'``, no referrer. With a token (required off loopback) every request
needs it: ``Authorization: Bearer <token>``, or ``?token=<token>`` once, which sets an HttpOnly,
SameSite=Strict cookie and redirects to the same page without it.
"""

from __future__ import annotations

import hmac
import io
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from . import data
from .neighbourhood import neighbourhood_svg
from .urls import url
from .words import LANGS, word

HERE = Path(__file__).parent
COOKIE = "chainkg_token"
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cache-control", b"no-store"),
]
KIND_WORD = {"chain": "chain", "segment": "segment", "firm": "firm", "district": "district"}

_env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(default=True),
                   trim_blocks=True, lstrip_blocks=True)


LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]", "testserver")


def _host_name(host: str) -> str:
    """
    >>> _host_name("127.0.0.1:8000"), _host_name("[::1]:8000"), _host_name("LOCALHOST")
    ('127.0.0.1', '[::1]', 'localhost')
    """
    host = host.strip().lower()
    if host.startswith("["):
        return host[: host.find("]") + 1]
    return host.rsplit(":", 1)[0] if ":" in host else host


class Guard:
    """ASGI middleware: security headers, GET/HEAD only, the token when one is set, and (on loopback)
    only loopback Host headers, so a web page cannot reach the explorer through DNS rebinding."""

    def __init__(self, app, token: str | None, loopback_only: bool = True):
        self.app, self.token, self.loopback_only = app, token, loopback_only

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [h for h in SECURITY_HEADERS if h[0] not in names]
            await send(message)

        request = Request(scope)
        lang = _lang(request)
        if self.loopback_only and _host_name(request.headers.get("host", "")) not in LOOPBACK_HOSTS:
            resp = PlainTextResponse("Host not allowed: this explorer answers only on 127.0.0.1 / localhost.",
                                     status_code=421)
            return await resp(scope, receive, send_with_headers)
        if scope["method"] not in ("GET", "HEAD"):
            resp = _page("error.html", lang, request, 405, title=word("method", lang), text=word("method_text", lang))
            resp.headers["allow"] = "GET, HEAD"
            return await resp(scope, receive, send_with_headers)
        if self.token:
            given = request.query_params.get("token")
            if given is not None and _same(given, self.token):
                rest = [(k, v) for k, v in parse_qsl(scope.get("query_string", b"").decode()) if k != "token"]
                resp = RedirectResponse(scope["path"] + ("?" + urlencode(rest) if rest else ""), status_code=303)
                resp.set_cookie(COOKIE, self.token, httponly=True, samesite="strict", path="/")
                return await resp(scope, receive, send_with_headers)
            auth = request.headers.get("authorization", "")
            bearer = auth[7:] if auth.lower().startswith("bearer ") else None
            if not any(v is not None and _same(v, self.token) for v in (bearer, request.cookies.get(COOKIE))):
                resp = _page("error.html", lang, request, 403, title=word("forbidden", lang),
                             text=word("forbidden_text", lang))
                return await resp(scope, receive, send_with_headers)
        await self.app(scope, receive, send_with_headers)


def _same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def _lang(request: Request) -> str:
    lang = request.query_params.get("lang", "zh")
    return lang if lang in LANGS else "zh"


def _page(template: str, lang: str, request: Request, status: int = 200, **ctx) -> HTMLResponse:
    q = dict(request.query_params)
    q.pop("token", None)
    other = "en" if lang == "zh" else "zh"
    switch = {k: v for k, v in q.items() if k != "lang"}
    if other != "zh":
        switch["lang"] = other
    ctx.setdefault("crumbs", [])
    html = _env.get_template(template).render(
        lang=lang, t=lambda k: word(k, lang), url=lambda kind, i=None, **kw: url(kind, i, lang, **kw),
        switch_url=request.url.path + ("?" + urlencode(switch) if switch else ""), other_lang=other,
        status_words=data.status_words(lang), **ctx)
    return HTMLResponse(html, status_code=status)


def create_app(explorer: data.Explorer, *, token: str | None = None, loopback_only: bool = True) -> Guard:
    """The ASGI app over ``explorer`` (call ``explorer.start()`` first to warm the cache).

    ``loopback_only``: answer only requests whose Host is 127.0.0.1 / localhost / [::1] (the default bind).
    """

    def handler(fn):
        def endpoint(request: Request):
            lang = _lang(request)
            try:
                snap = explorer.current()
                return fn(request, snap, lang)
            except data.NotFound as exc:
                kind = str(exc).split(" ", 1)[0].lower()
                return _page("error.html", lang, request, 404, title=word("not_found", lang),
                             text=word("not_found_text", lang).format(what=word(KIND_WORD.get(kind, "name"), lang)),
                             detail=str(exc).split(" ", 1)[-1])
            except data.DataUnavailable as exc:
                return _page("error.html", lang, request, 503, title=word("unavailable", lang),
                             text=word("unavailable_text", lang), detail=str(exc))
        return endpoint

    def home(request, snap, lang):
        return _page("overview.html", lang, request, page=data.overview(explorer, snap, lang), snap=snap,
                     browser=None)

    def chain(request, snap, lang):
        cid = request.path_params["chain_id"]
        district = request.query_params.get("district") or None
        p = data.chain(explorer, snap, cid, lang, district)
        crumbs = [(word("overview", lang), url(None, lang=lang))]
        if p["cluster"]:
            crumbs.append((p["cluster"]["name"], None))
        return _page("chain.html", lang, request, page=p, crumbs=crumbs + [(p["name"], None)], snap=snap)

    def segment(request, snap, lang):
        p = data.segment(explorer, snap, request.path_params["segment_id"], lang)
        crumbs = [(word("overview", lang), url(None, lang=lang))]
        if p["chain"]:
            crumbs.append((p["chain"]["name"], url("chain", p["chain"]["id"], lang)))
        return _page("segment.html", lang, request, page=p, crumbs=crumbs + [(p["name"], None)], snap=snap)

    def firm(request, snap, lang):
        p = data.firm(explorer, snap, request.path_params["firm_id"], lang)
        crumbs = [(word("overview", lang), url(None, lang=lang))]
        if p["chains"]:
            crumbs.append((p["chains"][0]["name"], url("chain", p["chains"][0]["id"], lang)))
        if p["segments"]:
            crumbs.append((p["segments"][0]["name"], url("segment", p["segments"][0]["id"], lang)))
        svg = neighbourhood_svg(p, p["suppliers"], p["customers"], lambda f: url("firm", f, lang),
                                "+{n}" if lang == "en" else "另 {n} 家") if (p["suppliers"] or p["customers"]) else None
        return _page("firm.html", lang, request, page=p, network_svg=svg, crumbs=crumbs + [(p["name"], None)], snap=snap)

    def district(request, snap, lang):
        p = data.district(explorer, snap, request.path_params["district_id"], lang)
        crumbs = [(word("overview", lang), url(None, lang=lang))]
        for par in p["parent"]:
            crumbs.append((par["name"], url("district", par["id"], lang)))
        return _page("district.html", lang, request, page=p, crumbs=crumbs + [(p["name"], None)], snap=snap)

    def search(request, snap, lang):
        q = request.query_params.get("q", "")[:200]
        hits = explorer.search(snap, q, lang) if q.strip() else []
        crumbs = [(word("overview", lang), url(None, lang=lang)), (word("search", lang), None)]
        return _page("search.html", lang, request, q=q, hits=hits, crumbs=crumbs, snap=snap)

    def export(request, snap, lang):
        fmt, cid = request.path_params["fmt"], request.path_params["chain_id"]
        district = request.query_params.get("district") or None
        if district is not None and district not in snap.G:
            raise data.NotFound(f"District {district}")
        tables = data.chain_tables(snap, cid, lang, district, to="csv" if fmt == "csv" else "xlsx")
        stem = "chain-" + "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in cid)
        if fmt == "csv":
            import csv

            table = request.query_params.get("table", "segments")
            if table not in tables:
                raise HTTPException(404)
            buf = io.StringIO()
            buf.write("\ufeff")  # Excel opens UTF-8 CSV with Chinese text correctly only with a BOM
            csv.writer(buf, lineterminator="\r\n").writerows(tables[table])
            return Response(buf.getvalue().encode("utf-8"), media_type="text/csv; charset=utf-8",
                            headers={"content-disposition": f'attachment; filename="{stem}-{table}.csv"'})
        if fmt == "xlsx":
            from ..workbook import add_tables, new_workbook, to_bytes

            wb = new_workbook()
            add_tables(wb, {title: (rows[0], rows[1:]) for title, rows in tables.items() if rows}, to=None)
            return Response(to_bytes(wb),
                            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                            headers={"content-disposition": f'attachment; filename="{stem}.xlsx"'})
        raise HTTPException(404)

    async def not_found(request, exc):
        lang = _lang(request)
        if exc.status_code == 404:
            return _page("error.html", lang, request, 404, title=word("not_found", lang), text="", detail=request.url.path)
        return PlainTextResponse(str(exc.detail), status_code=exc.status_code)

    routes = [
        Route("/", handler(home), methods=["GET"]),
        Route("/chain/{chain_id:path}", handler(chain), methods=["GET"]),
        Route("/segment/{segment_id:path}", handler(segment), methods=["GET"]),
        Route("/firm/{firm_id:path}", handler(firm), methods=["GET"]),
        Route("/district/{district_id:path}", handler(district), methods=["GET"]),
        Route("/search", handler(search), methods=["GET"]),
        Route("/export/{fmt}/{chain_id:path}", handler(export), methods=["GET"]),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(routes=routes, exception_handlers={HTTPException: not_found})
    app.state.explorer = explorer
    return Guard(app, token, loopback_only)
