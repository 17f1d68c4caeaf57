"""CORS as Mastodon sends it (rack-cors in config/initializers/cors.rb): browser apps such as
Elk and Phanpy call the API from their own origin with bearer tokens, never cookies.

On `/api/*` (every method), `/oauth/token` and `/oauth/revoke` (POST) and `/.well-known/*`
(GET): `Access-Control-Allow-Origin: *` and no `Access-Control-Allow-Credentials`, so a browser
never sends cookies along; a preflight (OPTIONS with `Access-Control-Request-Method`) is answered
`200` with the allowed methods and the headers asked for. The HTML pages (the sign-in and
consent pages under /oauth/authorize) get none of it: other origins may not read them.
"""

from __future__ import annotations

import re

from aiohttp import web

API_METHODS = "GET, POST, PUT, PATCH, DELETE, OPTIONS"
# The headers an app reads from our answers: paging, rate limits, the request id.
EXPOSED = "Link, X-RateLimit-Reset, X-RateLimit-Limit, X-RateLimit-Remaining, X-Request-Id"
MAX_AGE = "7200"
_HEADER_LIST = re.compile(r"[A-Za-z0-9!#$%&'*+.^_`|~-]+(?:\s*,\s*[A-Za-z0-9!#$%&'*+.^_`|~-]+)*")


def allowed_methods(path: str) -> str | None:
    """The methods other origins may use on `path`, or None where CORS is not offered."""
    if path.startswith("/api/"):
        return API_METHODS
    if path in ("/oauth/token", "/oauth/revoke"):
        return "POST"
    if path.startswith("/.well-known/"):
        return "GET"
    return None


@web.middleware
async def cors(request: web.Request, handler):
    methods = allowed_methods(request.path)
    if methods is None:
        return await handler(request)
    if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
        response = web.Response(status=200)
        response.headers["Access-Control-Allow-Methods"] = methods
        asked = request.headers.get("Access-Control-Request-Headers", "").strip()
        if asked and _HEADER_LIST.fullmatch(asked):  # any header, as rack-cors' `headers: :any`
            response.headers["Access-Control-Allow-Headers"] = asked
        response.headers["Access-Control-Max-Age"] = MAX_AGE
    else:
        response = await handler(request)
        response.headers["Access-Control-Expose-Headers"] = EXPOSED
    # Always, not only when an Origin was sent: a cache must not keep an answer without it.
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
