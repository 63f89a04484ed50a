"""The explorer's door (ASGI middleware): security headers on every response, GET/HEAD only, the
token when one is set, and (on loopback) only loopback Host headers, so a web page cannot reach the
explorer through DNS rebinding.

Headers: a Content-Security-Policy with no inline script (the one script is ``/static/app.js``),
``X-Content-Type-Options: nosniff``, ``frame-ancestors 'none'``, no referrer. With a token (required
off loopback) every request needs it: ``Authorization: Bearer <token>``, or ``?token=<token>`` once,
which sets an HttpOnly, SameSite=Strict cookie and redirects to the same page without it.
"""

from __future__ import annotations

import hmac
from urllib.parse import parse_qsl, urlencode

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from .render import lang_of, page
from .words import word

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
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")


def host_name(host: str) -> str:
    """
    >>> host_name("127.0.0.1:8000"), host_name("[::1]:8000"), host_name("LOCALHOST")
    ('127.0.0.1', '[::1]', 'localhost')
    """
    host = host.strip().lower()
    if host.startswith("["):
        return host[: host.find("]") + 1]
    return host.rsplit(":", 1)[0] if ":" in host else host


def _same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


class Guard:
    """ASGI middleware around the app: see the module's text."""

    def __init__(self, app, token: str | None, loopback_only: bool = True, writable: bool = False):
        self.app, self.token, self.loopback_only = app, token, loopback_only
        self.methods = ("GET", "HEAD", "POST", "PATCH") if writable else ("GET", "HEAD")  # the workspace writes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [h for h in SECURITY_HEADERS if h[0] not in names]
            await send(message)

        request = Request(scope)
        refusal = self.refusal(request, scope)
        if refusal is not None:
            return await refusal(scope, receive, send_with_headers)
        await self.app(scope, receive, send_with_headers)

    def refusal(self, request: Request, scope) -> Response | None:
        """The response that refuses this request, or None to let it through."""
        lang = lang_of(request)
        if self.loopback_only and host_name(request.headers.get("host", "")) not in LOOPBACK_HOSTS:
            return PlainTextResponse("Host not allowed: this explorer answers only on 127.0.0.1 / localhost.",
                                     status_code=421)
        if scope["method"] not in self.methods:
            resp: Response = page("error.html", lang, request, 405, title=word("method", lang), text=word("method_text", lang))
            resp.headers["allow"] = ", ".join(self.methods)
            return resp
        if not self.token:
            return None
        given = request.query_params.get("token")
        if given is not None and _same(given, self.token):
            rest = [(k, v) for k, v in parse_qsl(scope.get("query_string", b"").decode()) if k != "token"]
            resp = RedirectResponse(scope["path"] + ("?" + urlencode(rest) if rest else ""), status_code=303)
            resp.set_cookie(COOKIE, self.token, httponly=True, samesite="strict", path="/")
            return resp
        auth = request.headers.get("authorization", "")
        bearer = auth[7:] if auth.lower().startswith("bearer ") else None
        if any(v is not None and _same(v, self.token) for v in (bearer, request.cookies.get(COOKIE))):
            return None
        return page("error.html", lang, request, 403, title=word("forbidden", lang), text=word("forbidden_text", lang))
