"""Queries on follow relations."""

from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from .models import Actor, Follow


async def between(session: AsyncSession, follower_id: int, target_id: int) -> Follow | None:
    query = select(Follow).where(Follow.follower_id == follower_id, Follow.target_id == target_id)
    return (await session.execute(query)).scalar_one_or_none()


async def between_many(session: AsyncSession, pairs) -> dict[tuple[int, int], Follow]:
    """The follows of these (follower id, target id) pairs that exist, in one query."""
    pairs = set(pairs)
    if not pairs:
        return {}
    query = select(Follow).where(Follow.follower_id.in_({f for f, _ in pairs}), Follow.target_id.in_({t for _, t in pairs}))
    return {(f.follower_id, f.target_id): f for f in (await session.execute(query)).scalars()
            if (f.follower_id, f.target_id) in pairs}


def add_pending(session: AsyncSession, **values) -> Follow:
    """A new follow, written with the session's next flush (with others, in one statement)."""
    follow = Follow(**values)
    session.add(follow)
    return follow


async def add(session: AsyncSession, *, follower_id: int, target_id: int, activity_uri: str, state: str) -> Follow:
    follow = Follow(follower_id=follower_id, target_id=target_id, activity_uri=activity_uri, state=state)
    session.add(follow)
    await session.flush()
    return follow


async def accepted_targets(session: AsyncSession, follower_id: int, target_ids) -> set[int]:
    """Which of `target_ids` the follower follows (accepted), in one query."""
    wanted = {i for i in target_ids if i is not None}
    if not wanted:
        return set()
    query = select(Follow.target_id).where(Follow.follower_id == follower_id, Follow.target_id.in_(wanted),
                                           Follow.state == "accepted")
    return set((await session.execute(query)).scalars())


async def by_activity_uri(session: AsyncSession, uri: str) -> Follow | None:
    return (await session.execute(select(Follow).where(Follow.activity_uri == uri))).scalar_one_or_none()


async def by_activity_uris(session: AsyncSession, uris: list[str]) -> dict[str, Follow]:
    """The follows recorded from these Follow activities, in one query."""
    query = select(Follow).where(Follow.activity_uri.in_(uris))
    return {follow.activity_uri: follow for follow in (await session.execute(query)).scalars()}


async def remove(session: AsyncSession, follow: Follow) -> None:
    await session.execute(delete(Follow).where(Follow.id == follow.id))


async def page(session: AsyncSession, actor_id: int, *, followers: bool, limit: int, offset: int) -> tuple[int, list[str]]:
    mine, other = (Follow.target_id, Follow.follower_id) if followers else (Follow.follower_id, Follow.target_id)
    where = (mine == actor_id, Follow.state == "accepted")
    total = (await session.execute(select(func.count()).select_from(Follow).where(*where))).scalar_one()
    query = select(Actor.uri).join(Follow, other == Actor.id).where(*where).order_by(Follow.id.desc()).limit(limit).offset(offset)
    return total, list((await session.execute(query)).scalars())


# Made once: SQLAlchemy builds an alias's column mapping on first use, and a query with a
# fresh alias each time costs milliseconds of CPU to construct.
_LOCAL_FOLLOWER = aliased(Actor, name="local_follower")


async def followed_by_locals(session: AsyncSession, uris: list[str]) -> set[str]:
    """Which of these actors at least one local account follows (accepted)."""
    if not uris:
        return set()
    local = _LOCAL_FOLLOWER
    query = (
        select(Actor.uri).join(Follow, Follow.target_id == Actor.id).join(local, local.id == Follow.follower_id)
        .where(Actor.uri.in_(set(uris)), Follow.state == "accepted", local.local.is_(True)).distinct()
    )
    return set((await session.execute(query)).scalars())


async def pending_for(session: AsyncSession, target_id: int, *, limit: int, max_id: int | None = None,
                      min_id: int | None = None) -> list[tuple[Follow, Actor]]:
    """Follow requests waiting for the target's answer, newest first, by follow id."""
    query = select(Follow, Actor).join(Actor, Actor.id == Follow.follower_id).where(
        Follow.target_id == target_id, Follow.state == "pending", Actor.deleted_at.is_(None))
    if max_id is not None:
        query = query.where(Follow.id < max_id)
    if min_id is not None:
        query = query.where(Follow.id > min_id)
    rows = await session.execute(query.order_by(Follow.id.desc()).limit(limit))
    return [(row[0], row[1]) for row in rows]


async def pending_count(session: AsyncSession, target_id: int) -> int:
    query = select(func.count()).select_from(Follow).where(Follow.target_id == target_id, Follow.state == "pending")
    return (await session.execute(query)).scalar_one()
