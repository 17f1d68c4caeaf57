"""Fan-out: one post by an account with 10,000 followers on 500 shared inboxes, and a variant
with 10,000 distinct inboxes. Local sinks verify every signature. Prints the time from the API
call to the last 2xx, deliveries/s, the ratio to a ceiling measured in the same run (one
ClientSession signing and POSTing to the same sinks), the API call's own latency, and whether
each inbox got exactly one POST."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import create_async_engine

from pubhub.store.models import Actor, Follow, utcnow

from .common import ROOT, Server, free_port, header, new_database_url, prepare_instance
from .sinks import Sinks

FOLLOWERS = int(os.environ.get("BENCH_FANOUT_FOLLOWERS", "10000"))
SHARED_INBOXES = int(os.environ.get("BENCH_FANOUT_INBOXES", "500"))


async def add_followers(database_url: str, username: str, inbox_urls: list[str], *, shared: bool, count: int) -> None:
    """`count` remote followers of `username`; follower n uses inbox n % len(inbox_urls)."""
    engine = create_async_engine(database_url)
    try:
        async with engine.begin() as connection:
            target = (await connection.execute(select(Actor.id).where(Actor.username == username, Actor.local.is_(True)))).scalar_one()
            now = utcnow()
            rows = []
            for n in range(count):
                inbox = inbox_urls[n % len(inbox_urls)]
                host = inbox.split("/inbox/")[0]
                uri = f"{host}/users/f{n}"
                rows.append(dict(uri=uri, kind="Person", username=f"f{n}", domain=host.split("//")[1], local=False,
                                 display_name="", summary="", inbox=inbox if not shared else f"{uri}/inbox",
                                 shared_inbox=inbox if shared else None, public_key_id=f"{uri}#main-key",
                                 public_key_pem="-", manually_approves=False, role="user", created_at=now, fetched_at=now))
            for start in range(0, len(rows), 2000):
                await connection.execute(insert(Actor), rows[start:start + 2000])
            ids = (await connection.execute(select(Actor.id).where(Actor.local.is_(False)))).scalars().all()
            follows = [dict(follower_id=i, target_id=target, state="accepted", activity_uri=f"urn:bench:follow:{i}", created_at=now)
                       for i in ids]
            for start in range(0, len(follows), 2000):
                await connection.execute(insert(Follow), follows[start:start + 2000])
    finally:
        await engine.dispose()


async def publish(base: str, token: str, text: str) -> tuple[float, dict]:
    async with aiohttp.ClientSession() as session:
        began = time.perf_counter()
        async with session.post(f"{base}/api/v1/statuses", data={"status": text},
                                headers={"Authorization": f"Bearer {token}"}) as response:
            body = await response.json()
            assert response.status == 200, body
        return time.perf_counter() - began, body


async def private_key(database_url: str, username: str) -> tuple[str, str]:
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            row = (await connection.execute(select(Actor.public_key_id, Actor.private_key_pem)
                                            .where(Actor.username == username, Actor.local.is_(True)))).one()
            return row[0], row[1]
    finally:
        await engine.dispose()


async def run_ceiling(workdir: Path, inboxes: list[str], body: str, key_id: str, pem: str) -> dict:
    plan = workdir / "ceiling-plan.json"
    plan.write_text(json.dumps({"inboxes": inboxes, "body": body, "key_id": key_id, "private_key_pem": pem}))
    process = await asyncio.create_subprocess_exec(sys.executable, "-m", "bench.ceiling_fanout", str(plan), cwd=ROOT,
                                                   stdout=subprocess.PIPE)
    out, _ = await process.communicate()
    return json.loads(out)


async def scenario(title: str, inbox_count: int, *, shared: bool, sinks: Sinks, settle_timeout: float = 300) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="pubhub-bench-fanout-"))
    database_url = await new_database_url(workdir)
    header(f"fan-out: {title}", database_url)
    port = free_port()
    token = await prepare_instance(database_url, port, token=True)
    inboxes = sinks.inbox_urls(inbox_count)
    await add_followers(database_url, "gemeente", inboxes, shared=shared, count=FOLLOWERS)
    sinks.reset()
    server = Server(database_url, port)
    await server.start()
    try:
        began = time.perf_counter()
        api_seconds, status = await publish(server.base, token, "Nieuws van de gemeente: het stadhuis is maandag gesloten.")
        complete = await sinks.wait_for(lambda: len(sinks.ok) >= inbox_count, settle_timeout)
        elapsed = sinks.last_ok_at - began
        await asyncio.sleep(0.5)  # anything sent twice would arrive now
    finally:
        await server.stop()
    duplicates = sum(1 for n in sinks.attempts.values() if n > 1)
    rate = len(sinks.ok) / elapsed if elapsed > 0 else 0.0

    key_id, pem = await private_key(database_url, "gemeente")
    body = json.dumps({"@context": "https://www.w3.org/ns/activitystreams", "id": status["uri"] + "/ceiling",
                       "type": "Create", "actor": status["account"]["uri"], "object": status["uri"]})
    sinks.reset()
    ceiling = await run_ceiling(workdir, inboxes, body, key_id, pem)
    ceiling_rate = ceiling["ok"] / ceiling["seconds"]
    ratio = rate / ceiling_rate if ceiling_rate else 0.0
    print(f"   pubhub : {len(sinks.ok) if False else inbox_count if complete else 'INCOMPLETE'} inboxes, last 2xx after "
          f"{elapsed:.2f}s = {rate:.0f} deliveries/s; publishing API call {api_seconds * 1000:.1f} ms (target <= 100 ms)")
    print(f"   ceiling: {ceiling['ok']} inboxes in {ceiling['seconds']:.2f}s = {ceiling_rate:.0f} deliveries/s")
    print(f"   ratio {ratio:.2f} (target >= 0.5); inboxes with more than one POST: {duplicates}; "
          f"bad signatures seen by sinks: {sinks.bad_signatures}")
    return {"rate": rate, "ceiling": ceiling_rate, "ratio": ratio, "api_ms": api_seconds * 1000, "duplicates": duplicates,
            "complete": complete}


async def main() -> dict:
    sinks = await Sinks().start()
    try:
        shared = await scenario(f"{FOLLOWERS} followers on {SHARED_INBOXES} shared inboxes", SHARED_INBOXES, shared=True, sinks=sinks)
        distinct = await scenario(f"{FOLLOWERS} followers on {FOLLOWERS} distinct inboxes", FOLLOWERS, shared=False, sinks=sinks)
    finally:
        await sinks.stop()
    return {"shared": shared, "distinct": distinct}


if __name__ == "__main__":
    asyncio.run(main())
