"""Errors as JSON with the right status, request ids, and a body size limit."""

from __future__ import annotations

import logging
import secrets

from aiohttp import web

from ..errors import PayloadTooLarge, PubHubError
from ..jsonutil import dumps

log = logging.getLogger("pubhub.http")


def json_error(status: int, message: str) -> web.Response:
    return web.Response(status=status, body=dumps({"error": message}), content_type="application/json")


@web.middleware
async def errors_as_json(request: web.Request, handler):
    request_id = request.headers.get("X-Request-Id", "")[:64] or secrets.token_hex(8)
    try:
        response = await handler(request)
    except PubHubError as exc:
        log.info("refused method=%s path=%s status=%d reason=%s request_id=%s",
                 request.method, request.path, exc.status, exc.message, request_id)
        response = json_error(exc.status, exc.message)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        response = json_error(exc.status, exc.reason or "error")
    except Exception:
        log.exception("unhandled error method=%s path=%s request_id=%s", request.method, request.path, request_id)
        response = json_error(500, "internal server error")
    response.headers["X-Request-Id"] = request_id
    return response


async def read_body(request: web.Request, limit: int) -> bytes:
    """The request body, refused with 413 as soon as it passes `limit` bytes."""
    if request.content_length is not None and request.content_length > limit:
        raise PayloadTooLarge(f"body is larger than {limit} bytes")
    chunks, size = [], 0
    async for chunk in request.content.iter_chunked(65536):
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(f"body is larger than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)
