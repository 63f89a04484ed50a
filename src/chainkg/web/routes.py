"""The explorer's page endpoints: each reads one page's data (:mod:`.pages`) and renders its template.

An endpoint is ``fn(explorer, request, snap, lang)``; :func:`endpoint` wraps it into a Starlette
endpoint that takes the current snapshot and turns a missing node or unreadable data into an error
page in the request's language.
"""

from __future__ import annotations

from starlette.requests import Request

from . import pages
from .refs import NotFound
from .render import lang_of, page
from .source import DataUnavailable
from .urls import url
from .words import word

KIND_WORD = {"chain": "chain", "segment": "segment", "firm": "firm", "district": "district"}


def endpoint(explorer, fn):
    """``fn`` as a Starlette endpoint over ``explorer``'s current snapshot, with 404 and 503 pages."""
    def run(request: Request):
        lang = lang_of(request)
        try:
            return fn(explorer, request, explorer.current(), lang)
        except NotFound as exc:
            kind = str(exc).split(" ", 1)[0].lower()
            what = word(KIND_WORD.get(kind, "name"), lang)
            return page("error.html", lang, request, 404, title=word("not_found", lang),
                        text=word("not_found_text", lang).format(what=what if lang == "zh" else what.lower()),
                        detail=str(exc).split(" ", 1)[-1], hint=word("not_found_hint", lang))
        except DataUnavailable as exc:
            return page("error.html", lang, request, 503, title=word("unavailable", lang),
                        text=word("unavailable_text", lang), detail=str(exc))
    return run


def _home(lang: str) -> list:
    return [(word("overview", lang), url(None, lang=lang))]


def home(ex, request, snap, lang):
    return page("overview.html", lang, request, page=pages.overview(ex, snap, lang), snap=snap, browser=None)


def chain(ex, request, snap, lang):
    district = request.query_params.get("district") or None
    p = pages.chain(ex, snap, request.path_params["chain_id"], lang, district)
    crumbs = _home(lang) + ([(p["cluster"]["name"], None)] if p["cluster"] else [])
    from .tables import CHAIN_TABLES, TABLE_NAMES

    tables = [(k, word_pair(TABLE_NAMES[k], lang)) for k in CHAIN_TABLES]
    return page("chain.html", lang, request, page=p, crumbs=crumbs + [(p["name"], None)], snap=snap,
                export_tables=tables)


def word_pair(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "zh" else pair[1]


def brief(ex, request, snap, lang):
    """The chain briefing (简报): the chain page's map, gaps with reasons and prospects, laid out for A4."""
    import datetime as dt

    district = request.query_params.get("district") or None
    p = pages.chain(ex, snap, request.path_params["chain_id"], lang, district)
    by_segment: dict[str, list[dict]] = {}
    for r in pages.chain_rows(snap, "prospects", p["id"], lang, district):
        if r["firm_id"]:
            by_segment.setdefault(r["segment_id"], []).append(r)
    crumbs = _home(lang) + [(p["name"], url("chain", p["id"], lang, district=district)), (word("briefing_title", lang), None)]
    return page("brief.html", lang, request, page=p, crumbs=crumbs, snap=snap, prospects_of=by_segment,
                generated=dt.date.today().isoformat())


def segment(ex, request, snap, lang):
    p = pages.segment(ex, snap, request.path_params["segment_id"], lang)
    crumbs = _home(lang)
    if p["chain"]:
        crumbs.append((p["chain"]["name"], url("chain", p["chain"]["id"], lang)))
    return page("segment.html", lang, request, page=p, crumbs=crumbs + [(p["name"], None)], snap=snap)


def firm(ex, request, snap, lang):
    from .neighbourhood import neighbourhood_svg

    p = pages.firm(ex, snap, request.path_params["firm_id"], lang)
    crumbs = _home(lang)
    if p["chains"]:
        crumbs.append((p["chains"][0]["name"], url("chain", p["chains"][0]["id"], lang)))
    if p["segments"]:
        crumbs.append((p["segments"][0]["name"], url("segment", p["segments"][0]["id"], lang)))
    svg = neighbourhood_svg(p, p["suppliers"], p["customers"], lambda f: url("firm", f, lang),
                            "+{n}" if lang == "en" else "另 {n} 家") if (p["suppliers"] or p["customers"]) else None
    return page("firm.html", lang, request, page=p, network_svg=svg, crumbs=crumbs + [(p["name"], None)], snap=snap)


def district(ex, request, snap, lang):
    p = pages.district(ex, snap, request.path_params["district_id"], lang)
    crumbs = _home(lang) + [(par["name"], url("district", par["id"], lang)) for par in p["parent"]]
    return page("district.html", lang, request, page=p, crumbs=crumbs + [(p["name"], None)], snap=snap)


def search(ex, request, snap, lang):
    from .search import KINDS

    q = request.query_params.get("q", "")[:200]
    kind = request.query_params.get("kind") or None
    kind = kind if kind in KINDS else None
    hits = ex.search(snap, q, lang, kind=kind) if q.strip() else []
    crumbs = _home(lang) + [(word("search", lang), None)]
    return page("search.html", lang, request, q=q, hits=hits, crumbs=crumbs, snap=snap, kind=kind, kinds=list(KINDS))


async def http_error(request, exc):
    """Starlette's HTTP errors: a 404 page in the request's language, the others as plain text."""
    from starlette.responses import PlainTextResponse

    lang = lang_of(request)
    if exc.status_code == 404:
        return page("error.html", lang, request, 404, title=word("not_found", lang),
                    text=word("page_not_found_text", lang), detail=None)
    return PlainTextResponse(str(exc.detail), status_code=exc.status_code)


def whatif(ex, request, snap, lang):
    from . import whatif as w

    p = w.page(ex, snap, request.query_params, lang)
    crumbs = _home(lang) + [(word("whatif", lang), None)]
    return page("whatif.html", lang, request, 400 if p["problems"] else 200, page=p, crumbs=crumbs, snap=snap)


def lights(ex, request, snap, lang):
    from . import lights as lt

    p = lt.page(snap, request.query_params, lang)
    crumbs = _home(lang) + [(word("lights", lang), None)]
    return page("lights.html", lang, request, page=p, crumbs=crumbs, snap=snap)


def targets(ex, request, snap, lang):
    from . import targets as tg

    crumbs = _home(lang) + [(word("targets", lang), None)]
    return page("targets.html", lang, request, page=tg.page(snap, lang), crumbs=crumbs, snap=snap)
