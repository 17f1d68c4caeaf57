"""What operators and their monitoring rely on: health checks, request ids in answers and
logs, NodeInfo's name, and the log lines the README promises."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import text

from tests.support.instance import Instance


async def test_livez_and_readyz_answer_while_the_database_is_there(instance):
    assert await instance.request("GET", "/livez") == (200, {"status": "ok"})
    status, body = await instance.request("GET", "/readyz")
    assert status == 200 and body["status"] == "ok" and body["migration"]


async def test_readyz_fails_when_the_database_lacks_our_schema(instance, caplog):
    async with instance.runtime.db.write() as session:
        await session.execute(text("DROP TABLE alembic_version"))
    assert await instance.request("GET", "/readyz") == (503, {"error": "database not ready"})
    assert await instance.request("GET", "/livez") == (200, {"status": "ok"})  # alive, not ready
    assert "not ready: database error" in caplog.text


async def test_a_request_id_is_echoed_or_made_and_logged_with_a_refusal(instance, caplog):
    async with instance.http.get(f"{instance.base}/api/v1/accounts/verify_credentials",
                                 headers={"X-Request-Id": "trace-4711"}) as response:
        assert response.status == 401
        assert response.headers["X-Request-Id"] == "trace-4711"
    assert "refused method=GET path=/api/v1/accounts/verify_credentials status=401 reason=The access token is invalid request_id=trace-4711" in caplog.text
    async with instance.http.get(f"{instance.base}/livez") as response:
        made = response.headers["X-Request-Id"]
    assert re.fullmatch(r"[0-9a-f]{16}", made)
    async with instance.http.get(f"{instance.base}/livez", headers={"X-Request-Id": "x" * 200}) as response:
        assert response.headers["X-Request-Id"] == "x" * 64  # bounded


@pytest.mark.parametrize("version", ["2.0", "2.1"])
async def test_nodeinfo_names_the_instance_and_counts_its_accounts_and_posts(database_url, version):
    server = await Instance(database_url, instance_name="Gemeente Oost").start()
    try:
        token = await server.token_for(await server.create_account("gemeente"))
        await server.create_account("wijkraad")
        for text_ in ("Een", "Twee"):
            assert (await server.request("POST", "/api/v1/statuses", token=token, json={"status": text_}))[0] == 200
        status, body = await server.request("GET", f"/nodeinfo/{version}")
        assert status == 200
        assert body["metadata"]["nodeName"] == "Gemeente Oost"
        assert body["usage"]["users"]["total"] == 2  # the instance actor is not an account
        assert body["usage"]["localPosts"] == 2
        assert body["software"]["name"] == "pubhub"
        status, links = await server.request("GET", "/.well-known/nodeinfo")
        assert f"{server.base}/nodeinfo/{version}" in [link["href"] for link in links["links"]]
    finally:
        await server.stop()


async def test_an_inbound_refusal_is_logged_with_its_reason(instance, peer, caplog):
    gemeente = await instance.create_account("gemeente")
    alice = peer.add_actor("alice")
    status, _ = await peer.post(f"{instance.base}/inbox", peer.activity("Follow", alice, gemeente.uri), alice,
                                headers={"Digest": "SHA-256=AAAA"})
    assert status == 401
    assert re.search(r"refused method=POST path=/inbox status=401 reason=\S.* request_id=[0-9a-f]{16}", caplog.text)
