"""Publishing as a local account: statuses (with mentions, hashtags, links), deletes, follows.
Each writes its change and the delivery rows it causes in one transaction."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from ..content import Mention, compose, find_mentions
from ..errors import BadRequest, FetchError, Forbidden, NotFound, PubHubError
from ..store import actors as actor_store
from ..store import follows as follow_store
from ..store import objects as object_store
from ..store.models import Actor, Follow, Object, utcnow
from . import vocab
from .documents import create_document, delete_document
from .handlers.delete import tombstone

log = logging.getLogger(__name__)
VISIBILITIES = ("public", "unlisted", "private", "direct")
MAX_STATUS_CHARS = 5000


@dataclass
class StatusRequest:
    text: str
    visibility: str = "public"
    in_reply_to_id: int | None = None
    spoiler_text: str = ""
    sensitive: bool = False
    language: str | None = None


def addressing(visibility: str, followers: str, mentions: list[str]) -> tuple[list[str], list[str]]:
    """to/cc the way Mastodon addresses each visibility."""
    if visibility == "public":
        return [vocab.PUBLIC], [followers, *mentions]
    if visibility == "unlisted":
        return [followers], [vocab.PUBLIC, *mentions]
    if visibility == "private":
        return [followers], list(mentions)
    return list(mentions), []


async def resolve_account(services, acct: str) -> Actor:
    """user@domain → Actor: local from the database, remote through WebFinger and a fetch."""
    from .webfinger import parse_acct

    username, domain = parse_acct(acct)
    if domain == services.settings.domain:
        async with services.db.read() as session:
            actor = await actor_store.local_by_username(session, username)
        if actor is None:
            raise NotFound(f"no account {acct}")
        return actor
    uri = await services.webfinger.actor_uri(username, domain)
    return await services.actors.get(uri)


async def _resolve_mentions(services, text: str) -> dict[str, Mention]:
    handles = find_mentions(text, services.settings.domain)[:20]

    async def one(acct: str):
        try:
            actor = await resolve_account(services, acct)
        except PubHubError as exc:
            log.info("mention not resolved acct=%s reason=%s", acct, exc.message)
            return None
        return acct, Mention(acct, actor.uri, actor.url or actor.uri)

    results = await asyncio.gather(*(one(h) for h in handles))
    return dict(r for r in results if r)


async def create_status(services, author: Actor, request: StatusRequest) -> Object:
    text = request.text.strip()
    if not text:
        raise BadRequest("status can't be blank", status=422)
    if len(text) > MAX_STATUS_CHARS:
        raise BadRequest(f"status is longer than {MAX_STATUS_CHARS} characters", status=422)
    if request.visibility not in VISIBILITIES:
        raise BadRequest(f"visibility must be one of {', '.join(VISIBILITIES)}", status=422)
    resolved = await _resolve_mentions(services, text)
    composed = compose(text, local_domain=services.settings.domain, resolved=resolved, tag_url=services.urls.tag)
    mention_uris = [m.uri for m in composed.mentions]
    to, cc = addressing(request.visibility, author.followers_url, mention_uris)
    tags = [{"type": "Mention", "href": m.uri, "name": "@" + m.acct} for m in composed.mentions]
    tags += [{"type": "Hashtag", "href": services.urls.tag(h.lower()), "name": "#" + h} for h in composed.hashtags]
    async with services.db.write() as session:
        parent = None
        if request.in_reply_to_id is not None:
            parent = await object_store.by_id(session, request.in_reply_to_id)
            if parent is None or parent.deleted_at is not None:
                raise NotFound("the status replied to does not exist", status=404)
        note_id = object_store.new_object_id()
        note = Object(
            id=note_id, uri=services.urls.note(author.username, note_id), url=services.urls.note_page(author.username, note_id),
            author_id=author.id, local=True, content=composed.html, source_text=text,
            summary=request.spoiler_text.strip()[:500], sensitive=request.sensitive or bool(request.spoiler_text.strip()),
            language=(request.language or None), visibility=request.visibility,
            in_reply_to_uri=parent.uri if parent else None, in_reply_to_id=parent.id if parent else None,
            to=to, cc=cc, tags=tags, published=utcnow(),
        )
        session.add(note)
        await session.flush()
        inboxes = await audience_inboxes(session, author, note, parent)
        await services.deliveries.enqueue(session, create_document(note, author, services.urls), author, inboxes,
                                          followers_of=followers_audience(author, note))
    return note


async def audience_inboxes(session, author: Actor, note: Object, parent: Object | None) -> list[str]:
    """The inboxes named explicitly: everyone mentioned, and the author of the note replied to.
    Followers are added by the delivery workers (see `followers_audience`)."""
    inboxes: list[str] = []
    for tag in note.tags or []:
        if tag.get("type") == "Mention":
            mentioned = await actor_store.by_uri(session, tag["href"])
            if mentioned is not None and not mentioned.local:
                inboxes.append(mentioned.shared_inbox or mentioned.inbox)
    if parent is not None and note.visibility != "direct":
        replied_to = await actor_store.by_id(session, parent.author_id)
        if replied_to is not None and not replied_to.local:
            inboxes.append(replied_to.shared_inbox or replied_to.inbox)
    return list(dict.fromkeys(inboxes))


def followers_audience(author: Actor, note: Object) -> Actor | None:
    """Every visibility but direct reaches the author's followers (one POST per server)."""
    return None if note.visibility == "direct" else author


async def delete_status(services, author: Actor, note_id: int) -> Object:
    async with services.db.write() as session:
        note = await object_store.by_id(session, note_id)
        if note is None or note.deleted_at is not None:
            raise NotFound("Record not found")
        if note.author_id != author.id:
            raise Forbidden("This action is not allowed")
        parent = await object_store.by_id(session, note.in_reply_to_id) if note.in_reply_to_id else None
        inboxes = await audience_inboxes(session, author, note, parent)
        activity = delete_document(note, author, services.urls)
        snapshot = Object(**{c.key: getattr(note, c.key) for c in Object.__table__.columns})
        tombstone(note)
        await services.deliveries.enqueue(session, activity, author, inboxes, followers_of=followers_audience(author, snapshot))
    return snapshot


async def follow_account(services, follower: Actor, target: Actor) -> Follow:
    if target.id == follower.id:
        raise BadRequest("you can't follow yourself", status=422)
    async with services.db.write() as session:
        follow = await follow_store.between(session, follower.id, target.id)
        if follow is not None:
            return follow
        follow = Follow(follower_id=follower.id, target_id=target.id,
                        activity_uri=services.urls.new_activity(follower.uri, "Follow"),
                        state="accepted" if target.local and not target.manually_approves else "pending")
        session.add(follow)
        await session.flush()
        if not target.local:
            activity = vocab.follow(follow.activity_uri, follower.uri, target.uri)
            await services.deliveries.enqueue(session, activity, follower, [target.inbox])
    return follow


async def unfollow_account(services, follower: Actor, target: Actor) -> None:
    async with services.db.write() as session:
        follow = await follow_store.between(session, follower.id, target.id)
        if follow is None:
            return
        await follow_store.remove(session, follow)
        if not target.local:
            inner = vocab.follow(follow.activity_uri, follower.uri, target.uri)
            activity = vocab.undo(services.urls.new_activity(follower.uri, "Undo"), follower.uri, inner)
            await services.deliveries.enqueue(session, activity, follower, [target.inbox])


__all__ = ["StatusRequest", "create_status", "delete_status", "follow_account", "unfollow_account", "resolve_account", "FetchError"]
