"""Fan-out under faults: 10% of the shared inboxes hang until the delivery timeout and 5% answer
500. Healthy inboxes must finish within 1.2x the clean run; failed deliveries are rescheduled
with backoff; and a restart in the middle of a fan-out loses nothing."""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import create_async_engine

from pubhub.store.models import Delivery, OutboundActivity, utcnow

from .common import Server, free_port, header, new_database_url, prepare_instance
from .fanout import FOLLOWERS, SHARED_INBOXES, add_followers, publish
from .sinks import Sinks

TIMEOUT = os.environ.get("BENCH_FAULTS_TIMEOUT", "5")  # the delivery timeout hanging inboxes run into


async def delivery_states(database_url: str, activity_uri: str, inbox_paths: set[str]) -> Counter:
    """How the deliveries of one activity to these inboxes stand."""
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            rows = (await connection.execute(
                select(Delivery.inbox, Delivery.state, Delivery.attempts, Delivery.next_attempt_at)
                .join(OutboundActivity, OutboundActivity.id == Delivery.activity_id).where(OutboundActivity.uri == activity_uri)
            )).all()
    finally:
        await engine.dispose()
    now = utcnow()
    summary = Counter()
    for inbox, state, attempts, next_at in rows:
        if "/inbox/" + inbox.rsplit("/inbox/", 1)[1] in inbox_paths:
            later = "later" if next_at > now else "due"
            summary[f"{state}, attempts={attempts}, next attempt {later}"] += 1
    return summary


async def run_once(sinks: Sinks, database_url: str, port: int, token: str, healthy: set[str], text: str,
                   restart_after: float | None = None, linger: float = 0.0) -> tuple[float, str]:
    """Publish, wait until every healthy inbox has its 2xx; (seconds to that, the Create's id).
    With `restart_after`, the server is stopped that many seconds in and started again; with
    `linger`, it keeps running that long afterwards (for the failures to be rescheduled)."""
    env = {"PUBHUB_DELIVERY_TIMEOUT": TIMEOUT}
    os.environ.update(env)
    server = Server(database_url, port)
    await server.start()
    try:
        sinks.reset()
        began = time.perf_counter()
        _api_seconds, status = await publish(server.base, token, text)
        if restart_after is not None:
            await asyncio.sleep(restart_after)
            seen = len(sinks.ok)
            await server.stop()
            print(f"   restarted after {restart_after:.1f}s with {seen}/{len(healthy)} healthy inboxes served")
            server = Server(database_url, port)
            await server.start()
        if not await sinks.wait_for(lambda: healthy <= set(sinks.ok), 300):
            print(f"   INCOMPLETE: {len(healthy - set(sinks.ok))}/{len(healthy)} healthy inboxes never got a 2xx in 300s")
        seconds = sinks.last_ok_at - began
        await asyncio.sleep(linger)
        return seconds, status["uri"] + "/activity"
    finally:
        await server.stop()


async def main() -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="pubhub-bench-faults-"))
    database_url = await new_database_url(workdir)
    header(f"faults: fan-out to {SHARED_INBOXES} shared inboxes ({FOLLOWERS} followers), 10% hanging, 5% answering 500", database_url)
    port = free_port()
    token = await prepare_instance(database_url, port, token=True)
    sinks = await Sinks().start()
    try:
        inboxes = sinks.inbox_urls(SHARED_INBOXES)
        await add_followers(database_url, "gemeente", inboxes, shared=True, count=FOLLOWERS)
        paths = ["/inbox/" + url.rsplit("/inbox/", 1)[1] for url in inboxes]
        everyone = set(paths)

        clean, _ = await run_once(sinks, database_url, port, token, everyone, "Schone ronde")
        sinks.hang = set(paths[: len(paths) // 10])
        sinks.fail = set(paths[len(paths) // 10: len(paths) // 10 + len(paths) // 20])
        healthy = everyone - sinks.hang - sinks.fail
        faulty, activity = await run_once(sinks, database_url, port, token, healthy, "Ronde met storingen",
                                          linger=float(TIMEOUT) + 1.5)
        ratio = faulty / clean if clean else float("nan")
        print(f"   clean run: all {len(everyone)} inboxes in {clean:.2f}s; with faults: {len(healthy)} healthy inboxes in "
              f"{faulty:.2f}s = {ratio:.2f}x (target <= 1.2x)")
        print(f"   500-answering inboxes: {dict(await delivery_states(database_url, activity, sinks.fail))}")
        print(f"   hanging inboxes (timeout {TIMEOUT}s): {dict(await delivery_states(database_url, activity, sinks.hang))}")

        restarted, _ = await run_once(sinks, database_url, port, token, healthy, "Ronde met herstart", restart_after=0.3)
        lost = [path for path in healthy if sinks.ok[path] == 0]
        twice = [path for path in healthy if sinks.ok[path] > 1]
        print(f"   restart mid-fan-out: healthy inboxes done after {restarted:.2f}s; lost {len(lost)}, "
              f"delivered twice {len(twice)} (a POST cut off by the stop is sent again: at-least-once)")
    finally:
        await sinks.stop()  # also lets go of the handlers still hanging
    return {"clean": clean, "faulty": faulty, "ratio": ratio, "lost": len(lost)}


if __name__ == "__main__":
    asyncio.run(main())
