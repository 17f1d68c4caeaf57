"""Moderators' console sessions, by the hash of their token."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from .models import ConsoleSession


async def add(session: AsyncSession, **values) -> ConsoleSession:
    row = ConsoleSession(**values)
    session.add(row)
    await session.flush()
    return row


async def by_hash(session: AsyncSession, token_hash: str) -> ConsoleSession | None:
    query = select(ConsoleSession).where(ConsoleSession.token_hash == token_hash)
    return (await session.execute(query)).scalar_one_or_none()


async def remove(session: AsyncSession, token_hash: str) -> None:
    await session.execute(delete(ConsoleSession).where(ConsoleSession.token_hash == token_hash))


async def remove_expired(session: AsyncSession, now: datetime) -> None:
    await session.execute(delete(ConsoleSession).where(ConsoleSession.expires_at <= now))
