"""Hashtags as Mastodon's apps see them: following one (its public notes then join the home
timeline and the `user` stream: store.timelines, social.live), the list of those followed, and
a hashtag's entity with its use over the last seven days (Mastodon's `history`) and, for a
signed-in account, whether it follows it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from ..compose import normalize_hashtag, valid_hashtag
from ..errors import NotFound, Unprocessable
from ..runtime import Runtime
from ..store import followed_tags as store
from ..store.db import Session
from ..store.hashtags import hashtag_names
from ..store.models import Actor, Object
from ..store.timelines import Bounds
from .visibility import reaches_hashtag_followers

HISTORY_DAYS = 7
# Each follow is a row and is looked up for every home page: a bound no person reaches, that a
# script following every word it can think of does (Mastodon rate-limits these follows instead).
MAX_FOLLOWED = 1000


@dataclass(frozen=True)
class TagView:
    name: str
    history: list[dict]
    following: bool | None  # None: nobody signed in (the entity then has no `following`)


def tag_name(raw: str) -> str:
    """A hashtag's name from a path (`#` allowed), normalised; 404 for what is no hashtag."""
    name = normalize_hashtag(raw.strip())
    if not valid_hashtag(name):
        raise NotFound(f"Not a valid hashtag name: {raw[:120]!r}")
    return name


def history_days(now: datetime) -> list[datetime]:
    """The starts of the last seven days (UTC), today first."""
    today = now.astimezone(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
    return [today - timedelta(days=n) for n in range(HISTORY_DAYS)]


async def with_followed_hashtags(session: Session, account: Actor, notes: list[Object]) -> set[int]:
    """The ids of those notes that reach the account's home through a hashtag it follows
    (visibility.reaches_hashtag_followers: public ones), in one query. The caller has passed
    them through the visibility rule for the account."""
    public = {n.id: hashtag_names(n.tags) for n in notes if reaches_hashtag_followers(n) and n.author_id != account.id}
    followed = await store.followed_among(session, account.id, set().union(*public.values()))
    return {note_id for note_id, names in public.items() if names & followed}


async def views(session: Session, names: list[str], account: Actor | None, now: datetime) -> list[TagView]:
    """Tag entities for these (normalised) names, read in two queries whatever their number:
    `following` for a signed-in account, and Mastodon's history: per day, newest first, the day
    (a UNIX timestamp), how many public notes stored here carried the hashtag and from how
    many accounts, all as strings."""
    followed = await store.followed_among(session, account.id, names) if account is not None else set()
    days = history_days(now)
    counts = await store.uses_per_day(session, names, days)

    def history(name: str) -> list[dict]:
        return [{"day": str(int(day.timestamp())), "uses": str(counts.get((name, n), (0, 0))[0]),
                 "accounts": str(counts.get((name, n), (0, 0))[1])} for n, day in enumerate(days)]

    return [TagView(name, history(name), name in followed if account is not None else None) for name in names]


async def views_of(rt: Runtime, names: list[str], account: Actor | None) -> list[TagView]:
    async with rt.db.read() as session:
        return await views(session, names, account, rt.clock.now())


async def tag(rt: Runtime, raw: str, account: Actor | None) -> TagView:
    """A hashtag that a public note here carries or the account follows; 404 for one neither
    (so a hashtag only private notes carry stays unknown)."""
    name = tag_name(raw)
    async with rt.db.read() as session:
        followed = account is not None and bool(await store.followed_among(session, account.id, [name]))
        if not followed and not await store.used_publicly(session, name):
            raise NotFound("Record not found")
        return (await views(session, [name], account, rt.clock.now()))[0]


async def follow(rt: Runtime, account: Actor, raw: str) -> TagView:
    """Follow a hashtag (again: nothing changes), as Mastodon, also one no note carries yet;
    at most MAX_FOLLOWED (422 beyond)."""
    name = tag_name(raw)
    async with rt.db.write() as session:
        already = bool(await store.followed_among(session, account.id, [name]))
        if not already and await store.count_followed(session, account.id) >= MAX_FOLLOWED:
            raise Unprocessable(f"Validation failed: you can follow at most {MAX_FOLLOWED} hashtags")
        await store.follow(session, account.id, name, rt.clock.now())
    async with rt.db.read() as session:
        return (await views(session, [name], account, rt.clock.now()))[0]


async def unfollow(rt: Runtime, account: Actor, raw: str) -> TagView:
    name = tag_name(raw)
    async with rt.db.write() as session:
        await store.unfollow(session, account.id, name)
    async with rt.db.read() as session:
        return (await views(session, [name], account, rt.clock.now()))[0]


async def followed(rt: Runtime, account: Actor, bounds: Bounds) -> tuple[list[TagView], list[int]]:
    """The hashtags the account follows, most recently followed first, and the ids of the
    follows (what the Link header pages on)."""
    async with rt.db.read() as session:
        follows = await store.followed_page(session, account.id, bounds)
        return await views(session, [f.name for f in follows], account, rt.clock.now()), [f.id for f in follows]
