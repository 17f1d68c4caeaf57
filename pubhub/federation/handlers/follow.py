"""Follow: a remote actor follows one of our accounts. Auto-accepted (and answered with an
Accept) unless the account approves followers by hand."""

from __future__ import annotations

from ...activitypub.fields import id_of
from ...social.follows import follow_needs, receive_follow
from ..context import Batched, Context


async def handle(ctx: Context, activity: dict) -> Batched:
    target = id_of(activity.get("object"))
    return Batched(lambda batch: receive_follow(batch, ctx.rt, ctx.actor, activity["id"], target),
                   follows=follow_needs(ctx.actor, target))
