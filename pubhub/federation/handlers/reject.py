"""Reject: the target of a Follow we sent refuses it (or removes us as a follower)."""

from __future__ import annotations

from ...store import follows as follow_store
from ..context import Context
from ._follow_answers import follow_we_sent


async def handle(ctx: Context, activity: dict) -> None:
    async with ctx.db.write() as session:
        follow = await follow_we_sent(session, ctx, activity)
        await follow_store.remove(session, follow)
