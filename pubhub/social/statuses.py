"""Publishing as a local account: statuses (with mentions, hashtags, links) and their deletion.
Each writes its change and the deliveries it causes in one transaction; who receives a note
is decided by the visibility rule (`visibility.recipient_inboxes`, `followers_may_see`)."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Awaitable, Callable

from ..accounts.resolve import resolve_account
from ..activitypub import vocab
from ..activitypub.documents import create_document, delete_document
from ..compose import Mention, compose, find_mentions
from ..errors import BadRequest, Forbidden, NotFound, PubHubError, RefusedByPolicy, Unprocessable
from ..runtime import Runtime
from ..store import objects as object_store
from ..store.db import Session
from ..store.models import Actor, Object
from ..store.streams import StreamEvent
from .live import stream_removal
from .media import attach_uploads, discard_files_of
from .notifications import on_local_status
from .polls import PollRequest, new_poll
from .visibility import VISIBILITIES, Viewer, followers_may_see, recipient_inboxes, require_visible, visible_note

log = logging.getLogger(__name__)
MAX_STATUS_CHARS = 5000  # what /api/v1/instance announces as max_characters
MAX_SPOILER_CHARS = 500
MAX_MENTIONS_RESOLVED = 20


@dataclass
class StatusRequest:
    text: str
    visibility: str = "public"
    in_reply_to_id: int | None = None
    spoiler_text: str = ""
    sensitive: bool = False
    language: str | None = None
    media_ids: list[int] = field(default_factory=list)
    poll: PollRequest | None = None


def addressing(visibility: str, followers: str, mentions: list[str]) -> tuple[list[str], list[str]]:
    """to/cc the way Mastodon addresses each visibility."""
    if visibility == "public":
        return [vocab.PUBLIC], [followers, *mentions]
    if visibility == "unlisted":
        return [followers], [vocab.PUBLIC, *mentions]
    if visibility == "private":
        return [followers], list(mentions)
    return list(mentions), []


async def _resolve_mentions(rt: Runtime, text: str) -> dict[str, Mention]:
    """Every handle the text mentions → its account. One that cannot be resolved (no such
    account, its server unreachable) refuses the post: a reply whose mention silently stays
    text never reaches the person it answers, and the poster would not know."""
    handles = find_mentions(text, rt.domain)[:MAX_MENTIONS_RESOLVED]

    async def one(acct: str):
        try:
            actor = await resolve_account(rt, acct)
        except RefusedByPolicy as exc:
            # The operator refuses that server: a decision, not a failure to report; the
            # handle stays plain text and nothing is fetched from it.
            log.info("mention not resolved acct=%s reason=%s", acct, exc.message)
            return acct, None
        except PubHubError as exc:
            # The real cause (DNS, connection, the WebFinger answer), for the operator.
            log.warning("mention not resolved acct=%s reason=%s", acct, exc.message)
            return acct, exc.message
        return acct, Mention(acct, actor.uri, actor.url or actor.uri)

    results = await asyncio.gather(*(one(h) for h in handles))
    failed = [(acct, reason) for acct, reason in results if isinstance(reason, str)]
    if failed:
        raise Unprocessable("Validation failed: " + _unresolved(failed))
    return {acct: mention for acct, mention in results if mention is not None}


def _unresolved(failed: list[tuple[str, str]]) -> str:
    named = "; ".join(f"@{acct} ({reason[:300]})" for acct, reason in failed)
    return f"mentions could not be resolved, nothing was published: {named}"


def validate(request: StatusRequest) -> str:
    text = request.text.strip()
    if not text and not request.media_ids:  # an image alone is a status (as in Mastodon)
        raise BadRequest("status can't be blank", status=422)
    if len(text) > MAX_STATUS_CHARS:
        raise BadRequest(f"status is longer than {MAX_STATUS_CHARS} characters", status=422)
    if request.visibility not in VISIBILITIES:
        raise BadRequest(f"visibility must be one of {', '.join(VISIBILITIES)}", status=422)
    if request.poll is not None and request.media_ids:
        raise Unprocessable("Validation failed: a status has images or a poll, not both")
    return text


async def compose_text(rt: Runtime, text: str) -> tuple[str, list[dict], list[str]]:
    """A local status's text as (HTML, its Mention and Hashtag tags, the mentioned actors' ids);
    every handle resolved (or the post refused: `_resolve_mentions`)."""
    resolved = await _resolve_mentions(rt, text)
    composed = compose(text, local_domain=rt.domain, resolved=resolved, tag_url=rt.urls.tag)
    tags = [{"type": "Mention", "href": m.uri, "name": "@" + m.acct} for m in composed.mentions]
    tags += [{"type": "Hashtag", "href": rt.urls.tag(h.lower()), "name": "#" + h} for h in composed.hashtags]
    return composed.html, tags, [m.uri for m in composed.mentions]


# What else a new status sets off, in the same transaction (e.g. its submission to the rooms
# it mentions: the rooms are a layer above, so they hand this in).
AfterPosting = Callable[[Session, Object], Awaitable[None]]


async def create_status(rt: Runtime, author: Actor, request: StatusRequest, *,
                        after: AfterPosting | None = None) -> Object:
    """Publish a status; `after(session, note)`, given, runs in the same transaction."""
    text = validate(request)
    poll = new_poll(request.poll, rt.clock.now()) if request.poll is not None else None
    if request.in_reply_to_id is not None:  # only a note the author may see can be answered
        async with rt.db.read() as session:
            await visible_note(session, Viewer(author), request.in_reply_to_id)
    html, tags, mentions = await compose_text(rt, text)
    to, cc = addressing(request.visibility, author.followers_url, mentions)
    async with rt.db.write() as session:
        parent = None
        if request.in_reply_to_id is not None:
            parent = await object_store.by_id(session, request.in_reply_to_id)
            if parent is None or parent.deleted_at is not None:
                raise NotFound("the status replied to does not exist")
        note_id = object_store.new_object_id()
        spoiler = request.spoiler_text.strip()
        note = await object_store.add(
            session, id=note_id, uri=rt.urls.note(author.username, note_id), url=rt.urls.note_page(author.username, note_id),
            author_id=author.id, local=True, content=html, source_text=text,
            summary=spoiler[:MAX_SPOILER_CHARS], sensitive=request.sensitive or bool(spoiler),
            language=(request.language or None), visibility=request.visibility,
            in_reply_to_uri=parent.uri if parent else None, in_reply_to_id=parent.id if parent else None,
            to=to, cc=cc, tags=tags, published=rt.clock.now(), poll=poll,
        )
        await attach_uploads(session, rt, author, request.media_ids, note)
        inboxes = await recipient_inboxes(session, note, parent)
        await rt.deliveries.enqueue(session, create_document(note, author, rt.urls), author, inboxes,
                                    followers_of=author if followers_may_see(note) else None)
        if after is not None:
            await after(session, note)
        await on_local_status(session, rt.streams, note, rt.clock.now())  # the accounts it mentions
        await rt.streams.after_commit(session, [StreamEvent("update", note.id)])
    return note


async def send_to_audience(rt: Runtime, session: Session, note: Object, author: Actor, activity: dict,
                           also: list[str] = ()) -> None:
    """Queue an activity about a note (its Update) to the audience its Create had: those it
    names, the author of the note it answers where they may see it, the author's followers where
    they may see it, and `also`."""
    parent = await object_store.by_id(session, note.in_reply_to_id) if note.in_reply_to_id else None
    inboxes = await recipient_inboxes(session, note, parent) + list(also)
    await rt.deliveries.enqueue(session, activity, author, inboxes,
                                followers_of=author if followers_may_see(note) else None)


async def delete_status(rt: Runtime, author: Actor, note_id: int | None) -> Object:
    """Delete one of the author's own notes; the Delete goes to the audience the note had.
    Returns the note as it was."""
    async with rt.db.write() as session:
        note = await object_store.by_id(session, note_id) if note_id is not None else None
        # 404 for anything the caller may not see, so a 403 can't reveal that it exists.
        await require_visible(session, Viewer(author), note)
        if note.author_id != author.id:
            raise Forbidden("This action is not allowed")
        snapshot = await withdraw_note(rt, session, note, author)
    await discard_media(rt, snapshot)
    return snapshot


async def discard_media(rt: Runtime, snapshot: Object) -> None:
    """A withdrawn note's uploads go, files too, once its transaction is committed."""
    if snapshot.attachments:
        await discard_files_of(rt, [snapshot.id])


async def withdraw_note(rt: Runtime, session: Session, note: Object, author: Actor) -> Object:
    """Tombstone a note and, for a local one, send its Delete (signed by its author) to the
    audience it had: the author's own deletion, and a moderator's removal, federate alike. A
    remote note is only tombstoned here (its server decides for its own copy). Returns the
    note as it was."""
    snapshot = object_store.copy(note)
    await stream_removal(session, rt.streams, note.id)
    if not note.local:
        object_store.tombstone(note, rt.clock.now())
        return snapshot
    parent = await object_store.by_id(session, note.in_reply_to_id) if note.in_reply_to_id else None
    inboxes = await recipient_inboxes(session, note, parent)
    activity = delete_document(note, author, rt.urls)
    object_store.tombstone(note, rt.clock.now())
    await rt.deliveries.enqueue(session, activity, author, inboxes,
                                followers_of=author if followers_may_see(snapshot) else None)
    return snapshot
