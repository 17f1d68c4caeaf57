"""Accept: the target of a Follow we sent accepts it (only its target may)."""

from __future__ import annotations

from ...social.follows import follow_accepted
from ..context import Context, Write


async def handle(ctx: Context, activity: dict) -> Write:
    return lambda session: follow_accepted(session, ctx.actor, activity)
