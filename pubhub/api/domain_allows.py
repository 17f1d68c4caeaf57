"""Mastodon's admin domain allows (`/api/v1/admin/domain_allows`): the servers limited
federation lets in (PUBHUB_LIMITED_FEDERATION), for admins and moderators granted Manage
Federation. Mastodon's shapes: `{id, domain, created_at}`; creating one that exists answers it."""

from __future__ import annotations

from aiohttp import web

from ..accounts.principal import Principal
from ..activitypub.vocab import iso
from ..http.keys import runtime
from ..http.params import Params, Text, ok, read_params
from ..http.principal import requires
from ..moderation.domain_allows import allow_domain, allows_page, disallow_domain, find_allow
from ..store.models import DomainAllow, parse_id
from .paging import link_header, page_bounds
from .schemas import NoParams, Page

MANAGE = "manage_federation"


class NewAllow(Params):
    domain: Text(253)


def allow_json(allow: DomainAllow) -> dict:
    return {"id": str(allow.id), "domain": allow.domain, "created_at": iso(allow.created_at)}


@requires("admin:read:domain_allows", permission=MANAGE)
async def list_allows(request: web.Request, principal: Principal) -> web.Response:
    page = await read_params(request, Page)
    async with runtime(request).db.read() as session:
        allows = await allows_page(session, **page_bounds(page))
    return ok([allow_json(allow) for allow in allows], headers=link_header(request, [allow.id for allow in allows], page.limit))


@requires("admin:read:domain_allows", permission=MANAGE)
async def get_allow(request: web.Request, principal: Principal) -> web.Response:
    await read_params(request, NoParams)
    async with runtime(request).db.read() as session:
        return ok(allow_json(await find_allow(session, parse_id(request.match_info["id"]))))


@requires("admin:write:domain_allows", permission=MANAGE)
async def create_allow(request: web.Request, principal: Principal) -> web.Response:
    rt = runtime(request)
    fields = await read_params(request, NewAllow)
    async with rt.db.write() as session:
        return ok(allow_json(await allow_domain(rt, session, fields.domain, by=principal.account)))


@requires("admin:write:domain_allows", permission=MANAGE)
async def delete_allow(request: web.Request, principal: Principal) -> web.Response:
    rt = runtime(request)
    await read_params(request, NoParams)
    async with rt.db.write() as session:
        await disallow_domain(rt, session, parse_id(request.match_info["id"]), by=principal.account)
    return ok({})
