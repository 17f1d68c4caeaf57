"""The inbox worker: takes persisted inbound activities, asks the policy seam, and dispatches
them by type.

Rules that need the activity's content (origin, ownership) are checked by the handlers; a
broken rule drops the activity with a logged reason and changes nothing. A policy may refuse
(dropped, with its reason) or hold (kept as `held` for a moderator, not applied).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

import orjson

from ..errors import ActorGone, FetchError, RuleViolation
from ..runtime import Runtime
from ..store import activities as activity_store
from ..store import follows as follow_store
from ..store.models import InboxActivity
from .context import Context
from .handlers import dispatch

log = logging.getLogger(__name__)
BATCH = 100
# Activities after which "who do our accounts follow" may have changed within a batch.
CHANGES_OUR_FOLLOWS = {"Accept", "Reject", "Delete", "Undo"}
LEASE = timedelta(minutes=5)


class InboxProcessor:
    def __init__(self, rt: Runtime):
        self.rt = rt

    async def run_due(self) -> int:
        """Process every pending activity, in arrival order; the number processed."""
        processed = 0
        while True:
            async with self.rt.db.write() as session:
                rows = await activity_store.claim(session, limit=BATCH, lease=LEASE, now=self.rt.clock.now())
            if not rows:
                return processed
            outcomes = []
            followed = await self._followed_by_locals(rows)
            for row in rows:
                outcomes.append((row.id, *await self.process(row, followed)))
                if row.type in CHANGES_OUR_FOLLOWS:
                    followed = None  # the prefetched set may be stale now: ask the database
            async with self.rt.db.write() as session:
                await activity_store.finish_many(session, outcomes, now=self.rt.clock.now())
            processed += len(rows)

    async def run_forever(self, stop: asyncio.Event) -> None:
        wake = self.rt.inbox_wake
        while not stop.is_set():
            wake.clear()
            if await self.run_due():
                continue
            waiters = [asyncio.ensure_future(wake.wait()), asyncio.ensure_future(stop.wait())]
            await asyncio.wait(waiters, timeout=5, return_when=asyncio.FIRST_COMPLETED)
            for waiter in waiters:
                waiter.cancel()

    async def _followed_by_locals(self, rows: list[InboxActivity]) -> set[str]:
        async with self.rt.db.read() as session:
            return await follow_store.followed_by_locals(session, list({row.actor_uri for row in rows}))

    async def process(self, row: InboxActivity, followed: set[str] | None = None) -> tuple[str, str | None]:
        """(state, reason) for one activity: done, held, or dropped with the reason logged."""
        try:
            activity = orjson.loads(row.payload)
            decision = await self.rt.policy.apply(row.actor_uri, activity)
            if not decision.allowed:
                state = "held" if decision.held else "dropped"
                log.info("inbox activity %s by policy id=%s type=%s actor=%s reason=%s", state, row.uri, row.type, row.actor_uri, decision.reason)
                return state, decision.reason
            actor = await self.rt.actors.get(row.actor_uri)
            await dispatch(Context(self.rt, actor, followed), activity)
        except (RuleViolation, FetchError, ActorGone) as exc:
            log.info("inbox activity dropped id=%s type=%s actor=%s reason=%s", row.uri, row.type, row.actor_uri, exc.message)
            return "dropped", exc.message
        except Exception as exc:  # logged with its trace; the row keeps the reason
            log.exception("inbox activity crashed id=%s type=%s", row.uri, row.type)
            return "dropped", f"internal error: {exc.__class__.__name__}"
        return "done", None
