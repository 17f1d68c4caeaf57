"""Origins (FEP-fe34) and the small checks every handler repeats: one visible line each."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

from ..errors import RuleViolation
from .fields import id_of


def origin(uri: str | None) -> str | None:
    if not isinstance(uri, str):
        return None
    return _origin(uri)


def _read_origin(uri: str) -> str | None:
    try:
        parts = urlsplit(uri)
    except ValueError:  # e.g. "http://[::1": an unparsable URI has no origin
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc.lower()}"


# Cached: actor ids and key ids recur in every activity their server sends. (Wrapped, not a
# decorator: mutation testing leaves decorated functions alone, and this is the rule.)
_origin = lru_cache(maxsize=16384)(_read_origin)


def same_origin(a: str | None, b: str | None) -> bool:
    first = origin(a)
    return first is not None and first == origin(b)


def require(condition: bool, reason: str) -> None:
    if not condition:
        raise RuleViolation(reason)


def require_same_origin(actor_uri: str, object_uri: str | None, what: str) -> None:
    require(same_origin(actor_uri, object_uri), f"{what} {object_uri!r} is not on the actor's origin")
