"""What reaches a room from the fediverse, for the inbox's handlers (`federation/handlers/`):

- a `Follow` of the room is a request to join: the room's policy answers it
  (`verdicts.room_verdict_for_join`): allowed, it is an accepted follow with an `Accept`;
  held (an `approval` room), a pending follow a moderator answers later (`members.accept_join`
  and `refuse_join` send the `Accept` or `Reject`); refused (a banned actor), a `Reject` of
  the Follow, logged. An `Undo` of the Follow is the ordinary unfollow: the member leaves.
- a note that mentions or addresses a room (`to`, `cc`, `audience`, a `Mention` tag) is kept,
  whoever follows its author, and submitted to every room it names
  (`submissions.submit_post_to_room`), in the same transaction as the note itself. A remote
  author whose post the room refuses is told why in a direct message (not a room or a bot:
  two rooms must not answer each other forever).

A handler checks the federation rules first (signer, origin, attribution); these functions
decide what the room makes of what passed.
"""

from __future__ import annotations

from ..activitypub import vocab
from ..activitypub.fields import ids_of
from ..activitypub.origins import require
from ..runtime import Runtime
from ..social.follows import receive_follow
from ..social.inbound_batch import InboundBatch
from ..social.remote_notes import addressed_here, mentioned_uris, receive_note
from ..store import actors as actor_store
from ..store import objects as object_store
from ..store.db import Session
from ..store.models import Actor
from .directory import room_of_actor, rooms_addressed
from .link_codes import redeem
from .members import record_refused_join
from .sharing import tell_author
from .submissions import REFUSED, submit_to_addressed_rooms
from .verdicts import room_verdict_for_join

# Actors that are not told why their post was refused: rooms (and other groups) would answer
# each other's refusals forever; bots do not read them.
NOT_TOLD = ("Group", "Service", "Application")


async def receive_join(batch: InboundBatch, rt: Runtime, follower: Actor, follow_id: str, room_actor: Actor) -> None:
    """A remote actor's Follow of a room's actor, answered by the room's join policy."""
    require(await batch.alive(follower.id), "Follow from an actor that deleted itself")
    found = await room_of_actor(batch.session, room_actor)
    require(found is not None, "Follow of a group that is not a room")
    verdict = await room_verdict_for_join(batch.session, found.room, room_actor, follower, rt.clock.now())
    if verdict.refused:
        follow = vocab.embedded(vocab.follow(follow_id, follower.uri, room_actor.uri))
        refusal = vocab.reject(rt.urls.new_activity(room_actor.uri, "Reject"), room_actor.uri, follow)
        batch.send(refusal, room_actor, [follower.inbox])
        await record_refused_join(rt, batch.session, found, follower, verdict.reason)
        return
    # Allowed or held: an `approval` room's actor approves followers by hand, so the follow
    # waits (pending) for a moderator exactly as the verdict says.
    await receive_follow(batch, rt, follower, follow_id, room_actor.uri, hold=verdict.held)


async def _redeemed_a_code(rt: Runtime, session: Session, note, author: Actor, document: dict) -> bool:
    if note.visibility != "direct":
        return False
    redeemed = False
    for target in await rooms_addressed(session, [uri for uri in named_uris(document) if rt.urls.is_local(uri)]):
        redeemed = await redeem(rt, session, target, author, note) or redeemed
    return redeemed


def named_uris(document: dict) -> list[str]:
    """The actor URIs a note names: `to`, `cc`, `audience` and its mentions."""
    return [*ids_of(document.get("to")), *ids_of(document.get("cc")), *ids_of(document.get("audience")),
            *mentioned_uris(document)]


async def names_a_room(rt: Runtime, document: dict) -> bool:
    """Whether a note names one of our rooms (read without the write lock, before the writes;
    no query at all for a note that names nothing of ours, or only accounts of ours already
    seen: a reply that mentions the agency)."""
    if not addressed_here(rt.urls, document):
        return False
    local = [uri for uri in named_uris(document) if rt.urls.is_local(uri)]
    unknown = [uri for uri in dict.fromkeys(local) if not rt.local_accounts.get(uri)]
    if not unknown:
        return False
    async with rt.db.read() as session:
        found = await actor_store.by_uris(session, unknown)
    for uri, actor in found.items():
        if actor.local and actor.kind != "Group":
            rt.local_accounts.set(uri, True)
    return any(actor.local and actor.kind == "Group" and actor.deleted_at is None for actor in found.values())


async def receive_room_post(session: Session, rt: Runtime, author: Actor, document: dict,
                            followed: set[str] | None = None) -> None:
    """Keep a remote note (already checked to be `author`'s own) that names a room, and submit
    it to the rooms it names: shared, queued or refused, in this transaction. A re-sent Create
    changes nothing (each post is submitted to a room once)."""
    batch = InboundBatch(session, rt.deliveries, rt.streams)
    await receive_note(batch, rt, author, document, followed)
    await batch.flush()
    note = await object_store.by_uri(session, document["id"])
    if note is None or note.deleted_at is not None or note.author_id != author.id:
        return
    if await _redeemed_a_code(rt, session, note, author, document):
        return  # a direct message with a link code: nothing to share, nothing to refuse
    submissions = await submit_to_addressed_rooms(rt, session, note, author,
                                                  also_addressed=tuple(ids_of(document.get("audience"))))
    for submission in submissions:
        if submission.outcome == REFUSED and author.kind not in NOT_TOLD:
            await tell_author(rt, session, submission.room, note, author, submission.reason)
