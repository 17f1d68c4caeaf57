"""Update: of the actor itself (profile and key refreshed from its origin), or of one of the
actor's own notes."""

from __future__ import annotations

from ...activitypub.fields import id_of, is_a
from ...activitypub.origins import require, require_same_origin
from ...activitypub.vocab import ACTOR_TYPES
from ...social.remote_notes import update_note
from ..context import Context, Write


async def handle(ctx: Context, activity: dict) -> Write | None:
    obj = activity.get("object")
    object_id = id_of(obj)
    require(object_id is not None, "Update without an object")
    if object_id == ctx.actor.uri:
        # Never trust an embedded profile for the key: re-fetch the actor from its origin
        # (stored by the actor cache itself; nothing left for the batch to write).
        await ctx.rt.actors.get(ctx.actor.uri, refresh=True)
        return None
    require(not is_a(obj, ACTOR_TYPES), "Update of someone else's actor")
    require_same_origin(ctx.actor.uri, object_id, "updated object")
    return lambda session: update_note(session, ctx.rt, ctx.actor, object_id, obj)
