"""The delivery schedule's rules at their edges (pubhub/activitypub/schedule.py): the jitter's
exact bounds, the 12 h cap, and giving up only past the maximum age."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import pytest

from pubhub.activitypub import schedule


class Extreme(random.Random):
    """A jitter that always draws the lower (or upper) bound."""

    def __init__(self, upper: bool):
        super().__init__(0)
        self.upper = upper

    def uniform(self, a, b):
        return b if self.upper else a


@pytest.mark.parametrize("attempts, low, high", [(1, 27, 33), (2, 54, 66), (3, 108, 132), (11, 27648, 33792)])
def test_backoff_is_30_s_doubling_with_ten_percent_jitter(attempts, low, high):
    assert schedule.backoff(attempts, 30, Extreme(upper=False)) == timedelta(seconds=low)
    assert schedule.backoff(attempts, 30, Extreme(upper=True)) == timedelta(seconds=high)


@pytest.mark.parametrize("attempts", [12, 13, 40])
def test_backoff_is_capped_at_12_hours(attempts):
    assert schedule.backoff(attempts, 30, Extreme(upper=False)) == timedelta(hours=12)


def test_give_up_only_past_the_maximum_age():
    queued = datetime(2026, 11, 23, tzinfo=timezone.utc)
    max_age = timedelta(days=2)
    wait = schedule.backoff(5, 30, Extreme(upper=True))
    exactly = queued + max_age - wait
    kwargs = dict(queued_at=queued, attempts=5, base_seconds=30, max_age=max_age)
    assert schedule.next_attempt(now=exactly, jitter=Extreme(upper=True), **kwargs) == queued + max_age
    assert schedule.next_attempt(now=exactly + timedelta(seconds=1), jitter=Extreme(upper=True), **kwargs) is None


@pytest.mark.parametrize("status, verdict", [
    (200, "done"), (202, "done"), (299, "done"), (300, "retry"), (199, "retry"),
    (400, "failed"), (403, "failed"), (410, "failed"), (499, "failed"),
    (408, "retry"), (429, "retry"), (500, "retry"), (503, "retry"),
])
def test_what_an_answer_means(status, verdict):
    assert schedule.verdict(status) == verdict
