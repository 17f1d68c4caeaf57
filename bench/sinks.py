"""Inbox sinks for fan-out benchmarks: local aiohttp servers that verify the signature and
digest of every POST (keys fetched once from the signer's actor document) and count them.
Some inboxes can be told to hang (until the sender gives up, or the sinks stop) or to answer 500."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import re
import time
from collections import Counter

import aiohttp
from aiohttp import web
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

PARAMS = re.compile(r'(\w+)="([^"]*)"')


class Sinks:
    def __init__(self, servers: int = 10):
        self.server_count = servers
        self.ports: list[int] = []
        self.hang: set[str] = set()
        self.fail: set[str] = set()
        self.ok = Counter()  # path -> 2xx answers given
        self.attempts = Counter()  # path -> POSTs seen
        self.bad_signatures = 0
        self.last_ok_at = 0.0
        self._keys: dict[str, object] = {}
        self._runners: list[web.AppRunner] = []
        self._session: aiohttp.ClientSession | None = None
        self._stopping: asyncio.Event | None = None

    async def start(self) -> "Sinks":
        self._session = aiohttp.ClientSession()
        self._stopping = asyncio.Event()
        for _ in range(self.server_count):
            app = web.Application(client_max_size=1024 * 1024)
            app.router.add_post("/inbox/{n}", self._inbox)
            # A hanging handler ends when its sender gives up (handler_cancellation) or the sinks
            # stop. Otherwise aiohttp's shutdown waits shutdown_timeout (60 s) per server for it.
            runner = web.AppRunner(app, access_log=None, handler_cancellation=True, shutdown_timeout=2.0)
            await runner.setup()
            site = web.TCPSite(runner, "127.0.0.1", 0)
            await site.start()
            self.ports.append(site._server.sockets[0].getsockname()[1])
            self._runners.append(runner)
        return self

    async def stop(self) -> None:
        if self._stopping is not None:
            self._stopping.set()  # let go of the hanging handlers
        await asyncio.gather(*(runner.cleanup() for runner in self._runners))
        self._runners = []
        if self._session:
            await self._session.close()

    def inbox_urls(self, count: int) -> list[str]:
        return [f"http://127.0.0.1:{self.ports[n % len(self.ports)]}/inbox/{n}" for n in range(count)]

    def reset(self) -> None:
        self.ok.clear()
        self.attempts.clear()
        self.bad_signatures = 0
        self.last_ok_at = 0.0

    async def _inbox(self, request: web.Request) -> web.Response:
        body = await request.read()
        key = request.url.path
        self.attempts[key] += 1
        if not await self._verified(request, body):
            self.bad_signatures += 1
            return web.Response(status=401)
        if key in self.hang:
            await self._stopping.wait()
            return web.Response(status=503)
        if key in self.fail:
            return web.Response(status=500)
        self.ok[key] += 1
        self.last_ok_at = time.perf_counter()
        return web.Response(status=202)

    async def _verified(self, request: web.Request, body: bytes) -> bool:
        params = dict(PARAMS.findall(request.headers.get("Signature", "")))
        covered = params.get("headers", "").split()
        if not {"(request-target)", "host", "date", "digest"} <= set(covered):
            return False
        if request.headers.get("Digest") != "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode():
            return False
        key = self._keys.get(params.get("keyId"))
        if key is None:
            async with self._session.get(params["keyId"], headers={"Accept": "application/activity+json"}) as response:
                document = await response.json(content_type=None)
            key = serialization.load_pem_public_key(document["publicKey"]["publicKeyPem"].encode())
            self._keys[params["keyId"]] = key
        lines = [f"(request-target): post {request.raw_path}" if name == "(request-target)"
                 else f"{name}: {request.headers.get(name, '')}" for name in covered]
        try:
            key.verify(base64.b64decode(params["signature"]), "\n".join(lines).encode(), padding.PKCS1v15(), hashes.SHA256())
        except Exception:
            return False
        return True

    async def wait_for(self, predicate, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return True
            await asyncio.sleep(0.02)
        return predicate()
