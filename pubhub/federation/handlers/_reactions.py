"""What Like and Announce share: a reaction to a note, counted once per actor and kind."""

from __future__ import annotations

from ...activitypub.fields import id_of
from ...activitypub.origins import require
from ...social.interactions import record_interaction
from ..context import Batched, Context


def reaction(ctx: Context, kind: str, activity: dict) -> Batched:
    object_id = id_of(activity.get("object"))
    require(object_id is not None, f"{kind} without an object")
    now = ctx.rt.clock.now()
    return Batched(lambda batch: record_interaction(batch, ctx.actor, kind, activity["id"], object_id, now), (object_id,))
