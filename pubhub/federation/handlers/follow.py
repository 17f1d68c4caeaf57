"""Follow: a remote actor follows one of our accounts. Auto-accepted (and answered with an
Accept) unless the account approves followers by hand."""

from __future__ import annotations

from ...store import actors as actor_store
from ...store import follows as follow_store
from ...store.models import Follow
from .. import vocab
from ..context import Context
from ..origins import id_of, require


async def handle(ctx: Context, activity: dict) -> None:
    target_uri = id_of(activity.get("object"))
    async with ctx.db.write() as session:
        target = await actor_store.by_uri(session, target_uri) if target_uri else None
        require(target is not None and target.local and target.kind != "Application", "Follow of an account that is not ours")
        follow = await follow_store.between(session, ctx.actor.id, target.id)
        if follow is None:
            follow = Follow(follower_id=ctx.actor.id, target_id=target.id, activity_uri=activity["id"],
                            state="pending" if target.manually_approves else "accepted")
            session.add(follow)
        else:
            follow.activity_uri = activity["id"]  # a re-sent Follow: answer it again
        await session.flush()
        if follow.state == "accepted":
            answer = vocab.accept(ctx.urls.new_activity(target.uri, "Accept"), target.uri, {
                "id": activity["id"], "type": "Follow", "actor": ctx.actor.uri, "object": target.uri,
            })
            await ctx.deliveries.enqueue(session, answer, target, [ctx.actor.inbox])
