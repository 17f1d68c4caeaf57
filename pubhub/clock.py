"""Time, injected: every rule about expiry and freshness asks a Clock, so tests move time
instead of sleeping or patching."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone


class Clock:
    """The real time: wall-clock UTC for what is stored and compared with other servers,
    monotonic seconds for rates and timeouts inside this process."""

    def now(self) -> datetime:
        return datetime.now(timezone.utc)

    def monotonic(self) -> float:
        return time.monotonic()


class ManualClock(Clock):
    """A clock that moves only when told to (tests)."""

    def __init__(self, start: datetime | None = None):
        self._now = start or datetime.now(timezone.utc)
        self._monotonic = 1000.0

    def now(self) -> datetime:
        return self._now

    def monotonic(self) -> float:
        return self._monotonic

    def advance(self, seconds: float) -> None:
        self._now += timedelta(seconds=seconds)
        self._monotonic += seconds


SYSTEM_CLOCK = Clock()
