"""deploy/nginx/ checked by Debian's nginx itself: `nginx -t` passes on the HTTP file alone (a
fresh host, before certbot), fails on the TLS file until its certificate exists, passes on both
after; then nginx runs both in front of a PubHub instance and the fediverse's requests get
through it: WebFinger and a signed Follow (the signed Host header must reach PubHub unchanged),
the ACME challenge, the redirect to HTTPS, the body limit and the health checks for the machine
only."""

from __future__ import annotations

import asyncio
import dataclasses
import json

import aiohttp
import pytest

from tests.deploy.nginx import DOMAIN, HTTP_FILE, TLS_FILE, NginxPrefix
from tests.support import httpsig, store
from tests.support.instance import Instance


@pytest.fixture
def prefix(tmp_path) -> NginxPrefix:
    return NginxPrefix(tmp_path / "nginx")


def test_the_http_file_alone_passes_nginx_t_on_a_fresh_host(prefix):
    prefix.install(HTTP_FILE)
    result = prefix.check()
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def test_the_tls_file_waits_for_certbot(prefix):
    prefix.install(HTTP_FILE, TLS_FILE)
    before = prefix.check()
    assert before.returncode != 0 and "fullchain.pem" in before.stderr, before.stderr
    prefix.make_certificate()  # what certbot does between the two steps
    after = prefix.check()
    assert after.returncode == 0, after.stderr


@pytest.fixture
async def proxied(database_url, tmp_path):
    """A PubHub instance for https://pubhub.example.org behind nginx running both files."""
    nginx = NginxPrefix(tmp_path / "nginx")  # first: it skips (or fails, in CI) without nginx
    server = Instance(database_url)
    server.settings = dataclasses.replace(server.settings, domain=DOMAIN, scheme="https")
    await server.start()
    try:
        nginx.make_certificate()
        nginx.install(HTTP_FILE, TLS_FILE, upstream_port=server.port, listen=True)
        nginx.start()
        yield server, nginx
    finally:
        nginx.stop()
        await server.stop()


def client(local_address: str = "127.0.0.1") -> aiohttp.ClientSession:
    # The certificate is our own self-signed one; the Host header names the instance.
    connector = aiohttp.TCPConnector(ssl=False, local_addr=(local_address, 0))
    return aiohttp.ClientSession(connector=connector, headers={"Host": DOMAIN})


async def test_requests_from_the_fediverse_pass_through_nginx_with_their_host(proxied, peer):
    server, nginx = proxied
    gemeente = await server.create_account("gemeente")
    tls = f"https://127.0.0.1:{nginx.tls_port}"
    async with client() as http:
        async with http.get(f"{tls}/.well-known/webfinger", params={"resource": f"acct:gemeente@{DOMAIN}"}) as answer:
            assert answer.status == 200, await answer.text()
            jrd = await answer.json(content_type=None)
        assert jrd["subject"] == f"acct:gemeente@{DOMAIN}"
        assert {"rel": "self", "type": "application/activity+json", "href": gemeente.uri} in jrd["links"]

        # Signed for Host: pubhub.example.org, as Mastodon signs it; PubHub checks that header.
        alice = peer.add_actor("alice", key_index=1)
        follow = peer.activity("Follow", alice, gemeente.uri)
        body = json.dumps(follow).encode()
        headers = httpsig.sign("POST", f"https://{DOMAIN}/inbox", body, key=alice.key, key_id=alice.key_id)
        headers["Content-Type"] = "application/activity+json"
        async with http.post(f"{tls}/inbox", data=body, headers=headers) as answer:
            assert answer.status == 202, await answer.text()
    await server.settle()
    assert await store.follows(server) == [("accepted", alice.uri, gemeente.uri)]


async def test_nginx_answers_what_pubhub_need_not(proxied):
    server, nginx = proxied
    (nginx.webroot / ".well-known" / "acme-challenge").mkdir(parents=True)
    (nginx.webroot / ".well-known" / "acme-challenge" / "token-1").write_text("token-1.thumbprint")
    http_base, tls = f"http://127.0.0.1:{nginx.http_port}", f"https://127.0.0.1:{nginx.tls_port}"
    async with client() as http:
        async with http.get(f"{http_base}/.well-known/acme-challenge/token-1") as answer:
            assert (answer.status, await answer.text()) == (200, "token-1.thumbprint")
        async with http.get(f"{http_base}/users/gemeente?x=1", allow_redirects=False) as answer:
            assert answer.status == 301 and answer.headers["Location"] == f"https://{DOMAIN}/users/gemeente?x=1"
        async with http.post(f"{tls}/inbox", data=b"x" * (1024 * 1024 + 1)) as answer:
            assert answer.status == 413  # refused by nginx before PubHub reads it
        async with http.get(f"{tls}/livez") as answer:
            assert answer.status == 200, await answer.text()
    # Another loopback address stands for a client from the internet.
    async with client(local_address="127.0.0.2") as outside:
        for path in ("/livez", "/readyz"):
            async with outside.get(f"{tls}{path}") as answer:
                assert answer.status == 403, path
        async with outside.get(f"{tls}/.well-known/nodeinfo") as answer:
            assert answer.status == 200


async def test_the_streaming_api_passes_through_nginx(proxied):
    """A WebSocket upgrade (nginx drops the hop-by-hop Upgrade headers unless told) and
    server-sent events, each hearing a new status."""
    server, nginx = proxied
    token = await server.token_for(await server.create_account("gemeente"))
    tls = f"https://127.0.0.1:{nginx.tls_port}"

    async def post(text: str) -> dict:
        async with http.post(f"{tls}/api/v1/statuses", json={"status": text},
                             headers={"Authorization": f"Bearer {token}"}) as answer:
            assert answer.status == 200, await answer.text()
            return await answer.json()

    async with client() as http:
        async with http.ws_connect(f"{tls}/api/v1/streaming?stream=user", headers={"Authorization": f"Bearer {token}"}) as ws:
            await asyncio.sleep(0.05)
            posted = await post("Via nginx")
            event = await asyncio.wait_for(ws.receive_json(), 2)
            assert event["event"] == "update" and json.loads(event["payload"])["id"] == posted["id"]
        async with http.get(f"{tls}/api/v1/streaming/user", params={"access_token": token}) as answer:
            assert await asyncio.wait_for(answer.content.readline(), 2) == b":)\n"
            posted = await post("Nog eens via nginx")
            assert await asyncio.wait_for(answer.content.readline(), 2) == b"event: update\n"
            assert json.loads((await answer.content.readline()).removeprefix(b"data: "))["id"] == posted["id"]
