"""What the domain works with, built once per process: settings, clock, policy, database, and
the protocol's clients (guarded HTTP, remote actors, WebFinger, the delivery queue).

The entry points build one Runtime (`Runtime.create`) and hand it to the domain; the inbox
and delivery workers that run on it live with the entry points (`federation/workers.py`).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from .activitypub.actors import RemoteActors
from .activitypub.client import HttpClient, Signer
from .activitypub.delivery import DeliveryQueue
from .activitypub.local_actors import local_actor_values
from .activitypub.urls import Urls
from .activitypub.webfinger import WebFingerClient
from .cache import TTLCache
from .clock import SYSTEM_CLOCK, Clock
from .config import Settings
from .errors import PubHubError
from .policy import Policies, Policy
from .store import actors as actor_store
from .store import instance as instance_store
from .store.db import Database, DuplicateRow
from .store.media_files import MediaFiles, media_files
from .store.streams import Streams


@dataclass
class Runtime:
    settings: Settings
    db: Database
    urls: Urls
    client: HttpClient
    clock: Clock = SYSTEM_CLOCK
    policy: Policy = field(default_factory=Policies)
    actors: RemoteActors = field(init=False)
    webfinger: WebFingerClient = field(init=False)
    deliveries: DeliveryQueue = field(init=False)
    media: MediaFiles = field(init=False)  # where uploads and avatars are kept (a directory or a bucket)
    _instance_signer: Signer | None = None
    # The identity verifiers (pubhub/identity), by name; set up by the server (create_runtime).
    verifiers: dict = field(default_factory=dict)
    # What else close() closes (the verifiers' HTTP client).
    closers: list = field(default_factory=list)
    # Short background jobs of this process (verifying profile links): cancelled at close().
    background: set = field(default_factory=set)
    _signing_key: bytes | None = None

    def __post_init__(self):
        self.actors = RemoteActors(self.db, self.client, self.instance_signer, self.clock)
        self.webfinger = WebFingerClient(self.client, self.settings.scheme, self.clock)
        self.deliveries = DeliveryQueue(self.settings, self.db, self.client, self.urls, self.policy, self.clock)
        self.media = media_files(self.settings)
        # Remote images being fetched to keep (social.remote_media): a few at a time, so that
        # caching never crowds out federation's own fetches.
        self.media_fetches = asyncio.Semaphore(4)
        # Set when an inbound activity is committed: the inbox worker wakes on it.
        self.inbox_wake = asyncio.Event()
        # Live events for the streaming API, published after their transaction commits.
        self.streams = Streams()
        self.inbox_requests = 0  # inbox requests this process is answering right now
        self.inbox_last_request = 0.0  # time.monotonic() when the last one came in
        # URIs of local actors that are accounts, not rooms (an actor's kind never changes): a
        # note that names only these needs no query to learn that it names no room.
        self.local_accounts: TTLCache[bool] = TTLCache(maxsize=10_000, ttl=24 * 3600)

    @classmethod
    def create(cls, settings: Settings, *, policy: Policy | None = None, clock: Clock = SYSTEM_CLOCK) -> "Runtime":
        policy = policy if policy is not None else Policies()
        return cls(settings, Database(settings.database_url), Urls(settings.base_url, settings.media_base_url),
                   HttpClient(settings, policy, clock), clock, policy)

    @property
    def domain(self) -> str:
        return self.settings.domain

    async def instance_signer(self) -> Signer:
        """The instance actor's key, which signs our fetches (created on first use)."""
        if self._instance_signer is None:
            try:
                actor = await self._instance_actor()
            except DuplicateRow:  # another process (web or worker, starting too) made it just now
                actor = await self._instance_actor()
            self._instance_signer = Signer(actor.public_key_id, actor.private_key_pem)
        return self._instance_signer

    async def signing_key(self) -> bytes:
        """The instance's secret for signed cookies and form tokens (shared by every process
        through the database; made on first use)."""
        if self._signing_key is None:
            async with self.db.write() as session:
                self._signing_key = bytes.fromhex(await instance_store.signing_key(session))
        return self._signing_key

    async def _instance_actor(self):
        async with self.db.write() as session:
            actor = await actor_store.by_uri(session, self.urls.instance_actor())
            if actor is None:
                actor = await actor_store.add_local(
                    session, **local_actor_values(self.urls, self.urls.instance_actor()), kind="Application",
                    username=self.domain, domain=self.domain, display_name=self.domain, summary="", role="user",
                    manually_approves=True, url=self.urls.base + "/", created_at=self.clock.now(),
                )
        return actor

    async def check_identity(self) -> None:
        """Refuse to work on a database made for another domain or scheme: every URL in it
        (actors, keys, notes) was built from them, and the fediverse has cached them. A database
        that has not recorded them yet adopts its local actors' (from before migration 0005) or,
        if it has none, the configured ones."""
        wanted = (self.settings.scheme, self.settings.domain)
        async with self.db.write() as session:
            recorded = await instance_store.identity(session)
            if recorded is None:
                recorded = await instance_store.identity_from_local_actors(session) or wanted
                await instance_store.record_identity(session, *recorded)
        if recorded != wanted:
            scheme, domain = recorded
            raise PubHubError(
                f"this database belongs to {scheme}://{domain}, not {self.settings.base_url}: "
                f"set PUBHUB_SCHEME={scheme} and PUBHUB_DOMAIN={domain} (in .env or the environment), "
                f"or use another PUBHUB_DATABASE_URL")

    async def close(self) -> None:
        for task in list(self.background):
            task.cancel()
        await asyncio.gather(*self.background, return_exceptions=True)
        for close in self.closers:
            await close()
        await self.client.close()
        await self.media.close()
        await self.db.close()
