"""What Accept and Reject share: finding the Follow we sent that they answer."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from ...store import actors as actor_store
from ...store import follows as follow_store
from ...store.models import Follow
from ..context import Context
from ..origins import id_of, require


async def follow_we_sent(session: AsyncSession, ctx: Context, activity: dict) -> Follow:
    """The Follow this Accept/Reject answers: one we sent, and only its target may answer it."""
    reference = activity.get("object")
    follow = await follow_store.by_activity_uri(session, id_of(reference) or "")
    if follow is None and isinstance(reference, dict) and reference.get("type") == "Follow" \
            and id_of(reference.get("object")) == ctx.actor.uri:
        # Some servers answer with a Follow under another id: match it by (follower, answerer),
        # but only if it is a Follow of the answerer at all.
        follower = await actor_store.by_uri(session, id_of(reference.get("actor")) or "")
        if follower is not None and follower.local:
            follow = await follow_store.between(session, follower.id, ctx.actor.id)
    require(follow is not None, f"{activity.get('type')} of a Follow we never sent")
    follower = await actor_store.by_id(session, follow.follower_id)
    require(follower is not None and follower.local, f"{activity.get('type')} of a Follow we never sent")
    require(follow.target_id == ctx.actor.id, f"{activity.get('type')} of a Follow from someone other than its target")
    return follow
