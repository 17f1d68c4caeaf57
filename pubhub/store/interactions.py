"""Likes and Announces of the notes we know."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from .models import Interaction


async def add_once(session: AsyncSession, *, kind: str, activity_uri: str, actor_id: int, object_id: int,
                   now: datetime) -> None:
    """Record a reaction unless this actor already reacted so to this note."""
    existing = await session.execute(
        select(Interaction.id).where(Interaction.kind == kind, Interaction.actor_id == actor_id, Interaction.object_id == object_id)
    )
    if existing.first() is None:
        session.add(Interaction(kind=kind, activity_uri=activity_uri, actor_id=actor_id, object_id=object_id, created_at=now))


async def by_activity_uri(session: AsyncSession, uri: str) -> Interaction | None:
    return (await session.execute(select(Interaction).where(Interaction.activity_uri == uri))).scalar_one_or_none()


async def remove(session: AsyncSession, interaction: Interaction) -> None:
    await session.execute(delete(Interaction).where(Interaction.id == interaction.id))
