"""Making tokens: the scopes stored fit the column (1,024 characters: every scope at once fits,
as an OAuth app may ask for many sub-scopes), at least one scope is needed, and the token is
stamped by the injected clock."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from pubhub.accounts.principal import SCOPES
from pubhub.accounts.tokens import create_token
from pubhub.clock import ManualClock
from pubhub.errors import BadRequest
from tests.support import store
from tests.support.instance import Instance


async def test_every_scope_at_once_fits_the_column(instance):
    admin = await instance.create_account("beheer", role="admin")
    scopes = " ".join(sorted(SCOPES))
    assert 255 < len(scopes) <= 1024
    async with instance.runtime.db.write() as session:
        await create_token(session, admin, now=instance.runtime.clock.now(), name="cli", scopes=scopes)
    stored = await store.one(instance, store.Token, store.Token.actor_id == admin.id)
    assert stored.scopes == scopes


async def test_at_least_one_scope_is_needed(instance):
    actor = await instance.create_account("gemeente")
    async with instance.runtime.db.write() as session:
        with pytest.raises(BadRequest, match="^at least one scope is required$"):
            await create_token(session, actor, now=instance.runtime.clock.now(), name="cli", scopes="   ")


async def test_a_token_is_stamped_by_the_clock_and_keeps_its_name(database_url):
    clock = ManualClock(datetime(2026, 11, 23, 9, 30, tzinfo=timezone.utc))
    server = await Instance(database_url, clock=clock).start()
    try:
        actor = await server.create_account("gemeente")
        async with server.runtime.db.write() as session:
            await create_token(session, actor, now=clock.now(), name="nieuwsbrief")
        token = await store.one(server, store.Token)
        assert (token.name, token.created_at, token.scopes) == ("nieuwsbrief", clock.now(), "read write follow")
    finally:
        await server.stop()
