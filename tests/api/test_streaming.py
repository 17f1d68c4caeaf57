"""The streaming API over real connections: a WebSocket subscribed to `user` gets a
`notification` within a second of a remote mention being applied and an `update` when an
account it follows posts; server-sent events get the update too; the public streams show public
posts only; the token comes from the header, the `access_token` parameter or the WebSocket
subprotocol, and without the scope the stream is refused."""

from __future__ import annotations

import asyncio
import json

import aiohttp
import pytest
from mastodon import Mastodon, StreamListener

from pubhub.federation.workers import Workers
from pubhub.server import create_runtime
from tests.api.test_notifications import deliver, mention
from tests.support.database import POSTGRES_URL

SECOND = 1.0


@pytest.fixture
async def gemeente(instance):
    account = await instance.create_account("gemeente")
    return account, await instance.token_for(account, "read write follow")


async def next_event(ws, timeout: float = SECOND) -> dict:
    message = await asyncio.wait_for(ws.receive_json(), timeout)
    return message


async def test_a_websocket_on_user_hears_a_remote_mention_and_a_followed_account_s_post(instance, peer, alice, gemeente):
    account, token = gemeente
    bob = await instance.create_account("bob")
    bob_token = await instance.token_for(bob)
    status, _ = await instance.request("POST", f"/api/v1/accounts/{bob.id}/follow", token=token)
    assert status == 200
    url = instance.base.replace("http", "ws") + "/api/v1/streaming?stream=user"
    async with instance.http.ws_connect(url, headers={"Authorization": f"Bearer {token}"}) as ws:
        await asyncio.sleep(0.05)  # subscribed
        created = mention(peer, alice, account, "is de weg morgen open?")
        await deliver(instance, peer, alice, created)
        event = await next_event(ws)
        assert event["stream"] == ["user"] and event["event"] == "notification"
        notification = json.loads(event["payload"])
        assert notification["type"] == "mention" and notification["status"]["uri"] == created["object"]["id"]

        posted = await instance.post_status(bob_token, status="Werkzaamheden aan de brug")
        event = await next_event(ws)
        assert event["event"] == "update" and json.loads(event["payload"])["id"] == posted["id"]

        status, _ = await instance.request("DELETE", f"/api/v1/statuses/{posted['id']}", token=bob_token)
        assert status == 200
        assert await next_event(ws) == {"stream": ["user"], "event": "delete", "payload": posted["id"]}


async def test_subscribing_by_message_with_the_token_as_subprotocol(instance, gemeente):
    account, token = gemeente
    url = instance.base.replace("http", "ws") + "/api/v1/streaming"
    async with instance.http.ws_connect(url, protocols=(token,)) as ws:
        assert ws.protocol == token  # echoed, or a browser would drop the socket
        await ws.send_json({"type": "subscribe", "stream": "public:local"})
        await ws.send_json({"type": "subscribe", "stream": "nonsense"})
        assert await next_event(ws) == {"error": "Unknown stream type", "status": 400}
        await instance.post_status(token, status="Alleen voor volgers", visibility="private")
        posted = await instance.post_status(token, status="Voor iedereen")
        event = await next_event(ws)  # the private one is not on a public stream
        assert event["stream"] == ["public:local"] and json.loads(event["payload"])["id"] == posted["id"]


async def test_server_sent_events_hear_an_update(instance, gemeente):
    account, token = gemeente
    async with instance.http.get(f"{instance.base}/api/v1/streaming/user", params={"access_token": token}) as response:
        assert response.status == 200 and response.headers["Content-Type"].startswith("text/event-stream")
        assert await asyncio.wait_for(response.content.readline(), SECOND) == b":)\n"
        posted = await instance.post_status(token, status="Raadsvergadering vanavond")
        lines = [await asyncio.wait_for(response.content.readline(), SECOND) for _ in range(3)]
    assert lines[0] == b"event: update\n" and lines[2] == b"\n"
    assert json.loads(lines[1].removeprefix(b"data: "))["id"] == posted["id"]


async def test_a_notification_is_not_streamed_to_someone_else(instance, peer, alice, gemeente):
    account, _ = gemeente
    other = await instance.token_for(await instance.create_account("bob"))
    async with instance.http.get(f"{instance.base}/api/v1/streaming/user/notification",
                                 headers={"Authorization": f"Bearer {other}"}) as response:
        assert await asyncio.wait_for(response.content.readline(), SECOND) == b":)\n"
        await deliver(instance, peer, alice, mention(peer, alice, account))
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(response.content.readline(), 0.5)


@pytest.mark.parametrize("path", ["/api/v1/streaming/user", "/api/v1/streaming/public", "/api/v1/streaming"])
async def test_without_a_token_or_its_scope_the_stream_is_refused(instance, gemeente, path):
    account, _ = gemeente
    write_only = await instance.token_for(account, "write")
    assert await instance.request("GET", path) == (401, {"error": "The access token is invalid"})
    assert await instance.request("GET", path, params={"access_token": "nonsense"}) == \
        (401, {"error": "The access token is invalid"})
    assert await instance.request("GET", path, params={"access_token": write_only}) == \
        (403, {"error": "This action is outside the authorized scopes"})


async def test_the_websocket_endpoint_wants_an_upgrade_and_health_answers(instance, gemeente):
    _, token = gemeente
    status, body = await instance.request("GET", "/api/v1/streaming", token=token)
    assert status == 400 and "WebSocket" in body["error"]
    async with instance.http.get(f"{instance.base}/api/v1/streaming/health") as response:
        assert response.status == 200 and await response.text() == "OK"


@pytest.mark.skipif(not POSTGRES_URL, reason="PostgreSQL only: across processes by LISTEN/NOTIFY (SQLite is one process)")
async def test_a_worker_in_another_process_streams_through_notify(instance, peer, alice, gemeente):
    """`pubhub serve --no-workers` beside `pubhub worker`: the activity is applied by another
    runtime (another process's), and the serving process's WebSocket hears of it."""
    account, token = gemeente
    worker = create_runtime(instance.settings)
    try:
        url = instance.base.replace("http", "ws") + "/api/v1/streaming?stream=user:notification"
        async with instance.http.ws_connect(url, headers={"Authorization": f"Bearer {token}"}) as ws:
            await asyncio.sleep(0.2)  # the serving process is listening
            created = mention(peer, alice, account, "via de worker")
            status, body = await peer.post(f"{instance.base}/inbox", created, alice)
            assert status == 202, body
            await Workers(worker).run_pending()
            event = await next_event(ws)
            assert event["event"] == "notification"
            assert json.loads(event["payload"])["status"]["uri"] == created["object"]["id"]
    finally:
        await worker.close()


async def test_mastodon_py_streams_a_remote_mention_and_a_new_status(instance, peer, alice, gemeente):
    """Mastodon.py (a real client, in a thread) finds the streaming API through the instance's
    `urls.streaming_api` and hears both within a second."""
    account, token = gemeente
    heard: list[tuple[str, dict]] = []

    class Heard(StreamListener):
        def on_update(self, status):
            heard.append(("update", status))

        def on_notification(self, notification):
            heard.append(("notification", notification))

    api = Mastodon(access_token=token, api_base_url=instance.base, version_check_mode="none", request_timeout=10)
    handle = await asyncio.to_thread(api.stream_user, Heard(), run_async=True, reconnect_async=False)
    try:
        await until(lambda: handle.is_receiving())
        posted = await instance.post_status(token, status="Via Mastodon.py")
        await until(lambda: heard)
        assert heard[0][0] == "update" and str(heard[0][1]["id"]) == posted["id"]
        created = mention(peer, alice, account, "gehoord?")
        await deliver(instance, peer, alice, created)
        await until(lambda: len(heard) > 1)
        kind, notification = heard[1]
        assert kind == "notification" and notification["type"] == "mention"
        assert notification["status"]["uri"] == created["object"]["id"]
    finally:
        await asyncio.to_thread(handle.close)


async def until(predicate, timeout: float = SECOND) -> None:
    async def poll():
        while not predicate():
            await asyncio.sleep(0.01)
    await asyncio.wait_for(poll(), timeout)


async def test_the_public_stream_hears_a_remote_post_and_its_edit(instance, peer, alice, gemeente):
    account, token = gemeente
    url = instance.base.replace("http", "ws") + "/api/v1/streaming?stream=public"
    async with instance.http.ws_connect(url, headers={"Authorization": f"Bearer {token}"}) as ws:
        await asyncio.sleep(0.05)
        created = mention(peer, alice, account, "eerste versie")
        await deliver(instance, peer, alice, created)
        event = await next_event(ws)
        assert event["event"] == "update" and json.loads(event["payload"])["uri"] == created["object"]["id"]
        edited = {**created["object"], "content": "<p>tweede versie</p>"}
        await deliver(instance, peer, alice, peer.activity("Update", alice, edited))
        event = await next_event(ws)
        assert event["stream"] == ["public"] and event["event"] == "status.update"
        # Once seen with the first content under load: the event went out when the Update's
        # SAVEPOINT was released, before its transaction committed (tests/store/test_after_commit.py).
        assert json.loads(event["payload"])["content"] == "<p>tweede versie</p>"


async def test_open_streams_end_when_the_server_stops(instance, gemeente):
    """aiohttp would wait up to a minute for them at shutdown; they are told to end at once."""
    _, token = gemeente
    async with aiohttp.ClientSession() as http:
        ws = await http.ws_connect(instance.base.replace("http", "ws") + "/api/v1/streaming?stream=user",
                                   headers={"Authorization": f"Bearer {token}"})
        events = await http.get(f"{instance.base}/api/v1/streaming/user", params={"access_token": token})
        assert await asyncio.wait_for(events.content.readline(), SECOND) == b":)\n"
        closing, rest = asyncio.create_task(ws.receive()), asyncio.create_task(events.content.read())
        await asyncio.wait_for(instance.stop(), 5)
        assert (await asyncio.wait_for(closing, SECOND)).type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
        assert await asyncio.wait_for(rest, SECOND) == b""
        events.release()
