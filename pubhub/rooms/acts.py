"""A moderator's decision on a room, as the admin API and the console both take it: the room
found for the moderator (`find_room`: 403 for another hub's moderator, before anything else),
the decision run, and, for a decision that restricts, its statement of reasons (DSA art. 17),
all in one transaction. One place, so the two entry points cannot drift apart."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from ..accountability.reasons import Grounds, record_decision
from ..runtime import Runtime
from ..store.models import Actor
from . import members, queue
from .directory import RoomActor, find_room

Decide = Callable[..., Awaitable[object]]  # (rt, session, by, room, subject_id, reason) -> what was done


@dataclass(frozen=True)
class Act:
    """A room decision: how it is taken, and, when it restricts someone, the action its statement
    of reasons names and whom (account, post) what it returns is about."""
    decide: Decide
    stated: str | None = None
    subject: Callable[[object], tuple[object, object]] = lambda done: (None, None)


async def _approve(rt, session, by, target, item_id, reason):
    return await queue.approve(rt, session, by, target, item_id)


async def _accept_join(rt, session, by, target, account_id, reason):
    return await members.accept_join(rt, session, by, target, account_id)


async def _revoke_verification(rt, session, by, target, account_id, reason):
    return await members.revoke_verification(rt, session, by, target, account_id, reason or "")


APPROVE = Act(_approve)
REJECT = Act(queue.reject, "reject", lambda post: (None, post.note))
REMOVE = Act(queue.remove, "remove", lambda post: (None, post.note))
BAN = Act(members.ban, "ban", lambda done: (done[1], None))  # (the ban, the account banned)
UNBAN = Act(members.unban)
ACCEPT_JOIN = Act(_accept_join)
REFUSE_JOIN = Act(members.refuse_join, "refuse_join", lambda account: (account, None))
REVOKE_VERIFICATION = Act(_revoke_verification)


async def act_on_room(rt: Runtime, by: Actor | None, room_id: int | None, act: Act, subject_id: int | None,
                      reason: str | None) -> object:
    """Take `act` on the room `room_id` about `subject_id` (a queue item, an account or a post)."""
    async with rt.db.write() as session:
        target = await find_room(session, by, room_id)
        done = await act.decide(rt, session, by, target, subject_id, reason)
        if act.stated is not None:
            await _state_reasons(rt, session, by, target, act, done, reason)
        return done


async def _state_reasons(rt: Runtime, session, by: Actor | None, target: RoomActor, act: Act, done,
                         reason: str | None) -> None:
    """The statement's ground is the room's rules as the moderator applied them (their reason);
    the author or member may appeal it."""
    account, note = act.subject(done)
    grounds = Grounds(kind="room_rule", text=(reason or "").strip() or f"the rules of {target.actor.display_name}",
                      facts=f"in the room {target.actor.display_name or target.actor.username}")
    await record_decision(session, by=by, action=act.stated, grounds=grounds, now=rt.clock.now(),
                          account=account, status=note, hub_id=target.room.hub_id, room_id=target.room.id)
