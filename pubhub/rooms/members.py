"""A room's members (the Group actor's accepted followers), its join requests (pending follows,
as for a locked account) and its bans. Joining is following: the inbound side asks
`verdicts.room_verdict_for_join`; here moderators answer the requests that were held, and ban.

A ban removes the member (or its pending request; a remote one is told with a `Reject` of its
Follow, which Mastodon reads as "removed from followers") and refuses its later follows and posts.
Each decision is logged with its reason, in the same transaction."""

from __future__ import annotations

from ..accountability.reasons import Grounds, record_decision
from ..errors import BadRequest, Forbidden, NotFound
from ..runtime import Runtime
from ..social.follow_requests import authorize_pending, reject_pending, remove_follower
from ..social.follows import follow_account
from ..store import actors as actor_store
from ..store import follows as follow_store
from ..store import rooms as room_store
from ..store import verifications as verification_store
from ..store.db import Session
from ..store.models import Actor, Follow, RoomBan
from . import decisions
from .authority import manages_hub
from .directory import RoomActor, room_of_actor
from .queue import valid_reason
from .seam import bans_changed
from .verdicts import room_verdict_for_join


async def follow_or_join(rt: Runtime, follower: Actor, target: Actor) -> Follow:
    """A local account follows `target` (the client API's follow): a room asks its join policy
    first (a banned account is refused with the reason, 403; an approval room makes it a
    request for the moderators); anyone else is followed as usual."""
    async with rt.db.read() as session:
        found = await room_of_actor(session, target)
        verdict = (await room_verdict_for_join(session, found.room, target, follower, rt.clock.now())
                   if found is not None else None)
    if verdict is not None and verdict.refused:
        raise Forbidden(verdict.reason)
    return await follow_account(rt, follower, target)


async def members(session: Session, target: RoomActor, *, limit: int, max_id: int | None = None,
                  min_id: int | None = None) -> list[tuple[Follow, Actor]]:
    """(membership, member), newest first; paged by the membership's id."""
    return await room_store.members(session, target.actor.id, limit=limit, max_id=max_id, min_id=min_id)


async def join_requests(session: Session, target: RoomActor, *, limit: int, max_id: int | None = None,
                        min_id: int | None = None) -> list[tuple[Follow, Actor]]:
    """(request, who asks), newest first, for an `approval` room."""
    return await follow_store.pending_for(session, target.actor.id, limit=limit, max_id=max_id, min_id=min_id)


async def accept_join(rt: Runtime, session: Session, by: Actor | None, target: RoomActor,
                      account_id: int | None) -> Actor:
    """The pending request of `account_id` is accepted (an Accept of its Follow)."""
    if account_id is not None and await room_store.ban_of(session, target.room.id, account_id) is not None:
        raise BadRequest("this account is banned from the room: unban it first", status=422)
    member = await authorize_pending(rt, session, target.actor, account_id)
    await decisions.record(session, target.room.id, "join_accepted", by=by, now=rt.clock.now(),
                           target_actor_id=member.id)
    return member


async def refuse_join(rt: Runtime, session: Session, by: Actor | None, target: RoomActor, account_id: int | None,
                      reason: str | None = None) -> Actor:
    """The pending request of `account_id` is refused (a Reject of its Follow)."""
    reason = valid_reason(reason, required=False)
    refused = await reject_pending(rt, session, target.actor, account_id)
    await decisions.record(session, target.room.id, "join_refused", by=by, now=rt.clock.now(),
                           target_actor_id=refused.id, reason=reason)
    return refused


async def record_refused_join(rt: Runtime, session: Session, target: RoomActor, actor: Actor, reason: str) -> None:
    """For the inbound side: log that the room's policy refused `actor`'s Follow (`reason` is the
    verdict's). Answering it with a Reject is the inbound side's (it holds the Follow)."""
    await decisions.record(session, target.room.id, "join_refused", by=None, now=rt.clock.now(),
                           target_actor_id=actor.id, reason=reason)
    await record_decision(session, by=None, action="refuse_join", account=actor, now=rt.clock.now(),
                          hub_id=target.room.hub_id, room_id=target.room.id,
                          grounds=Grounds(kind="room_rule", text=reason, automated=True,
                                          facts=f"the request to join the room {target.actor.display_name or target.slug} "
                                                "was refused by its policy"))


async def ban(rt: Runtime, session: Session, by: Actor | None, target: RoomActor, account_id: int | None,
              reason: str | None) -> tuple[RoomBan, Actor]:
    """Ban an actor (member or not, local or remote) from the room, with a reason."""
    reason = valid_reason(reason, required=True)
    actor = await actor_store.by_id(session, account_id) if account_id is not None else None
    if actor is None or actor.kind == "Application" or actor.id == target.actor.id:
        raise NotFound("Record not found")
    if actor.local and actor.kind != "Group" and await manages_hub(session, actor, target.room.hub_id):
        raise BadRequest("a moderator of the room's hub cannot be banned from it", status=422)
    existing = await room_store.ban_of(session, target.room.id, actor.id)
    if existing is not None:
        return existing, actor  # banned already: the first ban and its reason stand
    now = rt.clock.now()
    banned = await room_store.add_ban(session, room_id=target.room.id, actor_id=actor.id, reason=reason,
                                      banned_by_id=by.id if by is not None else None, created_at=now)
    await remove_follower(rt, session, target.actor, actor)
    bans_changed(session, rt.policy)
    await decisions.record(session, target.room.id, "ban", by=by, now=now, target_actor_id=actor.id, reason=reason)
    return banned, actor


async def unban(rt: Runtime, session: Session, by: Actor | None, target: RoomActor, account_id: int | None,
                reason: str | None) -> Actor:
    """Lift a ban; the actor may follow again (it is not made a member)."""
    reason = valid_reason(reason, required=False)
    existing = await room_store.ban_of(session, target.room.id, account_id) if account_id is not None else None
    if existing is None:
        raise NotFound("Record not found")
    await room_store.remove_ban(session, existing)
    bans_changed(session, rt.policy)
    await decisions.record(session, target.room.id, "unban", by=by, now=rt.clock.now(), target_actor_id=account_id,
                           reason=reason)
    return await actor_store.by_id(session, account_id)


async def bans(session: Session, target: RoomActor, *, limit: int, max_id: int | None = None,
               min_id: int | None = None) -> list[tuple[RoomBan, Actor]]:
    return await room_store.bans(session, target.room.id, limit=limit, max_id=max_id, min_id=min_id)


async def revoke_verification(rt: Runtime, session: Session, by: Actor | None, target: RoomActor,
                              account_id: int | None, reason: str) -> Actor:
    """A moderator withdraws a member's verification of the room's attribute rule: their posts
    are refused until they verify again (rooms/verdicts.py). Logged."""
    found = await verification_store.of_actor(session, target.room.id, account_id) if account_id is not None else None
    if found is None or found.revoked_at is not None:
        raise NotFound("Record not found")
    found.revoked_at = rt.clock.now()
    await decisions.record(session, target.room.id, "verification_revoked", by=by, now=found.revoked_at,
                           target_actor_id=account_id, reason=reason)
    return await actor_store.by_id(session, account_id)
