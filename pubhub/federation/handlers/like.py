"""Like: a remote actor favourites a note we know."""

from __future__ import annotations

from ...activitypub.fields import id_of
from ...social.interactions import record_interaction
from ..context import Context


async def handle(ctx: Context, activity: dict) -> None:
    await record_interaction(ctx.rt, ctx.actor, "Like", activity["id"], id_of(activity.get("object")))
