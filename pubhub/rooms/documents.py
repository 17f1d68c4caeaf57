"""What a room shows the fediverse and the web: its `Group` actor document (FEP-1b12, as
Mastodon and Lemmy read it), its outbox (the `Announce`s of what it shares), and who may read
its collections and shared posts.

A public room shows everything to anyone. A members-only room (visibility `members`) shows
its actor document to anyone (a server must read it to join), and its outbox, followers and
shared posts only to a signed fetch whose signer's server has an accepted member: Mastodon
signs such fetches with its instance actor or some local member, not with the member who
asks, so the rule is per server, as Lemmy's private communities have it. Anyone else gets
404, as if there were nothing.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from ..activitypub import vocab
from ..activitypub.documents import actor_document
from ..errors import NotFound
from ..runtime import Runtime
from ..social.outbox import PAGE_SIZE
from ..social.reading import media_rejected
from ..store import objects as object_store
from ..store import rooms as room_store
from ..store.models import Actor, Object
from .directory import RoomActor, member_count, room_of_actor
from .sharing import announce_of

RECENT_ON_PAGE = 20


async def room_for(rt: Runtime, actor: Actor) -> RoomActor | None:
    """The room whose actor this is (None for an account: no query unless it is a Group)."""
    if actor.kind != "Group":
        return None
    async with rt.db.read() as session:
        return await room_of_actor(session, actor)


def rules_html(rules: str) -> str:
    """The room's plain-text rules as HTML, one line a line."""
    lines = [html.escape(line) for line in rules.strip().splitlines() if line.strip()]
    return f"<p>{'<br>'.join(lines)}</p>" if lines else ""


def room_document(rt: Runtime, target: RoomActor) -> dict:
    """The room's actor document: a `Group` with its own key, inbox, outbox, followers and
    shared inbox (what every actor has); its description and house rules as `summary` (what
    Mastodon and Lemmy show); `postingRestrictedToMods` (Lemmy's) when only staff post."""
    doc = actor_document(target.actor, rt.urls)
    rules = rules_html(target.room.rules or "")
    if rules:
        doc["summary"] = f"{doc['summary']}<p><strong>House rules</strong></p>{rules}"
    doc["postingRestrictedToMods"] = target.room.post_policy == "staff"
    return doc


async def require_member_server(rt: Runtime, target: RoomActor, viewer: Actor | None) -> None:
    """404 unless the room is public, or `viewer` (the signer of a signed fetch) is on a
    server with an accepted member of the room."""
    if target.room.visibility == "public":
        return
    if viewer is not None and not viewer.local:
        async with rt.db.read() as session:
            if await room_store.has_member_on(session, target.actor.id, viewer.domain):
                return
    raise NotFound("Record not found")


async def outbox_page(rt: Runtime, target: RoomActor, page: int | None) -> tuple[int, list[dict]]:
    """(total, the room's `Announce`s on `page`, newest first) of the posts it shares now."""
    async with rt.db.read() as session:
        total = await room_store.count_items(session, target.room.id, ("approved",))
        if page is None:
            return total, []
        rows = await room_store.items_page(session, target.room.id, ("approved",), limit=PAGE_SIZE,
                                           offset=(page - 1) * PAGE_SIZE)
    return total, [vocab.embedded(announce_of(rt, target, item, note, author)) for item, note, author in rows
                   if item.announce_uri]


@dataclass(frozen=True)
class SharedPost:
    note: Object
    author: Actor


@dataclass(frozen=True)
class RoomPage:
    """What the room's HTML page shows: everything for a public room; for a members-only one
    the name, description and how to join (`shared` empty, `rules` too)."""
    room: RoomActor
    members: int
    rules: str
    shared: list[SharedPost]
    public: bool


def _without_media(note: Object) -> Object:
    """The note as the page shows it when its server's media are rejected (a domain block)."""
    shown = object_store.copy(note)
    shown.attachments = None
    return shown


async def room_page(rt: Runtime, target: RoomActor) -> RoomPage:
    public = target.room.visibility == "public"
    async with rt.db.read() as session:
        count = await member_count(session, target)
        rows = await room_store.items_page(session, target.room.id, ("approved",), limit=RECENT_ON_PAGE,
                                           offset=0) if public else []
        rejected = await media_rejected(session, [author for _, note, author in rows if note.attachments])
    shared = [SharedPost(_without_media(note) if author.id in rejected else note, author) for _, note, author in rows
              if note.deleted_at is None and note.visibility == "public" and author.deleted_at is None]
    return RoomPage(target, count, target.room.rules if public else "", shared, public)
