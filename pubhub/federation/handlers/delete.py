"""Delete: of one of the actor's notes (tombstoned), or of the actor itself (its content,
follows and reactions removed)."""

from __future__ import annotations

from ...activitypub.fields import id_of
from ...activitypub.origins import require, require_same_origin
from ...social.remote_notes import delete_actor, delete_note
from ..context import Context


async def handle(ctx: Context, activity: dict) -> None:
    object_id = id_of(activity.get("object"))
    require(object_id is not None, "Delete without an object")
    if object_id == ctx.actor.uri:
        await delete_actor(ctx.rt, ctx.actor)
        return
    require_same_origin(ctx.actor.uri, object_id, "deleted object")
    await delete_note(ctx.rt, ctx.actor, object_id)
