"""Search as apps use it (/api/v2/search): accounts by the start of a username or display name
(or a handle, resolved through WebFinger when asked), hashtags by the start of their name, and a
status by its URL (fetched from its server when asked and not known yet). Everything found
passes the same rules as anywhere else: the policy seam for what is fetched, the visibility rule
for what is shown."""

from __future__ import annotations

from dataclasses import dataclass

from ..accounts.resolve import find_local, resolve_account
from ..activitypub.fields import id_of
from ..compose import normalize_hashtag
from ..content import is_web_url
from ..errors import PubHubError
from ..runtime import Runtime
from ..store import objects as object_store
from ..store import search as store
from ..store.models import Actor, Object
from .fetched_notes import FetchedNote, fetch_note
from .remote_notes import parse_published
from .visibility import Viewer, visible

MAX_HASHTAG = 100


@dataclass(frozen=True)
class Query:
    text: str
    resolve: bool = False
    limit: int = 20
    offset: int = 0


async def accounts(rt: Runtime, query: Query) -> list[Actor]:
    term = query.text.strip().lstrip("@")
    if "@" in term:  # a handle: ours, one we know, or (resolve) found through WebFinger
        return [actor] if (actor := await _by_handle(rt, term, query.resolve)) is not None else []
    async with rt.db.read() as session:
        return await store.accounts_by_prefix(session, term, limit=query.limit, offset=query.offset)


async def _by_handle(rt: Runtime, handle: str, resolve: bool) -> Actor | None:
    username, _, domain = handle.partition("@")
    if domain.lower() == rt.domain:
        return await find_local(rt, username)
    if resolve:
        try:
            return await resolve_account(rt, handle)
        except PubHubError:  # not found, refused by the policy, unreachable: nothing to show
            return None
    async with rt.db.read() as session:
        return await store.remote_by_handle(session, username, domain)


async def hashtags(rt: Runtime, query: Query) -> list[tuple[str, int]]:
    term = normalize_hashtag(query.text.strip().lstrip("#"))
    if not term or not term.replace("_", "a").isalnum() or len(term) > MAX_HASHTAG:
        return []
    async with rt.db.read() as session:
        return await store.recent_hashtags(session, term, limit=query.limit)


async def statuses(rt: Runtime, viewer: Viewer, query: Query) -> list[Object]:
    """A status by its URL (its id or its web page), if the viewer may see it; with `resolve`, one
    not stored yet is fetched from its server (signed by the instance actor) and kept if public
    or unlisted. Full-text search of statuses is not offered."""
    url = query.text.strip()
    if not is_web_url(url):
        return []
    async with rt.db.read() as session:
        note = await store.note_by_url(session, url)
    if note is None and query.resolve and not rt.urls.is_local(url):
        try:
            fetched = await fetch_note(rt, url)
            note = await _keep(rt, fetched) if fetched is not None else None
        except PubHubError:
            note = None
    if note is None:
        return []
    async with rt.db.read() as session:
        return await visible(session, viewer, [note])


async def _keep(rt: Runtime, fetched: FetchedNote) -> Object:
    document, author, fields = fetched.document, fetched.author, fetched.fields
    reply_to = id_of(document.get("inReplyTo"))
    async with rt.db.write() as session:
        stored = await object_store.by_uri(session, document["id"])
        if stored is not None:  # kept meanwhile (the inbox, another search)
            return stored
        parent = await object_store.by_uri(session, reply_to) if reply_to else None
        return await object_store.add(
            session, id=object_store.new_object_id(), uri=document["id"], author_id=author.id, local=False,
            source_text=None, in_reply_to_uri=reply_to, in_reply_to_id=parent.id if parent else None,
            published=parse_published(document.get("published"), rt.clock.now()), **fields)
