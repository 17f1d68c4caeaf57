"""Likes and Announces of the notes we know."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from .db import insert_statement
from .models import Interaction


async def insert_many(session: AsyncSession, rows: list[dict]) -> None:
    """Reactions (kind, activity_uri, actor_id, object_id, created_at) in one statement; one
    the actor already made of the note (or whose activity is recorded) is left out."""
    if rows:
        await session.execute(insert_statement(session, Interaction.__table__).on_conflict_do_nothing(), rows)


async def by_activity_uri(session: AsyncSession, uri: str) -> Interaction | None:
    return (await session.execute(select(Interaction).where(Interaction.activity_uri == uri))).scalar_one_or_none()


async def by_activity_uris(session: AsyncSession, uris: list[str]) -> dict[str, Interaction]:
    """The reactions recorded from these activities, in one query."""
    query = select(Interaction).where(Interaction.activity_uri.in_(uris))
    return {row.activity_uri: row for row in (await session.execute(query)).scalars()}


async def remove(session: AsyncSession, interaction: Interaction) -> None:
    await session.execute(delete(Interaction).where(Interaction.id == interaction.id))
