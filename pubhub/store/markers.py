"""Timeline markers: where an account stopped reading, one row per timeline."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from .db import insert_statement
from .models import Marker


async def of_account(session: AsyncSession, actor_id: int, timelines: tuple[str, ...]) -> list[Marker]:
    query = select(Marker).where(Marker.actor_id == actor_id, Marker.timeline.in_(timelines)).order_by(Marker.timeline)
    return list((await session.execute(query)).scalars())


async def put(session: AsyncSession, actor_id: int, timeline: str, last_read_id: str, now: datetime) -> Marker:
    """Set the marker (made if missing, safe when two requests race); `version` counts its
    changes from 1, as Mastodon's does."""
    first = insert_statement(session, Marker).values(actor_id=actor_id, timeline=timeline, last_read_id=last_read_id,
                                                     version=1, updated_at=now)
    made = await session.execute(first.on_conflict_do_nothing(index_elements=["actor_id", "timeline"]))
    marker = (await session.execute(
        select(Marker).where(Marker.actor_id == actor_id, Marker.timeline == timeline)
        .with_for_update().execution_options(populate_existing=True))).scalar_one()
    if made.rowcount != 1 and marker.last_read_id != last_read_id:
        marker.last_read_id, marker.version, marker.updated_at = last_read_id, marker.version + 1, now
        await session.flush()
    return marker
