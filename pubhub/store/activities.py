"""Inbound activities: the idempotency record and the inbox work queue.

A finished (done or dropped) row keeps what deduplication needs, its id, and loses its body;
`prune_finished` deletes finished rows once they are older than the retention window."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import Row, delete, exists, func, not_, or_, select, update
from sqlalchemy.orm import aliased
from sqlalchemy.ext.asyncio import AsyncSession

from . import leases
from .db import insert_statement
from .models import InboxActivity, utcnow


async def record_many(session: AsyncSession, rows: list[dict], now: datetime | None = None) -> list[bool]:
    """Store inbound activities once each, in one statement; for each row, whether it was new.
    A replayed id (seen before, or twice in this batch) comes back False. A row may carry its
    `state` (`held`: kept for a moderator, never claimed by the worker); the default is pending."""
    if not rows:
        return []
    now = now or utcnow()
    distinct: dict[str, dict] = {}
    for row in rows:
        distinct.setdefault(row["uri"], row)
    # A Core statement (no ORM bulk machinery) of one fixed shape: compiled once, cached,
    # and batched by SQLAlchemy's insertmanyvalues into multi-row INSERTs.
    table = InboxActivity.__table__
    statement = insert_statement(session, table).on_conflict_do_nothing(index_elements=[table.c.uri]).returning(table.c.uri)
    params = [{"state": "pending", **row, "received_at": now} for row in distinct.values()]
    inserted = set((await session.execute(statement, params)).scalars())
    results = []
    for row in rows:
        results.append(row["uri"] in inserted)
        inserted.discard(row["uri"])  # the second copy in one batch is a replay
    return results


_EARLIER = aliased(InboxActivity, name="earlier")  # made once: a fresh alias costs milliseconds per query
CLAIM_LOCK = 0x5075624875620001  # PostgreSQL advisory lock key taken by every inbox claim


# What the worker reads of an activity it takes: rows of these, not ORM objects (building a
# hundred of those cost as much as the rest of the claim).
ClaimedActivity = Row  # of the CLAIMED columns, by name: row.id, row.uri, row.type, ...
CLAIMED = (InboxActivity.id, InboxActivity.uri, InboxActivity.type, InboxActivity.actor_uri, InboxActivity.payload,
           InboxActivity.received_at)


async def claim(session: AsyncSession, *, limit: int, lease: timedelta, now: datetime, worker: str,
                skip_origins: list[str] = ()) -> list[ClaimedActivity]:
    """Lease up to `limit` pending activities, oldest first, none from `skip_origins`
    (scheme://host[:port], whose lanes are full): rows of the CLAIMED columns."""
    skipped = [InboxActivity.actor_uri.startswith(name + "/", autoescape=True) for name in skip_origins]
    due = (not_(or_(*skipped)),) if skipped else ()
    # A server's activities in arrival order, whichever worker applies them: none while another
    # worker holds an earlier one of the same server (this worker's own lanes keep the order).
    # Claims run one at a time (SQLite's write lock; on PostgreSQL a transaction lock), so two
    # workers never both see a server as free.
    earlier = _EARLIER
    held_before = exists().where(earlier.origin == InboxActivity.origin, earlier.id < InboxActivity.id,
                                 earlier.state == "pending", earlier.lease_until >= now, earlier.claimed_by != worker)
    if session.bind.dialect.name == "postgresql":
        await session.execute(select(func.pg_advisory_xact_lock(CLAIM_LOCK)))
    return await leases.claim(session, InboxActivity, due=(*due, not_(held_before)), order_by=(InboxActivity.id,),
                              limit=limit, lease=lease, now=now, columns=CLAIMED, claimed_by=worker)


async def renew(session: AsyncSession, ids: list[int], *, lease: timedelta, now: datetime) -> None:
    for chunk in _chunks(ids):
        await session.execute(update(InboxActivity).where(InboxActivity.id.in_(chunk), InboxActivity.state == "pending")
                              .values(lease_until=now + lease))


async def release(session: AsyncSession, ids: list[int]) -> None:
    for chunk in _chunks(ids):
        await session.execute(update(InboxActivity).where(InboxActivity.id.in_(chunk), InboxActivity.state == "pending")
                              .values(lease_until=None))


def _chunks(ids: list[int], size: int = 500):
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


FINISHED = ("done", "dropped")


async def finish_many(session: AsyncSession, outcomes: list[tuple[int, str, str | None]], now: datetime | None = None) -> None:
    """Record (id, state, reason) for a batch: one UPDATE for the plain successes. A finished
    row lets its body go; a held one keeps it for the moderator."""
    now = now or utcnow()
    done = [activity_id for activity_id, state, error in outcomes if state == "done" and error is None]
    if done:
        await session.execute(update(InboxActivity).where(InboxActivity.id.in_(done))
                              .values(state="done", processed_at=now, lease_until=None, payload=None))
    for activity_id, state, error in outcomes:
        if state != "done" or error is not None:
            body = {"payload": None} if state in FINISHED else {}
            await session.execute(update(InboxActivity).where(InboxActivity.id == activity_id)
                                  .values(state=state, error=error, processed_at=now, lease_until=None, **body))


async def prune_finished(session: AsyncSession, *, finished_before: datetime, limit: int) -> int:
    """Delete up to `limit` done or dropped rows finished before `finished_before`; how many.
    Held and pending rows are never pruned."""
    chosen = (
        select(InboxActivity.id)
        .where(InboxActivity.processed_at < finished_before, InboxActivity.state.in_(FINISHED))
        .order_by(InboxActivity.processed_at)
        .limit(limit)
    )
    if session.bind.dialect.name == "postgresql":
        chosen = chosen.with_for_update(skip_locked=True)  # several workers prune side by side
    statement = delete(InboxActivity).where(InboxActivity.id.in_(chosen.scalar_subquery()))
    result = await session.execute(statement.execution_options(synchronize_session=False))
    return result.rowcount


async def pending_count(session: AsyncSession) -> int:
    """Activities waiting for the inbox worker (claimed ones too: they are not applied yet)."""
    query = select(func.count()).select_from(InboxActivity).where(InboxActivity.state == "pending")
    return (await session.execute(query)).scalar_one()


async def pending_stats(session: AsyncSession) -> tuple[int, datetime | None]:
    """(pending activities, when the oldest of them was received), for the metrics."""
    query = select(func.count(), func.min(InboxActivity.received_at)).where(InboxActivity.state == "pending")
    count, oldest = (await session.execute(query)).one()
    return count, as_utc(oldest)


def as_utc(moment) -> datetime | None:
    """min() bypasses the column type: SQLite hands back text or a naive datetime."""
    if moment is None:
        return None
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
