"""Create: a remote note. It must share the actor's origin and be attributed to the actor;
it is kept (sanitised) only if it concerns someone here."""

from __future__ import annotations

from ...store import objects as object_store
from ..context import Context
from ..notes import NOTE_TYPES, concerns_us, store_remote_note
from ..origins import first_id, id_of, require, require_same_origin
from ._objects import dereference


async def handle(ctx: Context, activity: dict) -> None:
    require_same_origin(ctx.actor.uri, id_of(activity.get("object")), "created object")
    note = await dereference(ctx, activity.get("object"))
    if note.get("type") not in NOTE_TYPES:
        return  # other object types are not ours to keep (yet)
    require(first_id(note.get("attributedTo")) == ctx.actor.uri, "created object is attributed to someone else")
    if not await concerns_us(ctx.db, ctx.urls, note, ctx.actor, ctx.followed_by_locals):
        return  # most notes are not for us: decided without the write lock, mostly without a query
    async with ctx.db.write() as session:
        if await object_store.by_uri(session, note["id"]) is None:  # already have it: idempotent
            await store_remote_note(session, note, ctx.actor)
