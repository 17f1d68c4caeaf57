"""The test Yivi server (tests/support/yivi.py), for the identity tests."""

from __future__ import annotations

import pytest

from tests.support.yivi import YiviTestServer


@pytest.fixture
async def yivi():
    server = await YiviTestServer().start()
    yield server
    await server.stop()
