"""Follow: a remote actor follows one of our accounts. Auto-accepted (and answered with an
Accept) unless the account approves followers by hand. A Follow of a room is a request to
join it, answered by the room's join policy (`rooms.inbound.receive_join`): accepted, left for
a moderator, or (a banned actor) answered with a Reject."""

from __future__ import annotations

from ...activitypub.fields import id_of
from ...rooms.inbound import receive_join
from ...social.follows import follow_needs, receive_follow
from ...social.inbound_batch import InboundBatch
from ..context import Batched, Context


async def handle(ctx: Context, activity: dict) -> Batched:
    target = id_of(activity.get("object"))

    async def write(batch: InboundBatch) -> None:
        ours = await batch.account(target) if target else None  # read with the batch's other follows
        if ours is not None and ours.kind == "Group":
            await receive_join(batch, ctx.rt, ctx.actor, activity["id"], ours)
        else:
            await receive_follow(batch, ctx.rt, ctx.actor, activity["id"], target)

    return Batched(write, follows=follow_needs(ctx.actor, target))
