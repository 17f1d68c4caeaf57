"""Arbitrary JSON (and arbitrary forms) at every write endpoint of the client API, over real
HTTP: never a server error, and nothing published that the caller did not send as text."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from pubhub.store.models import Actor, Object

NAMES = ["status", "visibility", "in_reply_to_id", "spoiler_text", "sensitive", "language", "media_ids", "poll",
         "display_name", "note", "locked", "bot", "fields_attributes", "name", "value", "reblogs", "notify",
         "languages", "0", "limit", "account_id", "status_ids", "comment", "category", "rule_ids", "forward"]
WORDS = ["public", "direct", "true", "0", "1", "", "Hallo @bob", "#tag", "x" * 600, "12", "name", "value"]

scalars = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
           | st.sampled_from(WORDS))
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(st.sampled_from(NAMES), inner, max_size=4), max_leaves=10)
json_bodies = st.dictionaries(st.sampled_from(NAMES) | st.text(max_size=8), json_values, max_size=6) | json_values
form_bodies = st.dictionaries(st.sampled_from(NAMES + ["fields_attributes[0][name]", "media_ids[]", "status[]"])
                              | st.text(min_size=1, max_size=8), st.text(max_size=20) | st.sampled_from(WORDS), max_size=6)

# (method, path template); {bob} is another account, {status} one of the caller's statuses.
ENDPOINTS = [
    ("POST", "/api/v1/statuses"),
    ("DELETE", "/api/v1/statuses/{status}"),
    ("POST", "/api/v1/accounts/{bob}/follow"),
    ("POST", "/api/v1/accounts/{bob}/unfollow"),
    ("POST", "/api/v1/follow_requests/{bob}/authorize"),
    ("POST", "/api/v1/follow_requests/{bob}/reject"),
    ("PATCH", "/api/v1/accounts/update_credentials"),
    ("POST", "/api/v1/reports?account_id={bob}"),  # (the body's account_id, if any, wins)
]


async def _setup(instance) -> dict:
    """The accounts (made once: the instance outlives the examples) and a status to delete."""
    async with instance.runtime.db.read() as session:
        have = {a.username: a for a in (await session.execute(select(Actor).where(Actor.local.is_(True)))).scalars()}
    gemeente = have.get("gemeente") or await instance.create_account("gemeente", manually_approves=True)
    bob = have.get("bob") or await instance.create_account("bob")
    token = await instance.token_for(gemeente)
    status, body = await instance.request("POST", "/api/v1/statuses", token=token, json={"status": "Te verwijderen"})
    assert status == 200, body
    return {"token": token, "bob": bob.id, "status": body["id"]}


def _published_as_sent(sent, answer: dict) -> None:
    """A status was published: its text is exactly the string the caller sent."""
    assert isinstance(sent, dict) and isinstance(sent.get("status"), str), sent
    assert answer["text"] == sent["status"].strip()


def _profile_as_sent(sent, answer: dict) -> None:
    if not isinstance(sent, dict):
        return  # a form: everything in it is text
    if "display_name" in sent and sent["display_name"] is not None:
        assert isinstance(sent["display_name"], str) and answer["display_name"] == sent["display_name"].strip()
    if "note" in sent and sent["note"] is not None:
        assert isinstance(sent["note"], str) and answer["source"]["note"] == sent["note"].strip()
    for field in answer["source"]["fields"]:
        assert isinstance(field["name"], str) and isinstance(field["value"], str)


@pytest.mark.parametrize("method, template", ENDPOINTS)
@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
async def test_any_json_or_form_is_answered_without_a_server_error(instance, method, template, data):
    world = await _setup(instance)
    path = template.format(**world)
    as_json = data.draw(st.booleans(), label="as json")
    body = data.draw(json_bodies if as_json else form_bodies, label="body")
    sending = {"json": body} if as_json else {  # urlencoded by hand: any key, control characters too
        "data": urlencode(body), "headers": {"Content-Type": "application/x-www-form-urlencoded"}}
    before = await _stored_texts(instance)
    status, answer = await instance.request(method, path, token=world["token"], **sending)
    assert status in (200, 400, 403, 404, 422), (status, answer)
    assert isinstance(answer, dict) or isinstance(answer, list), answer
    if status != 200:
        assert answer["error"], answer
        assert await _stored_texts(instance) == before  # refused: nothing published
        return
    if template == "/api/v1/statuses":
        _published_as_sent(body if as_json else {"status": body.get("status")}, answer)
    if template.endswith("update_credentials"):
        _profile_as_sent(body if as_json else None, answer)
    for text in await _stored_texts(instance) - before:
        assert text is None or text in _strings_in(body), text


async def _stored_texts(instance) -> set:
    async with instance.runtime.db.read() as session:
        return set((await session.execute(select(Object.source_text).where(Object.deleted_at.is_(None)))).scalars())


def _strings_in(value) -> set[str]:
    """Every string in a JSON value (stripped as a status is), to check a published text against."""
    if isinstance(value, str):
        return {value.strip()}
    if isinstance(value, dict):
        return set().union(*(_strings_in(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(_strings_in(v) for v in value)) if value else set()
    return set()
