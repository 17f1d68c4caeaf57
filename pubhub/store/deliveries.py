"""The outbound delivery queue: activities stored once, one row per (activity, inbox),
claimed with a lease, retried with backoff."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from . import leases
from .activities import as_utc
from .db import insert_statement
from .models import Actor, Delivery, Follow, OutboundActivity


async def add_activity(session: AsyncSession, *, uri: str, body: str, signer_id: int, followers_of_id: int | None,
                       now: datetime) -> int:
    rows = [{"uri": uri, "body": body, "signer_id": signer_id, "followers_of_id": followers_of_id}]
    return (await add_activities(session, rows, now=now))[uri]


async def add_activities(session: AsyncSession, rows: list[dict], *, now: datetime) -> dict[str, int]:
    """Activities (uri, body, signer_id, and followers_of_id when the signer's followers are
    an audience, expanded later) in one statement; uri → id (one stored before keeps its row)."""
    if not rows:
        return {}
    values = [{"followers_of_id": None, **row, "created_at": now} for row in rows]
    for value in values:
        value["expanded_at"] = None if value["followers_of_id"] else now
    table = OutboundActivity.__table__  # the table, not the ORM class: one statement for all rows
    statement = (insert_statement(session, table).on_conflict_do_nothing(index_elements=[table.c.uri])
                 .returning(table.c.uri, table.c.id))
    ids = dict((await session.execute(statement, values)).all())
    missing = [row["uri"] for row in rows if row["uri"] not in ids]
    if missing:
        found = await session.execute(select(OutboundActivity.uri, OutboundActivity.id).where(OutboundActivity.uri.in_(missing)))
        ids.update(found.all())
    return ids


async def add_deliveries(session: AsyncSession, targets: list[tuple[int, str]], *, now: datetime) -> None:
    """(activity id, inbox) pairs to deliver, in one statement; a pair queued before stays as it is."""
    rows = [dict(activity_id=activity_id, inbox=inbox, state="pending", attempts=0, next_attempt_at=now, created_at=now)
            for activity_id, inbox in dict.fromkeys(targets)]
    if rows:
        statement = insert_statement(session, Delivery).on_conflict_do_nothing(index_elements=[Delivery.activity_id, Delivery.inbox])
        await session.execute(statement, rows)


async def add_inboxes(session: AsyncSession, activity_id: int, inboxes: list[str], *, now: datetime) -> None:
    await add_deliveries(session, [(activity_id, inbox) for inbox in inboxes], now=now)


async def unexpanded(session: AsyncSession, *, limit: int = 20) -> list[tuple[int, str, int]]:
    """(id, uri, followers_of_id) of activities whose follower audience is not expanded yet."""
    rows = await session.execute(
        select(OutboundActivity.id, OutboundActivity.uri, OutboundActivity.followers_of_id)
        .where(OutboundActivity.expanded_at.is_(None)).order_by(OutboundActivity.id).limit(limit)
    )
    return [tuple(row) for row in rows]


async def mark_expanded(session: AsyncSession, activity_id: int, now: datetime) -> bool:
    """Claim the expansion of one activity; False if another worker marked it first."""
    marked = await session.execute(
        update(OutboundActivity).where(OutboundActivity.id == activity_id, OutboundActivity.expanded_at.is_(None))
        .values(expanded_at=now)
    )
    return marked.rowcount == 1


async def follower_inboxes(session: AsyncSession, target_id: int) -> list[str]:
    """One inbox per server among the target's accepted remote followers (shared inbox
    preferred), each once."""
    inbox = func.coalesce(Actor.shared_inbox, Actor.inbox)
    query = (
        select(inbox).select_from(Follow).join(Actor, Actor.id == Follow.follower_id)
        .where(Follow.target_id == target_id, Follow.state == "accepted", Actor.local.is_(False), Actor.deleted_at.is_(None))
        .group_by(inbox)
    )
    return list((await session.execute(query)).scalars())


async def claim(session: AsyncSession, *, limit: int, lease: timedelta, now: datetime) -> list[Delivery]:
    """Lease up to `limit` due deliveries, the longest-waiting first."""
    return await leases.claim(session, Delivery, due=(Delivery.next_attempt_at <= now,),
                              order_by=(Delivery.next_attempt_at, Delivery.id), limit=limit, lease=lease, now=now)


async def activity_bodies(session: AsyncSession, activity_ids: list[int]) -> dict[int, tuple[str, str, int]]:
    """activity id → (uri, body, signer id)."""
    rows = await session.execute(
        select(OutboundActivity.id, OutboundActivity.uri, OutboundActivity.body, OutboundActivity.signer_id)
        .where(OutboundActivity.id.in_(activity_ids))
    )
    return {row[0]: (row[1], row[2], row[3]) for row in rows}


async def mark_done(session: AsyncSession, ids: list[int], now: datetime) -> None:
    if ids:
        await session.execute(update(Delivery).where(Delivery.id.in_(ids))
                              .values(state="done", attempts=Delivery.attempts + 1, lease_until=None, finished_at=now))


async def mark_failed(session: AsyncSession, delivery_id: int, error: str, attempts: int, now: datetime) -> None:
    await session.execute(update(Delivery).where(Delivery.id == delivery_id)
                          .values(state="failed", attempts=attempts, last_error=error[:1000], lease_until=None, finished_at=now))


async def reschedule(session: AsyncSession, delivery_id: int, error: str, attempts: int, next_attempt_at: datetime) -> None:
    await session.execute(update(Delivery).where(Delivery.id == delivery_id)
                          .values(attempts=attempts, last_error=error[:1000], next_attempt_at=next_attempt_at, lease_until=None))


async def release(session: AsyncSession, ids: list[int]) -> None:
    """Give back leased rows that were not attempted to the end (a clean shutdown)."""
    await session.execute(update(Delivery).where(Delivery.id.in_(ids), Delivery.state == "pending").values(lease_until=None))


async def next_due_at(session: AsyncSession, now: datetime) -> datetime | None:
    """When the next row not already leased falls due (rows in flight don't count: a worker
    waiting on a hanging POST must not poll the database meanwhile)."""
    query = select(func.min(Delivery.next_attempt_at)).where(
        Delivery.state == "pending", or_(Delivery.lease_until.is_(None), Delivery.lease_until < now))
    return (await session.execute(query)).scalar_one_or_none()


async def pending_stats(session: AsyncSession) -> tuple[int, datetime | None]:
    """(pending deliveries, when the oldest of them was queued), for the metrics."""
    query = select(func.count(), func.min(Delivery.created_at)).where(Delivery.state == "pending")
    count, oldest = (await session.execute(query)).one()
    return count, as_utc(oldest)
