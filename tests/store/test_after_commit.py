"""What is published or woken 'after commit' (stream events, worker wake-ups) waits for the whole
transaction: not for a SAVEPOINT's release, when nothing is visible to anyone else yet, and never
for a savepoint rolled back (a refused inbox activity) or a transaction rolled back."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from pubhub.store.db import Database
from pubhub.store.notify import after_commit


@pytest.fixture
async def db(database_url):
    database = Database(database_url)
    yield database
    await database.close()


async def test_a_callback_asked_in_a_savepoint_waits_for_the_commit(db):
    ran = []
    async with db.write() as session:
        async with session.begin_nested():
            after_commit(session, lambda: ran.append("in the savepoint"))
        assert ran == []  # the savepoint is released, the transaction is not committed
        await session.execute(text("SELECT 1"))
        after_commit(session, lambda: ran.append("after it"))
        assert ran == []
    assert ran == ["in the savepoint", "after it"]


async def test_a_rolled_back_savepoint_takes_its_callbacks_with_it(db):
    ran = []
    async with db.write() as session:
        after_commit(session, lambda: ran.append("before"))
        with pytest.raises(RuntimeError):
            async with session.begin_nested():
                after_commit(session, lambda: ran.append("refused"))
                async with session.begin_nested():
                    after_commit(session, lambda: ran.append("inside the refused one"))
                raise RuntimeError("refused")
        async with session.begin_nested():
            after_commit(session, lambda: ran.append("kept"))
    assert ran == ["before", "kept"]


async def test_nothing_runs_when_the_transaction_rolls_back(db):
    ran = []
    with pytest.raises(RuntimeError):
        async with db.write() as session:
            after_commit(session, lambda: ran.append("never"))
            raise RuntimeError("refused")
    assert ran == []
