"""The delivery schedule, as pure rules: what an answer means, when to try again, when to give up.

- 2xx: done. 408, 429 and 5xx: try again later. Any other 4xx: the receiver refused it for
  good (failed at once).
- The n-th retry waits base * 2^(n-1) (30 s, 1 min, 2 min, ...) with ±10 % jitter, at most
  12 h; given up once the next attempt would fall more than `max_age` after the delivery was
  queued (about 2 days).
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

RETRY_STATUSES = {408, 429}
MAX_BACKOFF = timedelta(hours=12)
JITTER = 0.1


def verdict(status: int) -> str:
    """done | retry | failed for an HTTP answer to a delivery."""
    if 200 <= status < 300:
        return "done"
    if 400 <= status < 500 and status not in RETRY_STATUSES:
        return "failed"
    return "retry"


def backoff(attempts: int, base_seconds: float, jitter: random.Random) -> timedelta:
    """How long to wait after the `attempts`-th failed attempt."""
    seconds = base_seconds * (2 ** (attempts - 1)) * jitter.uniform(1 - JITTER, 1 + JITTER)
    return min(MAX_BACKOFF, timedelta(seconds=seconds))


def next_attempt(*, now: datetime, queued_at: datetime, attempts: int, base_seconds: float, max_age: timedelta,
                 jitter: random.Random) -> datetime | None:
    """When to try again after a retryable failure, or None to give up (too old by then)."""
    at = now + backoff(attempts, base_seconds, jitter)
    return None if at - queued_at > max_age else at
