"""What an app does to a status: favourite, boost (reblog) and their undoing, as Mastodon's
/api/v1/statuses/:id/... endpoints; each answers the status as the viewer now sees it."""

from __future__ import annotations

from dataclasses import replace

from aiohttp import web

from ..accounts.principal import Principal
from ..http.keys import runtime
from ..http.params import ok, read_params
from ..http.principal import requires
from ..social import reactions, reading
from ..social.reading import Boost
from ..social.visibility import Viewer
from ..store.models import Object, parse_id
from .paging import bounds_of, link_header
from .schemas import NoParams, Page
from .serializers import account_json, statuses_json


async def status_json(request: web.Request, principal: Principal, note: Object) -> dict:
    rt = runtime(request)
    return statuses_json(await reading.views(rt.db, [note], principal.account), rt.domain)[0]


async def note_id(request: web.Request) -> int | None:
    await read_params(request, NoParams)
    return parse_id(request.match_info["id"])


async def act_on_status(request: web.Request, principal: Principal, action) -> web.Response:
    """Do `action(rt, account, note_id)` to the status in the path; answer the status."""
    note = await action(runtime(request), principal.account, await note_id(request))
    return ok(await status_json(request, principal, note))


@requires("write:favourites")
async def favourite(request: web.Request, principal: Principal) -> web.Response:
    return await act_on_status(request, principal, reactions.favourite)


@requires("write:favourites")
async def unfavourite(request: web.Request, principal: Principal) -> web.Response:
    return await act_on_status(request, principal, reactions.unfavourite)


@requires("write:statuses")
async def reblog(request: web.Request, principal: Principal) -> web.Response:
    rt = runtime(request)
    boost, note = await reactions.reblog(rt, principal.account, await note_id(request))
    [view] = await reading.views(rt.db, [note], principal.account)
    shown = replace(view, boost=Boost(boost.id, boost.activity_uri, boost.created_at, principal.account))
    return ok(statuses_json([shown], rt.domain)[0])


@requires("write:statuses")
async def unreblog(request: web.Request, principal: Principal) -> web.Response:
    return await act_on_status(request, principal, reactions.unreblog)


async def _accounts_who(request: web.Request, principal: Principal, kind: str) -> web.Response:
    rt = runtime(request)
    page = await read_params(request, Page)
    rows = await reactions.reacted_by(rt.db, Viewer(principal.account), parse_id(request.match_info["id"]), kind,
                                      bounds_of(page))
    headers = link_header(request, [reaction_id for reaction_id, _ in rows], page.limit)
    return ok([account_json(actor, rt.domain) for _, actor in rows], headers=headers)


@requires("read:accounts")
async def favourited_by(request: web.Request, principal: Principal) -> web.Response:
    return await _accounts_who(request, principal, reactions.LIKE)


@requires("read:accounts")
async def reblogged_by(request: web.Request, principal: Principal) -> web.Response:
    return await _accounts_who(request, principal, reactions.ANNOUNCE)
