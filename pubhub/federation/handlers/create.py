"""Create: a remote note. It must share the actor's origin and be attributed to the actor;
it is kept (sanitised) only if it concerns someone here."""

from __future__ import annotations

from ...activitypub.fields import first_id, is_a
from ...activitypub.origins import require
from ...social.remote_notes import NOTE_TYPES, may_concern_us, note_uris, receive_note
from ..context import Batched, Context
from ._objects import dereference


async def handle(ctx: Context, activity: dict) -> Batched | None:
    note = await dereference(ctx, activity.get("object"), "created object")
    if not is_a(note, NOTE_TYPES):
        return None  # other object types are not ours to keep (yet)
    require(first_id(note.get("attributedTo")) == ctx.actor.uri, "created object is attributed to someone else")
    followed = ctx.followed_by_locals
    if not may_concern_us(ctx.rt.urls, note, ctx.actor, followed):
        return None  # most notes are not for us: decided without a query, nothing to write
    return Batched(lambda batch: receive_note(batch, ctx.rt, ctx.actor, note, followed), note_uris(note))
