"""Search queries: accounts by the start of their name, hashtags by the start of theirs, notes by
their URL."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from .models import Actor, Object
from .hashtags import hashtag_names

TAG_SCAN = 2000  # hashtags are collected from the tags of at most this many recent public notes


def _prefix(term: str) -> str:
    """A LIKE pattern for "starts with `term`", its own % and _ taken literally."""
    escaped = term.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"


async def accounts_by_prefix(session: AsyncSession, term: str, *, limit: int, offset: int) -> list[Actor]:
    """Accounts (local first, then others we know) whose username or display name starts with
    `term`, any case; not deleted, not suspended, not the instance actor."""
    pattern = _prefix(term)
    query = (select(Actor)
             .where(or_(func.lower(Actor.username).like(pattern, escape="\\"),
                        func.lower(Actor.display_name).like(pattern, escape="\\")),
                    Actor.deleted_at.is_(None), Actor.suspended_at.is_(None), Actor.kind != "Application")
             .order_by(Actor.local.desc(), func.lower(Actor.username), Actor.id)
             .limit(limit).offset(offset))
    return list((await session.execute(query)).scalars())


async def remote_by_handle(session: AsyncSession, username: str, domain: str) -> Actor | None:
    query = select(Actor).where(func.lower(Actor.username) == username.lower(), Actor.domain == domain.lower(),
                                Actor.local.is_(False), Actor.deleted_at.is_(None))
    return (await session.execute(query.limit(1))).scalar_one_or_none()


async def recent_hashtags(session: AsyncSession, term: str, *, limit: int) -> list[tuple[str, int]]:
    """Hashtags starting with `term` (lower case, no #) among the tags of the TAG_SCAN most recent
    public notes, the most used first: (name, how many of those notes carry it)."""
    rows = await session.execute(select(Object.tags).where(Object.visibility == "public", Object.deleted_at.is_(None))
                                 .order_by(Object.id.desc()).limit(TAG_SCAN))
    counts: Counter[str] = Counter()
    for (tags,) in rows:
        counts.update(name for name in hashtag_names(tags) if name.startswith(term) and name)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]


async def note_by_url(session: AsyncSession, url: str) -> Object | None:
    """A stored note whose id or web URL this is."""
    query = select(Object).where(or_(Object.uri == url, Object.url == url)).order_by(Object.id)
    return (await session.execute(query.limit(1))).scalar_one_or_none()
