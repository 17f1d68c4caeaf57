"""Remote notes: what we keep of them (sanitised), and whether they concern us at all."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy.ext.asyncio import AsyncSession

from ..content import sanitize_html
from ..store import follows as follow_store
from ..store import objects as object_store
from ..store.models import Actor, Object, utcnow
from .origins import as_list, id_of
from .urls import Urls
from .vocab import PUBLIC_ALIASES

NOTE_TYPES = {"Note", "Article", "Page", "Question"}
MAX_CONTENT = 100_000


def visibility_of(to: list[str], cc: list[str], followers_url: str | None) -> str:
    if PUBLIC_ALIASES & set(to):
        return "public"
    if PUBLIC_ALIASES & set(cc):
        return "unlisted"
    if followers_url and followers_url in set(to) | set(cc):
        return "private"
    return "direct"


def parse_published(value) -> datetime:
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
        except ValueError:
            pass
    return utcnow()


def _string_ids(value) -> list[str]:
    return [i for i in (id_of(v) for v in as_list(value)) if isinstance(i, str)][:500]


def _tags(value) -> list[dict]:
    tags = []
    for tag in as_list(value)[:100]:
        if isinstance(tag, dict) and tag.get("type") in ("Mention", "Hashtag") and isinstance(tag.get("href") or tag.get("name"), str):
            tags.append({k: tag[k] for k in ("type", "href", "name") if isinstance(tag.get(k), str)})
    return tags


def note_fields(document: dict, author: Actor) -> dict:
    to, cc = _string_ids(document.get("to")), _string_ids(document.get("cc"))
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
    }


async def concerns_us(db, urls: Urls, document: dict, author: Actor, followed: set[str] | None = None) -> bool:
    """Keep a remote note only if someone here follows its author, or it answers, mentions or
    addresses something of ours (the way Mastodon keeps its database to what its users see).

    `followed`, when given, is the set of actor URIs some local account follows, prefetched
    for a whole batch of activities: then most notes are decided without a query."""
    addressed = set(_string_ids(document.get("to")) + _string_ids(document.get("cc")))
    addressed |= {t.get("href") for t in _tags(document.get("tag")) if t.get("type") == "Mention"}
    if any(urls.is_local(uri) for uri in addressed if uri):
        return True
    if followed is not None and author.uri in followed:
        return True
    reply_to = id_of(document.get("inReplyTo"))
    if followed is not None and not reply_to:
        return False
    async with db.read() as session:
        if reply_to and await object_store.by_uri(session, reply_to) is not None:
            return True
        if followed is None:
            return bool(await follow_store.followed_by_locals(session, [author.uri]))
    return False


async def store_remote_note(session: AsyncSession, document: dict, author: Actor) -> Object:
    reply_to = id_of(document.get("inReplyTo"))
    parent = await object_store.by_uri(session, reply_to) if reply_to else None
    note = Object(
        id=object_store.new_object_id(), uri=document["id"], author_id=author.id, local=False,
        in_reply_to_uri=reply_to, in_reply_to_id=parent.id if parent else None,
        published=parse_published(document.get("published")), **note_fields(document, author),
    )
    session.add(note)
    await session.flush()
    return note
