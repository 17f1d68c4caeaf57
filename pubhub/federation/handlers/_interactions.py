"""What Like and Announce share: recording a reaction to a note we know, once."""

from __future__ import annotations

from sqlalchemy import select

from ...store import objects as object_store
from ...store.models import Interaction
from ..context import Context
from ..origins import id_of, require


async def record_interaction(ctx: Context, activity: dict, kind: str) -> None:
    object_id = id_of(activity.get("object"))
    require(object_id is not None, f"{kind} without an object")
    async with ctx.db.write() as session:
        note = await object_store.by_uri(session, object_id)
        if note is None or note.deleted_at is not None:
            return  # not a note we know: nothing to count
        existing = await session.execute(
            select(Interaction.id).where(Interaction.kind == kind, Interaction.actor_id == ctx.actor.id, Interaction.object_id == note.id)
        )
        if existing.first() is None:
            session.add(Interaction(kind=kind, activity_uri=activity["id"], actor_id=ctx.actor.id, object_id=note.id))
