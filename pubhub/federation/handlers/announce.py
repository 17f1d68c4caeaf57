"""Announce: a remote actor boosts a note we know. Only the id of the object is used; an
embedded copy from elsewhere is never trusted."""

from __future__ import annotations

from ...activitypub.fields import id_of
from ...social.interactions import record_interaction
from ..context import Context


async def handle(ctx: Context, activity: dict) -> None:
    await record_interaction(ctx.rt, ctx.actor, "Announce", activity["id"], id_of(activity.get("object")))
