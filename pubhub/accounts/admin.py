"""What the operator does to local accounts (`pubhub accounts ...`): find, change, suspend,
delete. Each function takes the caller's session, so a change and the activities it federates
commit together.

Suspension: the account's actor document, profile page, notes, outbox and WebFinger answer
404 (not 410: a suspension can be lifted), its tokens answer 401, and `unsuspend` restores all
of it. What a suspension also stops and federates, and the other restrictions, are in
moderation/accounts.py (the accounts admin and `pubhub accounts suspend` both go through it)."""

from __future__ import annotations

from datetime import datetime

from ..activitypub import vocab
from ..activitypub.documents import actor_document
from ..activitypub.urls import Urls
from ..compose import text_html
from ..errors import BadRequest, NotFound
from ..runtime import Runtime
from ..store import actors as actor_store
from ..store import deliveries as delivery_store
from ..store.db import Session
from ..store.models import Actor
from .passwords import hash_password
from .principal import ROLES


def state(actor: Actor) -> str:
    """The account's strongest restriction, for the operator's lists."""
    for name, moment in (("deleted", actor.deleted_at), ("suspended", actor.suspended_at),
                         ("disabled", actor.disabled_at), ("silenced", actor.silenced_at)):
        if moment is not None:
            return name
    return "active"


async def all_accounts(session: Session) -> list[Actor]:
    return await actor_store.local_accounts(session)


async def account(session: Session, name: str, *, deleted_too: bool = False) -> Actor:
    """The local account NAME (never the instance actor); NotFound names it."""
    actor = await actor_store.local_by_username(session, name)
    if actor is None or actor.kind == "Application" or (actor.deleted_at is not None and not deleted_too):
        raise NotFound(f"no local account {name!r}" + ("" if actor is None or deleted_too else " (it was deleted)"))
    return actor


def set_note(actor: Actor, text: str, urls: Urls) -> None:
    """The profile note as typed (kept, for editing it again: `source.note`) and as the HTML
    the actor document carries; the same whether the operator or the owner sets it."""
    actor.summary_source = text.strip()
    actor.summary = text_html(actor.summary_source, tag_url=urls.tag)


async def modify(rt: Runtime, session: Session, actor: Actor, *, display_name: str | None = None,
                 note: str | None = None, role: str | None = None, locked: bool | None = None) -> None:
    """Change what is given; followers' servers get an Update of the profile."""
    if role is not None and role not in ROLES:
        raise BadRequest(f"role must be one of {', '.join(ROLES)}")
    if display_name is not None:
        actor.display_name = display_name.strip() or actor.username
    if note is not None:
        set_note(actor, note, rt.urls)
    if role is not None:
        actor.role = role
    if locked is not None:
        actor.manually_approves = locked
    await session.flush()
    if actor.suspended_at is None and (display_name, note, locked) != (None, None, None):
        await federate_profile(rt, session, actor)


async def federate_profile(rt: Runtime, session: Session, actor: Actor) -> None:
    """Queue an `Update` of the actor's document to every follower's server (shared inboxes)."""
    update = vocab.update_actor(rt.urls.new_activity(actor.uri, "Update"), actor_document(actor, rt.urls))
    await rt.deliveries.enqueue(session, update, actor, followers_of=actor)


async def set_password(session: Session, actor: Actor, password: str) -> None:
    actor.password_hash = hash_password(password)
    await session.flush()


async def suspend(session: Session, actor: Actor, now: datetime) -> bool:
    """Suspend; False if it already was."""
    if actor.suspended_at is not None:
        return False
    actor.suspended_at = now
    await session.flush()
    return True


async def unsuspend(session: Session, actor: Actor) -> bool:
    if actor.suspended_at is None:
        return False
    actor.suspended_at = None
    await session.flush()
    return True


async def follower_inboxes(session: Session, actor: Actor) -> list[str]:
    return await delivery_store.follower_inboxes(session, actor.id)


async def delete(rt: Runtime, session: Session, actor: Actor) -> int:
    """Tell the followers' servers (a Delete of the actor, one delivery per inbox, queued with
    the follows still known), then tombstone the account. The number of inboxes told."""
    told = await federate_delete(rt, session, actor, f"{actor.uri}#delete")
    await actor_store.remove_local(session, actor, rt.clock.now())
    return told


async def federate_delete(rt: Runtime, session: Session, actor: Actor, activity_id: str) -> int:
    """Queue a `Delete` of the actor to every follower's server (deleted for good, or
    suspended, as Mastodon tells them); the number of inboxes."""
    inboxes = await follower_inboxes(session, actor)
    activity = {"@context": vocab.AS_CONTEXT, "id": activity_id, "type": "Delete",
                "actor": actor.uri, "to": [vocab.PUBLIC], "object": actor.uri}
    await rt.deliveries.enqueue(session, activity, actor, inboxes)
    return len(inboxes)
