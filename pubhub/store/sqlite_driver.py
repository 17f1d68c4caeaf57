"""SQLite through aiosqlite, one trip to its thread per statement.

SQLAlchemy's aiosqlite adapter makes four trips to the connection's thread for every
statement (open a cursor, execute, fetch the rows, close the cursor). Each trip is a queue
hand-off to that thread and a wake-up of the event loop when it is done, and under load each
waits for the GIL behind the requests being served: for the small statements PubHub runs,
those trips cost more than SQLite's own work, and the event loop sat idle waiting on them.
Here a statement is one function run on the thread: execute, fetch, close, and hand back the
rows with what the cursor said (description, rowcount, lastrowid).

It plugs in as the DBAPI module of SQLAlchemy's own aiosqlite dialect (`create_async_engine(...,
module=one_trip_dbapi())`), so the dialect, its SQL and its type handling are unchanged.
"""

from __future__ import annotations

import collections
import sqlite3
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (AsyncAdapt_aiosqlite_connection, AsyncAdapt_aiosqlite_cursor,
                                                  AsyncAdapt_aiosqlite_dbapi)


def _execute(connection: sqlite3.Connection, operation: str, parameters, many: bool) -> tuple:
    """On the connection's thread: the whole statement, and what the cursor said of it."""
    cursor = connection.cursor()
    try:
        if many:
            cursor.executemany(operation, parameters)
        elif parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        description = cursor.description
        rows = cursor.fetchall() if description else ()
        return description, rows, cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


class OneTripCursor(AsyncAdapt_aiosqlite_cursor):
    """A cursor that holds a statement's results; the sqlite3 cursor lives only on the thread."""

    __slots__ = ("_said",)

    def _make_new_cursor(self, connection):
        return None  # made on the connection's thread, per statement

    def _aenter_cursor(self, cursor):
        self._said = (None, -1, None)  # description, rowcount, lastrowid
        return cursor

    @property
    def description(self):
        return self._said[0]

    @property
    def rowcount(self) -> int:
        return self._said[1]

    @property
    def lastrowid(self):
        return self._said[2]

    async def _execute_async(self, operation: Any, parameters: Any) -> None:
        await self._run(operation, parameters, many=False)

    async def _executemany_async(self, operation: Any, seq_of_parameters: Any) -> None:
        await self._run(operation, seq_of_parameters, many=True)

    async def _run(self, operation: Any, parameters: Any, many: bool) -> None:
        connection: aiosqlite.Connection = self._connection
        async with self._adapt_connection._execute_mutex:
            description, rows, rowcount, lastrowid = await connection._execute(
                _execute, connection._conn, operation, parameters, many)
        self._said = (description, rowcount, lastrowid)
        self._rows = collections.deque(rows)

    async def _async_soft_close(self) -> None:
        return  # nothing is open on the thread

    def close(self) -> None:
        self._rows.clear()


class OneTripConnection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ()
    _cursor_cls = OneTripCursor


class OneTripDBAPI(AsyncAdapt_aiosqlite_dbapi):
    def connect(self, *arg: Any, **kw: Any) -> OneTripConnection:
        adapted = super().connect(*arg, **kw)
        return OneTripConnection(self, adapted._connection)


def one_trip_dbapi() -> OneTripDBAPI:
    return OneTripDBAPI(aiosqlite, sqlite3)
