"""The signing keys of remote actors, in memory: each key by its id, each actor's listed key ids
(what its latest document lists), and the key fetches that failed lately.

A key counts only while the latest document we have of its owner lists it: re-fetching an
actor (a new key id, a failed verification, an `Update` of the actor) retires at once every
key its document no longer lists. Keys are kept KEY_TTL seconds, then checked against the
database again, so a key retired by another process's re-fetch stops verifying here too.

A failed key fetch is remembered for FAILURE_TTL seconds (the same key id is refused without
a request), and an origin whose keys failed KEY_FAILURES_PER_MINUTE times in the last minute
is not asked for unknown keys until the minute is over: unknown key ids can't make us fetch
on every request. Keys we already know keep verifying meanwhile.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Mapping

from ..cache import TTLCache
from ..clock import Clock
from ..errors import FetchError
from .origins import origin

KEY_TTL = 300.0  # seconds a key is trusted from memory before the database is asked again
FAILURE_TTL = 60.0
KEY_FAILURES_PER_MINUTE = 10
_NEVER = datetime.min.replace(tzinfo=timezone.utc)


@dataclass(frozen=True)
class ActorKey:
    key_id: str
    owner: str
    public_key_pem: str


@dataclass(frozen=True)
class Listing:
    """The key ids an actor's document lists, as of when it was fetched."""

    fetched_at: datetime
    key_ids: frozenset


class KeyCache:
    def __init__(self, clock: Clock, maxsize: int = 20_000):
        self._clock = clock
        self._keys: TTLCache[ActorKey] = TTLCache(maxsize=maxsize, ttl=KEY_TTL, clock=clock.monotonic)
        self._listed: TTLCache[Listing] = TTLCache(maxsize=maxsize, ttl=KEY_TTL, clock=clock.monotonic)
        self._failed: TTLCache[FetchError] = TTLCache(maxsize=maxsize, ttl=FAILURE_TTL, clock=clock.monotonic)
        self._origin_failures: TTLCache[list] = TTLCache(maxsize=10_000, ttl=60, clock=clock.monotonic)

    # ---- keys ----------------------------------------------------------------------------

    def get(self, key_id: str) -> ActorKey | None:
        key = self._keys.get(key_id)
        listing = self._listed.get(key.owner) if key is not None else None
        if listing is None or key_id not in listing.key_ids:
            return None  # unknown, or retired: its owner's latest document does not list it
        return key

    def remember_document(self, owner: str, keys: Mapping[str, str], fetched_at: datetime | None) -> None:
        """`keys` (id → PEM): every key the owner's freshly fetched document lists. Any other
        key of the owner is retired."""
        self._listed.set(owner, Listing(fetched_at or _NEVER, frozenset(keys)))
        for key_id, pem in keys.items():
            self._keys.set(key_id, ActorKey(key_id, owner, pem))

    def remember_stored(self, owner: str, key_id: str, pem: str, fetched_at: datetime | None) -> None:
        """The owner's key as stored in the database when its document was fetched at
        `fetched_at`. The newer of this row and the document we remember wins: another process
        may have fetched the owner since, or this row may have been read just before our fetch."""
        fetched_at = fetched_at or _NEVER
        listing = self._listed.get(owner)
        if listing is not None and key_id not in listing.key_ids:
            if listing.fetched_at >= fetched_at:
                return  # a document as new or newer no longer lists this key: it stays retired
            listing = None
        self._listed.set(owner, listing or Listing(fetched_at, frozenset({key_id})))
        self._keys.set(key_id, ActorKey(key_id, owner, pem))

    def drop(self, key_id: str) -> None:
        self._keys.pop(key_id)

    def forget_owner(self, owner: str) -> None:
        self._listed.pop(owner)  # every key of the owner is retired with it

    # ---- failures ------------------------------------------------------------------------

    def recent_failure(self, key_id: str) -> FetchError | None:
        """Why this key can't be fetched now, if it failed lately or its origin keeps failing."""
        failed = self._failed.get(key_id)
        if failed is not None:
            return FetchError(failed.message, status=failed.status)
        site = origin(key_id) or key_id
        if len(self._failures_of(site)) >= KEY_FAILURES_PER_MINUTE:
            return FetchError(f"keys of {site} failed to load {KEY_FAILURES_PER_MINUTE} times in the last minute; "
                              "not asked again yet")
        return None

    def record_failure(self, key_id: str, error: FetchError) -> None:
        self._failed.set(key_id, error)
        site = origin(key_id) or key_id
        self._origin_failures.set(site, [*self._failures_of(site), self._clock.monotonic()])

    def _failures_of(self, site: str) -> list[float]:
        since = self._clock.monotonic() - 60
        return [stamp for stamp in (self._origin_failures.get(site) or []) if stamp > since]
