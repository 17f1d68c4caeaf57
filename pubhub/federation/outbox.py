"""Reading our own published notes: the outbox collection, single public notes, usage counts."""

from __future__ import annotations

from sqlalchemy import func, select

from ..errors import Gone, NotFound
from ..store import objects as object_store
from ..store.models import Actor, Object, parse_id
from . import vocab
from .documents import create_document

PAGE_SIZE = 20


async def public_note(services, author: Actor, raw_id: str) -> Object:
    """A note of `author` anyone may read: public or unlisted, not deleted."""
    note_id = parse_id(raw_id)
    if note_id is None:
        raise NotFound("Record not found")
    async with services.db.read() as session:
        item = await object_store.by_id(session, note_id)
    if item is None or item.author_id != author.id or item.visibility not in ("public", "unlisted"):
        raise NotFound("Record not found")
    if item.deleted_at is not None:
        raise Gone("this status was deleted")
    return item


async def outbox_page(services, author: Actor, page: int | None) -> dict:
    visible = (Object.author_id == author.id, Object.deleted_at.is_(None), Object.visibility.in_(("public", "unlisted")))
    async with services.db.read() as session:
        total = (await session.execute(select(func.count()).select_from(Object).where(*visible))).scalar_one()
        if page is None:
            return vocab.ordered_collection(author.outbox, total, f"{author.outbox}?page=1")
        query = select(Object).where(*visible).order_by(Object.id.desc()).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
        notes = list((await session.execute(query)).scalars())
    items = [create_document(n, author, services.urls) for n in notes]
    for item in items:
        item.pop("@context", None)
    next_page = f"{author.outbox}?page={page + 1}" if page * PAGE_SIZE < total else None
    prev_page = f"{author.outbox}?page={page - 1}" if page > 1 else None
    document = vocab.ordered_collection_page(f"{author.outbox}?page={page}", author.outbox, items, next_page, prev_page)
    document["totalItems"] = total
    return document


async def usage_counts(services) -> tuple[int, int]:
    async with services.db.read() as session:
        users = (await session.execute(select(func.count()).select_from(Actor)
                                       .where(Actor.local.is_(True), Actor.kind != "Application", Actor.deleted_at.is_(None)))).scalar_one()
        posts = (await session.execute(select(func.count()).select_from(Object)
                                       .where(Object.local.is_(True), Object.deleted_at.is_(None)))).scalar_one()
    return users, posts
