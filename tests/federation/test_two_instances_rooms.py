"""Rooms between two real PubHub instances over real HTTP with real signatures: users on B find
a room on A through WebFinger, join it by following, post to it by mentioning it; A's room
policy (pre-moderation, approval joins, bans, members-only visibility) decides, and what the
room federates (Announce, Undo, Accept, Reject, a direct message) reaches B.

The moderator's decisions are taken through A's admin API (`/api/v1/pubhub/rooms/...`) with a
token of a moderator of the room's hub; a moderator of another hub is refused there."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from pubhub.activitypub.fetch import fetch_document
from pubhub.errors import FetchError
from pubhub.rooms.hubs import create_hub
from pubhub.store.models import Delivery, OutboundActivity
from tests.federation.test_two_instances import lookup, relationship, settle
from tests.social.test_visibility_paths import fetch
from tests.support import store
from tests.support.console import send, signed_in, staff
from tests.support.console_rooms import moderate_hub
from tests.support.instance import Instance
from tests.support.oauth import Browser
from tests.support.rooms import make_moderator, make_room


@dataclass
class Hub:
    a: Instance
    b: Instance
    moderator: str  # the token (admin scopes) of a moderator of the room's hub on A
    local_token: str  # a member on A
    tokens: dict  # B's users' tokens by name


@pytest.fixture
async def hub(make_database):
    a = await Instance(await make_database()).start()
    b = await Instance(await make_database()).start()
    try:
        async with a.runtime.db.write() as session:
            await create_hub(session, None, "oost", name="Oost", now=a.runtime.clock.now())
        moderator = await a.token_for(await make_moderator(a, "moderator"), "admin:read admin:write")
        tokens = {name: await b.token_for(await b.create_account(name)) for name in ("burger", "buurman")}
        yield Hub(a, b, moderator, await a.token_for(await a.create_account("bewoner")), tokens)
    finally:
        await a.stop()
        await b.stop()


async def _found_and_followed(hub: Hub, token: str, slug: str, *, on_a: bool = False) -> dict:
    """The room as B's user finds it (WebFinger through search), then followed."""
    server = hub.a if on_a else hub.b
    acct = slug if on_a else f"{slug}@{hub.a.domain}"
    if not on_a:
        status, found = await server.request("GET", "/api/v2/search", token=token,
                                             params={"q": f"@{acct}", "resolve": "true"})
        assert status == 200 and [x["uri"] for x in found["accounts"]] == [f"{hub.a.base}/users/{slug}"]
    account = await lookup(server, token, acct)
    assert account["group"] is True
    status, rel = await server.request("POST", f"/api/v1/accounts/{account['id']}/follow", token=token)
    assert status == 200, rel
    await settle(hub.a, hub.b)
    return account


async def _mention(hub: Hub, name: str, slug: str, text: str) -> dict:
    post = await hub.b.post_status(hub.tokens[name], status=f"@{slug}@{hub.a.domain} {text}")
    await settle(hub.a, hub.b)
    return post


async def _item(hub: Hub, post: dict):
    note = await store.note(hub.a, post["uri"])
    assert note is not None, "A never kept the post"
    return await store.one(hub.a, store.ModerationItem, store.ModerationItem.object_id == note.id)


async def _decide(hub: Hub, room, action: str, reason: str | None = None, *, token: str | None = None) -> tuple:
    """A moderator's decision through A's admin API: `action` is the path under the room."""
    status, body = await hub.a.request("POST", f"/api/v1/pubhub/rooms/{room.room.id}/{action}", token=token or hub.moderator,
                                       json={"reason": reason} if reason else {})
    await settle(hub.a, hub.b)
    return status, body


async def _room_activities(server: Instance, room_uri: str, kind: str) -> list:
    """What `server`'s inbox took from the room, of this type, applied."""
    return [row for row in await store.inbox_activities(server)
            if row.actor_uri == room_uri and row.type == kind and row.state == "done"]


async def _inboxes(server: Instance, activity_uri: str) -> list[str]:
    """Where `server` delivered the activity (one row per inbox), all done."""
    query = (select(Delivery.inbox, Delivery.state).join(OutboundActivity, OutboundActivity.id == Delivery.activity_id)
             .where(OutboundActivity.uri == activity_uri))
    async with server.runtime.db.read() as session:
        rows = (await session.execute(query)).all()
    assert {state for _, state in rows} == {"done"}
    return [inbox for inbox, _ in rows]


async def _reblogs(server: Instance, token: str, post_id: str) -> int:
    status, seen = await server.request("GET", f"/api/v1/statuses/{post_id}", token=token)
    assert status == 200, seen
    return seen["reblogs_count"]


async def test_a_pre_moderated_post_from_b_waits_then_a_moderator_shares_it_with_members_on_both(hub):
    room = await make_room(hub.a, moderation="pre")
    for name in ("burger", "buurman"):
        await _found_and_followed(hub, hub.tokens[name], room.slug)
        rel = await relationship(hub.b, hub.tokens[name], (await lookup(hub.b, hub.tokens[name],
                                                                        f"{room.slug}@{hub.a.domain}"))["id"])
        assert rel["following"] is True
    await _found_and_followed(hub, hub.local_token, room.slug, on_a=True)
    status, followers = await hub.a.get_ap(f"/users/{room.slug}/followers")
    assert followers["totalItems"] == 3

    post = await _mention(hub, "burger", room.slug, "Wanneer wordt de stoep gerepareerd?")
    item = await _item(hub, post)
    assert item.state == "pending"  # waits in A's queue
    assert await _room_activities(hub.b, room.actor.uri, "Announce") == []

    other = await hub.a.token_for(await make_moderator(hub.a, "elders", hub="west"), "admin:read admin:write")
    status, body = await _decide(hub, room, f"queue/{item.id}/approve", token=other)
    assert status == 403 and "error" in body  # a moderator of another hub
    assert (await _item(hub, post)).state == "pending"
    status, body = await _decide(hub, room, f"queue/{item.id}/approve")
    assert status == 200, body
    [announce] = await _room_activities(hub.b, room.actor.uri, "Announce")
    assert await _inboxes(hub.a, announce.uri) == [f"{hub.b.base}/inbox"]  # one POST for both B members
    assert await _reblogs(hub.b, hub.tokens["burger"], post["id"]) == 1  # B counts the room's boost
    on_a = await store.note(hub.a, post["uri"])
    assert await _reblogs(hub.a, hub.local_token, str(on_a.id)) == 1  # and so does A, for its member
    assert announce.uri == (await _item(hub, post)).announce_uri


async def test_a_rejected_post_is_never_announced_and_its_author_is_told_why(hub):
    room = await make_room(hub.a, moderation="pre")
    for name in ("burger", "buurman"):
        await _found_and_followed(hub, hub.tokens[name], room.slug)
    post = await _mention(hub, "burger", room.slug, "Koop mijn fiets!")
    item = await _item(hub, post)
    assert (await _decide(hub, room, f"queue/{item.id}/reject", "Geen advertenties"))[0] == 200
    assert await _room_activities(hub.b, room.actor.uri, "Announce") == []
    [message] = await _room_activities(hub.b, room.actor.uri, "Create")
    dm = await store.one(hub.b, store.Object, store.Object.in_reply_to_uri == post["uri"])
    assert dm.visibility == "direct" and "Geen advertenties" in dm.content
    assert (await _item(hub, post)).state == "rejected"


async def test_an_approval_room_accepts_a_member_from_b_only_after_the_moderator(hub):
    room = await make_room(hub.a, join="approval")
    account = await _found_and_followed(hub, hub.tokens["burger"], room.slug)
    assert account["locked"] is True
    rel = await relationship(hub.b, hub.tokens["burger"], account["id"])
    assert (rel["following"], rel["requested"]) == (False, True)
    assert await _room_activities(hub.b, room.actor.uri, "Accept") == []

    burger = await store.actor(hub.a, f"{hub.b.base}/users/burger")
    assert (await _decide(hub, room, f"follow_requests/{burger.id}/authorize"))[0] == 200
    assert len(await _room_activities(hub.b, room.actor.uri, "Accept")) == 1
    rel = await relationship(hub.b, hub.tokens["burger"], account["id"])
    assert (rel["following"], rel["requested"]) == (True, False)


async def test_removing_a_shared_post_sends_the_undo_to_the_members(hub):
    room = await make_room(hub.a, moderation="post")
    for name in ("burger", "buurman"):
        await _found_and_followed(hub, hub.tokens[name], room.slug)
    post = await _mention(hub, "buurman", room.slug, "Iets wat er niet hoort")
    assert len(await _room_activities(hub.b, room.actor.uri, "Announce")) == 1
    assert await _reblogs(hub.b, hub.tokens["buurman"], post["id"]) == 1
    note = await store.note(hub.a, post["uri"])

    assert (await _decide(hub, room, f"posts/{note.id}/remove", "Off-topic"))[0] == 200
    [undo] = await _room_activities(hub.b, room.actor.uri, "Undo")
    assert await _reblogs(hub.b, hub.tokens["buurman"], post["id"]) == 0  # B took the boost back
    assert (await _item(hub, post)).state == "removed"


async def test_a_banned_member_is_removed_and_their_later_posts_and_follows_are_refused(hub):
    room = await make_room(hub.a)
    account = await _found_and_followed(hub, hub.tokens["buurman"], room.slug)
    await _found_and_followed(hub, hub.tokens["burger"], room.slug)
    buurman = await store.actor(hub.a, f"{hub.b.base}/users/buurman")
    assert (await _decide(hub, room, f"members/{buurman.id}/ban", "Spam"))[0] == 200
    assert len(await _room_activities(hub.b, room.actor.uri, "Reject")) == 1
    assert (await relationship(hub.b, hub.tokens["buurman"], account["id"]))["following"] is False
    status, followers = await hub.a.get_ap(f"/users/{room.slug}/followers")
    assert followers["totalItems"] == 1

    await _mention(hub, "buurman", room.slug, "Toch nog even")
    assert await _room_activities(hub.b, room.actor.uri, "Announce") == []
    status, rel = await hub.b.request("POST", f"/api/v1/accounts/{account['id']}/follow",
                                      token=hub.tokens["buurman"])
    assert status == 200
    await settle(hub.a, hub.b)
    assert len(await _room_activities(hub.b, room.actor.uri, "Reject")) == 2
    rel = await relationship(hub.b, hub.tokens["buurman"], account["id"])
    assert (rel["following"], rel["requested"]) == (False, False)


async def test_a_members_only_room_answers_only_signed_fetches_from_a_member_s_server(hub, peer):
    room = await make_room(hub.a, visibility="members")
    outbox = f"{hub.a.base}/users/{room.slug}/outbox"
    b_signer = await hub.b.runtime.instance_signer()  # how Mastodon fetches: as the instance
    with pytest.raises(FetchError, match="answered 404"):
        await fetch_document(hub.b.runtime.client, outbox, signer=b_signer)  # nobody on B is a member yet

    await _found_and_followed(hub, hub.tokens["burger"], room.slug)
    document = await fetch_document(hub.b.runtime.client, outbox, signer=b_signer)
    assert document["type"] == "OrderedCollection"
    outsider = peer.add_actor("olga", key_index=3)
    assert (await fetch(hub.a, f"/users/{room.slug}/outbox", signer=outsider))[0] == 404  # another server
    assert (await fetch(hub.a, f"/users/{room.slug}/followers"))[0] == 404  # unsigned


async def test_a_post_approved_in_the_console_reaches_a_member_on_b(hub):
    """The console (A's /admin pages, over HTTP with its session and CSRF token) takes the same
    decision as the API: the member on B receives the room's Announce."""
    room = await make_room(hub.a, moderation="pre")
    for name in ("burger", "buurman"):
        await _found_and_followed(hub, hub.tokens[name], room.slug)
    post = await _mention(hub, "burger", room.slug, "Mag de lantaarnpaal weer aan?")
    item = await _item(hub, post)
    await moderate_hub(hub.a, await staff(hub.a, "marit"), "oost")
    browser = Browser(hub.a)
    try:
        await signed_in(browser, "marit")
        page = await browser.go("GET", f"/admin/rooms/{room.room.id}")
        answer = await send(browser, page, f"/admin/rooms/{room.room.id}/queue/{item.id}/approve")
    finally:
        await browser.close()
    assert answer.status == 303, answer.text
    await settle(hub.a, hub.b)
    [announce] = await _room_activities(hub.b, room.actor.uri, "Announce")
    assert announce.uri == (await _item(hub, post)).announce_uri
    assert await _reblogs(hub.b, hub.tokens["buurman"], post["id"]) == 1
