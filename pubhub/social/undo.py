"""Undo: what a remote actor may take back — its own Follow, Like or Announce."""

from __future__ import annotations

from ..activitypub.fields import id_of, is_a
from ..activitypub.origins import require
from ..store.models import Actor
from .inbound_batch import InboundBatch


def undo_needs(actor: Actor, inner) -> tuple[tuple[int, str], ...]:
    """The (follower id, our account's URI) pair `undo` may look up, read for a whole batch."""
    target = id_of(inner.get("object")) if is_a(inner, {"Follow"}) else None
    return ((actor.id, target),) if target else ()


async def undo(batch: InboundBatch, actor: Actor, inner_id: str, inner) -> None:
    """Take back the actor's Follow with this id (or, for servers that re-send Follows under
    new ids, its follow of the same account), else its reaction recorded from this activity."""
    follow = await batch.follow_from(inner_id)
    if follow is None and is_a(inner, {"Follow"}):
        target = await batch.account(id_of(inner.get("object")) or "")
        follow = await batch.follow(actor.id, target.id) if target else None
    if follow is not None:
        require(follow.follower_id == actor.id, "Undo of someone else's Follow")
        await batch.remove_follow(follow)
        return
    reaction = await batch.reaction_from(inner_id)
    if reaction is not None:
        owner = reaction["actor_id"] if isinstance(reaction, dict) else reaction.actor_id
        require(owner == actor.id, "Undo of someone else's activity")
        await batch.remove_reaction(reaction)
