"""The signing keys of remote actors, in memory: each key by its id, and each actor's listed
key ids (what its latest document lists).

A key counts only while the latest document we have of its owner lists it: re-fetching an
actor (a new key id, a failed verification, an `Update` of the actor) retires at once every
key its document no longer lists. Keys are kept KEY_TTL seconds, then checked against the
database again, so a key retired by another process's re-fetch stops verifying here too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Mapping

from ..cache import TTLCache
from ..clock import Clock

KEY_TTL = 300.0  # seconds a key is trusted from memory before the database is asked again
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
        self._keys: TTLCache[ActorKey] = TTLCache(maxsize=maxsize, ttl=KEY_TTL, clock=clock.monotonic)
        self._listed: TTLCache[Listing] = TTLCache(maxsize=maxsize, ttl=KEY_TTL, clock=clock.monotonic)

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

