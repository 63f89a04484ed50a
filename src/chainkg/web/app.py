"""The explorer as an ASGI app (Starlette): the routes behind the door.

Read-only by construction: GET (and HEAD) only (:mod:`.guard`), every page built from the analysis
or from read transactions (:mod:`.source`). Where things live: the source and its snapshots
(:mod:`.source`, :mod:`.snapshot`), page data (:mod:`.pages`, :mod:`.search`, :mod:`.tables`), page
endpoints (:mod:`.routes`, :mod:`.downloads`), templates to HTML (:mod:`.render`).
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from . import downloads, routes
from .guard import Guard
from .render import HERE
from .source import Explorer

PAGES = [
    ("/", routes.home),
    ("/chain/{chain_id:path}", routes.chain),
    ("/brief/{chain_id:path}", routes.brief),
    ("/segment/{segment_id:path}", routes.segment),
    ("/firm/{firm_id:path}", routes.firm),
    ("/district/{district_id:path}", routes.district),
    ("/search", routes.search),
    ("/whatif", routes.whatif),
    ("/lights", routes.lights),
    ("/targets", routes.targets),
    ("/export/{fmt}/{chain_id:path}", downloads.export),
    ("/district-export/{fmt}/{district_id:path}", downloads.district_export),
]


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says: the same icon as /static/favicon.svg."""
    from starlette.responses import FileResponse

    return FileResponse(HERE / "static" / "favicon.svg", media_type="image/svg+xml")


def create_app(explorer: Explorer, *, token: str | None = None, loopback_only: bool = True) -> Guard:
    """The ASGI app over ``explorer`` (call ``explorer.start()`` first to warm the cache).

    ``loopback_only``: answer only requests whose Host is 127.0.0.1 / localhost / [::1] (the default bind).
    """
    app = Starlette(routes=[Route(path, routes.endpoint(explorer, fn), methods=["GET"]) for path, fn in PAGES]
                    + [Route("/favicon.ico", favicon, methods=["GET"]),
                       Mount("/static", StaticFiles(directory=HERE / "static"), name="static")],
                    exception_handlers={HTTPException: routes.http_error})
    app.state.explorer = explorer
    return Guard(app, token, loopback_only)
