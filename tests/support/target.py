"""A tiny HTTP server on a loopback address that records every request it receives, for
proving that the outbound guard refused a URL before any byte reached the target."""

from __future__ import annotations

import asyncio
import json

from aiohttp import web


class Target:
    def __init__(self, host: str = "127.0.0.1"):
        self.host = host
        self.port = 0
        self.hits: list[str] = []
        self.routes: dict[str, object] = {}  # path -> handler(request) or (status, content type, body)
        self.release = asyncio.Event()  # lets handlers that hang return when the test ends
        self._runner: web.AppRunner | None = None

    @property
    def base(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    def serve(self, path: str, document, *, content_type: str = "application/activity+json", status: int = 200) -> str:
        body = document if isinstance(document, bytes) else json.dumps(document).encode()
        self.routes[path] = (status, content_type, body)
        return self.url(path)

    def redirect(self, path: str, location: str, status: int = 302) -> str:
        self.routes[path] = lambda request: web.Response(status=status, headers={"Location": location})
        return self.url(path)

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        self.hits.append(request.path_qs)
        route = self.routes.get(request.path)
        if route is None:
            return web.Response(text="ok")
        if isinstance(route, tuple):
            status, content_type, body = route
            return web.Response(status=status, body=body, headers={"Content-Type": content_type})
        result = route(request)
        return await result if asyncio.iscoroutine(result) else result

    async def start(self, port: int = 0) -> "Target":
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        self.release.set()
        if self._runner:
            await self._runner.cleanup()
