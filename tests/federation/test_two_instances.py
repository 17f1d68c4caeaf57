"""Two real PubHub instances on loopback federating over real HTTP with real signatures:
follow, post, reply, delete, unfollow; delivery to an instance that is down; running workers."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select

from pubhub.store.models import Delivery, Follow, Object, utcnow
from tests.support.instance import Instance


async def settle(*instances: Instance, rounds: int = 5) -> None:
    """Step every instance's queues until a whole round does no work."""
    for _ in range(rounds):
        busy = 0
        for server in instances:
            busy += await server.workers_.inbox.run_due() + await server.runtime.deliveries.run_due()
        if not busy:
            return
    raise AssertionError("the instances did not settle")


async def note_by_uri(server: Instance, uri: str) -> Object | None:
    async with server.runtime.db.read() as session:
        return (await session.execute(select(Object).where(Object.uri == uri))).scalar_one_or_none()


async def deliveries(server: Instance) -> list[Delivery]:
    async with server.runtime.db.read() as session:
        return list((await session.execute(select(Delivery).order_by(Delivery.id))).scalars())


async def followers_total(server: Instance, username: str) -> int:
    status, body = await server.get_ap(f"/users/{username}/followers")
    assert status == 200
    return body["totalItems"]


async def lookup(server: Instance, token: str, acct: str) -> dict:
    status, account = await server.request("GET", "/api/v1/accounts/lookup", token=token, params={"acct": acct})
    assert status == 200, account
    return account


async def relationship(server: Instance, token: str, account_id: str) -> dict:
    status, body = await server.request("GET", "/api/v1/accounts/relationships", token=token, params={"id[]": account_id})
    assert status == 200, body
    return body[0]


async def follow_across(a: Instance, b: Instance, b_token: str, acct: str) -> dict:
    """B's user follows `acct` on A and both settle; A's account as B sees it."""
    account = await lookup(b, b_token, acct)
    status, rel = await b.request("POST", f"/api/v1/accounts/{account['id']}/follow", token=b_token)
    assert status == 200, rel
    assert rel["requested"] is True
    await settle(a, b)
    return account


async def test_follow_post_reply_delete_unfollow_between_two_instances(make_database):
    a = await Instance(await make_database()).start()
    b = await Instance(await make_database()).start()
    try:
        gemeente = await a.create_account("gemeente", display_name="Gemeente")
        a_token = await a.token_for(gemeente)
        citizen = await b.create_account("burger")
        b_token = await b.token_for(citizen)

        # B finds A's account through search with resolve, then through lookup: the same account.
        status, found = await b.request("GET", "/api/v2/search", token=b_token,
                                        params={"q": f"@gemeente@{a.domain}", "resolve": "true"})
        assert status == 200 and [x["uri"] for x in found["accounts"]] == [f"{a.base}/users/gemeente"]
        account = await follow_across(a, b, b_token, f"gemeente@{a.domain}")
        assert account["id"] == found["accounts"][0]["id"]
        assert account["acct"] == f"gemeente@{a.domain}"

        assert await followers_total(a, "gemeente") == 1
        rel = await relationship(b, b_token, account["id"])
        assert rel["following"] is True and rel["requested"] is False

        # A posts; B stores it because its user follows A's account.
        status, post = await a.request("POST", "/api/v1/statuses", token=a_token,
                                       json={"status": "Afvalinzameling gaat morgen door. #afval"})
        assert status == 200, post
        await settle(a, b)
        stored = await note_by_uri(b, post["uri"])
        assert stored is not None and stored.deleted_at is None
        assert "Afvalinzameling" in stored.content and stored.visibility == "public"
        status, seen = await b.request("GET", f"/api/v1/statuses/{stored.id}", token=b_token)
        assert status == 200 and seen["account"]["acct"] == f"gemeente@{a.domain}"

        # B replies, mentioning A's account; A stores the reply linked to its post.
        status, reply = await b.request("POST", "/api/v1/statuses", token=b_token, json={
            "status": f"@gemeente@{a.domain} Dank! <script>alert(1)</script>", "in_reply_to_id": str(stored.id),
        })
        assert status == 200, reply
        assert reply["in_reply_to_id"] == str(stored.id)
        assert [m["url"] for m in reply["mentions"]] == [f"{a.base}/users/gemeente"]
        await settle(a, b)
        arrived = await note_by_uri(a, reply["uri"])
        assert arrived is not None
        assert arrived.in_reply_to_uri == post["uri"] and arrived.in_reply_to_id == int(post["id"])

        status, context = await a.request("GET", f"/api/v1/statuses/{post['id']}/context", token=a_token)
        assert status == 200, context
        assert context["ancestors"] == []
        [descendant] = context["descendants"]
        assert descendant["uri"] == reply["uri"] and descendant["in_reply_to_id"] == post["id"]
        assert descendant["account"]["acct"] == f"burger@{b.domain}"
        assert [(m["id"], m["acct"]) for m in descendant["mentions"]] == [(str(gemeente.id), "gemeente")]
        assert "Dank!" in descendant["content"]
        assert "<script" not in descendant["content"] and "&lt;script&gt;" in descendant["content"]

        # A deletes its post; B tombstones its copy.
        status, _ = await a.request("DELETE", f"/api/v1/statuses/{post['id']}", token=a_token)
        assert status == 200
        await settle(a, b)
        gone = await note_by_uri(b, post["uri"])
        assert gone.deleted_at is not None and gone.content == ""
        status, _ = await b.request("GET", f"/api/v1/statuses/{stored.id}", token=b_token)
        assert status == 404

        # B unfollows; A's follower count drops.
        status, rel = await b.request("POST", f"/api/v1/accounts/{account['id']}/unfollow", token=b_token)
        assert status == 200 and rel["following"] is False
        await settle(a, b)
        assert await followers_total(a, "gemeente") == 0
        assert all(d.state == "done" for d in await deliveries(a) + await deliveries(b))
    finally:
        await a.stop()
        await b.stop()


async def test_delivery_to_an_instance_that_is_down_resumes_after_restarts(make_database):
    a_url, b_url = await make_database(), await make_database()
    a = await Instance(a_url).start()
    b = await Instance(b_url).start()
    try:
        gemeente = await a.create_account("gemeente")
        a_token = await a.token_for(gemeente)
        b_token = await b.token_for(await b.create_account("burger"))
        await follow_across(a, b, b_token, f"gemeente@{a.domain}")
        assert await followers_total(a, "gemeente") == 1

        await b.stop()
        status, post = await a.request("POST", "/api/v1/statuses", token=a_token, json={"status": "Tijdens de storing"})
        assert status == 200
        assert await a.runtime.deliveries.run_due() == 1
        [pending] = [d for d in await deliveries(a) if d.state == "pending"]
        assert pending.inbox == f"{b.base}/inbox"
        assert pending.attempts == 1 and pending.last_error
        assert pending.next_attempt_at > utcnow()
        assert await a.runtime.deliveries.run_due() == 0  # not due yet: nothing is retried early

        # Both come back (A on the same database, B on the same port and database).
        await a.stop()
        a = await Instance(a_url, port=a.port).start()
        b = await Instance(b_url, port=b.port).start()
        assert await a.runtime.deliveries.run_due(now=utcnow() + timedelta(hours=1)) == 1
        await settle(a, b)
        [row] = [d for d in await deliveries(a) if d.id == pending.id]
        assert row.state == "done"
        stored = await note_by_uri(b, post["uri"])
        assert stored is not None and "Tijdens de storing" in stored.content
    finally:
        await a.stop()
        await b.stop()


async def test_in_process_workers_deliver_and_process_without_stepping(make_database):
    a = await Instance(await make_database(), workers=True).start()
    b = await Instance(await make_database(), workers=True).start()
    try:
        await a.create_account("gemeente")
        b_token = await b.token_for(await b.create_account("burger"))
        account = await lookup(b, b_token, f"gemeente@{a.domain}")
        status, _ = await b.request("POST", f"/api/v1/accounts/{account['id']}/follow", token=b_token)
        assert status == 200

        async def accepted() -> bool:
            async with b.runtime.db.read() as session:
                follow = (await session.execute(select(Follow))).scalar_one_or_none()
            return follow is not None and follow.state == "accepted"

        deadline = asyncio.get_running_loop().time() + 10
        while not await accepted():  # the one bounded poll: the workers run on their own
            assert asyncio.get_running_loop().time() < deadline, "the follow was not accepted within 10 s"
            await asyncio.sleep(0.05)
        assert (await relationship(b, b_token, account["id"]))["following"] is True
        assert await followers_total(a, "gemeente") == 1
    finally:
        await a.stop()
        await b.stop()
