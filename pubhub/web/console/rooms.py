"""Rooms in the console, for an admin (every room) or a hub moderator (their hubs' rooms: another
hub's room is 403, as in the API). Every decision is the API's own (rooms/acts.py): a rejection
and a ban store a statement of reasons, with the moderator's reason as its ground.

    GET  /admin/rooms                                      the rooms, their policy and queue size
    GET  /admin/rooms/{id}                                 settings, queue, join requests, members, bans
    POST /admin/rooms/{id}/queue/{item_id}/approve         share a held post
    POST /admin/rooms/{id}/queue/{item_id}/reject          refuse it, with a reason
    POST /admin/rooms/{id}/members/{account_id}/ban        ban, with a reason and the box ticked
    POST /admin/rooms/{id}/members/{account_id}/unban      lift a ban
    POST /admin/rooms/{id}/follow_requests/{account_id}/authorize   accept a join request
    POST /admin/rooms/{id}/follow_requests/{account_id}/reject      refuse it

The queued posts are shown as stored (sanitised HTML, or ours composed escaped), as the reports
page shows reported posts. A refused decision (no reason, the post gone since) comes back as the
room's page with the reason (422) and changes nothing.
"""

from __future__ import annotations

from aiohttp import web

from ...errors import PubHubError
from ...http.keys import runtime
from ...rooms import acts, members, queue
from ...rooms.directory import find_room, member_count, policy_of
from ...store.models import parse_id
from .access import Visit, form, page, see_other

SHOWN = 100


@page
async def list_rooms(request: web.Request, visit: Visit) -> web.Response:
    async with runtime(request).db.read() as session:
        rooms = await queue.queues(session, visit.account)
    return visit.page("console/rooms.html", title=visit._("Rooms"), rooms=rooms,
                      policies={found.room.room.id: policy_of(found.room.room) for found in rooms})


async def _room_page(request: web.Request, visit: Visit, *, status: int = 200, error: str = "",
                     values: dict | None = None) -> web.Response:
    async with runtime(request).db.read() as session:
        target = await find_room(session, visit.account, parse_id(request.match_info["id"]))
        held = await queue.queue(session, target, limit=SHOWN)
        asking = await members.join_requests(session, target, limit=SHOWN)
        joined = await members.members(session, target, limit=SHOWN)
        banned = await members.bans(session, target, limit=SHOWN)
        size = await member_count(session, target)
    name = target.actor.display_name or target.slug
    return visit.page("console/room.html", title=visit._("Room %(room)s", room=name), status=status, target=target,
                      room_name=name, policy=policy_of(target.room), rules=queue.room_rules(target), held=held,
                      asking=asking, joined=joined, banned=banned, size=size, error=error, values=values or {})


@page
async def show_room(request: web.Request, visit: Visit) -> web.Response:
    return await _room_page(request, visit)


async def _take(request: web.Request, visit: Visit, fields: dict[str, str], act: acts.Act, key: str,
                *, confirm: bool = False) -> web.Response:
    """Take `act` on the room about the path's `key`; its refusal (422) as the room's page."""
    room_id = parse_id(request.match_info["id"])
    values = {**fields, "subject": request.match_info[key], "act": request.path.rsplit("/", 1)[-1]}
    if confirm and fields.get("confirm") != "yes":
        return await _room_page(request, visit, status=422, values=values, error=visit._(
            "Tick the box to confirm the ban: the member is removed from the room."))
    try:
        await acts.act_on_room(runtime(request), visit.account, room_id, act, parse_id(request.match_info[key]),
                               fields.get("reason", "")[:5000])
    except PubHubError as error:
        if error.status != 422:
            raise
        return await _room_page(request, visit, status=422, values=values, error=visit._(error.message))
    return see_other(f"/admin/rooms/{room_id}")


def _decision(act: acts.Act, key: str, *, confirm: bool = False):
    """The POST handler that takes `act` about the path's `key`."""
    @form
    async def take(request: web.Request, visit: Visit, fields: dict[str, str]) -> web.Response:
        return await _take(request, visit, fields, act, key, confirm=confirm)
    return take


approve = _decision(acts.APPROVE, "item_id")
reject = _decision(acts.REJECT, "item_id")
ban = _decision(acts.BAN, "account_id", confirm=True)
unban = _decision(acts.UNBAN, "account_id")
accept_join = _decision(acts.ACCEPT_JOIN, "account_id")
refuse_join = _decision(acts.REFUSE_JOIN, "account_id")
