"""A real PubHub instance on 127.0.0.1 for tests: its own database, real HTTP, workers off
(tests step the queues with `settle()` instead of sleeping) unless asked for."""

from __future__ import annotations

import ipaddress
import json
import socket
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp
from aiohttp import web

from pubhub.accounts.local import create_local_account
from pubhub.accounts.tokens import create_token
from pubhub.clock import SYSTEM_CLOCK, Clock
from pubhub.config import Settings
from pubhub.federation.workers import Workers
from pubhub.http.keys import RUNTIME
from pubhub.policy import Policy
from pubhub.runtime import Runtime
from pubhub.server import WORKERS, create_app


def bound_socket(port: int = 0) -> socket.socket:
    """A listening socket on 127.0.0.1 (port 0: one the kernel picks). The test keeps it until
    the server takes it over, so no other process can take the port in between."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a restart reuses its port at once
    sock.bind(("127.0.0.1", port))
    return sock


@asynccontextmanager
async def served(app: web.Application) -> AsyncIterator[str]:
    """An app of a test's own making, served on 127.0.0.1: its base URL."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    sock = bound_socket()
    await web.SockSite(runner, sock).start()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        await runner.cleanup()


class Instance:
    def __init__(self, database_url: str, port: int | None = None, *, workers: bool = False,
                 policy: Policy | None = None, clock: Clock = SYSTEM_CLOCK, **settings):
        self._socket = bound_socket(port or 0)
        self.port = self._socket.getsockname()[1]
        self.policy = policy
        self.clock = clock
        settings.setdefault("media_dir", tempfile.mkdtemp(prefix="pubhub-media-"))  # never ./var/media
        self.settings = Settings(
            domain=f"127.0.0.1:{self.port}", scheme="http", database_url=database_url,
            allow_private_networks=(ipaddress.ip_network("127.0.0.0/8"),), **settings,
        )
        self.workers = workers
        self.runner: web.AppRunner | None = None
        self.http: aiohttp.ClientSession | None = None

    @property
    def base(self) -> str:
        return self.settings.base_url

    @property
    def domain(self) -> str:
        return self.settings.domain

    @property
    def runtime(self) -> Runtime:
        return self.runner.app[RUNTIME]

    @property
    def workers_(self) -> Workers:
        return self.runner.app[WORKERS]

    async def start(self) -> "Instance":
        app = create_app(self.settings, workers=self.workers, policy=self.policy, clock=self.clock)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        await web.SockSite(self.runner, self._socket).start()
        self.http = aiohttp.ClientSession()
        return self

    async def stop(self) -> None:
        if self.http:
            await self.http.close()
        if self.runner:
            await self.runner.cleanup()
        self.runner = None
        self._socket.close()  # the server has closed it already, unless it never started

    async def settle(self) -> None:
        await self.workers_.run_pending()

    async def create_account(self, username: str, **options):
        async with self.runtime.db.write() as session:
            return await create_local_account(session, self.runtime.urls, self.domain, username,
                                              now=self.runtime.clock.now(), **options)

    async def token_for(self, actor, scopes: str = "read write follow") -> str:
        async with self.runtime.db.write() as session:
            return await create_token(session, actor, now=self.runtime.clock.now(), name="test", scopes=scopes)

    async def request(self, method: str, path: str, *, token: str | None = None, **kwargs) -> tuple[int, object]:
        headers = kwargs.pop("headers", {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        async with self.http.request(method, self.base + path, headers=headers, **kwargs) as response:
            text = await response.text()
            try:
                return response.status, json.loads(text)
            except ValueError:
                return response.status, text

    async def post_status(self, token: str, **fields) -> dict:
        """POST /api/v1/statuses as the token's account: the status, as the API answers it."""
        status, body = await self.request("POST", "/api/v1/statuses", token=token, json=fields)
        assert status == 200, body
        return body

    async def get_ap(self, path_or_url: str) -> tuple[int, object]:
        url = path_or_url if path_or_url.startswith("http") else self.base + path_or_url
        async with self.http.get(url, headers={"Accept": "application/activity+json"}) as response:
            return response.status, await response.json(content_type=None)
