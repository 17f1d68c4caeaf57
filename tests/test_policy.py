"""The policy seam (pubhub/policy.py): a policy that refuses one server means nothing from it is
stored or applied, nothing is fetched from it and nothing is delivered to it; a hold keeps an
activity for a moderator without applying it. The other server is served as usual."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from pubhub.errors import RefusedByPolicy
from pubhub.policy import ALLOW, Policies, Policy, hold, refuse
from tests.support import store
from tests.support.instance import Instance
from tests.support.peer import RemotePeer
from tests.support.policies import HostRules


@pytest.fixture
def rules():
    return HostRules()


@pytest.fixture
async def instance(database_url, rules):
    server = await Instance(database_url, policy=rules).start()
    yield server
    await server.stop()


@pytest.fixture
async def blocked():
    remote = await RemotePeer().start()
    yield remote
    await remote.stop()


@pytest.fixture
async def gemeente(instance):
    return await instance.create_account("gemeente")


async def follow(instance, peer, actor, target: str = "gemeente") -> None:
    status, body = await peer.post(f"{instance.base}/inbox", peer.activity("Follow", actor, f"{instance.base}/users/{target}"), actor)
    assert status == 202, body
    await instance.settle()


async def post(instance, token: str, **fields) -> dict:
    status, body = await instance.request("POST", "/api/v1/statuses", token=token, json=fields)
    assert status == 200, body
    return body


async def deliveries_to(instance, peer) -> list[store.Delivery]:
    async with instance.runtime.db.read() as session:
        rows = (await session.execute(select(store.Delivery).order_by(store.Delivery.id))).scalars()
        return [row for row in rows if row.inbox.startswith(peer.base)]


# ---- inbound ------------------------------------------------------------------------------------

async def test_an_activity_from_a_refused_server_is_refused_before_its_key_is_fetched(instance, blocked, rules, gemeente,
                                                                                      caplog):
    caplog.set_level(logging.INFO, logger="pubhub.federation.inbound")
    rules.refuse_everywhere(blocked.domain)
    mallory = blocked.add_actor("mallory")
    follow = blocked.activity("Follow", mallory, gemeente.uri)
    result = await blocked.post(f"{instance.base}/inbox", follow, mallory)

    assert result[0] == 403
    assert result[1]["error"] == f"refused: {blocked.domain} is blocked"
    # The operator's log line (the README: inbound refusals are logged with their reason).
    assert (f"inbox activity refused by policy id={follow['id']} type=Follow actor={mallory.uri} "
            f"reason={blocked.domain} is blocked") in [record.getMessage() for record in caplog.records]
    assert blocked.fetches == []  # not even its key
    await instance.settle()
    assert await store.nothing_stored(instance)
    assert blocked.received == []
    assert await store.actor(instance, mallory.uri) is None


async def test_other_servers_are_served_as_usual(instance, peer, blocked, rules, gemeente):
    rules.refuse_everywhere(blocked.domain)
    alice = peer.add_actor("alice")
    await follow(instance, peer, alice)
    assert [r.activity["type"] for r in peer.received] == ["Accept"]
    assert rules.asked["inbound"] == 1 and rules.asked["apply"] == 1 and rules.asked["deliver"] >= 2


async def test_the_worker_drops_a_stored_activity_the_policy_now_refuses(instance, blocked, rules, gemeente):
    mallory = blocked.add_actor("mallory")
    follow_activity = blocked.activity("Follow", mallory, gemeente.uri)
    assert (await blocked.post(f"{instance.base}/inbox", follow_activity, mallory))[0] == 202
    rules.refused["apply"].add(blocked.domain)  # a block that came in after the activity did

    await instance.settle()
    row = await store.inbox_activity(instance, follow_activity["id"])
    assert (row.state, row.error) == ("dropped", f"{blocked.domain} is blocked")
    assert await store.count(instance, store.Follow) == 0
    assert blocked.received == []


@pytest.mark.parametrize("question", ["inbound", "apply"])
async def test_a_held_activity_is_kept_but_not_applied(instance, peer, rules, gemeente, question):
    rules.held[question].add(peer.domain)
    alice = peer.add_actor("alice")
    follow_activity = peer.activity("Follow", alice, gemeente.uri)
    assert (await peer.post(f"{instance.base}/inbox", follow_activity, alice))[0] == 202

    await instance.settle()
    row = await store.inbox_activity(instance, follow_activity["id"])
    assert row.state == "held"
    assert await store.count(instance, store.Follow) == 0
    assert peer.received == []
    await instance.settle()  # held rows are not taken again by the worker
    assert (await store.inbox_activity(instance, follow_activity["id"])).state == "held"


# ---- fetches ------------------------------------------------------------------------------------

async def test_nothing_is_fetched_from_a_refused_server(instance, blocked, rules, gemeente):
    token = await instance.token_for(gemeente)
    blocked.add_actor("mallory")
    rules.refuse_everywhere(blocked.domain)

    status, _ = await instance.request("GET", f"/api/v1/accounts/lookup?acct=mallory@{blocked.domain}", token=token)
    assert status == 404
    body = await post(instance, token, status=f"Hallo @mallory@{blocked.domain}")
    assert body["mentions"] == []
    with pytest.raises(RefusedByPolicy):
        await instance.runtime.client.request("GET", f"{blocked.base}/users/mallory")
    assert blocked.fetches == []


async def test_a_redirect_to_a_refused_server_is_not_followed(instance, peer, blocked, rules):
    rules.refused["fetch"].add(blocked.domain)
    peer.redirects["/moved"] = f"{blocked.base}/users/mallory"
    with pytest.raises(RefusedByPolicy, match="refused"):
        await instance.runtime.client.request("GET", f"{peer.base}/moved")
    assert peer.fetches == ["/moved"]
    assert blocked.fetches == []


# ---- deliveries ---------------------------------------------------------------------------------

async def test_followers_on_a_refused_server_get_nothing(instance, peer, blocked, rules, gemeente):
    await follow(instance, peer, peer.add_actor("alice"))
    await follow(instance, blocked, blocked.add_actor("mallory"))
    peer.received.clear()
    blocked.received.clear()
    rules.refuse_everywhere(blocked.domain)

    await post(instance, await instance.token_for(gemeente), status="Nieuws van de gemeente")
    await instance.settle()

    assert [r.activity["type"] for r in peer.received] == ["Create"]
    assert blocked.received == []
    # only the Accept of mallory's follow, from before the block: no row for the Create
    assert [r.inbox for r in await deliveries_to(instance, blocked)] == [f"{blocked.base}/users/mallory/inbox"]


async def test_a_mention_on_a_refused_server_is_not_queued(instance, peer, blocked, rules, gemeente):
    token = await instance.token_for(gemeente)
    blocked.add_actor("mallory")
    status, account = await instance.request("GET", f"/api/v1/accounts/lookup?acct=mallory@{blocked.domain}", token=token)
    assert status == 200  # known before the block
    rules.refused["deliver"].add(blocked.domain)

    body = await post(instance, token, status=f"Hallo @mallory@{blocked.domain}", visibility="direct")
    assert [m["acct"] for m in body["mentions"]] == [f"mallory@{blocked.domain}"]
    await instance.settle()
    assert await deliveries_to(instance, blocked) == []
    assert blocked.received == []


async def test_a_queued_delivery_is_refused_again_when_it_is_sent(instance, blocked, rules, gemeente):
    await follow(instance, blocked, blocked.add_actor("mallory"))
    blocked.received.clear()
    token = await instance.token_for(gemeente)
    await post(instance, token, status="Voor de blokkade geschreven")
    await instance.runtime.deliveries.expand()  # queued and expanded while still allowed
    rules.refused["deliver"].add(blocked.domain)

    await instance.settle()
    rows = [r for r in await deliveries_to(instance, blocked) if r.inbox == f"{blocked.base}/inbox"]
    assert [(r.state, r.attempts, r.last_error) for r in rows] == [("failed", 1, f"refused by policy: {blocked.domain} is blocked")]
    assert blocked.received == []


# ---- combining policies -------------------------------------------------------------------------

class Always(Policy):
    def __init__(self, decision):
        self.decision = decision

    async def inbound(self, actor_uri, activity):
        return self.decision


async def test_policies_combined_refuse_wins_over_hold_and_hold_over_allow():
    held, refused = hold("queue"), refuse("blocked")
    assert await Policies().inbound("https://a.example/u", {}) == ALLOW
    assert await Policies(Always(ALLOW), Always(held)).inbound("https://a.example/u", {}) == held
    assert await Policies(Always(held), Always(refused), Always(ALLOW)).inbound("https://a.example/u", {}) == refused
    assert await Policies(Always(held), Always(hold("second"))).inbound("https://a.example/u", {}) == held
