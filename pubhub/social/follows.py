"""Follows, both ways: our accounts following others (and unfollowing), and remote actors
following ours (auto-accepted unless the account is locked), with the answers to each."""

from __future__ import annotations

from ..activitypub import vocab
from ..activitypub.fields import id_of, is_a, text
from ..activitypub.origins import require
from ..errors import BadRequest
from ..runtime import Runtime
from ..store import actors as actor_store
from ..store import follows as follow_store
from ..store.db import Database, Session
from ..store.models import Actor, Follow
from .inbound_batch import InboundBatch
from .notifications import follow_row, on_local_follow, taken_back


# ---- our accounts following others ----------------------------------------------------------

async def follow_account(rt: Runtime, follower: Actor, target: Actor) -> Follow:
    if target.id == follower.id:
        raise BadRequest("you can't follow yourself", status=422)
    async with rt.db.write() as session:
        follow = await follow_store.between(session, follower.id, target.id)
        if follow is not None:
            return follow
        follow = await follow_store.add(
            session, follower_id=follower.id, target_id=target.id,
            activity_uri=rt.urls.new_activity(follower.uri, "Follow"),
            state="accepted" if target.local and not target.manually_approves else "pending",
        )
        if not target.local:
            activity = vocab.follow(follow.activity_uri, follower.uri, target.uri)
            await rt.deliveries.enqueue(session, activity, follower, [target.inbox])
        else:
            await on_local_follow(session, rt.streams, follow, rt.clock.now())
    return follow


async def unfollow_account(rt: Runtime, follower: Actor, target: Actor) -> None:
    async with rt.db.write() as session:
        follow = await follow_store.between(session, follower.id, target.id)
        if follow is None:
            return
        await follow_store.remove(session, follow)
        await taken_back(session, kind="Follow", actor_id=follower.id, recipient_id=target.id)
        if not target.local:
            inner = vocab.follow(follow.activity_uri, follower.uri, target.uri)
            activity = vocab.undo(rt.urls.new_activity(follower.uri, "Undo"), follower.uri, inner)
            await rt.deliveries.enqueue(session, activity, follower, [target.inbox])


async def relationship(rt: Runtime, viewer: Actor, target: Actor) -> dict[str, bool]:
    """following / requested / followed_by between the viewer and another account."""
    async with rt.db.read() as session:
        out = await follow_store.between(session, viewer.id, target.id)
        back = await follow_store.between(session, target.id, viewer.id)
    return {
        "following": out is not None and out.state == "accepted",
        "requested": out is not None and out.state == "pending",
        "followed_by": back is not None and back.state == "accepted",
    }


async def follow_collection(db: Database, actor: Actor, *, followers: bool, limit: int, offset: int) -> tuple[int, list[str]]:
    """(total, actor ids on this page) of an account's accepted followers or followings."""
    async with db.read() as session:
        return await follow_store.page(session, actor.id, followers=followers, limit=limit, offset=offset)


# ---- remote actors following ours -----------------------------------------------------------

def follow_needs(follower: Actor, target_uri: str | None) -> tuple[tuple[int, str], ...]:
    """What `receive_follow` looks up, read for a whole batch at once."""
    return ((follower.id, target_uri),) if target_uri else ()


async def receive_follow(batch: InboundBatch, rt: Runtime, follower: Actor, follow_id: str, target_uri: str | None,
                         *, hold: bool = False) -> None:
    """A remote actor follows one of our accounts: recorded, and answered with an Accept unless
    the account approves followers by hand (or the caller `hold`s it: a room waiting for proof).
    A re-sent Follow is answered again."""
    require(await batch.alive(follower.id), "Follow from an actor that deleted itself")
    target = await batch.account(target_uri) if target_uri else None
    require(target is not None and target.kind != "Application", "Follow of an account that is not ours")
    follow = await batch.follow(follower.id, target.id)
    if follow is None:
        follow = batch.add_follow(follower_id=follower.id, target_id=target.id, activity_uri=follow_id,
                                  state="pending" if target.manually_approves or hold else "accepted")
        batch.add_notifications([follow_row(follow, rt.clock.now())])
    else:
        follow.activity_uri = follow_id
    if follow.state == "accepted" and not follower.local:
        batch.send(follow_answer(rt, follow, follower, target, "Accept"), target, [follower.inbox])


def follow_answer(rt: Runtime, follow: Follow, follower: Actor, target: Actor, kind: str) -> dict:
    """The `Accept` or `Reject` of a remote follower's stored Follow."""
    answered = vocab.embedded(vocab.follow(follow.activity_uri, follower.uri, target.uri))
    build = vocab.accept if kind == "Accept" else vocab.reject
    return build(rt.urls.new_activity(target.uri, kind), target.uri, answered)


async def answer_follow(rt: Runtime, session: Session, follow: Follow, follower: Actor, target: Actor,
                        kind: str) -> None:
    """Queue the `Accept` or `Reject` of a remote follower's stored Follow, to its inbox."""
    if not follower.local:
        await rt.deliveries.enqueue(session, follow_answer(rt, follow, follower, target, kind), target, [follower.inbox])


# ---- answers to the Follows we sent ---------------------------------------------------------

async def _follow_we_sent(session: Session, answerer: Actor, answer: dict) -> Follow:
    """The Follow an Accept/Reject answers: one we sent, and only its target may answer it."""
    kind = text(answer, "type") or "answer"
    reference = answer.get("object")
    follow = await follow_store.by_activity_uri(session, id_of(reference) or "")
    if follow is None and is_a(reference, {"Follow"}) \
            and id_of(reference.get("object")) == answerer.uri:
        # Some servers answer with a Follow under another id: match it by (follower, answerer),
        # but only if it is a Follow of the answerer at all.
        follower = await actor_store.by_uri(session, id_of(reference.get("actor")) or "")
        if follower is not None and follower.local:
            follow = await follow_store.between(session, follower.id, answerer.id)
    require(follow is not None, f"{kind} of a Follow we never sent")
    follower = await actor_store.by_id(session, follow.follower_id)
    require(follower is not None and follower.local, f"{kind} of a Follow we never sent")
    require(follow.target_id == answerer.id, f"{kind} of a Follow from someone other than its target")
    return follow


async def follow_accepted(session: Session, answerer: Actor, answer: dict) -> None:
    follow = await _follow_we_sent(session, answerer, answer)
    follow.state = "accepted"


async def follow_rejected(session: Session, answerer: Actor, answer: dict) -> None:
    """Refused, or a follower removed: the follow is gone either way."""
    follow = await _follow_we_sent(session, answerer, answer)
    await follow_store.remove(session, follow)
