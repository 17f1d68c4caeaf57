"""Likes and boosts (Announce) of the notes we know (their undoing: undo.py)."""

from __future__ import annotations

from datetime import datetime

from ..runtime import Runtime
from ..store.models import Actor
from ..store.objects import new_object_id
from .fetched_notes import FetchedNote
from .inbound_batch import InboundBatch
from .notifications import reaction_row
from .remote_notes import keep_note


async def record_interaction(batch: InboundBatch, actor: Actor, kind: str, activity_id: str, object_id: str,
                             now: datetime) -> None:
    """Count a reaction to a note we know, once per actor and kind (the store keeps the first
    of a kind, actor and note); others are ignored. The note's local author is notified (once:
a second Like of the same note by the same actor adds no notification either)."""
    note = await batch.note(object_id)
    if note is None or note.deleted:
        return  # not a note we know: nothing to count
    batch.add_reaction({"id": new_object_id(), "kind": kind, "activity_uri": activity_id, "actor_id": actor.id, "object_id": note.id,
                        "created_at": now})
    batch.add_notifications([reaction_row(kind, actor.id, note.id, note.author_id, note.local, now)])


async def record_boost_of_fetched(batch: InboundBatch, rt: Runtime, actor: Actor, activity_id: str,
                                  fetched: FetchedNote, now: datetime) -> None:
    """A boost of a note fetched for it (fetched_notes.boosted_note_to_fetch): the note is kept,
    then the boost counted, in the same write."""
    await keep_note(batch, rt, fetched.author, fetched.document)
    await record_interaction(batch, actor, "Announce", activity_id, fetched.uri, now)
