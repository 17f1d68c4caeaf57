"""Follow: a remote actor follows one of our accounts. Auto-accepted (and answered with an
Accept) unless the account approves followers by hand."""

from __future__ import annotations

from ...activitypub.fields import id_of
from ...social.follows import receive_follow
from ..context import Context


async def handle(ctx: Context, activity: dict) -> None:
    await receive_follow(ctx.rt, ctx.actor, activity["id"], id_of(activity.get("object")))
