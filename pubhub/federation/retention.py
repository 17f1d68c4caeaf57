"""Forgetting finished inbound activities: once a row is older than the retention window
(`Settings.inbox_retention_seconds`) its id is no longer needed to recognise a re-sent copy,
and the inbox worker deletes it. Asked on every round of the worker, it prunes at most every
PRUNE_EVERY seconds, in short transactions, so the inbox queue is never held up for long."""

from __future__ import annotations

import logging
from datetime import timedelta

from ..runtime import Runtime
from ..store import activities as activity_store

log = logging.getLogger(__name__)
PRUNE_EVERY = 600.0  # seconds
BATCH = 1000  # rows per DELETE: a short write transaction (SQLite has one writer)
BATCHES_PER_ROUND = 10  # a backlog is worked off over several rounds


class InboxRetention:
    def __init__(self, rt: Runtime):
        self.rt = rt
        self._next_round: float | None = None  # monotonic seconds; None: prune at once

    async def prune_if_due(self) -> int:
        """Delete finished rows past the retention window, if a round is due; how many."""
        now = self.rt.clock.monotonic()
        if self._next_round is not None and now < self._next_round:
            return 0
        self._next_round = now + PRUNE_EVERY
        finished_before = self.rt.clock.now() - timedelta(seconds=self.rt.settings.inbox_retention_seconds)
        pruned = 0
        for _ in range(BATCHES_PER_ROUND):
            async with self.rt.db.write(background=True) as session:
                deleted = await activity_store.prune_finished(session, finished_before=finished_before, limit=BATCH)
            pruned += deleted
            if deleted < BATCH:
                break
        else:
            self._next_round = now  # a backlog is left: carry on next round
        if pruned:
            log.info("inbox activities pruned count=%s finished_before=%s", pruned, finished_before.isoformat())
        return pruned
