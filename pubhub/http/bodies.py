"""Reading request bodies: bounded in size and in time, and a client that hangs up midway is
told apart from a server error."""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager

from aiohttp import web

from ..errors import BadRequest, ClientDisconnected, PayloadTooLarge, RequestTimeout
from .keys import runtime


@asynccontextmanager
async def receiving(request: web.Request):
    """While the body is read: a deadline for all of it (a stalled or trickling client must not
    hold the request forever; nginx's client_body_timeout does this in production, this does it
    for `pubhub serve` alone), and a hang-up turned into ClientDisconnected."""
    seconds = runtime(request).settings.body_timeout_seconds
    try:
        async with asyncio.timeout(seconds):
            yield
    except TimeoutError as exc:
        raise RequestTimeout(f"request body not received within {seconds:g} seconds") from exc
    except ConnectionError as exc:
        raise ClientDisconnected() from exc


async def read_body(request: web.Request, limit: int) -> bytes:
    """The request body, refused with 413 as soon as it passes `limit` bytes."""
    if request.content_length is not None and request.content_length > limit:
        raise PayloadTooLarge(f"body is larger than {limit} bytes")
    chunks, size = [], 0
    async with receiving(request):
        async for chunk in request.content.iter_chunked(65536):
            size += len(chunk)
            if size > limit:
                raise PayloadTooLarge(f"body is larger than {limit} bytes")
            chunks.append(chunk)
    return b"".join(chunks)


async def read_form_pairs(request: web.Request) -> list[tuple[str, str]]:
    """The text fields of a form body (urlencoded or multipart), in order and with repeated
    names kept; 400 when it cannot be decoded (not in its charset, an unknown charset, broken
    multipart)."""
    try:
        async with receiving(request):
            form = await request.post()
    except (ValueError, LookupError) as exc:  # UnicodeDecodeError is a ValueError
        raise BadRequest("malformed form body: not valid in its charset or not a form") from exc
    return [(k, v) for k, v in form.items() if isinstance(v, str)]
