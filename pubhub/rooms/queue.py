"""The moderators' work on a room's posts: the queue of held posts (approve: shared now; reject:
never shared, the author told why), what the room has shared, and removing a shared post.
Each decision is logged with its reason, in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..errors import BadRequest, NotFound
from ..runtime import Runtime
from ..store import actors as actor_store
from ..store import objects as object_store
from ..store import rooms as room_store
from ..store.db import Session
from ..store.models import Actor, ModerationItem, Object
from . import decisions
from .authority import is_admin, may_moderate_hubs, require_staff_role
from .directory import RoomActor
from .hubs import bounded_text
from .sharing import share, tell_author, unshare

MAX_REASON = 1000


@dataclass(frozen=True)
class QueuedPost:
    item: ModerationItem
    note: Object
    author: Actor


@dataclass(frozen=True)
class RoomQueue:
    """A room's pre-moderation queue at a glance: how many posts wait, since when."""
    room: RoomActor
    waiting: int
    oldest: datetime | None


async def queues(session: Session, by: Actor | None) -> list[RoomQueue]:
    """The queue of every room `by` may act on (an admin: all; a hub moderator: their hubs'
    rooms, as `authority.manages_hub` says), the busiest first."""
    require_staff_role(by)
    if is_admin(by):
        rows = await room_store.waiting_by_room(session, None)
    elif may_moderate_hubs(by):
        rows = await room_store.waiting_by_room(session, by.id)
    else:
        return []
    return [RoomQueue(RoomActor(room, actor), waiting, oldest) for room, actor, waiting, oldest in rows]


async def rooms_of_post(session: Session, note_id: int) -> list[RoomActor]:
    """Every room the post was submitted to (whatever became of it there)."""
    return [RoomActor(room, actor) for _item, room, actor in await room_store.items_of_post(session, note_id)]


def room_rules(target: RoomActor) -> list[str]:
    """The room's rules, one a line, as a decision may cite them."""
    return [line.strip() for line in (target.room.rules or "").splitlines() if line.strip()]


def valid_reason(reason: str | None, *, required: bool) -> str:
    return bounded_text(reason or "", MAX_REASON, "reason", required=required)


async def queue(session: Session, target: RoomActor, *, limit: int, max_id: int | None = None,
                min_id: int | None = None) -> list[QueuedPost]:
    """Posts waiting for a moderator, newest first. (The caller found the room with `find_room`,
    which checked that it may.)"""
    return [QueuedPost(*row) for row in await room_store.items(session, target.room.id, ("pending",), limit=limit,
                                                                max_id=max_id, min_id=min_id)]


async def shared_posts(session: Session, target: RoomActor, *, limit: int, max_id: int | None = None,
                       min_id: int | None = None) -> list[QueuedPost]:
    """What the room has shared (and not taken back), newest first."""
    return [QueuedPost(*row) for row in await room_store.items(session, target.room.id, ("approved",), limit=limit,
                                                                max_id=max_id, min_id=min_id)]


async def _item(session: Session, target: RoomActor, item_id: int | None, state: str) -> QueuedPost:
    item = await room_store.item_by_id(session, target.room.id, item_id) if item_id is not None else None
    if item is None:
        raise NotFound("Record not found")
    if item.state != state:
        raise BadRequest(f"this post is {item.state}, not {state}", status=422)
    note = await object_store.by_id(session, item.object_id)
    author = await actor_store.by_id(session, item.author_id)
    return QueuedPost(item, note, author)


async def approve(rt: Runtime, session: Session, by: Actor | None, target: RoomActor,
                  item_id: int | None) -> QueuedPost:
    """Share a held post now."""
    post = await _item(session, target, item_id, "pending")
    if post.note.deleted_at is not None or post.author.deleted_at is not None:
        raise BadRequest("the post was deleted: reject it instead", status=422)
    if await room_store.ban_of(session, target.room.id, post.author.id) is not None:
        raise BadRequest("its author is banned from this room: reject it instead", status=422)
    post.item.state, post.item.decided_at = "approved", rt.clock.now()
    post.item.decided_by_id = by.id if by is not None else None
    await share(rt, session, target, post.item, post.note, post.author)
    await decisions.record(session, target.room.id, "approve", by=by, now=rt.clock.now(),
                           target_actor_id=post.author.id, target_object_id=post.note.id)
    return post


async def reject(rt: Runtime, session: Session, by: Actor | None, target: RoomActor, item_id: int | None,
                 reason: str | None) -> QueuedPost:
    """Refuse a held post: never shared; a remote author gets a direct message with the reason."""
    reason = valid_reason(reason, required=True)
    post = await _item(session, target, item_id, "pending")
    _decided(post.item, "rejected", by, reason, rt)
    if post.note.deleted_at is None and post.author.deleted_at is None:
        await tell_author(rt, session, target, post.note, post.author, reason)
    await decisions.record(session, target.room.id, "reject", by=by, now=rt.clock.now(),
                           target_actor_id=post.author.id, target_object_id=post.note.id, reason=reason)
    return post


async def remove(rt: Runtime, session: Session, by: Actor | None, target: RoomActor, status_id: int | None,
                 reason: str | None) -> QueuedPost:
    """Take back a post the room shared (by the post's id): Undo of the Announce, and Lemmy's
    removal; logged with the reason."""
    reason = valid_reason(reason, required=True)
    item = await room_store.item_of(session, target.room.id, status_id) if status_id is not None else None
    if item is None or item.state != "approved":
        raise NotFound("Record not found")
    post = await _item(session, target, item.id, "approved")
    await unshare(rt, session, target, post.item, post.note, post.author, moderator=by, reason=reason)
    _decided(post.item, "removed", by, reason, rt)
    await decisions.record(session, target.room.id, "remove", by=by, now=rt.clock.now(),
                           target_actor_id=post.author.id, target_object_id=post.note.id, reason=reason)
    return post


def _decided(item: ModerationItem, state: str, by: Actor | None, reason: str, rt: Runtime) -> None:
    item.state, item.reason, item.decided_at = state, reason, rt.clock.now()
    item.decided_by_id = by.id if by is not None else None


async def decisions_on_my_post(session: Session, author: Actor, note_id: int | None) -> list[tuple[ModerationItem, RoomActor]]:
    """What the rooms a local author's post was submitted to made of it (state and reason): the
    author's own post only, else 404."""
    note = await object_store.by_id(session, note_id) if note_id is not None else None
    if note is None or note.author_id != author.id:
        raise NotFound("Record not found")
    return [(item, RoomActor(room, actor)) for item, room, actor in await room_store.items_of_post(session, note.id)]


async def reinstate(rt: Runtime, session: Session, by: Actor | None, target: RoomActor, note_id: int | None,
                    reason: str) -> QueuedPost:
    """A post the room refused, rejected or took back is shared after all (its author's appeal
    was upheld): shared now, logged as approved with the reason."""
    item = await room_store.item_of(session, target.room.id, note_id) if note_id is not None else None
    if item is None or item.state not in ("rejected", "removed"):
        raise NotFound("Record not found")
    post = await _item(session, target, item.id, item.state)
    if post.note.deleted_at is not None or post.author.deleted_at is not None:
        raise BadRequest("the post was deleted since: there is nothing to share", status=422)
    post.item.state, post.item.decided_at, post.item.reason = "approved", rt.clock.now(), ""
    post.item.decided_by_id = by.id if by is not None else None
    await share(rt, session, target, post.item, post.note, post.author)
    await decisions.record(session, target.room.id, "approve", by=by, now=rt.clock.now(),
                           target_actor_id=post.author.id, target_object_id=post.note.id, reason=reason)
    return post
