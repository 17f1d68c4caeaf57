"""The outbound delivery queue: rows claimed with a lease, retried with backoff."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from .models import Delivery, utcnow


async def add(session: AsyncSession, *, activity_uri: str, body: str, signer_id: int, inboxes: list[str]) -> int:
    if not inboxes:
        return 0
    now = utcnow()
    rows = [
        dict(activity_uri=activity_uri, inbox=inbox, signer_id=signer_id, body=body, state="pending",
             attempts=0, next_attempt_at=now, created_at=now)
        for inbox in dict.fromkeys(inboxes)
    ]
    dialect = postgresql if session.bind.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(Delivery).on_conflict_do_nothing(index_elements=[Delivery.activity_uri, Delivery.inbox])
    await session.execute(statement, rows)
    return len(rows)


async def claim(session: AsyncSession, *, limit: int, lease: timedelta, now: datetime) -> list[Delivery]:
    """Take up to `limit` due rows. On PostgreSQL several workers race safely: SKIP LOCKED
    gives each row to one of them, and a row whose worker died comes back once its lease expires."""
    due = (
        select(Delivery.id)
        .where(Delivery.state == "pending", Delivery.next_attempt_at <= now,
               or_(Delivery.lease_until.is_(None), Delivery.lease_until < now))
        .order_by(Delivery.next_attempt_at, Delivery.id)
        .limit(limit)
    )
    if session.bind.dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    ids = list((await session.execute(due)).scalars())
    if not ids:
        return []
    await session.execute(update(Delivery).where(Delivery.id.in_(ids)).values(lease_until=now + lease))
    return list((await session.execute(select(Delivery).where(Delivery.id.in_(ids)).order_by(Delivery.id))).scalars())


async def mark_done(session: AsyncSession, ids: list[int]) -> None:
    if ids:
        await session.execute(update(Delivery).where(Delivery.id.in_(ids))
                              .values(state="done", lease_until=None, finished_at=utcnow()))


async def mark_failed(session: AsyncSession, delivery_id: int, error: str, attempts: int) -> None:
    await session.execute(update(Delivery).where(Delivery.id == delivery_id)
                          .values(state="failed", attempts=attempts, last_error=error[:1000], lease_until=None, finished_at=utcnow()))


async def reschedule(session: AsyncSession, delivery_id: int, error: str, attempts: int, next_attempt_at: datetime) -> None:
    await session.execute(update(Delivery).where(Delivery.id == delivery_id)
                          .values(attempts=attempts, last_error=error[:1000], next_attempt_at=next_attempt_at, lease_until=None))


async def next_due_at(session: AsyncSession) -> datetime | None:
    query = select(func.min(Delivery.next_attempt_at)).where(Delivery.state == "pending")
    return (await session.execute(query)).scalar_one_or_none()
