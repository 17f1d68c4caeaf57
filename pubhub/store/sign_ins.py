"""Failed sign-ins, counted per account and per client address within a window."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from .models import SignInAttempt


async def failures_since(session: AsyncSession, *, account_key: str, address: str,
                         since: datetime) -> tuple[int, int, datetime | None, datetime | None]:
    """(failures for the account, failures from the address, the oldest of each) after `since`."""
    async def count(column, value):
        query = select(func.count(), func.min(SignInAttempt.attempted_at)).where(
            column == value, SignInAttempt.attempted_at > since)
        return (await session.execute(query)).one()

    by_account, oldest_account = await count(SignInAttempt.account_key, account_key)
    by_address, oldest_address = await count(SignInAttempt.address, address)
    return by_account, by_address, oldest_account, oldest_address


async def add_failure(session: AsyncSession, *, account_key: str, address: str, now: datetime) -> None:
    session.add(SignInAttempt(account_key=account_key, address=address, attempted_at=now))
    await session.flush()


async def forget_before(session: AsyncSession, when: datetime) -> None:
    await session.execute(delete(SignInAttempt).where(SignInAttempt.attempted_at < when))


async def forget_account(session: AsyncSession, account_key: str) -> None:
    """A successful sign-in clears the account's failures (not its address's)."""
    await session.execute(delete(SignInAttempt).where(SignInAttempt.account_key == account_key))
