"""The small files every site serves: robots.txt and the favicon, from `static/`, with their
types and long caching (they change only with a PubHub release)."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

STATIC_DIR = Path(__file__).parent / "static"
DAY = 24 * 3600

# path -> (file, Content-Type, seconds caches may keep it)
FILES = {
    "/robots.txt": ("robots.txt", "text/plain; charset=utf-8", DAY),
    "/favicon.ico": ("favicon.ico", "image/x-icon", 7 * DAY),
    "/favicon.svg": ("favicon.svg", "image/svg+xml", 7 * DAY),
}


def setup(app: web.Application) -> None:
    for path, (name, content_type, max_age) in FILES.items():
        app.router.add_get(path, _serve(STATIC_DIR / name, content_type, max_age))


def _serve(file: Path, content_type: str, max_age: int):
    headers = {"Content-Type": content_type, "Cache-Control": f"public, max-age={max_age}"}

    async def serve(request: web.Request) -> web.FileResponse:
        # FileResponse answers If-None-Match / If-Modified-Since with 304 and Range requests too.
        return web.FileResponse(file, headers=headers)

    return serve
