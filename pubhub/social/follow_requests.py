"""Follow requests to a locked account: listed for its owner, who authorizes them (the stored
Follow is answered with an `Accept`) or rejects them (a `Reject`; the request is gone)."""

from __future__ import annotations

from ..errors import NotFound
from ..runtime import Runtime
from ..store import actors as actor_store
from ..store import follows as follow_store
from ..store.db import Session
from ..store.models import Actor, Follow
from .follows import answer_follow
from .notifications import taken_back


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
        return await authorize_pending(rt, session, account, follower_id)


async def reject_request(rt: Runtime, account: Actor, follower_id: int | None) -> Actor:
    """The pending request of `follower_id` is removed, answered with a Reject."""
    async with rt.db.write() as session:
        return await reject_pending(rt, session, account, follower_id)


async def authorize_pending(rt: Runtime, session: Session, account: Actor, follower_id: int | None) -> Actor:
    """`authorize_request` inside the caller's transaction (a room logs its decision with it)."""
    follow, follower = await _pending(session, account, follower_id)
    follow.state = "accepted"
    await taken_back(session, kind="FollowRequest", actor_id=follower.id, recipient_id=account.id)  # as Mastodon
    await answer_follow(rt, session, follow, follower, account, "Accept")
    return follower


async def reject_pending(rt: Runtime, session: Session, account: Actor, follower_id: int | None) -> Actor:
    """`reject_request` inside the caller's transaction."""
    follow, follower = await _pending(session, account, follower_id)
    await follow_store.remove(session, follow)
    await taken_back(session, kind="Follow", actor_id=follower.id, recipient_id=account.id)
    await answer_follow(rt, session, follow, follower, account, "Reject")
    return follower


async def remove_follower(rt: Runtime, session: Session, account: Actor, follower: Actor) -> bool:
    """Whatever follow (accepted or requested) `follower` has of `account` is removed, and a
    remote follower is told with a `Reject` of its Follow (Mastodon drops the follow on it).
    False if there was none."""
    follow = await follow_store.between(session, follower.id, account.id)
    if follow is None:
        return False
    await follow_store.remove(session, follow)
    await taken_back(session, kind="Follow", actor_id=follower.id, recipient_id=account.id)
    await answer_follow(rt, session, follow, follower, account, "Reject")
    return True


async def _pending(session: Session, account: Actor, follower_id: int | None) -> tuple[Follow, Actor]:
    """The request, or 404 as Mastodon answers for an account that has made none."""
    follower = await actor_store.by_id(session, follower_id) if follower_id is not None else None
    follow = await follow_store.between(session, follower.id, account.id) if follower is not None else None
    if follow is None or follow.state != "pending" or follower.deleted_at is not None:
        raise NotFound("Record not found")
    return follow, follower
