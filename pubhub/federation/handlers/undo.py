"""Undo: of a Follow (unfollow), a Like or an Announce — only the actor's own."""

from __future__ import annotations

from sqlalchemy import delete, select

from ...store import actors as actor_store
from ...store import follows as follow_store
from ...store.models import Interaction
from ..context import Context
from ..origins import id_of, require, require_same_origin


async def handle(ctx: Context, activity: dict) -> None:
    inner = activity.get("object")
    inner_id = id_of(inner)
    require(inner_id is not None, "Undo without an object")
    require_same_origin(ctx.actor.uri, inner_id, "undone activity")
    if isinstance(inner, dict):
        require(id_of(inner.get("actor")) == ctx.actor.uri, "Undo of someone else's activity")
    async with ctx.db.write() as session:
        follow = await follow_store.by_activity_uri(session, inner_id)
        if follow is None and isinstance(inner, dict) and inner.get("type") == "Follow":
            # Some servers re-send Follows with new ids: fall back to the (actor, target) pair.
            target = await actor_store.by_uri(session, id_of(inner.get("object")) or "")
            follow = await follow_store.between(session, ctx.actor.id, target.id) if target else None
        if follow is not None:
            require(follow.follower_id == ctx.actor.id, "Undo of someone else's Follow")
            await follow_store.remove(session, follow)
            return
        interaction = (await session.execute(select(Interaction).where(Interaction.activity_uri == inner_id))).scalar_one_or_none()
        if interaction is not None:
            require(interaction.actor_id == ctx.actor.id, "Undo of someone else's activity")
            await session.execute(delete(Interaction).where(Interaction.id == interaction.id))
