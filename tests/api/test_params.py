"""Client API parameters have declared types: form, JSON and query are all taken (booleans
as Mastodon writes them), and a value of the wrong type is a 422 with Mastodon's body, never
published as the Python text of whatever arrived."""

from __future__ import annotations

import pytest

from pubhub.store.models import Object
from tests.support.store import count


@pytest.fixture
async def gemeente(instance):
    return await instance.token_for(await instance.create_account("gemeente"))


@pytest.mark.parametrize("fields, problem", [
    ({"status": ["a", "b"]}, "status: Input should be a valid string"),
    ({"status": True}, "status: Input should be a valid string"),
    ({"status": {"text": "x"}}, "status: Input should be a valid string"),
    ({"status": 5}, "status: Input should be a valid string"),
    ({"status": "Hallo", "spoiler_text": ["x"]}, "spoiler_text: Input should be a valid string"),
    ({"status": "Hallo", "sensitive": "maybe"}, "sensitive: must be a boolean"),
    ({"status": "Hallo", "sensitive": 2}, "sensitive: must be a boolean"),
    ({"status": "Hallo", "visibility": ["public"]}, "visibility: Input should be 'public', 'unlisted', 'private' or 'direct'"),
    ({"status": "Hallo", "in_reply_to_id": True}, "in_reply_to_id: Input should be a valid string"),
    ({"status": "Hallo", "in_reply_to_id": {"id": 1}}, "in_reply_to_id: Input should be a valid string"),
    ({"status": "Hallo", "language": "x" * 17}, "language: String should have at most 16 characters"),
    ({"status": "Hallo", "spoiler_text": "x" * 501}, "spoiler_text: String should have at most 500 characters"),
    ({"status": "Hallo", "media_ids": ["1", "2", "3", "4", "5"]}, "media_ids: List should have at most 4 items"),
    ({"status": "Hal\x00lo"}, "body: text may not contain NUL (U+0000) characters"),  # PostgreSQL can't store it
])
async def test_wrong_types_are_422_with_mastodons_body_and_nothing_is_published(instance, gemeente, fields, problem):
    status, body = await instance.request("POST", "/api/v1/statuses", token=gemeente, json=fields)
    assert status == 422, body
    assert body == {"error": f"Validation failed: {problem}"} or body["error"].startswith(f"Validation failed: {problem}"), body
    assert await count(instance, Object) == 0


@pytest.mark.parametrize("word, sensitive", [
    ("true", True), ("1", True), ("on", True), ("TRUE", True), ("t", True),
    ("false", False), ("0", False), ("off", False), ("f", False), ("", False),
])
async def test_booleans_as_mastodon_takes_them_in_a_form(instance, gemeente, word, sensitive):
    status, body = await instance.request("POST", "/api/v1/statuses", token=gemeente,
                                          data={"status": "Hallo", "sensitive": word})
    assert status == 200, body
    assert body["sensitive"] is sensitive


@pytest.mark.parametrize("value, sensitive", [(True, True), (False, False), (1, True), (0, False), (None, False)])
async def test_booleans_as_json(instance, gemeente, value, sensitive):
    status, body = await instance.request("POST", "/api/v1/statuses", token=gemeente,
                                          json={"status": "Hallo", "sensitive": value})
    assert status == 200, body
    assert body["sensitive"] is sensitive


async def test_unknown_parameters_are_ignored_and_the_query_string_counts_too(instance, gemeente):
    status, body = await instance.request("POST", "/api/v1/statuses?visibility=unlisted", token=gemeente,
                                          json={"status": "Hallo", "poll": None, "scheduled_at": None, "x": [1]})
    assert status == 200, body
    assert body["visibility"] == "unlisted" and body["text"] == "Hallo"


async def test_query_parameters_of_reads_are_typed_too(instance, gemeente):
    status, body = await instance.request("GET", "/api/v2/search?q=gemeente&limit=0", token=gemeente)
    assert status == 422 and body["error"].startswith("Validation failed: limit:"), body
    status, body = await instance.request("GET", "/api/v2/search?q=gemeente&resolve=perhaps", token=gemeente)
    assert status == 422 and body["error"].startswith("Validation failed: resolve:"), body
    status, body = await instance.request("GET", "/api/v2/search?q=gemeente&type=accounts&resolve=1", token=gemeente)
    assert status == 200 and [a["username"] for a in body["accounts"]] == ["gemeente"], body
    status, body = await instance.request("GET", "/api/v1/accounts/lookup", token=gemeente, params={"acct": "x" * 513})
    assert status == 422 and body["error"].startswith("Validation failed: acct:"), body


async def test_repeated_form_names_are_lists(instance, gemeente):
    me = (await instance.request("GET", "/api/v1/accounts/verify_credentials", token=gemeente))[1]
    other = await instance.create_account("burger")
    status, body = await instance.request(
        "GET", f"/api/v1/accounts/relationships?id[]={me['id']}&id[]={other.id}", token=gemeente)
    assert status == 200 and [r["id"] for r in body] == [me["id"], str(other.id)], body


@pytest.mark.parametrize("fields", [{"display_name": "Ge\x00meente"}, {"fields_attributes": [{"name": "a\x00", "value": "b"}]}])
async def test_a_nul_character_anywhere_is_422_not_a_database_error(instance, gemeente, fields):
    status, body = await instance.request("PATCH", "/api/v1/accounts/update_credentials", token=gemeente, json=fields)
    assert (status, body) == (422, {"error": "Validation failed: body: text may not contain NUL (U+0000) characters"})
