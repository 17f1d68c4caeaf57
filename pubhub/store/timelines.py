"""Timelines: pages of notes by id (Mastodon's pagination), newest first, for the home, public,
hashtag and account timelines. What the viewer may see is decided above (social.visibility);
these narrow by what SQL can tell cheaply."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from .models import Actor, Follow, FollowedTag, NoteHashtag, Object
from .hashtags import has_hashtag

TAG_SCAN = 2000  # hashtags are matched in Python over at most this many recent notes a page


@dataclass(frozen=True)
class Bounds:
    """`max_id` older than; `since_id` newer than (newest first); `min_id` newer than, the page
    right after it (oldest of them first, shown newest first)."""

    limit: int = 20
    max_id: int | None = None
    since_id: int | None = None
    min_id: int | None = None


def _paged(query: Select, bounds: Bounds, limit: int | None = None) -> Select:
    if bounds.max_id is not None:
        query = query.where(Object.id < bounds.max_id)
    if bounds.since_id is not None:
        query = query.where(Object.id > bounds.since_id)
    if bounds.min_id is not None:
        return query.where(Object.id > bounds.min_id).order_by(Object.id.asc()).limit(limit or bounds.limit)
    return query.order_by(Object.id.desc()).limit(limit or bounds.limit)


async def _notes(session: AsyncSession, query: Select, bounds: Bounds) -> list[Object]:
    notes = list((await session.execute(_paged(query, bounds))).scalars())
    return sorted(notes, key=lambda n: n.id, reverse=True)


def _alive() -> tuple:
    return (Object.deleted_at.is_(None), Actor.deleted_at.is_(None), Actor.suspended_at.is_(None))


def _with_authors() -> Select:
    return select(Object).join(Actor, Actor.id == Object.author_id)


async def home(session: AsyncSession, account_id: int, bounds: Bounds, *, tagged: tuple[str, ...]) -> list[Object]:
    """The account's own notes, those of the accounts it follows (accepted), and the notes of
    the `tagged` visibilities carrying a hashtag it follows."""
    followed = select(Follow.target_id).where(Follow.follower_id == account_id, Follow.state == "accepted")
    query = _with_authors().where(or_(Object.author_id == account_id, Object.author_id.in_(followed),
                                      and_(Object.visibility.in_(tagged), Object.id.in_(_followed_tags(account_id)))),
                                  *_alive())
    return await _notes(session, query, bounds)


def _followed_tags(account_id: int) -> Select:
    """The ids of the notes carrying a hashtag the account follows."""
    names = select(FollowedTag.name).where(FollowedTag.account_id == account_id)
    return select(NoteHashtag.object_id).where(NoteHashtag.name.in_(names))


async def public(session: AsyncSession, bounds: Bounds, *, local: bool | None, only_media: bool) -> list[Object]:
    """Public notes; `local` True: ours only, False: other servers' only, None: both."""
    query = _with_authors().where(Object.visibility == "public", *_alive())
    if local is not None:
        query = query.where(Object.local.is_(local))
    if only_media:
        query = query.where(Object.attachments.is_not(None))
    return await _notes(session, query, bounds)


async def by_author(session: AsyncSession, author_id: int, visibilities: tuple[str, ...], bounds: Bounds, *,
                    exclude_replies: bool, only_media: bool) -> list[Object]:
    query = select(Object).where(Object.author_id == author_id, Object.deleted_at.is_(None),
                                 Object.visibility.in_(visibilities))
    if exclude_replies:
        query = query.where(Object.in_reply_to_uri.is_(None))
    if only_media:
        query = query.where(Object.attachments.is_not(None))
    return await _notes(session, query, bounds)


async def tagged(session: AsyncSession, name: str, bounds: Bounds, *, local: bool | None) -> list[Object]:
    """Public notes with the hashtag `name` (lower case, no `#`): matched in Python over the next
    TAG_SCAN public notes of the page's range (portable without a tag table; older ones are
    reached by paging on)."""
    query = select(Object.id, Object.tags).join(Actor, Actor.id == Object.author_id).where(
        Object.visibility == "public", *_alive())
    if local is not None:
        query = query.where(Object.local.is_(local))
    rows = (await session.execute(_paged(query, bounds, limit=TAG_SCAN))).all()
    ids = [note_id for note_id, tags in rows if has_hashtag(tags, name)][:bounds.limit]
    if not ids:
        return []
    found = (await session.execute(select(Object).where(Object.id.in_(ids)))).scalars()
    return sorted(found, key=lambda n: n.id, reverse=True)

