"""The read side of the client API: who may see a status, and statuses with their authors."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import NotFound
from ..store import actors as actor_store
from ..store import follows as follow_store
from ..store import objects as object_store
from ..store.models import Actor, Object
from .serializers import status_json


async def can_see(session: AsyncSession, viewer: Actor | None, note: Object) -> bool:
    if note.deleted_at is not None:
        return False
    if note.visibility in ("public", "unlisted"):
        return True
    if viewer is None:
        return False
    if viewer.id == note.author_id:
        return True
    mentioned = any(t.get("href") == viewer.uri for t in (note.tags or []) if t.get("type") == "Mention")
    if mentioned or viewer.uri in (note.to or []) or viewer.uri in (note.cc or []):
        return True
    if note.visibility == "private":
        follow = await follow_store.between(session, viewer.id, note.author_id)
        return follow is not None and follow.state == "accepted"
    return False


async def visible_status(session: AsyncSession, viewer: Actor | None, note_id: int) -> Object:
    note = await object_store.by_id(session, note_id)
    if note is None or not await can_see(session, viewer, note):
        raise NotFound("Record not found")
    return note


async def statuses_json(session: AsyncSession, notes: list[Object], domain: str) -> list[dict]:
    counts = await object_store.interaction_counts(session, [n.id for n in notes])
    mentioned = [t.get("href") for n in notes for t in (n.tags or []) if t.get("type") == "Mention" and isinstance(t.get("href"), str)]
    mention_ids = await actor_store.ids_by_uris(session, mentioned)
    result = []
    for note in notes:
        author = await actor_store.by_id(session, note.author_id)
        parent = await object_store.by_id(session, note.in_reply_to_id) if note.in_reply_to_id else None
        result.append(status_json(note, author, domain, reply_author_id=parent.author_id if parent else None,
                                  counts=counts.get(note.id), mention_ids=mention_ids))
    return result
