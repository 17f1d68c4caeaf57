"""The instance description (no token needed)."""

from __future__ import annotations

from aiohttp import web

from ..http.keys import runtime
from ..http.params import ok


async def instance(request: web.Request) -> web.Response:
    settings = runtime(request).settings
    return ok({
        "uri": settings.domain,
        "domain": settings.domain,
        "title": settings.instance_name,
        "version": "4.2.0 (compatible; PubHub)",
        "registrations": False,
    })
