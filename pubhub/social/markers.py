"""Timeline markers (Mastodon's /api/v1/markers): where an account stopped reading its home
timeline and its notifications, so that another app of the same person starts there."""

from __future__ import annotations

from ..runtime import Runtime
from ..store import markers as marker_store
from ..store.models import Actor, Marker

TIMELINES = ("home", "notifications")


async def markers_of(rt: Runtime, account: Actor, timelines: list[str]) -> list[Marker]:
    """The account's markers for the known timelines asked for (unknown names are ignored, as
    Mastodon ignores them)."""
    wanted = tuple(t for t in dict.fromkeys(timelines) if t in TIMELINES)
    if not wanted:
        return []
    async with rt.db.read() as session:
        return await marker_store.of_account(session, account.id, wanted)


async def save_markers(rt: Runtime, account: Actor, positions: dict[str, str]) -> list[Marker]:
    """Set the markers given ({timeline: last read id}) in one transaction."""
    now = rt.clock.now()
    async with rt.db.write() as session:
        return [await marker_store.put(session, account.id, timeline, last_read_id, now)
                for timeline, last_read_id in positions.items() if timeline in TIMELINES]
