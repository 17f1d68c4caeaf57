"""Fixtures the federation tests share: our agency account (the remote actors alice and
mallory, and the clock tests move, are in tests/conftest.py)."""

from __future__ import annotations

import pytest


@pytest.fixture
async def gemeente(instance):
    return await instance.create_account("gemeente")


