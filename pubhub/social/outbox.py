"""What our accounts have published, as others may see it: one note, a page of an author's
notes (the outbox), their recent notes for the profile page, and usage counts."""

from __future__ import annotations

from ..errors import Gone, NotFound
from ..store import actors as actor_store
from ..store import objects as object_store
from ..store.db import Database
from ..store.models import Actor, Object, parse_id
from .visibility import LISTED_ON_PAGES, Viewer, author_visibilities, require_visible, visible

PAGE_SIZE = 20


async def note_of(db: Database, viewer: Viewer, author: Actor, raw_id: str) -> Object:
    """A note of `author` the viewer may see: 404 otherwise, 410 once deleted (if it was one
    the viewer could have seen)."""
    note_id = parse_id(raw_id)
    if note_id is None:
        raise NotFound("Record not found")
    async with db.read() as session:
        note = await object_store.by_id(session, note_id)
        if note is not None and note.deleted_at is not None and note.author_id == author.id:
            live = object_store.copy(note)
            live.deleted_at = None
            if await visible(session, viewer, [live]):
                raise Gone("this status was deleted")
        return await require_visible(session, viewer, note, author=author)


async def outbox_page(db: Database, viewer: Viewer, author: Actor, page: int | None) -> tuple[int, list[Object]]:
    """(total, notes on `page`) of the author's notes the viewer may see, newest first."""
    async with db.read() as session:
        levels = await author_visibilities(session, viewer, author)
        total = await object_store.count_by_author(session, author.id, levels)
        if page is None:
            return total, []
        notes = await object_store.page_by_author(session, author.id, levels, limit=PAGE_SIZE,
                                                  offset=(page - 1) * PAGE_SIZE)
    return total, notes


async def recent_on_profile(db: Database, author: Actor, limit: int = 20) -> tuple[list[Object], dict]:
    """The author's recent notes listed on the public profile page, and the account's counts."""
    async with db.read() as session:
        # A silenced account's notes reach its followers only: a public page lists none.
        shown = () if author.silenced_at is not None else LISTED_ON_PAGES
        notes = await object_store.page_by_author(session, author.id, shown, limit=limit) if shown else []
        counts = await actor_store.counts(session, author)
    return notes, counts


async def usage_counts(db: Database) -> tuple[int, int]:
    """(local accounts, local notes) for NodeInfo."""
    async with db.read() as session:
        return await actor_store.local_account_count(session), await object_store.local_note_count(session)
