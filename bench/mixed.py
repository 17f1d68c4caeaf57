"""Mixed load and memory, on one running `pubhub serve`:

1. the inbox solo rate: signed Create(Note) from 100 actors, closed loop over 64 connections
   (as bench/inbox.py);
2. the fan-out solo rate: posts by an account with 10,000 followers on 500 shared inboxes
   (verifying sinks, as bench/fanout.py), one after the other;
3. both at once: the inbox as an open loop at half its solo rate while the same posts fan out.
   Target: each keeps >= 0.7x its solo rate (the inbox: achieved >= 0.7x what was offered);
4. memory: 100,000 more activities stored through the inbox; the server's RSS before and
   after. Target: <= 150 MB after 100,000 stored activities.

Counts come from BENCH_MIXED_* variables (see below); the defaults keep it to a few minutes."""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from pathlib import Path

from tests.support.peer import RemotePeer

from .common import (Server, env_int, free_port, header, inbox_states, latency_line, new_database_url, percentile,
                     prepare_instance, wait_inbox_drained)
from .fanout import add_followers, publish
from .inbox import build_activities, count_rows, sign_all
from .load import LoadResult, run_load
from .sinks import Sinks

ACTORS = 100
CONCURRENCY = 64
SOLO_REQUESTS = env_int("BENCH_MIXED_INBOX_REQUESTS", 3000)  # closed loop, for the inbox solo rate
MIXED_SECONDS = env_int("BENCH_MIXED_SECONDS", 20)  # how long the half-rate inbox load runs
POSTS = env_int("BENCH_MIXED_POSTS", 3)  # posts fanned out, solo and again under the inbox load
FOLLOWERS = env_int("BENCH_MIXED_FOLLOWERS", 10000)
INBOXES = env_int("BENCH_MIXED_INBOXES", 500)
STORED = env_int("BENCH_MIXED_STORED", 100_000)  # activities stored for the memory figure
BATCH = 5000  # signed just before they are sent: 100,000 prepared at once would be ~600 MB here
DRAIN_SECONDS = env_int("BENCH_MIXED_DRAIN_SECONDS", 30)  # at most this long for the inbox worker's backlog
POST_TIMEOUT = 120


class Inbox:
    """Signed Create(Note) load against the server's shared inbox, fresh ids per phase."""

    def __init__(self, server: Server, peer: RemotePeer, actors):
        self.url = f"{server.base}/inbox"
        self.peer = peer
        self.actors = actors
        self.by_uri = {actor.uri: actor for actor in actors}

    def prepare(self, count: int, tag: str) -> list[tuple[bytes, dict]]:
        return sign_all(self.url, self.by_uri, build_activities(self.peer, self.actors, count, tag))

    async def load(self, count: int, tag: str, pace: float | None = None) -> LoadResult:
        return await run_load(self.url, self.prepare(count, tag), concurrency=CONCURRENCY, pace=pace)


async def fan_out(base: str, token: str, sinks: Sinks, posts: int, label: str) -> tuple[int, float]:
    """Publish `posts` posts one after the other, each waited for until every inbox has it.
    (deliveries, seconds from each API call to its last 2xx, summed)."""
    delivered, seconds = 0, 0.0
    for number in range(posts):
        before = sum(sinks.ok.values())
        began = time.perf_counter()
        await publish(base, token, f"Bericht {number + 1} ({label}): de milieustraat is zaterdag open.")
        complete = await sinks.wait_for(lambda: sum(sinks.ok.values()) >= before + INBOXES, POST_TIMEOUT)
        delivered += sum(sinks.ok.values()) - before
        seconds += (sinks.last_ok_at if complete else time.perf_counter()) - began
        if not complete:
            print(f"   WARNING: {label} post {number + 1} reached {sum(sinks.ok.values()) - before}/{INBOXES} inboxes "
                  f"in {POST_TIMEOUT}s")
    return delivered, seconds


async def store_many(inbox: Inbox, count: int, tag: str) -> tuple[int, float, dict]:
    """POST `count` activities in batches, closed loop; (accepted, seconds spent sending, statuses).
    RSA signing lets go of the GIL, so the next batch is signed in a thread while one is sent."""
    accepted, seconds, statuses = 0, 0.0, {}
    starts = list(range(0, count, BATCH))
    batch = lambda start: asyncio.to_thread(inbox.prepare, min(BATCH, count - start), f"{tag}-{start // BATCH}")
    upcoming = asyncio.ensure_future(batch(starts[0]))
    for number, start in enumerate(starts):
        prepared = await upcoming
        if number + 1 < len(starts):
            upcoming = asyncio.ensure_future(batch(starts[number + 1]))
        result = await run_load(inbox.url, prepared, concurrency=CONCURRENCY)
        accepted += result.ok
        seconds += result.seconds
        for status, n in result.statuses.items():
            statuses[status] = statuses.get(status, 0) + n
    return accepted, seconds, statuses


async def main() -> dict:
    # The memory figure is for STORED activities taken in as fast as they come: no back-pressure.
    os.environ.setdefault("PUBHUB_INBOX_BACKLOG", str(10 * STORED))
    workdir = Path(tempfile.mkdtemp(prefix="pubhub-bench-mixed-"))
    database_url = await new_database_url(workdir)
    header(f"mixed: inbox at half its solo rate while {POSTS} posts fan out to {FOLLOWERS} followers on {INBOXES} "
           f"shared inboxes; then RSS after {STORED} stored activities", database_url)
    port = free_port()
    token = await prepare_instance(database_url, port, token=True)
    sinks = await Sinks().start()
    peer = await RemotePeer().start()
    try:
        await add_followers(database_url, "gemeente", sinks.inbox_urls(INBOXES), shared=True, count=FOLLOWERS)
        actors = [peer.add_actor(f"a{n}", key_index=n % 20) for n in range(ACTORS)]
        server = Server(database_url, port)
        await server.start()
        try:
            figures = await measure(server, token, sinks, Inbox(server, peer, actors), database_url)
        finally:
            await server.stop()
    finally:
        await peer.stop()
        await sinks.stop()
    return figures


async def measure(server: Server, token: str, sinks: Sinks, inbox: Inbox, database_url: str) -> dict:
    marks = [("start", time.perf_counter())]
    warm = await inbox.load(ACTORS, "warm")  # every actor's key fetched and cached
    assert warm.ok == ACTORS, f"warm-up failed: {warm.statuses}"
    await fan_out(server.base, token, sinks, 1, "warm-up")
    await wait_inbox_drained(database_url, DRAIN_SECONDS)
    rss_start = server.rss_mb()
    marks.append(("warm-up", time.perf_counter()))

    # 1. inbox solo, closed loop
    solo = await inbox.load(SOLO_REQUESTS, "solo")
    await wait_inbox_drained(database_url, DRAIN_SECONDS)  # its worker backlog must not count against the fan-out
    # 2. fan-out solo
    sinks.reset()
    solo_delivered, solo_seconds = await fan_out(server.base, token, sinks, POSTS, "solo")
    fanout_solo = solo_delivered / solo_seconds if solo_seconds else 0.0
    marks.append(("solo", time.perf_counter()))

    # 3. both: the inbox open loop at half its solo rate, the same number of posts fanned out meanwhile
    offered = solo.rate / 2
    requests = inbox.prepare(max(1, int(offered * MIXED_SECONDS)), "mixed")
    sinks.reset()
    load = asyncio.create_task(run_load(inbox.url, requests, concurrency=CONCURRENCY, pace=offered))
    await asyncio.sleep(1.0)
    mixed_delivered, mixed_seconds = await fan_out(server.base, token, sinks, POSTS, "mixed")
    overlapped = not load.done()
    mixed = await load
    fanout_mixed = mixed_delivered / mixed_seconds if mixed_seconds else 0.0
    duplicates = sum(1 for count in sinks.attempts.values() if count > POSTS)
    marks.append(("mixed", time.perf_counter()))

    # 4. memory: STORED more activities through the inbox
    rss_before = server.rss_mb()
    stored_ok, store_seconds, statuses = await store_many(inbox, STORED, "mem")
    rss_after = server.rss_mb()
    backlog = (await inbox_states(database_url)).get("pending", 0)
    began = time.perf_counter()
    await wait_inbox_drained(database_url, DRAIN_SECONDS)
    waited = time.perf_counter() - began
    left = (await inbox_states(database_url)).get("pending", 0)
    rss_drained = server.rss_mb()
    marks.append(("memory", time.perf_counter()))
    stored = await count_rows(database_url, "mem")

    achieved = mixed.rate
    inbox_ratio = achieved / offered if offered else 0.0
    fanout_ratio = fanout_mixed / fanout_solo if fanout_solo else 0.0
    print(f"   inbox solo (closed loop): {solo.rate:.0f} accepted/s ({solo.ok}/{solo.sent} in {solo.seconds:.2f}s; "
          f"{latency_line(solo.latencies)}); statuses {solo.statuses}")
    print(f"   fan-out solo: {solo_delivered} deliveries in {solo_seconds:.2f}s = {fanout_solo:.0f} deliveries/s "
          f"({POSTS} posts x {INBOXES} inboxes)")
    print(f"   mixed, inbox (open loop): offered {offered:.0f}/s, achieved {achieved:.0f} accepted/s "
          f"({mixed.ok}/{len(requests)} in {mixed.seconds:.2f}s; {latency_line(mixed.latencies)}); statuses {mixed.statuses}")
    print(f"   mixed, fan-out: {mixed_delivered} deliveries in {mixed_seconds:.2f}s = {fanout_mixed:.0f} deliveries/s; "
          f"inboxes with more than one POST per post: {duplicates}; bad signatures seen by sinks: {sinks.bad_signatures}")
    if not overlapped:
        print("   WARNING: the inbox load ended before the fan-out did (raise BENCH_MIXED_SECONDS): the mixed "
              "fan-out figure is partly solo")
    print(f"   ratios: inbox achieved/offered {inbox_ratio:.2f} (target >= 0.7), p99 under load "
          f"{percentile(mixed.latencies, 0.99) * 1000:.1f} ms; fan-out mixed/solo {fanout_ratio:.2f} (target >= 0.7)")
    print(f"   memory: {stored_ok} activities accepted in {store_seconds:.0f}s of sending "
          f"({stored_ok / store_seconds if store_seconds else 0:.0f}/s; statuses {statuses}), {stored} rows stored; "
          f"the inbox worker's backlog: {backlog} pending at the end, {left} after {waited:.0f}s more "
          f"(it processed {(backlog - left) / waited if waited else 0:.0f}/s meanwhile)")
    print(f"   RSS: {rss_start:.0f} MB after warm-up, {rss_before:.0f} MB after the mixed run (before storing), "
          f"{rss_after:.0f} MB after storing {STORED} activities, {rss_drained:.0f} MB after the worker's "
          f"{waited:.0f}s more (target <= 150 MB)")
    print("   phases (with signing and drain waits): " + ", ".join(
        f"{name} {at - before:.0f}s" for (_, before), (name, at) in zip(marks, marks[1:])))
    return {"inbox_solo": solo.rate, "inbox_offered": offered, "inbox_mixed": achieved, "inbox_ratio": inbox_ratio,
            "inbox_mixed_p99_ms": percentile(mixed.latencies, 0.99) * 1000, "fanout_solo": fanout_solo,
            "fanout_mixed": fanout_mixed, "fanout_ratio": fanout_ratio, "rss_before_mb": rss_before,
            "rss_after_mb": max(rss_after, rss_drained), "stored": stored}


if __name__ == "__main__":
    asyncio.run(main())
