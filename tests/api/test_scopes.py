"""Scopes and roles on the client API: every endpoint declares Mastodon's scope, a token
without it is refused (403, Mastodon's body) and changes nothing, broad scopes cover their
sub-scopes, bad or missing tokens are 401, tokens are stored as SHA-256 only, and the
principal's scope and role rules hold on their own.

The expected scopes and messages are written out here (from Mastodon's documentation), not
imported from pubhub, so a change in the code cannot silently change what the test expects."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import aiohttp
import pytest
from aiohttp import web
from sqlalchemy import select, update

from pubhub.accounts.principal import SCOPES, Principal, parse_scopes, role_at_least, scope_covers
from pubhub.errors import BadRequest, Forbidden
from pubhub.http.keys import RUNTIME
from pubhub.http.middlewares import errors_as_json
from pubhub.http.principal import requires
from pubhub.store.models import (Actor, Bookmark, Delivery, Follow, FollowedTag, Interaction, Notification, Object, Pin,
                                 PollVote, Token)
from tests.social.test_images import jpeg_with_location
from tests.support.instance import bound_socket
from tests.support.store import count

OUTSIDE = {"error": "This action is outside the authorized scopes"}
INVALID = {"error": "The access token is invalid"}
NOT_ALLOWED = "This action is not allowed"

# Mastodon's scopes (docs.joinmastodon.org/api/oauth-scopes/).
BROAD = ("read", "write", "follow", "push", "profile", "admin:read", "admin:write")
READ_SUBS = tuple(f"read:{s}" for s in (
    "accounts", "blocks", "bookmarks", "favourites", "filters", "follows", "lists", "mutes", "notifications",
    "search", "statuses"))
WRITE_SUBS = tuple(f"write:{s}" for s in (
    "accounts", "blocks", "bookmarks", "conversations", "favourites", "filters", "follows", "lists", "media",
    "mutes", "notifications", "reports", "statuses"))
ADMIN_OBJECTS = ("accounts", "reports", "domain_allows", "domain_blocks", "ip_blocks", "email_domain_blocks",
                 "canonical_email_blocks")
ADMIN_SUBS = tuple(f"admin:read:{s}" for s in ADMIN_OBJECTS) + tuple(f"admin:write:{s}" for s in ADMIN_OBJECTS)
FOLLOW_COVERS = ("read:follows", "write:follows", "read:blocks", "write:blocks", "read:mutes", "write:mutes")


def all_but(scopes: tuple[str, ...], *left_out: str) -> str:
    assert set(left_out) <= set(scopes)
    return " ".join(s for s in scopes if s not in left_out)


# ---- the world every endpoint test runs in ---------------------------------------------------

@dataclass
class World:
    instance: object
    alice: Actor    # the caller; role admin, so her tokens may carry admin scopes too
    bob: Actor      # the other account
    full: str       # alice's token with read write follow, to set things up
    bob_status: str  # a public status of bob's


@pytest.fixture
async def world(instance) -> World:
    alice = await instance.create_account("alice", role="admin")
    bob = await instance.create_account("bob")
    full = await instance.token_for(alice, "read write follow")
    status, body = await instance.request("POST", "/api/v1/statuses", token=await instance.token_for(bob),
                                          json={"status": "Openbare status van bob"})
    assert status == 200, body
    return World(instance, alice, bob, full, body["id"])


async def snapshot(instance) -> tuple:
    """What an API call could change: statuses (and whether deleted), follows, deliveries, the
    account's own things about statuses (favourites and boosts), and followed hashtags."""
    async with instance.runtime.db.read() as session:
        objects = sorted((row.id, row.author_id, row.deleted_at is None)
                         for row in await session.execute(select(Object.id, Object.author_id, Object.deleted_at)))
        follows = sorted(tuple(row) for row in await session.execute(
            select(Follow.follower_id, Follow.target_id, Follow.state)))
        own = sorted(tuple(row) for row in await session.execute(
            select(Interaction.kind, Interaction.actor_id, Interaction.object_id)))
        for model in (Bookmark, Pin):
            own += sorted((model.__tablename__, *row) for row in await session.execute(
                select(model.account_id, model.object_id)))
        own += sorted(("poll_votes", *row) for row in await session.execute(
            select(PollVote.actor_id, PollVote.object_id, PollVote.choice)))
        tags = sorted(tuple(row) for row in await session.execute(select(FollowedTag.account_id, FollowedTag.name)))
    return objects, follows, await count(instance, Delivery), own, tags


@dataclass
class Call:
    path: str
    options: dict = field(default_factory=dict)
    status_id: str | None = None


async def request(world: World, method: str, call: Call, **extra):
    options = {**call.options}
    params = {**options.pop("params", {}), **extra.pop("params", {})}
    if params:
        options["params"] = params
    return await world.instance.request(method, call.path, **options, **extra)


# ---- each endpoint: how to call it, and what success looks like -------------------------------

async def _post_status(w: World) -> Call:
    return Call("/api/v1/statuses", {"json": {"status": "Gepland onderhoud"}})


async def _posted(w: World, call: Call, body, before, after) -> None:
    assert body["content"] == "<p>Gepland onderhoud</p>" and body["account"]["id"] == str(w.alice.id)
    new = [row for row in after[0] if row not in before[0]]
    assert new == [(int(body["id"]), w.alice.id, True)] and after[1:] == before[1:]


async def _bob_status(w: World) -> Call:
    return Call(f"/api/v1/statuses/{w.bob_status}")


async def _context(w: World) -> Call:
    return Call(f"/api/v1/statuses/{w.bob_status}/context")


async def _bob_poll(w: World) -> str:
    status, body = await w.instance.request("POST", "/api/v1/statuses", token=await w.instance.token_for(w.bob), json={
        "status": "Welke dag?", "poll": {"options": ["dinsdag", "vrijdag"], "expires_in": 3600}})
    assert status == 200, body
    return body["poll"]["id"]


async def _poll(w: World) -> Call:
    return Call(f"/api/v1/polls/{await _bob_poll(w)}")


async def _read_poll(w: World, call: Call, body, before, after) -> None:
    assert [o["title"] for o in body["options"]] == ["dinsdag", "vrijdag"] and body["voted"] is False
    assert after == before


async def _vote(w: World) -> Call:
    return Call(f"/api/v1/polls/{await _bob_poll(w)}/votes", {"json": {"choices": [1]}})


async def _voted(w: World, call: Call, body, before, after) -> None:
    assert body["own_votes"] == [1] and body["options"][1]["votes_count"] == 1
    new = [row for row in after[3] if row not in before[3]]
    assert new == [("poll_votes", w.alice.id, int(body["id"]), 1)] and after[:3] == before[:3] and after[4:] == before[4:]


async def _own_status(w: World) -> Call:
    status, body = await w.instance.request("POST", "/api/v1/statuses", token=w.full, json={"status": "Weg ermee"})
    assert status == 200, body
    return Call(f"/api/v1/statuses/{body['id']}", status_id=body["id"])


async def _deleted(w: World, call: Call, body, before, after) -> None:
    assert body["id"] == call.status_id
    gone = (int(call.status_id), w.alice.id)
    assert [row for row in before[0] if row[:2] != gone] == [row for row in after[0] if row[:2] != gone]
    assert gone + (True,) in before[0] and gone + (False,) in after[0]


async def _read_status(w: World, call: Call, body, before, after) -> None:
    assert body["id"] == w.bob_status and after == before


async def _read_context(w: World, call: Call, body, before, after) -> None:
    assert body == {"ancestors": [], "descendants": []} and after == before


async def _verify(w: World) -> Call:
    return Call("/api/v1/accounts/verify_credentials")


async def _verified(w: World, call: Call, body, before, after) -> None:
    assert body["username"] == "alice" and body["id"] == str(w.alice.id) and after == before


async def _lookup(w: World) -> Call:
    return Call("/api/v1/accounts/lookup", {"params": {"acct": "bob"}})


async def _account(w: World) -> Call:
    return Call(f"/api/v1/accounts/{w.bob.id}")


async def _is_bob(w: World, call: Call, body, before, after) -> None:
    assert body["username"] == "bob" and body["id"] == str(w.bob.id) and after == before


async def _relationships(w: World) -> Call:
    return Call("/api/v1/accounts/relationships", {"params": {"id[]": str(w.bob.id)}})


async def _related(w: World, call: Call, body, before, after) -> None:
    assert [r["id"] for r in body] == [str(w.bob.id)] and after == before


async def _follow(w: World) -> Call:
    status, body = await w.instance.request("POST", f"/api/v1/accounts/{w.bob.id}/unfollow", token=w.full)
    assert status == 200 and body["following"] is False, body
    return Call(f"/api/v1/accounts/{w.bob.id}/follow")


async def _followed(w: World, call: Call, body, before, after) -> None:
    assert body["id"] == str(w.bob.id) and body["following"] is True
    assert (w.alice.id, w.bob.id, "accepted") not in before[1]
    assert after[1] == sorted(before[1] + [(w.alice.id, w.bob.id, "accepted")]) and after[0] == before[0]


async def _unfollow(w: World) -> Call:
    status, body = await w.instance.request("POST", f"/api/v1/accounts/{w.bob.id}/follow", token=w.full)
    assert status == 200 and body["following"] is True, body
    return Call(f"/api/v1/accounts/{w.bob.id}/unfollow")


async def _unfollowed(w: World, call: Call, body, before, after) -> None:
    assert body["id"] == str(w.bob.id) and body["following"] is False
    assert (w.alice.id, w.bob.id, "accepted") in before[1]
    assert after[1] == [f for f in before[1] if f[:2] != (w.alice.id, w.bob.id)] and after[0] == before[0]


async def _tag_follow(w: World) -> Call:
    status, body = await w.instance.request("POST", "/api/v1/tags/afval/unfollow", token=w.full)
    assert status == 200 and body["following"] is False, body
    return Call("/api/v1/tags/Afval/follow")


async def _tag_followed(w: World, call: Call, body, before, after) -> None:
    assert body["name"] == "afval" and body["following"] is True
    assert (w.alice.id, "afval") not in before[4] and after[4] == sorted(before[4] + [(w.alice.id, "afval")])
    assert after[:4] == before[:4]


async def _tag_unfollow(w: World) -> Call:
    status, body = await w.instance.request("POST", "/api/v1/tags/afval/follow", token=w.full)
    assert status == 200 and body["following"] is True, body
    return Call("/api/v1/tags/afval/unfollow")


async def _tag_unfollowed(w: World, call: Call, body, before, after) -> None:
    assert body["name"] == "afval" and body["following"] is False
    assert (w.alice.id, "afval") in before[4] and (w.alice.id, "afval") not in after[4] and after[:4] == before[:4]


async def _followed_tags(w: World) -> Call:
    status, body = await w.instance.request("POST", "/api/v1/tags/afval/follow", token=w.full)
    assert status == 200, body
    return Call("/api/v1/followed_tags")


async def _tags_listed(w: World, call: Call, body, before, after) -> None:
    assert [(t["name"], t["following"]) for t in body] == [("afval", True)] and after == before


async def _search(w: World) -> Call:
    return Call("/api/v2/search", {"params": {"q": "bob"}})


async def _found(w: World, call: Call, body, before, after) -> None:
    assert [a["username"] for a in body["accounts"]] == ["bob"] and after == before


async def _bob_asks(w: World) -> None:
    """alice is locked and bob's follow of her waits for her answer."""
    async with w.instance.runtime.db.write() as session:
        await session.execute(update(Actor).where(Actor.id == w.alice.id).values(manually_approves=True))
    bob = await w.instance.token_for(w.bob)
    await w.instance.request("POST", f"/api/v1/accounts/{w.alice.id}/unfollow", token=bob)
    status, body = await w.instance.request("POST", f"/api/v1/accounts/{w.alice.id}/follow", token=bob)
    assert status == 200 and body["requested"] is True, body


async def _follow_requests(w: World) -> Call:
    await _bob_asks(w)
    return Call("/api/v1/follow_requests")


async def _listed(w: World, call: Call, body, before, after) -> None:
    assert [a["id"] for a in body] == [str(w.bob.id)] and after == before


async def _authorize(w: World) -> Call:
    await _bob_asks(w)
    return Call(f"/api/v1/follow_requests/{w.bob.id}/authorize")


async def _authorized(w: World, call: Call, body, before, after) -> None:
    assert body["id"] == str(w.bob.id) and body["followed_by"] is True
    assert (w.bob.id, w.alice.id, "pending") in before[1]
    assert after[1] == sorted([f for f in before[1] if f[:2] != (w.bob.id, w.alice.id)] + [(w.bob.id, w.alice.id, "accepted")])


async def _reject(w: World) -> Call:
    await _bob_asks(w)
    return Call(f"/api/v1/follow_requests/{w.bob.id}/reject")


async def _rejected(w: World, call: Call, body, before, after) -> None:
    assert body["id"] == str(w.bob.id) and body["followed_by"] is False
    assert (w.bob.id, w.alice.id, "pending") in before[1]
    assert after[1] == [f for f in before[1] if f[:2] != (w.bob.id, w.alice.id)] and after[0] == before[0]


async def _update_credentials(w: World) -> Call:
    return Call("/api/v1/accounts/update_credentials", {"json": {"display_name": "Alice B."}})


async def _updated(w: World, call: Call, body, before, after) -> None:
    assert body["id"] == str(w.alice.id) and body["display_name"] == "Alice B."
    assert after[:2] == before[:2]  # (an Update is queued for her followers: a delivery row)


async def _preferences(w: World) -> Call:
    return Call("/api/v1/preferences")


async def _preferred(w: World, call: Call, body, before, after) -> None:
    assert body["posting:default:visibility"] == "public" and after == before


def _timeline(path: str):
    async def prepare(w: World) -> Call:
        return Call(path.format(bob=w.bob.id))
    return prepare


async def _timeline_read(w: World, call: Call, body, before, after) -> None:
    assert isinstance(body, list) and after == before


def _image_form() -> aiohttp.FormData:
    body = aiohttp.FormData()
    body.add_field("file", jpeg_with_location((40, 30)), filename="kaart.jpg", content_type="image/jpeg")
    return body


async def _upload_v1(w: World) -> Call:
    return Call("/api/v1/media", {"data": _image_form()})


async def _upload_v2(w: World) -> Call:
    return Call("/api/v2/media", {"data": _image_form()})


async def _uploaded(w: World, call: Call, body, before, after) -> None:
    assert body["type"] == "image" and body["meta"]["original"]["width"] == 40 and after == before


async def _an_upload(w: World) -> Call:
    status, body = await w.instance.request("POST", "/api/v2/media", token=w.full, data=_image_form())
    assert status == 200, body
    return Call(f"/api/v1/media/{body['id']}", {"json": {"description": "Kaart"}})


async def _media_shown(w: World, call: Call, body, before, after) -> None:
    assert call.path.endswith(body["id"]) and after == before


async def _media_described(w: World, call: Call, body, before, after) -> None:
    assert body["description"] == "Kaart" and after == before


async def _markers(w: World) -> Call:
    return Call("/api/v1/markers", {"params": {"timeline[]": "home"}})


async def _save_marker(w: World) -> Call:
    return Call("/api/v1/markers", {"json": {"home": {"last_read_id": w.bob_status}}})


async def _marked(w: World, call: Call, body, before, after) -> None:
    assert body == {} or body["home"]["last_read_id"] == w.bob_status
    assert after == before


async def _filters_v1(w: World) -> Call:
    return Call("/api/v1/filters")


async def _filters_v2(w: World) -> Call:
    return Call("/api/v2/filters")


async def _no_filters(w: World, call: Call, body, before, after) -> None:
    assert body == [] and after == before


async def _report(w: World) -> Call:
    return Call("/api/v1/reports", {"json": {"account_id": str(w.bob.id), "status_ids": [w.bob_status],
                                             "comment": "Reclame"}})


async def _reported(w: World, call: Call, body, before, after) -> None:
    assert body["target_account"]["id"] == str(w.bob.id) and body["status_ids"] == [w.bob_status]
    assert after == before  # (the report is a row of its own, held by tests/api/test_reports.py)


async def _notifications(w: World) -> Call:
    return Call("/api/v1/notifications")


async def _bob_mentions_alice(w: World) -> Call:
    """A notification of alice's: bob mentions her (a new status each time, so a new one)."""
    status, body = await w.instance.request("POST", "/api/v1/statuses", token=await w.instance.token_for(w.bob),
                                            json={"status": "@alice graag uw reactie"})
    assert status == 200, body
    status, found = await w.instance.request("GET", "/api/v1/notifications", token=await w.instance.token_for(w.alice, "read"),
                                            params={"limit": "1"})
    assert status == 200 and found[0]["status"]["id"] == body["id"], found
    return Call(f"/api/v1/notifications/{found[0]['id']}", status_id=found[0]["id"])


async def _a_notification(w: World) -> Call:
    return await _bob_mentions_alice(w)


async def _to_dismiss(w: World) -> Call:
    call = await _bob_mentions_alice(w)
    return Call(call.path + "/dismiss", status_id=call.status_id)


async def _to_clear(w: World) -> Call:
    await _bob_mentions_alice(w)
    return Call("/api/v1/notifications/clear")


async def _notifications_read(w: World, call: Call, body, before, after) -> None:
    assert isinstance(body, list) and after == before


async def _notification_shown(w: World, call: Call, body, before, after) -> None:
    assert body["id"] == call.status_id and body["type"] == "mention" and after == before


async def _notification_dismissed(w: World, call: Call, body, before, after) -> None:
    assert body == {} and after == before
    assert await count(w.instance, Notification, Notification.id == int(call.status_id)) == 0


async def _notifications_cleared(w: World, call: Call, body, before, after) -> None:
    assert body == {} and after == before
    assert await count(w.instance, Notification, Notification.account_id == w.alice.id) == 0


def _on_bob_status(action: str, *, first: str | None = None):
    """POST /api/v1/statuses/:id/ACTION on bob's status, after `first` (its opposite) by alice."""
    async def prepare(w: World) -> Call:
        if first:
            status, body = await w.instance.request("POST", f"/api/v1/statuses/{w.bob_status}/{first}", token=w.full)
            assert status == 200, body
        return Call(f"/api/v1/statuses/{w.bob_status}/{action}")
    return prepare


def _reacted(kind: str, *, present: bool, field: str):
    async def succeeded(w: World, call: Call, body, before, after) -> None:
        status = body.get("reblog") or body
        assert status["id"] == w.bob_status and status[field] is present
        row = (kind, w.alice.id, int(w.bob_status))
        assert (row in after[3]) is present and (row in before[3]) is not present
        assert after[:2] == before[:2]
    return succeeded


def _on_own_status(action: str, *, first: str | None = None):
    """POST /api/v1/statuses/:id/ACTION on a new public status of alice's, after `first`."""
    async def prepare(w: World) -> Call:
        own = await _own_status(w)
        if first:
            status, body = await w.instance.request("POST", f"{own.path}/{first}", token=w.full)
            assert status == 200, body
        return Call(f"{own.path}/{action}", status_id=own.status_id)
    return prepare


def _pinned(present: bool):
    async def succeeded(w: World, call: Call, body, before, after) -> None:
        assert body["id"] == call.status_id and body["pinned"] is present
        row = ("pins", w.alice.id, int(call.status_id))
        assert (row in after[3]) is present and (row in before[3]) is not present and after[2] == before[2]
    return succeeded


async def _bookmarks(w: World) -> Call:
    status, body = await w.instance.request("POST", f"/api/v1/statuses/{w.bob_status}/bookmark", token=w.full)
    assert status == 200, body
    return Call("/api/v1/bookmarks")


async def _bookmarks_read(w: World, call: Call, body, before, after) -> None:
    assert [s["id"] for s in body] == [w.bob_status] and after == before


def _who(which: str, first: str):
    async def prepare(w: World) -> Call:
        status, body = await w.instance.request("POST", f"/api/v1/statuses/{w.bob_status}/{first}", token=w.full)
        assert status == 200, body
        return Call(f"/api/v1/statuses/{w.bob_status}/{which}")
    return prepare


async def _alice_listed(w: World, call: Call, body, before, after) -> None:
    assert [a["id"] for a in body] == [str(w.alice.id)] and after == before


async def _edit_own(w: World) -> Call:
    own = await _own_status(w)
    return Call(own.path, {"json": {"status": "Bewerkt"}}, status_id=own.status_id)


async def _edited(w: World, call: Call, body, before, after) -> None:
    assert body["id"] == call.status_id and body["content"] == "<p>Bewerkt</p>" and body["edited_at"]
    assert after[0] == before[0] and after[1] == before[1]


async def _history(w: World) -> Call:
    return Call(f"/api/v1/statuses/{w.bob_status}/history")


async def _read_history(w: World, call: Call, body, before, after) -> None:
    assert [v["content"] for v in body] == ["<p>Openbare status van bob</p>"] and after == before


async def _source(w: World) -> Call:
    return Call(f"/api/v1/statuses/{w.bob_status}/source")


async def _read_source(w: World, call: Call, body, before, after) -> None:
    assert body == {"id": w.bob_status, "text": "Openbare status van bob", "spoiler_text": ""} and after == before


@dataclass(frozen=True)
class Endpoint:
    method: str
    route: str                      # as registered on the router
    declares: frozenset[str]        # Mastodon's scope(s) for it
    granted_by: tuple[str, ...]     # token scopes that must be let through
    denied: tuple[str, ...]         # token scopes that must get 403 and change nothing
    prepare: Callable[[World], Awaitable[Call]]
    succeeded: Callable[..., Awaitable[None]]

    def __str__(self) -> str:
        return f"{self.method} {self.route}"


# Admin scopes, push and profile never stand in for the client scopes.
OTHERS = "push profile admin:read admin:write " + " ".join(ADMIN_SUBS[:2] + ADMIN_SUBS[7:9])

ENDPOINTS = (
    Endpoint("POST", "/api/v1/statuses", frozenset({"write:statuses"}), ("write:statuses", "write", "write:statuses read"),
             (f"read follow {OTHERS}", all_but(WRITE_SUBS, "write:statuses"), " ".join(READ_SUBS)),
             _post_status, _posted),
    Endpoint("GET", "/api/v1/statuses/{id}", frozenset({"read:statuses"}), ("read:statuses", "read"),
             (f"write follow {OTHERS}", all_but(READ_SUBS, "read:statuses"), " ".join(WRITE_SUBS)),
             _bob_status, _read_status),
    Endpoint("DELETE", "/api/v1/statuses/{id}", frozenset({"write:statuses"}), ("write:statuses", "write"),
             (f"read follow {OTHERS}", all_but(WRITE_SUBS, "write:statuses"), " ".join(READ_SUBS)),
             _own_status, _deleted),
    Endpoint("GET", "/api/v1/statuses/{id}/context", frozenset({"read:statuses"}), ("read:statuses", "read"),
             (f"write follow {OTHERS}", all_but(READ_SUBS, "read:statuses"), " ".join(WRITE_SUBS)),
             _context, _read_context),
    Endpoint("GET", "/api/v1/polls/{id}", frozenset({"read:statuses"}), ("read:statuses", "read"),
             (f"write follow {OTHERS}", all_but(READ_SUBS, "read:statuses"), " ".join(WRITE_SUBS)),
             _poll, _read_poll),
    Endpoint("POST", "/api/v1/polls/{id}/votes", frozenset({"write:statuses"}), ("write:statuses", "write"),
             (f"read follow {OTHERS}", all_but(WRITE_SUBS, "write:statuses"), " ".join(READ_SUBS)),
             _vote, _voted),
    Endpoint("PUT", "/api/v1/statuses/{id}", frozenset({"write:statuses"}), ("write:statuses", "write"),
             (f"read follow {OTHERS}", all_but(WRITE_SUBS, "write:statuses"), " ".join(READ_SUBS)),
             _edit_own, _edited),
    Endpoint("GET", "/api/v1/statuses/{id}/history", frozenset({"read:statuses"}), ("read:statuses", "read"),
             (f"write follow {OTHERS}", all_but(READ_SUBS, "read:statuses"), " ".join(WRITE_SUBS)),
             _history, _read_history),
    Endpoint("GET", "/api/v1/statuses/{id}/source", frozenset({"read:statuses"}), ("read:statuses", "read"),
             (f"write follow {OTHERS}", all_but(READ_SUBS, "read:statuses"), " ".join(WRITE_SUBS)),
             _source, _read_source),
    Endpoint("POST", "/api/v1/statuses/{id}/favourite", frozenset({"write:favourites"}), ("write:favourites", "write"),
             (f"read follow {OTHERS}", all_but(WRITE_SUBS, "write:favourites"), " ".join(READ_SUBS)),
             _on_bob_status("favourite", first="unfavourite"), _reacted("Like", present=True, field="favourited")),
    Endpoint("POST", "/api/v1/statuses/{id}/unfavourite", frozenset({"write:favourites"}), ("write:favourites", "write"),
             (f"read follow {OTHERS}", all_but(WRITE_SUBS, "write:favourites"), " ".join(READ_SUBS)),
             _on_bob_status("unfavourite", first="favourite"), _reacted("Like", present=False, field="favourited")),
    Endpoint("POST", "/api/v1/statuses/{id}/reblog", frozenset({"write:statuses"}), ("write:statuses", "write"),
             (f"read follow {OTHERS}", all_but(WRITE_SUBS, "write:statuses"), " ".join(READ_SUBS)),
             _on_bob_status("reblog", first="unreblog"), _reacted("Announce", present=True, field="reblogged")),
    Endpoint("POST", "/api/v1/statuses/{id}/unreblog", frozenset({"write:statuses"}), ("write:statuses", "write"),
             (f"read follow {OTHERS}", all_but(WRITE_SUBS, "write:statuses"), " ".join(READ_SUBS)),
             _on_bob_status("unreblog", first="reblog"), _reacted("Announce", present=False, field="reblogged")),
    Endpoint("GET", "/api/v1/statuses/{id}/favourited_by", frozenset({"read:accounts"}), ("read:accounts", "read"),
             (f"write follow {OTHERS}", "profile", all_but(READ_SUBS, "read:accounts"), " ".join(WRITE_SUBS)),
             _who("favourited_by", "favourite"), _alice_listed),
    Endpoint("GET", "/api/v1/statuses/{id}/reblogged_by", frozenset({"read:accounts"}), ("read:accounts", "read"),
             (f"write follow {OTHERS}", "profile", all_but(READ_SUBS, "read:accounts"), " ".join(WRITE_SUBS)),
             _who("reblogged_by", "reblog"), _alice_listed),
    Endpoint("POST", "/api/v1/statuses/{id}/bookmark", frozenset({"write:bookmarks"}), ("write:bookmarks", "write"),
             (f"read follow {OTHERS}", all_but(WRITE_SUBS, "write:bookmarks"), " ".join(READ_SUBS)),
             _on_bob_status("bookmark", first="unbookmark"), _reacted("bookmarks", present=True, field="bookmarked")),
    Endpoint("POST", "/api/v1/statuses/{id}/unbookmark", frozenset({"write:bookmarks"}), ("write:bookmarks", "write"),
             (f"read follow {OTHERS}", all_but(WRITE_SUBS, "write:bookmarks"), " ".join(READ_SUBS)),
             _on_bob_status("unbookmark", first="bookmark"), _reacted("bookmarks", present=False, field="bookmarked")),
    Endpoint("GET", "/api/v1/bookmarks", frozenset({"read:bookmarks"}), ("read:bookmarks", "read"),
             (f"write follow {OTHERS}", all_but(READ_SUBS, "read:bookmarks"), " ".join(WRITE_SUBS)),
             _bookmarks, _bookmarks_read),
    Endpoint("POST", "/api/v1/statuses/{id}/pin", frozenset({"write:accounts"}), ("write:accounts", "write"),
             (f"read follow {OTHERS}", all_but(WRITE_SUBS, "write:accounts"), " ".join(READ_SUBS)),
             _on_own_status("pin"), _pinned(True)),
    Endpoint("POST", "/api/v1/statuses/{id}/unpin", frozenset({"write:accounts"}), ("write:accounts", "write"),
             (f"read follow {OTHERS}", all_but(WRITE_SUBS, "write:accounts"), " ".join(READ_SUBS)),
             _on_own_status("unpin", first="pin"), _pinned(False)),
    Endpoint("GET", "/api/v1/accounts/verify_credentials", frozenset({"read:accounts", "profile"}),
             ("read:accounts", "read", "profile"),
             ("write follow push admin:read admin:write admin:read:accounts", "read:statuses",
              all_but(READ_SUBS, "read:accounts"), " ".join(WRITE_SUBS)),
             _verify, _verified),
    Endpoint("PATCH", "/api/v1/accounts/update_credentials", frozenset({"write:accounts"}), ("write:accounts", "write"),
             (f"read follow {OTHERS}", "profile", all_but(WRITE_SUBS, "write:accounts"), " ".join(READ_SUBS)),
             _update_credentials, _updated),
    Endpoint("GET", "/api/v1/accounts/lookup", frozenset({"read:accounts"}), ("read:accounts", "read"),
             (f"write follow {OTHERS}", "profile", all_but(READ_SUBS, "read:accounts"), " ".join(WRITE_SUBS)),
             _lookup, _is_bob),
    Endpoint("GET", "/api/v1/accounts/relationships", frozenset({"read:follows"}), ("read:follows", "read", "follow"),
             (f"write {OTHERS}", all_but(READ_SUBS, "read:follows"), " ".join(WRITE_SUBS)),
             _relationships, _related),
    Endpoint("GET", "/api/v1/accounts/{id}", frozenset({"read:accounts"}), ("read:accounts", "read"),
             (f"write follow {OTHERS}", "profile", all_but(READ_SUBS, "read:accounts"), " ".join(WRITE_SUBS)),
             _account, _is_bob),
    Endpoint("POST", "/api/v1/accounts/{id}/follow", frozenset({"write:follows"}), ("write:follows", "write", "follow"),
             (f"read {OTHERS}", all_but(WRITE_SUBS, "write:follows"), " ".join(READ_SUBS)),
             _follow, _followed),
    Endpoint("POST", "/api/v1/accounts/{id}/unfollow", frozenset({"write:follows"}), ("write:follows", "write", "follow"),
             (f"read {OTHERS}", all_but(WRITE_SUBS, "write:follows"), " ".join(READ_SUBS)),
             _unfollow, _unfollowed),
    Endpoint("GET", "/api/v1/follow_requests", frozenset({"read:follows"}), ("read:follows", "read", "follow"),
             (f"write {OTHERS}", all_but(READ_SUBS, "read:follows"), " ".join(WRITE_SUBS)),
             _follow_requests, _listed),
    Endpoint("POST", "/api/v1/follow_requests/{id}/authorize", frozenset({"write:follows"}),
             ("write:follows", "write", "follow"),
             (f"read {OTHERS}", all_but(WRITE_SUBS, "write:follows"), " ".join(READ_SUBS)),
             _authorize, _authorized),
    Endpoint("POST", "/api/v1/follow_requests/{id}/reject", frozenset({"write:follows"}),
             ("write:follows", "write", "follow"),
             (f"read {OTHERS}", all_but(WRITE_SUBS, "write:follows"), " ".join(READ_SUBS)),
             _reject, _rejected),
    Endpoint("POST", "/api/v1/tags/{name}/follow", frozenset({"write:follows"}), ("write:follows", "write", "follow"),
             (f"read {OTHERS}", all_but(WRITE_SUBS, "write:follows"), " ".join(READ_SUBS)),
             _tag_follow, _tag_followed),
    Endpoint("POST", "/api/v1/tags/{name}/unfollow", frozenset({"write:follows"}), ("write:follows", "write", "follow"),
             (f"read {OTHERS}", all_but(WRITE_SUBS, "write:follows"), " ".join(READ_SUBS)),
             _tag_unfollow, _tag_unfollowed),
    Endpoint("GET", "/api/v1/followed_tags", frozenset({"read:follows"}), ("read:follows", "read", "follow"),
             (f"write {OTHERS}", all_but(READ_SUBS, "read:follows"), " ".join(WRITE_SUBS)),
             _followed_tags, _tags_listed),
    Endpoint("GET", "/api/v2/search", frozenset({"read:search"}), ("read:search", "read"),
             (f"write follow {OTHERS}", all_but(READ_SUBS, "read:search"), " ".join(WRITE_SUBS)),
             _search, _found),
    Endpoint("GET", "/api/v1/preferences", frozenset({"read:accounts"}), ("read:accounts", "read"),
             (f"write follow {OTHERS}", "profile", all_but(READ_SUBS, "read:accounts"), " ".join(WRITE_SUBS)),
             _preferences, _preferred),
    Endpoint("GET", "/api/v1/markers", frozenset({"read:statuses"}), ("read:statuses", "read"),
             (f"write follow {OTHERS}", all_but(READ_SUBS, "read:statuses"), " ".join(WRITE_SUBS)),
             _markers, _marked),
    Endpoint("POST", "/api/v1/markers", frozenset({"write:statuses"}), ("write:statuses", "write"),
             (f"read follow {OTHERS}", all_but(WRITE_SUBS, "write:statuses"), " ".join(READ_SUBS)),
             _save_marker, _marked),
    Endpoint("GET", "/api/v1/timelines/home", frozenset({"read:statuses"}), ("read:statuses", "read"),
             (f"write follow {OTHERS}", all_but(READ_SUBS, "read:statuses"), " ".join(WRITE_SUBS)),
             _timeline("/api/v1/timelines/home"), _timeline_read),
    Endpoint("GET", "/api/v1/timelines/public", frozenset({"read:statuses"}), ("read:statuses", "read"),
             (f"write follow {OTHERS}", all_but(READ_SUBS, "read:statuses"), " ".join(WRITE_SUBS)),
             _timeline("/api/v1/timelines/public"), _timeline_read),
    Endpoint("GET", "/api/v1/timelines/tag/{hashtag}", frozenset({"read:statuses"}), ("read:statuses", "read"),
             (f"write follow {OTHERS}", all_but(READ_SUBS, "read:statuses"), " ".join(WRITE_SUBS)),
             _timeline("/api/v1/timelines/tag/afval"), _timeline_read),
    Endpoint("GET", "/api/v1/accounts/{id}/statuses", frozenset({"read:statuses"}), ("read:statuses", "read"),
             (f"write follow {OTHERS}", all_but(READ_SUBS, "read:statuses"), " ".join(WRITE_SUBS)),
             _timeline("/api/v1/accounts/{bob}/statuses"), _timeline_read),
    Endpoint("POST", "/api/v1/media", frozenset({"write:media"}), ("write:media", "write"),
             (f"read follow {OTHERS}", all_but(WRITE_SUBS, "write:media"), " ".join(READ_SUBS)),
             _upload_v1, _uploaded),
    Endpoint("POST", "/api/v2/media", frozenset({"write:media"}), ("write:media", "write"),
             (f"read follow {OTHERS}", all_but(WRITE_SUBS, "write:media"), " ".join(READ_SUBS)),
             _upload_v2, _uploaded),
    Endpoint("GET", "/api/v1/media/{id}", frozenset({"write:media"}), ("write:media", "write"),
             (f"read follow {OTHERS}", all_but(WRITE_SUBS, "write:media"), " ".join(READ_SUBS)),
             _an_upload, _media_shown),
    Endpoint("PUT", "/api/v1/media/{id}", frozenset({"write:media"}), ("write:media", "write"),
             (f"read follow {OTHERS}", all_but(WRITE_SUBS, "write:media"), " ".join(READ_SUBS)),
             _an_upload, _media_described),
    Endpoint("GET", "/api/v1/filters", frozenset({"read:filters"}), ("read:filters", "read"),
             (f"write follow {OTHERS}", all_but(READ_SUBS, "read:filters"), " ".join(WRITE_SUBS)),
             _filters_v1, _no_filters),
    Endpoint("GET", "/api/v2/filters", frozenset({"read:filters"}), ("read:filters", "read"),
             (f"write follow {OTHERS}", all_but(READ_SUBS, "read:filters"), " ".join(WRITE_SUBS)),
             _filters_v2, _no_filters),
    Endpoint("POST", "/api/v1/reports", frozenset({"write:reports"}), ("write:reports", "write"),
             (f"read follow {OTHERS}", all_but(WRITE_SUBS, "write:reports"), " ".join(READ_SUBS)),
             _report, _reported),
    Endpoint("GET", "/api/v1/notifications", frozenset({"read:notifications"}), ("read:notifications", "read"),
             (f"write follow {OTHERS}", all_but(READ_SUBS, "read:notifications"), " ".join(WRITE_SUBS)),
             _notifications, _notifications_read),
    Endpoint("GET", "/api/v1/notifications/{id}", frozenset({"read:notifications"}), ("read:notifications", "read"),
             (f"write follow {OTHERS}", all_but(READ_SUBS, "read:notifications"), " ".join(WRITE_SUBS)),
             _a_notification, _notification_shown),
    Endpoint("POST", "/api/v1/notifications/{id}/dismiss", frozenset({"write:notifications"}),
             ("write:notifications", "write"),
             (f"read follow {OTHERS}", all_but(WRITE_SUBS, "write:notifications"), " ".join(READ_SUBS)),
             _to_dismiss, _notification_dismissed),
    Endpoint("POST", "/api/v1/notifications/clear", frozenset({"write:notifications"}),
             ("write:notifications", "write"),
             (f"read follow {OTHERS}", all_but(WRITE_SUBS, "write:notifications"), " ".join(READ_SUBS)),
             _to_clear, _notifications_cleared),
)
# No token needed (as in Mastodon): the instance documents, registering an app, custom emojis.
PUBLIC_ROUTES = {("GET", "/api/v1/instance"), ("GET", "/api/v2/instance"), ("GET", "/api/v1/instance/rules"),
                 ("GET", "/api/v1/pubhub/transparency"),
                 ("GET", "/api/v1/instance/domain_blocks"), ("POST", "/api/v1/apps"), ("GET", "/api/v1/custom_emojis"),
                 ("GET", "/api/openapi.json"), ("GET", "/api/v1/streaming/health"),
                 ("GET", "/api/v1/tags/{name}")}
# The streaming API (Mastodon's scopes; it streams, so its refusals and answers are tested in
# tests/api/test_streaming.py, not by the rows above).
STREAMING_ROUTES = {("GET", "/api/v1/streaming"): {"read:statuses", "read:notifications"},
                    ("GET", "/api/v1/streaming/user"): {"read:statuses"},
                    ("GET", "/api/v1/streaming/user/notification"): {"read:notifications"},
                    ("GET", "/api/v1/streaming/public"): {"read:statuses"},
                    ("GET", "/api/v1/streaming/public/local"): {"read:statuses"}}
# Any valid token, of an account or of an app alone (tests/api/test_oauth.py).
ANY_TOKEN_ROUTES = {("GET", "/api/v1/apps/verify_credentials")}


# ---- 1. what each route declares --------------------------------------------------------------

def api_routes(instance, *, slashed: bool = False) -> dict[tuple[str, str], object]:
    """Method and path → handler of every /api/ route; the trailing-slash twins (same handler,
    see test_every_api_route_also_answers_with_a_trailing_slash) only with `slashed`."""
    routes = {}
    for route in instance.runner.app.router.routes():
        path = route.resource.canonical if route.resource is not None else ""
        if path.startswith("/api/") and route.method != "HEAD" and (slashed or not path.endswith("/")):
            routes[(route.method, path)] = route.handler  # (aiohttp adds HEAD beside each GET)
    return routes


async def test_every_api_route_also_answers_with_a_trailing_slash(instance):
    """Rails (Mastodon) routes take a trailing slash; Mastodon.py asks for /api/v1/instance/."""
    routes, everything = api_routes(instance), api_routes(instance, slashed=True)
    assert routes
    for (method, path), handler in routes.items():
        assert everything[(method, path + "/")] is handler, path
    assert len(everything) == 2 * len(routes)


async def test_every_api_route_but_the_instance_declares_known_scopes(instance):
    routes = api_routes(instance)
    assert all(key in routes and not hasattr(routes[key], "scopes") for key in PUBLIC_ROUTES)
    assert all(routes[key].scopes == () and routes[key].app_ok for key in ANY_TOKEN_ROUTES)
    undeclared = [key for key, handler in routes.items()
                  if key not in PUBLIC_ROUTES | ANY_TOKEN_ROUTES and not getattr(handler, "scopes", ())]
    assert undeclared == [], "these /api/ routes have no @requires(scope)"
    mastodon = set(BROAD + READ_SUBS + WRITE_SUBS + ADMIN_SUBS)
    for key, handler in routes.items():
        assert set(getattr(handler, "scopes", ())) <= mastodon, key
    status, body = await instance.request("GET", "/api/v1/instance")
    assert status == 200 and body["domain"] == instance.domain


# Mastodon's admin API (admin scopes and the admin role; refusals held by
# tests/api/test_admin_domain_blocks.py) and PubHub's own (hubs and rooms; tests/api/test_room_access.py).
ADMIN_API = ("/api/v1/admin/", "/api/v2/admin/")
PUBHUB_API = "/api/v1/pubhub/"


async def test_each_endpoint_declares_mastodons_scope(instance):
    routes = api_routes(instance)
    listed = {(e.method, e.route) for e in ENDPOINTS}
    clients = {key for key in routes if not key[1].startswith((*ADMIN_API, PUBHUB_API))}
    assert clients - PUBLIC_ROUTES - ANY_TOKEN_ROUTES - set(STREAMING_ROUTES) == listed, \
        "every /api/ route needs a row in ENDPOINTS (and so its tests)"
    for endpoint in ENDPOINTS:
        assert frozenset(routes[(endpoint.method, endpoint.route)].scopes) == endpoint.declares, str(endpoint)
    for key, scopes in STREAMING_ROUTES.items():
        assert set(routes[key].scopes) == scopes, key


# ---- 2. a token without the scope is refused; the scope or a broader one is enough -----------

@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
async def test_a_token_without_the_scope_gets_403_and_changes_nothing(world, endpoint):
    for scopes in endpoint.denied:
        token = await world.instance.token_for(world.alice, scopes)
        call = await endpoint.prepare(world)
        before = await snapshot(world.instance)
        status, body = await request(world, endpoint.method, call, token=token)
        assert (status, body) == (403, OUTSIDE), f"{endpoint} with {scopes!r}"
        assert await snapshot(world.instance) == before, f"{endpoint} with {scopes!r} changed something"


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
async def test_the_scope_or_a_broader_one_is_enough(world, endpoint):
    for scopes in endpoint.granted_by:
        token = await world.instance.token_for(world.alice, scopes)
        call = await endpoint.prepare(world)
        before = await snapshot(world.instance)
        status, body = await request(world, endpoint.method, call, token=token)
        assert status == 200, f"{endpoint} with {scopes!r}: {status} {body}"
        await endpoint.succeeded(world, call, body, before, await snapshot(world.instance))


async def test_a_read_token_cannot_post_and_the_count_stays(world):
    reader = await world.instance.token_for(world.alice, "read")
    before = (await world.instance.request("GET", "/api/v1/accounts/verify_credentials", token=world.full))[1]
    status, body = await world.instance.request("POST", "/api/v1/statuses", token=reader, json={"status": "Nee"})
    assert (status, body) == (403, OUTSIDE)
    status, after = await world.instance.request("GET", "/api/v1/accounts/verify_credentials", token=reader)
    assert status == 200 and after["statuses_count"] == before["statuses_count"] == 0
    assert await count(world.instance, Object, Object.author_id == world.alice.id) == 0


async def test_profile_gives_verify_credentials_and_nothing_else(world):
    token = await world.instance.token_for(world.alice, "profile")
    for endpoint in ENDPOINTS:
        call = await endpoint.prepare(world)
        before = await snapshot(world.instance)
        status, body = await request(world, endpoint.method, call, token=token)
        if endpoint.route == "/api/v1/accounts/verify_credentials":
            assert status == 200 and body["username"] == "alice"
        else:
            assert (status, body) == (403, OUTSIDE), str(endpoint)
        assert await snapshot(world.instance) == before, str(endpoint)


# ---- 3. missing, malformed, unknown, revoked and misplaced tokens are 401 ---------------------

def _auth(case: str, token: str) -> dict:
    return {
        "no Authorization header": {},
        "Basic scheme": {"headers": {"Authorization": f"Basic {token}"}},
        "no scheme": {"headers": {"Authorization": token}},
        "Bearer without a token": {"headers": {"Authorization": "Bearer"}},
        "Bearer and spaces": {"headers": {"Authorization": "Bearer    "}},
        "Bearer glued to the token": {"headers": {"Authorization": f"Bearer{token}"}},
        "unknown token": {"headers": {"Authorization": f"Bearer {secrets.token_urlsafe(32)}"}},
        "the token's hash": {"headers": {"Authorization": f"Bearer {hashlib.sha256(token.encode()).hexdigest()}"}},
        "token in the query string": {"params": {"access_token": token}},
    }[case]


AUTH_CASES = ("no Authorization header", "Basic scheme", "no scheme", "Bearer without a token", "Bearer and spaces",
              "Bearer glued to the token", "unknown token", "the token's hash", "token in the query string")


@pytest.mark.parametrize("case", AUTH_CASES)
async def test_a_bad_or_missing_token_is_401_everywhere(world, case):
    for endpoint in ENDPOINTS:
        call = await endpoint.prepare(world)
        before = await snapshot(world.instance)
        status, body = await request(world, endpoint.method, call, **_auth(case, world.full))
        assert (status, body) == (401, INVALID), f"{endpoint}: {case}"
        assert await snapshot(world.instance) == before, f"{endpoint}: {case} changed something"


async def test_a_token_in_a_form_body_is_401(world):
    status, body = await world.instance.request("POST", "/api/v1/statuses",
                                                data={"status": "Hallo", "access_token": world.full})
    assert (status, body) == (401, INVALID)
    assert await count(world.instance, Object, Object.author_id == world.alice.id) == 0


async def test_a_revoked_token_is_401_everywhere(world):
    token = await world.instance.token_for(world.alice, "read write follow")
    status, body = await world.instance.request("GET", "/api/v1/accounts/verify_credentials", token=token)
    assert status == 200 and body["username"] == "alice"
    async with world.instance.runtime.db.write() as session:
        result = await session.execute(update(Token).where(Token.token_hash == hashlib.sha256(token.encode()).hexdigest())
                                       .values(revoked_at=world.instance.runtime.clock.now()))
        assert result.rowcount == 1
    for endpoint in ENDPOINTS:
        call = await endpoint.prepare(world)  # with alice's other token, still live
        before = await snapshot(world.instance)
        status, body = await request(world, endpoint.method, call, token=token)
        assert (status, body) == (401, INVALID), str(endpoint)
        assert await snapshot(world.instance) == before, str(endpoint)


async def test_the_token_of_a_deleted_account_is_401(world):
    token = await world.instance.token_for(world.bob, "read write follow")
    async with world.instance.runtime.db.write() as session:
        await session.execute(update(Actor).where(Actor.id == world.bob.id)
                              .values(deleted_at=world.instance.runtime.clock.now()))
    status, body = await world.instance.request("GET", "/api/v1/accounts/verify_credentials", token=token)
    assert (status, body) == (401, INVALID)


# ---- tokens are stored as SHA-256 only ---------------------------------------------------------

async def test_tokens_are_stored_only_as_their_sha256(world):
    token = await world.instance.token_for(world.alice, "read:statuses write:statuses read:statuses")
    async with world.instance.runtime.db.read() as session:
        rows = (await session.execute(select(Token.__table__))).all()
    assert len(rows) == 3  # bob's (the fixture's post), alice's full one, this one
    digest = hashlib.sha256(token.encode()).hexdigest()
    mine = [row for row in rows if row.token_hash == digest]
    assert len(mine) == 1
    assert mine[0].actor_id == world.alice.id and mine[0].scopes == "read:statuses write:statuses"
    assert mine[0].revoked_at is None
    for row in rows:
        assert len(row.token_hash) == 64 and set(row.token_hash) <= set("0123456789abcdef")
        for value in row:
            assert token not in str(value) and world.full not in str(value)


async def test_admin_scopes_need_a_moderator_or_admin(world):
    before = await count(world.instance, Token)
    for scopes in ("admin:read", "read admin:write", "admin:read:accounts"):
        with pytest.raises(BadRequest, match="admin scopes"):
            await world.instance.token_for(world.bob, scopes)
    assert await count(world.instance, Token) == before
    moderator = await world.instance.create_account("moderatie", role="moderator")
    await world.instance.token_for(moderator, "admin:read admin:write")
    await world.instance.token_for(world.alice, "admin:read admin:write")  # alice is an admin
    assert await count(world.instance, Token) == before + 2


# ---- 4. the principal: scopes and roles on their own ------------------------------------------

def test_the_scopes_are_mastodons():
    assert SCOPES == frozenset(BROAD + READ_SUBS + WRITE_SUBS + ADMIN_SUBS)


def test_parse_scopes_keeps_known_scopes_in_order_once():
    assert parse_scopes("read write follow") == ("read", "write", "follow")
    assert parse_scopes("  write:statuses\tread:statuses  write:statuses ") == ("write:statuses", "read:statuses")
    assert parse_scopes(" ".join(ADMIN_SUBS)) == ADMIN_SUBS


@pytest.mark.parametrize("text, named", [
    ("read bogus", "bogus"), ("read:everything", "read:everything"), ("READ", "READ"), ("admin", "admin"),
    ("write:statuses:all", "write:statuses:all"), ("read: statuses", "read:"), ("follow:accounts", "follow:accounts"),
    ("admin:read:statuses", "admin:read:statuses"), ("read,write", "read,write"), ("read:conversations", "read:conversations"),
])
def test_parse_scopes_refuses_unknown_scopes(text, named):
    with pytest.raises(BadRequest) as refused:
        parse_scopes(text)
    assert repr(named) in refused.value.message and refused.value.status == 400


@pytest.mark.parametrize("text", ["", "   ", "\t\n"])
def test_parse_scopes_needs_one_scope(text):
    with pytest.raises(BadRequest, match="at least one scope"):
        parse_scopes(text)


@pytest.mark.parametrize("granted, needed, covered", [
    ("read:statuses", "read:statuses", True),
    ("read", "read:statuses", True),
    ("read", "read:accounts", True),
    ("read", "read:search", True),
    ("write", "write:statuses", True),
    ("write", "write:follows", True),
    ("read", "write:statuses", False),
    ("write", "read:statuses", False),
    ("read:statuses", "read:accounts", False),
    ("read:statuses", "read", False),            # a sub-scope never covers its parent
    ("read:accounts", "profile", False),
    ("read", "profile", False),
    ("profile", "read:accounts", False),
    ("follow", "read:follows", True),
    ("follow", "write:follows", True),
    ("follow", "read:blocks", True),
    ("follow", "write:mutes", True),
    ("follow", "read:statuses", False),
    ("follow", "write:statuses", False),
    ("follow", "read:accounts", False),
    ("admin:read", "admin:read:accounts", True),
    ("admin:write", "admin:write:reports", True),
    ("admin:read", "admin:write:accounts", False),
    ("admin:read", "read:accounts", False),
    ("admin:read:accounts", "read:accounts", False),
    ("read", "admin:read:accounts", False),
    ("write", "admin:write:accounts", False),
    ("admin:read:accounts", "admin:read", False),
    ("push", "read:notifications", False),
    ("read write follow push profile", "admin:read", False),
])
def test_scope_covers(granted, needed, covered):
    assert scope_covers(frozenset(granted.split()), needed) is covered


def test_the_legacy_follow_scope_covers_exactly_mastodons_list():
    for scope in READ_SUBS + WRITE_SUBS + ADMIN_SUBS:
        assert scope_covers({"follow"}, scope) is (scope in FOLLOW_COVERS), scope


def principal(role: str, scopes: str = "read") -> Principal:
    return Principal(Actor(username=f"a_{role}", role=role), 1, frozenset(scopes.split()))


@pytest.mark.parametrize("role, needed, allowed", [
    ("user", "user", True), ("user", "moderator", False), ("user", "admin", False),
    ("moderator", "user", True), ("moderator", "moderator", True), ("moderator", "admin", False),
    ("admin", "user", True), ("admin", "moderator", True), ("admin", "admin", True),
    ("owner", "user", False), ("", "user", False), ("Admin", "user", False),
])
def test_roles_are_user_then_moderator_then_admin(role, needed, allowed):
    assert role_at_least(role, needed) is allowed
    if allowed:
        principal(role).require_role(needed)
    else:
        with pytest.raises(Forbidden) as refused:
            principal(role).require_role(needed)
        assert refused.value.status == 403 and refused.value.message == NOT_ALLOWED


def test_require_scope_takes_any_of_and_refuses_with_mastodons_message():
    reader = principal("admin", "read:statuses profile")
    reader.require_scope("read:statuses")
    reader.require_scope("read:accounts", "profile")
    assert reader.allows("read:statuses") and not reader.allows("read:accounts")
    with pytest.raises(Forbidden) as refused:
        reader.require_scope("write:statuses", "read:accounts")
    assert refused.value.status == 403 and refused.value.message == OUTSIDE["error"]
    with pytest.raises(Forbidden):
        principal("admin", "read write follow").require_scope("admin:read")  # the role does not grant scopes


async def test_requires_checks_the_token_then_the_scope_then_the_role(instance):
    """@requires(scope, role=...) on a real app with the instance's runtime and middleware."""

    @requires("read:accounts", role="moderator")
    async def moderators_only(request: web.Request, principal: Principal) -> web.Response:
        return web.json_response({"username": principal.account.username, "role": principal.role})

    assert moderators_only.scopes == ("read:accounts",)
    app = web.Application(middlewares=[errors_as_json])
    app[RUNTIME] = instance.runtime
    app.router.add_get("/moderators", moderators_only)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    sock = bound_socket()
    await web.SockSite(runner, sock).start()
    base = f"http://127.0.0.1:{sock.getsockname()[1]}/moderators"
    tokens = {}
    for name, role in (("gewoon", "user"), ("moderatie", "moderator"), ("beheer", "admin")):
        account = await instance.create_account(name, role=role)
        tokens[role] = await instance.token_for(account, "read")
        tokens[f"{role} write"] = await instance.token_for(account, "write")

    async def get(http, token):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        async with http.get(base, headers=headers) as response:
            return response.status, await response.json()

    try:
        async with aiohttp.ClientSession() as http:
            assert await get(http, None) == (401, INVALID)
            assert await get(http, "not-a-token") == (401, INVALID)
            assert await get(http, tokens["user"]) == (403, {"error": NOT_ALLOWED})
            assert await get(http, tokens["user write"]) == (403, OUTSIDE)
            assert await get(http, tokens["moderator write"]) == (403, OUTSIDE)
            assert await get(http, tokens["moderator"]) == (200, {"username": "moderatie", "role": "moderator"})
            assert await get(http, tokens["admin"]) == (200, {"username": "beheer", "role": "admin"})
    finally:
        await runner.cleanup()
        sock.close()
