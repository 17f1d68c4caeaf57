"""Editing statuses over HTTP: PUT /api/v1/statuses/:id (own statuses only: someone else's 403,
one the caller may not see 404, bad values 422, each changing nothing), federated as an
`Update` of the Note to the audience the Create had; GET .../history (the versions, oldest
first) and GET .../source."""

from __future__ import annotations

from sqlalchemy import select

from pubhub.store.models import Delivery, Object, StatusEdit
from tests.api.test_media import upload
from tests.support.store import count


async def _followed_by(instance, peer, account):
    bob = peer.add_actor("bob")
    status, _ = await peer.post(f"{instance.base}/inbox", peer.activity("Follow", bob, account.uri), bob)
    assert status == 202
    await instance.settle()
    peer.received.clear()
    return bob


async def _state(instance) -> tuple:
    async with instance.runtime.db.read() as session:
        notes = sorted(tuple(row) for row in await session.execute(
            select(Object.id, Object.content, Object.summary, Object.updated_at, Object.attachments)))
    return notes, await count(instance, StatusEdit), await count(instance, Delivery)


async def test_editing_keeps_the_versions_and_federates_an_update(instance, peer):
    gemeente = await instance.create_account("gemeente")
    token = await instance.token_for(gemeente)
    await _followed_by(instance, peer, gemeente)
    status = await instance.post_status(token, status="Afval wordt dinsdag opgehaald")
    assert status["edited_at"] is None
    await instance.settle()
    peer.received.clear()

    code, body = await instance.request("PUT", f"/api/v1/statuses/{status['id']}", token=token, json={
        "status": "Afval wordt woensdag opgehaald #afval", "spoiler_text": "Wijziging", "language": "nl"})
    assert code == 200, body
    assert body["id"] == status["id"] and body["content"].startswith("<p>Afval wordt woensdag opgehaald")
    assert body["edited_at"] is not None and body["spoiler_text"] == "Wijziging" and body["sensitive"] is True
    assert body["language"] == "nl" and [t["name"] for t in body["tags"]] == ["afval"]
    assert body["created_at"] == status["created_at"]

    code, versions = await instance.request("GET", f"/api/v1/statuses/{status['id']}/history", token=token)
    assert code == 200
    assert [v["content"] for v in versions][0] == "<p>Afval wordt dinsdag opgehaald</p>"
    assert versions[1]["content"] == body["content"] and versions[1]["spoiler_text"] == "Wijziging"
    assert versions[0]["created_at"] == status["created_at"] and versions[1]["created_at"] == body["edited_at"]
    assert versions[0]["account"]["id"] == str(gemeente.id) and versions[0]["media_attachments"] == []
    code, source = await instance.request("GET", f"/api/v1/statuses/{status['id']}/source", token=token)
    assert (code, source) == (200, {"id": status["id"], "text": "Afval wordt woensdag opgehaald #afval",
                                    "spoiler_text": "Wijziging"})

    await instance.settle()
    [update] = peer.received_of_type("Update")
    assert update.verified, update.reason
    activity = update.activity
    assert activity["actor"] == gemeente.uri and activity["to"] == ["https://www.w3.org/ns/activitystreams#Public"]
    note = activity["object"]
    assert note["id"] == status["uri"] and note["type"] == "Note" and note["content"] == body["content"]
    assert note["updated"] and note["summary"] == "Wijziging" and note["published"]

    # A second edit adds a third version; an unedited status's history is itself.
    assert (await instance.request("PUT", f"/api/v1/statuses/{status['id']}", token=token,
                                   json={"status": "Derde versie"}))[0] == 200
    versions = (await instance.request("GET", f"/api/v1/statuses/{status['id']}/history", token=token))[1]
    assert [v["content"] for v in versions][::2] == ["<p>Afval wordt dinsdag opgehaald</p>", "<p>Derde versie</p>"]
    other = await instance.post_status(token, status="Nooit bewerkt")
    versions = (await instance.request("GET", f"/api/v1/statuses/{other['id']}/history", token=token))[1]
    assert [v["content"] for v in versions] == ["<p>Nooit bewerkt</p>"]


async def test_editing_someone_elses_or_a_hidden_status_is_refused_and_changes_nothing(instance):
    gemeente = await instance.create_account("gemeente")
    token = await instance.token_for(gemeente)
    anna_token = await instance.token_for(await instance.create_account("anna"))
    public = await instance.post_status(token, status="Van de gemeente")
    hidden = await instance.post_status(token, status="Voor volgers", visibility="private")
    before = await _state(instance)
    code, body = await instance.request("PUT", f"/api/v1/statuses/{public['id']}", token=anna_token,
                                        json={"status": "Gekaapt"})
    assert (code, body) == (403, {"error": "This action is not allowed"})
    for status_id in (hidden["id"], "31337", "nee"):
        code, body = await instance.request("PUT", f"/api/v1/statuses/{status_id}", token=anna_token,
                                            json={"status": "Gekaapt"})
        assert (code, body) == (404, {"error": "Record not found"}), status_id
        for which in ("history", "source"):
            code, body = await instance.request("GET", f"/api/v1/statuses/{status_id}/{which}", token=anna_token)
            assert (code, body) == (404, {"error": "Record not found"}), (which, status_id)
    code, body = await instance.request("PUT", f"/api/v1/statuses/{public['id']}", token=token, json={"status": "  "})
    assert code == 422, body
    assert await _state(instance) == before


async def test_an_edit_keeps_or_replaces_the_images_with_the_authors_own(instance):
    gemeente = await instance.create_account("gemeente")
    token = await instance.token_for(gemeente)
    anna_token = await instance.token_for(await instance.create_account("anna"))
    first = (await upload(instance, token, description="Kaart"))[1]
    status = await instance.post_status(token, status="Met kaart", media_ids=[first["id"]])
    path = f"/api/v1/statuses/{status['id']}"
    kept = (await instance.request("PUT", path, token=token, json={"status": "Nog steeds met kaart"}))[1]
    assert [m["id"] for m in kept["media_attachments"]] == [first["id"]]

    second = (await upload(instance, token, description="Foto"))[1]
    code, body = await instance.request("PUT", path, token=token,
                                        json={"status": "Twee beelden", "media_ids": [second["id"], first["id"]]})
    assert code == 200, body
    assert [m["description"] for m in body["media_attachments"]] == ["Foto", "Kaart"]

    annas = (await upload(instance, anna_token))[1]
    before = await _state(instance)
    for media_ids in ([annas["id"]], ["abc"], [first["id"], "999"]):
        code, body = await instance.request("PUT", path, token=token, json={"status": "Niet", "media_ids": media_ids})
        assert code == 422 and body["error"].startswith("Validation failed: media_ids"), (media_ids, body)
    assert await _state(instance) == before

    versions = (await instance.request("GET", f"{path}/history", token=token))[1]
    assert [[m["description"] for m in v["media_attachments"]] for v in versions] == [["Kaart"], ["Kaart"],
                                                                                     ["Foto", "Kaart"]]


async def test_a_remote_edit_keeps_the_versions_and_an_update_of_counts_alone_is_no_edit(instance, peer):
    gemeente = await instance.create_account("gemeente")
    token = await instance.token_for(gemeente)
    alice = peer.add_actor("alice")
    note = peer.note(alice, "<p>@gemeente het bankje is kapot</p>", to=["https://www.w3.org/ns/activitystreams#Public", gemeente.uri],
                     tag=[{"type": "Mention", "href": gemeente.uri, "name": "@gemeente"}])
    assert (await peer.post(f"{instance.base}/inbox", peer.create(alice, note), alice))[0] == 202
    await instance.settle()
    status_id = (await instance.request("GET", "/api/v1/notifications", token=token))[1][0]["status"]["id"]

    edited = {**note, "content": "<p>@gemeente het bankje bij de kerk is kapot</p>", "updated": "2026-11-23T11:00:00Z"}
    for update in (peer.activity("Update", alice, edited), peer.activity("Update", alice, edited)):  # the same edit twice
        assert (await peer.post(f"{instance.base}/inbox", update, alice))[0] == 202
        await instance.settle()
    code, versions = await instance.request("GET", f"/api/v1/statuses/{status_id}/history", token=token)
    assert code == 200
    assert [v["content"] for v in versions] == [note["content"], edited["content"]]
    code, shown = await instance.request("GET", f"/api/v1/statuses/{status_id}", token=token)
    assert shown["content"] == edited["content"] and shown["edited_at"] is not None
