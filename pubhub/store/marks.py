"""What a local account marks on statuses for itself: bookmarks and pins (the same shape of
table: an account, a status, once), and pages of them by the mark's id."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from .db import insert_statement
from .models import Bookmark, Object, Pin
from .timelines import Bounds, paged_by

Mark = type[Bookmark] | type[Pin]


async def add(session: AsyncSession, model: Mark, account_id: int, object_id: int, now: datetime) -> None:
    """Mark the status; marked already: nothing changes."""
    values = {"account_id": account_id, "object_id": object_id, "created_at": now}
    await session.execute(insert_statement(session, model.__table__).values(**values).on_conflict_do_nothing())


async def remove(session: AsyncSession, model: Mark, account_id: int, object_id: int) -> None:
    await session.execute(delete(model).where(model.account_id == account_id, model.object_id == object_id))


async def among(session: AsyncSession, model: Mark, account_id: int, object_ids: list[int]) -> set[int]:
    """Which of these statuses the account marked, in one query."""
    if not object_ids:
        return set()
    query = select(model.object_id).where(model.account_id == account_id, model.object_id.in_(object_ids))
    return set((await session.execute(query)).scalars())


async def count(session: AsyncSession, model: Mark, account_id: int) -> int:
    return (await session.execute(select(func.count()).select_from(model).where(model.account_id == account_id))).scalar_one()


async def page(session: AsyncSession, model: Mark, account_id: int, bounds: Bounds) -> list[tuple[int, Object]]:
    """(mark id, status) of the account's marks, newest mark first, cut by the mark's id."""
    query = select(model.id, Object).join(Object, Object.id == model.object_id).where(model.account_id == account_id)
    rows = [tuple(row) for row in await session.execute(paged_by(query, model.id, bounds))]
    return sorted(rows, key=lambda row: row[0], reverse=True)
