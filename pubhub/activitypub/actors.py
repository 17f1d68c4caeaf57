"""Remote actors and their keys: fetched through the guarded client, stored, and cached.

One fetch per actor document at a time: in-flight fetches are shared by URL, so the key path
(key id `…#main-key`) and the actor path (actor id) never fetch the same document twice at once;
keys answered from memory (`key_cache.py`: only keys the owner's latest document lists, failed
fetches remembered briefly); a key is re-fetched only when a signature fails with a cached one,
at a bounded rate per origin. An actor that deleted itself stays gone: neither it nor its key
is served again (ActorGone), and it is not fetched again.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Awaitable, Callable
from urllib.parse import urldefrag, urlsplit

from ..cache import TTLCache
from ..clock import Clock
from ..content import is_web_url, plain_text, sanitize_html
from ..errors import ActorGone, FetchError
from ..store import actors as actor_store
from ..store.batching import GroupCommit
from ..store.db import Database
from ..store.models import Actor
from .client import HttpClient, Signer
from .fetch import fetch_unchecked, require_own_id
from .fields import id_of, is_a, type_among
from .key_cache import ActorKey, KeyCache
from .origins import origin, same_origin
from .vocab import ACTOR_TYPES

log = logging.getLogger(__name__)
STALE_AFTER = timedelta(days=1)
KEY_REFRESHES_PER_MINUTE = 30


def _find_key(document: dict, key_id: str | None) -> dict | None:
    keys = document.get("publicKey")
    for key in keys if isinstance(keys, list) else [keys]:
        if isinstance(key, dict) and isinstance(key.get("publicKeyPem"), str):
            if key_id is None or key.get("id") == key_id:
                return key
    return None


def _owned_keys(document: dict) -> dict[str, str]:
    """id → PEM of every key the actor document lists as its own."""
    keys = document.get("publicKey")
    return {key["id"]: key["publicKeyPem"] for key in (keys if isinstance(keys, list) else [keys])
            if isinstance(key, dict) and isinstance(key.get("id"), str) and isinstance(key.get("publicKeyPem"), str)
            and key.get("owner") == document.get("id")}


def actor_values(document: dict, key_id: str | None = None) -> dict:
    """Columns for a remote actor document; raises FetchError when it is not a usable actor."""
    uri = document.get("id")
    kind = type_among(document, ACTOR_TYPES)
    if kind not in ACTOR_TYPES:
        raise FetchError(f"{uri} is not an actor (type {document.get('type')!r})")
    inbox = id_of(document.get("inbox"))
    if not same_origin(uri, inbox):
        raise FetchError(f"{uri} has no inbox on its own origin")
    key = _find_key(document, key_id)
    if key is None or key.get("owner") != uri or not isinstance(key.get("id"), str):
        raise FetchError(f"{uri} has no public key that it owns")
    endpoints = document.get("endpoints") if isinstance(document.get("endpoints"), dict) else {}
    shared_inbox = id_of(endpoints.get("sharedInbox"))
    username = document.get("preferredUsername")
    if not isinstance(username, str) or not username:
        username = urlsplit(uri).path.rstrip("/").rsplit("/", 1)[-1] or "unknown"
    profile_url = id_of(document.get("url"))
    icon = document.get("icon")
    icon_url = id_of(icon.get("url")) if isinstance(icon, dict) else None
    image = document.get("image")
    image_url = id_of(image.get("url")) if isinstance(image, dict) else None
    return {
        "kind": kind,
        "username": plain_text(username, 255),
        "domain": urlsplit(uri).netloc.lower(),
        "display_name": plain_text(document.get("name") if isinstance(document.get("name"), str) else "", 500),
        "summary": sanitize_html(document.get("summary") if isinstance(document.get("summary"), str) else ""),
        "url": profile_url if is_web_url(profile_url) else uri,  # shown as a link: never javascript: etc.
        "icon_url": icon_url if origin(icon_url) else None,
        "image_url": image_url if origin(image_url) else None,
        "inbox": inbox,
        "shared_inbox": shared_inbox if same_origin(uri, shared_inbox) else None,
        "outbox": id_of(document.get("outbox")),
        "followers_url": id_of(document.get("followers")),
        "following_url": id_of(document.get("following")),
        "public_key_id": key["id"],
        "public_key_pem": key["publicKeyPem"],
        "manually_approves": document.get("manuallyApprovesFollowers") is True,
    }


class RemoteActors:
    def __init__(self, db: Database, client: HttpClient, signer: Callable[[], Awaitable[Signer]], clock: Clock):
        self.db = db
        self.client = client
        self.clock = clock
        self._signer = signer  # returns the instance actor's Signer, for signed (authorized) fetches
        self._actors: TTLCache[Actor] = TTLCache(maxsize=20_000, ttl=600, clock=clock.monotonic)
        self.keys = KeyCache(clock)
        self._refreshes: TTLCache[list] = TTLCache(maxsize=10_000, ttl=60, clock=clock.monotonic)
        self._inflight: dict[str, asyncio.Future] = {}
        self._writes = GroupCommit(db, self._upsert, max_batch=200)

    async def _upsert(self, session, items: list[tuple[str, dict]]) -> list[Actor]:
        return await actor_store.upsert_remote_many(session, items, now=self.clock.now())

    @staticmethod
    def _present(actor: Actor | None) -> Actor | None:
        """`actor`, unless it deleted itself (then ActorGone: refused, and never re-fetched)."""
        if actor is not None and actor.deleted_at is not None:
            raise ActorGone(f"actor {actor.uri} is gone: it deleted itself")
        return actor

    def _fresh(self, actor: Actor | None) -> bool:
        """Usable without a fetch: one of ours, or fetched less than STALE_AFTER ago."""
        return actor is not None and (actor.local or (actor.fetched_at is not None
                                                      and self.clock.now() - actor.fetched_at < STALE_AFTER))

    # ---- actors --------------------------------------------------------------------------

    async def get(self, uri: str, *, refresh: bool = False) -> Actor:
        """The actor with this id, from memory, the database, or its origin."""
        uri = urldefrag(uri)[0]
        if not refresh:
            cached = self._actors.get(uri)
            if cached is not None:
                return cached
            async with self.db.read() as session:
                actor = self._present(await actor_store.by_uri(session, uri))
            if self._fresh(actor):
                self._remember(actor)
                return actor
            cached = self._actors.get(uri)  # a fetch that finished while we read the database
            if cached is not None:
                return cached
        return await self._shared(uri, lambda: self._fetch_and_store(uri))

    async def _shared(self, key: str, make):
        future = self._inflight.get(key)
        if future is not None:
            return await asyncio.shield(future)
        future = asyncio.get_running_loop().create_future()
        self._inflight[key] = future
        try:
            result = await make()
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # mark retrieved: waiters get it, nobody else needs to
            raise
        else:
            future.set_result(result)
            return result
        finally:
            del self._inflight[key]

    async def _fetch_and_store(self, uri: str) -> Actor:
        document = require_own_id(*await self._fetch(uri))
        return await self.store_document(document)

    async def _fetch(self, url: str) -> tuple[dict, str]:
        """(document, final URL) of `url` without its fragment; concurrent fetches of the same
        URL share one request."""
        url = urldefrag(url)[0]
        signer = await self._signer()
        return await self._shared("GET " + url, lambda: fetch_unchecked(self.client, url, signer=signer))

    async def store_document(self, document: dict, key_id: str | None = None) -> Actor:
        values = actor_values(document, key_id)
        # Group commit: a burst of new actors is stored in a few transactions, not one each.
        actor = self._present(await self._writes.submit((document["id"], values)))
        self._actors.set(actor.uri, actor)
        self.keys.remember_document(actor.uri, _owned_keys(document), actor.fetched_at)  # retires the others
        return actor

    def _remember(self, actor: Actor) -> None:
        """An actor read from the database."""
        self._actors.set(actor.uri, actor)
        self.keys.remember_stored(actor.uri, actor.public_key_id, actor.public_key_pem, actor.fetched_at)

    def forget(self, uri: str) -> None:
        self._actors.pop(uri)
        self.keys.forget_owner(uri)

    # ---- keys ----------------------------------------------------------------------------

    async def key(self, key_id: str) -> tuple[ActorKey, bool]:
        """(key, was_cached). The key's owner is an actor whose own document lists the key.
        FetchError if it can't be had; a failure is remembered briefly (see key_cache.py)."""
        cached = self.keys.get(key_id)
        if cached is not None:
            return cached, True
        async with self.db.read() as session:
            actor = self._present(await actor_store.by_key_id(session, key_id))
        if self._fresh(actor):
            self._remember(actor)  # unless a newer document of the actor retired this key
        cached = self.keys.get(key_id)  # read just now, or from a fetch that finished meanwhile
        if cached is not None:
            return cached, True
        failure = self.keys.recent_failure(key_id)
        if failure is not None:
            raise failure
        return await self._shared("key:" + key_id, lambda: self._fetch_key(key_id)), False

    def may_refresh(self, key_id: str) -> bool:
        """Bounded re-fetching per origin, so forged signatures can't make us hammer a server."""
        site = origin(key_id) or key_id
        now = self.clock.monotonic()
        stamps = [t for t in (self._refreshes.get(site) or []) if t > now - 60]
        if len(stamps) >= KEY_REFRESHES_PER_MINUTE:
            return False
        stamps.append(now)
        self._refreshes.set(site, stamps)
        return True

    async def refresh_key(self, key_id: str) -> ActorKey:
        self.keys.drop(key_id)
        return await self._shared("key:" + key_id, lambda: self._fetch_key(key_id))

    async def _fetch_key(self, key_id: str) -> ActorKey:
        try:
            return await self._fetch_listed_key(key_id)
        except FetchError as exc:
            self.keys.record_failure(key_id, exc)
            raise

    async def _fetch_listed_key(self, key_id: str) -> ActorKey:
        document, final_url = await self._fetch(key_id)
        if is_a(document, ACTOR_TYPES) and document.get("id") == final_url:
            actor_document = document  # the usual case: key id is the actor's id plus #main-key
        else:
            owner_uri = document.get("id") if is_a(document, ACTOR_TYPES) else id_of(document.get("owner"))
            if not isinstance(owner_uri, str) or not same_origin(owner_uri, key_id):
                raise FetchError(f"key {key_id} has no owner on its own origin")
            # A key document claiming an owner proves nothing: fetch the owner (id-checked).
            actor_document = require_own_id(*await self._fetch(owner_uri))
        listed = _find_key(actor_document, key_id)
        if listed is None or listed.get("owner") != actor_document.get("id"):
            await self._store_retiring(actor_document)
            raise FetchError(f"actor {actor_document.get('id')} does not list key {key_id}")
        actor = await self.store_document(actor_document, key_id)
        if actor.public_key_id != key_id:
            raise FetchError(f"actor {actor.uri} does not list key {key_id} as its key")
        return ActorKey(key_id, actor.uri, actor.public_key_pem)

    async def _store_retiring(self, actor_document: dict) -> None:
        """Store an actor's own document that no longer lists a key we knew, so that the key
        stops verifying here (memory and database) now, not when our copy would go stale."""
        try:
            await self.store_document(actor_document)
        except FetchError:
            pass  # not a usable actor document: nothing to store, the key is refused anyway
