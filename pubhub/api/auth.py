"""Bearer tokens: who is calling."""

from __future__ import annotations

from aiohttp import web

from ..accounts import actor_for_token
from ..app import SERVICES
from ..errors import Unauthorized
from ..store.models import Actor


async def current_account(request: web.Request) -> Actor:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("The access token is invalid")
    async with request.app[SERVICES].db.read() as session:
        return await actor_for_token(session, token.strip())


async def params(request: web.Request) -> dict:
    """Form or JSON parameters, the way Mastodon accepts both."""
    from ..jsonutil import loads_untrusted
    from ..middlewares import read_body

    if request.content_type == "application/json":
        return loads_untrusted(await read_body(request, 1024 * 1024))
    if request.can_read_body:
        form = await request.post()
        return {k: v for k, v in form.items() if isinstance(v, str)}
    return dict(request.query)


def as_bool(value) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("1", "true", "on", "yes")
