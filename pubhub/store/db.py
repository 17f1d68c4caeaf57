"""The Database handle: one async engine, read sessions, and serialised write transactions.

SQLite has one writer at a time; a pool of connections fighting over its lock gives
multi-second tails. So on SQLite every write transaction in this process goes through
one asyncio lock (WAL + synchronous=NORMAL keep readers concurrent and commits cheap).
PostgreSQL needs no such lock.
"""

from __future__ import annotations

import asyncio
import os
from collections import deque
from contextlib import asynccontextmanager
from pathlib import Path
from typing import AsyncIterator

from sqlalchemy import event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from ..metrics import DATABASE_SECONDS, timed
from .sqlite_driver import one_trip_dbapi


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()
    # SQLAlchemy, not the driver, begins our transactions (_sqlite_begin): the driver would
    # emit its BEGIN only before the first INSERT, so a SAVEPOINT taken earlier would open a
    # transaction of its own, and its RELEASE would commit on the spot.
    dbapi_connection.isolation_level = None


SQLITE_POOL = 20  # SQLite connections kept open (and as many more opened for a moment at most)
WRITE = "pubhub_write"  # execution option of the connection a write transaction runs on
THEN = "pubhub_then"  # session.info key: what await_after_commit() awaits once the transaction has committed


def _sqlite_begin(connection) -> None:
    """A write transaction takes SQLite's write lock at once (IMMEDIATE), so what it read
    cannot be changed by another process before it writes; a read one takes a snapshot."""
    connection.exec_driver_sql("BEGIN IMMEDIATE" if connection.get_execution_options().get(WRITE) else "BEGIN")


def ensure_sqlite_directory(database_url: str) -> None:
    """The SQLite file and its directory, made readable by the service user only (0600/0700):
    the file holds private keys and token hashes. SQLite gives its -wal and -shm files the
    database file's mode. Existing ones are left as the operator set them."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return
    path = Path(url.database)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass


class WriteLock:
    """SQLite's one writer, handed out in order of urgency: a transaction somebody is waiting
    for (an inbox request's group commit, an API call) goes before background work (the inbox
    worker, deliveries), which takes the lock between them. Else a worker writing its batches
    back to back makes every request wait behind it."""

    def __init__(self):
        self._held = False
        self._waiting: tuple[deque, deque] = (deque(), deque())  # urgent, background

    async def acquire(self, background: bool) -> None:
        if not self._held and not any(self._waiting):
            self._held = True
            return
        turn = asyncio.get_running_loop().create_future()
        self._waiting[background].append(turn)
        try:
            await turn  # set when the lock is handed to us
        except asyncio.CancelledError:
            if turn.done() and not turn.cancelled():
                self.release()  # handed over just as we were cancelled: pass it on
            else:
                self._waiting[background].remove(turn)
            raise

    def release(self) -> None:
        for queue in self._waiting:
            while queue:
                turn = queue.popleft()
                if not turn.done():
                    turn.set_result(None)  # still held: now by the next in line
                    return
        self._held = False


class Database:
    def __init__(self, database_url: str, *, echo: bool = False):
        self.url = database_url
        self.is_sqlite = make_url(database_url).get_backend_name() == "sqlite"
        kwargs: dict = {"echo": echo}
        if self.is_sqlite:
            ensure_sqlite_directory(database_url)
            if make_url(database_url).get_driver_name() == "aiosqlite":
                kwargs["module"] = one_trip_dbapi()  # one trip to the driver's thread per statement
            # Connections kept open for as many reads as a burst runs at once. SQLAlchemy's
            # default keeps 5 and closes the ones opened beyond that when they come back; a
            # burst of inbox requests then opened and closed a dozen SQLite connections (a
            # thread and four PRAGMAs each) every time: about a tenth of the server's CPU.
            if make_url(database_url).database not in (None, "", ":memory:"):  # (in memory: one connection)
                kwargs.update(pool_size=SQLITE_POOL, max_overflow=SQLITE_POOL)
        else:
            kwargs.update(pool_size=10, max_overflow=10, pool_pre_ping=True)
        self.engine = create_async_engine(database_url, **kwargs)
        if self.is_sqlite:
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
            event.listen(self.engine.sync_engine, "begin", _sqlite_begin)
        self._sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        self._write_lock = WriteLock() if self.is_sqlite else None

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        with timed(DATABASE_SECONDS, "read"):
            async with self._sessions() as session:
                yield session

    @asynccontextmanager
    async def write(self, *, background: bool = False) -> AsyncIterator[AsyncSession]:
        """One transaction, committed on success, rolled back on error. Steps that may fail
        on their own run in `session.begin_nested()` (a SAVEPOINT). `background`: nobody is
        waiting for it; on SQLite, transactions somebody waits for go first."""
        with timed(DATABASE_SECONDS, "write"):
            if self._write_lock is None:
                async with self._sessions() as session, session.begin():
                    then = session.info.setdefault(THEN, [])
                    yield session
            else:
                await self._write_lock.acquire(background)
                try:
                    async with self._sessions() as session, session.begin():
                        then = session.info.setdefault(THEN, [])
                        await session.connection(execution_options={WRITE: True})
                        yield session
                finally:
                    self._write_lock.release()
        for work in then:  # committed, and the write lock is free again
            await work()

    async def close(self) -> None:
        await self.engine.dispose()


def insert_statement(session: AsyncSession, table):
    """An INSERT for the session's database that can say ON CONFLICT DO NOTHING."""
    return (postgresql if session.bind.dialect.name == "postgresql" else sqlite).insert(table)


def await_after_commit(session: AsyncSession, work) -> None:
    """Await `work()` once this transaction has committed, before the `write()` that holds it
    returns, outside the write lock (e.g. moving files in a bucket); never if it rolls back. A
    SAVEPOINT rolled back inside it does not cancel `work`: it checks that what it acts on is there.
    (store.notify.after_commit is the other kind: plain callbacks run at the commit itself, for
    events and wake-ups, which a rolled-back SAVEPOINT does cancel.)"""
    session.info[THEN].append(work)


# The session type the domain passes around, so that nothing outside store/ imports SQLAlchemy.
Session = AsyncSession


async def ping(session: AsyncSession) -> str:
    """Readiness: the database answers and carries our schema; the migration it is at."""
    return (await session.execute(text("SELECT version_num FROM alembic_version"))).scalar_one()


# What the CLI reports as "the database failed" without importing SQLAlchemy itself.
DatabaseError = SQLAlchemyError
DuplicateRow = IntegrityError  # e.g. two processes creating the same row at the same moment


def shown_url(database_url: str) -> str:
    """The database URL without its password, for messages and logs."""
    try:
        return make_url(database_url).render_as_string(hide_password=True)
    except Exception:  # any malformed URL: say so, never echo it (it may hold a password)
        return "(unparsable database URL)"
