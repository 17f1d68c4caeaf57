"""Statuses: post, read, delete, and the thread around one."""

from __future__ import annotations

from aiohttp import web

from ..accounts.principal import Principal
from ..errors import NotFound
from ..http.keys import runtime
from ..http.params import as_bool, ok, params
from ..http.principal import requires
from ..social.reading import status_views, thread
from ..social.statuses import StatusRequest, create_status, delete_status
from ..social.visibility import Viewer, visible_note
from ..store.models import parse_id
from .serializers import statuses_json


def _id(request: web.Request) -> int:
    record_id = parse_id(request.match_info["id"])
    if record_id is None:
        raise NotFound("Record not found")
    return record_id


@requires("write:statuses")
async def post_status(request: web.Request, principal: Principal) -> web.Response:
    rt = runtime(request)
    data = await params(request)
    reply_to = data.get("in_reply_to_id")
    if reply_to not in (None, "") and parse_id(reply_to) is None:
        raise NotFound("the status replied to does not exist")
    status_request = StatusRequest(
        text=str(data.get("status") or ""),
        visibility=str(data.get("visibility") or "public"),
        in_reply_to_id=parse_id(reply_to) if reply_to not in (None, "") else None,
        spoiler_text=str(data.get("spoiler_text") or ""),
        sensitive=as_bool(data.get("sensitive", False)),
        language=str(data["language"])[:16] if data.get("language") else None,
    )
    note = await create_status(rt, principal.account, status_request)
    async with rt.db.read() as session:
        return ok(statuses_json(await status_views(session, [note]), rt.domain)[0])


@requires("read:statuses")
async def get_status(request: web.Request, principal: Principal) -> web.Response:
    rt = runtime(request)
    async with rt.db.read() as session:
        note = await visible_note(session, Viewer(principal.account), _id(request))
        return ok(statuses_json(await status_views(session, [note]), rt.domain)[0])


@requires("write:statuses")
async def remove_status(request: web.Request, principal: Principal) -> web.Response:
    rt = runtime(request)
    snapshot = await delete_status(rt, principal.account, _id(request))
    async with rt.db.read() as session:
        body = statuses_json(await status_views(session, [snapshot]), rt.domain)[0]
    body["text"] = snapshot.source_text
    return ok(body)


@requires("read:statuses")
async def status_context(request: web.Request, principal: Principal) -> web.Response:
    rt = runtime(request)
    viewer = Viewer(principal.account)
    async with rt.db.read() as session:
        note = await visible_note(session, viewer, _id(request))
        ancestors, descendants = await thread(session, viewer, note)
        return ok({
            "ancestors": statuses_json(await status_views(session, ancestors), rt.domain),
            "descendants": statuses_json(await status_views(session, descendants), rt.domain),
        })
