"""Remote notes: whether they concern us at all, what we keep of them (sanitised), and their
updates and deletions. The federation rules (origin, attribution, ownership) are checked by
the inbound handlers before these are called; ownership of what is stored is checked here."""

from __future__ import annotations

from datetime import datetime, timezone

from ..activitypub.fields import as_list, first_id, id_of, ids_of, is_a, type_among
from ..activitypub.origins import require
from ..activitypub.urls import Urls
from ..activitypub.vocab import PUBLIC_ALIASES
from ..content import is_web_url, sanitize_html
from ..runtime import Runtime
from ..store import actors as actor_store
from ..store import follows as follow_store
from ..store import objects as object_store
from ..store import status_edits as edit_store
from ..store.db import Session, await_after_commit
from ..store.models import Actor
from ..store.streams import StreamEvent
from .attachments import remote_entries
from .inbound_batch import InboundBatch
from .live import stream_removal
from .notifications import mention_rows, on_remote_update
from .polls import remote_poll
from .remote_media import CACHE_KEYS, after_update, keep_copies, start_caching

NOTE_TYPES = {"Note", "Article", "Page", "Question"}
TAG_TYPES = ("Mention", "Hashtag")
MAX_CONTENT = 100_000


def visibility_of(to: list[str], cc: list[str], followers_url: str | None) -> str:
    if PUBLIC_ALIASES & set(to):
        return "public"
    if PUBLIC_ALIASES & set(cc):
        return "unlisted"
    if followers_url and followers_url in set(to) | set(cc):
        return "private"
    return "direct"


def parse_published(value, default: datetime) -> datetime:
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
        except ValueError:
            pass
    return default


def _tag(tag) -> dict | None:
    """What we keep of a Mention or Hashtag: its link only if it is http(s) (it is passed on to
    clients), and a Mention only with one (without, it names nobody)."""
    kind = type_among(tag, TAG_TYPES)
    if kind not in TAG_TYPES:
        return None
    kept = {"type": kind, **({"name": tag["name"]} if isinstance(tag.get("name"), str) else {})}
    if is_web_url(tag.get("href")):
        kept["href"] = tag["href"]
    needed = "href" if kind == "Mention" else "name"
    return kept if needed in kept else None


def _tags(value) -> list[dict]:
    return [t for t in (_tag(tag) for tag in as_list(value)[:100]) if t is not None]


def note_fields(document: dict, author: Actor) -> dict:
    to, cc = ids_of(document.get("to")), ids_of(document.get("cc"))
    content = document.get("content") if isinstance(document.get("content"), str) else ""
    summary = document.get("summary") if isinstance(document.get("summary"), str) else ""
    language = None
    if isinstance(document.get("contentMap"), dict) and document["contentMap"]:
        language = str(next(iter(document["contentMap"])))[:16]
    url = id_of(document.get("url"))
    return {
        "content": sanitize_html(content[:MAX_CONTENT]),
        "summary": sanitize_html(summary[:2000]),
        "sensitive": document.get("sensitive") is True,
        "language": language,
        "url": url if isinstance(url, str) and url.startswith(("https://", "http://")) else None,
        "visibility": visibility_of(to, cc, author.followers_url),
        "to": to,
        "cc": cc,
        "tags": _tags(document.get("tag")),
        "attachments": remote_entries(document.get("attachment")),
        "poll": remote_poll(document, parse_published) if is_a(document, ("Question",)) else None,
    }


def mentioned_uris(document: dict) -> list[str]:
    """The actors a note's `Mention` tags name."""
    return [t["href"] for t in _tags(document.get("tag")) if t.get("type") == "Mention"]


def addressed_here(urls: Urls, document: dict) -> bool:
    """Whether the note addresses or mentions one of ours (in `to`, `cc`, `audience`, the way
    group-aware servers address a room, or a `Mention`)."""
    addressed = ids_of(document.get("to")) + ids_of(document.get("cc")) + ids_of(document.get("audience"))
    return any(urls.is_local(uri) for uri in addressed + mentioned_uris(document))


def may_concern_us(urls: Urls, document: dict, author: Actor, followed: set[str] | None) -> bool:
    """False only for a note that surely concerns nobody here, decided without the database:
    `followed` (the actor URIs some local account follows, prefetched for a whole batch of
    activities) does not hold its author, and it neither answers nor addresses anything."""
    if followed is None or author.uri in followed or id_of(document.get("inReplyTo")):
        return True
    return addressed_here(urls, document)


async def concerns_us(batch: InboundBatch, urls: Urls, document: dict, author: Actor, followed: set[str] | None = None) -> bool:
    """Keep a remote note only if someone here follows its author, or it answers, mentions or
    addresses something of ours (the way Mastodon keeps its database to what its users see)."""
    if addressed_here(urls, document) or (followed is not None and author.uri in followed):
        return True
    reply_to = id_of(document.get("inReplyTo"))
    if reply_to and await batch.note(reply_to) is not None:
        return True
    return followed is None and bool(await follow_store.followed_by_locals(batch.session, [author.uri]))


def note_uris(document: dict) -> tuple[str, ...]:
    """The notes `receive_note` looks up: the note itself and the one it answers."""
    return tuple(uri for uri in (id_of(document.get("id")), id_of(document.get("inReplyTo"))) if uri)


async def receive_note(batch: InboundBatch, rt: Runtime, author: Actor, document: dict,
                       followed: set[str] | None = None) -> None:
    """Keep a remote note (already checked to be the author's own) if it concerns us; once."""
    if await concerns_us(batch, rt.urls, document, author, followed):
        await keep_note(batch, rt, author, document)


async def keep_note(batch: InboundBatch, rt: Runtime, author: Actor, document: dict) -> None:
    """Keep a remote note (already checked to be the author's own), once; the local accounts it
    mentions hear of it."""
    if await batch.note(document["id"]) is not None:
        return  # already have it: idempotent
    reply_to = id_of(document.get("inReplyTo"))
    parent = await batch.note(reply_to) if reply_to else None
    row = {
        "id": object_store.new_object_id(), "uri": document["id"], "author_id": author.id, "local": False,
        "source_text": None, "in_reply_to_uri": reply_to, "in_reply_to_id": parent.id if parent else None,
        "published": parse_published(document.get("published"), rt.clock.now()), "updated_at": None,
        "deleted_at": None, **note_fields(document, author),
    }
    batch.add_note(row)
    if rt.settings.cache_remote_media and row["attachments"]:
        note_id = row["id"]
        await_after_commit(batch.session, lambda: start_caching(rt, note_id))
    # The local accounts it mentions hear of it (a reply to you mentions you, as in Mastodon).
    named = await batch.accounts(t["href"] for t in row["tags"] if t["type"] == "Mention")
    batch.add_notifications(mention_rows(row, named, rt.clock.now()))


async def update_note(session: Session, rt: Runtime, author: Actor, object_id: str, document) -> None:
    """An Update of one of the author's notes: the stored copy takes the new fields."""
    require(await actor_store.by_uri(session, object_id) is None, "Update of someone else's actor")
    note = await object_store.by_uri(session, object_id)
    if note is None or note.deleted_at is not None:
        return  # nothing of ours to update
    require(note.author_id == author.id, "Update of someone else's object")
    require(is_a(document, NOTE_TYPES), "Update of a note without the note")
    require(first_id(document.get("attributedTo")) == author.uri, "updated object is attributed to someone else")
    fields = note_fields(document, author)
    if not _edited(note, fields):
        note.poll = fields["poll"]  # only its counts moved: no new version, as in Mastodon
        return
    if not await edit_store.of_note(session, note.id):
        await edit_store.add(session, note, note.updated_at or note.published)  # the version before
    kept = note.attachments
    for name, value in fields.items():
        setattr(note, name, value)
    note.attachments, dropped = keep_copies(kept, note.attachments)
    if dropped or (rt.settings.cache_remote_media and note.attachments):
        note_id = note.id
        await_after_commit(session, lambda: after_update(rt, note_id, dropped))
    await object_store.retagged(session, note)
    note.updated_at = rt.clock.now()
    await edit_store.add(session, note, note.updated_at)
    await on_remote_update(session, rt.streams, note, rt.clock.now())
    await rt.streams.after_commit(session, [StreamEvent("status.update", note.id)])


def _edited(note, fields: dict) -> bool:
    """Whether an Update changes what a reader sees (text, warning, images, poll options or
    audience), and so is a new version of the note."""
    seen = ("content", "summary", "sensitive", "language", "visibility", "tags")
    options = (fields["poll"] or {}).get("options"), (note.poll or {}).get("options")
    return (any(fields[name] != getattr(note, name) for name in seen) or options[0] != options[1]
            or _as_sent(fields["attachments"]) != _as_sent(note.attachments))


def _as_sent(entries: list[dict] | None) -> list[dict]:
    """Attachments as their server describes them, without our cached copy's fields."""
    return [{key: value for key, value in entry.items() if key not in CACHE_KEYS} for entry in entries or []]


async def delete_note(session: Session, rt: Runtime, author: Actor, object_id: str) -> None:
    """A Delete of one of the author's notes: tombstoned."""
    require(await actor_store.by_uri(session, object_id) is None, "Delete of someone else's actor")
    note = await object_store.by_uri(session, object_id)
    if note is None or note.deleted_at is not None:
        return
    require(note.author_id == author.id, "Delete of someone else's object")
    object_store.tombstone(note, rt.clock.now())
    await stream_removal(session, rt.streams, note.id)


async def delete_actor(session: Session, rt: Runtime, actor: Actor) -> None:
    """A remote actor deleted itself: its notes, follows and reactions go, and we forget it
    (forgotten at once: if the transaction fails after all, it is only fetched again)."""
    await actor_store.remove_remote(session, actor.id, rt.clock.now())
    rt.actors.forget(actor.uri)
