"""Fixtures the federation tests share: our agency account and a clock they move (the remote
actors alice and mallory are in tests/conftest.py)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from pubhub.clock import ManualClock


@pytest.fixture
async def gemeente(instance):
    return await instance.create_account("gemeente")


@pytest.fixture
def clock():
    """A clock the test moves (starting now: peers sign with the real time)."""
    return ManualClock(datetime.now(timezone.utc))
