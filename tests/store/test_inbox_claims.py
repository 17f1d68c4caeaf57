"""One server's activities are applied in arrival order however many worker processes there
are: a worker takes none of a server's activities while another worker holds one of them
(a Follow and its Undo must not be applied side by side, in either order). Its own lanes keep
the order, so a worker may take more of a server it is already working on."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone

import pytest

from pubhub.store import activities as activity_store
from pubhub.store.db import Database
from pubhub.store.migrate import upgrade
from tests.support.database import POSTGRES_URL

LEASE = timedelta(minutes=5)
NOW = datetime(2026, 12, 1, 12, tzinfo=timezone.utc)


@pytest.fixture
async def db(database_url):
    await asyncio.to_thread(upgrade, database_url)
    database = Database(database_url)
    async with database.write() as session:
        await activity_store.record_many(session, [row(uri) for uri in (
            "https://x.example/1", "https://x.example/2", "https://y.example/1", "https://x.example/3")], now=NOW)
    yield database
    await database.close()


def row(uri: str) -> dict:
    origin = uri.rsplit("/", 1)[0]
    return {"uri": uri, "type": "Follow", "actor_uri": origin + "/users/a", "origin": origin, "payload": "{}"}


async def claim(db: Database, worker: str, limit: int = 10) -> list[str]:
    async with db.write() as session:
        rows = await activity_store.claim(session, limit=limit, lease=LEASE, now=NOW, worker=worker)
    return [r.uri for r in rows]


async def test_another_worker_waits_until_the_earlier_activities_of_a_server_are_finished(db):
    assert await claim(db, "a", limit=1) == ["https://x.example/1"]
    assert await claim(db, "b") == ["https://y.example/1"]  # x.example's next ones wait for "a"
    assert await claim(db, "a") == ["https://x.example/2", "https://x.example/3"]  # its own lanes keep the order


async def test_a_server_is_free_again_once_its_held_activities_are_finished(db):
    async with db.write() as session:
        [first] = await activity_store.claim(session, limit=1, lease=LEASE, now=NOW, worker="a")
        await activity_store.finish_many(session, [(first.id, "done", None)], now=NOW)
    assert await claim(db, "b") == ["https://x.example/2", "https://y.example/1", "https://x.example/3"]


async def test_a_worker_that_died_leaves_the_server_to_others_when_its_lease_runs_out(db):
    assert await claim(db, "a", limit=1) == ["https://x.example/1"]
    async with db.write() as session:
        later = await activity_store.claim(session, limit=10, lease=LEASE, now=NOW + LEASE + timedelta(seconds=1), worker="b")
    assert [r.uri for r in later] == ["https://x.example/1", "https://x.example/2", "https://y.example/1", "https://x.example/3"]


@pytest.mark.skipif(not POSTGRES_URL, reason="PostgreSQL only: SQLite's one writer serialises claims anyway")
async def test_two_workers_claiming_at_the_same_moment_do_not_split_a_server(db):
    """Worker a's claim is not committed yet when b claims: b waits for it (the claim lock)
    instead of taking x.example's later activities past the ones a is taking."""
    async with db.write() as session_a:
        taken_by_a = await activity_store.claim(session_a, limit=1, lease=LEASE, now=NOW, worker="a")
        claim_b = asyncio.create_task(claim(db, "b"))
        await asyncio.sleep(0.5)
        assert not claim_b.done()  # waiting for a's claim to commit
    assert [r.uri for r in taken_by_a] == ["https://x.example/1"]
    assert await asyncio.wait_for(claim_b, 5) == ["https://y.example/1"]
