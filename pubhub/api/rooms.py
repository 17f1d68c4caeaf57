"""The admin API's rooms (`/api/v1/pubhub/rooms/:id`): the room and its policy, members and
bans, join requests, the queue, what it shared, and its decisions log. Reads need admin:read,
changes admin:write; only an admin or a moderator of the room's hub gets past `find_room` (403
for anyone else, and nothing changes). Lists are paged with Mastodon's Link header."""

from __future__ import annotations

from aiohttp import web

from ..accounts.principal import Principal
from ..http.keys import runtime
from ..http.params import ok, read_params
from ..http.principal import requires
from ..store.models import parse_id
from ..rooms import acts, members, queue
from ..rooms.decisions import read_log
from ..rooms.directory import find_room, member_count, update_room
from ..rooms.queue import decisions_on_my_post
from .hubs import path_id
from .paging import link_header, page_bounds
from .room_schemas import Reason, UpdateRoom
from .room_serializers import ban_json, decision_json, my_post_json, queued_json, room_json
from .schemas import NoParams, Page
from .serializers import account_json


async def _room_json(session, rt, target) -> dict:
    return room_json(target, rt.domain, await member_count(session, target))


@requires("admin:read", role="moderator")
async def get_room(request: web.Request, principal: Principal) -> web.Response:
    rt = runtime(request)
    await read_params(request, NoParams)
    async with rt.db.read() as session:
        return ok(await _room_json(session, rt, await find_room(session, principal.account, path_id(request))))


@requires("admin:write", role="moderator")
async def change_room(request: web.Request, principal: Principal) -> web.Response:
    rt = runtime(request)
    data = await read_params(request, UpdateRoom)
    async with rt.db.write() as session:
        target = await find_room(session, principal.account, path_id(request))
        await update_room(rt, session, principal.account, target, name=data.name, description=data.description,
                          rules=data.rules, join=data.join, post=data.post, moderation=data.moderation,
                          visibility=data.visibility, attribute_rule=data.attribute_rule())
        return ok(await _room_json(session, rt, target))


async def _page(request: web.Request, principal: Principal, read, shape, key) -> web.Response:
    """A page of one of the room's lists: `read(session, room, **bounds)`, each row shown by
    `shape` and paged by `key(row)`."""
    rt = runtime(request)
    page = await read_params(request, Page)
    async with rt.db.read() as session:
        target = await find_room(session, principal.account, path_id(request))
        rows = await read(session, target, **page_bounds(page))
    return ok([shape(row, rt.domain) for row in rows], headers=link_header(request, [key(r) for r in rows], page.limit))


@requires("admin:read", role="moderator")
async def list_members(request: web.Request, principal: Principal) -> web.Response:
    return await _page(request, principal, members.members, lambda row, domain: account_json(row[1], domain),
                       lambda row: row[0].id)


@requires("admin:read", role="moderator")
async def list_join_requests(request: web.Request, principal: Principal) -> web.Response:
    return await _page(request, principal, members.join_requests, lambda row, domain: account_json(row[1], domain),
                       lambda row: row[0].id)


@requires("admin:read", role="moderator")
async def list_bans(request: web.Request, principal: Principal) -> web.Response:
    return await _page(request, principal, members.bans, lambda row, domain: ban_json(row[0], row[1], domain),
                       lambda row: row[0].id)


@requires("admin:read", role="moderator")
async def list_queue(request: web.Request, principal: Principal) -> web.Response:
    return await _page(request, principal, queue.queue, queued_json, lambda post: post.item.id)


@requires("admin:read", role="moderator")
async def list_posts(request: web.Request, principal: Principal) -> web.Response:
    return await _page(request, principal, queue.shared_posts, queued_json, lambda post: post.item.id)


@requires("admin:read", role="moderator")
async def decisions_log(request: web.Request, principal: Principal) -> web.Response:
    async def read(session, target, **bounds):
        return await read_log(session, target.room.id, **bounds)
    return await _page(request, principal, read, decision_json, lambda logged: logged.decision.id)


async def _decide(request: web.Request, principal: Principal, act: acts.Act, key: str):
    """Take the room decision `act` (rooms/acts.py: with its statement of reasons when it
    restricts) about the path's `key`, with the body's reason."""
    rt = runtime(request)
    data = await read_params(request, Reason)
    return rt, await acts.act_on_room(rt, principal.account, path_id(request), act,
                                          parse_id(request.match_info[key]), data.reason)


@requires("admin:write", role="moderator")
async def ban(request: web.Request, principal: Principal) -> web.Response:
    rt, (banned, account) = await _decide(request, principal, acts.BAN, "account_id")
    return ok(ban_json(banned, account, rt.domain))


@requires("admin:write", role="moderator")
async def unban(request: web.Request, principal: Principal) -> web.Response:
    rt, account = await _decide(request, principal, acts.UNBAN, "account_id")
    return ok(account_json(account, rt.domain))


@requires("admin:write", role="moderator")
async def revoke_verification(request: web.Request, principal: Principal) -> web.Response:
    rt, account = await _decide(request, principal, acts.REVOKE_VERIFICATION, "account_id")
    return ok(account_json(account, rt.domain))


@requires("admin:write", role="moderator")
async def authorize_join(request: web.Request, principal: Principal) -> web.Response:
    rt, account = await _decide(request, principal, acts.ACCEPT_JOIN, "account_id")
    return ok(account_json(account, rt.domain))


@requires("admin:write", role="moderator")
async def reject_join(request: web.Request, principal: Principal) -> web.Response:
    rt, account = await _decide(request, principal, acts.REFUSE_JOIN, "account_id")
    return ok(account_json(account, rt.domain))


@requires("admin:write", role="moderator")
async def approve(request: web.Request, principal: Principal) -> web.Response:
    rt, post = await _decide(request, principal, acts.APPROVE, "item_id")
    return ok(queued_json(post, rt.domain))


@requires("admin:write", role="moderator")
async def reject(request: web.Request, principal: Principal) -> web.Response:
    rt, post = await _decide(request, principal, acts.REJECT, "item_id")
    return ok(queued_json(post, rt.domain))


@requires("admin:write", role="moderator")
async def remove_post(request: web.Request, principal: Principal) -> web.Response:
    rt, post = await _decide(request, principal, acts.REMOVE, "status_id")
    return ok(queued_json(post, rt.domain))


@requires("read:statuses")
async def my_post_moderation(request: web.Request, principal: Principal) -> web.Response:
    """What the rooms made of the caller's own post (state, and the reason of a refusal)."""
    rt = runtime(request)
    await read_params(request, NoParams)
    async with rt.db.read() as session:
        found = await decisions_on_my_post(session, principal.account, path_id(request))
    return ok([my_post_json(item, target, rt.domain) for item, target in found])
