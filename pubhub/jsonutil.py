"""JSON in and out: orjson, with limits on size and nesting for anything from outside."""

from __future__ import annotations

from typing import Any

import orjson

from .errors import BadRequest, PayloadTooLarge

MAX_DEPTH = 32


def dumps(value: Any) -> bytes:
    return orjson.dumps(value)


def dumps_str(value: Any) -> str:
    return orjson.dumps(value).decode()


def _depth_ok(value: Any, limit: int) -> bool:
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return False
        if isinstance(item, dict):
            stack.extend((child, depth + 1) for child in item.values() if isinstance(child, (dict, list)))
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item if isinstance(child, (dict, list)))
    return True


def loads_untrusted(body: bytes, *, max_bytes: int = 1024 * 1024) -> Any:
    """Parse JSON from outside: bounded size and depth, an object at the top."""
    if len(body) > max_bytes:
        raise PayloadTooLarge(f"JSON body is larger than {max_bytes} bytes")
    try:
        value = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise BadRequest(f"malformed JSON: {exc.msg}") from exc
    if not isinstance(value, dict):
        raise BadRequest("JSON body must be an object")
    # A document can't nest deeper than it has brackets: most have too few to walk them.
    if body.count(b"{") + body.count(b"[") > MAX_DEPTH and not _depth_ok(value, MAX_DEPTH):
        raise BadRequest(f"JSON is nested deeper than {MAX_DEPTH} levels")
    return value
