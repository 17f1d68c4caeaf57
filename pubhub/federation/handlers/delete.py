"""Delete: of one of the actor's notes (tombstoned), or of the actor itself (its content,
follows and reactions removed)."""

from __future__ import annotations

from ...activitypub.fields import id_of
from ...activitypub.origins import require, require_same_origin
from ...social.remote_notes import delete_actor, delete_note
from ..context import Context, Write


async def handle(ctx: Context, activity: dict) -> Write:
    object_id = id_of(activity.get("object"))
    require(object_id is not None, "Delete without an object")
    if object_id == ctx.actor.uri:
        return lambda session: delete_actor(session, ctx.rt, ctx.actor)
    require_same_origin(ctx.actor.uri, object_id, "deleted object")
    return lambda session: delete_note(session, ctx.rt, ctx.actor, object_id)
