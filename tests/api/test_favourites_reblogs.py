"""Favourites and boosts over HTTP: POST /api/v1/statuses/:id/favourite, /unfavourite, /reblog,
/unreblog; stored as interactions, shown as `favourited`/`reblogged` and in the counts, and
federated (Like, Announce and their Undo) to the note's author and, for boosts, the booster's
followers; refusals (a status the caller may not see, boosting a private one) change nothing."""

from __future__ import annotations

from sqlalchemy import select

from pubhub.activitypub.vocab import PUBLIC
from pubhub.store.models import Delivery, Interaction
from tests.support.store import count


async def _reactions(instance) -> list[tuple]:
    async with instance.runtime.db.read() as session:
        return sorted(tuple(row) for row in await session.execute(
            select(Interaction.kind, Interaction.actor_id, Interaction.object_id)))


async def _remote_note(instance, peer, alice, token):
    """A public reply from alice (another server) to a status of the token's account."""
    asked = await instance.post_status(token, status="Wie komt er?")
    note = peer.note(alice, "<p>Ik kom</p>", to=[PUBLIC], in_reply_to=asked["uri"])
    assert (await peer.post(f"{instance.base}/inbox", peer.create(alice, note), alice))[0] == 202
    await instance.settle()
    return note


async def _status_of(instance, token, uri) -> dict:
    status, body = await instance.request("GET", "/api/v1/timelines/public", token=token, params={"remote": "true"})
    assert status == 200, body
    [found] = [s for s in body if s["uri"] == uri]
    return found


async def test_favouriting_a_local_status_counts_and_shows_favourited(instance):
    gemeente = await instance.create_account("gemeente")
    anna = await instance.create_account("anna")
    anna_token = await instance.token_for(anna)
    status = await instance.post_status(await instance.token_for(gemeente), status="Bericht")
    path = f"/api/v1/statuses/{status['id']}"

    code, body = await instance.request("POST", path + "/favourite", token=anna_token)
    assert code == 200, body
    assert body["id"] == status["id"] and body["favourited"] is True and body["favourites_count"] == 1
    assert body["reblogged"] is False and "pinned" not in body  # pinned only on one's own
    again = (await instance.request("POST", path + "/favourite", token=anna_token))[1]
    assert again["favourites_count"] == 1  # once per account
    assert await _reactions(instance) == [("Like", anna.id, int(status["id"]))]
    assert await count(instance, Delivery) == 0  # a local author: stored, nothing sent
    shown = (await instance.request("GET", path, token=anna_token))[1]
    assert shown["favourited"] is True and shown["favourites_count"] == 1
    other = (await instance.request("GET", path, token=await instance.token_for(gemeente)))[1]
    assert other["favourited"] is False and other["favourites_count"] == 1 and other["pinned"] is False

    code, body = await instance.request("POST", path + "/unfavourite", token=anna_token)
    assert code == 200 and body["favourited"] is False and body["favourites_count"] == 0
    assert await _reactions(instance) == []


async def test_a_status_the_caller_may_not_see_is_404_and_nothing_changes(instance):
    gemeente = await instance.create_account("gemeente")
    anna = await instance.create_account("anna")
    anna_token = await instance.token_for(anna)
    hidden = await instance.post_status(await instance.token_for(gemeente), status="Voor volgers", visibility="private")
    for action in ("favourite", "unfavourite", "reblog", "unreblog"):
        for status_id in (hidden["id"], "12345", "x"):
            code, body = await instance.request("POST", f"/api/v1/statuses/{status_id}/{action}", token=anna_token)
            assert (code, body) == (404, {"error": "Record not found"}), (action, status_id)
    assert await _reactions(instance) == [] and await count(instance, Delivery) == 0


async def test_boosting_a_private_or_direct_status_is_422(instance):
    gemeente = await instance.create_account("gemeente")
    token = await instance.token_for(gemeente)
    for visibility in ("private", "direct"):
        own = await instance.post_status(token, status="Alleen voor jou", visibility=visibility)
        code, body = await instance.request("POST", f"/api/v1/statuses/{own['id']}/reblog", token=token)
        assert code == 422 and body["error"].startswith("Validation failed"), body
    assert await _reactions(instance) == [] and await count(instance, Delivery) == 0


async def test_favouriting_a_remote_note_sends_a_signed_like_and_its_undo(instance, peer, alice):
    anna = await instance.create_account("anna")
    token = await instance.token_for(anna)
    note = await _remote_note(instance, peer, alice, token)
    status = await _status_of(instance, token, note["id"])

    code, body = await instance.request("POST", f"/api/v1/statuses/{status['id']}/favourite", token=token)
    assert code == 200 and body["favourited"] is True and body["favourites_count"] == 1
    await instance.settle()
    [like] = peer.received_of_type("Like")
    assert like.verified, like.reason
    assert like.activity["actor"] == anna.uri and like.activity["object"] == note["id"]

    code, body = await instance.request("POST", f"/api/v1/statuses/{status['id']}/unfavourite", token=token)
    assert code == 200 and body["favourited"] is False
    await instance.settle()
    [undo] = peer.received_of_type("Undo")
    assert undo.verified, undo.reason
    assert undo.activity["actor"] == anna.uri and undo.activity["object"]["id"] == like.activity["id"]
    assert undo.activity["object"]["type"] == "Like" and undo.activity["object"]["object"] == note["id"]


async def test_boosting_announces_to_the_followers_and_the_author_and_undoes(instance, peer, alice):
    anna = await instance.create_account("anna")
    token = await instance.token_for(anna)
    bob = peer.add_actor("bob")  # follows anna
    assert (await peer.post(f"{instance.base}/inbox", peer.activity("Follow", bob, anna.uri), bob))[0] == 202
    await instance.settle()
    note = await _remote_note(instance, peer, alice, token)
    status = await _status_of(instance, token, note["id"])
    peer.received.clear()

    code, body = await instance.request("POST", f"/api/v1/statuses/{status['id']}/reblog", token=token)
    assert code == 200, body
    assert body["reblog"]["id"] == status["id"] and body["reblog"]["reblogged"] is True
    assert body["reblog"]["reblogs_count"] == 1 and body["account"]["id"] == str(anna.id)
    assert body["id"] != status["id"] and body["reblogged"] is True
    await instance.settle()
    announces = peer.received_of_type("Announce")
    assert announces and all(a.verified for a in announces)
    assert {a.activity["id"] for a in announces} == {announces[0].activity["id"]}  # one activity (a shared inbox)
    announce = announces[0].activity
    assert announce["actor"] == anna.uri and announce["object"] == note["id"]
    assert announce["to"] == [PUBLIC] and set(announce["cc"]) == {alice.uri, anna.followers_url}
    shown = (await instance.request("GET", f"/api/v1/statuses/{status['id']}", token=token))[1]
    assert shown["reblogged"] is True and shown["favourited"] is False

    code, body = await instance.request("POST", f"/api/v1/statuses/{status['id']}/unreblog", token=token)
    assert code == 200 and body["id"] == status["id"] and body["reblogged"] is False and body["reblogs_count"] == 0
    await instance.settle()
    undos = peer.received_of_type("Undo")
    assert undos and all(u.verified for u in undos)
    assert undos[0].activity["object"]["id"] == announce["id"] and undos[0].activity["object"]["type"] == "Announce"
    assert await _reactions(instance) == []


async def test_favourited_by_and_reblogged_by_list_the_accounts_latest_first(instance, peer, alice):
    gemeente = await instance.create_account("gemeente")
    token = await instance.token_for(gemeente)
    status = await instance.post_status(token, status="Wie vindt dit goed?")
    names = ["anna", "bert", "cor"]
    for name in names:
        caller = await instance.token_for(await instance.create_account(name))
        assert (await instance.request("POST", f"/api/v1/statuses/{status['id']}/favourite", token=caller))[0] == 200
    announce = peer.activity("Announce", alice, status["uri"], to=[PUBLIC])
    assert (await peer.post(f"{instance.base}/inbox", announce, alice))[0] == 202
    await instance.settle()
    path = f"/api/v1/statuses/{status['id']}"

    async with instance.http.get(f"{instance.base}{path}/favourited_by", params={"limit": "2"},
                                 headers={"Authorization": f"Bearer {token}"}) as response:
        first = await response.json()
        link = response.headers["Link"]
    assert [a["username"] for a in first] == ["cor", "bert"]
    next_url = link.split(">")[0].lstrip("<")
    async with instance.http.get(next_url, headers={"Authorization": f"Bearer {token}"}) as response:
        assert [a["username"] for a in await response.json()] == ["anna"]
    code, boosters = await instance.request("GET", f"{path}/reblogged_by", token=token)
    assert code == 200 and [a["acct"] for a in boosters] == [f"alice@{peer.domain}"]


async def test_who_reacted_to_a_status_one_may_not_see_is_404(instance):
    gemeente = await instance.create_account("gemeente")
    anna_token = await instance.token_for(await instance.create_account("anna"))
    hidden = await instance.post_status(await instance.token_for(gemeente), status="Direct", visibility="direct")
    for which in ("favourited_by", "reblogged_by"):
        for status_id in (hidden["id"], "4242", "abc"):
            code, body = await instance.request("GET", f"/api/v1/statuses/{status_id}/{which}", token=anna_token)
            assert (code, body) == (404, {"error": "Record not found"}), (which, status_id)


async def test_an_unlisted_status_is_boosted_to_the_followers_with_public_in_cc(instance, peer):
    gemeente = await instance.create_account("gemeente")
    anna = await instance.create_account("anna")
    token = await instance.token_for(anna)
    bob = peer.add_actor("bob")
    assert (await peer.post(f"{instance.base}/inbox", peer.activity("Follow", bob, anna.uri), bob))[0] == 202
    await instance.settle()
    status = await instance.post_status(await instance.token_for(gemeente), status="Stil", visibility="unlisted")
    peer.received.clear()
    code, body = await instance.request("POST", f"/api/v1/statuses/{status['id']}/reblog", token=token)
    assert code == 200 and body["reblog"]["visibility"] == "unlisted", body
    await instance.settle()
    [announce] = peer.received_of_type("Announce")
    assert announce.verified, announce.reason
    assert announce.activity["to"] == [anna.followers_url]
    assert set(announce.activity["cc"]) == {gemeente.uri, PUBLIC}
