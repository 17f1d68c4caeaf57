"""Inbound activities: the idempotency record and the inbox work queue.

A finished (done or dropped) row keeps what deduplication needs, its id, and loses its body;
`prune_finished` deletes finished rows once they are older than the retention window."""

from __future__ import annotations

import functools
from datetime import datetime, timedelta, timezone

from sqlalchemy import Row, bindparam, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

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


CLAIM_LOCK = 0x5075624875620001  # PostgreSQL advisory lock key taken by every inbox claim
_TABLE = InboxActivity.__table__

# What the worker reads of an activity it takes: rows of these, not ORM objects (building a
# hundred of those cost as much as the rest of the claim).
ClaimedActivity = Row  # of the CLAIMED columns, by name: row.id, row.uri, row.type, ...
CLAIMED = (_TABLE.c.id, _TABLE.c.uri, _TABLE.c.type, _TABLE.c.actor_uri, _TABLE.c.payload, _TABLE.c.received_at)


async def claim(session: AsyncSession, *, limit: int, lease: timedelta, now: datetime, worker: str,
                skip_origins: list[str] = ()) -> list[ClaimedActivity]:
    """Lease up to `limit` pending activities, oldest first, none from `skip_origins`
    (scheme://host[:port], whose lanes are full): rows of the CLAIMED columns.

    One UPDATE ... RETURNING, so choosing and leasing are atomic on SQLite too; on PostgreSQL
    SKIP LOCKED gives each row to one of several racing workers. A row whose worker died comes
    back once its lease expires."""
    dialect = session.bind.dialect.name
    if dialect == "postgresql":
        await session.execute(select(func.pg_advisory_xact_lock(CLAIM_LOCK)))
    params = {"now": now, "until": now + lease, "worker": worker}
    if skip_origins:
        params["skip"] = list(skip_origins)
    result = await session.execute(_claim_statement(dialect, bool(skip_origins), limit), params)
    return sorted(result.all(), key=lambda row: row.id)


@functools.lru_cache(maxsize=64)
def _claim_statement(dialect: str, skipping: bool, limit: int):
    """The claim, built once per shape (a Core statement with bound values: it is run for every
    hundred activities, and building and keying the statement cost more than running it)."""
    table, earlier = _TABLE, _TABLE.alias("earlier")
    now = bindparam("now", type_=table.c.lease_until.type)
    worker = bindparam("worker", type_=table.c.claimed_by.type)
    # A server's activities in arrival order, whichever worker applies them: none while another
    # worker holds one of the same server (this worker's own lanes keep the order). The servers
    # others hold are read once per claim, not once per candidate row: a correlated "held before
    # this one" scanned every earlier pending row for each candidate. Claims run one at a time
    # (SQLite's write lock; on PostgreSQL a transaction lock), so two workers never both see a
    # server as free.
    held_by_others = select(earlier.c.origin).where(earlier.c.state == "pending", earlier.c.lease_until >= now,
                                                    earlier.c.claimed_by != worker, earlier.c.origin.is_not(None))
    due = [table.c.state == "pending", or_(table.c.lease_until.is_(None), table.c.lease_until < now),
           or_(table.c.origin.is_(None), table.c.origin.not_in(held_by_others.scalar_subquery()))]
    if skipping:  # origins whose lanes here are full
        due.append(or_(table.c.origin.is_(None), table.c.origin.not_in(bindparam("skip", expanding=True))))
    chosen = select(table.c.id).where(*due).order_by(table.c.id).limit(limit)
    if dialect == "postgresql":
        chosen = chosen.with_for_update(skip_locked=True)
    return (update(table).where(table.c.id.in_(chosen.scalar_subquery()))
            .values(lease_until=bindparam("until", type_=table.c.lease_until.type), claimed_by=worker)
            .returning(*CLAIMED))


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
    """Record (id, state, reason) for a batch: one UPDATE for the plain successes, one for the
    rest. A finished row lets its body go; a held one keeps it for the moderator."""
    now = now or utcnow()
    done = [activity_id for activity_id, state, error in outcomes if state == "done" and error is None]
    if done:
        await session.execute(_FINISH_DONE, {"ids": done, "now": now})
    others = [{"row_id": activity_id, "state": state, "error": error, "now": now}
              for activity_id, state, error in outcomes if state != "done" or error is not None]
    for statement, rows in ((_FINISH_OTHER, [r for r in others if r["state"] in FINISHED]),
                            (_HOLD, [r for r in others if r["state"] not in FINISHED])):
        if rows:
            await session.execute(statement, rows)


# Built once: Core statements with bound values (the worker runs them for every batch).
_FINISH_DONE = (update(_TABLE).where(_TABLE.c.id.in_(bindparam("ids", expanding=True)))
                .values(state="done", processed_at=bindparam("now", type_=_TABLE.c.processed_at.type),
                        lease_until=None, payload=None))
_FINISH_OTHER = (update(_TABLE).where(_TABLE.c.id == bindparam("row_id"))
                 .values(state=bindparam("state"), error=bindparam("error"), lease_until=None, payload=None,
                         processed_at=bindparam("now", type_=_TABLE.c.processed_at.type)))
_HOLD = (update(_TABLE).where(_TABLE.c.id == bindparam("row_id"))
         .values(state=bindparam("state"), error=bindparam("error"), lease_until=None,
                 processed_at=bindparam("now", type_=_TABLE.c.processed_at.type)))


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
