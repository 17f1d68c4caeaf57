"""Reading request bodies: bounded in size and in time, and a client that hangs up midway is
told apart from a server error."""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager

from aiohttp import web

from ..errors import BadRequest, ClientDisconnected, PayloadTooLarge, RequestTimeout, Unprocessable
from .keys import runtime


@asynccontextmanager
async def receiving(request: web.Request, seconds: float | None = None):
    """While the body is read: a deadline for all of it (a stalled or trickling client must not
    hold the request forever; nginx's client_body_timeout does this in production, this does it
    for `pubhub serve` alone), and a hang-up turned into ClientDisconnected."""
    seconds = seconds or runtime(request).settings.body_timeout_seconds
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


MAX_UPLOAD_FIELD = 16 * 1024  # a text field beside an upload (alt text is at most 1,500 characters)
UPLOAD_SECONDS = 120  # 16 MB from a phone on a slow line: more than any other body's deadline


async def read_upload(request: web.Request, limit: int) -> tuple[bytes, dict[str, str]]:
    """A multipart/form-data upload, streamed: the `file` part's bytes (refused with 422 as soon
    as they pass `limit`, as Mastodon refuses a file too large) and the text fields beside it."""
    files, fields = await read_multipart(request, ("file",), limit)
    if not files.get("file"):
        raise Unprocessable("Validation failed: file is missing: send the image in the `file` field")
    return files["file"], dict(fields)


async def read_multipart(request: web.Request, file_names: tuple[str, ...],
                         limit: int) -> tuple[dict[str, bytes], list[tuple[str, str]]]:
    """A multipart/form-data body, streamed: the parts named in `file_names` as bytes (each
    refused with 422 past `limit`), and the text fields in order."""
    if not request.content_type.startswith("multipart/form-data"):
        raise Unprocessable("an upload is a multipart/form-data body with the image in its `file` field")
    files, fields = {}, []
    try:
        async with receiving(request, max(UPLOAD_SECONDS, runtime(request).settings.body_timeout_seconds)):
            reader = await request.multipart()
            while (part := await reader.next()) is not None:
                if part.name in file_names and part.name not in files:
                    too_large = f"the {part.name} is larger than {limit // (1024 * 1024)} MB"
                    files[part.name] = await _bounded(part, limit, too_large)
                elif part.name and part.filename is None:
                    raw = await _bounded(part, MAX_UPLOAD_FIELD, f"the field {part.name[:40]} is too long")
                    fields.append((part.name, raw.decode("utf-8")))
                else:
                    await part.release()
    except (ValueError, AssertionError) as exc:  # broken multipart, a field not in UTF-8
        raise BadRequest("malformed multipart body") from exc
    return files, fields


async def _bounded(part, limit: int, too_large: str) -> bytes:
    chunks, size = [], 0
    while chunk := await part.read_chunk(65536):
        size += len(chunk)
        if size > limit:
            raise Unprocessable(too_large)
        chunks.append(chunk)
    return b"".join(chunks)
