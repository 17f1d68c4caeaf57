"""A post that reaches a room: by a mention (what a Mastodon user does) or by addressing it
(`to`, `cc` or `audience`, what group-aware servers do), from a remote author (the inbound
side calls `submit_post_to_room`) or a local one (`post_status`, for the client API).

The room asks its policy (`verdicts.room_verdict_for_post`): allowed, it shares the post at once
(moderation `none` or `post`); held, the post waits in the queue (`pre`); refused, it is never
shared, and the refusal is logged with the rule it broke. Each post is submitted to a room once:
the same post again (a re-sent Create, an edit) changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..accountability.reasons import Grounds, record_decision
from ..runtime import Runtime
from ..social.statuses import StatusRequest, create_status
from ..social.visibility import mentioned
from ..store import rooms as room_store
from ..store.db import Session
from ..store.models import Actor, ModerationItem, Object
from . import decisions
from .directory import RoomActor, rooms_addressed
from .sharing import share
from .verdicts import room_verdict_for_post

SHARED, QUEUED, REFUSED, KNOWN = "shared", "queued", "refused", "known"
MAX_ROOMS_PER_POST = 5  # a post naming more rooms is submitted to the first five


@dataclass(frozen=True)
class Submission:
    room: RoomActor
    outcome: str  # shared | queued | refused | known (submitted before: nothing changed)
    item: ModerationItem
    reason: str = ""


async def submit_post_to_room(rt: Runtime, session: Session, target: RoomActor, note: Object,
                              author: Actor) -> Submission:
    """Submit a stored post (local or remote, already checked to be `author`'s) to a room, inside
    the caller's transaction: shared now, queued for a moderator, or refused (logged)."""
    known = await room_store.item_of(session, target.room.id, note.id)
    if known is not None:
        return Submission(target, KNOWN, known, known.reason or "")
    now = rt.clock.now()
    verdict = await room_verdict_for_post(session, target.room, target.actor, author, note)
    if verdict.refused:
        item = await room_store.add_item(session, room_id=target.room.id, object_id=note.id, author_id=author.id,
                                         state="rejected", reason=verdict.reason, decided_at=now, created_at=now)
        await decisions.record(session, target.room.id, "post_refused", by=None, now=now, target_actor_id=author.id,
                               target_object_id=note.id, reason=verdict.reason)
        await record_decision(session, by=None, action="refuse", status=note, now=now, hub_id=target.room.hub_id,
                              room_id=target.room.id, grounds=_room_policy(target, verdict.reason, "the post"))
        return Submission(target, REFUSED, item, verdict.reason)
    if verdict.held:
        item = await room_store.add_item(session, room_id=target.room.id, object_id=note.id, author_id=author.id,
                                         state="pending", created_at=now)
        return Submission(target, QUEUED, item, verdict.reason)
    item = await room_store.add_item(session, room_id=target.room.id, object_id=note.id, author_id=author.id,
                                     state="approved", decided_at=now, created_at=now)
    await share(rt, session, target, item, note, author)
    return Submission(target, SHARED, item)


def _room_policy(target: RoomActor, reason: str, what: str) -> Grounds:
    """An automated decision's ground: the room's own policy, as its verdict named it."""
    return Grounds(kind="room_rule", text=reason, automated=True,
                   facts=f"{what} was refused by the policy of the room {target.actor.display_name or target.slug}")


async def submit_to_addressed_rooms(rt: Runtime, session: Session, note: Object, author: Actor,
                                    also_addressed: tuple[str, ...] = ()) -> list[Submission]:
    """Submit the post to every local room it mentions or addresses (`to`, `cc`, and
    `also_addressed`: e.g. its `audience`, which notes do not keep), at most five."""
    uris = [*mentioned(note), *(note.to or []), *(note.cc or []), *also_addressed]
    targets = await rooms_addressed(session, uris)
    return [await submit_post_to_room(rt, session, target, note, author)
            for target in targets[:MAX_ROOMS_PER_POST] if target.actor.id != author.id]


async def post_status(rt: Runtime, author: Actor, request: StatusRequest) -> Object:
    """A local account posts (the client API's POST /api/v1/statuses): published as any
    status, and submitted, in the same transaction, to the rooms it mentions."""
    async def to_rooms(session: Session, note: Object) -> None:
        await submit_to_addressed_rooms(rt, session, note, author)

    return await create_status(rt, author, request, after=to_rooms)
