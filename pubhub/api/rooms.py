"""The admin API's rooms (`/api/v1/pubhub/rooms/:id`): the room and its policy, members and
bans, join requests, the queue, what it shared, and its decisions log. Reads need admin:read,
changes admin:write; only an admin or a moderator of the room's hub gets past `find_room` (403
for anyone else, and nothing changes). Lists are paged with Mastodon's Link header."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from aiohttp import web

from ..accounts.principal import Principal
from ..http.keys import runtime
from ..http.params import ok, read_params
from ..http.principal import requires
from ..accountability.reasons import Grounds, record_decision
from ..rooms import members, queue
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


async def _decide(request: web.Request, principal: Principal, decide, key: str, stated: Stated | None = None):
    """Run `decide(rt, session, by, room, target_id, reason)` on the room in one transaction; a
    decision that restricts (`stated`: its action, and whom or what it is about) stores its
    statement of reasons with it."""
    rt = runtime(request)
    data = await read_params(request, Reason)
    async with rt.db.write() as session:
        target = await find_room(session, principal.account, path_id(request))
        done = await decide(rt, session, principal.account, target, path_id(request, key), data.reason)
        if stated is not None:
            await _state_reasons(rt, session, principal, target, stated, done, data.reason)
        return rt, done


@dataclass(frozen=True)
class Stated:
    """A room decision that gets a statement of reasons: its action, and which account (or
    post) what the decision returns is about."""
    action: str
    subject: Callable[[object], tuple[object, object]]  # what was done -> (account, post)


def _an_account(account) -> tuple[object, object]:
    return account, None


def _a_ban(done) -> tuple[object, object]:
    return done[1], None  # (the ban, the account banned)


def _a_post(post) -> tuple[object, object]:
    return None, post.note  # a post of the queue, or one the room shared


async def _state_reasons(rt, session, principal: Principal, target, stated: Stated, done, reason: str | None) -> None:
    """The room's decision as a statement of reasons (DSA art. 17): its ground is the room's
    rules as the moderator applied them (their reason), and the author or member may appeal it."""
    account, note = stated.subject(done)
    grounds = Grounds(kind="room_rule", text=(reason or "").strip() or f"the rules of {target.actor.display_name}",
                      facts=f"in the room {target.actor.display_name or target.actor.username}")
    await record_decision(session, by=principal.account, action=stated.action, grounds=grounds, now=rt.clock.now(),
                          account=account, status=note, hub_id=target.room.hub_id, room_id=target.room.id)


@requires("admin:write", role="moderator")
async def ban(request: web.Request, principal: Principal) -> web.Response:
    rt, (banned, account) = await _decide(request, principal, members.ban, "account_id", stated=Stated("ban", _a_ban))
    return ok(ban_json(banned, account, rt.domain))


@requires("admin:write", role="moderator")
async def unban(request: web.Request, principal: Principal) -> web.Response:
    rt, account = await _decide(request, principal, members.unban, "account_id")
    return ok(account_json(account, rt.domain))


@requires("admin:write", role="moderator")
async def revoke_verification(request: web.Request, principal: Principal) -> web.Response:
    async def revoke(rt, session, by, target, account_id, reason):
        return await members.revoke_verification(rt, session, by, target, account_id, reason or "")
    rt, account = await _decide(request, principal, revoke, "account_id")
    return ok(account_json(account, rt.domain))


@requires("admin:write", role="moderator")
async def authorize_join(request: web.Request, principal: Principal) -> web.Response:
    async def accept(rt, session, by, target, account_id, reason):
        return await members.accept_join(rt, session, by, target, account_id)
    rt, account = await _decide(request, principal, accept, "account_id")
    return ok(account_json(account, rt.domain))


@requires("admin:write", role="moderator")
async def reject_join(request: web.Request, principal: Principal) -> web.Response:
    rt, account = await _decide(request, principal, members.refuse_join, "account_id", stated=Stated("refuse_join", _an_account))
    return ok(account_json(account, rt.domain))


@requires("admin:write", role="moderator")
async def approve(request: web.Request, principal: Principal) -> web.Response:
    async def share(rt, session, by, target, item_id, reason):
        return await queue.approve(rt, session, by, target, item_id)
    rt, post = await _decide(request, principal, share, "item_id")
    return ok(queued_json(post, rt.domain))


@requires("admin:write", role="moderator")
async def reject(request: web.Request, principal: Principal) -> web.Response:
    rt, post = await _decide(request, principal, queue.reject, "item_id", stated=Stated("reject", _a_post))
    return ok(queued_json(post, rt.domain))


@requires("admin:write", role="moderator")
async def remove_post(request: web.Request, principal: Principal) -> web.Response:
    rt, post = await _decide(request, principal, queue.remove, "status_id", stated=Stated("remove", _a_post))
    return ok(queued_json(post, rt.domain))


@requires("read:statuses")
async def my_post_moderation(request: web.Request, principal: Principal) -> web.Response:
    """What the rooms made of the caller's own post (state, and the reason of a refusal)."""
    rt = runtime(request)
    await read_params(request, NoParams)
    async with rt.db.read() as session:
        found = await decisions_on_my_post(session, principal.account, path_id(request))
    return ok([my_post_json(item, target, rt.domain) for item, target in found])
