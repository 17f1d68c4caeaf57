"""The hashtags accounts follow (followed_tags; names normalised by the caller), and how much a
hashtag was used per day, from the notes stored here."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import case, delete, func, literal_column, select
from sqlalchemy.ext.asyncio import AsyncSession

from .db import insert_statement
from .marks import paged_by
from .models import Actor, FollowedTag, NoteHashtag, Object
from .timelines import Bounds


async def follow(session: AsyncSession, account_id: int, name: str, now: datetime) -> None:
    """Follow a hashtag; following it again changes nothing."""
    statement = insert_statement(session, FollowedTag.__table__).on_conflict_do_nothing(
        index_elements=["account_id", "name"])
    await session.execute(statement, [{"account_id": account_id, "name": name, "created_at": now}])


async def count_followed(session: AsyncSession, account_id: int) -> int:
    query = select(func.count()).select_from(FollowedTag).where(FollowedTag.account_id == account_id)
    return (await session.execute(query)).scalar_one()


async def unfollow(session: AsyncSession, account_id: int, name: str) -> None:
    await session.execute(delete(FollowedTag).where(FollowedTag.account_id == account_id, FollowedTag.name == name))


async def followed_page(session: AsyncSession, account_id: int, bounds: Bounds) -> list[FollowedTag]:
    """The account's followed hashtags, most recently followed first, cut by the follow's id."""
    query = select(FollowedTag).where(FollowedTag.account_id == account_id)
    found = (await session.execute(paged_by(query, FollowedTag.id, bounds))).scalars()
    return sorted(found, key=lambda f: f.id, reverse=True)


async def followed_among(session: AsyncSession, account_id: int, names) -> set[str]:
    """Which of these hashtag names the account follows, in one query."""
    wanted = set(names)
    if not wanted:
        return set()
    query = select(FollowedTag.name).where(FollowedTag.account_id == account_id, FollowedTag.name.in_(wanted))
    return set((await session.execute(query)).scalars())


async def uses_per_day(session: AsyncSession, names: list[str],
                       days: list[datetime]) -> dict[tuple[str, int], tuple[int, int]]:
    """For these hashtags and the days starting at `days` (newest first, each the start of a
    day): how many public notes carried the hashtag and from how many accounts, as
    {(name, day's index): (uses, accounts)}, days without any left out. One grouped query for
    them all: each note is put in its day by a CASE over the days' starts, which every engine
    reads the same way (no date functions, which differ between SQLite and PostgreSQL)."""
    if not names:
        return {}
    day = case(*((Object.published >= start, index) for index, start in enumerate(days)), else_=None)
    # Grouped by the CASE's name: PostgreSQL would take the CASE written out again, with
    # parameters of its own, for another expression than the one selected.
    query = (select(NoteHashtag.name, day.label("day_index"), func.count(Object.id),
                    func.count(func.distinct(Object.author_id)))
             .join(Object, Object.id == NoteHashtag.object_id)
             .join(Actor, Actor.id == Object.author_id)
             .where(NoteHashtag.name.in_(set(names)), Object.published >= days[-1], Object.visibility == "public",
                    Object.deleted_at.is_(None), Actor.suspended_at.is_(None), Actor.deleted_at.is_(None))
             .group_by(NoteHashtag.name, literal_column("day_index")))
    return {(name, index): (uses, accounts)
            for name, index, uses, accounts in await session.execute(query) if index is not None}


async def used_publicly(session: AsyncSession, name: str) -> bool:
    """Whether a public note here (not deleted) carries the hashtag."""
    query = (select(NoteHashtag.object_id).join(Object, Object.id == NoteHashtag.object_id)
             .where(NoteHashtag.name == name, Object.visibility == "public", Object.deleted_at.is_(None)).limit(1))
    return (await session.execute(query)).first() is not None
