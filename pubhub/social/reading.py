"""Reading statuses for the client API: a list of notes with everything shown beside each
(author, the author replied to, counts, the accounts mentioned) in a fixed number of queries, and
threads (ancestors and descendants) filtered by the visibility rule."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from ..policy import covering
from ..store import account_moderation as account_moderation_store
from ..store import actors as actor_store
from ..store import interactions as interaction_store
from ..store import marks as mark_store
from ..store import objects as object_store
from ..store.account_moderation import host_of_domain
from ..store.db import Database, Session
from ..store.models import Actor, Bookmark, Object, Pin
from .polls import own_votes
from .visibility import LISTED_ON_PAGES, OPEN, Viewer, listed_on_pages, mentioned, visible, visible_note


@dataclass(frozen=True)
class Boost:
    """A boost shown as a status of its own (Mastodon's reblog): its id, its Announce's id,
    when, and by whom; the view it sits on shows the note boosted."""

    id: int
    uri: str
    created_at: datetime
    booster: Actor


@dataclass
class StatusView:
    note: Object
    author: Actor
    reply_author_id: int | None = None
    counts: dict = field(default_factory=dict)
    mentioned: dict[str, Actor] = field(default_factory=dict)  # Mention href -> the account it is
    mine: dict[str, bool] | None = None  # the viewer's own: favourited, reblogged, bookmarked, pinned
    media_rejected: bool = False  # its server's domain block says reject_media: its files are not shown
    own_votes: list[int] | None = None  # a poll's options the viewer chose (None: no viewer)
    boost: Boost | None = None  # shown as this boost of the note

    @property
    def id(self) -> int:
        """The id of the status shown: the boost's, or the note's."""
        return self.boost.id if self.boost is not None else self.note.id


async def status_views(session: Session, notes: list[Object], viewer: Actor | None = None) -> list[StatusView]:
    """Five queries for any number of notes: authors, parents, counts (two), mentioned accounts;
    for a viewer, one per thing of its own (its reactions, bookmarks, pins); with remote media,
    the domains whose media are rejected."""
    if not notes:
        return []
    parents = await object_store.by_ids(session, [n.in_reply_to_id for n in notes])
    authors = await actor_store.by_ids(session, {n.author_id for n in notes})
    # Replies counted as Mastodon counts them: those anyone may see.
    counts = await object_store.interaction_counts(session, [n.id for n in notes], OPEN)
    mentioned_accounts = await presentable_accounts(session, [uri for n in notes for uri in mentioned(n)])
    mine = await viewers_own(session, viewer, notes) if viewer is not None else {}
    votes = await own_votes(session, viewer, notes) if viewer is not None else {}
    rejected = await media_rejected(session, [authors[n.author_id] for n in notes if n.attachments])
    views = []
    for note in notes:
        parent = parents.get(note.in_reply_to_id)
        views.append(StatusView(note, authors[note.author_id], parent.author_id if parent else None,
                                counts.get(note.id, {}), mentioned_accounts, mine.get(note.id),
                                note.author_id in rejected, votes.get(note.id, []) if viewer is not None else None))
    return views


async def media_rejected(session: Session, authors: list[Actor]) -> set[int]:
    """Which of these remote authors are on a server whose domain block rejects its media (one
    query, only when a remote author with media is shown)."""
    remote = [author for author in authors if not author.local]
    if not remote:
        return set()
    domains = await account_moderation_store.media_rejecting_domains(session)
    return {author.id for author in remote if domains and covering(host_of_domain(author.domain), domains)}


async def viewers_own(session: Session, viewer: Actor, notes: list[Object]) -> dict[int, dict[str, bool]]:
    """What the viewer did with each note, one query per kind for the whole list."""
    ids = [n.id for n in notes]
    reactions = await interaction_store.kinds_by(session, viewer.id, ids)
    bookmarked = await mark_store.among(session, Bookmark, viewer.id, ids)
    own = [n.id for n in notes if n.author_id == viewer.id]
    pinned = await mark_store.among(session, Pin, viewer.id, own) if own else set()
    return {n.id: {"favourited": "Like" in reactions.get(n.id, ()), "reblogged": "Announce" in reactions.get(n.id, ()),
                   "bookmarked": n.id in bookmarked, "pinned": n.id in pinned, "own": n.author_id == viewer.id}
            for n in notes}


async def presentable_accounts(session: Session, uris: list[str]) -> dict[str, Actor]:
    """The accounts these actor ids are, among those the API shows (not gone, not the instance
    actor). A Mention's href that is none of them names nobody: it is not shown as anyone."""
    found = await actor_store.by_uris(session, uris)
    return {uri: a for uri, a in found.items() if a.deleted_at is None and a.kind != "Application"}


async def thread(session: Session, viewer: Viewer, note: Object) -> tuple[list[Object], list[Object]]:
    """(ancestors, descendants) of a note that the viewer may see."""
    ancestors = await visible(session, viewer, await object_store.ancestors(session, note))
    descendants = await visible(session, viewer, await object_store.descendants(session, note))
    return ancestors, descendants


async def views(db: Database, notes: list[Object], viewer: Actor | None = None) -> list[StatusView]:
    async with db.read() as session:
        return await status_views(session, notes, viewer)


async def status(db: Database, viewer: Viewer, note_id: int) -> StatusView:
    """One note the viewer may see, ready to show (404 otherwise)."""
    async with db.read() as session:
        note = await visible_note(session, viewer, note_id)
        return (await status_views(session, [note], viewer.actor))[0]


async def context(db: Database, viewer: Viewer, note_id: int) -> tuple[list[StatusView], list[StatusView]]:
    """The thread around a note the viewer may see: (ancestors, descendants), each visible."""
    async with db.read() as session:
        note = await visible_note(session, viewer, note_id)
        ancestors, descendants = await thread(session, viewer, note)
        return await status_views(session, ancestors, viewer.actor), await status_views(session, descendants, viewer.actor)


async def replies_on_page(db: Database, note: Object) -> list[StatusView]:
    """The replies to a note that a public page lists (public ones, with their authors)."""
    async with db.read() as session:
        listed = [r for r in await object_store.replies_to(session, [note.id]) if listed_on_pages(r)]
        return await status_views(session, listed)


async def tagged_on_page(db: Database, name: str, limit: int) -> list[tuple[Object, Actor]]:
    """Recent local notes with hashtag `name` that a public page lists, with their authors."""
    async with db.read() as session:
        return await object_store.recent_local_tagged(session, name, LISTED_ON_PAGES, limit=limit)
