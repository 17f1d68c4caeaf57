"""How far behind the queues are, for the metrics: rows waiting and the oldest one's age."""

from __future__ import annotations

from ..runtime import Runtime
from ..store import activities as activity_store
from ..store import deliveries as delivery_store


async def queue_stats(rt: Runtime) -> dict[str, tuple[int, float]]:
    """{queue: (waiting rows, age of the oldest in seconds)} for `inbox` and `deliveries`."""
    now = rt.clock.now()
    async with rt.db.read() as session:
        found = {"inbox": await activity_store.pending_stats(session),
                 "deliveries": await delivery_store.pending_stats(session)}
    return {queue: (count, max(0.0, (now - oldest).total_seconds()) if oldest else 0.0)
            for queue, (count, oldest) in found.items()}
