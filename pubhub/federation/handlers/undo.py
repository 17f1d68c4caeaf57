"""Undo: of a Follow (unfollow), a Like or an Announce — only the actor's own."""

from __future__ import annotations

from ...activitypub.fields import id_of
from ...activitypub.origins import require, require_same_origin
from ...social.undo import undo, undo_needs
from ..context import Batched, Context


async def handle(ctx: Context, activity: dict) -> Batched:
    inner = activity.get("object")
    inner_id = id_of(inner)
    require(inner_id is not None, "Undo without an object")
    require_same_origin(ctx.actor.uri, inner_id, "undone activity")
    if isinstance(inner, dict):
        require(id_of(inner.get("actor")) == ctx.actor.uri, "Undo of someone else's activity")
    return Batched(lambda batch: undo(batch, ctx.actor, inner_id, inner),
                   follows=undo_needs(ctx.actor, inner), undone=(inner_id,))
