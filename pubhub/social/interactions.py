"""Likes and boosts (Announce) of the notes we know, and their undoing."""

from __future__ import annotations

from ..activitypub.origins import require
from ..runtime import Runtime
from ..store import interactions as interaction_store
from ..store import objects as object_store
from ..store.db import Session
from ..store.models import Actor


async def record_interaction(rt: Runtime, actor: Actor, kind: str, activity_id: str, object_id: str | None) -> None:
    """Count a reaction to a note we know, once per actor and kind; others are ignored."""
    require(object_id is not None, f"{kind} without an object")
    async with rt.db.write() as session:
        note = await object_store.by_uri(session, object_id)
        if note is None or note.deleted_at is not None:
            return  # not a note we know: nothing to count
        await interaction_store.add_once(session, kind=kind, activity_uri=activity_id, actor_id=actor.id,
                                         object_id=note.id, now=rt.clock.now())


async def undo_interaction(session: Session, actor: Actor, activity_id: str) -> bool:
    """Remove the actor's reaction recorded from this activity. False if there is none."""
    interaction = await interaction_store.by_activity_uri(session, activity_id)
    if interaction is None:
        return False
    require(interaction.actor_id == actor.id, "Undo of someone else's activity")
    await interaction_store.remove(session, interaction)
    return True
