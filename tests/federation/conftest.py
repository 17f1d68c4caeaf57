"""Fixtures the federation tests share: our agency account and two remote actors on the peer."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from pubhub.clock import ManualClock


@pytest.fixture
async def gemeente(instance):
    return await instance.create_account("gemeente")


@pytest.fixture
def alice(peer):
    return peer.add_actor("alice", key_index=1)


@pytest.fixture
def mallory(peer):
    return peer.add_actor("mallory", key_index=2)


@pytest.fixture
def clock():
    """A clock the test moves (starting now: peers sign with the real time)."""
    return ManualClock(datetime.now(timezone.utc))
