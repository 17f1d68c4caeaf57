"""The moderator role's instance-wide grant: admins may do everything, users nothing,
moderators what is granted (Mastodon's Moderator role until an admin changes it)."""

from __future__ import annotations

import pytest

from pubhub.accounts.principal import Principal
from pubhub.errors import Forbidden, Unprocessable
from pubhub.moderation.permissions import DEFAULT_GRANT, PERMISSIONS, allows, grant_moderators, require_permission


def _principal(actor) -> Principal:
    return Principal(account=actor, token_id=1, scopes=frozenset({"admin:read", "admin:write"}))


@pytest.fixture
async def staff(instance):
    return {role: _principal(await instance.create_account(f"staff_{role}", role=role)) for role in ("user", "moderator", "admin")}


async def test_admins_may_everything_users_nothing_moderators_the_default_grant(instance, staff):
    async with instance.runtime.db.read() as session:
        table = {(role, name): await allows(session, principal, name)
                 for role, principal in staff.items() for name in PERMISSIONS}
    assert all(table["admin", name] for name in PERMISSIONS)
    assert not any(table["user", name] for name in PERMISSIONS)
    assert {name for name in PERMISSIONS if table["moderator", name]} == set(DEFAULT_GRANT)


async def test_an_admin_changes_what_moderators_may_do(instance, staff):
    async with instance.runtime.db.write() as session:
        await grant_moderators(session, ["manage_federation"])
    async with instance.runtime.db.read() as session:
        assert await allows(session, staff["moderator"], "manage_federation")
        with pytest.raises(Forbidden):
            await require_permission(session, staff["moderator"], "manage_reports")
        await require_permission(session, staff["admin"], "manage_reports")


async def test_an_unknown_permission_is_refused_and_the_grant_kept(instance, staff):
    with pytest.raises(Unprocessable):
        async with instance.runtime.db.write() as session:
            await grant_moderators(session, ["manage_reports", "rule_the_world"])
    async with instance.runtime.db.read() as session:
        assert await allows(session, staff["moderator"], "manage_reports")
        assert not await allows(session, staff["moderator"], "manage_federation")
