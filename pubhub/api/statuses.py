"""Statuses: post, read, delete, and the thread around one."""

from __future__ import annotations

from aiohttp import web

from ..accounts.principal import Principal
from ..errors import NotFound, Unprocessable
from ..http.keys import runtime
from ..http.params import ok, read_params
from ..http.principal import requires
from ..social import reading
from ..social.boosts import note_or_boost
from ..rooms.submissions import post_status as publish
from ..social.polls import PollRequest
from ..social.statuses import StatusRequest, delete_status
from ..social.visibility import Viewer
from ..store.models import parse_id
from .schemas import NoParams, PollParams, PostStatus
from .serializers import statuses_json


def _id(request: web.Request) -> int:
    record_id = parse_id(request.match_info["id"])
    if record_id is None:
        raise NotFound("Record not found")
    return record_id


@requires("write:statuses")
async def post_status(request: web.Request, principal: Principal) -> web.Response:
    rt = runtime(request)
    data = await read_params(request, PostStatus)
    media_ids = [parse_id(value) for value in data.media_ids]
    if None in media_ids:
        raise Unprocessable("Validation failed: media_ids must name your own uploads not yet attached to a status")
    reply_to = None
    if data.in_reply_to_id not in (None, ""):
        reply_to = parse_id(data.in_reply_to_id)
        if reply_to is None:  # as Mastodon: an id that can't exist is a record not found
            raise NotFound("the status replied to does not exist")
    status_request = StatusRequest(
        text=data.status, visibility=data.visibility, in_reply_to_id=reply_to, spoiler_text=data.spoiler_text,
        sensitive=bool(data.sensitive), language=data.language or None, media_ids=media_ids,
        poll=_poll_request(data.poll),
    )
    note = await publish(rt, principal.account, status_request)  # and submitted to the rooms it mentions
    return ok(statuses_json(await reading.views(rt.db, [note], principal.account), rt.domain)[0])


def _poll_request(params: PollParams | None) -> PollRequest | None:
    if params is None:
        return None
    return PollRequest(options=list(params.options), expires_in=params.expires_in,
                       multiple=bool(params.multiple), hide_totals=bool(params.hide_totals))


@requires("read:statuses")
async def get_status(request: web.Request, principal: Principal) -> web.Response:
    rt = runtime(request)
    await read_params(request, NoParams)
    view = await note_or_boost(rt.db, Viewer(principal.account), _id(request))
    return ok(statuses_json([view], rt.domain)[0])


@requires("write:statuses")
async def remove_status(request: web.Request, principal: Principal) -> web.Response:
    rt = runtime(request)
    await read_params(request, NoParams)
    snapshot = await delete_status(rt, principal.account, _id(request))
    body = statuses_json(await reading.views(rt.db, [snapshot], principal.account), rt.domain)[0]
    body["text"] = snapshot.source_text
    return ok(body)


@requires("read:statuses")
async def status_context(request: web.Request, principal: Principal) -> web.Response:
    rt = runtime(request)
    await read_params(request, NoParams)
    ancestors, descendants = await reading.context(rt.db, Viewer(principal.account), _id(request))
    return ok({"ancestors": statuses_json(ancestors, rt.domain), "descendants": statuses_json(descendants, rt.domain)})
