"""OAuth apps and authorization codes: only the SHA-256 of a client secret or a code is stored."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from .models import OAuthApp, OAuthCode


async def add_app(session: AsyncSession, **values) -> OAuthApp:
    app = OAuthApp(**values)
    session.add(app)
    await session.flush()
    return app


async def app_by_client_id(session: AsyncSession, client_id: str) -> OAuthApp | None:
    return (await session.execute(select(OAuthApp).where(OAuthApp.client_id == client_id))).scalar_one_or_none()


async def app_by_id(session: AsyncSession, app_id: int) -> OAuthApp | None:
    return await session.get(OAuthApp, app_id)


async def add_code(session: AsyncSession, **values) -> OAuthCode:
    code = OAuthCode(**values)
    session.add(code)
    await session.flush()
    return code


async def code_by_hash(session: AsyncSession, code_hash: str) -> OAuthCode | None:
    return (await session.execute(select(OAuthCode).where(OAuthCode.code_hash == code_hash))).scalar_one_or_none()


async def spend_code(session: AsyncSession, code_id: int, now: datetime) -> bool:
    """Mark the code used; False when it already was (another request spent it first: the
    conditional UPDATE decides, on either engine)."""
    result = await session.execute(
        update(OAuthCode).where(OAuthCode.id == code_id, OAuthCode.used_at.is_(None)).values(used_at=now))
    return result.rowcount == 1


async def record_token(session: AsyncSession, code_id: int, token_id: int) -> None:
    await session.execute(update(OAuthCode).where(OAuthCode.id == code_id).values(token_id=token_id))


async def forget_codes_expired_before(session: AsyncSession, when: datetime) -> None:
    """Codes long past their expiry are of no use, not even to recognise a replay."""
    await session.execute(delete(OAuthCode).where(OAuthCode.expires_at < when))
