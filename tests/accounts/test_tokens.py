"""Making tokens: the scopes stored fit the column (255 characters; a longer list is refused
with advice), at least one scope is needed, and the token is stamped by the injected clock."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from pubhub.accounts.principal import SCOPES
from pubhub.accounts.tokens import create_token
from pubhub.clock import ManualClock
from pubhub.errors import BadRequest
from tests.support import store
from tests.support.instance import Instance


def scopes_of_length(length: int) -> str:
    """Distinct scopes joined by spaces, exactly `length` characters long (a subset sum)."""
    reachable: dict[int, list[str]] = {0: []}  # sum of len(scope) + 1 over the chosen → scopes
    for scope in sorted(SCOPES):
        for total, chosen in list(reachable.items()):
            reachable.setdefault(total + len(scope) + 1, chosen + [scope])
    return " ".join(reachable[length + 1])


@pytest.mark.parametrize("length, accepted", [(255, True), (256, False)])
async def test_the_stored_scopes_fit_in_255_characters(instance, length, accepted):
    admin = await instance.create_account("beheer", role="admin")
    scopes = scopes_of_length(length)
    assert len(scopes) == length
    async with instance.runtime.db.write() as session:
        if accepted:
            await create_token(session, admin, now=instance.runtime.clock.now(), name="cli", scopes=scopes)
        else:
            with pytest.raises(BadRequest, match=r"^too many scopes: use the broad ones \(read, write, admin:read, \.\.\.\)$"):
                await create_token(session, admin, now=instance.runtime.clock.now(), name="cli", scopes=scopes)
    assert await store.count(instance, store.Token) == (1 if accepted else 0)


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
