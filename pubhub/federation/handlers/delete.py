"""Delete: of one of the actor's notes (tombstoned), or of the actor itself (its content,
follows and reactions removed)."""

from __future__ import annotations

from sqlalchemy import delete, or_, update

from ...store import actors as actor_store
from ...store import objects as object_store
from ...store.models import Actor, Follow, Interaction, Object, utcnow
from ..context import Context
from ..origins import id_of, require, require_same_origin


async def handle(ctx: Context, activity: dict) -> None:
    object_id = id_of(activity.get("object"))
    require(object_id is not None, "Delete without an object")
    if object_id == ctx.actor.uri:
        await _delete_actor(ctx)
        return
    require_same_origin(ctx.actor.uri, object_id, "deleted object")
    async with ctx.db.write() as session:
        require(await actor_store.by_uri(session, object_id) is None, "Delete of someone else's actor")
        note = await object_store.by_uri(session, object_id)
        if note is None or note.deleted_at is not None:
            return
        require(note.author_id == ctx.actor.id, "Delete of someone else's object")
        tombstone(note)


def tombstone(note: Object) -> None:
    note.deleted_at = utcnow()
    note.content = ""
    note.summary = ""
    note.source_text = None


async def _delete_actor(ctx: Context) -> None:
    actor_id = ctx.actor.id
    async with ctx.db.write() as session:
        await session.execute(
            update(Object).where(Object.author_id == actor_id, Object.deleted_at.is_(None))
            .values(deleted_at=utcnow(), content="", summary="", source_text=None)
        )
        await session.execute(delete(Follow).where(or_(Follow.follower_id == actor_id, Follow.target_id == actor_id)))
        await session.execute(delete(Interaction).where(Interaction.actor_id == actor_id))
        await session.execute(update(Actor).where(Actor.id == actor_id).values(deleted_at=utcnow()))
    ctx.actors.forget(ctx.actor.uri)
