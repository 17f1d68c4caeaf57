"""Rooms in the console, for an admin (every room) or a hub moderator (their hubs' rooms: another
hub's room is 403, as in the API). Every decision is the API's own (rooms/acts.py): a rejection
and a ban store a statement of reasons, with the moderator's reason as its ground.

    GET  /admin/rooms                                      the rooms, their policy and queue size
    GET  /admin/rooms/{id}                                 settings, queue, join requests, members, bans
    POST /admin/rooms/{id}/settings                        change its name, description, rules, policy
    POST /admin/rooms/{id}/queue/{item_id}/approve         share a held post
    POST /admin/rooms/{id}/queue/{item_id}/reject          refuse it, with a reason
    POST /admin/rooms/{id}/members/{account_id}/ban        ban, with a reason and the box ticked
    POST /admin/rooms/{id}/members/{account_id}/unban      lift a ban
    POST /admin/rooms/{id}/follow_requests/{account_id}/authorize   accept a join request
    POST /admin/rooms/{id}/follow_requests/{account_id}/reject      refuse it

Settings are changed through the API's own update (rooms.directory.update_room, as PATCH
/api/v1/pubhub/rooms/:id): the same bounds, the attribute rule checked the same way, a new name,
description or join policy federated to the members' servers.

The queued posts are shown as stored (sanitised HTML, or ours composed escaped), as the reports
page shows reported posts. A refused decision (no reason, the post gone since) comes back as the
room's page with the reason (422) and changes nothing.
"""

from __future__ import annotations

import json

from aiohttp import web

from ...errors import BadRequest, PubHubError
from ...http.keys import runtime
from ...rooms import acts, members, queue
from ...identity.attribute_rules import parse_rule
from ...rooms.directory import find_room, member_count, policy_of, update_room
from ...rooms.verdicts import JOIN_POLICIES, MODERATION_MODES, POST_POLICIES, VISIBILITIES
from ...store.models import parse_id
from .access import Visit, form, page, see_other

SHOWN = 100
CHOICES = {"join": JOIN_POLICIES, "post": POST_POLICIES, "moderation": MODERATION_MODES, "visibility": VISIBILITIES}
SETTINGS = ("name", "description", "rules", *CHOICES)


def _rule_text(rule: dict | None) -> str:
    return json.dumps(rule, indent=2, ensure_ascii=False) if rule is not None else ""


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
                      asking=asking, joined=joined, banned=banned, size=size, error=error, values=values or {},
                      choices=CHOICES, rule_text=_rule_text(target.room.attribute_rule))


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


def _attribute_rule(visit: Visit, text: str) -> dict | None:
    """The form's attribute rule, checked as the API checks it; None when left empty."""
    if not text.strip():
        return None
    try:
        rule = json.loads(text)
    except ValueError:
        raise BadRequest(visit._("The attribute rule is not valid JSON."), status=422) from None
    try:
        return parse_rule(rule)
    except BadRequest as error:
        raise BadRequest(visit._("The attribute rule is not valid: %(problem)s", problem=error.message),
                         status=422) from None


@form
async def change_settings(request: web.Request, visit: Visit, fields: dict[str, str]) -> web.Response:
    rt = runtime(request)
    room_id = parse_id(request.match_info["id"])
    given = {name: fields[name] for name in SETTINGS if name in fields}
    try:
        rule = _attribute_rule(visit, fields.get("rule", "")[:20000])
        async with rt.db.write() as session:
            target = await find_room(session, visit.account, room_id)
            await update_room(rt, session, visit.account, target, attribute_rule=rule, **given)
    except PubHubError as error:
        if error.status not in (400, 422):
            raise
        return await _room_page(request, visit, status=422, values={**fields, "subject": "settings"},
                                error=visit._(error.message))
    return see_other(f"/admin/rooms/{room_id}#settings")
