"""The inbox worker beside a burst of inbox requests (`pubhub serve` with its workers): it waits
while many requests are being answered, so the burst is taken in at full speed and applied
right after; but an activity waits for it at most MAX_WAIT, so a steady stream is applied too.

A burst is made real: nine requests whose bodies trickle in are being answered (the worker
counts requests in flight, more than BUSY of them), while another server's Like comes in whole."""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

import pytest

from pubhub.clock import ManualClock
from pubhub.federation.processor import BUSY, MAX_WAIT
from tests.support import store
from tests.support.instance import Instance


@pytest.fixture
async def running(database_url):
    server = await Instance(database_url, workers=True, clock=ManualClock()).start()
    yield server
    await server.stop()


async def _trickling(url: str, count: int) -> list[asyncio.StreamWriter]:
    """`count` inbox POSTs that announce a body and send only its first byte: each is a request
    being answered until its body times out or the connection closes."""
    parts = urlsplit(url)
    writers = []
    for _ in range(count):
        _reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        writer.write(f"POST {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\nContent-Type: application/activity+json\r\n"
                     f"Content-Length: 1000\r\n\r\n{{".encode())
        await writer.drain()
        writers.append(writer)
    return writers


async def _state(instance, uri: str) -> str:
    [row] = [row for row in await store.inbox_activities(instance) if row.uri == uri]
    return row.state


async def _wait_for_state(instance, uri: str, state: str, seconds: float) -> bool:
    for _ in range(int(seconds / 0.02)):
        if await _state(instance, uri) == state:
            return True
        await asyncio.sleep(0.02)
    return False


async def test_the_worker_waits_out_a_burst_and_applies_what_came_in_after_it(running, peer, alice):
    gemeente = await running.create_account("gemeente")
    post = await running.post_status(await running.token_for(gemeente), status="Nieuw beleid")
    burst = await _trickling(f"{running.base}/inbox", BUSY + 1)
    await asyncio.sleep(0.1)  # the requests are being answered
    like = peer.activity("Like", alice, post["uri"])
    status, _ = await peer.post(f"{running.base}/inbox", like, alice)
    assert status == 202
    await asyncio.sleep(0.5)
    assert await _state(running, like["id"]) == "pending"  # the worker steps aside meanwhile

    for writer in burst:  # the burst is over
        writer.close()
    assert await _wait_for_state(running, like["id"], "done", seconds=5)


async def test_an_activity_waits_for_the_worker_at_most_max_wait_during_a_burst(running, peer, alice):
    gemeente = await running.create_account("gemeente")
    post = await running.post_status(await running.token_for(gemeente), status="Nieuw beleid")
    burst = await _trickling(f"{running.base}/inbox", BUSY + 1)
    try:
        await asyncio.sleep(0.1)
        like = peer.activity("Like", alice, post["uri"])
        status, _ = await peer.post(f"{running.base}/inbox", like, alice)
        assert status == 202
        await asyncio.sleep(0.3)
        assert await _state(running, like["id"]) == "pending"
        running.clock.advance(MAX_WAIT.total_seconds())  # it has waited long enough: applied beside the burst
        assert await _wait_for_state(running, like["id"], "done", seconds=5)
    finally:
        for writer in burst:
            writer.close()
