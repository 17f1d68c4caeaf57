"""The decisions log of a room: every moderation decision with who took it (a moderator, or
None for the room's own policy), when, what, on whom or which post, and the reason or the
room rule it applied. Written in the decision's own transaction; read by the hub's moderators."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..store import actors as actor_store
from ..store import rooms as room_store
from ..store.db import Session
from ..store.models import Actor, RoomDecision

ACTIONS = ("approve", "reject", "remove", "ban", "unban", "join_accepted", "join_refused", "post_refused",
           "rule_changed", "verified", "verification_revoked", "link_code")


@dataclass(frozen=True)
class LoggedDecision:
    decision: RoomDecision
    moderator: Actor | None
    target: Actor | None


async def record(session: Session, room_id: int, action: str, *, by: Actor | None, now: datetime,
                 target_actor_id: int | None = None, target_object_id: int | None = None,
                 reason: str = "") -> RoomDecision:
    assert action in ACTIONS, action
    return await room_store.add_decision(
        session, room_id=room_id, moderator_id=by.id if by is not None else None, action=action,
        target_actor_id=target_actor_id, target_object_id=target_object_id, reason=reason, created_at=now)


async def read_log(session: Session, room_id: int, *, limit: int, max_id: int | None = None,
                   min_id: int | None = None) -> list[LoggedDecision]:
    """A page of the log, newest first, with the accounts it names (one query for them)."""
    rows = await room_store.decisions(session, room_id, limit=limit, max_id=max_id, min_id=min_id)
    actors = await actor_store.by_ids(session, [i for d in rows for i in (d.moderator_id, d.target_actor_id)])
    return [LoggedDecision(d, actors.get(d.moderator_id), actors.get(d.target_actor_id)) for d in rows]
