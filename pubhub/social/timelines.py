"""Timelines as apps read them: home (your posts and boosts, and those of whom you follow),
public (local, remote or both), a hashtag's, and an account's posts and boosts. Public and
hashtag timelines hold no boosts, as Mastodon's. Every note, and the note of every boost, passes
the one visibility rule (social.visibility) before it is shown; a page is cut by id
(store.timelines.Bounds) from notes and boosts together (social.boosts).

Each reader returns the views to show and the ids of the page as read, before the visibility
rule took any out: the Link header pages on from those, so a page thinned by the rule does not
end the timeline early."""

from __future__ import annotations

from ..compose import normalize_hashtag
from ..errors import NotFound
from ..store import actors as actor_store
from ..store import follows as follow_store
from ..store import objects as object_store
from ..store import timelines as store
from ..store.db import Database, Session
from ..store.models import Actor, Object
from ..store.timelines import Bounds
from .boosts import notes_of, one_page, page_views
from .hashtags import with_followed_hashtags
from .marks import pinned_of
from .reading import StatusView, status_views
from .visibility import HASHTAG_FOLLOWERS_SEE, Viewer, author_visibilities, visible

Page = tuple[list[StatusView], list[int]]


async def home(db: Database, account: Actor, bounds: Bounds) -> Page:
    """As Mastodon's home: your posts, those of whom you follow (a reply only when it answers
    you or someone you follow), public posts with a hashtag you follow (replies too), and the
    boosts by you and whom you follow (of a note boosted by several of you, the newest boost)."""
    async with db.read() as session:
        viewer = Viewer(account)
        entries = one_page(await store.home(session, account.id, bounds, tagged=HASHTAG_FOLLOWERS_SEE),
                           await store.home_boosts(session, account.id, bounds), bounds)
        seen = await visible(session, viewer, notes_of(entries))
        by_tag = await with_followed_hashtags(session, account, seen)
        followed = {n.id for n in await _conversations_followed(session, account, [n for n in seen if n.id not in by_tag])}
        shown = [n for n in seen if n.id in by_tag or n.id in followed]
        return await page_views(session, viewer, entries, shown), [e.id for e in entries]


async def public(db: Database, viewer: Viewer, bounds: Bounds, *, local: bool | None, only_media: bool) -> Page:
    async with db.read() as session:
        notes = await store.public(session, bounds, local=local, only_media=only_media)
        return await status_views(session, await visible(session, viewer, notes), viewer.actor), [n.id for n in notes]


async def hashtag(db: Database, viewer: Viewer, name: str, bounds: Bounds, *, local: bool | None) -> Page:
    async with db.read() as session:
        notes = await store.tagged(session, normalize_hashtag(name), bounds, local=local)
        return await status_views(session, await visible(session, viewer, notes), viewer.actor), [n.id for n in notes]


async def of_account(db: Database, viewer: Viewer, account_id: int | None, bounds: Bounds, *,
                     exclude_replies: bool, only_media: bool, pinned: bool, exclude_reblogs: bool = False) -> Page:
    """An account's posts and boosts the viewer may see (direct ones never listed); 404 for an
    account that is not shown. `pinned`: its pinned statuses, all on one page (at most five).
    As Mastodon's: boosts are left out by `exclude_reblogs`, `only_media` and `pinned` (a boost
    has no media of its own), kept by `exclude_replies` (a boost answers no one)."""
    async with db.read() as session:
        author = await actor_store.by_id(session, account_id) if account_id is not None else None
        if author is None or author.deleted_at is not None or author.suspended_at is not None:
            raise NotFound("Record not found")
        if pinned:
            return await pinned_of(session, viewer, author), []
        visibilities = await author_visibilities(session, viewer, author)
        notes = await store.by_author(session, author.id, visibilities, bounds, exclude_replies=exclude_replies,
                                      only_media=only_media)
        with_boosts = bool(visibilities) and not (exclude_reblogs or only_media)
        boosts = await store.boosts_by(session, author.id, visibilities, bounds) if with_boosts else []
        entries = one_page(notes, boosts, bounds)
        shown = await visible(session, viewer, notes_of(entries))
        return await page_views(session, viewer, entries, shown), [e.id for e in entries]


async def _conversations_followed(session: Session, account: Actor, notes: list[Object]) -> list[Object]:
    parents = await object_store.by_ids(session, [n.in_reply_to_id for n in notes if n.author_id != account.id])
    answered = {p.author_id for p in parents.values()} - {account.id}
    followed = await follow_store.accepted_targets(session, account.id, answered) | {account.id}

    def shown(note: Object) -> bool:
        if note.in_reply_to_uri is None or note.author_id == account.id:
            return True
        parent = parents.get(note.in_reply_to_id)
        return parent is not None and parent.author_id in followed

    return [n for n in notes if shown(n)]
