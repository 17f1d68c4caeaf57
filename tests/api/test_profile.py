"""PATCH /api/v1/accounts/update_credentials over HTTP: display name, bio (plain text → HTML),
locked and up to four fields, shown by the account JSON and the actor document, and sent as an
`Update` of the actor to the followers' shared inbox; bad values are 422 and change nothing."""

from __future__ import annotations

import asyncio

from mastodon import Mastodon

from pubhub.accounts import admin
from pubhub.store.models import Delivery
from tests.support.store import count


async def _followed_by(instance, peer, account):
    alice = peer.add_actor("alice")
    status, _ = await peer.post(f"{instance.base}/inbox", peer.activity("Follow", alice, account.uri), alice)
    assert status == 202
    await instance.settle()
    assert [r.activity["type"] for r in peer.received] == ["Accept"]
    peer.received.clear()
    return alice


async def test_update_credentials_changes_the_profile_and_federates_an_update(instance, peer):
    gemeente = await instance.create_account("gemeente", display_name="Gemeente")
    token = await instance.token_for(gemeente)
    await _followed_by(instance, peer, gemeente)

    status, body = await instance.request("PATCH", "/api/v1/accounts/update_credentials", token=token, data={
        "display_name": "  Gemeente Oost  ", "note": "Officieel account.\n\nZie https://oost.example <b>#afval</b>",
        "locked": "true",
        "fields_attributes[0][name]": "Website", "fields_attributes[0][value]": "https://oost.example",
        "fields_attributes[1][name]": "Telefoon", "fields_attributes[1][value]": "14 024",
        "fields_attributes[2][name]": "", "fields_attributes[2][value]": "",
    })
    assert status == 200, body
    assert body["display_name"] == "Gemeente Oost" and body["locked"] is True
    assert body["note"] == (
        '<p>Officieel account.</p><p>Zie <a href="https://oost.example" rel="nofollow noopener noreferrer" '
        f'target="_blank">https://oost.example</a> &lt;b&gt;<a href="{instance.base}/tags/afval" '
        'class="mention hashtag" rel="tag">#<span>afval</span></a>&lt;/b&gt;</p>')
    assert [f["name"] for f in body["fields"]] == ["Website", "Telefoon"]  # the blank one is dropped
    assert body["fields"][0]["value"].startswith('<a href="https://oost.example"')
    assert body["fields"][1] == {"name": "Telefoon", "value": "14 024", "verified_at": None}
    assert body["source"]["note"] == "Officieel account.\n\nZie https://oost.example <b>#afval</b>"
    assert body["source"]["fields"][0] == {"name": "Website", "value": "https://oost.example", "verified_at": None}

    status, shown = await instance.request("GET", f"/api/v1/accounts/{gemeente.id}", token=token)
    assert shown["display_name"] == "Gemeente Oost" and shown["note"] == body["note"] and shown["fields"] == body["fields"]
    status, document = await instance.get_ap("/users/gemeente")
    assert document["name"] == "Gemeente Oost" and document["summary"] == body["note"]
    assert document["manuallyApprovesFollowers"] is True
    assert document["attachment"][1] == {"type": "PropertyValue", "name": "Telefoon", "value": "14 024"}

    await instance.settle()
    [update] = peer.received
    assert update.verified, update.reason
    assert update.path == "/inbox"  # the follower's server's shared inbox
    activity = update.activity
    assert activity["type"] == "Update" and activity["actor"] == gemeente.uri
    assert activity["to"] == ["https://www.w3.org/ns/activitystreams#Public"]
    assert activity["cc"] == [document["followers"]]
    sent = activity["object"]
    assert sent["id"] == gemeente.uri and sent["name"] == "Gemeente Oost" and sent["attachment"] == document["attachment"]
    assert {"PropertyValue": "schema:PropertyValue", "value": "schema:value"}.items() <= activity["@context"][2].items()

    # Only what is given changes; JSON works too; fields can be emptied.
    status, body = await instance.request("PATCH", "/api/v1/accounts/update_credentials/", token=token,
                                          json={"locked": False, "fields_attributes": []})
    assert status == 200 and body["locked"] is False and body["fields"] == [] and body["display_name"] == "Gemeente Oost"


async def test_bad_values_are_422_and_change_nothing(instance, peer):
    gemeente = await instance.create_account("gemeente", display_name="Gemeente")
    token = await instance.token_for(gemeente)
    await _followed_by(instance, peer, gemeente)
    deliveries = await count(instance, Delivery)
    five = {str(i): {"name": f"n{i}", "value": "v"} for i in range(5)}
    for fields, problem in [
        ({"display_name": "x" * 31}, "display_name: String should have at most 30 characters"),
        ({"note": "x" * 501}, "note: String should have at most 500 characters"),
        ({"note": ["a"]}, "note: Input should be a valid string"),
        ({"display_name": {"a": 1}}, "display_name: Input should be a valid string"),
        ({"locked": "soms"}, "locked: must be a boolean"),
        ({"fields_attributes": five}, "fields_attributes: Value error, at most 4 fields"),
        ({"fields_attributes": [{"name": 1, "value": "v"}]}, "fields_attributes"),
        ({"fields_attributes": "Website"}, "fields_attributes"),
    ]:
        status, body = await instance.request("PATCH", "/api/v1/accounts/update_credentials", token=token, json=fields)
        assert status == 422 and body["error"].startswith("Validation failed: "), (fields, body)
        assert problem.removeprefix("fields_attributes: Value error, ") in body["error"], (fields, body)
    status, me = await instance.request("GET", "/api/v1/accounts/verify_credentials", token=token)
    assert me["display_name"] == "Gemeente" and me["note"] == "" and me["fields"] == [] and me["locked"] is False
    assert await count(instance, Delivery) == deliveries
    await instance.settle()
    assert peer.received == []


async def test_mastodon_py_updates_the_profile(instance):
    token = await instance.token_for(await instance.create_account("gemeente"))

    def client_session():
        api = Mastodon(access_token=token, api_base_url=instance.base, version_check_mode="none", request_timeout=10)
        return api.account_update_credentials(display_name="Gemeente Oost", note="Hallo", locked=True,
                                              fields=[("Website", "https://oost.example"), ("Tel", "14 024")])

    account = await asyncio.to_thread(client_session)
    assert account["display_name"] == "Gemeente Oost" and account["locked"] is True
    assert [f["name"] for f in account["fields"]] == ["Website", "Tel"] and account["note"] == "<p>Hallo</p>"


async def test_a_note_the_operator_sets_is_made_like_one_the_owner_sets(instance):
    """`pubhub accounts modify --note` and update_credentials share one maker of HTML."""
    text = "Officieel account.\nBel 14 024.\n\nZie https://oost.example <b>#afval</b>"
    owner, managed = await instance.create_account("gemeente"), await instance.create_account("wijk")
    status, by_owner = await instance.request("PATCH", "/api/v1/accounts/update_credentials",
                                              token=await instance.token_for(owner), data={"note": text})
    assert status == 200, by_owner
    async with instance.runtime.db.write() as session:
        await admin.modify(instance.runtime, session, await admin.account(session, "wijk"), note=text)
    status, by_operator = await instance.request("GET", "/api/v1/accounts/verify_credentials",
                                                 token=await instance.token_for(managed))
    assert status == 200, by_operator
    assert by_operator["note"] == by_owner["note"]
    assert by_operator["note"].startswith("<p>Officieel account.<br>Bel 14 024.</p><p>Zie <a href=\"https://oost.example\"")
    assert "&lt;b&gt;" in by_operator["note"] and 'class="mention hashtag"' in by_operator["note"]
    assert by_operator["source"]["note"] == by_owner["source"]["note"] == text  # kept as typed, to edit again


async def test_an_avatar_and_header_are_uploaded_cropped_stripped_federated_and_replaced(instance, peer):
    import io
    import os

    import aiohttp
    from PIL import Image

    from tests.social.test_images import jpeg_with_location

    gemeente = await instance.create_account("gemeente")
    token = await instance.token_for(gemeente)
    await _followed_by(instance, peer, gemeente)

    def form(image: bytes, **fields) -> aiohttp.FormData:
        body = aiohttp.FormData()
        body.add_field("avatar", image, filename="logo.jpg", content_type="image/jpeg")
        for name, value in fields.items():
            body.add_field(name, value)
        return body

    status, body = await instance.request("PATCH", "/api/v1/accounts/update_credentials", token=token,
                                          data=form(jpeg_with_location((800, 600)), display_name="Gemeente Oost"))
    assert status == 200, body
    assert body["display_name"] == "Gemeente Oost" and body["avatar"].startswith(f"{instance.base}/media/")
    async with instance.http.get(body["avatar"]) as response:
        picture = await response.read()
    assert Image.open(io.BytesIO(picture)).size == (400, 400) and b"CameraMaker" not in picture
    status, document = await instance.get_ap("/users/gemeente")
    assert document["icon"] == {"type": "Image", "url": body["avatar"]}
    await instance.settle()
    [update] = peer.received
    assert update.activity["type"] == "Update" and update.activity["object"]["icon"]["url"] == body["avatar"]

    first = body["avatar"]
    status, body = await instance.request("PATCH", "/api/v1/accounts/update_credentials", token=token,
                                          data=form(jpeg_with_location((300, 300))))
    assert status == 200 and body["avatar"] != first
    async with instance.http.get(first) as response:
        assert response.status == 404  # the replaced picture is gone
    assert len(os.listdir(instance.settings.media_dir)) == 1

    for bad, reason in ((b"not an image", "not an image"),):
        status, refused = await instance.request("PATCH", "/api/v1/accounts/update_credentials", token=token,
                                                 data=form(bad, display_name="Anders"))
        assert status == 422 and reason in refused["error"]
    status, shown = await instance.request("GET", f"/api/v1/accounts/{gemeente.id}", token=token)
    assert shown["display_name"] == "Gemeente Oost" and shown["avatar"] == body["avatar"]  # nothing changed
    assert len(os.listdir(instance.settings.media_dir)) == 1

    header = aiohttp.FormData()
    header.add_field("header", jpeg_with_location((2000, 1000)), filename="h.jpg", content_type="image/jpeg")
    status, body = await instance.request("PATCH", "/api/v1/accounts/update_credentials", token=token, data=header)
    assert status == 200 and body["header"].startswith(f"{instance.base}/media/") and body["avatar"] == shown["avatar"]
    async with instance.http.get(body["header"]) as response:
        assert Image.open(io.BytesIO(await response.read())).size == (1500, 500)
    status, document = await instance.get_ap("/users/gemeente")
    assert document["image"] == {"type": "Image", "url": body["header"]}
