"""Inbox throughput on the traffic an agency really gets (bench/traffic.py: 60 % replies to
its posts, 10 % mentions, 10 % Follow/Undo, 10 % Like/Announce, 10 % notes that concern
nobody), signed by 100 remote actors (served by a local peer) and POSTed over 64 connections to
a running `pubhub serve` with its in-process workers; then the same load, in the same run,
against the ceiling server (bench/ceiling_inbox.py) with PubHub stopped.

Two figures per run: accepted/s (a 202 comes back only after the row holding the activity
committed) and end to end (from the first request until the API shows every reply, reaction
and follower). A second line keeps the cheap case: 2.7 KB Creates that concern nobody."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import aiohttp
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import create_async_engine

from tests.support import httpsig
from tests.support.peer import RemotePeer

from .common import (ROOT, Server, env_int, free_port, header, inbox_states, latency_line, new_database_url,
                     percentile, prepare_instance, wait_until_up)
from .load import LoadResult, run_load
from .traffic import Expected, LocalPost, build_mix

ACTORS = 100
CONCURRENCY = 64
REQUESTS = env_int("BENCH_INBOX_REQUESTS", 3000)  # the realistic mix
IRRELEVANT = env_int("BENCH_INBOX_IRRELEVANT", 6000)  # the cheap line
LOCAL_POSTS = 20
APPLY_TIMEOUT = env_int("BENCH_INBOX_APPLY_SECONDS", 180)
FILLER = "Gemeente nieuws: de wijkraad vergadert donderdag over het nieuwe fietspad langs de Waal. " * 24


def build_activities(peer: RemotePeer, actors, count: int, tag: str) -> list[dict]:
    """Creates of 2.7 KB public notes that concern nobody here (the cheap path)."""
    activities = []
    for number in range(count):
        actor = actors[number % len(actors)]
        note = peer.note(actor, f"<p>{FILLER}</p>", note_id=f"{actor.uri}/statuses/{tag}-{number}")
        activity = peer.create(actor, note)
        activity["id"] = f"{actor.uri}/statuses/{tag}-{number}/activity"
        activities.append(activity)
    return activities


def sign_all(url: str, actors_by_uri, activities: list[dict]) -> list[tuple[bytes, dict]]:
    prepared = []
    for activity in activities:
        body = json.dumps(activity).encode()
        actor = actors_by_uri[activity["actor"]]
        headers = httpsig.sign("POST", url, body, key=actor.key, key_id=actor.key_id)
        headers["Content-Type"] = "application/activity+json"
        prepared.append((body, headers))
    return prepared


async def count_rows(database_url: str, prefix: str) -> int:
    from pubhub.store.models import InboxActivity

    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            query = select(func.count()).select_from(InboxActivity).where(InboxActivity.uri.like(f"%/statuses/{prefix}-%"))
            return (await connection.execute(query)).scalar_one()
    finally:
        await engine.dispose()


class Api:
    """The client API as the agency's staff see it: their posts and their counters."""

    def __init__(self, base: str, token: str):
        self.base = base
        self.headers = {"Authorization": f"Bearer {token}"}
        self.session = aiohttp.ClientSession()

    async def get(self, path: str) -> dict:
        async with self.session.get(self.base + path, headers=self.headers) as response:
            response.raise_for_status()
            return await response.json()

    async def post_status(self, text: str) -> LocalPost:
        async with self.session.post(self.base + "/api/v1/statuses", headers=self.headers, json={"status": text}) as response:
            response.raise_for_status()
            body = await response.json()
        return LocalPost(body["id"], body["uri"])

    async def shows(self, account_id: str, expected: Expected) -> bool:
        """Whether every expected counter is on the API already."""
        return await self.mismatch(account_id, expected) is None

    async def mismatch(self, account_id: str, expected: Expected) -> str | None:
        """The first counter the API does not show as expected, or None."""
        account = await self.get(f"/api/v1/accounts/{account_id}")
        if account["followers_count"] != expected.followers:
            return f"followers_count {account['followers_count']}, expected {expected.followers}"
        for post_id in set(expected.replies) | set(expected.favourites) | set(expected.reblogs):
            status = await self.get(f"/api/v1/statuses/{post_id}")
            shown = (status["replies_count"], status["favourites_count"], status["reblogs_count"])
            wanted = (expected.replies.get(post_id, 0), expected.favourites.get(post_id, 0), expected.reblogs.get(post_id, 0))
            if shown != wanted:
                return f"post {post_id} replies/favourites/reblogs {shown}, expected {wanted}"
        return None

    async def close(self) -> None:
        await self.session.close()


async def wait_applied(api: Api, database_url: str, account_id: str, expected: Expected, began: float) -> float | None:
    """Seconds from `began` until the API shows everything (None: not within the timeout).
    The database is watched first (from this process: the server is not asked), the API
    when nothing is pending any more: polling the API all along would load the server."""
    while time.perf_counter() - began < APPLY_TIMEOUT:
        if not (await inbox_states(database_url)).get("pending") and await api.shows(account_id, expected):
            return time.perf_counter() - began
        await asyncio.sleep(0.05)
    print(f"   not applied in time: {await api.mismatch(account_id, expected)}; inbox rows {await inbox_states(database_url)}")
    return None


async def stored_counts(database_url: str, tag: str) -> dict[str, int]:
    """Remote notes kept from the run, and Accepts queued: to check nothing was applied twice."""
    from pubhub.store.models import Object, OutboundActivity

    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            notes = (await connection.execute(select(func.count()).select_from(Object).where(
                Object.uri.like(f"%/statuses/{tag}-%")))).scalar_one()
            accepts = (await connection.execute(select(func.count()).select_from(OutboundActivity).where(
                OutboundActivity.uri.like("%#accepts/%")))).scalar_one()
        return {"notes": notes, "accepts": accepts}
    finally:
        await engine.dispose()


async def main() -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="pubhub-bench-inbox-"))
    database_url = await new_database_url(workdir)
    header(f"inbox: {REQUESTS} signed activities of an agency's real mix from {ACTORS} actors, "
           f"{CONCURRENCY} connections; then {IRRELEVANT} Creates that concern nobody", database_url)
    port = free_port()
    token = await prepare_instance(database_url, port, token=True)
    peer = await RemotePeer().start()
    actors = [peer.add_actor(f"a{n}", key_index=n % 20) for n in range(ACTORS)]
    by_uri = {actor.uri: actor for actor in actors}
    try:
        server = Server(database_url, port, workers_in_process=os.environ.get("BENCH_INBOX_WORKERS", "1") != "0")
        await server.start()
        api = Api(server.base, token)
        try:
            me = await api.get("/api/v1/accounts/verify_credentials")
            posts = [await api.post_status(f"Bericht {n} van de gemeente") for n in range(LOCAL_POSTS)]
            account_uri = f"{server.base}/users/{me['username']}"
            mix, expected = build_mix(peer, actors, account_uri, posts, REQUESTS, "run")
            url = f"{server.base}/inbox"
            warm = await run_load(url, sign_all(url, by_uri, build_activities(peer, actors, ACTORS, "warm")), concurrency=CONCURRENCY)
            assert warm.ok == ACTORS, f"warm-up failed: {warm.statuses}"
            prepared = sign_all(url, by_uri, mix)
            began, server_cpu, own_cpu = time.perf_counter(), server.cpu_seconds(), time.process_time()
            real = await run_load(url, prepared, concurrency=CONCURRENCY)
            load_cpu = Cpu(real.seconds, server.cpu_seconds() - server_cpu, time.process_time() - own_cpu)
            applied = await wait_applied(api, database_url, me["id"], expected, began)
            total_cpu = Cpu(time.perf_counter() - began, server.cpu_seconds() - server_cpu, 0.0)
            cheap = await run_load(url, sign_all(url, by_uri, build_activities(peer, actors, IRRELEVANT, "cheap")), concurrency=CONCURRENCY)
            rss = server.rss_mb()
        finally:
            await api.close()
            await server.stop()
        states = await inbox_states(database_url)
        stored = await stored_counts(database_url, "run")
        ceiling_real, ceiling_cheap = await run_ceiling(workdir, peer, actors, by_uri, mix)
    finally:
        await peer.stop()
    result = report(real, applied, cheap, ceiling_real, ceiling_cheap, expected, states, stored, rss)
    report_cpu(real, load_cpu, total_cpu)
    return result


def report(real: LoadResult, applied: float | None, cheap: LoadResult, ceiling_real: LoadResult,
           ceiling_cheap: LoadResult, expected: Expected, states: dict, stored: dict, rss: float) -> dict:
    accepted_ratio = real.rate / ceiling_real.rate if ceiling_real.rate else 0.0
    end_to_end = real.ok / applied if applied else 0.0
    e2e_ratio = end_to_end / ceiling_real.rate if ceiling_real.rate else 0.0
    cheap_ratio = cheap.rate / ceiling_cheap.rate if ceiling_cheap.rate else 0.0
    p99 = percentile(real.latencies, 0.99) * 1000
    print(f"   real mix : {real.rate:7.0f} accepted/s ({real.ok}/{real.sent} in {real.seconds:.2f}s; {latency_line(real.latencies)}); "
          f"statuses {real.statuses}")
    print("              all applied and visible through the API " +
          (f"after {applied:.2f}s = {end_to_end:.0f}/s" if applied else f"NOT within {APPLY_TIMEOUT}s"))
    print(f"   ceiling  : {ceiling_real.rate:7.0f} accepted/s ({latency_line(ceiling_real.latencies)})")
    print(f"   ratios   : accepted {accepted_ratio:.2f} (target >= 0.4), p99 {p99:.1f} ms (target <= 50 ms), "
          f"end to end {e2e_ratio:.2f} (target >= 0.3, goal 0.5)")
    print(f"   cheap    : {cheap.rate:7.0f} accepted/s vs ceiling {ceiling_cheap.rate:.0f}/s = {cheap_ratio:.2f} "
          f"({latency_line(cheap.latencies)})")
    print(f"   inbox rows by state {states}; remote notes kept {stored['notes']} (expected {expected.stored_notes}); "
          f"Accepts queued {stored['accepts']} (expected {expected.accepts}); RSS {rss:.0f} MB")
    if stored["notes"] != expected.stored_notes or stored["accepts"] != expected.accepts:
        print("   WARNING: something was applied more or less than once")
    return {"accepted_rate": real.rate, "ceiling_rate": ceiling_real.rate, "accepted_ratio": accepted_ratio,
            "p99_ms": p99, "end_to_end_rate": end_to_end, "end_to_end_ratio": e2e_ratio, "cheap_ratio": cheap_ratio}


@dataclass
class Cpu:
    """CPU seconds over a stretch of `seconds`: the server process's (every thread) and the load
    generator's (this process: it signs nothing during the run, the requests are prepared)."""
    seconds: float
    server: float
    load: float


def report_cpu(real: LoadResult, during_load: Cpu, until_applied: Cpu) -> None:
    """What bounds the figures: how busy the server and the load generator were (two cores)."""
    print(f"   CPU      : while the mix was sent, server {during_load.server / during_load.seconds:.0%} of a core, "
          f"load generator {during_load.load / during_load.seconds:.0%}; until all was applied, server "
          f"{until_applied.server / until_applied.seconds:.0%} ({until_applied.server / real.ok * 1e6:.0f} us an activity)")


async def run_ceiling(workdir: Path, peer, actors, by_uri, mix: list[dict]) -> tuple[LoadResult, LoadResult]:
    keys_file = workdir / "keys.json"
    keys_file.write_text(json.dumps({actor.key_id: actor.public_pem for actor in actors}))
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "bench.ceiling_inbox", "--port", str(port), "--db",
                                str(workdir / "ceiling.db"), "--keys", str(keys_file)], cwd=ROOT)
    try:
        async with aiohttp.ClientSession() as session:
            await wait_until_up(session, f"http://127.0.0.1:{port}/livez")
        url = f"http://127.0.0.1:{port}/inbox"
        await run_load(url, sign_all(url, by_uri, build_activities(peer, actors, ACTORS, "warm")), concurrency=CONCURRENCY)
        real = await run_load(url, sign_all(url, by_uri, mix), concurrency=CONCURRENCY)
        cheap = await run_load(url, sign_all(url, by_uri, build_activities(peer, actors, IRRELEVANT, "cheap")), concurrency=CONCURRENCY)
        return real, cheap
    finally:
        process.terminate()
        process.wait(10)


if __name__ == "__main__":
    asyncio.run(main())
