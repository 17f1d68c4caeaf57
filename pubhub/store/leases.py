"""Claiming work rows with a lease, for the delivery queue (the inbox queue has its own claim,
built once: store/activities.py). A lease marks a row taken until it runs out."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession


async def claim(session: AsyncSession, model, *, due, order_by, limit: int, lease: timedelta, now: datetime,
                **marks) -> list:
    """Lease up to `limit` pending rows of `model` that match `due` and no live lease holds.

    One UPDATE ... RETURNING, so choosing and leasing are atomic on SQLite too; on PostgreSQL
    SKIP LOCKED gives each row to one of several racing workers. A row whose worker died comes
    back once its lease expires. `marks`: more columns to set on the rows taken."""
    chosen = (
        select(model.id)
        .where(model.state == "pending", or_(model.lease_until.is_(None), model.lease_until < now), *due)
        .order_by(*order_by)
        .limit(limit)
    )
    if session.bind.dialect.name == "postgresql":
        chosen = chosen.with_for_update(skip_locked=True)
    statement = (
        update(model).where(model.id.in_(chosen.scalar_subquery())).values(lease_until=now + lease, **marks)
        .returning(model).execution_options(synchronize_session=False)
    )
    result = await session.execute(statement)
    return sorted(result.scalars(), key=lambda row: row.id)
