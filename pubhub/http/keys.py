"""Typed application state."""

from __future__ import annotations

from aiohttp import web

from ..runtime import Runtime

RUNTIME = web.AppKey("runtime", Runtime)


def runtime(request: web.Request) -> Runtime:
    return request.app[RUNTIME]
