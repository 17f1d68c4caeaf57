"""Outbound delivery to fake Mastodon-like peers: one POST per shared inbox, addressing per
visibility, signatures, retries with backoff, giving up, the outbox, and surviving a restart."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select

from pubhub.store.models import Delivery, utcnow
from tests.support import store
from tests.support.instance import Instance
from tests.support.peer import PUBLIC, RemotePeer


async def follow_from(instance, peer, *names: str, target: str = "gemeente") -> list:
    actors = []
    for name in names:
        actor = peer.add_actor(name)
        status, _ = await peer.post(f"{instance.base}/inbox", peer.activity("Follow", actor, f"{instance.base}/users/{target}"), actor)
        assert status == 202
        actors.append(actor)
    await instance.settle()
    assert len(peer.received_of_type("Accept")) == len(names)
    peer.received.clear()
    return actors


async def post(instance, token: str, **fields) -> dict:
    status, body = await instance.request("POST", "/api/v1/statuses", token=token, json=fields)
    assert status == 200, body
    return body


async def delivery_rows(instance) -> list[Delivery]:
    async with instance.runtime.db.read() as session:
        return list((await session.execute(select(Delivery).order_by(Delivery.id))).scalars())


async def shared_inbox_rows(instance, peer) -> list[Delivery]:
    """Delivery rows to the peer's shared inbox (the Accepts of follows go to personal inboxes)."""
    return [d for d in await delivery_rows(instance) if d.inbox == f"{peer.base}/inbox"]


async def create_delivery(instance, peer) -> Delivery:
    [row] = await shared_inbox_rows(instance, peer)
    return row


@pytest.fixture
async def gemeente(instance):
    account = await instance.create_account("gemeente")
    return await instance.token_for(account)


@pytest.fixture
async def second_peer():
    remote = await RemotePeer().start()
    yield remote
    await remote.stop()


# ---- fan-out and addressing -----------------------------------------------------------------

async def test_followers_on_one_server_get_one_post_to_its_shared_inbox(instance, peer, gemeente):
    await follow_from(instance, peer, "alice", "bob", "carol")
    created = await post(instance, gemeente, status="Eén bericht, één bezorging")
    await instance.settle()

    [received] = peer.received
    assert received.path == "/inbox"
    assert received.verified, received.reason
    assert received.activity["type"] == "Create"
    assert received.activity["object"]["id"] == created["uri"]
    assert [d.state for d in await shared_inbox_rows(instance, peer)] == ["done"]


async def test_followers_on_two_servers_get_one_post_each(instance, peer, second_peer, gemeente):
    await follow_from(instance, peer, "alice", "bob")
    await follow_from(instance, second_peer, "dirk")
    await post(instance, gemeente, status="Naar twee servers")
    await instance.settle()

    for remote in (peer, second_peer):
        [received] = remote.received
        assert received.path == "/inbox" and received.verified, received.reason
        assert received.activity["type"] == "Create"
    rows = await shared_inbox_rows(instance, peer) + await shared_inbox_rows(instance, second_peer)
    assert [d.state for d in rows] == ["done", "done"]


@pytest.mark.parametrize("visibility, to, cc", [
    ("public", [PUBLIC], ["{followers}"]),
    ("unlisted", ["{followers}"], [PUBLIC]),
    ("private", ["{followers}"], []),
])
async def test_addressing_follows_the_visibility(instance, peer, gemeente, visibility, to, cc):
    await follow_from(instance, peer, "alice")
    followers = f"{instance.base}/users/gemeente/followers"
    await post(instance, gemeente, status=f"Een {visibility} bericht", visibility=visibility)
    await instance.settle()

    [received] = peer.received
    assert received.verified, received.reason
    activity = received.activity
    expected_to = [followers if x == "{followers}" else x for x in to]
    expected_cc = [followers if x == "{followers}" else x for x in cc]
    assert activity["to"] == expected_to and activity["cc"] == expected_cc
    assert activity["object"]["to"] == expected_to and activity["object"]["cc"] == expected_cc
    if visibility == "private":
        assert PUBLIC not in str(activity)


async def test_direct_message_goes_only_to_the_mentioned_actor(instance, peer, second_peer, gemeente):
    await follow_from(instance, second_peer, "dirk")  # a follower on another server
    bob = peer.add_actor("bob")
    await post(instance, gemeente, status=f"@bob@{peer.domain} alleen voor jou", visibility="direct")
    await instance.settle()

    assert second_peer.received == []  # followers get nothing of a direct message
    [received] = peer.received
    assert received.verified, received.reason
    activity = received.activity
    assert activity["to"] == [bob.uri] and activity["cc"] == []
    assert activity["object"]["tag"] == [{"type": "Mention", "href": bob.uri, "name": f"@bob@{peer.domain}"}]
    assert PUBLIC not in str(activity) and "followers" not in str(activity["object"]["to"])


@pytest.mark.parametrize("follows", [True, False], ids=["author follows us", "author does not follow us"])
async def test_a_followers_only_reply_reaches_the_replied_to_author_only_as_a_follower(instance, peer, gemeente, follows):
    """"private" means followers and those mentioned, nothing else: the author of the note
    replied to gets it only by following (or by being mentioned: tests/social/test_visibility_paths.py),
    as in Mastodon, which sends replies to their authors only when public or unlisted."""
    carol = (await follow_from(instance, peer, "carol"))[0] if follows else peer.add_actor("carol")
    question = peer.note(carol, "<p>Wanneer?</p>", to=[PUBLIC], cc=[carol.followers, f"{instance.base}/users/gemeente"])
    assert (await peer.post(f"{instance.base}/inbox", peer.create(carol, question), carol))[0] == 202
    await instance.settle()
    peer.received.clear()

    stored = await store.note(instance, question["id"])
    reply = await post(instance, gemeente, status="In mei", visibility="private", in_reply_to_id=str(stored.id))
    await instance.settle()
    creates = [r for r in peer.received_of_type("Create") if r.activity["object"]["id"] == reply["uri"]]
    assert [r.path for r in creates] == (["/inbox"] if follows else [])  # as a follower: the shared inbox
    assert all(r.verified for r in creates)


async def test_delete_reaches_the_same_audience_as_the_post(instance, peer, gemeente):
    await follow_from(instance, peer, "alice")
    created = await post(instance, gemeente, status="Even later weg")
    await instance.settle()
    status, _ = await instance.request("DELETE", f"/api/v1/statuses/{created['id']}", token=gemeente)
    assert status == 200
    await instance.settle()

    create, delete = peer.received
    assert delete.verified, delete.reason
    assert delete.activity["type"] == "Delete"
    assert delete.activity["object"] == {"id": created["uri"], "type": "Tombstone"}
    assert delete.activity["actor"] == f"{instance.base}/users/gemeente"


# ---- retries and giving up ------------------------------------------------------------------

@pytest.mark.parametrize("answer", [500, 429, 408])
async def test_temporary_failures_are_retried_with_growing_backoff(instance, peer, gemeente, answer):
    await follow_from(instance, peer, "alice")
    peer.inbox_status = answer
    await post(instance, gemeente, status="Probeer het later nog eens")

    before = utcnow()
    assert await instance.runtime.deliveries.run_due() == 1
    row = await create_delivery(instance, peer)
    assert row.state == "pending" and row.attempts == 1 and row.last_error == f"HTTP {answer}"
    first_delay = row.next_attempt_at - before
    assert timedelta(seconds=1) < first_delay
    assert await instance.runtime.deliveries.run_due() == 0  # not retried before it is due

    later = row.next_attempt_at + timedelta(seconds=1)
    assert await instance.runtime.deliveries.run_due(now=later) == 1
    row = await create_delivery(instance, peer)
    assert row.state == "pending" and row.attempts == 2
    assert row.next_attempt_at - later > first_delay
    assert len(peer.received) == 2 and all(r.verified for r in peer.received)

    peer.inbox_status = 202
    assert await instance.runtime.deliveries.run_due(now=row.next_attempt_at + timedelta(seconds=1)) == 1
    row = await create_delivery(instance, peer)
    assert row.state == "done" and row.finished_at is not None


@pytest.mark.parametrize("answer", [404, 410, 400])
async def test_permanent_failures_are_given_up(instance, peer, gemeente, answer):
    await follow_from(instance, peer, "alice")
    peer.inbox_status = answer
    await post(instance, gemeente, status="Dit komt nooit aan")
    assert await instance.runtime.deliveries.run_due() == 1
    row = await create_delivery(instance, peer)
    assert row.state == "failed" and row.attempts == 1 and row.last_error == f"HTTP {answer}"
    assert await instance.runtime.deliveries.run_due(now=utcnow() + timedelta(days=1)) == 0
    assert len(peer.received) == 1


async def test_a_delivery_still_failing_after_two_days_is_given_up(instance, peer, gemeente):
    await follow_from(instance, peer, "alice")
    peer.inbox_status = 503
    await post(instance, gemeente, status="Blijft mislukken")
    assert await instance.runtime.deliveries.run_due(now=utcnow() + timedelta(days=1)) == 1
    row = await create_delivery(instance, peer)
    assert row.state == "pending" and row.attempts == 1  # a day old: still retried

    assert await instance.runtime.deliveries.run_due(now=utcnow() + timedelta(days=2, hours=1)) == 1
    row = await create_delivery(instance, peer)
    assert row.state == "failed" and row.attempts == 2 and row.last_error == "HTTP 503"
    assert await instance.runtime.deliveries.run_due(now=utcnow() + timedelta(days=30)) == 0


@pytest.mark.parametrize("answer, outcome", [(404, "failed"), (202, "done")])
async def test_the_answer_status_decides_whatever_the_body_size(instance, peer, gemeente, answer, outcome):
    await follow_from(instance, peer, "alice")
    peer.inbox_status, peer.inbox_body = answer, b"<html>" + b"x" * 100_000 + b"</html>"
    await post(instance, gemeente, status="Groot antwoord")
    assert await instance.runtime.deliveries.run_due() == 1
    assert (await create_delivery(instance, peer)).state == outcome


async def test_an_unreachable_inbox_is_retried(instance, peer, gemeente):
    await follow_from(instance, peer, "alice")
    await peer.stop()
    await post(instance, gemeente, status="Niemand thuis")
    assert await instance.runtime.deliveries.run_due() == 1
    row = await create_delivery(instance, peer)
    assert row.state == "pending" and row.attempts == 1 and row.last_error
    assert row.next_attempt_at > utcnow()


# ---- the outbox ---------------------------------------------------------------------------

async def test_outbox_lists_public_and_unlisted_posts_with_paging(instance, gemeente):
    uris = [(await post(instance, gemeente, status=f"Bericht {n}"))["uri"] for n in range(21)]
    uris.append((await post(instance, gemeente, status="Stil bericht", visibility="unlisted"))["uri"])
    await post(instance, gemeente, status="Alleen volgers", visibility="private")
    await post(instance, gemeente, status=f"@gemeente@{instance.domain} aan mezelf", visibility="direct")
    removed = await post(instance, gemeente, status="Weg ermee")
    status, _ = await instance.request("DELETE", f"/api/v1/statuses/{removed['id']}", token=gemeente)
    assert status == 200

    outbox = f"{instance.base}/users/gemeente/outbox"
    status, collection = await instance.get_ap("/users/gemeente/outbox")
    assert status == 200
    assert collection["type"] == "OrderedCollection" and collection["id"] == outbox
    assert collection["totalItems"] == 22 and collection["first"] == f"{outbox}?page=1"

    status, first = await instance.get_ap(collection["first"])
    assert status == 200 and first["type"] == "OrderedCollectionPage" and first["partOf"] == outbox
    assert first["totalItems"] == 22 and len(first["orderedItems"]) == 20 and "prev" not in first
    assert all(item["type"] == "Create" and item["actor"] == f"{instance.base}/users/gemeente" for item in first["orderedItems"])
    status, second = await instance.get_ap(first["next"])
    assert status == 200 and len(second["orderedItems"]) == 2 and "next" not in second
    assert second["prev"] == f"{outbox}?page=1"
    listed = [item["object"]["id"] for item in first["orderedItems"] + second["orderedItems"]]
    assert listed == list(reversed(uris))  # newest first, nothing private, direct or deleted

    status, error = await instance.get_ap("/users/gemeente/outbox?page=0")
    assert status == 400 and "error" in error


# ---- surviving a restart ----------------------------------------------------------------------

async def test_pending_deliveries_survive_a_restart(database_url, peer):
    first = await Instance(database_url).start()
    try:
        token = await first.token_for(await first.create_account("gemeente"))
        await follow_from(first, peer, "alice")
        created = await post(first, token, status="Na de herstart")
    finally:
        await first.stop()
    assert peer.received == []  # nothing was delivered before the stop

    second = await Instance(database_url, port=first.port).start()
    try:
        assert await second.runtime.deliveries.run_due() == 1
        [received] = peer.received
        assert received.verified, received.reason
        assert received.activity["object"]["id"] == created["uri"]
        assert [d.state for d in await delivery_rows(second)] == ["done", "done"]  # the Accept, the Create
    finally:
        await second.stop()


async def test_a_clean_stop_gives_back_a_delivery_whose_post_still_hangs(instance, peer, gemeente):
    await follow_from(instance, peer, "alice")
    peer.inbox_hang = True
    await post(instance, gemeente, status="Geen antwoord")
    queue, stop = instance.runtime.deliveries, asyncio.Event()
    worker = asyncio.create_task(queue.run_forever(stop))
    await peer.wait_for(lambda: len(peer.received) == 1)
    assert (await create_delivery(instance, peer)).lease_until is not None  # claimed, its POST unanswered

    stop.set()
    await asyncio.wait_for(worker, 5)  # the hanging POST does not hold up the stop
    row = await create_delivery(instance, peer)
    assert row.state == "pending" and row.attempts == 0 and row.lease_until is None

    peer.inbox_hang = False
    assert await queue.run_due() == 1  # taken again at once, not when the lease would have run out
    assert (await create_delivery(instance, peer)).state == "done"
    assert len(peer.received) == 2 and all(r.verified for r in peer.received)
