"""A decision's statement of reasons and its audit entry are written together, name what they
are about, and a decision without a ground is refused before anything is written."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from pubhub.errors import Unprocessable
from pubhub.accountability import audit
from pubhub.accountability.reasons import Grounds, record_decision
from pubhub.store.models import AuditEntry, Object, Statement


@pytest.fixture
async def people(instance):
    moderator = await instance.create_account("moderator", role="moderator")
    author = await instance.create_account("author")
    return moderator, author


async def test_a_decision_on_an_account_states_its_reasons_and_is_audited(instance, people):
    moderator, author = people
    now = instance.runtime.clock.now()
    async with instance.runtime.db.write() as session:
        statement = await record_decision(session, by=moderator, action="suspend", account=author, now=now,
                                          grounds=Grounds(kind="rule", text="2. No harassment", facts="Threats"))
    async with instance.runtime.db.read() as session:
        stored = await session.get(Statement, statement.id)
        entries = list((await session.execute(select(AuditEntry))).scalars())
    assert (stored.action, stored.account_id, stored.moderator_id) == ("suspend", author.id, moderator.id)
    assert (stored.ground_kind, stored.ground, stored.facts, stored.automated) == ("rule", "2. No harassment", "Threats", False)
    assert f"/api/v1/pubhub/decisions/{statement.id}/appeal" in stored.redress
    [entry] = entries
    assert (entry.action, entry.target_type, entry.target_id, entry.target) == ("account.suspend", "account", str(author.id), "author")
    assert (entry.actor_id, entry.actor_name, entry.statement_id, entry.reason) == (moderator.id, "moderator", statement.id, "Threats")


async def test_a_decision_on_a_post_names_the_post_and_its_author(instance, people):
    moderator, author = people
    token = await instance.token_for(author)
    post = await instance.post_status(token, status="Hello")
    async with instance.runtime.db.write() as session:
        note = await session.get(Object, int(post["id"]))
        statement = await record_decision(session, by=None, action="remove", status=note, now=instance.runtime.clock.now(),
                                          grounds=Grounds(kind="law", text="Wetboek van Strafrecht art. 137d"))
        entry = (await session.execute(select(AuditEntry))).scalar_one()
    assert (statement.account_id, statement.object_id, statement.object_uri) == (author.id, note.id, note.uri)
    assert statement.automated is True  # no moderator: the instance's own policy
    assert (entry.action, entry.target, entry.actor_id) == ("status.remove", note.uri, None)


@pytest.mark.parametrize("grounds", [Grounds(kind="rule", text="  "), Grounds(kind="whim", text="because"),
                                     Grounds(kind="law", text="x" * 5001)])
async def test_a_decision_without_a_proper_ground_writes_nothing(instance, people, grounds):
    moderator, author = people
    with pytest.raises(Unprocessable):
        async with instance.runtime.db.write() as session:
            await record_decision(session, by=moderator, action="silence", account=author, grounds=grounds,
                                  now=instance.runtime.clock.now())
    async with instance.runtime.db.read() as session:
        counts = [(await session.execute(select(func.count()).select_from(table))).scalar_one()
                  for table in (Statement, AuditEntry)]
    assert counts == [0, 0]


async def test_an_audit_entry_keeps_the_names_it_was_given(instance, people):
    moderator, _ = people
    async with instance.runtime.db.write() as session:
        entry = await audit.record(session, by=moderator, action="domain_block.create",
                                   target=("domain_block", 7, "spam.example"), now=instance.runtime.clock.now())
    assert (entry.actor_name, entry.target_type, entry.target_id, entry.target, entry.hub_id) == (
        "moderator", "domain_block", "7", "spam.example", None)
