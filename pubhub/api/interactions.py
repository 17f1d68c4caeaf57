"""What an app does to a status: favourite, boost (reblog) and their undoing, as Mastodon's
/api/v1/statuses/:id/... endpoints; each answers the status as the viewer now sees it."""

from __future__ import annotations

from aiohttp import web

from ..accounts.principal import Principal
from ..http.keys import runtime
from ..http.params import ok, read_params
from ..http.principal import requires
from ..social import reactions, reading
from ..store.models import Object, parse_id
from .schemas import NoParams
from .serializers import reblog_json, statuses_json


async def _status_json(request: web.Request, principal: Principal, note: Object) -> dict:
    rt = runtime(request)
    return statuses_json(await reading.views(rt.db, [note], principal.account), rt.domain)[0]


async def _note_id(request: web.Request) -> int | None:
    await read_params(request, NoParams)
    return parse_id(request.match_info["id"])


@requires("write:favourites")
async def favourite(request: web.Request, principal: Principal) -> web.Response:
    note = await reactions.favourite(runtime(request), principal.account, await _note_id(request))
    return ok(await _status_json(request, principal, note))


@requires("write:favourites")
async def unfavourite(request: web.Request, principal: Principal) -> web.Response:
    note = await reactions.unfavourite(runtime(request), principal.account, await _note_id(request))
    return ok(await _status_json(request, principal, note))


@requires("write:statuses")
async def reblog(request: web.Request, principal: Principal) -> web.Response:
    boost, note = await reactions.reblog(runtime(request), principal.account, await _note_id(request))
    original = await _status_json(request, principal, note)
    return ok(reblog_json(boost.id, boost.activity_uri, boost.created_at, principal.account, original,
                          runtime(request).domain))


@requires("write:statuses")
async def unreblog(request: web.Request, principal: Principal) -> web.Response:
    note = await reactions.unreblog(runtime(request), principal.account, await _note_id(request))
    return ok(await _status_json(request, principal, note))
