"""PubHub's own: what the moderator role may do instance-wide (`/api/v1/pubhub/roles/moderator`),
by Mastodon's permission names; admins read and change it. Whatever the grant, a moderator acts
on the hubs they are assigned to (rooms/authority.py)."""

from __future__ import annotations

from aiohttp import web
from pydantic import Field

from ..accounts.principal import Principal
from ..http.keys import runtime
from ..http.params import Params, Text, ok, read_params
from ..http.principal import requires
from ..moderation.permissions import PERMISSIONS, change_grant, moderator_grant
from .schemas import NoParams


class Grant(Params):
    permissions: list[Text(64)] = Field(default_factory=list, max_length=len(PERMISSIONS))


def role_json(grant) -> dict:
    return {"name": "moderator", "permissions": sorted(grant), "available": list(PERMISSIONS)}


@requires("admin:read", role="admin")
async def show_moderator_role(request: web.Request, principal: Principal) -> web.Response:
    await read_params(request, NoParams)
    async with runtime(request).db.read() as session:
        return ok(role_json(await moderator_grant(session)))


@requires("admin:write", role="admin")
async def change_moderator_role(request: web.Request, principal: Principal) -> web.Response:
    rt = runtime(request)
    grant = await read_params(request, Grant)
    async with rt.db.write() as session:
        return ok(role_json(await change_grant(session, grant.permissions, by=principal.account, now=rt.clock.now())))
