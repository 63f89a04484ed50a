"""The workspace over HTTP: login, the JSON API, the pages and their forms.

:func:`mount` gives the routes and the middleware that :func:`chainkg.web.app.create_app` adds.
The middleware finds the session (cookie ``chainkg_session``, looked up in the store on every
request: the web tier keeps no state), and sends anyone not logged in to the login page (pages) or
answers 401 (API). Every state-changing request is checked here, in this order: a session (401),
its CSRF token (form field ``csrf`` or header ``X-CSRF-Token``; 403), the role (403), the values
(400), then the store (404 / 409). API errors are JSON ``{error, message}``; form errors are pages.
"""

from __future__ import annotations

import asyncio
import json
from datetime import date, datetime
from urllib.parse import quote, urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from ...api.workspace import LOCK_MINUTES, SLOW_AFTER, Actor, WorkspaceError
from ..words import LANGS
from . import auth
from .service import Workspace
from .words import ACTION_WORDS, error_text, ws_word

SESSION_COOKIE = "chainkg_session"
LOGIN_COOKIE = "chainkg_login"
PUBLIC = ("/login", "/api/login", "/static/", "/favicon.ico")
WRITE_METHODS = ("POST", "PATCH", "PUT", "DELETE")


def _lang(request: Request) -> str:
    lang = request.query_params.get("lang", "zh")
    return lang if lang in LANGS else "zh"


def _with_lang(path: str, lang: str) -> str:
    if lang == "zh":
        return path
    return path + ("&" if "?" in path else "?") + "lang=" + lang


def _safe_next(value: str | None) -> str:
    """Only a path on this site (no scheme, no host, no //) is followed after a form."""
    v = value or ""
    return v if v.startswith("/") and not v.startswith("//") and "\\" not in v else "/ws"


class WsView:
    """What templates see of the workspace on any page: the user, the CSRF token, badges, panels."""

    def __init__(self, ws: Workspace, actor: Actor | None, csrf: str | None, lang: str):
        self.ws, self.actor, self.csrf, self.lang = ws, actor, csrf, lang

    def can(self, role: str) -> bool:
        return self.actor is not None and auth.allows(self.actor.role, role)

    def w(self, key: str) -> str:
        return ws_word(key, self.lang)

    def chain_panel(self, chain_id: str) -> dict:
        from ...api.workspace import name

        leads = self.ws.store.leads()
        G = self.ws.snap().G
        return {"active": [(s, name(G, s, self.lang) if s in G else s, n)
                           for s, n in self.ws.active_by_segment(chain_id).items()],
                "effect": self.ws.pipeline_effect(chain_id, self.lang, leads)}

    def badged(self, svg: str, chain_id: str) -> str:
        """The chain map with a badge (count of active leads) on each segment that has any."""
        import re

        from markupsafe import Markup

        counts = self.ws.active_by_segment(chain_id)
        svg = str(svg)
        out, pos = [], 0
        # each segment box: <g class="seg-box" data-segment-id=S ... data-box="x,y,w,h"> (or its first <rect x y>),
        # inside <a class="seg-link">; the badge goes just before that </a>, so it is drawn on top of the box
        for m in re.finditer(r'<g class="seg-box" data-segment-id="([^"]*)"[^>]*>', svg):
            n = counts.get(_unescape(m.group(1)))
            if not n:
                continue
            box = re.search(r'data-box="([\d.]+),([\d.]+),', m.group(0)) or re.compile(
                r'<rect x="([\d.]+)" y="([\d.]+)"').search(svg, m.end())
            close = svg.find("</a>", m.end())
            if box is None or close < 0:
                continue
            x, y = float(box.group(1)), float(box.group(2))
            tip = f"在谈线索 {n} 条" if self.lang == "zh" else f"{n} active lead{'s' if n != 1 else ''}"
            out.append(svg[pos:close])
            out.append(f'<g class="lead-badge" data-leads="{n}"><title>{tip}</title>'
                       f'<rect x="{x + 4:.0f}" y="{y - 9:.0f}" width="26" height="16" rx="8" fill="#1565c0"/>'
                       f'<text x="{x + 17:.0f}" y="{y + 3:.0f}" text-anchor="middle" font-size="11" fill="#fff">{n}</text></g>')
            pos = close
        out.append(svg[pos:])
        return Markup("".join(out))


def _unescape(s: str) -> str:
    import html

    return html.unescape(s)


class SessionMiddleware:
    """Finds the session of every request; sends anyone without one to the login page (or 401)."""

    def __init__(self, app, ws: Workspace):
        self.app, self.ws = app, ws

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        request = Request(scope)
        token = request.cookies.get(SESSION_COOKIE)
        sess = await run_in_threadpool(self.ws.store.session, auth.token_hash(token)) if token else None
        actor = Actor(sess["name"], sess["role"], sess["district"]) if sess else None
        scope["ws_actor"], scope["ws_csrf"] = actor, (sess["csrf"] if sess else None)
        scope["ws_token"] = token if sess else None
        scope["ws"] = WsView(self.ws, actor, scope["ws_csrf"], _lang(request))
        path = scope["path"]
        if actor is None and not path.startswith(PUBLIC):
            if path.startswith("/api/") or scope["method"] in WRITE_METHODS:
                resp: Response = _error(WorkspaceError(401, "login_required", "Log in first (POST /api/login)."))
            else:
                full = path + ("?" + scope["query_string"].decode() if scope.get("query_string") else "")
                resp = RedirectResponse(_with_lang("/login?next=" + quote(full, safe=""), _lang(request)), status_code=303)
            return await resp(scope, receive, send)
        await self.app(scope, receive, send)


def login_delay(failures: int) -> float:
    """Seconds a failed login waits before it is answered: none for the first, then doubling.

    >>> [login_delay(n) for n in range(1, 6)]
    [0.0, 0.25, 0.5, 1.0, 2.0]
    """
    return 0.0 if failures < SLOW_AFTER else min(0.25 * 2 ** (failures - SLOW_AFTER), 4.0)


def _error(exc: WorkspaceError) -> JSONResponse:
    body: dict = {"error": exc.code, "message": exc.message}
    if getattr(exc, "delay", None) is not None:
        body["delay"] = exc.delay
    if exc.hint:
        body["hint"] = exc.hint
    if getattr(exc, "current", None) is not None:
        body["version"] = exc.current
    return JSONResponse(body, status_code=exc.status)


async def _body(request: Request) -> tuple[dict, dict]:
    """(fields, uploaded files) of a JSON or form body."""
    ctype = request.headers.get("content-type", "")
    if ctype.startswith("application/json"):
        try:
            data = json.loads(await request.body() or b"{}")
        except ValueError:
            raise WorkspaceError(400, "bad_json", "The body is not JSON.") from None
        if not isinstance(data, dict):
            raise WorkspaceError(400, "bad_json", "The body must be a JSON object.")
        return data, {}
    if ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        fields: dict = {}
        files: dict = {}
        for k in set(form.keys()):
            vals = form.getlist(k)
            if hasattr(vals[0], "filename"):
                files[k] = vals[0]
            elif k == "segment_ids":
                fields[k] = [s for v in vals for s in str(v).split(",") if s.strip()]
            else:
                fields[k] = vals[-1]
        return fields, files
    if not await request.body():
        return {}, {}
    raise WorkspaceError(400, "bad_body", "Send JSON (application/json) or a form.")


def _check_csrf(request: Request, fields: dict) -> Actor:
    actor = request.scope.get("ws_actor")
    if actor is None:
        raise WorkspaceError(401, "login_required", "Log in first.")
    given = request.headers.get("x-csrf-token") or fields.get("csrf")
    if not auth.same(given, request.scope.get("ws_csrf")):
        raise WorkspaceError(403, "csrf", "Missing or wrong CSRF token: reload the page and try again.",
                             hint="API clients send the csrf value POST /api/login returned as X-CSRF-Token.")
    return actor


def mount(ws: Workspace, render):
    """(routes, middleware) of the workspace; ``render(template, lang, request, status, **ctx)`` draws a page."""

    def page(template, request, status=200, **ctx):
        lang = _lang(request)
        return render(template, lang, request, status, w=lambda k: ws_word(k, lang), **ctx)

    def error_page(request, exc: WorkspaceError):
        lang = _lang(request)
        return page("ws_error.html", request, exc.status, error=exc, message=error_text(exc, lang),
                    hint=exc.hint if lang == "en" else None, crumbs=[(ws_word("workspace", lang), "/ws")])

    def api(work, *, write: bool = True):
        """A JSON endpoint: ``work(request, actor, fields, files) -> (status, body)`` in a worker thread."""
        async def endpoint(request: Request):
            try:
                fields, files = await _body(request) if write else ({}, {})
                actor = _check_csrf(request, fields) if write else request.scope.get("ws_actor")
                status, body = await run_in_threadpool(work, request, actor, fields, files)
                return JSONResponse(body, status_code=status)
            except WorkspaceError as exc:
                return _error(exc)
        return endpoint

    def form(work):
        """A form endpoint: the same checks, then a redirect (303) to what ``work`` returns, or an error page."""
        async def endpoint(request: Request):
            try:
                fields, files = await _body(request)
                actor = _check_csrf(request, fields)
                target = await run_in_threadpool(work, request, actor, fields, files)
                return RedirectResponse(_with_lang(target, _lang(request)), status_code=303)
            except WorkspaceError as exc:
                return await run_in_threadpool(error_page, request, exc)
        return endpoint

    def html(work):
        def endpoint(request: Request):
            try:
                return work(request, request.scope.get("ws_actor"))
            except WorkspaceError as exc:
                return error_page(request, exc)
        return endpoint

    # -- login ------------------------------------------------------------------------------------

    async def do_login(request, fields) -> tuple[dict, str, str]:
        name = str(fields.get("username") or "").strip()
        password = str(fields.get("password") or "")
        if not name or not password:
            raise WorkspaceError(400, "missing", "Give username and password.")
        state = await run_in_threadpool(ws.store.login_state, name)
        lk = state["locked_until"]
        if lk is not None and lk > datetime.now(lk.tzinfo):
            raise WorkspaceError(403, "locked", ws_word("locked", _lang(request)).format(minutes=LOCK_MINUTES))
        user = await run_in_threadpool(ws.store.user, name)
        ok = await run_in_threadpool(auth.check_password, user.get("hash") if user else None, password)
        if not ok or user is None or user.get("disabled"):
            failed = await run_in_threadpool(ws.store.record_failure, name)
            if failed["locked"]:
                raise WorkspaceError(403, "locked", ws_word("locked", _lang(request)).format(minutes=LOCK_MINUTES))
            delay = login_delay(failed["failures"])
            await asyncio.sleep(delay)  # each further failure is answered later
            exc = WorkspaceError(401, "login_failed", ws_word("login_failed", _lang(request)))
            exc.delay = delay
            raise exc
        token, csrf = auth.new_token(), auth.new_token()
        await run_in_threadpool(ws.store.start_session, user, auth.token_hash(token), csrf)
        return user, token, csrf

    def set_session(resp: Response, request: Request, token: str) -> Response:
        resp.set_cookie(SESSION_COOKIE, token, max_age=int(8 * 3600), httponly=True, samesite="strict", path="/",
                        secure=request.url.scheme == "https")
        resp.delete_cookie(LOGIN_COOKIE, path="/")
        return resp

    def login_page(request: Request, status: int = 200, message: str | None = None, next_: str | None = None):
        # one nonce per browser: a second login page (another tab, the favicon's redirect) keeps the first valid
        nonce = request.cookies.get(LOGIN_COOKIE) or auth.new_token()
        resp = page("ws_login.html", request, status, login_csrf=auth.login_token(ws.key, nonce),
                    next=_safe_next(next_ or request.query_params.get("next")), message=message)
        resp.set_cookie(LOGIN_COOKIE, nonce, httponly=True, samesite="strict", path="/",
                        secure=request.url.scheme == "https")
        return resp

    async def login_get(request: Request):
        return await run_in_threadpool(login_page, request)

    async def login_post(request: Request):
        fields: dict = {}
        try:
            fields, _ = await _body(request)
            nonce = request.cookies.get(LOGIN_COOKIE)
            if not (nonce and auth.same(fields.get("csrf"), auth.login_token(ws.key, nonce))):
                raise WorkspaceError(403, "csrf", "The login form has expired: try again.")
            user, token, _csrf = await do_login(request, fields)
        except WorkspaceError as exc:
            return await run_in_threadpool(login_page, request, exc.status, error_text(exc, _lang(request)),
                                           fields.get("next"))
        return set_session(RedirectResponse(_with_lang(_safe_next(fields.get("next")), _lang(request)), status_code=303),
                           request, token)

    async def api_login(request: Request):
        try:
            if not request.headers.get("content-type", "").startswith("application/json"):
                # a cross-site page can post a form but not JSON without the browser asking first (CORS)
                raise WorkspaceError(400, "bad_body", "POST /api/login takes JSON: {\"username\": …, \"password\": …}.")
            fields, _ = await _body(request)
            user, token, csrf = await do_login(request, fields)
        except WorkspaceError as exc:
            return _error(exc)
        return set_session(JSONResponse({"csrf": csrf, "user": user["name"], "role": user["role"],
                                         "district": user.get("district")}), request, token)

    def _logout(request, actor, fields, files):
        ws.store.end_session(auth.token_hash(request.scope["ws_token"]), actor.name)
        return 200, {"ok": True}

    async def api_logout(request: Request):
        resp = await api(_logout)(request)
        if resp.status_code == 200:
            resp.delete_cookie(SESSION_COOKIE, path="/")
        return resp

    async def form_logout(request: Request):
        resp = await form(lambda r, a, f, fl: (_logout(r, a, f, fl), "/login")[1])(request)
        if resp.status_code == 303:
            resp.delete_cookie(SESSION_COOKIE, path="/")
        return resp

    # -- leads: API -------------------------------------------------------------------------------

    def _filters(request):
        q = request.query_params
        return {k: q.get(k) or None for k in ("chain", "segment", "district", "owner", "stage")} | {
            "overdue": q.get("overdue") in ("1", "true", "yes", "on")}

    def leads_get(request, actor, fields, files):
        rows = ws.leads(_lang(request), **_filters(request))
        return 200, {"leads": [_public(r) for r in rows]}

    def leads_post(request, actor, fields, files):
        return 201, ws.create_lead(actor, fields)

    def lead_get(request, actor, fields, files):
        return 200, _public(ws.lead(request.path_params["lead_id"], _lang(request)))

    def lead_patch(request, actor, fields, files):
        out = ws.update_lead(actor, request.path_params["lead_id"], fields)
        return 200, {"version": out["version"]}

    def visit_post(request, actor, fields, files):
        return 201, ws.add_visit(actor, request.path_params["lead_id"], fields)

    def audit_get(request, actor, fields, files):
        ws.need(actor, "admin")
        return 200, {"entries": _audit(request)}

    def facts_post(request, actor, fields, files):
        return 201, ws.correct(actor, fields)

    def import_post(request, actor, fields, files):
        from .ledger import import_ledger

        ws.need(actor, "staff")
        up = files.get("file")
        if up is None:
            raise WorkspaceError(400, "no_file", "Upload the 台账 as the form field file (xlsx, xls or csv).")
        result = import_ledger(ws, actor, up.filename or "upload", up.file.read(), _lang(request))
        return (201 if result["ok"] else 400), result

    def _audit(request):
        q = request.query_params
        since = None
        if q.get("since"):
            try:
                since = datetime.fromisoformat(q["since"])
            except ValueError:
                raise WorkspaceError(400, "bad_date", f"since: {q['since']!r} is not a date.", hint="YYYY-MM-DD") from None
            if since.tzinfo is None:
                from datetime import UTC
                since = since.replace(tzinfo=UTC)
        return ws.store.audit(since, q.get("user") or None, limit=1000)

    # -- pages ------------------------------------------------------------------------------------

    def crumbs(request, *more):
        lang = _lang(request)
        return [(ws_word("workspace", lang), _with_lang("/ws", lang)), *more]

    def board(request, actor):
        lang = _lang(request)
        rows = ws.leads(lang, **_filters(request))
        columns = [(s, [r for r in rows if r["stage"] == s.code]) for s in _stages()]
        return page("ws_board.html", request, columns=columns, crumbs=crumbs(request, (ws_word("board", lang), None)))

    def lead_list(request, actor):
        lang = _lang(request)
        snap = ws.snap()
        rows = ws.leads(lang, **_filters(request))
        from ...api.workspace import name, nodes_by_label
        G = snap.G
        choices = {"chain": [(c, name(G, c, lang)) for c in nodes_by_label(G, "Chain")],
                   "district": [(d, name(G, d, lang)) for d in nodes_by_label(G, "District")],
                   "stage": [(s.code, getattr(s, lang)) for s in _stages()],
                   "owner": sorted({r["owner"] for r in ws.store.leads() if r.get("owner")})}
        return page("ws_leads.html", request, rows=rows, f=_filters(request), choices=choices,
                    query=urlencode({k: v for k, v in request.query_params.items() if k != "lang"}),
                    crumbs=crumbs(request, (ws_word("leads", lang), None)))

    def lead_page(request, actor):
        lang = _lang(request)
        lead = ws.lead(request.path_params["lead_id"], lang)
        return page("ws_lead.html", request, lead=lead, stages=_stages(), today=date.today().isoformat(),
                    crumbs=crumbs(request, (ws_word("leads", lang), _with_lang("/ws/leads", lang)),
                                  (lead["firm_label"] or lead["id"], None)))

    def new_lead_page(request, actor):
        lang = _lang(request)
        ws.need(actor, "staff")
        G = ws.snap().G
        q = request.query_params
        firm_id = q.get("firm_id")
        from ...api.workspace import attrs

        if firm_id and attrs(G, firm_id).get("label") != "Firm":
            raise WorkspaceError(404, "not_found", f"No firm {firm_id}.")
        from ...api.workspace import name
        seg = q.get("segment_id")
        return page("ws_new_lead.html", request, stages=_stages(), firm_id=firm_id,
                    firm_label=name(G, firm_id, lang) if firm_id else None,
                    segment_id=seg if seg in G else None, segment_label=name(G, seg, lang) if seg in G else None,
                    crumbs=crumbs(request, (ws_word("new_lead", lang), None)))

    def audit_page(request, actor):
        lang = _lang(request)
        ws.need(actor, "admin")
        rows = _audit(request)
        return page("ws_audit.html", request, rows=[{**r, "action_word": ws_word(r["action"], lang)
                                                      if r["action"] in ACTION_WORDS else r["action"],
                                                      "before_text": _show(r["before"]), "after_text": _show(r["after"])}
                                                     for r in rows],
                    since=request.query_params.get("since") or "", user=request.query_params.get("user") or "",
                    crumbs=crumbs(request, (ws_word("audit", lang), None)))

    def import_page(request, actor):
        ws.need(actor, "staff")
        return page("ws_import.html", request, result=None, crumbs=crumbs(request, (ws_word("import", _lang(request)), None)))

    async def import_form(request: Request):
        try:
            fields, files = await _body(request)
            actor = _check_csrf(request, fields)
            status, result = await run_in_threadpool(import_post, request, actor, fields, files)
        except WorkspaceError as exc:
            return await run_in_threadpool(error_page, request, exc)
        return await run_in_threadpool(lambda: page("ws_import.html", request, status, result=result,
                                                    crumbs=crumbs(request, (ws_word("import", _lang(request)), None))))

    def export_xlsx(request, actor):
        from ...workbook import add_sheet, new_workbook, to_bytes

        lang = _lang(request)
        rows = ws.leads(lang, **_filters(request))
        cols = ("id", "firm_name", "firm_id", "credit_code", "segment_ids", "district", "owner", "stage", "next_step",
                "due", "light", "light_reasons", "notes", "version")
        headers = [ws_word(c if c not in ("firm_name", "segment_ids", "light_reasons") else
                           {"firm_name": "firm_name", "segment_ids": "segments", "light_reasons": "reasons"}[c], lang)
                   for c in cols]
        values = ({**r, "firm_name": r["firm_label"], "stage": r["stage_word"], "district": r["district_name"],
                   "segment_ids": [n for _, n in r["segment_names"]], "light": ws_word("light_" + r["light"], lang)}
                  for r in rows)
        wb = new_workbook()  # the one workbook writer: every cell through chainkg.cells, the header's look
        add_sheet(wb, "leads" if lang == "en" else "招商线索", headers, ([v.get(c) for c in cols] for v in values),
                  lang=lang, autofilter=True)
        return Response(to_bytes(wb), media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        headers={"content-disposition": 'attachment; filename="pipeline.xlsx"'})

    # -- intake review ----------------------------------------------------------------------------

    def intake_page(request, actor):
        ws.need(actor, "editor")
        return page("ws_intake.html", request, crumbs=crumbs(request, (ws_word("intake", _lang(request)), None)))

    def f_intake_upload(request, actor, fields, files):
        from .intake_review import upload

        up = files.get("file")
        if up is None:
            raise WorkspaceError(400, "no_file", "Upload the list as the form field file (xlsx, xls or csv).")
        return "/ws/intake/" + quote(upload(ws, actor, up.filename or "list", up.file.read()))

    def intake_review(request, actor):
        lang = _lang(request)
        ws.need(actor, "editor")
        rec = ws.store.intake(request.path_params["intake_id"])
        if rec is None:
            raise WorkspaceError(404, "not_found", "No such intake.")
        from ...api.workspace import name
        G = ws.snap().G
        nm = lambda s: name(G, s, lang) if s in G else s
        return page("ws_intake_review.html", request, rec=rec, nm=nm, firms=list(enumerate(rec["payload"]["firms"])),
                    crumbs=crumbs(request, (ws_word("intake", lang), _with_lang("/ws/intake", lang)), (rec["file"], None)))

    async def intake_apply(request: Request):
        from .intake_review import apply

        try:
            fields, _ = await _body(request)
            actor = _check_csrf(request, fields)
            decisions: dict[int, tuple[str, str | None]] = {}
            for k, v in fields.items():
                if k.startswith("d") and k[1:].isdigit():
                    i = int(k[1:])
                    other = (fields.get(f"o{i}") or "").strip()
                    what, _, seg = str(v).partition(":")
                    if other and what != "reject":
                        what, seg = "accept", other
                    if what in ("accept", "reject") and seg:
                        decisions[i] = (what, seg)
            iid = request.path_params["intake_id"]
            out = await run_in_threadpool(apply, ws, actor, iid, decisions, (fields.get("reason") or "").strip())
        except WorkspaceError as exc:
            return await run_in_threadpool(error_page, request, exc)
        return await run_in_threadpool(lambda: page("ws_intake_done.html", request, written=out["written"],
                                                    crumbs=crumbs(request, (ws_word("intake", _lang(request)), None))))

    # -- form posts -------------------------------------------------------------------------------

    def f_create(request, actor, fields, files):
        out = ws.create_lead(actor, fields)
        return "/ws/leads/" + quote(out["id"])

    def f_update(request, actor, fields, files):
        lid = request.path_params["lead_id"]
        ws.update_lead(actor, lid, {k: v for k, v in fields.items() if k not in ("csrf", "lang")})
        return "/ws/leads/" + quote(lid)

    def f_visit(request, actor, fields, files):
        lid = request.path_params["lead_id"]
        ws.add_visit(actor, lid, fields)
        return "/ws/leads/" + quote(lid)

    def f_fact(request, actor, fields, files):
        ws.correct(actor, fields)
        return _safe_next(fields.get("next"))

    routes = [
        Route("/login", login_get, methods=["GET"]),
        Route("/login", login_post, methods=["POST"]),
        Route("/logout", form_logout, methods=["POST"]),
        Route("/api/login", api_login, methods=["POST"]),
        Route("/api/logout", api_logout, methods=["POST"]),
        Route("/api/leads", api(leads_get, write=False), methods=["GET"]),
        Route("/api/leads", api(leads_post), methods=["POST"]),
        Route("/api/leads/{lead_id}", api(lead_get, write=False), methods=["GET"]),
        Route("/api/leads/{lead_id}", api(lead_patch), methods=["PATCH"]),
        Route("/api/leads/{lead_id}/visits", api(visit_post), methods=["POST"]),
        Route("/api/audit", api(audit_get, write=False), methods=["GET"]),
        Route("/api/facts", api(facts_post), methods=["POST"]),
        Route("/api/import", api(import_post), methods=["POST"]),
        Route("/ws", html(board), methods=["GET"]),
        Route("/ws/leads", html(lead_list), methods=["GET"]),
        Route("/ws/leads", form(f_create), methods=["POST"]),
        Route("/ws/leads.xlsx", html(export_xlsx), methods=["GET"]),
        Route("/ws/leads/new", html(new_lead_page), methods=["GET"]),
        Route("/ws/leads/{lead_id}", html(lead_page), methods=["GET"]),
        Route("/ws/leads/{lead_id}", form(f_update), methods=["POST"]),
        Route("/ws/leads/{lead_id}/visits", form(f_visit), methods=["POST"]),
        Route("/ws/facts", form(f_fact), methods=["POST"]),
        Route("/ws/audit", html(audit_page), methods=["GET"]),
        Route("/ws/import", html(import_page), methods=["GET"]),
        Route("/ws/import", import_form, methods=["POST"]),
        Route("/ws/intake", html(intake_page), methods=["GET"]),
        Route("/ws/intake", form(f_intake_upload), methods=["POST"]),
        Route("/ws/intake/{intake_id}", html(intake_review), methods=["GET"]),
        Route("/ws/intake/{intake_id}", intake_apply, methods=["POST"]),
    ]
    return routes, lambda app: SessionMiddleware(app, ws)


def _stages():
    from ...graph_model.vocabulary import LEAD_STAGES

    return LEAD_STAGES


def _public(lead: dict) -> dict:
    """A lead as the API gives it (dates as text, the page-only names dropped)."""
    return {k: v for k, v in lead.items() if k not in ("segment_names",)}


def _show(d) -> str:
    if d is None:
        return ""
    if isinstance(d, dict):
        return "; ".join(f"{k}={v}" for k, v in d.items())
    return str(d)
