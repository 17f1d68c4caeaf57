"""Search as apps use it: accounts by the start of a username or display name (local first),
hashtags by prefix, a status by its URL (fetched from its server only with resolve, and only if
public or unlisted), and a hashtag's entity."""

from __future__ import annotations

import pytest

from pubhub.store.models import Object
from tests.support.peer import PUBLIC
from tests.support.store import count


@pytest.fixture
async def token(instance):
    return await instance.token_for(await instance.create_account("gemeente", display_name="Gemeente Oost"))


async def search(instance, token, **params) -> dict:
    status, body = await instance.request("GET", "/api/v2/search", token=token, params=params)
    assert status == 200, body
    return body


async def test_accounts_by_the_start_of_their_name_or_display_name_local_first(instance, token, peer, alice):
    await instance.create_account("wijkraad_oost", display_name="Wijkraad")
    await instance.create_account("oostpoort")
    await instance.create_account("weg", display_name="Oostelijke wegen")
    peer.add_actor("oostkust")
    status, _ = await instance.request("GET", "/api/v2/search", token=token, params={"q": f"oostkust@{peer.domain}",
                                                                                     "resolve": "true"})
    found = await search(instance, token, q="Oost", type="accounts")
    assert [a["acct"] for a in found["accounts"]] == ["oostpoort", "weg", f"oostkust@{peer.domain}"]
    assert [a["acct"] for a in (await search(instance, token, q="gemeente o"))["accounts"]] == ["gemeente"]
    assert [a["acct"] for a in (await search(instance, token, q="oost", limit="1", offset="1"))["accounts"]] == ["weg"]
    assert (await search(instance, token, q="%"))["accounts"] == []  # LIKE's wildcards are taken literally
    assert (await search(instance, token, q="_"))["accounts"] == []


async def test_a_known_remote_handle_is_found_without_the_network(instance, token, peer):
    peer.add_actor("alice")
    await search(instance, token, q=f"alice@{peer.domain}", resolve="true")
    peer.fetches.clear()
    found = await search(instance, token, q=f"@alice@{peer.domain}")
    assert [a["acct"] for a in found["accounts"]] == [f"alice@{peer.domain}"] and peer.fetches == []


async def test_hashtags_by_prefix_the_most_used_first(instance, token):
    for text in ("Afval #afvalkalender", "Weer #afval", "Nog eens #Afval", "Besloten #afvalbak"):
        await instance.post_status(token, status=text, visibility="private" if "Besloten" in text else "public")
    found = await search(instance, token, q="#afv", type="hashtags")
    assert [(t["name"], t["url"]) for t in found["hashtags"]] == [
        ("afval", f"{instance.base}/tags/afval"), ("afvalkalender", f"{instance.base}/tags/afvalkalender")]
    status, tag = await instance.request("GET", "/api/v1/tags/Afval")  # no token needed
    assert (status, tag["name"]) == (200, "afval") and "following" not in tag  # (as Mastodon: nobody signed in)
    assert (await instance.request("GET", "/api/v1/tags/afvalbak"))[0] == 404  # only in a private post
    assert (await search(instance, token, q="#a%", type="hashtags"))["hashtags"] == []


async def test_a_status_by_its_url_known_or_resolved(instance, token, peer, alice):
    posted = await instance.post_status(token, status="Openbaar")
    for url in (posted["uri"], posted["url"]):
        assert [s["id"] for s in (await search(instance, token, q=url))["statuses"]] == [posted["id"]]
    note = peer.note(alice, "<p>Van elders</p>", to=[PUBLIC])
    peer.serve(note["id"].removeprefix(peer.base), note)
    assert (await search(instance, token, q=note["id"]))["statuses"] == []  # not without resolve
    found = await search(instance, token, q=note["id"], resolve="true")
    assert [s["content"] for s in found["statuses"]] == ["<p>Van elders</p>"]
    assert found["statuses"][0]["account"]["acct"] == f"alice@{peer.domain}"
    again = await search(instance, token, q=note["id"], resolve="true")
    assert again["statuses"][0]["id"] == found["statuses"][0]["id"]
    assert await count(instance, Object, Object.local.is_(False)) == 1


async def test_a_resolved_status_that_is_not_public_or_not_the_authors_is_not_kept(instance, token, peer, alice,
                                                                                     other_peer):
    private = peer.note(alice, "<p>Alleen volgers</p>", to=[alice.followers], cc=[])
    peer.serve(private["id"].removeprefix(peer.base), private)
    bob = other_peer.add_actor("bob")  # a real actor, on another server than the note
    forged = peer.note(alice, "<p>Namens een ander</p>", attributedTo=bob.uri)
    peer.serve(forged["id"].removeprefix(peer.base), forged)
    for note in (private, forged):
        assert (await search(instance, token, q=note["id"], resolve="true"))["statuses"] == []
    assert await count(instance, Object, Object.local.is_(False)) == 0
