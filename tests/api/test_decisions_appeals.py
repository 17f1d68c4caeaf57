"""Statements of reasons and appeals over HTTP: the affected account reads the decisions about it
(even while suspended) and appeals each once; a different moderator upholds or reverses; a
reversal undoes the restriction; every refusal changes nothing."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from pubhub.moderation.permissions import grant_moderators
from pubhub.store.models import Appeal, AuditEntry, Statement
from tests.support import store

DECISIONS, APPEALS = "/api/v1/pubhub/decisions", "/api/v1/pubhub/appeals"
ADMIN_SCOPES = "read write admin:read admin:write"


@dataclass
class Cast:
    gemeente: object
    token: str
    deciding: str  # the token of the moderator who takes the decisions
    deciding_id: int
    other: str  # the token of another moderator


@pytest.fixture
async def cast(instance) -> Cast:
    gemeente = await instance.create_account("gemeente")
    first = await instance.create_account("moderator", role="moderator")
    second = await instance.create_account("tweede", role="moderator")
    return Cast(gemeente, await instance.token_for(gemeente), await instance.token_for(first, ADMIN_SCOPES), first.id,
                await instance.token_for(second, ADMIN_SCOPES))


async def _decide(instance, cast: Cast, action: str) -> dict:
    status, body = await instance.request("POST", f"/api/v1/admin/accounts/{cast.gemeente.id}/action", token=cast.deciding,
                                          json={"type": action, "text": "Drie dreigende berichten",
                                                "ground": "Huisregel 2: geen intimidatie"})
    assert status == 200, body
    status, [decision, *_] = await instance.request("GET", DECISIONS, token=cast.token)
    assert status == 200
    return decision


async def _appeal(instance, cast: Cast, decision: dict, text: str = "Het was satire") -> dict:
    status, body = await instance.request("POST", f"{DECISIONS}/{decision['id']}/appeal", token=cast.token,
                                          json={"text": text})
    assert status == 200, body
    return body


async def _snapshot(instance, account_id: int) -> tuple:
    actor = await store.one(instance, store.Actor, store.Actor.id == account_id)
    rows = [(s.id, s.reversed_at) for s in await store.all_of(instance, Statement)]
    appeals = [(a.id, a.state, a.outcome) for a in await store.all_of(instance, Appeal)]
    return actor.suspended_at, actor.silenced_at, rows, appeals, await store.count(instance, AuditEntry)


async def test_a_suspended_account_reads_its_decision_and_a_different_moderator_reverses_it(instance, cast):
    decision = await _decide(instance, cast, "suspend")
    assert (await instance.request("GET", "/api/v1/accounts/verify_credentials", token=cast.token))[0] == 401
    assert (decision["action"], decision["ground_kind"], decision["ground"]) == ("suspend", "rule", "Huisregel 2: geen intimidatie")
    assert (decision["facts"], decision["automated"], decision["appeal"], decision["reversed_at"]) == (
        "Drie dreigende berichten", False, None, None)
    assert decision["target"] == {"type": "account", "account_id": str(cast.gemeente.id), "status_id": None, "uri": None}
    assert f"{DECISIONS}/{decision['id']}/appeal" in decision["redress"]

    appealed = await _appeal(instance, cast, decision)
    assert appealed["appeal"]["state"] == "pending" and appealed["appeal"]["outcome"] is None
    before = await _snapshot(instance, cast.gemeente.id)
    status, body = await instance.request("POST", f"{DECISIONS}/{decision['id']}/appeal", token=cast.token,
                                          json={"text": "Nogmaals"})
    assert status == 422 and "once" in body["error"]
    [pending] = (await instance.request("GET", APPEALS, token=cast.other))[1]
    assert (pending["state"], pending["decision"]["id"]) == ("pending", decision["id"])
    status, body = await instance.request("POST", f"{APPEALS}/{pending['id']}/reverse", token=cast.deciding,
                                          json={"explanation": "Ik zie het anders"})
    assert status == 403 and "different moderator" in body["error"]
    assert await _snapshot(instance, cast.gemeente.id) == before

    status, decided = await instance.request("POST", f"{APPEALS}/{pending['id']}/reverse", token=cast.other,
                                             json={"explanation": "Satire, geen dreiging"})
    assert status == 200 and decided["state"] == "reversed"
    assert (await instance.request("GET", "/api/v1/accounts/verify_credentials", token=cast.token))[0] == 200
    status, shown = await instance.request("GET", f"{DECISIONS}/{decision['id']}", token=cast.token)
    assert shown["reversed_at"] is not None
    assert (shown["appeal"]["state"], shown["appeal"]["outcome"]) == ("reversed", "Satire, geen dreiging")
    entries = await store.all_of(instance, AuditEntry)
    assert [e.action for e in entries] == ["account.suspend", "appeal.create", "account.unsuspend", "appeal.reverse"]
    assert all(e.statement_id == int(decision["id"]) for e in entries)


async def test_an_upheld_appeal_keeps_the_decision_and_is_decided_once(instance, cast):
    decision = await _decide(instance, cast, "silence")
    await _appeal(instance, cast, decision)
    [pending] = (await instance.request("GET", APPEALS, token=cast.other))[1]
    status, decided = await instance.request("POST", f"{APPEALS}/{pending['id']}/uphold", token=cast.other,
                                             json={"explanation": "De berichten waren bedreigend"})
    assert status == 200 and decided["state"] == "upheld"
    before = await _snapshot(instance, cast.gemeente.id)
    assert before[1] is not None  # still silenced
    status, body = await instance.request("POST", f"{APPEALS}/{pending['id']}/reverse", token=cast.other,
                                          json={"explanation": "Toch niet"})
    assert status == 422 and "upheld already" in body["error"]
    assert await _snapshot(instance, cast.gemeente.id) == before
    status, shown = await instance.request("GET", f"{DECISIONS}/{decision['id']}", token=cast.token)
    assert (shown["appeal"]["state"], shown["reversed_at"]) == ("upheld", None)


async def test_pending_appeals_come_first(instance, cast):
    first = await _decide(instance, cast, "silence")
    await _appeal(instance, cast, first)
    [pending] = (await instance.request("GET", APPEALS, token=cast.other))[1]
    await instance.request("POST", f"{APPEALS}/{pending['id']}/uphold", token=cast.other, json={"explanation": "Terecht"})
    second = await _decide(instance, cast, "sensitive")
    await _appeal(instance, cast, second)
    status, listed = await instance.request("GET", APPEALS, token=cast.other)
    assert [(a["decision"]["id"], a["state"]) for a in listed] == [(second["id"], "pending"), (first["id"], "upheld")]
    status, listed = await instance.request("GET", APPEALS, token=cast.other, params={"state": "upheld"})
    assert [a["state"] for a in listed] == ["upheld"]


async def test_others_cannot_read_appeal_or_decide(instance, cast):
    decision = await _decide(instance, cast, "silence")
    stranger = await instance.token_for(await instance.create_account("vreemde"))
    before = await _snapshot(instance, cast.gemeente.id)
    assert (await instance.request("GET", f"{DECISIONS}/{decision['id']}", token=stranger))[0] == 404
    assert (await instance.request("GET", DECISIONS, token=stranger))[1] == []
    assert (await instance.request("POST", f"{DECISIONS}/{decision['id']}/appeal", token=stranger,
                                   json={"text": "Namens haar"}))[0] == 404
    assert (await instance.request("POST", f"{DECISIONS}/999999/appeal", token=cast.token, json={"text": "x"}))[0] == 404
    status, body = await instance.request("POST", f"{DECISIONS}/{decision['id']}/appeal", token=cast.token,
                                          json={"text": "  "})
    assert status == 422
    read_only = await instance.token_for(cast.gemeente, "read")
    assert (await instance.request("POST", f"{DECISIONS}/{decision['id']}/appeal", token=read_only,
                                   json={"text": "x"}))[0] == 403
    assert await _snapshot(instance, cast.gemeente.id) == before

    await _appeal(instance, cast, decision)
    appeal_id = (await store.all_of(instance, Appeal))[0].id
    before = await _snapshot(instance, cast.gemeente.id)
    for token, expected in ((stranger, 403), (cast.token, 403)):
        assert (await instance.request("GET", APPEALS, token=token))[0] == expected
    no_scope = await instance.token_for(await instance.create_account("derde", role="moderator"), "read write")
    assert (await instance.request("POST", f"{APPEALS}/{appeal_id}/reverse", token=no_scope,
                                   json={"explanation": "x"}))[0] == 403
    assert (await instance.request("POST", f"{APPEALS}/999999/reverse", token=cast.other,
                                   json={"explanation": "x"}))[0] == 404
    assert (await instance.request("POST", f"{APPEALS}/{appeal_id}/reverse", token=cast.other,
                                   json={"explanation": ""}))[0] == 422
    async with instance.runtime.db.write() as session:
        await grant_moderators(session, ["manage_users"])
    assert (await instance.request("POST", f"{APPEALS}/{appeal_id}/reverse", token=cast.other,
                                   json={"explanation": "Onterecht"}))[0] == 403
    assert (await instance.request("GET", APPEALS, token=cast.other))[0] == 403
    assert await _snapshot(instance, cast.gemeente.id) == before
