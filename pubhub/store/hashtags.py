"""The hashtags notes carry: read from a note's `tags`, normalised (compose.normalize_hashtag),
and indexed in note_hashtags, written with each note (store.objects) and rewritten when its
tags change, so that the notes of a hashtag are found by index."""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from ..compose import normalize_hashtag
from .db import insert_statement
from .models import NoteHashtag

MAX_NAME = 100  # longer names (a remote server's) are not indexed: no hashtag here is longer


def hashtag_names(tags) -> set[str]:
    """The names of a note's Hashtag tags, normalised."""
    return {normalize_hashtag(tag["name"]) for tag in (tags if isinstance(tags, list) else [])
            if isinstance(tag, dict) and tag.get("type") == "Hashtag" and isinstance(tag.get("name"), str)}


def has_hashtag(tags, wanted: str) -> bool:
    return wanted in hashtag_names(tags)


def index_rows(object_id: int, tags) -> list[dict]:
    """The note_hashtags rows of a note."""
    return [{"object_id": object_id, "name": name} for name in hashtag_names(tags) if 0 < len(name) <= MAX_NAME]


async def index_notes(session: AsyncSession, notes: list[tuple[int, list]]) -> None:
    """Index the hashtags of new notes, given as (id, tags); in one statement."""
    rows = [row for object_id, tags in notes for row in index_rows(object_id, tags)]
    if rows:
        table = NoteHashtag.__table__
        await session.execute(insert_statement(session, table).on_conflict_do_nothing(), rows)


async def reindex_note(session: AsyncSession, object_id: int, tags) -> None:
    """A note's tags changed (an edit, an Update): its index follows."""
    await session.execute(delete(NoteHashtag).where(NoteHashtag.object_id == object_id))
    await index_notes(session, [(object_id, tags)])
