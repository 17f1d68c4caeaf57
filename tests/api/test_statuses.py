"""The Mastodon-compatible statuses API: posting (form and JSON), validation, mentions,
hashtags and links, deleting, reading with visibility, and verify_credentials."""

from __future__ import annotations

import pytest

from tests.support.peer import PUBLIC


@pytest.fixture
async def gemeente(instance):
    account = await instance.create_account("gemeente", display_name="Gemeente Nijmegen")
    return await instance.token_for(account)


@pytest.fixture
async def burger(instance):
    return await instance.token_for(await instance.create_account("burger"))


async def post(instance, token, **fields) -> dict:
    status, body = await instance.request("POST", "/api/v1/statuses", token=token, json=fields)
    assert status == 200, body
    return body


async def statuses_count(instance, token) -> int:
    status, body = await instance.request("GET", "/api/v1/accounts/verify_credentials", token=token)
    assert status == 200, body
    return body["statuses_count"]


# ---- posting ----------------------------------------------------------------------------------

async def test_post_with_a_form_body(instance, gemeente):
    status, body = await instance.request("POST", "/api/v1/statuses", token=gemeente, data={
        "status": "Stadhuis dicht op maandag", "visibility": "unlisted", "spoiler_text": "Sluiting",
        "sensitive": "true", "language": "nl",
    })
    assert status == 200, body
    assert body["content"] == "<p>Stadhuis dicht op maandag</p>"
    assert body["text"] == "Stadhuis dicht op maandag"
    assert body["visibility"] == "unlisted"
    assert body["spoiler_text"] == "Sluiting" and body["sensitive"] is True
    assert body["language"] == "nl"
    assert body["in_reply_to_id"] is None and body["in_reply_to_account_id"] is None
    assert body["account"]["username"] == "gemeente" and body["account"]["acct"] == "gemeente"
    assert body["uri"] == f"{instance.base}/users/gemeente/statuses/{body['id']}"
    assert body["url"] == f"{instance.base}/@gemeente/{body['id']}"
    assert body["created_at"].endswith("Z")


async def test_post_with_a_json_body_and_every_parameter(instance, gemeente, burger):
    parent = await post(instance, gemeente, status="Vragen over de begroting?")
    status, body = await instance.request("POST", "/api/v1/statuses", token=burger, json={
        "status": "Ja, over de wijkbudgetten.", "visibility": "private", "in_reply_to_id": parent["id"],
        "spoiler_text": "", "sensitive": False, "language": "nl",
    })
    assert status == 200, body
    assert body["visibility"] == "private" and body["sensitive"] is False and body["spoiler_text"] == ""
    assert body["in_reply_to_id"] == parent["id"]
    assert body["in_reply_to_account_id"] == parent["account"]["id"]
    assert body["language"] == "nl"

    # A numeric JSON id and a boolean `sensitive` are taken too; a spoiler makes a post sensitive.
    status, body = await instance.request("POST", "/api/v1/statuses", token=burger, json={
        "status": "Nog een vraag", "in_reply_to_id": int(parent["id"]), "spoiler_text": "Begroting",
    })
    assert status == 200, body
    assert body["in_reply_to_id"] == parent["id"] and body["sensitive"] is True and body["visibility"] == "public"


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Basic Z2VtZWVudGU6eA=="},
                                     {"Authorization": "Bearer "}])
async def test_missing_or_invalid_token_is_refused(instance, gemeente, headers):
    status, body = await instance.request("POST", "/api/v1/statuses", headers=headers, json={"status": "Hallo"})
    assert status == 401 and isinstance(body, dict) and body["error"]
    status, body = await instance.request("GET", "/api/v1/accounts/verify_credentials", headers=dict(headers))
    assert status == 401 and body["error"]
    assert await statuses_count(instance, gemeente) == 0


@pytest.mark.parametrize("fields, expected", [
    ({"status": ""}, 422),
    ({"status": "   \n  "}, 422),
    ({}, 422),
    ({"status": "x" * 5001}, 422),
    ({"status": "Hallo", "visibility": "secret"}, 422),
    ({"status": "Hallo", "in_reply_to_id": "999999"}, 404),
    ({"status": "Hallo", "in_reply_to_id": "abc"}, 404),
    ({"status": "Hallo", "in_reply_to_id": "9" * 19}, 404),  # beyond 64 bits
    ({"status": "Hallo", "in_reply_to_id": "9" * 25}, 404),
    ({"status": "Hallo", "in_reply_to_id": "²"}, 404),
])
async def test_invalid_posts_are_refused_and_nothing_is_stored(instance, gemeente, fields, expected):
    status, body = await instance.request("POST", "/api/v1/statuses", token=gemeente, json=fields)
    assert status == expected and body["error"]
    assert await statuses_count(instance, gemeente) == 0


async def test_malformed_json_bodies_are_refused(instance, gemeente):
    for raw in (b"{not json", b"[1, 2]", b'"status"'):
        status, body = await instance.request("POST", "/api/v1/statuses", token=gemeente, data=raw,
                                              headers={"Content-Type": "application/json"})
        assert status == 400 and body["error"], raw
    assert await statuses_count(instance, gemeente) == 0


async def test_reply_to_a_status_the_author_cannot_see_is_refused(instance, gemeente, burger):
    hidden = await post(instance, gemeente, status="Alleen voor volgers", visibility="private")
    status, body = await instance.request("POST", "/api/v1/statuses", token=burger,
                                          json={"status": "Ik zie dit niet", "in_reply_to_id": hidden["id"]})
    assert status == 404 and body["error"]
    assert await statuses_count(instance, burger) == 0


# ---- content: mentions, hashtags, links, escaping ---------------------------------------------

async def test_mention_of_a_remote_actor_is_resolved_tagged_and_delivered(instance, peer, gemeente):
    bob = peer.add_actor("bob")
    # An account that does not exist refuses the post, naming it (tests/api/test_unresolved_mentions.py).
    status, refused = await instance.request("POST", "/api/v1/statuses", token=gemeente,
                                             json={"status": f"Hoi @bob@{peer.domain} en @niemand@{peer.domain}!"})
    assert status == 422 and f"@niemand@{peer.domain}" in refused["error"] and "bob" not in refused["error"]
    body = await post(instance, gemeente, status=f"Hoi @bob@{peer.domain} en niemand@{peer.domain}!")
    assert f"/.well-known/webfinger?resource=acct:bob@{peer.domain}" in peer.fetches
    status, account = await instance.request("GET", "/api/v1/accounts/lookup", token=gemeente,
                                             params={"acct": f"bob@{peer.domain}"})
    assert status == 200
    assert body["mentions"] == [{"id": account["id"], "username": "bob", "url": bob.uri, "acct": f"bob@{peer.domain}"}]
    assert f'<a href="{peer.base}/@bob" class="u-url mention">@<span>bob</span></a>' in body["content"]
    assert f"niemand@{peer.domain}" in body["content"]  # not a mention: left as text, not a link

    await instance.settle()
    [received] = peer.received
    assert received.verified, received.reason
    assert received.path == "/inbox"  # bob's server's shared inbox
    note = received.activity["object"]
    assert note["tag"] == [{"type": "Mention", "href": bob.uri, "name": f"@bob@{peer.domain}"}]
    assert note["to"] == [PUBLIC] and bob.uri in note["cc"]


async def test_hashtags_links_and_plain_text(instance, gemeente):
    body = await post(instance, gemeente, status=(
        "Zie https://example.org/plan?a=1&b=2 voor het #Afval plan.\n"
        "<script>alert('x')</script> & <b>niet vet</b> #123"
    ))
    html = body["content"]
    assert '<a href="https://example.org/plan?a=1&amp;b=2" rel="nofollow noopener noreferrer" target="_blank">' in html
    assert f'<a href="{instance.base}/tags/afval" class="mention hashtag" rel="tag">#<span>Afval</span></a>' in html
    assert "<script" not in html and "&lt;script&gt;alert('x')&lt;/script&gt;" in html
    assert "&amp; &lt;b&gt;niet vet&lt;/b&gt;" in html and "<b>" not in html
    assert "#123" in html and "tags/123" not in html
    assert html.startswith("<p>") and "<br>" in html
    assert body["tags"] == [{"name": "afval", "url": f"{instance.base}/tags/afval"}]
    assert body["text"].startswith("Zie https://example.org/plan?a=1&b=2")

    status, note = await instance.get_ap(body["uri"])
    assert status == 200
    assert note["tag"] == [{"type": "Hashtag", "href": f"{instance.base}/tags/afval", "name": "#Afval"}]
    assert note["content"] == html


# ---- deleting ---------------------------------------------------------------------------------

async def test_delete_by_someone_else_is_forbidden_and_changes_nothing(instance, peer, gemeente, burger):
    follower = peer.add_actor("alice")
    await peer.post(f"{instance.base}/inbox", peer.activity("Follow", follower, f"{instance.base}/users/gemeente"), follower)
    created = await post(instance, gemeente, status="Blijft staan")
    await instance.settle()
    peer.received.clear()

    status, body = await instance.request("DELETE", f"/api/v1/statuses/{created['id']}", token=burger)
    assert status == 403 and body["error"]
    await instance.settle()
    assert peer.received == []  # no Delete went out
    status, still = await instance.request("GET", f"/api/v1/statuses/{created['id']}", token=burger)
    assert status == 200 and still["content"] == created["content"]
    assert await statuses_count(instance, gemeente) == 1

    status, removed = await instance.request("DELETE", f"/api/v1/statuses/{created['id']}", token=gemeente)
    assert status == 200 and removed["id"] == created["id"] and removed["text"] == "Blijft staan"
    await instance.settle()
    assert [r.activity["type"] for r in peer.received] == ["Delete"]
    for token in (gemeente, burger):
        status, _ = await instance.request("GET", f"/api/v1/statuses/{created['id']}", token=token)
        assert status == 404
    status, _ = await instance.request("DELETE", f"/api/v1/statuses/{created['id']}", token=gemeente)
    assert status == 404
    status, _ = await instance.request("DELETE", "/api/v1/statuses/123", headers={})
    assert status == 401


async def test_a_status_the_caller_may_not_see_answers_exactly_like_a_missing_one(instance, gemeente, burger):
    """No endpoint may tell a hidden status from one that does not exist (404, same body);
    403 is only for a status the caller sees but does not own."""
    outsider = await instance.token_for(await instance.create_account("buitenstaander"))
    direct = await post(instance, gemeente, status=f"@burger@{instance.domain} alleen voor jou", visibility="direct")
    private = await post(instance, gemeente, status="Voor volgers", visibility="private")
    missing = "999999"

    async def answers(status_id: str) -> list:
        return [
            await instance.request("DELETE", f"/api/v1/statuses/{status_id}", token=outsider),
            await instance.request("GET", f"/api/v1/statuses/{status_id}", token=outsider),
            await instance.request("GET", f"/api/v1/statuses/{status_id}/context", token=outsider),
            await instance.request("POST", "/api/v1/statuses", token=outsider,
                                   json={"status": "Antwoord", "in_reply_to_id": status_id}),
        ]

    expected = await answers(missing)
    assert {status for status, _ in expected} == {404}
    assert expected[0] == (404, {"error": "Record not found"})
    for hidden in (direct, private):
        assert await answers(hidden["id"]) == expected, hidden["visibility"]
    assert await statuses_count(instance, outsider) == 0

    # burger is mentioned, so sees the direct message: deleting it is forbidden, not hidden.
    status, body = await instance.request("DELETE", f"/api/v1/statuses/{direct['id']}", token=burger)
    assert status == 403 and body == {"error": "This action is not allowed"}
    for token in (gemeente, burger):  # nothing was deleted by any of it
        assert (await instance.request("GET", f"/api/v1/statuses/{direct['id']}", token=token))[0] == 200


# ---- reading ----------------------------------------------------------------------------------

async def test_who_may_read_a_status(instance, gemeente, burger):
    outsider = await instance.token_for(await instance.create_account("buitenstaander"))
    public = await post(instance, gemeente, status="Voor iedereen")
    private = await post(instance, gemeente, status="Voor volgers", visibility="private")
    direct = await post(instance, gemeente, status=f"@burger@{instance.domain} alleen voor jou", visibility="direct")
    status, me = await instance.request("GET", "/api/v1/accounts/verify_credentials", token=burger)
    assert [(m["id"], m["acct"]) for m in direct["mentions"]] == [(me["id"], "burger")]

    async def sees(token, status_id) -> bool:
        status, body = await instance.request("GET", f"/api/v1/statuses/{status_id}", token=token)
        assert status in (200, 404), body
        return status == 200

    assert await sees(outsider, public["id"]) and await sees(burger, public["id"])
    assert not await sees(outsider, private["id"]) and not await sees(burger, private["id"])
    assert not await sees(outsider, direct["id"]) and await sees(burger, direct["id"])
    assert await sees(gemeente, private["id"]) and await sees(gemeente, direct["id"])

    # Following makes the followers-only post visible (local follows are accepted at once).
    status, account = await instance.request("GET", "/api/v1/accounts/lookup", token=burger, params={"acct": "gemeente"})
    assert status == 200
    status, rel = await instance.request("POST", f"/api/v1/accounts/{account['id']}/follow", token=burger)
    assert status == 200 and rel["following"] is True
    assert await sees(burger, private["id"]) and not await sees(outsider, private["id"])

    for missing in ("999999", "abc", "1" * 25, "9" * 19, "²"):
        for method, path in (("GET", "/api/v1/statuses/{}"), ("GET", "/api/v1/statuses/{}/context"),
                             ("DELETE", "/api/v1/statuses/{}"), ("GET", "/api/v1/accounts/{}")):
            status, body = await instance.request(method, path.format(missing), token=burger)
            assert status == 404 and body["error"], (method, path, missing)
    status, body = await instance.request("GET", "/api/v1/accounts/relationships", token=burger, params={"id[]": "9" * 19})
    assert status == 200 and body == []


async def test_verify_credentials(instance, gemeente):
    await post(instance, gemeente, status="Eerste bericht")
    status, body = await instance.request("GET", "/api/v1/accounts/verify_credentials", token=gemeente)
    assert status == 200
    assert body["username"] == "gemeente" and body["acct"] == "gemeente"
    assert body["display_name"] == "Gemeente Nijmegen"
    assert body["url"] == f"{instance.base}/@gemeente" and body["uri"] == f"{instance.base}/users/gemeente"
    assert body["statuses_count"] == 1 and body["followers_count"] == 0 and body["following_count"] == 0
    assert body["source"]["privacy"] == "public" and body["role"]["name"] == "user"
    assert body["locked"] is False and body["bot"] is False


async def test_direct_messages_are_not_counted_as_posts_anywhere(instance, gemeente, burger):
    """Mastodon leaves direct messages out of statuses_count: a public count must not reveal them."""
    await post(instance, gemeente, status="Voor iedereen")
    await post(instance, gemeente, status="Voor volgers", visibility="private")
    for _ in range(3):
        await post(instance, gemeente, status=f"@burger@{instance.domain} alleen voor jou", visibility="direct")

    status, me = await instance.request("GET", "/api/v1/accounts/verify_credentials", token=gemeente)
    assert status == 200 and me["statuses_count"] == 2
    status, seen = await instance.request("GET", f"/api/v1/accounts/{me['id']}", token=burger)
    assert status == 200 and seen["statuses_count"] == 2
    async with instance.http.get(f"{instance.base}/@gemeente") as response:
        assert "2 posts · 0 followers · 0 following" in await response.text()
    outbox = await instance.get_ap("/users/gemeente/outbox")
    assert outbox == (200, outbox[1]) and outbox[1]["totalItems"] == 1  # anonymous: the public one only


async def test_context_lists_ancestors_root_first_and_descendants_in_thread_order(instance, gemeente, burger):
    root = await post(instance, gemeente, status="Wat vindt u van het plan?")
    middle = await post(instance, burger, status="@gemeente Goed plan", in_reply_to_id=root["id"])
    leaf = await post(instance, gemeente, status="@burger Dank u", in_reply_to_id=middle["id"])
    aside = await post(instance, burger, status="@gemeente Nog iets", in_reply_to_id=root["id"])

    status, body = await instance.request("GET", f"/api/v1/statuses/{leaf['id']}/context", token=burger)
    assert status == 200
    assert [s["id"] for s in body["ancestors"]] == [root["id"], middle["id"]]
    assert body["descendants"] == []
    status, body = await instance.request("GET", f"/api/v1/statuses/{root['id']}/context", token=burger)
    assert body["ancestors"] == []
    assert [s["id"] for s in body["descendants"]] == [middle["id"], aside["id"], leaf["id"]]
    assert body["descendants"][0]["in_reply_to_id"] == root["id"]
    assert body["descendants"][2]["in_reply_to_account_id"] == middle["account"]["id"]
