"""Live events for the streaming API (`update`, `notification`, `delete`), published once the
transaction that made them commits. Events name rows by id; each listener reads what it may show.

In one process an asyncio queue per listener carries them. On PostgreSQL they also go out with
NOTIFY (delivered at commit, to every process listening: `pubhub serve --no-workers` beside
`pubhub worker`), and come back in through `receive`; a process ignores its own."""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from .notify import after_commit

log = logging.getLogger(__name__)
CHANNEL = "pubhub_streams"
QUEUE_SIZE = 1000  # events a slow listener may fall behind by; more are dropped for it
PAYLOAD_EVENTS = 100  # events per NOTIFY (its payload is bounded at 8000 bytes)


@dataclass(frozen=True)
class StreamEvent:
    event: str  # update | status.update | notification | delete | boost (streamed as an update)
    id: int  # the status (update, delete), the boost (boost, delete) or the notification
    account_id: int | None = None  # a notification's recipient


class Streams:
    def __init__(self):
        self._queues: set[asyncio.Queue] = set()
        self.origin = secrets.token_hex(8)  # this process, to skip its own NOTIFYs

    def subscribe(self) -> asyncio.Queue:
        queue: asyncio.Queue = asyncio.Queue(QUEUE_SIZE)
        self._queues.add(queue)
        return queue

    def unsubscribe(self, queue: asyncio.Queue) -> None:
        self._queues.discard(queue)

    def publish(self, events: list[StreamEvent]) -> None:
        for queue in list(self._queues):
            for event in events:
                if queue.full():
                    log.info("stream listener behind: event dropped")
                    break
                queue.put_nowait(event)

    def close(self) -> None:
        """The process is stopping: every listener gets None, its sign to end."""
        for queue in list(self._queues):
            if queue.full():
                queue.get_nowait()
            queue.put_nowait(None)

    async def after_commit(self, session: AsyncSession, events: list[StreamEvent]) -> None:
        """Publish `events` when this transaction commits (never if it rolls back)."""
        if not events:
            return
        if session.bind.dialect.name == "postgresql":
            for start in range(0, len(events), PAYLOAD_EVENTS):
                chunk = [[e.event, e.id, e.account_id] for e in events[start:start + PAYLOAD_EVENTS]]
                payload = json.dumps({"o": self.origin, "e": chunk})
                await session.execute(text("SELECT pg_notify(:channel, :payload)"), {"channel": CHANNEL, "payload": payload})
        after_commit(session, lambda: self.publish(events))

    def receive(self, payload: str) -> None:
        """A NOTIFY from any process: published here unless it was this one's."""
        try:
            message = json.loads(payload)
            if message.get("o") == self.origin:
                return
            self.publish([StreamEvent(str(kind), int(row_id), account) for kind, row_id, account in message["e"]])
        except (ValueError, KeyError, TypeError):
            log.warning("stream event not understood")
