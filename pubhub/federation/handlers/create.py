"""Create: a remote note. It must share the actor's origin and be attributed to the actor;
it is kept (sanitised) only if it concerns someone here. A note that names one of our rooms
(mention, `to`, `cc` or `audience`) is kept and submitted to the room in the same write
(`rooms.inbound.receive_room_post`). A vote on one of our polls (a Note naming an option, in
reply to the Question) is counted, not kept as a note."""

from __future__ import annotations

from ...activitypub.fields import first_id, is_a
from ...activitypub.origins import require
from ...rooms.inbound import names_a_room, receive_room_post
from ...social.polls import is_vote, receive_vote
from ...social.remote_notes import NOTE_TYPES, may_concern_us, note_uris, receive_note
from ..context import Batched, Context, Write
from ._objects import dereference


async def handle(ctx: Context, activity: dict) -> Batched | Write | None:
    note = await dereference(ctx, activity.get("object"), "created object")
    if not is_a(note, NOTE_TYPES):
        return None  # other object types are not ours to keep (yet)
    require(first_id(note.get("attributedTo")) == ctx.actor.uri, "created object is attributed to someone else")
    if is_vote(note) and ctx.rt.urls.is_local(first_id(note.get("inReplyTo"))):
        return lambda session: receive_vote(session, ctx.rt, ctx.actor, note)
    followed = ctx.followed_by_locals
    if not may_concern_us(ctx.rt.urls, note, ctx.actor, followed):
        return None  # most notes are not for us: decided without a query, nothing to write
    if await names_a_room(ctx.rt, note):  # a read, before the writes: only for notes naming ours
        return lambda session: receive_room_post(session, ctx.rt, ctx.actor, note, followed)
    return Batched(lambda batch: receive_note(batch, ctx.rt, ctx.actor, note, followed), note_uris(note))
