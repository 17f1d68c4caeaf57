"""Create: a remote note. It must share the actor's origin and be attributed to the actor;
it is kept (sanitised) only if it concerns someone here."""

from __future__ import annotations

from ...activitypub.fields import first_id, is_a
from ...activitypub.origins import require
from ...social.remote_notes import NOTE_TYPES, receive_note
from ..context import Context
from ._objects import dereference


async def handle(ctx: Context, activity: dict) -> None:
    note = await dereference(ctx, activity.get("object"), "created object")
    if not is_a(note, NOTE_TYPES):
        return  # other object types are not ours to keep (yet)
    require(first_id(note.get("attributedTo")) == ctx.actor.uri, "created object is attributed to someone else")
    await receive_note(ctx.rt, ctx.actor, note, ctx.followed_by_locals)
