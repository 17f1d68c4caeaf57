"""Reject: the target of a Follow we sent refuses it (or removes us as a follower)."""

from __future__ import annotations

from ...social.follows import follow_rejected
from ..context import Context, Write


async def handle(ctx: Context, activity: dict) -> Write:
    return lambda session: follow_rejected(session, ctx.actor, activity)
