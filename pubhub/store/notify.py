"""Waking workers when there is work: at commit time, in this process and, on PostgreSQL, in
every process (NOTIFY is delivered when the transaction commits, never before)."""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)
DELIVERIES = "pubhub_deliveries"
INBOX = "pubhub_inbox"


async def on_commit(session: AsyncSession, channel: str, wake: asyncio.Event) -> None:
    """Wake `wake` (and other processes listening on `channel`) once this transaction commits."""
    if session.bind.dialect.name == "postgresql":
        await session.execute(text(f"NOTIFY {channel}"))
    after_commit(session, wake.set)


_PENDING = "pubhub.after_commit"  # in session.info: [(the savepoint it was asked in, or None, callback)]


def after_commit(session: AsyncSession, callback) -> None:
    """Call `callback()` once the whole transaction commits: never before (SQLAlchemy's own
    after_commit also fires when a SAVEPOINT is released, while the transaction's writes are not
    yet visible to anyone else), and never if it, or the savepoint it was asked in, rolls back
    (the inbox worker undoes a refused activity's savepoint and commits the rest)."""
    sync = session.sync_session
    sync.info.setdefault(_PENDING, []).append((sync.get_nested_transaction(), callback))


# Listened to on the Session class once, not per session: registering listeners on each
# session cost more than the rest of an inbox request's transaction.
@event.listens_for(Session, "after_commit")
def _run_pending(sync) -> None:
    if not sync.info.get(_PENDING) or sync.get_nested_transaction() is not None:
        return  # nothing asked, or a savepoint released: the transaction goes on
    pending, sync.info[_PENDING] = sync.info[_PENDING], []
    for _, callback in pending:
        callback()


@event.listens_for(Session, "after_soft_rollback")
def _drop_rolled_back(sync, rolled_back) -> None:
    """Forget what was asked inside the transaction (or savepoint) just rolled back."""
    if sync.info.get(_PENDING):
        sync.info[_PENDING] = [(asked_in, callback) for asked_in, callback in sync.info[_PENDING]
                               if not _within(asked_in, rolled_back)]


def _within(transaction, outer) -> bool:
    if not outer.nested:
        return True  # the whole transaction
    while transaction is not None:
        if transaction is outer:
            return True
        transaction = transaction.parent
    return False


def _listener(wake):
    """asyncpg's callback for a channel: set an event, or hand a callable the payload."""
    if isinstance(wake, asyncio.Event):
        return lambda *_args: wake.set()
    return lambda _connection, _pid, _channel, payload: wake(payload)


async def listen(database_url: str, wakes: dict, stop: asyncio.Event) -> None:
    """On PostgreSQL, set each channel's event (or call its callable with the payload: the
    streaming API's events) whenever another process NOTIFYs it."""
    import asyncpg

    dsn = make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)
    delay = 1.0
    while not stop.is_set():
        try:
            connection = await asyncpg.connect(dsn)
        except (OSError, asyncpg.PostgresError) as exc:
            log.warning("listen: cannot connect (%s); retrying in %.0fs", exc.__class__.__name__, delay)
            await asyncio.wait([asyncio.ensure_future(stop.wait())], timeout=delay)
            delay = min(delay * 2, 30.0)
            continue
        delay = 1.0
        try:
            for channel, wake in wakes.items():
                await connection.add_listener(channel, _listener(wake))
            for wake in wakes.values():
                if isinstance(wake, asyncio.Event):
                    wake.set()  # anything queued while we were not listening
            lost = asyncio.get_running_loop().create_future()
            connection.add_termination_listener(lambda _conn: lost.done() or lost.set_result(None))
            await asyncio.wait([asyncio.ensure_future(stop.wait()), lost], return_when=asyncio.FIRST_COMPLETED)
        finally:
            if not connection.is_closed():
                await connection.close()
