"""Accept: the target of a Follow we sent accepts it (only its target may)."""

from __future__ import annotations

from ...social.follows import follow_accepted
from ..context import Context


async def handle(ctx: Context, activity: dict) -> None:
    await follow_accepted(ctx.rt, ctx.actor, activity)
