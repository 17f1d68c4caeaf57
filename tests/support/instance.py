"""A real PubHub instance on 127.0.0.1 for tests: its own database, real HTTP, workers off
(tests step the queues with `settle()` instead of sleeping) unless asked for."""

from __future__ import annotations

import ipaddress
import json
import socket

import aiohttp
from aiohttp import web

from pubhub.accounts import create_local_account, create_token
from pubhub.app import SERVICES, create_app
from pubhub.config import Settings
from pubhub.services import Services


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Instance:
    def __init__(self, database_url: str, port: int | None = None, *, workers: bool = False, **settings):
        self.port = port or free_port()
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
    def services(self) -> Services:
        return self.runner.app[SERVICES]

    async def start(self) -> "Instance":
        self.runner = web.AppRunner(create_app(self.settings, workers=self.workers), access_log=None)
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", self.port).start()
        self.http = aiohttp.ClientSession()
        return self

    async def stop(self) -> None:
        if self.http:
            await self.http.close()
        if self.runner:
            await self.runner.cleanup()
        self.runner = None

    async def settle(self) -> None:
        await self.services.run_pending()

    async def create_account(self, username: str, **options):
        async with self.services.db.write() as session:
            return await create_local_account(session, self.services.urls, self.domain, username, **options)

    async def token_for(self, actor) -> str:
        async with self.services.db.write() as session:
            return await create_token(session, actor)

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

    async def get_ap(self, path_or_url: str) -> tuple[int, object]:
        url = path_or_url if path_or_url.startswith("http") else self.base + path_or_url
        async with self.http.get(url, headers={"Accept": "application/activity+json"}) as response:
            return response.status, await response.json(content_type=None)
