"""Fan-out: one post by an account with 10,000 followers on 500 shared inboxes, a variant
with 10,000 distinct inboxes, and a room with 10,000 members on 500 servers sharing one post
(a member's Create that mentions the room, POSTed to the inbox: the room's Announce goes to
one shared inbox per server). Local sinks verify every signature. Prints the time from the API
call (or the member's POST) to the last 2xx, deliveries/s, the ratio to a ceiling measured in
the same run (one ClientSession signing and POSTing to the same sinks), the API call's own
latency, and whether each inbox got exactly one POST."""

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

from pubhub.config import Settings
from pubhub.rooms.directory import create_room
from pubhub.rooms.hubs import create_hub
from pubhub.runtime import Runtime
from pubhub.store.models import Actor, Follow, utcnow
from tests.support import httpsig
from tests.support.peer import RemotePeer

from .common import ROOT, Server, environment, free_port, header, new_database_url, prepare_instance
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


ROOM = "wijkraad"


async def make_room(database_url: str, port: int) -> None:
    """A hub and its open, unmoderated, public room, made through the domain as the CLI makes them."""
    rt = Runtime.create(Settings.from_env(environment(database_url, port), env_file=None))
    try:
        async with rt.db.write() as session:
            hub = await create_hub(session, None, "oost", name="Oost", now=rt.clock.now())
            await create_room(rt, session, None, hub, ROOM, name="Wijkraad Oost")
    finally:
        await rt.close()


async def signed_post(base: str, peer: RemotePeer, actor, activity: dict) -> None:
    body = json.dumps(activity).encode()
    headers = httpsig.sign("POST", f"{base}/inbox", body, key=actor.key, key_id=actor.key_id)
    headers["Content-Type"] = "application/activity+json"
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{base}/inbox", data=body, headers=headers) as response:
            assert response.status == 202, await response.text()


async def wait_member(database_url: str, uri: str, timeout: float = 60) -> None:
    engine = create_async_engine(database_url)
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            async with engine.connect() as connection:
                query = select(Follow.state).join(Actor, Actor.id == Follow.follower_id).where(Actor.uri == uri)
                if (await connection.execute(query)).scalar_one_or_none() == "accepted":
                    return
            await asyncio.sleep(0.1)
        raise RuntimeError(f"{uri} never became a member")
    finally:
        await engine.dispose()


async def room_scenario(sinks: Sinks, settle_timeout: float = 300) -> dict:
    """A member on a Mastodon-like server mentions the room; the room shares the post with its
    FOLLOWERS members on SHARED_INBOXES servers: one Announce POST per shared inbox."""
    workdir = Path(tempfile.mkdtemp(prefix="pubhub-bench-fanout-room-"))
    database_url = await new_database_url(workdir)
    header(f"fan-out: a room with {FOLLOWERS} members on {SHARED_INBOXES} servers shares a post", database_url)
    port = free_port()
    await prepare_instance(database_url, port)
    await make_room(database_url, port)
    inboxes = sinks.inbox_urls(SHARED_INBOXES)
    await add_followers(database_url, ROOM, inboxes, shared=True, count=FOLLOWERS)
    peer = await RemotePeer().start()
    member = peer.add_actor("alice", key_index=1)
    server = Server(database_url, port)
    await server.start()
    try:
        room_uri = f"{server.base}/users/{ROOM}"
        await signed_post(server.base, peer, member, peer.activity("Follow", member, room_uri))
        await wait_member(database_url, member.uri)
        sinks.reset()
        note = peer.note(member, f"<p>@{ROOM} De lantaarnpaal in de Dorpsstraat is kapot.</p>",
                         cc=[member.followers, room_uri, f"{room_uri}/followers"],
                         tag=[{"type": "Mention", "href": room_uri, "name": f"@{ROOM}@127.0.0.1:{port}"}])
        began = time.perf_counter()
        await signed_post(server.base, peer, member, peer.create(member, note))
        post_seconds = time.perf_counter() - began
        complete = await sinks.wait_for(lambda: len(sinks.ok) >= SHARED_INBOXES, settle_timeout)
        elapsed = sinks.last_ok_at - began
        await asyncio.sleep(0.5)  # anything sent twice would arrive now
    finally:
        await server.stop()
        await peer.stop()
    duplicates = sum(1 for n in sinks.attempts.values() if n > 1)
    rate = len(sinks.ok) / elapsed if elapsed > 0 else 0.0

    key_id, pem = await private_key(database_url, ROOM)
    body = json.dumps({"@context": "https://www.w3.org/ns/activitystreams", "id": f"{room_uri}#ceiling",
                       "type": "Announce", "actor": room_uri, "object": note["id"]})
    sinks.reset()
    ceiling = await run_ceiling(workdir, inboxes, body, key_id, pem)
    ceiling_rate = ceiling["ok"] / ceiling["seconds"]
    ratio = rate / ceiling_rate if ceiling_rate else 0.0
    print(f"   pubhub : {SHARED_INBOXES if complete else 'INCOMPLETE'} inboxes, last 2xx after {elapsed:.2f}s "
          f"(from the member's POST, through the inbox worker) = {rate:.0f} deliveries/s; "
          f"the member's POST answered in {post_seconds * 1000:.1f} ms")
    print(f"   ceiling: {ceiling['ok']} inboxes in {ceiling['seconds']:.2f}s = {ceiling_rate:.0f} deliveries/s")
    print(f"   ratio {ratio:.2f} (target >= 0.5, as for an account's post); inboxes with more than one POST: "
          f"{duplicates}; bad signatures seen by sinks: {sinks.bad_signatures}")
    return {"rate": rate, "ceiling": ceiling_rate, "ratio": ratio, "duplicates": duplicates, "complete": complete}


async def main() -> dict:
    sinks = await Sinks().start()
    try:
        shared = await scenario(f"{FOLLOWERS} followers on {SHARED_INBOXES} shared inboxes", SHARED_INBOXES, shared=True, sinks=sinks)
        distinct = await scenario(f"{FOLLOWERS} followers on {FOLLOWERS} distinct inboxes", FOLLOWERS, shared=False, sinks=sinks)
        room = await room_scenario(sinks)
    finally:
        await sinks.stop()
    return {"shared": shared, "distinct": distinct, "room": room}


if __name__ == "__main__":
    asyncio.run(main())
