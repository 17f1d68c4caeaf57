"""Never-seen actors: 1,000 signed Create(Note) activities from 200 actors PubHub has never
seen, served by a local peer whose actor documents answer after a small delay (50 ms), POSTed
over 64 connections to a running `pubhub serve`. Each actor's activities are sent back to
back, so its first requests arrive together and their key fetches really overlap.
Target: each actor document fetched exactly once (in-flight fetches shared), also counting
what the inbox worker fetches afterwards. Prints accepted/s, fetches per actor document
(max and total) and p50/p99 latency."""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections import Counter
from pathlib import Path

from tests.support.peer import RemotePeer

from .common import (Server, env_int, free_port, header, latency_line, new_database_url, percentile, prepare_instance,
                     wait_inbox_drained)
from .inbox import build_activities, count_rows, sign_all
from .load import run_load

ACTORS = env_int("BENCH_ACTORS_ACTORS", 200)
REQUESTS = env_int("BENCH_ACTORS_REQUESTS", 1000)
CONCURRENCY = 64
DELAY = float(os.environ.get("BENCH_ACTORS_DELAY_MS", "50")) / 1000


def grouped_by_actor(activities: list[dict]) -> list[dict]:
    """Each actor's activities next to each other (build_activities deals them round-robin)."""
    order = {}
    for activity in activities:
        order.setdefault(activity["actor"], len(order))
    return sorted(activities, key=lambda activity: order[activity["actor"]])


async def main() -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="pubhub-bench-actors-"))
    database_url = await new_database_url(workdir)
    header(f"actors: {REQUESTS} signed Create(Note) from {ACTORS} never-seen actors, {CONCURRENCY} connections, "
           f"actor documents served after {DELAY * 1000:.0f} ms", database_url)
    port = free_port()
    await prepare_instance(database_url, port)
    peer = await RemotePeer().start()
    peer.actor_delay = DELAY
    warm_actor = peer.add_actor("warm", key_index=1)
    actors = [peer.add_actor(f"n{n}", key_index=n % 20) for n in range(ACTORS)]
    by_uri = {actor.uri: actor for actor in [warm_actor, *actors]}
    try:
        server = Server(database_url, port)
        await server.start()
        try:
            url = f"{server.base}/inbox"
            warm = await run_load(url, sign_all(url, by_uri, build_activities(peer, [warm_actor], 10, "warm")), concurrency=10)
            assert warm.ok == 10, f"warm-up failed: {warm.statuses}"
            await wait_inbox_drained(database_url, 30)
            peer.fetches.clear()
            requests = sign_all(url, by_uri, grouped_by_actor(build_activities(peer, actors, REQUESTS, "fresh")))
            result = await run_load(url, requests, concurrency=CONCURRENCY)
            drained = await wait_inbox_drained(database_url, 60)  # the worker's own look-ups count too
            await asyncio.sleep(0.2)
            rss = server.rss_mb()
        finally:
            await server.stop()
    finally:
        await peer.stop()
    stored = await count_rows(database_url, "fresh")

    actor_paths = {actor.uri.removeprefix(peer.base): actor.uri for actor in actors}
    fetched = Counter(path for path in peer.fetches if path in actor_paths)
    other = Counter(path for path in peer.fetches if path not in actor_paths)
    per_actor = [fetched.get(path, 0) for path in actor_paths]
    histogram = Counter(per_actor)
    exactly_once = histogram.get(1, 0)
    print(f"   pubhub : {result.rate:8.0f} accepted/s  ({result.ok}/{result.sent} in {result.seconds:.2f}s; "
          f"{latency_line(result.latencies)}); statuses {result.statuses}; rows stored {stored}; "
          f"worker drained: {drained}; RSS {rss:.0f} MB")
    print(f"   actor document GETs: total {sum(per_actor)} for {len(actor_paths)} actors "
          f"({sum(per_actor) / len(actor_paths):.2f} per actor), max {max(per_actor)} for one actor, "
          f"{exactly_once}/{len(actor_paths)} fetched exactly once; fetches per actor -> actors: "
          f"{dict(sorted(histogram.items()))}")
    if other:
        print(f"   other GETs served by the peer: {sum(other.values())} ({dict(other.most_common(3))} ...)")
    print(f"   target: exactly 1 fetch of each actor document -> {'met' if exactly_once == len(actor_paths) else 'NOT met'}")
    return {"rate": result.rate, "fetches_total": sum(per_actor), "fetches_max": max(per_actor),
            "exactly_once": exactly_once, "p50_ms": percentile(result.latencies, 0.5) * 1000,
            "p99_ms": percentile(result.latencies, 0.99) * 1000, "stored": stored}


if __name__ == "__main__":
    asyncio.run(main())
