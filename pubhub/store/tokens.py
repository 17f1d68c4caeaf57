"""Bearer tokens: only their SHA-256 is stored. A token made through OAuth names its app; a
client_credentials token has an app and no account."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from .models import Actor, Token


async def add(session: AsyncSession, *, token_hash: str, actor_id: int | None, name: str, scopes: str,
              now: datetime, app_id: int | None = None) -> Token:
    token = Token(token_hash=token_hash, actor_id=actor_id, app_id=app_id, name=name, scopes=scopes, created_at=now)
    session.add(token)
    await session.flush()
    return token


async def live_with_actor(session: AsyncSession, token_hash: str, *,
                          restricted_too: bool = False) -> tuple[Token, Actor | None] | None:
    """The unrevoked token with this hash and its account (None for an app's own token), if the
    account exists and is neither suspended nor disabled (`restricted_too`: even so)."""
    usable = [Actor.deleted_at.is_(None)]
    if not restricted_too:  # a suspended account's tokens work again on unsuspension
        usable += [Actor.suspended_at.is_(None), Actor.disabled_at.is_(None)]
    query = (
        select(Token, Actor)
        .outerjoin(Actor, Token.actor_id == Actor.id)
        .where(Token.token_hash == token_hash, Token.revoked_at.is_(None),
               or_(Token.actor_id.is_(None), and_(*usable)))
    )
    row = (await session.execute(query)).first()
    return (row[0], row[1]) if row else None


async def by_hash(session: AsyncSession, token_hash: str) -> Token | None:
    """The token with this hash, revoked or not."""
    return (await session.execute(select(Token).where(Token.token_hash == token_hash))).scalar_one_or_none()


async def listed(session: AsyncSession, *, include_revoked: bool) -> list[tuple[Token, Actor | None]]:
    """Tokens with their accounts (None for an app's own token), oldest first."""
    query = select(Token, Actor).outerjoin(Actor, Token.actor_id == Actor.id).order_by(Token.id)
    if not include_revoked:
        query = query.where(Token.revoked_at.is_(None))
    return [(row[0], row[1]) for row in (await session.execute(query)).all()]


async def live_matching(session: AsyncSession, *, hash_prefix: str | None = None,
                        actor_id: int | None = None) -> list[Token]:
    """Unrevoked tokens whose hash starts with `hash_prefix`, or of the account `actor_id`."""
    query = select(Token).where(Token.revoked_at.is_(None)).order_by(Token.id)
    if hash_prefix is not None:
        query = query.where(Token.token_hash.startswith(hash_prefix, autoescape=True))
    if actor_id is not None:
        query = query.where(Token.actor_id == actor_id)
    return list((await session.execute(query)).scalars())


async def revoke(session: AsyncSession, tokens: list[Token], now: datetime) -> None:
    await revoke_ids(session, [token.id for token in tokens], now)


async def revoke_ids(session: AsyncSession, ids: list[int], now: datetime) -> None:
    if ids:
        await session.execute(update(Token).where(Token.id.in_(ids), Token.revoked_at.is_(None)).values(revoked_at=now))


async def live_of(session: AsyncSession, actor_id: int | None) -> list[tuple[Token, Actor | None]]:
    """Unrevoked tokens, newest first: of the account `actor_id`, or (None) of everyone."""
    query = (select(Token, Actor).outerjoin(Actor, Token.actor_id == Actor.id)
             .where(Token.revoked_at.is_(None)).order_by(Token.id.desc()))
    if actor_id is not None:
        query = query.where(Token.actor_id == actor_id)
    return [(row[0], row[1]) for row in (await session.execute(query)).all()]


async def by_id(session: AsyncSession, token_id: int) -> Token | None:
    return await session.get(Token, token_id)
