"""Who may reach the hubs and rooms admin API (`/api/v1/pubhub/`), over real HTTP: reads need
admin:read, changes admin:write; admins manage every hub; a hub's moderators only their own
hub's rooms, queue and members (not the hub itself, nor its moderators). Every refusal (no
token, a token without the admin scope, a read-only token on a change, an account whose role is
user, a moderator of another hub) is refused and changes nothing."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from pubhub.rooms import members, queue
from pubhub.rooms.directory import room_named
from pubhub.store.models import (Actor, Delivery, Follow, Hub, HubModerator, ModerationItem, OutboundActivity, Room,
                                 RoomBan, RoomDecision)
from tests.api.test_scopes import api_routes
from tests.support import store
from tests.support.rooms import join, make_moderator, make_room, post_to, submit

OUTSIDE = {"error": "This action is outside the authorized scopes"}
NOT_ALLOWED = {"error": "This action is not allowed"}
INVALID = {"error": "The access token is invalid"}


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    body: dict | None = None
    admin_only: bool = False  # the hub itself and its moderators: not for the hub's moderators

    @property
    def writes(self) -> bool:
        return self.method != "GET"


CALLS = [
    Call("GET", "/api/v1/pubhub/hubs/{hub}"),
    Call("PATCH", "/api/v1/pubhub/hubs/{hub}", {"name": "Overgenomen"}, admin_only=True),
    Call("GET", "/api/v1/pubhub/hubs/{hub}/moderators"),
    Call("POST", "/api/v1/pubhub/hubs/{hub}/moderators", {"account_id": "{intruder}"}, admin_only=True),
    Call("DELETE", "/api/v1/pubhub/hubs/{hub}/moderators/{mod_a}", admin_only=True),
    Call("GET", "/api/v1/pubhub/hubs/{hub}/rooms"),
    Call("POST", "/api/v1/pubhub/hubs/{hub}/rooms", {"slug": "nieuw", "name": "Nieuw"}),
    Call("GET", "/api/v1/pubhub/rooms/{room}"),
    Call("PATCH", "/api/v1/pubhub/rooms/{room}", {"moderation": "none", "name": "Anders"}),
    Call("GET", "/api/v1/pubhub/rooms/{room}/members"),
    Call("POST", "/api/v1/pubhub/rooms/{room}/members/{member}/ban", {"reason": "spam"}),
    Call("POST", "/api/v1/pubhub/rooms/{room}/members/{banned}/unban", {"reason": "spijt"}),
    Call("POST", "/api/v1/pubhub/rooms/{room}/members/{member}/revoke_verification", {"reason": "verhuisd"}),
    Call("GET", "/api/v1/pubhub/rooms/{room}/bans"),
    Call("GET", "/api/v1/pubhub/rooms/{room}/follow_requests"),
    Call("POST", "/api/v1/pubhub/rooms/{room}/follow_requests/{pending}/authorize"),
    Call("POST", "/api/v1/pubhub/rooms/{room}/follow_requests/{pending}/reject"),
    Call("GET", "/api/v1/pubhub/rooms/{room}/queue"),
    Call("POST", "/api/v1/pubhub/rooms/{room}/queue/{item}/approve"),
    Call("POST", "/api/v1/pubhub/rooms/{room}/queue/{item}/reject", {"reason": "off topic"}),
    Call("GET", "/api/v1/pubhub/rooms/{room}/posts"),
    Call("POST", "/api/v1/pubhub/rooms/{room}/posts/{shared}/remove", {"reason": "off topic"}),
    Call("GET", "/api/v1/pubhub/rooms/{room}/log"),
]
HUB_LIST = [Call("GET", "/api/v1/pubhub/hubs"), Call("POST", "/api/v1/pubhub/hubs", {"slug": "zuid", "name": "Zuid"},
                                                       admin_only=True)]


@dataclass
class World:
    instance: object
    ids: dict
    admin: object
    mod_a: object  # moderates hub "oost", which holds the room
    mod_b: object  # moderates hub "west"
    user: object   # was a moderator, now role user: its admin token is left over

    def fill(self, call: Call) -> tuple[str, dict | None]:
        body = {k: v.format(**self.ids) for k, v in call.body.items()} if call.body else None
        return call.path.format(**self.ids), body


@pytest.fixture
async def world(instance, peer) -> World:
    admin = await instance.create_account("beheer", role="admin")
    mod_a, mod_b = await make_moderator(instance, "moda"), await make_moderator(instance, "modb", hub="west")
    await make_room(instance, "west_room", hub="west")
    room = await make_room(instance, join="approval", moderation="pre")
    user = await instance.create_account("gewezen", role="moderator")
    intruder = await instance.create_account("indringer", role="moderator")
    alice, bob, carol, dave = (peer.add_actor(n, key_index=i) for i, n in enumerate(("alice", "bob", "carol", "dave"), 1))
    for actor in (alice, bob, carol, dave):
        await join(instance, peer, actor, room)
    rt = instance.runtime
    ids = {"hub": str(room.room.hub_id), "room": str(room.room.id), "mod_a": str(mod_a.id), "intruder": str(intruder.id)}
    alice_row, carol_row, dave_row = [await store.actor(instance, a.uri) for a in (alice, carol, dave)]
    async with rt.db.write() as session:
        target = await room_named(session, "wijkraad")
        await members.accept_join(rt, session, None, target, alice_row.id)
        await members.accept_join(rt, session, None, target, carol_row.id)
        await members.accept_join(rt, session, None, target, dave_row.id)
        await members.ban(rt, session, None, target, carol_row.id, "trol")
    ids.update(member=str(dave_row.id), banned=str(carol_row.id),
               pending=str((await store.actor(instance, bob.uri)).id))
    held = await post_to(instance, peer, alice, room)
    ids["item"] = str((await submit(instance, "wijkraad", held["id"])).item.id)
    shared = await post_to(instance, peer, alice, room, "Tweede vraag")
    approved = await submit(instance, "wijkraad", shared["id"])
    async with rt.db.write() as session:
        await queue.approve(rt, session, None, await room_named(session, "wijkraad"), approved.item.id)
    ids["shared"] = str(approved.item.object_id)
    return World(instance, ids, admin, mod_a, mod_b, user)


async def snapshot(instance) -> tuple:
    async with instance.runtime.db.read() as session:
        counts = [(await session.execute(select(func.count()).select_from(model))).scalar_one()
                  for model in (Hub, HubModerator, Room, RoomBan, RoomDecision, Follow, Delivery, OutboundActivity)]
        states = sorted((await session.execute(select(ModerationItem.id, ModerationItem.state))).all())
        hubs = sorted((await session.execute(select(Hub.id, Hub.name))).all())
        rooms = sorted((await session.execute(select(Room.id, Room.moderation, Room.join_policy))).all())
        names = sorted((await session.execute(select(Actor.id, Actor.display_name))).all())
        follows = sorted((await session.execute(select(Follow.id, Follow.state))).all())
    return counts, states, hubs, rooms, names, follows


async def refused(world: World, call: Call, token: str | None, expected: tuple[int, dict]) -> None:
    path, body = world.fill(call)
    before = await snapshot(world.instance)
    status, answer = await world.instance.request(call.method, path, token=token, json=body)
    assert (status, answer) == expected, f"{call.method} {path}"
    assert await snapshot(world.instance) == before, f"{call.method} {path} changed something"


ROUTE_NAMES = {"hub": "id", "room": "id", "mod_a": "account_id", "member": "account_id", "banned": "account_id",
               "pending": "account_id", "item": "item_id", "shared": "status_id"}


async def test_every_pubhub_route_declares_the_admin_scope_it_needs_and_is_tested_here(instance):
    routes = {key: handler for key, handler in api_routes(instance).items() if key[1].startswith("/api/v1/pubhub/")}
    own_post = ("GET", "/api/v1/pubhub/statuses/{id}/moderation")  # the author's: tests/api/test_room_posts.py
    assert routes[own_post].scopes == ("read:statuses",)
    # An account's own tokens (an admin's: anyone's): tests/api/test_tokens_api.py.
    own_tokens = {("GET", "/api/v1/pubhub/tokens"): ("read:accounts", "admin:read:accounts"),
                  ("DELETE", "/api/v1/pubhub/tokens/{id}"): ("write:accounts", "admin:write:accounts")}
    # Statements of reasons and appeals (tests/api/test_decisions_appeals.py), the audit log
    # (tests/api/test_audit_log.py).
    own_tokens.update({
        ("GET", "/api/v1/pubhub/decisions"): ("read:accounts",),
        ("GET", "/api/v1/pubhub/decisions/{id}"): ("read:accounts",),
        ("POST", "/api/v1/pubhub/decisions/{id}/appeal"): ("write:accounts",),
        ("GET", "/api/v1/pubhub/appeals"): ("admin:read:accounts",),
        ("POST", "/api/v1/pubhub/appeals/{id}/uphold"): ("admin:write:accounts",),
        ("POST", "/api/v1/pubhub/appeals/{id}/reverse"): ("admin:write:accounts",),
        ("GET", "/api/v1/pubhub/audit_log"): ("admin:read",),
        # Proving a room's attribute rule, the member's own (tests/identity/test_gated_rooms.py).
        ("POST", "/api/v1/pubhub/rooms/{id}/verifications"): ("write:follows",),
        ("POST", "/api/v1/pubhub/verifications/{id}/complete"): ("write:follows",),
        # The moderator role's grant and the instance rules (tests/api/test_roles_and_rules.py).
        ("GET", "/api/v1/pubhub/roles/moderator"): ("admin:read",),
        ("PUT", "/api/v1/pubhub/roles/moderator"): ("admin:write",),
        ("GET", "/api/v1/pubhub/rules"): ("admin:read",),
        ("POST", "/api/v1/pubhub/rules"): ("admin:write",),
        ("PUT", "/api/v1/pubhub/rules/{id}"): ("admin:write",),
        ("DELETE", "/api/v1/pubhub/rules/{id}"): ("admin:write",),
        # Reports (tests/api/test_my_reports.py, test_report_forwarding.py, test_status_removal.py).
        ("GET", "/api/v1/pubhub/reports"): ("read:accounts",),
        ("POST", "/api/v1/pubhub/reports/{id}/forward"): ("admin:write:reports",),
        ("POST", "/api/v1/pubhub/statuses/{id}/remove"): ("admin:write:reports",),
    })
    # The transparency report needs no token (tests/api/test_transparency.py).
    public = ("GET", "/api/v1/pubhub/transparency")
    assert not hasattr(routes.pop(public), "scopes")
    for key, scopes in own_tokens.items():
        assert routes[key].scopes == scopes, key
    tested = {(c.method, c.path.format(**{k: "{" + v + "}" for k, v in ROUTE_NAMES.items()})) for c in CALLS + HUB_LIST}
    assert set(routes) - {own_post} - set(own_tokens) == tested
    for (method, path), handler in routes.items():
        if (method, path) != own_post and (method, path) not in own_tokens:
            assert handler.scopes == (("admin:read",) if method == "GET" else ("admin:write",)), path


async def test_without_a_token_or_the_admin_scope_it_is_refused(world):
    no_admin = await world.instance.token_for(world.admin, "read write follow")
    reader = await world.instance.token_for(world.admin, "admin:read")
    writer = await world.instance.token_for(world.admin, "admin:write")
    for call in CALLS + HUB_LIST:
        await refused(world, call, None, (401, INVALID))
        await refused(world, call, no_admin, (403, OUTSIDE))
        await refused(world, call, reader if call.writes else writer, (403, OUTSIDE))


async def test_an_account_that_is_no_longer_staff_is_refused(world):
    token = await world.instance.token_for(world.user, "admin:read admin:write")
    async with world.instance.runtime.db.write() as session:
        (await session.get(Actor, world.user.id)).role = "user"
    for call in CALLS + HUB_LIST:
        await refused(world, call, token, (403, NOT_ALLOWED))


async def test_a_moderator_of_another_hub_is_refused(world):
    token = await world.instance.token_for(world.mod_b, "admin:read admin:write")
    for call in CALLS:
        await refused(world, call, token, (403, NOT_ALLOWED))


async def test_the_hubs_own_moderator_may_not_change_the_hub_or_its_moderators(world):
    token = await world.instance.token_for(world.mod_a, "admin:read admin:write")
    for call in [c for c in CALLS + HUB_LIST if c.admin_only]:
        await refused(world, call, token, (403, NOT_ALLOWED))


@pytest.mark.parametrize("who", ["mod_a", "admin"])
async def test_the_hubs_moderator_and_an_admin_are_let_through(world, who):
    token = await world.instance.token_for(getattr(world, who), "admin:read admin:write")
    # (Rejecting what was just approved or authorized is refused: those are tested on their own.)
    # (Revoking needs a verification to revoke: tests/identity/test_gated_rooms.py.)
    second = {"/api/v1/pubhub/rooms/{room}/follow_requests/{pending}/reject", "/api/v1/pubhub/rooms/{room}/queue/{item}/reject",
              "/api/v1/pubhub/rooms/{room}/members/{member}/revoke_verification"}
    for call in [c for c in CALLS if (not c.admin_only or who == "admin") and c.path not in second]:
        path, body = world.fill(call)
        status, answer = await world.instance.request(call.method, path, token=token, json=body)
        assert status == 200, f"{call.method} {path}: {status} {answer}"


async def test_a_moderator_lists_only_its_own_hubs(world):
    status, listed = await world.instance.request("GET", "/api/v1/pubhub/hubs",
                                                  token=await world.instance.token_for(world.mod_a, "admin:read"))
    assert status == 200 and [h["slug"] for h in listed] == ["oost"]
    status, listed = await world.instance.request("GET", "/api/v1/pubhub/hubs",
                                                  token=await world.instance.token_for(world.admin, "admin:read"))
    assert status == 200 and [h["slug"] for h in listed] == ["west", "oost"]
