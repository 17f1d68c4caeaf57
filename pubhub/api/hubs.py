"""The admin API's hubs (`/api/v1/pubhub/hubs`): list, create, read, change; their moderators;
their rooms. A token with admin:read (reads) or admin:write (changes) reaches these; the
caller's role and hub assignments decide what it may touch (`pubhub.rooms.authority`)."""

from __future__ import annotations

from aiohttp import web

from ..accounts.principal import Principal
from ..errors import NotFound
from ..http.keys import runtime
from ..http.params import ok, read_params
from ..http.principal import requires
from ..rooms import hubs
from ..rooms.authority import require_admin
from ..rooms.directory import RoomPolicy, create_room, member_count, rooms_of_hub
from ..store.models import parse_id
from .paging import link_header, page_bounds
from .room_schemas import AddModerator, CreateHub, CreateRoom, UpdateHub
from .room_serializers import hub_json, room_json
from .schemas import NoParams, Page
from .serializers import account_json


def path_id(request: web.Request, key: str = "id") -> int:
    found = parse_id(request.match_info[key])
    if found is None:
        raise NotFound("Record not found")
    return found


@requires("admin:read", role="moderator")
async def list_hubs(request: web.Request, principal: Principal) -> web.Response:
    rt = runtime(request)
    page = await read_params(request, Page)
    async with rt.db.read() as session:
        found = await hubs.list_hubs(session, principal.account, **page_bounds(page))
    return ok([hub_json(h) for h in found], headers=link_header(request, [h.id for h in found], page.limit))


@requires("admin:write", role="moderator")
async def create_hub(request: web.Request, principal: Principal) -> web.Response:
    rt = runtime(request)
    require_admin(principal.account)  # before the parameters: a moderator learns nothing
    data = await read_params(request, CreateHub)
    async with rt.db.write() as session:
        hub = await hubs.create_hub(session, principal.account, data.slug, name=data.name,
                                    description=data.description, rules=data.rules, now=rt.clock.now())
    return ok(hub_json(hub, [], rt.domain))


@requires("admin:read", role="moderator")
async def get_hub(request: web.Request, principal: Principal) -> web.Response:
    rt = runtime(request)
    await read_params(request, NoParams)
    async with rt.db.read() as session:
        hub = await hubs.find_hub(session, principal.account, path_id(request))
        moderators = await hubs.moderators(session, hub)
    return ok(hub_json(hub, moderators, rt.domain))


@requires("admin:write", role="moderator")
async def update_hub(request: web.Request, principal: Principal) -> web.Response:
    rt = runtime(request)
    data = await read_params(request, UpdateHub)
    async with rt.db.write() as session:
        hub = await hubs.find_hub(session, principal.account, path_id(request))
        await hubs.update_hub(session, principal.account, hub, name=data.name, description=data.description,
                              rules=data.rules)
        moderators = await hubs.moderators(session, hub)
    return ok(hub_json(hub, moderators, rt.domain))


@requires("admin:read", role="moderator")
async def list_moderators(request: web.Request, principal: Principal) -> web.Response:
    rt = runtime(request)
    await read_params(request, NoParams)
    async with rt.db.read() as session:
        moderators = await hubs.moderators(session, await hubs.find_hub(session, principal.account, path_id(request)))
    return ok([account_json(m, rt.domain) for m in moderators])


@requires("admin:write", role="moderator")
async def add_moderator(request: web.Request, principal: Principal) -> web.Response:
    rt = runtime(request)
    data = await read_params(request, AddModerator)
    async with rt.db.write() as session:
        hub = await hubs.find_hub(session, principal.account, path_id(request))
        await hubs.add_moderator(session, principal.account, hub, parse_id(data.account_id), rt.clock.now())
        moderators = await hubs.moderators(session, hub)
    return ok([account_json(m, rt.domain) for m in moderators])


@requires("admin:write", role="moderator")
async def remove_moderator(request: web.Request, principal: Principal) -> web.Response:
    rt = runtime(request)
    await read_params(request, NoParams)
    async with rt.db.write() as session:
        hub = await hubs.find_hub(session, principal.account, path_id(request))
        await hubs.remove_moderator(session, principal.account, hub, path_id(request, "account_id"))
        moderators = await hubs.moderators(session, hub)
    return ok([account_json(m, rt.domain) for m in moderators])


@requires("admin:read", role="moderator")
async def list_rooms(request: web.Request, principal: Principal) -> web.Response:
    rt = runtime(request)
    page = await read_params(request, Page)
    async with rt.db.read() as session:
        hub = await hubs.find_hub(session, principal.account, path_id(request))
        found = await rooms_of_hub(session, principal.account, hub, **page_bounds(page))
        bodies = [room_json(r, rt.domain, await member_count(session, r)) for r in found]
    return ok(bodies, headers=link_header(request, [r.room.id for r in found], page.limit))


@requires("admin:write", role="moderator")
async def add_room(request: web.Request, principal: Principal) -> web.Response:
    rt = runtime(request)
    data = await read_params(request, CreateRoom)
    policy = RoomPolicy(join=data.join, post=data.post, moderation=data.moderation, visibility=data.visibility,
                        attribute_rule=data.attribute_rule())
    async with rt.db.write() as session:
        hub = await hubs.find_hub(session, principal.account, path_id(request))
        made = await create_room(rt, session, principal.account, hub, data.slug, name=data.name,
                                 description=data.description, rules=data.rules, policy=policy)
    return ok(room_json(made, rt.domain, 0))
