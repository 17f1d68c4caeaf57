"""Bookmarks and pins: what a local account keeps for itself (a bookmark, seen by it alone) or
shows first on its profile (a pin: its own public or unlisted statuses, at most five). Pins are
served as the account's `featured` collection, and `Add`/`Remove` tell its followers' servers."""

from __future__ import annotations

from ..activitypub.documents import pin_document
from ..errors import Unprocessable
from ..runtime import Runtime
from ..store import marks as store
from ..store import objects as object_store
from ..store.db import Database, Session
from ..store.models import Actor, Bookmark, Object, Pin
from ..store.timelines import Bounds
from .boosts import note_of_status
from .reading import StatusView, status_views
from .visibility import OPEN, Viewer, visible, visible_note

MAX_PINS = 5  # Mastodon's limit


async def bookmark(rt: Runtime, account: Actor, note_id: int | None) -> Object:
    return await _mark(rt, account, note_id, Bookmark, True)


async def unbookmark(rt: Runtime, account: Actor, note_id: int | None) -> Object:
    return await _mark(rt, account, note_id, Bookmark, False)


async def _mark(rt: Runtime, account: Actor, note_id: int | None, model, present: bool) -> Object:
    """Add or remove the account's mark on a note it may see (404 otherwise)."""
    async with rt.db.write() as session:
        note = await note_of_status(session, Viewer(account), note_id)
        if present:
            await store.add(session, model, account.id, note.id, rt.clock.now())
        else:
            await store.remove(session, model, account.id, note.id)
    return note


async def bookmarks(db: Database, account: Actor, bounds: Bounds) -> tuple[list[StatusView], list[int]]:
    """A page of the account's bookmarks it may still see, newest bookmark first; and the
    bookmarks' ids as read, for the Link header."""
    async with db.read() as session:
        rows = await store.page(session, Bookmark, account.id, bounds)
        shown = await visible(session, Viewer(account), [note for _, note in rows])
        return await status_views(session, shown, account), [mark_id for mark_id, _ in rows]


async def pin(rt: Runtime, account: Actor, note_id: int | None) -> Object:
    """Pin one of the account's own public or unlisted statuses (422 otherwise, as Mastodon)."""
    async with rt.db.write() as session:
        note = await visible_note(session, Viewer(account), note_id)
        if note.author_id != account.id:
            raise Unprocessable("Validation failed: You can't pin someone else's post")
        if note.visibility not in OPEN:
            raise Unprocessable("Validation failed: Private or direct posts can't be pinned")
        pinned = await store.among(session, Pin, account.id, [note.id])
        if not pinned and await store.count(session, Pin, account.id) >= MAX_PINS:
            raise Unprocessable(f"Validation failed: You have already pinned the maximum number of posts ({MAX_PINS})")
        if not pinned:
            await store.add(session, Pin, account.id, note.id, rt.clock.now())
            await _tell_followers(rt, session, "Add", account, note)
    return note


async def unpin(rt: Runtime, account: Actor, note_id: int | None) -> Object:
    async with rt.db.write() as session:
        note = await visible_note(session, Viewer(account), note_id)
        if await store.among(session, Pin, account.id, [note.id]):
            await store.remove(session, Pin, account.id, note.id)
            await _tell_followers(rt, session, "Remove", account, note)
    return note


async def _tell_followers(rt: Runtime, session: Session, kind: str, account: Actor, note: Object) -> None:
    """Add or Remove the note in the account's featured collection, for its followers' servers."""
    uri = f"{account.uri}#pins/{object_store.new_object_id()}"
    document = pin_document(uri, kind, account, note, rt.urls.featured(account.uri))
    await rt.deliveries.enqueue(session, document, account, followers_of=account)


async def pinned_of(session: Session, viewer: Viewer, author: Actor) -> list[StatusView]:
    """The author's pinned statuses the viewer may see, the latest pinned first."""
    return await status_views(session, await _pinned_notes(session, viewer, author), viewer.actor)


async def featured(db: Database, viewer: Viewer, author: Actor) -> list[Object]:
    """The author's pinned notes the viewer may see, for its `featured` collection."""
    async with db.read() as session:
        return await _pinned_notes(session, viewer, author)


async def _pinned_notes(session: Session, viewer: Viewer, author: Actor) -> list[Object]:
    rows = await store.page(session, Pin, author.id, Bounds(limit=MAX_PINS * 2))
    return await visible(session, viewer, [note for _, note in rows])
