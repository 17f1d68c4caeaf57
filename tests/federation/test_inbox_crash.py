"""A worker killed in the middle of a batch: every activity is applied exactly once after a
restart. The writes of the activities a batch finished are committed together with their
outcome (done), so a restart neither loses them nor applies them again (a re-applied Follow
would send a second Accept); the rest stay pending and are applied by the next worker.

The batch: eight activities from one server, taken by a real `pubhub worker` process in one
chunk. Its Delete makes the worker write what comes before it; the sixth is a Create whose
note the server never serves, so the worker hangs there, with half the batch written, when it
is killed (SIGKILL: nothing runs on the way out)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select, text, update

from pubhub.store.models import Delivery, InboxActivity
from tests.support import store

SCRIPT = Path(sys.executable).with_name("pubhub")
COMMAND = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "pubhub.cli"]
STALLED = "/notes/stalled"


def start_worker(instance, database_url: str, log: Path) -> subprocess.Popen:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(log.parent), "LANG": "C.UTF-8",
           "PUBHUB_DATABASE_URL": database_url, "PUBHUB_DOMAIN": instance.domain, "PUBHUB_SCHEME": "http",
           "PUBHUB_ALLOW_PRIVATE_NETWORKS": "127.0.0.0/8", "PUBHUB_METRICS_ADDRESS": "off", "PYTHONUNBUFFERED": "1"}
    with log.open("wb") as out:
        return subprocess.Popen([*COMMAND, "worker"], cwd=log.parent, env=env, stdout=out, stderr=subprocess.STDOUT)


async def states(instance, activities: list[dict]) -> list[str]:
    rows = {row.uri: row.state for row in await store.inbox_activities(instance)}
    return [rows.get(activity["id"]) for activity in activities]


async def wait_for(condition, what: str, log: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not await condition():
        assert time.monotonic() < deadline, f"{what}; worker said:\n{log.read_text()}"
        await asyncio.sleep(0.05)


async def test_a_worker_killed_mid_batch_leaves_every_activity_applied_exactly_once(
        instance, database_url, peer, gemeente, tmp_path):
    token = await instance.token_for(gemeente)
    status, post = await instance.request("POST", "/api/v1/statuses", token=token, json={"status": "Afvalkalender 2027"})
    assert status == 200, post
    a = [peer.add_actor(f"a{n}", key_index=n % 6 + 1) for n in range(8)]
    reply = lambda n: peer.create(a[n], peer.note(a[n], f"<p>Antwoord {n}</p>", in_reply_to=post["uri"]))
    stalled_note = peer.note(a[5], "<p>Antwoord 5</p>", in_reply_to=post["uri"], note_id=peer.base + STALLED)
    second = reply(2)
    batch = [
        peer.activity("Follow", a[1], gemeente.uri),
        second,
        peer.activity("Like", a[3], post["uri"]),
        peer.activity("Delete", a[2], second["object"]["id"]),
        peer.activity("Follow", a[4], gemeente.uri),
        peer.activity("Create", a[5], peer.base + STALLED),  # by reference: the worker must fetch it
        peer.activity("Announce", a[6], post["uri"], to=[peer.base]),
        reply(7),
    ]
    for activity in batch:
        status, payload = await peer.post(f"{instance.base}/inbox", activity, a[[x.uri for x in a].index(activity["actor"])])
        assert status == 202, payload
    peer.stalled.add(STALLED)

    log = tmp_path / "worker.log"
    worker = start_worker(instance, database_url, log)
    try:
        await wait_for(lambda: _fetched(peer), "the worker never fetched the stalled note", log)
        # Half the batch is written (up to and with the Delete), the rest is not.
        await wait_for(lambda: _first_four_done(instance, batch), "the first part of the batch was not written", log)
        assert await states(instance, batch) == ["done"] * 4 + ["pending"] * 4
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)

    await expire_leases(instance)  # what the passing of the lease time would do
    peer.stalled.discard(STALLED)
    peer.serve(STALLED, stalled_note)
    await instance.settle()  # a worker after the restart

    assert await states(instance, batch) == ["done"] * 8
    assert sorted(f.follower_uri for f in await store.follows(instance)) == [a[1].uri, a[4].uri]
    for follower in (a[1], a[4]):  # one Accept each: no Follow was applied twice
        assert await count_deliveries(instance, follower.inbox) == 1
    status, counted = await instance.request("GET", f"/api/v1/statuses/{post['id']}", token=token)
    assert (counted["replies_count"], counted["favourites_count"], counted["reblogs_count"]) == (2, 1, 1)


async def _fetched(peer) -> bool:
    return STALLED in peer.fetches


async def _first_four_done(instance, batch) -> bool:
    return (await states(instance, batch))[:4] == ["done"] * 4


async def expire_leases(instance) -> None:
    async with instance.runtime.db.write() as session:
        await session.execute(update(InboxActivity).where(InboxActivity.state == "pending").values(lease_until=None))


async def count_deliveries(instance, inbox: str) -> int:
    async with instance.runtime.db.read() as session:
        return (await session.execute(select(func.count()).select_from(Delivery).where(Delivery.inbox == inbox))).scalar_one()


POISON_SQLITE = """CREATE TRIGGER poison BEFORE INSERT ON objects WHEN NEW.uri LIKE '%/poison%'
                   BEGIN SELECT RAISE(ABORT, 'poisoned row'); END"""
POISON_POSTGRES = ["""CREATE FUNCTION poison() RETURNS trigger AS $$ BEGIN
                        IF NEW.uri LIKE '%/poison%' THEN RAISE EXCEPTION 'poisoned row'; END IF; RETURN NEW;
                      END $$ LANGUAGE plpgsql""",
                   "CREATE TRIGGER poison BEFORE INSERT ON objects FOR EACH ROW EXECUTE FUNCTION poison()"]


async def test_a_row_the_database_refuses_costs_only_its_own_activity(instance, peer, gemeente, caplog):
    """The batch's writes fail together; the worker writes them again one by one, so the
    others are applied at once and only the refused one is dropped (not left for the lease)."""
    async with instance.runtime.db.write() as session:
        for statement in POISON_POSTGRES if session.bind.dialect.name == "postgresql" else [POISON_SQLITE]:
            await session.execute(text(statement))
    token = await instance.token_for(gemeente)
    status, post = await instance.request("POST", "/api/v1/statuses", token=token, json={"status": "Inspraakavond"})
    alice = peer.add_actor("alice", key_index=1)
    replies = [peer.create(alice, peer.note(alice, f"<p>Reactie {n}</p>", in_reply_to=post["uri"],
                                            note_id=f"{alice.uri}/{'poison' if n == 1 else 'statuses'}/{n}"))
               for n in range(3)]
    for reply in replies:
        assert (await peer.post(f"{instance.base}/inbox", reply, alice))[0] == 202
    await instance.settle()
    rows = {row.uri: (row.state, row.error) for row in await store.inbox_activities(instance)}
    assert [rows[reply["id"]][0] for reply in replies] == ["done", "dropped", "done"]
    assert rows[replies[1]["id"]][1].startswith("internal error: ")
    status, counted = await instance.request("GET", f"/api/v1/statuses/{post['id']}", token=token)
    assert counted["replies_count"] == 2
    assert "writing its 3 activities one by one" in caplog.text
