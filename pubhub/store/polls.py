"""Queries about polls and their votes (the rules are in social/polls.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from .models import Actor, Object, PollVote


async def lock(session: AsyncSession, note_id: int) -> None:
    """The poll's note row held until commit (PostgreSQL; SQLite has one writer anyway) and read
    again, so votes on one poll are counted one at a time, each on the poll as the last left it."""
    await session.execute(select(Object).where(Object.id == note_id).with_for_update()
                          .execution_options(populate_existing=True))


async def votes_of(session: AsyncSession, note_id: int, actor_id: int) -> list[tuple[str, int]]:
    """(uri, choice) of the actor's votes on the poll."""
    rows = await session.execute(select(PollVote.uri, PollVote.choice).where(
        PollVote.object_id == note_id, PollVote.actor_id == actor_id))
    return [tuple(row) for row in rows]


async def tally(session: AsyncSession, note_id: int) -> tuple[dict[int, int], int]:
    """Votes per option and how many voted (two grouped queries)."""
    rows = await session.execute(select(PollVote.choice, func.count()).where(PollVote.object_id == note_id)
                                 .group_by(PollVote.choice))
    voters = await session.scalar(select(func.count(func.distinct(PollVote.actor_id)))
                                  .where(PollVote.object_id == note_id))
    return {choice: count for choice, count in rows}, voters or 0


async def choices_by(session: AsyncSession, actor_id: int, note_ids: list[int]) -> dict[int, list[int]]:
    """The actor's choices on each of these polls, one query."""
    rows = await session.execute(select(PollVote.object_id, PollVote.choice)
                                 .where(PollVote.actor_id == actor_id, PollVote.object_id.in_(note_ids))
                                 .order_by(PollVote.choice))
    chosen: dict[int, list[int]] = {}
    for object_id, choice in rows:
        chosen.setdefault(object_id, []).append(choice)
    return chosen


async def local_polls_since(session: AsyncSession, since: datetime) -> list[Object]:
    """Local, not deleted notes with a poll, published since then."""
    rows = await session.execute(select(Object).where(
        Object.local.is_(True), Object.poll.is_not(None), Object.deleted_at.is_(None), Object.published >= since))
    return list(rows.scalars())


async def remote_voter_inboxes(session: AsyncSession, note_id: int) -> list[str]:
    """The inbox (shared where there is one) of each remote actor who voted on the poll."""
    rows = await session.execute(select(Actor.shared_inbox, Actor.inbox).join(PollVote, PollVote.actor_id == Actor.id)
                                 .where(PollVote.object_id == note_id, Actor.local.is_(False)).distinct())
    return [shared or inbox for shared, inbox in rows]


async def local_voters(session: AsyncSession, note_id: int) -> list[int]:
    """The local accounts that voted on the poll."""
    rows = await session.execute(select(PollVote.actor_id).join(Actor, PollVote.actor_id == Actor.id)
                                 .where(PollVote.object_id == note_id, Actor.local.is_(True)).distinct())
    return list(rows.scalars())


async def remote_polls_voted_here_since(session: AsyncSession, since: datetime) -> list[Object]:
    """Remote notes with a poll, published since then, that a local account voted on."""
    voted_here = (select(PollVote.object_id).join(Actor, PollVote.actor_id == Actor.id)
                  .where(Actor.local.is_(True)))
    rows = await session.execute(select(Object).where(
        Object.local.is_(False), Object.poll.is_not(None), Object.deleted_at.is_(None), Object.published >= since,
        Object.id.in_(voted_here)))
    return list(rows.scalars())
