"""Update: of the actor itself (profile and key refreshed from its origin), or of one of the
actor's own notes."""

from __future__ import annotations

from ...store import actors as actor_store
from ...store import objects as object_store
from ...store.models import utcnow
from ..context import Context
from ..notes import NOTE_TYPES, note_fields
from ..origins import first_id, id_of, require, require_same_origin
from ..vocab import ACTOR_TYPES


async def handle(ctx: Context, activity: dict) -> None:
    obj = activity.get("object")
    object_id = id_of(obj)
    require(object_id is not None, "Update without an object")
    if object_id == ctx.actor.uri:
        # Never trust an embedded profile for the key: re-fetch the actor from its origin.
        await ctx.actors.get(ctx.actor.uri, refresh=True)
        return
    require(not (isinstance(obj, dict) and obj.get("type") in ACTOR_TYPES), "Update of someone else's actor")
    require_same_origin(ctx.actor.uri, object_id, "updated object")
    async with ctx.db.write() as session:
        require(await actor_store.by_uri(session, object_id) is None, "Update of someone else's actor")
        note = await object_store.by_uri(session, object_id)
        if note is None or note.deleted_at is not None:
            return  # nothing of ours to update
        require(note.author_id == ctx.actor.id, "Update of someone else's object")
        require(isinstance(obj, dict) and obj.get("type") in NOTE_TYPES, "Update of a note without the note")
        require(first_id(obj.get("attributedTo")) == ctx.actor.uri, "updated object is attributed to someone else")
        for field, value in note_fields(obj, ctx.actor).items():
            setattr(note, field, value)
        note.updated_at = utcnow()
