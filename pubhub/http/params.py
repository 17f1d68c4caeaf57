"""Request parameters the way Mastodon accepts them (form, JSON or query), and JSON answers."""

from __future__ import annotations

from aiohttp import web

from ..jsonutil import dumps, loads_untrusted
from .bodies import read_body, read_form

MAX_PARAMS_BYTES = 1024 * 1024


async def params(request: web.Request) -> dict:
    if request.content_type == "application/json":
        return loads_untrusted(await read_body(request, MAX_PARAMS_BYTES))
    if request.can_read_body:
        return await read_form(request)
    return dict(request.query)


def as_bool(value) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("1", "true", "on", "yes")


def ok(body, status: int = 200) -> web.Response:
    return web.Response(body=dumps(body), status=status, content_type="application/json")
