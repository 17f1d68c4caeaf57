"""The small files every site serves: robots.txt and the favicon, from `static/`, with their
types and long caching (they change only with a PubHub release); and uploaded media from the
media store, the directory or the bucket (a file never changes under its name: cached for a
year)."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

from ..errors import NotFound
from ..http.keys import runtime
from ..store.media_files import CACHE_CONTROL, FILE_NAME, Served, media_type

STATIC_DIR = Path(__file__).parent / "static"
DAY = 24 * 3600
CHUNK = 64 * 1024  # what a proxied media file is passed on in

# path -> (file, Content-Type, seconds caches may keep it)
FILES = {
    "/robots.txt": ("robots.txt", "text/plain; charset=utf-8", DAY),
    "/favicon.ico": ("favicon.ico", "image/x-icon", 7 * DAY),
    "/favicon.svg": ("favicon.svg", "image/svg+xml", 7 * DAY),
}


def setup(app: web.Application) -> None:
    for path, (name, content_type, max_age) in FILES.items():
        app.router.add_get(path, _serve(STATIC_DIR / name, content_type, max_age))
    app.router.add_get("/media/{name:%s}" % FILE_NAME, media_file)


async def media_file(request: web.Request) -> web.StreamResponse:
    """Only names the upload wrote match the route, so no path can leave the directory and no
    quarantined file (under removed/) is reached."""
    name = request.match_info["name"]
    served = await runtime(request).media.serve(name)
    if served is None:
        raise NotFound("no such file")
    headers = {"Content-Type": media_type(name), "Cache-Control": CACHE_CONTROL,
               "X-Content-Type-Options": "nosniff", "Content-Security-Policy": "default-src 'none'; sandbox"}
    if served.path is not None:
        return web.FileResponse(served.path, headers=headers)
    return await _proxied(request, served, headers)


async def _proxied(request: web.Request, served: Served, headers: dict[str, str]) -> web.StreamResponse:
    """A file from the bucket, passed on as it comes (never whole in memory)."""
    try:
        if served.etag:
            headers["ETag"] = served.etag
            if served.etag in request.headers.get("If-None-Match", ""):
                return web.Response(status=304, headers=headers)
        response = web.StreamResponse(headers=headers)
        if served.size is not None:
            response.content_length = served.size
        await response.prepare(request)
        if request.method != "HEAD":  # a HEAD answer has the headers only: a body would break the connection
            async for chunk in served.stream.iter_chunks(CHUNK):
                await response.write(chunk)
        await response.write_eof()
        return response
    finally:
        await served.stream.aclose()  # the bucket's connection goes back to its pool, read or not


def _serve(file: Path, content_type: str, max_age: int):
    headers = {"Content-Type": content_type, "Cache-Control": f"public, max-age={max_age}"}

    async def serve(request: web.Request) -> web.FileResponse:
        # FileResponse answers If-None-Match / If-Modified-Since with 304 and Range requests too.
        return web.FileResponse(file, headers=headers)

    return serve
