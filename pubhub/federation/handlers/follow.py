"""Follow: a remote actor follows one of our accounts. Auto-accepted (and answered with an
Accept) unless the account approves followers by hand."""

from __future__ import annotations

from ...activitypub.fields import id_of
from ...social.follows import receive_follow
from ..context import Context, Write


async def handle(ctx: Context, activity: dict) -> Write:
    target = id_of(activity.get("object"))
    return lambda session: receive_follow(session, ctx.rt, ctx.actor, activity["id"], target)
