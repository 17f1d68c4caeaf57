"""Follow requests to a locked account: listed for its owner, who authorizes them (the stored
Follow is answered with an `Accept`) or rejects them (a `Reject`; the request is gone)."""

from __future__ import annotations

from ..errors import NotFound
from ..runtime import Runtime
from ..store import actors as actor_store
from ..store import follows as follow_store
from ..store.models import Actor, Follow
from .follows import answer_follow


async def pending_requests(rt: Runtime, account: Actor, *, limit: int, max_id: int | None = None,
                           min_id: int | None = None) -> list[tuple[Follow, Actor]]:
    """(request, requester) waiting for `account`, newest first."""
    async with rt.db.read() as session:
        return await follow_store.pending_for(session, account.id, limit=limit, max_id=max_id, min_id=min_id)


async def pending_count(rt: Runtime, account: Actor) -> int:
    async with rt.db.read() as session:
        return await follow_store.pending_count(session, account.id)


async def authorize_request(rt: Runtime, account: Actor, follower_id: int | None) -> Actor:
    """The pending request of `follower_id` becomes an accepted follow, answered with an Accept."""
    async with rt.db.write() as session:
        follow, follower = await _pending(session, account, follower_id)
        follow.state = "accepted"
        await answer_follow(rt, session, follow, follower, account, "Accept")
    return follower


async def reject_request(rt: Runtime, account: Actor, follower_id: int | None) -> Actor:
    """The pending request of `follower_id` is removed, answered with a Reject."""
    async with rt.db.write() as session:
        follow, follower = await _pending(session, account, follower_id)
        await follow_store.remove(session, follow)
        await answer_follow(rt, session, follow, follower, account, "Reject")
    return follower


async def _pending(session, account: Actor, follower_id: int | None) -> tuple[Follow, Actor]:
    """The request, or 404 as Mastodon answers for an account that has made none."""
    follower = await actor_store.by_id(session, follower_id) if follower_id is not None else None
    follow = await follow_store.between(session, follower.id, account.id) if follower is not None else None
    if follow is None or follow.state != "pending" or follower.deleted_at is not None:
        raise NotFound("Record not found")
    return follow, follower
