"""The inbox worker: takes persisted inbound activities, asks the policy seam, and dispatches
them by type.

Rules that need the activity's content (origin, ownership) are checked by the handlers; a
broken rule drops the activity with a logged reason and changes nothing. A policy may refuse
(dropped, with its reason) or hold (kept as `held` for a moderator, not applied).
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections import deque
from dataclasses import dataclass
from datetime import timedelta

import orjson

from ..errors import ActorGone, FetchError, RuleViolation
from ..metrics import INBOX_PROCESSED, labelled
from ..runtime import Runtime
from ..store import activities as activity_store
from ..store import follows as follow_store
from ..store.db import Session
from ..store.activities import ClaimedActivity
from ..social.inbound_batch import InboundBatch
from .context import Batched, Context, Write
from .handlers import dispatch
from .lanes import Lanes
from ..moderation.removals import RemovedPosts
from ..social.media import UnneededMedia
from ..social.poll_updates import PollUpdates
from .retention import InboxRetention

log = logging.getLogger(__name__)
BATCH = 100  # activities claimed at a time
IN_FLIGHT = 1000  # activities claimed and not yet finished, over all lanes
CLAIM_AGAIN = 0.1  # seconds after a claim that found nothing while lanes were busy
# Activities after which "who do our accounts follow" may have changed within a chunk (an Undo
# takes back a remote actor's own Follow of us, never one of ours), and the batch reads the
# follows it looked up again.
CHANGES_OUR_FOLLOWS = {"Accept", "Reject", "Delete"}
# After these (written on their own, not batched), what a batch looked up is read again: a
# Create written on its own (one naming a room) added its note outside the batch's lookups.
CHANGES_NOTES = {"Delete", "Update", "Create"}
LEASE = timedelta(minutes=5)  # renewed while the activity waits in its lane
# Seconds of writes per transaction: long enough for a batch's writes to share a commit, short
# enough that the inbox requests waiting for SQLite's one writer are not held up.
WRITE_BUDGET = 0.02
# While more inbox requests than this are being answered in this process (or one came in
# within QUIET seconds), the worker waits before its next step: a burst is taken in first and
# applied right after, instead of both going at half speed with every request waiting behind
# the worker's transactions. Until the oldest activity it holds has waited MAX_WAIT: from then
# on it applies at full speed beside the requests, so a steady stream is applied too (and the
# backlog's bound, PUBHUB_INBOX_BACKLOG, is what refuses work beyond that).
BUSY = 8
QUIET = 0.02  # seconds since the last inbox request after which a burst is over
MAX_WAIT = timedelta(seconds=3)
LET_IN = 0.001  # seconds the worker yields before it looks whether a burst is on
# Preparing is mostly CPU work: requests get the event loop at least this often (seconds),
# rather than after every activity (a turn of the loop costs about as much as a small one).
YIELD_EVERY = 0.002


class InboxProcessor:
    def __init__(self, rt: Runtime):
        self.rt = rt
        self.lanes = Lanes(self._apply)
        self.retention = InboxRetention(rt)
        self.uploads = UnneededMedia(rt)
        self.removed = RemovedPosts(rt)
        self.polls = PollUpdates(rt)
        self.renew_every = LEASE.total_seconds() / 3
        self.worker = secrets.token_hex(8)  # marks the activities this worker holds
        self.polite = False  # steps aside for inbox requests (running beside them, not draining)

    async def run_due(self) -> int:
        """Apply every pending activity (in arrival order within each origin); how many."""
        before = self.lanes.finished
        await self._pump(stop=None)
        return self.lanes.finished - before

    async def run_forever(self, stop: asyncio.Event) -> None:
        renewing = asyncio.create_task(self._renew_leases(stop), name="inbox-leases")
        self.polite = True
        try:
            await self._pump(stop)
        finally:
            renewing.cancel()
            await self._release(await self.lanes.cancel())

    async def _pump(self, stop: asyncio.Event | None) -> None:
        """Claim into the lanes whenever there is room, until stopped (or, without `stop`,
        until every lane is idle and nothing is pending)."""
        wake, progress = self.rt.inbox_wake, self.lanes.progress
        while stop is None or not stop.is_set():
            await self.retention.prune_if_due()  # finished rows past the dedupe window
            await self.uploads.prune_if_due()  # uploads never posted, copies of deleted remote images
            await self.removed.purge_if_due()  # removed posts past their appeal period
            await self.polls.send_if_due()  # our polls' counts to the servers that have them
            wake.clear()
            progress.clear()
            if (not self._burst() or self.lanes.in_flight < BATCH) and await self._claim():
                continue
            if stop is None and not self.lanes.active:
                return
            if self.lanes.active:
                # Nothing claimed beside what the lanes hold (their servers are full, or a burst
                # is being taken in): a new arrival is most likely theirs again, and each claim
                # scans the waiting rows under the write lock. Look again when a chunk is done,
                # or after a moment (another server's activity waits at most that long).
                await _first_of(progress, stop, timeout=CLAIM_AGAIN)
            else:
                await _first_of(wake, progress, stop, timeout=5)

    async def _claim(self) -> int:
        room = IN_FLIGHT - self.lanes.in_flight
        if room <= 0:
            return 0
        async with self.rt.db.write(background=True) as session:
            rows = await activity_store.claim(session, limit=min(BATCH, room), lease=LEASE, now=self.rt.clock.now(),
                                              worker=self.worker, skip_origins=self.lanes.full_origins())
        self.lanes.add(rows)
        return len(rows)

    async def _apply(self, rows: list[ClaimedActivity]) -> None:
        """One lane's chunk: the activities' fetches first, in order and without the write
        lock; then their writes and outcomes, in as few transactions as WRITE_BUDGET allows,
        each holding the writes of its activities together with their outcomes (an activity
        is applied exactly once, whatever stops the worker)."""
        waiting = deque(rows)
        followed = await self._followed_by_locals(rows)
        while waiting:
            steps, followed = await self._prepare_some(waiting, followed)
            while steps:
                taken: list[Step] = []
                try:
                    await self._write_transaction(steps, taken)
                except Exception:  # e.g. a row the database refuses: find whose, apply the others
                    log.exception("inbox batch failed; writing its %d activities one by one", len(taken))
                    for step in taken:
                        await self._write_alone(step)

    async def _write_transaction(self, steps: deque[Step], taken: list[Step]) -> None:
        """One transaction: steps from the front (each also put in `taken`) and their outcomes."""
        await self._step_aside(steps[0].row)
        async with self.rt.db.write(background=True) as session:
            outcomes = await self._write_some(session, steps, taken)
            await activity_store.finish_many(session, outcomes, now=self.rt.clock.now())
        for _, state, _ in outcomes:
            labelled(INBOX_PROCESSED, state).inc()

    async def _step_aside(self, oldest: ClaimedActivity) -> None:
        """Wait while a burst of inbox requests is being answered, unless `oldest` (the first
        activity of those this lane goes on with) has waited MAX_WAIT already."""
        if not self.polite:
            return
        # First let in the requests that arrived while this worker held the event loop: not
        # yet started, they are not counted, and a burst would look like a lull.
        await asyncio.sleep(LET_IN)
        due = oldest.received_at + MAX_WAIT
        while self._burst() and self.rt.clock.now() < due:
            await asyncio.sleep(0.002)

    def _burst(self) -> bool:
        """Many inbox requests being answered, or one came in just now (their number dips
        after each group commit, and the worker must not jump in at every dip)."""
        rt = self.rt
        return self.polite and (rt.inbox_requests > BUSY or time.monotonic() - rt.inbox_last_request < QUIET)

    async def _write_alone(self, step: Step) -> None:
        try:
            await self._write_transaction(deque([step]), [])
        except Exception as exc:
            await self._write_transaction(deque([Step(step.row, outcome=_crashed(step.row, exc))]), [])

    async def _prepare_some(self, waiting: deque[ClaimedActivity], followed: set[str] | None) -> tuple[deque[Step], set[str] | None]:
        """Prepare activities from the front, up to and including the first Delete: an actor
        that deleted itself must be gone before its next activity is prepared."""
        steps: deque[Step] = deque()
        await self._step_aside(waiting[0])
        turn = time.monotonic()
        while waiting:
            row = waiting.popleft()
            steps.append(await self.prepare(row, followed))
            if time.monotonic() - turn > YIELD_EVERY:
                await asyncio.sleep(0)
                turn = time.monotonic()
            if row.type in CHANGES_OUR_FOLLOWS:
                followed = None  # the prefetched set may be stale from here: ask the database
            if row.type == "Delete":
                break
        return steps, followed

    async def _write_some(self, session: Session, steps: deque[Step], taken: list[Step]) -> list[tuple[int, str, str | None]]:
        """Take steps off the front and write them, until the budget is spent (at least one):
        inbox requests wait for the write lock meanwhile."""
        batch = InboundBatch(session, self.rt.deliveries, self.rt.streams)
        await _look_up(batch, steps)
        began = time.monotonic()
        outcomes = []
        while steps and (not outcomes or time.monotonic() - began < WRITE_BUDGET):
            step = steps.popleft()
            taken.append(step)
            outcomes.append((step.row.id, *await self._write(batch, step)))
            written_alone = step.write is not None and not isinstance(step.write, Batched)
            if written_alone and step.row.type in CHANGES_NOTES | CHANGES_OUR_FOLLOWS:
                batch.forget(notes=step.row.type in CHANGES_NOTES, follows=step.row.type in CHANGES_OUR_FOLLOWS)
                await _look_up(batch, steps)  # what the rest needs, read again at once
        await batch.flush()
        return outcomes

    async def _write(self, batch: InboundBatch, step: Step) -> tuple[str, str | None]:
        row, write = step.row, step.write
        if write is None:
            return step.outcome
        try:
            if isinstance(write, Batched):
                await write.write(batch)
            else:
                await batch.flush()  # it must see what the batch added before it
                async with batch.session.begin_nested():  # a refused activity undoes its own writes only
                    await write(batch.session)
        except RuleViolation as exc:
            return _dropped(row, exc)
        except Exception as exc:
            return _crashed(row, exc)
        return "done", None

    async def _renew_leases(self, stop: asyncio.Event) -> None:
        """Activities waiting behind a slow one in their lane keep their lease."""
        while not stop.is_set():
            await asyncio.sleep(self.renew_every)
            if ids := self.lanes.claimed_ids():
                async with self.rt.db.write(background=True) as session:
                    await activity_store.renew(session, ids, lease=LEASE, now=self.rt.clock.now())

    async def _release(self, ids: list[int]) -> None:
        """Activities taken and not applied when the worker stops: pending again at once."""
        if ids:
            async with self.rt.db.write(background=True) as session:
                await activity_store.release(session, ids)

    async def _followed_by_locals(self, rows: list[ClaimedActivity]) -> set[str]:
        async with self.rt.db.read() as session:
            return await follow_store.followed_by_locals(session, list({row.actor_uri for row in rows}))

    async def prepare(self, row: ClaimedActivity, followed: set[str] | None = None) -> Step:
        """Everything before the writes: the policy, the actor, the handler's checks and
        fetches. A refusal or a broken rule is an outcome already (dropped or held)."""
        try:
            activity = orjson.loads(row.payload)
            decision = await self.rt.policy.apply(row.actor_uri, activity)
            if not decision.allowed:
                state = "held" if decision.held else "dropped"
                log.info("inbox activity %s by policy id=%s type=%s actor=%s reason=%s", state, row.uri, row.type, row.actor_uri, decision.reason)
                return Step(row, outcome=(state, decision.reason))
            actor = await self.rt.actors.get(row.actor_uri)
            return Step(row, write=await dispatch(Context(self.rt, actor, followed), activity))
        except (RuleViolation, FetchError, ActorGone) as exc:
            return Step(row, outcome=_dropped(row, exc))
        except Exception as exc:
            return Step(row, outcome=_crashed(row, exc))


@dataclass
class Step:
    """One activity between its two phases: its writes to run, or its outcome already."""
    row: ClaimedActivity
    write: Write | Batched | None = None
    outcome: tuple[str, str | None] = ("done", None)


def _dropped(row: ClaimedActivity, exc: RuleViolation | FetchError | ActorGone) -> tuple[str, str]:
    """A broken rule or a failed fetch: dropped, with the reason in the log and on the row."""
    log.info("inbox activity dropped id=%s type=%s actor=%s reason=%s", row.uri, row.type, row.actor_uri, exc.message)
    return "dropped", exc.message


def _crashed(row: ClaimedActivity, exc: Exception) -> tuple[str, str]:
    """A bug or a database error: dropped, logged with its trace; the row keeps its kind."""
    log.exception("inbox activity crashed id=%s type=%s", row.uri, row.type)
    return "dropped", f"internal error: {exc.__class__.__name__}"


async def _look_up(batch: InboundBatch, steps: deque[Step]) -> None:
    """Read what the batched writes among `steps` will look up, a few queries for all."""
    batched = [step.write for step in steps if isinstance(step.write, Batched)]
    await batch.look_up(notes=[uri for write in batched for uri in write.notes],
                        follows=[pair for write in batched for pair in write.follows],
                        undone=[uri for write in batched for uri in write.undone])


async def _first_of(*events: asyncio.Event | None, timeout: float) -> None:
    waiters = [asyncio.ensure_future(event.wait()) for event in events if event is not None]
    await asyncio.wait(waiters, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    for waiter in waiters:
        waiter.cancel()
