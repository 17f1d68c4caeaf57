"""Accept: the target of a Follow we sent accepts it."""

from __future__ import annotations

from ..context import Context
from ._follow_answers import follow_we_sent


async def handle(ctx: Context, activity: dict) -> None:
    async with ctx.db.write() as session:
        follow = await follow_we_sent(session, ctx, activity)
        follow.state = "accepted"
