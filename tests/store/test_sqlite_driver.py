"""SQLite through one trip to the driver's thread per statement (store/sqlite_driver.py): what
SQLAlchemy reads from a cursor (rows, rowcount, lastrowid, RETURNING, executemany, errors,
savepoints) is what the driver said, and a statement costs one hand-off to the thread."""

from __future__ import annotations

import asyncio

import aiosqlite
import pytest
from sqlalchemy import event, text

from pubhub.store.db import SQLITE_POOL, Database, DuplicateRow


@pytest.fixture
async def db(tmp_path):
    database = Database(f"sqlite+aiosqlite:///{tmp_path}/driver.db")
    async with database.write() as session:
        await session.execute(text("CREATE TABLE notes (id INTEGER PRIMARY KEY, uri TEXT UNIQUE, body TEXT)"))
    yield database
    await database.close()


async def test_rows_rowcount_lastrowid_and_returning_are_the_drivers(db):
    async with db.write() as session:
        inserted = await session.execute(text("INSERT INTO notes (uri, body) VALUES ('a', 'x')"))
        assert inserted.lastrowid == 1
        many = await session.execute(text("INSERT INTO notes (uri, body) VALUES (:uri, :body)"),
                                     [{"uri": "b", "body": "y"}, {"uri": "c", "body": "y"}])
        assert many.rowcount == 2
        returned = await session.execute(text("INSERT INTO notes (uri, body) VALUES ('d', 'z') RETURNING id, uri"))
        assert returned.all() == [(4, "d")]
        updated = await session.execute(text("UPDATE notes SET body = 'w' WHERE body = 'y'"))
        assert updated.rowcount == 2
    async with db.read() as session:
        result = await session.execute(text("SELECT uri, body FROM notes ORDER BY id"))
        assert list(result.keys()) == ["uri", "body"]
        assert result.all() == [("a", "x"), ("b", "w"), ("c", "w"), ("d", "z")]
        assert (await session.execute(text("SELECT uri FROM notes WHERE id > 10"))).all() == []


async def test_an_error_is_the_database_error_and_a_savepoint_undoes_only_its_own(db):
    async with db.write() as session:
        await session.execute(text("INSERT INTO notes (uri) VALUES ('a')"))
        with pytest.raises(DuplicateRow):
            async with session.begin_nested():
                await session.execute(text("INSERT INTO notes (uri) VALUES ('b')"))
                await session.execute(text("INSERT INTO notes (uri) VALUES ('a')"))
        await session.execute(text("INSERT INTO notes (uri) VALUES ('c')"))
    async with db.read() as session:
        assert (await session.execute(text("SELECT uri FROM notes ORDER BY uri"))).scalars().all() == ["a", "c"]


async def test_a_statement_is_one_trip_to_the_thread(db, monkeypatch):
    trips = []
    real = aiosqlite.Connection._execute

    async def counted(self, fn, *args, **kwargs):
        trips.append(fn)
        return await real(self, fn, *args, **kwargs)

    monkeypatch.setattr(aiosqlite.Connection, "_execute", counted)
    async with db.read() as session:
        await session.execute(text("SELECT 1"))  # the connection's BEGIN first
        trips.clear()
        assert (await session.execute(text("SELECT uri FROM notes"))).all() == []
        assert len(trips) == 1  # SQLAlchemy's own adapter: cursor, execute, fetchall, close


async def test_a_burst_of_reads_reuses_its_connections(db):
    """Reads running at once each take a connection; once they are back, the next burst finds
    them open instead of opening (a thread and its PRAGMAs each) and closing them again."""
    opened = []
    event.listen(db.engine.sync_engine, "connect", lambda *_: opened.append(1))

    async def read_one():
        async with db.read() as session:
            await session.execute(text("SELECT count(*) FROM notes"))
            await asyncio.sleep(0.01)  # all of them hold a connection at the same time

    await asyncio.gather(*(read_one() for _ in range(SQLITE_POOL)))
    first = len(opened)
    assert first > 5  # the burst did need more than SQLAlchemy's default pool keeps
    await asyncio.gather(*(read_one() for _ in range(SQLITE_POOL)))
    assert len(opened) == first
