"""A suspended domain, over real HTTP: what was stored of it goes, and afterwards nothing of it
is stored, fetched or delivered. The blocked server is a peer on 127.0.0.2 (another domain on
the loopback network); a second peer on 127.0.0.1 shows that nobody else is touched."""

from __future__ import annotations

import pytest

from tests.support import store
from tests.support.peer import RemotePeer


@pytest.fixture
async def blocked_peer():
    remote = await RemotePeer(host="127.0.0.2").start()
    yield remote
    await remote.stop()


@pytest.fixture
async def agency(instance):
    gemeente = await instance.create_account("gemeente")
    token = await instance.token_for(gemeente)
    status, post = await instance.request("POST", "/api/v1/statuses", token=token, json={"status": "Nieuw beleid"})
    assert status == 200
    admin = await instance.token_for(await instance.create_account("beheerder", role="admin"), "admin:read admin:write")
    return token, post, admin


async def _inbox(instance, peer, activity, actor) -> int:
    return (await peer.post(f"{instance.base}/inbox", activity, actor))[0]


async def _block(instance, admin: str, domain: str, **fields) -> dict:
    status, body = await instance.request("POST", "/api/v1/admin/domain_blocks", token=admin,
                                          json={"domain": domain, "severity": "suspend", **fields})
    assert status == 200, body
    return body


async def test_suspending_a_domain_removes_what_was_stored_of_it(instance, peer, blocked_peer, agency):
    token, post, admin = agency
    account = f"{instance.base}/users/gemeente"
    mallory, alice = blocked_peer.add_actor("mallory"), peer.add_actor("alice")
    for sender, remote in ((mallory, blocked_peer), (alice, peer)):
        assert await _inbox(instance, remote, remote.activity("Follow", sender, account), sender) == 202
        reply = remote.note(sender, "<p>Antwoord</p>", in_reply_to=post["uri"])
        assert await _inbox(instance, remote, remote.create(sender, reply), sender) == 202
        assert await _inbox(instance, remote, remote.activity("Like", sender, post["uri"]), sender) == 202
    waiting = blocked_peer.note(mallory, "<p>Nog in de wachtrij</p>", in_reply_to=post["uri"])
    await instance.settle()
    assert await _inbox(instance, blocked_peer, blocked_peer.create(mallory, waiting), mallory) == 202  # not applied yet

    await _block(instance, admin, "127.0.0.2")

    mallory_row = await store.actor(instance, mallory.uri)
    assert await store.count(instance, store.Follow, store.Follow.follower_id == mallory_row.id) == 0
    assert await store.count(instance, store.Interaction, store.Interaction.actor_id == mallory_row.id) == 0
    notes = await store.all_of(instance, store.Object, store.Object.author_id == mallory_row.id)
    assert notes and all(note.deleted_at is not None and note.content == "" for note in notes)
    [queued] = [row for row in await store.inbox_activities(instance) if row.uri == f"{waiting['id']}/activity"
                or (row.type == "Create" and row.actor_uri == mallory.uri and row.state != "done")]
    assert (queued.state, queued.error) == ("dropped", "domain blocked")
    await instance.settle()
    assert await store.note(instance, waiting["id"]) is None
    # Alice, elsewhere, keeps everything.
    alice_row = await store.actor(instance, alice.uri)
    assert await store.count(instance, store.Follow, store.Follow.follower_id == alice_row.id) == 1
    assert await store.count(instance, store.Interaction, store.Interaction.actor_id == alice_row.id) == 1
    status, shown = await instance.request("GET", f"/api/v1/statuses/{post['id']}", token=token)
    assert (shown["replies_count"], shown["favourites_count"]) == (1, 1)


async def test_after_the_block_nothing_of_the_domain_is_stored_fetched_or_delivered(instance, blocked_peer, agency):
    token, post, admin = agency
    mallory = blocked_peer.add_actor("mallory")
    assert await _inbox(instance, blocked_peer, blocked_peer.activity("Follow", mallory, f"{instance.base}/users/gemeente"),
                        mallory) == 202
    await instance.settle()
    blocked_peer.inbox_status = 503  # the next post's delivery waits for a retry when the block comes
    status, later = await instance.request("POST", "/api/v1/statuses", token=token, json={"status": "Voor de volgers"})
    assert status == 200
    await instance.settle()
    blocked_peer.received.clear()
    blocked_peer.inbox_status = 202
    await _block(instance, admin, "127.0.0.2")
    fetched = len(blocked_peer.fetches)

    reply = blocked_peer.note(mallory, "<p>Toch nog</p>", in_reply_to=post["uri"])
    status, body = await blocked_peer.post(f"{instance.base}/inbox", blocked_peer.create(mallory, reply), mallory)
    assert status == 403 and "suspended domain" in body["error"]
    newcomer = blocked_peer.add_actor("newcomer")  # never seen: its key would need a fetch
    assert await _inbox(instance, blocked_peer, blocked_peer.activity("Like", newcomer, post["uri"]), newcomer) == 403
    status, found = await instance.request("GET", "/api/v2/search", token=token,
                                           params={"q": f"@newcomer@{blocked_peer.domain}", "resolve": "true"})
    assert found.get("accounts", []) == []
    await instance.settle()

    assert blocked_peer.fetches[fetched:] == []
    assert blocked_peer.received == []
    assert await store.note(instance, reply["id"]) is None
    assert await store.actor(instance, newcomer.uri) is None
    deliveries = await store.all_of(instance, store.Delivery, store.Delivery.inbox.startswith(blocked_peer.base))
    # The one waiting for a retry when the block came is never sent.
    assert [(row.state, row.last_error) for row in deliveries if row.state != "done"] == [("failed", "domain blocked")]


async def test_an_address_is_no_subdomain_and_lifting_the_block_lets_the_server_in_again(instance, blocked_peer, agency):
    token, post, admin = agency
    mallory = blocked_peer.add_actor("mallory")
    block = await _block(instance, admin, "0.2")  # not a parent of an IP address: no block of 127.0.0.2
    assert await _inbox(instance, blocked_peer, blocked_peer.activity("Like", mallory, post["uri"]), mallory) == 202
    status, _ = await instance.request("DELETE", f"/api/v1/admin/domain_blocks/{block['id']}", token=admin)
    assert status == 200

    block = await _block(instance, admin, "127.0.0.2")
    assert await _inbox(instance, blocked_peer, blocked_peer.activity("Like", mallory, post["uri"]), mallory) == 403
    status, _ = await instance.request("DELETE", f"/api/v1/admin/domain_blocks/{block['id']}", token=admin)
    assert status == 200
    assert await _inbox(instance, blocked_peer, blocked_peer.activity("Announce", mallory, post["uri"]), mallory) == 202


async def test_a_silenced_domain_reaches_only_its_followers(instance, blocked_peer, agency):
    token, post, admin = agency
    mallory = blocked_peer.add_actor("mallory")
    follower = await instance.create_account("volger")
    follower_token = await instance.token_for(follower)
    status, found = await instance.request("GET", "/api/v2/search", token=follower_token,
                                           params={"q": f"@mallory@{blocked_peer.domain}", "resolve": "true"})
    mallory_id = found["accounts"][0]["id"]
    assert (await instance.request("POST", f"/api/v1/accounts/{mallory_id}/follow", token=follower_token))[0] == 200
    await instance.settle()
    [sent] = blocked_peer.received_of_type("Follow")
    accept = blocked_peer.activity("Accept", mallory, sent.activity["id"])
    assert await _inbox(instance, blocked_peer, accept, mallory) == 202
    note = blocked_peer.note(mallory, "<p>Koop nu!</p>")
    assert await _inbox(instance, blocked_peer, blocked_peer.create(mallory, note), mallory) == 202
    await instance.settle()
    stored = await store.note(instance, note["id"])

    async def seen_by(viewer_token) -> tuple[bool, bool]:
        status, _ = await instance.request("GET", f"/api/v1/statuses/{stored.id}", token=viewer_token)
        _, public = await instance.request("GET", "/api/v1/timelines/public", token=viewer_token)
        return status == 200, any(entry["uri"] == note["id"] for entry in public)

    assert await seen_by(token) == (True, True)
    block = await _block(instance, admin, "127.0.0.2", severity="silence")
    assert await seen_by(token) == (False, False)  # a stranger
    assert (await seen_by(follower_token))[0] is True  # a follower still sees it
    assert await store.note(instance, note["id"]) is not None  # nothing removed
    status, _ = await instance.request("DELETE", f"/api/v1/admin/domain_blocks/{block['id']}", token=admin)
    assert await seen_by(token) == (True, True)


async def test_a_domain_whose_media_are_rejected_shows_no_images_from_it(instance, blocked_peer, agency):
    token, post, admin = agency
    mallory = blocked_peer.add_actor("mallory")
    image = {"type": "Document", "mediaType": "image/png", "url": f"{blocked_peer.base}/media/kat.png",
             "name": "Een kat"}
    note = blocked_peer.note(mallory, "<p>Kijk</p>", in_reply_to=post["uri"], attachment=[image])
    assert await _inbox(instance, blocked_peer, blocked_peer.create(mallory, note), mallory) == 202
    await instance.settle()
    stored = await store.note(instance, note["id"])

    async def attachment() -> dict:
        status, shown = await instance.request("GET", f"/api/v1/statuses/{stored.id}", token=token)
        assert status == 200
        return shown["media_attachments"][0]

    assert (await attachment())["url"] == image["url"]
    block = await _block(instance, admin, "127.0.0.2", severity="noop", reject_media=True)
    shown = await attachment()
    assert (shown["type"], shown["url"], shown["preview_url"], shown["remote_url"]) == ("unknown", None, None, image["url"])
    status, _ = await instance.request("DELETE", f"/api/v1/admin/domain_blocks/{block['id']}", token=admin)
    assert (await attachment())["url"] == image["url"]
