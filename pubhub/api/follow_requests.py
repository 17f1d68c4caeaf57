"""Follow requests to the caller's (locked) account: list, authorize, reject (Mastodon's shapes)."""

from __future__ import annotations

from aiohttp import web

from ..accounts.principal import Principal
from ..http.keys import runtime
from ..http.params import ok, read_params
from ..http.principal import requires
from ..social.follow_requests import authorize_request, pending_requests, reject_request
from ..social.follows import relationship
from ..store.models import parse_id
from .paging import link_header, page_bounds
from .schemas import NoParams, Page
from .serializers import account_json, relationship_json


@requires("read:follows")
async def list_requests(request: web.Request, principal: Principal) -> web.Response:
    rt = runtime(request)
    page = await read_params(request, Page)
    rows = await pending_requests(rt, principal.account, **page_bounds(page))
    headers = link_header(request, [follow.id for follow, _ in rows], page.limit)
    return ok([account_json(actor, rt.domain) for _, actor in rows], headers=headers)


async def _answer(request: web.Request, principal: Principal, answer) -> web.Response:
    rt = runtime(request)
    await read_params(request, NoParams)
    follower = await answer(rt, principal.account, parse_id(request.match_info["id"]))
    return ok(relationship_json(follower, await relationship(rt, principal.account, follower)))


@requires("write:follows")
async def authorize(request: web.Request, principal: Principal) -> web.Response:
    return await _answer(request, principal, authorize_request)


@requires("write:follows")
async def reject(request: web.Request, principal: Principal) -> web.Response:
    return await _answer(request, principal, reject_request)
