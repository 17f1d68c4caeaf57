"""Flag: another server reports one of our accounts (and some of its posts) to us; it becomes a
report for our moderators (moderation.flags.receive_flag), or is dropped when it names nothing
of ours or a domain block rejects that server's reports."""

from __future__ import annotations

from ...activitypub.fields import ids_of, text
from ...moderation.flags import receive_flag
from ..context import Context, Write


async def handle(ctx: Context, activity: dict) -> Write:
    named = ids_of(activity.get("object"))

    async def write(session) -> None:
        await receive_flag(session, ctx.rt.urls, ctx.actor, activity["id"], named, text(activity, "content"),
                           now=ctx.rt.clock.now())

    return write
