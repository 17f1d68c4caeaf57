"""Boosts on the streaming API: the `user` stream of whoever follows the booster hears an
`update` with the boost (local, or remote through the inbox) and a `delete` with its id when it
is undone; a boost of a note the listener may not see is never heard."""

from __future__ import annotations

import asyncio
import json

import pytest

from tests.api.test_streaming import next_event
from tests.api.test_timelines import timeline
from tests.api.test_timelines_boosts import follow_remote, inbox, make_people, reblog


@pytest.fixture
async def people(instance):
    return await make_people(instance)


@pytest.fixture
async def listening(instance, people):
    """anna's WebSocket on her `user` stream."""
    accounts, tokens = people
    url = instance.base.replace("http", "ws") + "/api/v1/streaming?stream=user"
    async with instance.http.ws_connect(url, headers={"Authorization": f"Bearer {tokens['anna']}"}) as ws:
        await asyncio.sleep(0.05)  # subscribed
        yield ws


async def test_a_followed_accounts_boost_is_streamed_and_its_undoing_deletes_it(instance, people, listening):
    accounts, tokens = people
    note = await instance.post_status(tokens["bob"], status="Brug open")
    boost = await reblog(instance, tokens["gemeente"], note["id"])
    event = await next_event(listening)
    assert event["stream"] == ["user"] and event["event"] == "update"
    shown = json.loads(event["payload"])
    assert shown["id"] == boost["id"] and shown["account"]["username"] == "gemeente"
    assert shown["reblog"]["id"] == note["id"] and shown["content"] == ""

    status, _ = await instance.request("POST", f"/api/v1/statuses/{note['id']}/unreblog", token=tokens["gemeente"])
    assert status == 200
    assert await next_event(listening) == {"stream": ["user"], "event": "delete", "payload": boost["id"]}


async def test_a_remote_boost_is_streamed_and_its_undo_deletes_it(instance, people, peer, alice, listening):
    accounts, tokens = people
    await follow_remote(instance, peer, alice, tokens["anna"])
    note = await instance.post_status(tokens["bob"], status="Markt verplaatst")
    announce = await inbox(instance, peer, alice, peer.activity("Announce", alice, note["uri"]))
    event = await next_event(listening)
    shown = json.loads(event["payload"])
    assert event["event"] == "update" and shown["uri"] == announce["id"] and shown["reblog"]["id"] == note["id"]

    await inbox(instance, peer, alice, peer.activity("Undo", alice, announce))
    assert await next_event(listening) == {"stream": ["user"], "event": "delete", "payload": shown["id"]}


async def test_a_boost_of_a_note_the_listener_may_not_see_is_not_streamed(instance, people, peer, alice, listening):
    accounts, tokens = people
    await follow_remote(instance, peer, alice, tokens["anna"])
    private = await instance.post_status(tokens["bob"], status="Alleen volgers", visibility="private")
    await inbox(instance, peer, alice, peer.activity("Announce", alice, private["uri"]))
    posted = await instance.post_status(tokens["gemeente"], status="Daarna")
    event = await next_event(listening)  # the next thing heard is gemeente's post, not the boost
    assert event["event"] == "update" and json.loads(event["payload"])["id"] == posted["id"]


async def test_a_boosted_note_deleted_takes_its_boost_off_the_stream(instance, people, listening):
    accounts, tokens = people
    note = await instance.post_status(tokens["gemeente"], status="Vergissing")
    boost = await reblog(instance, tokens["dirk"], note["id"])
    heard = [json.loads((await next_event(listening))["payload"])["id"] for _ in range(2)]
    assert heard == [note["id"], boost["id"]]
    status, _ = await instance.request("DELETE", f"/api/v1/statuses/{note['id']}", token=tokens["gemeente"])
    assert status == 200
    deleted = {(await next_event(listening))["payload"] for _ in range(2)}
    assert deleted == {note["id"], boost["id"]}
    assert (await timeline(instance, tokens["anna"], "/api/v1/timelines/home"))[2] == []
