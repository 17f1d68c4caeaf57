"""Boosts between two real PubHub instances over real HTTP: a boost on A reaches the home of
its booster's follower on B as Mastodon shows it, the boosted post (unknown to B until then)
fetched from A; the boost's undoing takes it away."""

from __future__ import annotations

from tests.federation.test_two_instances import follow_across, settle
from tests.support.instance import Instance


async def home(server: Instance, token: str) -> list[dict]:
    status, body = await server.request("GET", "/api/v1/timelines/home", token=token)
    assert status == 200, body
    return body


async def test_a_boost_on_one_instance_shows_in_a_followers_home_on_the_other(make_database):
    a = await Instance(await make_database()).start()
    b = await Instance(await make_database()).start()
    try:
        gemeente, bob = await a.create_account("gemeente"), await a.create_account("bob")
        gemeente_token, bob_token = await a.token_for(gemeente), await a.token_for(bob)
        citizen_token = await b.token_for(await b.create_account("burger"))
        await follow_across(a, b, citizen_token, f"gemeente@{a.domain}")

        post = await a.post_status(bob_token, status="Wegwerkzaamheden op de Dorpsstraat")
        await settle(a, b)
        assert await home(b, citizen_token) == []  # burger does not follow bob: B has not kept it
        status, boost = await a.request("POST", f"/api/v1/statuses/{post['id']}/reblog", token=gemeente_token)
        assert status == 200, boost
        await settle(a, b)

        [shown] = await home(b, citizen_token)
        assert shown["uri"] == boost["uri"] and shown["account"]["acct"] == f"gemeente@{a.domain}"
        assert shown["reblog"]["uri"] == post["uri"] and shown["reblog"]["account"]["acct"] == f"bob@{a.domain}"
        assert "Dorpsstraat" in shown["reblog"]["content"] and shown["content"] == ""

        status, _ = await a.request("POST", f"/api/v1/statuses/{post['id']}/unreblog", token=gemeente_token)
        assert status == 200
        await settle(a, b)
        assert await home(b, citizen_token) == []
    finally:
        await a.stop()
        await b.stop()
