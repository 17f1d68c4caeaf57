"""The persistent delivery queue and its workers.

API calls and handlers write delivery rows (one per distinct inbox) in the same transaction as
the change that causes them. Workers claim due rows with a lease, sign and POST them, and
record the outcome by the rules in `schedule.py` (2xx done; 4xx other than 408/429 given up;
5xx, 408, 429 and network errors retried with exponential backoff for about two days). A
restart loses nothing.

The policy seam is asked for each inbox when a row is queued, when followers are expanded into
inboxes, and again just before each POST: a refused inbox is never written to (a row refused
at sending time fails at once, without retries).
"""

from __future__ import annotations

import asyncio
import logging
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..clock import Clock
from ..config import Settings
from ..errors import DisallowedAddress, PubHubError, RefusedByPolicy
from ..jsonutil import dumps_str
from ..metrics import DELIVERIES, labelled
from ..policy import Policy
from ..store import deliveries as delivery_store
from ..store import notify
from ..store.db import Database, Session
from ..store.models import Actor, Delivery
from . import schedule
from .client import HttpClient, Signer
from .urls import Urls
from .vocab import ACTIVITY_JSON

log = logging.getLogger(__name__)
SLOW_AFTER = 1.0  # seconds before an unanswered POST no longer counts against the concurrency
MAX_IN_FLIGHT = 1024


@dataclass(frozen=True)
class Outcome:
    delivery: Delivery
    state: str  # done | retry | failed
    error: str | None = None


class DeliveryQueue:
    def __init__(self, settings: Settings, db: Database, client: HttpClient, urls: Urls, policy: Policy, clock: Clock):
        self.settings = settings
        self.db = db
        self.client = client
        self.urls = urls
        self.policy = policy
        self.clock = clock
        self.jitter = random.Random()  # spreads retries; tests seed it to pin the schedule
        self.wake = asyncio.Event()
        self._signers: dict[int, Signer] = {}
        self._bodies: dict[int, tuple[str, bytes, int]] = {}  # activity id → (uri, body, signer id)

    # ---- producing ------------------------------------------------------------------------

    async def enqueue(self, session: Session, activity: dict, signer: Actor, inboxes: list[str] = (),
                      *, followers_of: Actor | None = None) -> int:
        """Queue `activity`, inside the caller's transaction: for each distinct remote inbox
        given that the policy allows, and (expanded later by a worker, one row per server) for
        `followers_of`'s followers. Returns the outbound activity's id."""
        remote = await self._remote_allowed(inboxes, activity["id"])
        now = self.clock.now()
        activity_id = await delivery_store.add_activity(
            session, uri=activity["id"], body=dumps_str(activity), signer_id=signer.id,
            followers_of_id=followers_of.id if followers_of is not None else None, now=now,
        )
        await delivery_store.add_inboxes(session, activity_id, remote, now=now)
        await notify.on_commit(session, notify.DELIVERIES, self.wake)
        return activity_id

    async def enqueue_many(self, session: Session, items: list[tuple[dict, Actor, list[str]]]) -> None:
        """Queue several (activity, signer, inboxes), as `enqueue` does each, in two statements."""
        if not items:
            return
        now = self.clock.now()
        targets = [(activity, await self._remote_allowed(inboxes, activity["id"])) for activity, _, inboxes in items]
        ids = await delivery_store.add_activities(
            session, [{"uri": activity["id"], "body": dumps_str(activity), "signer_id": signer.id}
                      for activity, signer, _ in items], now=now)
        await delivery_store.add_deliveries(session, [(ids[activity["id"]], inbox) for activity, inboxes in targets
                                                      for inbox in inboxes], now=now)
        await notify.on_commit(session, notify.DELIVERIES, self.wake)

    async def _remote_allowed(self, inboxes, activity_uri: str) -> list[str]:
        remote = [inbox for inbox in dict.fromkeys(inboxes) if inbox and not self.urls.is_local(inbox)]
        return await self.allowed_inboxes(remote, activity_uri)

    # ---- consuming ------------------------------------------------------------------------

    async def run_due(self, now: datetime | None = None) -> int:
        """Attempt every delivery due now, until none is left; the number attempted.
        Tests call this instead of sleeping."""
        attempted = 0
        while True:
            await self.expand()
            rows = await self._claim(self.settings.delivery_concurrency, now)
            if not rows:
                return attempted
            outcomes = await asyncio.gather(*(self.attempt(row) for row in rows))
            await self._record(outcomes, now)
            attempted += len(rows)

    async def run_forever(self, stop: asyncio.Event) -> None:
        """Keep up to `delivery_concurrency` fresh POSTs in flight; record outcomes in batches.

        A POST still unanswered after SLOW_AFTER seconds stops counting against the limit (up
        to MAX_IN_FLIGHT sockets): a hanging server must not hold back the healthy ones."""
        in_flight: dict[asyncio.Task, tuple[float, Delivery]] = {}
        finished: list[Outcome] = []

        def done(task: asyncio.Task) -> None:
            in_flight.pop(task, None)
            if not task.cancelled():
                finished.append(task.result())

        try:
            while not stop.is_set():
                await self.expand()
                capacity = self._capacity(in_flight)
                rows = await self._claim(capacity) if capacity > 0 else []
                for row in rows:
                    task = asyncio.create_task(self.attempt(row))
                    in_flight[task] = (self.clock.monotonic(), row)
                    task.add_done_callback(done)
                if finished:
                    batch, finished[:] = finished[:], []
                    await self._record(batch)
                if rows and len(rows) == capacity:
                    await asyncio.sleep(0)
                    continue
                await self._wait_for_work(set(in_flight), stop)
        finally:
            # Stopping: give back the rows still in flight, so a restart takes them at once.
            unfinished = [row.id for row in (entry[1] for entry in in_flight.values())]
            for task in list(in_flight):
                task.cancel()
            await asyncio.gather(*in_flight, return_exceptions=True)
            if finished:
                await self._record(finished)
            if unfinished:
                async with self.db.write(background=True) as session:
                    await delivery_store.release(session, unfinished)

    def _capacity(self, in_flight: dict) -> int:
        now = self.clock.monotonic()
        fresh = sum(1 for started, _ in in_flight.values() if now - started < SLOW_AFTER)
        return max(0, min(self.settings.delivery_concurrency - fresh, MAX_IN_FLIGHT - len(in_flight)))

    async def _wait_for_work(self, in_flight: set, stop: asyncio.Event) -> None:
        self.wake.clear()
        waiters = [asyncio.ensure_future(self.wake.wait()), asyncio.ensure_future(stop.wait())]
        waiters.extend(in_flight)
        timeout = await self._seconds_until_next_due()
        if in_flight:
            timeout = min(timeout, SLOW_AFTER / 2)  # a POST turning slow frees a slot
        await asyncio.wait(waiters, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        for waiter in waiters[:2]:
            waiter.cancel()

    async def _seconds_until_next_due(self) -> float:
        async with self.db.read() as session:
            due = await delivery_store.next_due_at(session, self.clock.now())
        if due is None:
            return 5.0
        return min(5.0, max(0.05, (due - self.clock.now()).total_seconds()))

    async def allowed_inboxes(self, inboxes: list[str], activity_uri: str) -> list[str]:
        allowed = []
        for inbox in inboxes:
            decision = await self.policy.deliver(inbox, activity_uri)
            if decision.allowed:
                allowed.append(inbox)
            else:
                log.info("delivery refused by policy inbox=%s activity=%s reason=%s", inbox, activity_uri, decision.reason)
        return allowed

    async def expand(self) -> None:
        """Turn pending follower audiences into delivery rows, one per distinct inbox (shared
        inbox preferred) that the policy allows. Safe with several workers: an activity is
        expanded by whoever marks it first."""
        while True:
            async with self.db.write(background=True) as session:
                pending = await delivery_store.unexpanded(session)
                if not pending:
                    return
                now = self.clock.now()
                for activity_id, uri, followers_of_id in pending:
                    if not await delivery_store.mark_expanded(session, activity_id, now):
                        continue  # another worker got there first
                    inboxes = await delivery_store.follower_inboxes(session, followers_of_id)
                    await delivery_store.add_inboxes(session, activity_id, await self.allowed_inboxes(inboxes, uri), now=now)

    async def _claim(self, limit: int, now: datetime | None = None) -> list[Delivery]:
        lease = timedelta(seconds=self.settings.delivery_lease_seconds)
        async with self.db.write(background=True) as session:
            rows = await delivery_store.claim(session, limit=limit, lease=lease, now=now or self.clock.now())
            missing = list({row.activity_id for row in rows if row.activity_id not in self._bodies})
            if missing:
                for activity_id, (uri, body, signer_id) in (await delivery_store.activity_bodies(session, missing)).items():
                    self._remember_body(activity_id, uri, body.encode(), signer_id)
        return rows

    def _remember_body(self, activity_id: int, uri: str, body: bytes, signer_id: int) -> None:
        self._bodies[activity_id] = (uri, body, signer_id)
        while len(self._bodies) > 1000:
            self._bodies.pop(next(iter(self._bodies)))

    async def _signer(self, actor_id: int) -> Signer:
        signer = self._signers.get(actor_id)
        if signer is None:
            async with self.db.read() as session:
                actor = await session.get(Actor, actor_id)
            signer = Signer(actor.public_key_id, actor.private_key_pem)
            self._signers[actor_id] = signer
        return signer

    async def attempt(self, row: Delivery) -> Outcome:
        if row.activity_id not in self._bodies:
            async with self.db.read() as session:
                for activity_id, (uri, text, signer) in (await delivery_store.activity_bodies(session, [row.activity_id])).items():
                    self._remember_body(activity_id, uri, text.encode(), signer)
        uri, body, signer_id = self._bodies[row.activity_id]
        decision = await self.policy.deliver(row.inbox, uri)  # asked again: policies change
        if not decision.allowed:
            return Outcome(row, "failed", f"refused by policy: {decision.reason}")
        try:
            response = await self.client.request(
                "POST", row.inbox, body=body, signer=await self._signer(signer_id),
                headers={"Content-Type": ACTIVITY_JSON}, max_bytes=64 * 1024,
                timeout=self.settings.delivery_timeout_seconds, follow_redirects=False, truncate=True,
            )
        except (DisallowedAddress, RefusedByPolicy) as exc:  # it will never be allowed: don't retry for two days
            return Outcome(row, "failed", exc.message)
        except PubHubError as exc:
            return Outcome(row, "retry", exc.message)
        except Exception as exc:  # a bug must not take the worker down; the row is retried
            log.exception("delivery attempt crashed inbox=%s", row.inbox)
            return Outcome(row, "retry", f"{exc.__class__.__name__}: {exc}")
        state = schedule.verdict(response.status)
        return Outcome(row, state, None if state == "done" else f"HTTP {response.status}")

    async def _record(self, outcomes: list[Outcome], now: datetime | None = None) -> None:
        now = now or self.clock.now()
        for outcome in outcomes:
            labelled(DELIVERIES, outcome.state).inc()
        async with self.db.write(background=True) as session:
            await delivery_store.mark_done(session, [o.delivery.id for o in outcomes if o.state == "done"], now)
            for outcome in outcomes:
                row = outcome.delivery
                attempts = row.attempts + 1
                if outcome.state == "done":
                    continue
                next_at = None if outcome.state == "failed" else schedule.next_attempt(
                    now=now, queued_at=row.created_at, attempts=attempts, jitter=self.jitter,
                    base_seconds=self.settings.delivery_base_delay_seconds,
                    max_age=timedelta(seconds=self.settings.delivery_max_age_seconds))
                gives_up = next_at is None
                log.info("delivery %s inbox=%s activity=%s attempts=%d error=%s", "failed" if gives_up else "will retry",
                         row.inbox, self._bodies.get(row.activity_id, ("?",))[0], attempts, outcome.error)
                if gives_up:
                    await delivery_store.mark_failed(session, row.id, outcome.error or "failed", attempts, now)
                else:
                    await delivery_store.reschedule(session, row.id, outcome.error or "retry", attempts, next_at)
