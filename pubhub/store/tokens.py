"""Bearer tokens: only their SHA-256 is stored."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from .models import Actor, Token


async def add(session: AsyncSession, *, token_hash: str, actor_id: int, name: str, scopes: str, now: datetime) -> Token:
    token = Token(token_hash=token_hash, actor_id=actor_id, name=name, scopes=scopes, created_at=now)
    session.add(token)
    await session.flush()
    return token


async def live_with_actor(session: AsyncSession, token_hash: str) -> tuple[Token, Actor] | None:
    """The unrevoked token with this hash and its account, if the account still exists."""
    query = (
        select(Token, Actor)
        .join(Actor, Token.actor_id == Actor.id)
        .where(Token.token_hash == token_hash, Token.revoked_at.is_(None), Actor.deleted_at.is_(None))
    )
    row = (await session.execute(query)).first()
    return (row[0], row[1]) if row else None
