"""Inbox throughput: signed ~2.7 KB Create(Note) activities with fresh ids from 100 remote
actors (served by a local peer), POSTed over 64 connections to a running `pubhub serve`, and
the same load, in the same run, against the ceiling server (bench/ceiling_inbox.py).
An activity counts as accepted only when its 202 came back, which PubHub sends only after
the transaction holding it committed; the stored rows are counted afterwards to prove it."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import create_async_engine

from tests.support import httpsig
from tests.support.peer import RemotePeer

from .common import (ROOT, Server, free_port, header, latency_line, new_database_url, percentile, prepare_instance,
                     wait_until_up)
from .load import run_load

ACTORS = 100
CONCURRENCY = 64
REQUESTS = int(os.environ.get("BENCH_INBOX_REQUESTS", "8000"))
FILLER = "Gemeente nieuws: de wijkraad vergadert donderdag over het nieuwe fietspad langs de Waal. " * 24


def build_activities(peer: RemotePeer, actors, count: int, tag: str) -> list[dict]:
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


async def main() -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="pubhub-bench-inbox-"))
    database_url = await new_database_url(workdir)
    header(f"inbox: {REQUESTS} signed Create(Note) from {ACTORS} actors, {CONCURRENCY} connections", database_url)
    port = free_port()
    await prepare_instance(database_url, port)
    peer = await RemotePeer().start()
    actors = [peer.add_actor(f"a{n}", key_index=n % 20) for n in range(ACTORS)]
    by_uri = {actor.uri: actor for actor in actors}
    sample = json.dumps(build_activities(peer, actors, 1, "size")[0]).encode()
    print(f"   activity size: {len(sample)} bytes")
    try:
        # BENCH_INBOX_WORKERS=0 measures the request path alone (diagnostic; the default runs the
        # server as deployed, with the inbox worker processing what arrives).
        server = Server(database_url, port, workers_in_process=os.environ.get("BENCH_INBOX_WORKERS", "1") != "0")
        await server.start()
        try:
            url = f"{server.base}/inbox"
            warm = await run_load(url, sign_all(url, by_uri, build_activities(peer, actors, ACTORS, "warm")), concurrency=CONCURRENCY)
            assert warm.ok == ACTORS, f"warm-up failed: {warm.statuses}"
            pubhub = await run_load(url, sign_all(url, by_uri, build_activities(peer, actors, REQUESTS, "run")), concurrency=CONCURRENCY)
            rss = server.rss_mb()
        finally:
            await server.stop()
        stored = await count_rows(database_url, "run")

        ceiling = await run_ceiling(workdir, peer, actors, by_uri)
    finally:
        await peer.stop()

    ratio = pubhub.rate / ceiling.rate if ceiling.rate else 0.0
    print(f"   pubhub : {pubhub.rate:8.0f} accepted/s  ({pubhub.ok}/{pubhub.sent} in {pubhub.seconds:.2f}s; {latency_line(pubhub.latencies)}); "
          f"statuses {pubhub.statuses}; rows stored {stored}; RSS {rss:.0f} MB")
    print(f"   ceiling: {ceiling.rate:8.0f} accepted/s  ({ceiling.ok}/{ceiling.sent} in {ceiling.seconds:.2f}s; {latency_line(ceiling.latencies)})")

    p99 = percentile(pubhub.latencies, 0.99) * 1000
    print(f"   ratio {ratio:.2f} (target >= 0.4, stretch 0.6); p99 {p99:.1f} ms (target <= 50 ms)")
    if stored != pubhub.ok:
        print(f"   WARNING: {pubhub.ok} answered 202 but {stored} rows stored")
    return {"pubhub_rate": pubhub.rate, "ceiling_rate": ceiling.rate, "ratio": ratio, "p99_ms": p99, "stored": stored}


async def run_ceiling(workdir: Path, peer, actors, by_uri):
    keys_file = workdir / "keys.json"
    keys_file.write_text(json.dumps({actor.key_id: actor.public_pem for actor in actors}))
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "bench.ceiling_inbox", "--port", str(port), "--db",
                                str(workdir / "ceiling.db"), "--keys", str(keys_file)], cwd=ROOT)
    try:
        import aiohttp

        async with aiohttp.ClientSession() as session:
            await wait_until_up(session, f"http://127.0.0.1:{port}/livez")
        url = f"http://127.0.0.1:{port}/inbox"
        await run_load(url, sign_all(url, by_uri, build_activities(peer, actors, ACTORS, "warm")), concurrency=CONCURRENCY)
        return await run_load(url, sign_all(url, by_uri, build_activities(peer, actors, REQUESTS, "run")), concurrency=CONCURRENCY)
    finally:
        process.terminate()
        process.wait(10)


if __name__ == "__main__":
    asyncio.run(main())
