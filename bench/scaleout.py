"""Scale-out on PostgreSQL: two `pubhub serve --no-workers` and two `pubhub worker` processes on
one database. The inbox load is spread over both web processes; a fan-out is delivered by the
two workers racing for the same queue, and every inbox must get exactly one POST.

Needs PUBHUB_TEST_POSTGRES_URL (run through deploy/ci/with-postgres.sh, as `make bench-postgres` does)."""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from pathlib import Path

from tests.support.peer import RemotePeer

from .common import Server, free_port, header, latency_line, new_database_url, percentile, prepare_instance
from .fanout import FOLLOWERS, SHARED_INBOXES, add_followers, publish
from .inbox import (ACTORS, CONCURRENCY, LOCAL_POSTS, REQUESTS, Api, build_activities, count_rows, sign_all, stored_counts,
                    wait_applied)
from .load import run_load
from .sinks import Sinks
from .traffic import build_mix


async def spread_load(urls: list[str], prepared: list, concurrency: int):
    """The same prepared requests split evenly over several web processes, run at once."""
    shares = [prepared[i::len(urls)] for i in range(len(urls))]
    began = time.perf_counter()
    results = await asyncio.gather(*(run_load(url, share, concurrency=concurrency // len(urls)) for url, share in zip(urls, shares)))
    seconds = time.perf_counter() - began
    ok = sum(r.ok for r in results)
    latencies = [value for r in results for value in r.latencies]
    statuses: dict = {}
    for r in results:
        for status, count in r.statuses.items():
            statuses[status] = statuses.get(status, 0) + count
    return ok, seconds, latencies, statuses


async def main() -> dict:
    if not os.environ.get("PUBHUB_TEST_POSTGRES_URL"):
        print("== scale-out: skipped (needs PostgreSQL: make bench-postgres)")
        return {}
    workdir = Path(tempfile.mkdtemp(prefix="pubhub-bench-scaleout-"))
    database_url = await new_database_url(workdir)
    header("scale-out: 2 x `pubhub serve --no-workers` + 2 x `pubhub worker` on one database", database_url)
    port = free_port()
    token = await prepare_instance(database_url, port, token=True)
    peer = await RemotePeer().start()
    sinks = await Sinks().start()
    server = Server(database_url, port, workers_in_process=False, extra_web=1, extra_workers=2)
    try:
        actors = [peer.add_actor(f"a{n}", key_index=n % 20) for n in range(ACTORS)]
        by_uri = {actor.uri: actor for actor in actors}
        inboxes = sinks.inbox_urls(SHARED_INBOXES)
        await add_followers(database_url, "gemeente", inboxes, shared=True, count=FOLLOWERS)
        await server.start()
        domain_url = f"{server.base}/inbox"  # signed for the public domain, whichever process answers
        urls = [f"http://127.0.0.1:{p}/inbox" for p in server.ports]
        await spread_load(urls, sign_all(domain_url, by_uri, build_activities(peer, actors, ACTORS, "warm")), CONCURRENCY)
        ok, seconds, latencies, statuses = await spread_load(
            urls, sign_all(domain_url, by_uri, build_activities(peer, actors, REQUESTS, "run")), CONCURRENCY)
        stored = await count_rows(database_url, "run")
        print(f"   inbox over {len(urls)} web processes (Creates that concern nobody): {ok / seconds:.0f} accepted/s "
              f"({ok} in {seconds:.2f}s; {latency_line(latencies)}); statuses {statuses}; rows stored {stored}")
        mix = await real_mix(server, token, peer, actors, by_uri, urls, domain_url, database_url)


        sinks.reset()
        began = time.perf_counter()
        api_seconds, _ = await publish(server.base, token, "Nieuws: de markt verhuist naar het plein.")
        complete = await sinks.wait_for(lambda: len(sinks.ok) >= SHARED_INBOXES, 300)
        elapsed = sinks.last_ok_at - began
        await asyncio.sleep(1.0)  # a second POST to any inbox would arrive now
        twice = sum(1 for count in sinks.attempts.values() if count > 1)
        print(f"   fan-out by 2 worker processes: {len(sinks.ok)}/{SHARED_INBOXES} inboxes in {elapsed:.2f}s "
              f"({len(sinks.ok) / elapsed:.0f} deliveries/s), API call {api_seconds * 1000:.1f} ms; "
              f"inboxes with more than one POST: {twice}; bad signatures: {sinks.bad_signatures}")
        return {**mix, "inbox_rate": ok / seconds, "p99_ms": percentile(latencies, 0.99) * 1000, "fanout_rate": len(sinks.ok) / elapsed,
                "duplicates": twice, "complete": complete}
    finally:
        await server.stop()
        await sinks.stop()
        await peer.stop()


async def real_mix(server: Server, token: str, peer, actors, by_uri, urls, domain_url, database_url) -> dict:
    """bench/inbox.py's agency mix over both web processes, applied by the two workers: accepted/s,
    end to end, and whether each activity was applied exactly once."""
    api = Api(server.base, token)
    try:
        me = await api.get("/api/v1/accounts/verify_credentials")
        posts = [await api.post_status(f"Bericht {n} van de gemeente") for n in range(LOCAL_POSTS)]
        mix, expected = build_mix(peer, actors, f"{server.base}/users/{me['username']}", posts, REQUESTS, "mix")
        expected.followers += me["followers_count"]  # the fan-out's 10,000 followers are there already
        prepared = sign_all(domain_url, by_uri, mix)
        began = time.perf_counter()
        ok, seconds, latencies, statuses = await spread_load(urls, prepared, CONCURRENCY)
        applied = await wait_applied(api, database_url, me["id"], expected, began)
    finally:
        await api.close()
    stored = await stored_counts(database_url, "mix")
    once = stored["notes"] == expected.stored_notes and stored["accepts"] == expected.accepts
    print(f"   real mix over {len(urls)} web processes: {ok / seconds:.0f} accepted/s ({latency_line(latencies)}); "
          f"statuses {statuses}; all applied and visible through the API "
          + (f"after {applied:.2f}s = {ok / applied:.0f}/s" if applied else "NOT in time")
          + f"; notes kept {stored['notes']}/{expected.stored_notes}, Accepts {stored['accepts']}/{expected.accepts}"
          + ("" if once else " WARNING: not exactly once"))
    return {"mix_accepted_rate": ok / seconds, "mix_end_to_end": ok / applied if applied else 0.0, "exactly_once": once}


if __name__ == "__main__":
    asyncio.run(main())
