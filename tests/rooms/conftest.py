"""Fixtures the room tests share: two remote actors on the peer (as in tests/federation)."""

from __future__ import annotations

import pytest


@pytest.fixture
def alice(peer):
    return peer.add_actor("alice", key_index=1)


@pytest.fixture
def mallory(peer):
    return peer.add_actor("mallory", key_index=2)
