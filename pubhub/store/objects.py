"""Queries on notes (objects)."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from .db import insert_statement
from .hashtags import has_hashtag, index_notes, reindex_note
from .models import Actor, Interaction, Object


_last_id = 0


def new_object_id() -> int:
    """Time-ordered 64-bit ids (milliseconds << 16 | random), like Mastodon's snowflakes; in one
    process each is larger than the last, so notes made in the same millisecond (a batch of
    inbound ones) never share an id. The random part keeps processes apart."""
    global _last_id
    _last_id = max((int(time.time() * 1000) << 16) | secrets.randbits(16), _last_id + 1)
    return _last_id


async def by_uri(session: AsyncSession, uri: str) -> Object | None:
    return (await session.execute(select(Object).where(Object.uri == uri))).scalar_one_or_none()


async def by_id(session: AsyncSession, object_id: int) -> Object | None:
    return await session.get(Object, object_id)


async def by_ids(session: AsyncSession, object_ids) -> dict[int, Object]:
    """Notes by id, in one query."""
    wanted = {i for i in object_ids if i is not None}
    if not wanted:
        return {}
    return {note.id: note for note in (await session.execute(select(Object).where(Object.id.in_(wanted)))).scalars()}


@dataclass(frozen=True)
class KnownNote:
    """What the inbox needs to know of a note it is handed a URI of."""
    id: int
    author_id: int
    deleted: bool
    local: bool = False


async def known_by_uris(session: AsyncSession, uris: list[str]) -> dict[str, KnownNote]:
    """The notes among `uris` that are stored (tombstones too), in one query per 500."""
    found: dict[str, KnownNote] = {}
    for start in range(0, len(uris), 500):
        query = select(Object.uri, Object.id, Object.author_id, Object.deleted_at, Object.local).where(
            Object.uri.in_(uris[start:start + 500]))
        for uri, note_id, author_id, deleted_at, local in await session.execute(query):
            found[uri] = KnownNote(note_id, author_id, deleted_at is not None, bool(local))
    return found


async def insert_many(session: AsyncSession, rows: list[dict]) -> None:
    """New notes, each a dict of every column, in one statement; a URI stored meanwhile (by
    another process) is left as it is. (Into the table, not the ORM class: the ORM would split
    the rows into one statement per pattern of empty columns.) The hashtags of those inserted
    are indexed."""
    if rows:
        table = Object.__table__
        statement = insert_statement(session, table).on_conflict_do_nothing(index_elements=[table.c.uri]).returning(table.c.id)
        inserted = set((await session.execute(statement, rows)).scalars())
        await index_notes(session, [(row["id"], row.get("tags")) for row in rows if row["id"] in inserted])


async def add(session: AsyncSession, **values) -> Object:
    note = Object(**values)
    session.add(note)
    await session.flush()
    await index_notes(session, [(note.id, note.tags)])
    return note


async def retagged(session: AsyncSession, note: Object) -> None:
    """The note's `tags` were changed (an edit, an Update): its hashtags are indexed anew."""
    await reindex_note(session, note.id, note.tags)


# What a tombstone empties (a removal keeps these for its appeal: moderation/removals.py).
EMPTIED = {"content": "", "summary": "", "source_text": None, "attachments": None, "poll": None}


def tombstone(note: Object, now: datetime) -> None:
    """Keep the row (its id answers 410 and replies keep their parent) without its content."""
    note.deleted_at = now
    for name, empty in EMPTIED.items():
        setattr(note, name, empty)


def copy(note: Object) -> Object:
    """A detached copy of a note as it is now (e.g. before it is tombstoned)."""
    return Object(**{c.key: getattr(note, c.key) for c in Object.__table__.columns})


def _by_author(author_id: int, visibilities) -> tuple:
    return (Object.author_id == author_id, Object.deleted_at.is_(None), Object.visibility.in_(tuple(visibilities)))


async def count_by_author(session: AsyncSession, author_id: int, visibilities) -> int:
    query = select(func.count()).select_from(Object).where(*_by_author(author_id, visibilities))
    return (await session.execute(query)).scalar_one()


async def page_by_author(session: AsyncSession, author_id: int, visibilities, *, limit: int, offset: int = 0,
                         max_id: int | None = None) -> list[Object]:
    """An author's notes of the given visibilities, newest first."""
    query = select(Object).where(*_by_author(author_id, visibilities))
    if max_id is not None:
        query = query.where(Object.id < max_id)
    return list((await session.execute(query.order_by(Object.id.desc()).limit(limit).offset(offset))).scalars())


async def local_note_count(session: AsyncSession) -> int:
    query = select(func.count()).select_from(Object).where(Object.local.is_(True), Object.deleted_at.is_(None))
    return (await session.execute(query)).scalar_one()


async def with_authors(session: AsyncSession, query) -> list[tuple[Object, Actor]]:
    query = query.add_columns(Actor).join(Actor, Actor.id == Object.author_id)
    return [(row[0], row[1]) for row in (await session.execute(query)).all()]


async def recent_local_tagged(
    session: AsyncSession, name: str, visibilities, *, limit: int = 40, scan: int = 2000
) -> list[tuple[Object, Actor]]:
    """The most recent local posts of these visibilities (with their authors) carrying the hashtag `name`
    (without `#`, matched case-insensitively), newest first.

    Portable on SQLite and PostgreSQL without a tag table: it reads only the ids and `tags` JSON
    of the `scan` most recent public local posts and matches in Python, then loads at most
    `limit` of them. Limitation: a tagged post older than the last `scan` public local posts
    is not found; a tag table (or a JSON index) is the way past that."""
    wanted = name.lower()
    recent = await session.execute(
        select(Object.id, Object.tags)
        .where(Object.local.is_(True), Object.visibility.in_(tuple(visibilities)), Object.deleted_at.is_(None))
        .order_by(Object.id.desc())
        .limit(scan)
    )
    ids = [object_id for object_id, tags in recent if has_hashtag(tags, wanted)][:limit]
    if not ids:
        return []
    query = select(Object).where(Object.id.in_(ids), Actor.deleted_at.is_(None)).order_by(Object.id.desc())
    return await with_authors(session, query)


async def replies_to(session: AsyncSession, object_ids: list[int]) -> list[Object]:
    if not object_ids:
        return []
    query = select(Object).where(Object.in_reply_to_id.in_(object_ids), Object.deleted_at.is_(None))
    return list((await session.execute(query.order_by(Object.id))).scalars())


async def ancestors(session: AsyncSession, note: Object, limit: int = 40) -> list[Object]:
    chain: list[Object] = []
    current = note
    while current.in_reply_to_id and len(chain) < limit:
        parent = await session.get(Object, current.in_reply_to_id)
        if parent is None:
            break
        chain.append(parent)
        current = parent
    return list(reversed(chain))


async def descendants(session: AsyncSession, note: Object, limit: int = 200) -> list[Object]:
    found: list[Object] = []
    frontier = [note.id]
    while frontier and len(found) < limit:
        children = await replies_to(session, frontier)
        found.extend(children)
        frontier = [c.id for c in children]
    return found[:limit]


async def interaction_counts(session: AsyncSession, object_ids: list[int], reply_visibilities) -> dict[int, dict[str, int]]:
    """Likes, Announces and replies of each note; only replies of `reply_visibilities` count
    (a count must not reveal replies the reader may not see)."""
    counts: dict[int, dict[str, int]] = {i: {} for i in object_ids}
    if not object_ids:
        return counts
    rows = await session.execute(
        select(Interaction.object_id, Interaction.kind, func.count()).where(Interaction.object_id.in_(object_ids))
        .group_by(Interaction.object_id, Interaction.kind)
    )
    for object_id, kind, count in rows:
        counts[object_id][kind] = count
    replies = await session.execute(
        select(Object.in_reply_to_id, func.count())
        .where(Object.in_reply_to_id.in_(object_ids), Object.deleted_at.is_(None), Object.visibility.in_(tuple(reply_visibilities)))
        .group_by(Object.in_reply_to_id)
    )
    for object_id, count in replies:
        counts[object_id]["replies"] = count
    return counts
