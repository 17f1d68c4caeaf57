"""Attribute-gated rooms over real HTTP, with a test Yivi server: a room that joins by
attributes refuses a member without proof; a valid Yivi proof lets a local member join and post;
forged, replayed or unsatisfying proofs are refused with nothing kept; a rule change or a
moderator's revocation asks for proof again; the disclosed values are in neither the database
nor the logs."""

from __future__ import annotations

import logging

import pytest

from tests.support import store
from tests.support.instance import Instance

CITY = "pbdf.sidn-pbdf.email.email"  # an e-mail address at the municipality
BIRTH = "pbdf.gemeente.personalData.dateofbirth"
RULE = {"all": [{"attribute": CITY, "suffix": "@nijmegen.nl"}, {"attribute": BIRTH, "min_age": 16}]}
# Values no other part of a test writes (the rule holds only the suffix), so that finding them
# anywhere means they leaked.
SECRET_CITY, SECRET_BIRTH = "j.de.vries.7731@nijmegen.nl", "17-03-1987"


@pytest.fixture
async def gated(database_url, yivi, tmp_path):
    config = {"PUBHUB_IDENTITY_VERIFIERS": "yivi", **yivi.config(tmp_path)}
    server = await Instance(database_url, identity_verifiers=("yivi",), plugin_config=tuple(config.items())).start()
    yield server
    await server.stop()


@pytest.fixture
async def room(gated):
    admin = await gated.token_for(await gated.create_account("beheerder", role="admin"), "read write admin:read admin:write")
    status, hub = await gated.request("POST", "/api/v1/pubhub/hubs", token=admin, json={"slug": "nijmegen", "name": "Nijmegen"})
    assert status == 200, hub
    status, made = await gated.request("POST", f"/api/v1/pubhub/hubs/{hub['id']}/rooms", token=admin, json={
        "slug": "wijkraad", "name": "Wijkraad", "join": "attributes", "rule": RULE})
    assert status == 200, made
    assert made["policy"]["join"] == "attributes" and made["policy"]["rule"] == RULE
    return made, admin


async def _citizen(gated, name: str = "burger"):
    account = await gated.create_account(name)
    return account, await gated.token_for(account)


async def _join(gated, token: str, room: dict) -> tuple[int, dict]:
    return await gated.request("POST", f"/api/v1/accounts/{room['account']['id']}/follow", token=token)


async def _prove(gated, yivi, token: str, room: dict, values: dict) -> tuple[int, dict]:
    status, started = await gated.request("POST", f"/api/v1/pubhub/rooms/{room['id']}/verifications", token=token)
    assert status == 200, started
    assert started["attributes"] == [CITY, BIRTH] and started["client"]["sessionPtr"]["irmaqr"] == "disclosing"
    yivi.disclose(next(iter(yivi.sessions)) if len(yivi.sessions) == 1 else _latest(yivi), values)
    return await gated.request("POST", f"/api/v1/pubhub/verifications/{started['id']}/complete", token=token)


def _latest(yivi) -> str:
    return list(yivi.sessions)[-1]


async def test_a_proof_lets_a_local_member_join_and_post(gated, yivi, room, caplog):
    made, _admin = room
    burger, token = await _citizen(gated)
    status, body = await _join(gated, token, made)
    assert status == 403 and "verify first" in body["error"]
    assert await store.count(gated, store.Follow) == 0

    with caplog.at_level(logging.DEBUG):
        status, outcome = await _prove(gated, yivi, token, made, {CITY: SECRET_CITY, BIRTH: SECRET_BIRTH})
    assert status == 200, outcome
    assert outcome["room_id"] == made["id"] and outcome["provider"] == "yivi" and outcome["rule_version"] == 1
    status, relation = await _join(gated, token, made)
    assert status == 200 and relation["following"] is True
    posted = await gated.post_status(token, status="@wijkraad Wanneer is de volgende vergadering?")
    code, fate = await gated.request("GET", f"/api/v1/pubhub/statuses/{posted['id']}/moderation", token=token)
    assert [f["state"] for f in fate] == ["approved"]

    # Only the outcome is kept; the values are nowhere.
    [kept] = await store.all_of(gated, store.AttributeVerification)
    assert (kept.actor_id, kept.rule_version, kept.provider) == (burger.id, 1, "yivi")
    await gated.runtime.db.close()  # everything on disk
    database = gated.settings.database_url
    if database.startswith("sqlite"):
        path = database.split("///", 1)[1]
        raw = b"".join(open(p, "rb").read() for p in (path, path + "-wal") if _exists(p))
        assert SECRET_CITY.encode() not in raw and SECRET_BIRTH.encode() not in raw
    else:
        assert not await _in_postgres(gated, (SECRET_CITY, SECRET_BIRTH))
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert SECRET_CITY not in logged and SECRET_BIRTH not in logged


def _exists(path: str) -> bool:
    import os
    return os.path.exists(path)


async def _in_postgres(gated, values) -> bool:
    """Whether any text column of any table holds one of `values` (PostgreSQL: a dump of every row)."""
    import asyncpg

    url = gated.settings.database_url.replace("postgresql+asyncpg://", "postgresql://")
    connection = await asyncpg.connect(url)
    try:
        tables = [row["tablename"] for row in await connection.fetch("SELECT tablename FROM pg_tables WHERE schemaname='public'")]
        for table in tables:
            for row in await connection.fetch(f'SELECT row_to_json(t)::text AS j FROM "{table}" t'):
                if any(value in row["j"] for value in values):
                    return True
        return False
    finally:
        await connection.close()


@pytest.mark.parametrize("spoil", ["other-key", "none", "hs256-public-key"])
async def test_a_forged_proof_is_refused_and_nothing_is_kept(gated, yivi, room, spoil):
    made, _admin = room
    _burger, token = await _citizen(gated)
    status, started = await gated.request("POST", f"/api/v1/pubhub/rooms/{made['id']}/verifications", token=token)
    yivi.disclose(_latest(yivi), {CITY: SECRET_CITY, BIRTH: SECRET_BIRTH})
    yivi.sessions[_latest(yivi)].signing = spoil
    status, body = await gated.request("POST", f"/api/v1/pubhub/verifications/{started['id']}/complete", token=token)
    assert status == 422 and "the proof is refused" in body["error"]
    assert await store.count(gated, store.AttributeVerification) == 0
    assert (await _join(gated, token, made))[0] == 403
    # The session is used: the same session cannot be completed again, even with a good result now.
    yivi.sessions[_latest(yivi)].signing = "server"
    status, body = await gated.request("POST", f"/api/v1/pubhub/verifications/{started['id']}/complete", token=token)
    assert status == 422 and "used already" in body["error"]
    assert await store.count(gated, store.AttributeVerification) == 0


async def test_a_replayed_completion_is_refused(gated, yivi, room):
    made, _admin = room
    _burger, token = await _citizen(gated)
    status, started = await gated.request("POST", f"/api/v1/pubhub/rooms/{made['id']}/verifications", token=token)
    yivi.disclose(_latest(yivi), {CITY: SECRET_CITY, BIRTH: SECRET_BIRTH})
    path = f"/api/v1/pubhub/verifications/{started['id']}/complete"
    assert (await gated.request("POST", path, token=token))[0] == 200
    status, body = await gated.request("POST", path, token=token)
    assert status == 422 and "used already" in body["error"]
    # Nor can someone else complete another's session.
    _other, other_token = await _citizen(gated, "ander")
    status, started = await gated.request("POST", f"/api/v1/pubhub/rooms/{made['id']}/verifications", token=token)
    status, body = await gated.request("POST", f"/api/v1/pubhub/verifications/{started['id']}/complete",
                                       token=other_token)
    assert status == 404
    assert await store.count(gated, store.AttributeVerification) == 1


@pytest.mark.parametrize("values, reason", [
    ({CITY: "j.de.vries@arnhem.nl", BIRTH: SECRET_BIRTH}, "do not satisfy"),
    ({CITY: SECRET_CITY, BIRTH: "01-01-2020"}, "do not satisfy"),   # too young
    ({CITY: SECRET_CITY}, "the proof is refused"),                  # not every attribute asked
])
async def test_a_proof_that_does_not_satisfy_the_rule_is_refused(gated, yivi, room, values, reason):
    made, _admin = room
    _burger, token = await _citizen(gated)
    status, body = await _prove(gated, yivi, token, made, values)
    assert status in (403, 422) and reason in body["error"]
    assert await store.count(gated, store.AttributeVerification) == 0
    assert (await _join(gated, token, made))[0] == 403


async def test_a_rule_change_or_a_revocation_asks_for_proof_again(gated, yivi, room):
    made, admin = room
    burger, token = await _citizen(gated)
    assert (await _prove(gated, yivi, token, made, {CITY: SECRET_CITY, BIRTH: SECRET_BIRTH}))[0] == 200
    assert (await _join(gated, token, made))[0] == 200

    stricter = {"all": [{"attribute": CITY, "suffix": "@nijmegen.nl"}, {"attribute": BIRTH, "min_age": 18}]}
    status, changed = await gated.request("PATCH", f"/api/v1/pubhub/rooms/{made['id']}", token=admin, json={"rule": stricter})
    assert status == 200 and changed["policy"]["rule_version"] == 2
    posted = await gated.post_status(token, status="@wijkraad Nog iemand?")
    code, fate = await gated.request("GET", f"/api/v1/pubhub/statuses/{posted['id']}/moderation", token=token)
    assert [f["state"] for f in fate] == ["rejected"] and "verify first" in fate[0]["reason"]

    assert (await _prove(gated, yivi, token, made, {CITY: SECRET_CITY, BIRTH: SECRET_BIRTH}))[0] == 200
    status, _ = await gated.request("POST", f"/api/v1/pubhub/rooms/{made['id']}/members/{burger.id}/revoke_verification",
                                    token=admin, json={"reason": "Verhuisd naar Arnhem"})
    assert status == 200
    posted = await gated.post_status(token, status="@wijkraad En nu?")
    code, fate = await gated.request("GET", f"/api/v1/pubhub/statuses/{posted['id']}/moderation", token=token)
    assert [f["state"] for f in fate] == ["rejected"]
    status, log = await gated.request("GET", f"/api/v1/pubhub/rooms/{made['id']}/log", token=admin)
    actions = [entry["action"] for entry in log]
    assert actions.count("verified") == 2 and "rule_changed" in actions and "verification_revoked" in actions


async def test_a_bad_rule_is_refused_when_saved(gated, room):
    made, admin = room
    status, body = await gated.request("PATCH", f"/api/v1/pubhub/rooms/{made['id']}", token=admin,
                                       json={"rule": {"all": [{"attribute": CITY, "min_age": "zestien"}]}})
    assert status == 400 and "rule.all[0].min_age" in body["error"]
    status, body = await gated.request("POST", f"/api/v1/pubhub/hubs/{made['hub_id']}/rooms", token=admin,
                                       json={"slug": "zonderregel", "name": "Zonder", "join": "attributes"})
    assert status == 422 and "needs its attribute rule" in body["error"]
    status, shown = await gated.request("GET", f"/api/v1/pubhub/rooms/{made['id']}", token=admin)
    assert shown["policy"]["rule"] == RULE and shown["policy"]["rule_version"] == 1


async def test_an_open_room_or_an_instance_without_verifiers_has_nothing_to_prove(instance):
    token = await instance.token_for(await instance.create_account("burger"))
    status, body = await instance.request("POST", "/api/v1/pubhub/rooms/1/verifications", token=token)
    assert status == 503 and "no identity verifier" in body["error"]
