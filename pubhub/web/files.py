"""The small files every site serves: robots.txt and the favicon, from `static/`, with their
types and long caching (they change only with a PubHub release); and uploaded media from the
media directory (a file never changes under its name: cached for a year)."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

from ..errors import NotFound
from ..http.keys import runtime
from ..social.media import FILE_NAME

STATIC_DIR = Path(__file__).parent / "static"
DAY = 24 * 3600

# path -> (file, Content-Type, seconds caches may keep it)
FILES = {
    "/robots.txt": ("robots.txt", "text/plain; charset=utf-8", DAY),
    "/favicon.ico": ("favicon.ico", "image/x-icon", 7 * DAY),
    "/favicon.svg": ("favicon.svg", "image/svg+xml", 7 * DAY),
}


MEDIA_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp", "gif": "image/gif"}


def setup(app: web.Application) -> None:
    for path, (name, content_type, max_age) in FILES.items():
        app.router.add_get(path, _serve(STATIC_DIR / name, content_type, max_age))
    app.router.add_get("/media/{name:%s}" % FILE_NAME, media_file)


async def media_file(request: web.Request) -> web.FileResponse:
    """Only names the upload wrote match the route, so no path can leave the directory."""
    name = request.match_info["name"]
    path = Path(runtime(request).settings.media_dir) / name
    if not path.is_file():
        raise NotFound("no such file")
    headers = {"Content-Type": MEDIA_TYPES[name.rpartition(".")[2]], "Cache-Control": f"public, max-age={365 * DAY}",
               "X-Content-Type-Options": "nosniff", "Content-Security-Policy": "default-src 'none'; sandbox"}
    return web.FileResponse(path, headers=headers)


def _serve(file: Path, content_type: str, max_age: int):
    headers = {"Content-Type": content_type, "Cache-Control": f"public, max-age={max_age}"}

    async def serve(request: web.Request) -> web.FileResponse:
        # FileResponse answers If-None-Match / If-Modified-Since with 304 and Range requests too.
        return web.FileResponse(file, headers=headers)

    return serve
