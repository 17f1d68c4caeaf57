"""Everything a request, a handler or a worker needs, built once per process."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from .accounts import ensure_instance_actor
from .config import Settings
from .federation.actors import RemoteActors
from .federation.client import HttpClient, Signer
from .federation.delivery import DeliveryQueue
from .federation.urls import Urls
from .federation.webfinger import WebFingerClient
from .store import activities as activity_store
from .store import notify
from .store.batching import GroupCommit
from .store.db import Database


@dataclass
class Services:
    settings: Settings
    db: Database
    urls: Urls
    client: HttpClient
    actors: RemoteActors = field(init=False)
    webfinger: WebFingerClient = field(init=False)
    deliveries: DeliveryQueue = field(init=False)
    _instance_signer: Signer | None = None

    def __post_init__(self):
        from .federation.processor import InboxProcessor

        self.actors = RemoteActors(self.db, self.client, self.instance_signer)
        self.webfinger = WebFingerClient(self.client, self.settings.scheme)
        self.deliveries = DeliveryQueue(self.settings, self.db, self.client, self.urls)
        self.inbox = InboxProcessor(self)
        self.inbox_writes = GroupCommit(self.db, self._record_inbound)
        self._workers: list[asyncio.Task] = []
        self._stop = asyncio.Event()

    @classmethod
    def create(cls, settings: Settings) -> "Services":
        return cls(settings, Database(settings.database_url), Urls(settings.base_url), HttpClient(settings))

    async def instance_signer(self) -> Signer:
        if self._instance_signer is None:
            async with self.db.write() as session:
                actor = await ensure_instance_actor(session, self.urls, self.settings.domain)
            self._instance_signer = Signer(actor.public_key_id, actor.private_key_pem)
        return self._instance_signer

    async def _record_inbound(self, session, rows: list[dict]) -> list[bool]:
        results = await activity_store.record_many(session, rows)
        if any(results):
            await notify.on_commit(session, notify.INBOX, self.inbox.wake)
        return results

    async def run_pending(self) -> None:
        """Drain the inbox and delivery queues once (tests step this instead of sleeping)."""
        while await self.inbox.run_due() + await self.deliveries.run_due():
            pass

    def start_workers(self) -> None:
        self._stop.clear()
        self._workers = [
            asyncio.create_task(self.inbox.run_forever(self._stop), name="inbox-worker"),
            asyncio.create_task(self.deliveries.run_forever(self._stop), name="delivery-worker"),
        ]
        if not self.db.is_sqlite:  # other processes queue work too: hear about it at once
            wakes = {notify.DELIVERIES: self.deliveries.wake, notify.INBOX: self.inbox.wake}
            self._workers.append(asyncio.create_task(notify.listen(self.settings.database_url, wakes, self._stop), name="listener"))

    async def stop_workers(self) -> None:
        self._stop.set()
        if self._workers:
            await asyncio.gather(*self._workers, return_exceptions=True)
        self._workers = []

    async def close(self) -> None:
        await self.inbox_writes.drain()
        await self.stop_workers()
        await self.client.close()
        await self.db.close()
