"""Polls: read one, vote in one (Mastodon's /api/v1/polls). A poll's id is its status's."""

from __future__ import annotations

from aiohttp import web

from ..accounts.principal import Principal
from ..errors import NotFound
from ..http.keys import runtime
from ..http.params import ok, read_params
from ..http.principal import requires
from ..social import polls, reading
from ..social.visibility import Viewer
from ..store.models import parse_id
from .schemas import NoParams, PollVoteParams
from .serializers import poll_json


def _poll_id(request: web.Request) -> int:
    poll_id = parse_id(request.match_info["id"])
    if poll_id is None:
        raise NotFound("Record not found")
    return poll_id


async def _poll_body(rt, principal: Principal, poll_id: int) -> dict:
    view = await reading.status(rt.db, Viewer(principal.account), poll_id)
    if view.note.poll is None or view.note.deleted_at is not None:
        raise NotFound("Record not found")
    return poll_json(view.note, view.own_votes,
                     by_viewer=bool(view.mine and view.mine.get("own")))


@requires("read:statuses")
async def get_poll(request: web.Request, principal: Principal) -> web.Response:
    rt = runtime(request)
    await read_params(request, NoParams)
    return ok(await _poll_body(rt, principal, _poll_id(request)))


@requires("write:statuses")
async def vote(request: web.Request, principal: Principal) -> web.Response:
    rt = runtime(request)
    data = await read_params(request, PollVoteParams)
    poll_id = _poll_id(request)
    await polls.vote(rt, principal.account, poll_id, list(data.choices))
    return ok(await _poll_body(rt, principal, poll_id))
