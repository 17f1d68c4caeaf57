"""A local account's own reactions to a note it may see: favourites (a `Like`) and boosts (an
`Announce`), and taking them back (`Undo`). Each is stored as an Interaction, like the ones
other servers send us, and federated in the same transaction. A boost is also a status of its own in
timelines and the `user` stream (social/boosts.py): streamed when made, deleted when taken back."""

from __future__ import annotations

from ..activitypub.documents import announce_document, like_document, undo_document
from ..errors import Unprocessable
from ..runtime import Runtime
from ..store import actors as actor_store
from ..store import interactions as store
from ..store import objects as object_store
from ..store.db import Database, Session
from ..store.models import Actor, Interaction, Object
from ..store.streams import StreamEvent
from ..store.timelines import Bounds
from . import notifications
from .boosts import note_of_status
from .visibility import OPEN, Viewer, visible_note

LIKE, ANNOUNCE = "Like", "Announce"


async def favourite(rt: Runtime, account: Actor, note_id: int | None) -> Object:
    """Favourite a note the account may see (404 otherwise); again changes nothing."""
    async with rt.db.write() as session:
        note = await note_of_status(session, Viewer(account), note_id)
        if await store.of_actor(session, LIKE, account.id, note.id) is None:
            like = await _record(rt, session, LIKE, account, note)
            author = await actor_store.by_id(session, note.author_id)
            await rt.deliveries.enqueue(session, _activity(like, account, note, author), account, _inbox_of(author))
    return note


async def unfavourite(rt: Runtime, account: Actor, note_id: int | None) -> Object:
    return await _take_back(rt, account, note_id, LIKE)


async def reblog(rt: Runtime, account: Actor, note_id: int | None) -> tuple[Interaction, Object]:
    """Boost a public or unlisted note the account may see, to its followers and the note's
    author; (the boost, the note). Boosting it again gives the boost it has."""
    async with rt.db.write() as session:
        note = await note_of_status(session, Viewer(account), note_id)
        if note.visibility not in OPEN:  # a private or direct note stays with its audience
            raise Unprocessable("Validation failed: Reblog of a private or direct status is not allowed")
        boost = await store.of_actor(session, ANNOUNCE, account.id, note.id)
        if boost is None:
            boost = await _record(rt, session, ANNOUNCE, account, note)
            author = await actor_store.by_id(session, note.author_id)
            await rt.deliveries.enqueue(session, _activity(boost, account, note, author), account, _inbox_of(author),
                                        followers_of=account)
    return boost, note


async def unreblog(rt: Runtime, account: Actor, note_id: int | None) -> Object:
    return await _take_back(rt, account, note_id, ANNOUNCE)


async def _take_back(rt: Runtime, account: Actor, note_id: int | None, kind: str) -> Object:
    """Remove the account's reaction of this kind and send its Undo where the reaction went;
    none made: nothing changes."""
    async with rt.db.write() as session:
        note = await note_of_status(session, Viewer(account), note_id)
        reaction = await store.of_actor(session, kind, account.id, note.id)
        if reaction is not None:
            await store.remove(session, reaction)
            await notifications.taken_back(session, kind=kind, actor_id=account.id, note_id=note.id)
            if kind == ANNOUNCE:
                await rt.streams.after_commit(session, [StreamEvent("delete", reaction.id)])
            author = await actor_store.by_id(session, note.author_id)
            await rt.deliveries.enqueue(session, undo_document(_activity(reaction, account, note, author)), account,
                                        _inbox_of(author), followers_of=account if kind == ANNOUNCE else None)
    return note


async def _record(rt: Runtime, session: Session, kind: str, account: Actor, note: Object) -> Interaction:
    # A fresh id each time: a Like taken back and given again is a new activity elsewhere.
    fragment = "likes" if kind == LIKE else "announces"
    uri = f"{account.uri}#{fragment}/{object_store.new_object_id()}"
    reaction = await store.add(session, kind=kind, activity_uri=uri, actor_id=account.id, object_id=note.id,
                               created_at=rt.clock.now())
    await notifications.on_interaction(session, rt.streams, kind=kind, actor_id=account.id, note=note, now=rt.clock.now())
    if kind == ANNOUNCE:
        await rt.streams.after_commit(session, [StreamEvent("boost", reaction.id)])
    return reaction


def _activity(reaction: Interaction, account: Actor, note: Object, author: Actor) -> dict:
    """The Like or Announce a stored reaction of the account's was sent as."""
    if reaction.kind == LIKE:
        return like_document(reaction.activity_uri, account, note)
    return announce_document(reaction.activity_uri, account, note, author, reaction.created_at)


def _inbox_of(author: Actor | None) -> list[str]:
    """The note's author's inbox if it lives elsewhere; a local author is only counted."""
    if author is None or author.local:
        return []
    return [author.shared_inbox or author.inbox]


async def reacted_by(db: Database, viewer: Viewer, note_id: int | None, kind: str,
                     bounds: Bounds) -> list[tuple[int, Actor]]:
    """(reaction id, account) of who favourited (`Like`) or boosted (`Announce`) a note the
    viewer may see (404 otherwise), the latest first; suspended accounts left out."""
    async with db.read() as session:
        note = await visible_note(session, viewer, note_id)
        return [(i, actor) for i, actor in await store.actors_page(session, kind, note.id, bounds)
                if actor.suspended_at is None]
