"""Timelines: pages of notes, and of boosts (Announce interactions), by id (Mastodon's
pagination), newest first, for the home, public, hashtag and account timelines. Boost ids come
from the notes' id generator, so both kinds page together. What the viewer may see is decided
above (social.visibility); these narrow by what SQL can tell cheaply."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, and_, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from .hashtags import has_hashtag
from .models import Actor, Follow, FollowedTag, Interaction, NoteHashtag, Object

TAG_SCAN = 2000  # hashtags are matched in Python over at most this many recent notes a page


@dataclass(frozen=True)
class Bounds:
    """`max_id` older than; `since_id` newer than (newest first); `min_id` newer than, the page
    right after it (oldest of them first, shown newest first)."""

    limit: int = 20
    max_id: int | None = None
    since_id: int | None = None
    min_id: int | None = None


def paged_by(query: Select, column, bounds: Bounds, limit: int | None = None) -> Select:
    """Mastodon's pagination on `column`: older than max_id, newer than since_id; min_id gives
    the page right after it (sort the rows newest first to show them)."""
    if bounds.max_id is not None:
        query = query.where(column < bounds.max_id)
    if bounds.since_id is not None:
        query = query.where(column > bounds.since_id)
    if bounds.min_id is not None:
        return query.where(column > bounds.min_id).order_by(column.asc()).limit(limit or bounds.limit)
    return query.order_by(column.desc()).limit(limit or bounds.limit)


def _paged(query: Select, bounds: Bounds, limit: int | None = None) -> Select:
    return paged_by(query, Object.id, bounds, limit)


async def _newest_first(session: AsyncSession, query: Select) -> list:
    return sorted((await session.execute(query)).scalars(), key=lambda row: row.id, reverse=True)


async def _notes(session: AsyncSession, query: Select, bounds: Bounds) -> list[Object]:
    return await _newest_first(session, _paged(query, bounds))


def _alive(actor=Actor) -> tuple:
    return (Object.deleted_at.is_(None), actor.deleted_at.is_(None), actor.suspended_at.is_(None))


def _following(account_id: int) -> Select:
    return select(Follow.target_id).where(Follow.follower_id == account_id, Follow.state == "accepted")


def _with_authors() -> Select:
    return select(Object).join(Actor, Actor.id == Object.author_id)


async def home(session: AsyncSession, account_id: int, bounds: Bounds, *, tagged: tuple[str, ...]) -> list[Object]:
    """The account's own notes, those of the accounts it follows (accepted), and the notes of
    the `tagged` visibilities carrying a hashtag it follows."""
    followed = _following(account_id)
    query = _with_authors().where(or_(Object.author_id == account_id, Object.author_id.in_(followed),
                                      and_(Object.visibility.in_(tagged), Object.id.in_(_followed_tags(account_id)))),
                                  *_alive())
    return await _notes(session, query, bounds)


def _followed_tags(account_id: int) -> Select:
    """The ids of the notes carrying a hashtag the account follows."""
    names = select(FollowedTag.name).where(FollowedTag.account_id == account_id)
    return select(NoteHashtag.object_id).where(NoteHashtag.name.in_(names))


def _boosts() -> Select:
    """Boosts with their booster and their note's author both still there, of notes not deleted."""
    booster, author = aliased(Actor), aliased(Actor)
    return (select(Interaction).join(booster, booster.id == Interaction.actor_id)
            .join(Object, Object.id == Interaction.object_id).join(author, author.id == Object.author_id)
            .where(Interaction.kind == "Announce", booster.deleted_at.is_(None), booster.suspended_at.is_(None),
                   *_alive(author)))


async def home_boosts(session: AsyncSession, account_id: int, bounds: Bounds) -> list[Interaction]:
    """The boosts by the account and by the accounts it follows (accepted); of each note only
    the newest of these boosts, so a note boosted by many of them shows once."""
    by_home = or_(Interaction.actor_id == account_id, Interaction.actor_id.in_(_following(account_id)))
    newer, its_booster = aliased(Interaction), aliased(Actor)
    newer_in_home = exists().where(
        newer.kind == "Announce", newer.object_id == Interaction.object_id, newer.id > Interaction.id,
        or_(newer.actor_id == account_id, newer.actor_id.in_(_following(account_id))),
        its_booster.id == newer.actor_id, its_booster.deleted_at.is_(None), its_booster.suspended_at.is_(None))
    query = _boosts().where(by_home, ~newer_in_home)
    return await _newest_first(session, paged_by(query, Interaction.id, bounds))


async def boosts_by(session: AsyncSession, actor_id: int, visibilities: tuple[str, ...],
                    bounds: Bounds) -> list[Interaction]:
    """The actor's boosts of notes of these visibilities (a boost is as visible as its note)."""
    query = _boosts().where(Interaction.actor_id == actor_id, Object.visibility.in_(visibilities))
    return await _newest_first(session, paged_by(query, Interaction.id, bounds))


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


async def boost(session: AsyncSession, boost_id: int) -> Interaction | None:
    """The boost with this id, if its booster and its note (and the note's author) are there."""
    return (await session.execute(_boosts().where(Interaction.id == boost_id))).scalar_one_or_none()
