"""A remote note's images kept here when the operator asks (PUBHUB_CACHE_REMOTE_MEDIA), over
real HTTP with a peer serving the note and its images: fetched once after the note is stored,
re-encoded without their metadata, shown as our copy with the original in `remote_url`, bounded
in size, type and address, never fetched from a server whose media a domain block rejects nor
when caching is off, kept across an Update that keeps them, and gone with their note."""

from __future__ import annotations

import asyncio
import io
import os

import pytest
from PIL import Image

from pubhub.social.media import UnneededMedia
from pubhub.store.models import MediaAttachment
from tests.api.test_media import fetch
from tests.social.test_images import jpeg_with_location
from tests.support import store
from tests.support.instance import Instance
from tests.support.peer import PUBLIC, RemotePeer


@pytest.fixture
async def keeping(database_url):
    server = await Instance(database_url, cache_remote_media=True, media_max_bytes=200_000).start()
    yield server
    await server.stop()


async def _agency(instance) -> tuple[str, dict]:
    token = await instance.token_for(await instance.create_account("gemeente"))
    return token, await instance.post_status(token, status="Stuur foto's van de wijk")


def _image(peer, name: str, data: bytes = b"", content_type: str = "image/jpeg", **extra) -> dict:
    url = peer.serve(f"/files/{name}", data or jpeg_with_location(), content_type=content_type)
    return {"type": "Document", "mediaType": "image/jpeg", "url": url, "name": f"Foto {name}", **extra}


async def _receive(instance, peer, author, post: dict, attachments: list[dict]) -> tuple[dict, int]:
    """The reply delivered, stored, and its images' fetching over; the note and its id here."""
    note = peer.note(author, "<p>Hier</p>", to=[PUBLIC], in_reply_to=post["uri"], attachment=attachments)
    assert (await peer.post(f"{instance.base}/inbox", peer.create(author, note), author))[0] == 202
    await _settled(instance)
    return note, (await store.note(instance, note["id"])).id


async def _settled(instance) -> None:
    await instance.settle()
    await asyncio.gather(*list(instance.runtime.background))


async def _shown(instance, token: str, note_id: int) -> list[dict]:
    status, body = await instance.request("GET", f"/api/v1/statuses/{note_id}", token=token)
    assert status == 200, body
    return body["media_attachments"]


def _files(instance) -> set[str]:
    directory = instance.settings.media_dir
    return {name for name in os.listdir(directory) if not name.startswith(".")} if os.path.isdir(directory) else set()


async def test_an_image_is_kept_here_shown_as_ours_and_gone_with_its_note(keeping, peer, alice):
    token, post = await _agency(keeping)
    original = _image(peer, "straat.jpg")
    note, note_id = await _receive(keeping, peer, alice, post, [original])
    [shown] = await _shown(keeping, token, note_id)
    assert shown["url"].startswith(f"{keeping.base}/media/") and shown["preview_url"].startswith(f"{keeping.base}/media/")
    assert shown["remote_url"] == original["url"] and shown["description"] == "Foto straat.jpg"
    code, data, content_type = await fetch(keeping, shown["url"])
    assert (code, content_type) == (200, "image/jpeg")
    assert b"CameraMaker" not in data and not Image.open(io.BytesIO(data)).getexif()  # re-encoded like an upload
    assert peer.fetches.count("/files/straat.jpg") == 1
    assert len(_files(keeping)) == 2 and await store.count(keeping, MediaAttachment) == 1

    delete = peer.activity("Delete", alice, {"id": note["id"], "type": "Tombstone"})
    assert (await peer.post(f"{keeping.base}/inbox", delete, alice))[0] == 202
    await keeping.settle()
    assert await UnneededMedia(keeping.runtime).prune_if_due() == 1
    assert _files(keeping) == set() and await store.count(keeping, MediaAttachment) == 0
    assert (await fetch(keeping, shown["url"]))[0] == 404


async def test_only_images_within_the_limits_from_allowed_addresses_are_kept(keeping, peer, alice):
    token, post = await _agency(keeping)
    big = Image.effect_noise((1200, 1200), 100).convert("RGB")
    noisy = io.BytesIO()
    big.save(noisy, "PNG")
    assert len(noisy.getvalue()) > 200_000
    attachments = [
        _image(peer, "groot.png", noisy.getvalue(), "image/png", mediaType="image/png"),  # over PUBHUB_MEDIA_MAX_MB
        _image(peer, "pagina.jpg", b"<html>not an image</html>", "text/html"),  # not an image type
        _image(peer, "vals.jpg", b"GIF89a but not really", "image/jpeg"),  # says image, is not one
        {"type": "Document", "mediaType": "image/jpeg", "url": "http://10.1.2.3/intern.jpg"},  # a private address
    ]
    _note, note_id = await _receive(keeping, peer, alice, post, attachments)
    shown = await _shown(keeping, token, note_id)
    assert [item["url"] for item in shown] == [item["url"] for item in attachments]  # shown by URL, none kept
    assert _files(keeping) == set() and await store.count(keeping, MediaAttachment) == 0


async def test_nothing_is_fetched_when_caching_is_off(instance, peer, alice):
    token, post = await _agency(instance)
    original = _image(peer, "straat.jpg")
    _note, note_id = await _receive(instance, peer, alice, post, [original])
    assert (await _shown(instance, token, note_id))[0]["url"] == original["url"]
    assert "/files/straat.jpg" not in peer.fetches and _files(instance) == set()


async def test_nothing_is_fetched_from_a_server_whose_media_are_rejected(keeping):
    token, post = await _agency(keeping)
    admin = await keeping.token_for(await keeping.create_account("beheerder", role="admin"), "admin:read admin:write")
    status, _ = await keeping.request("POST", "/api/v1/admin/domain_blocks", token=admin,
                                      json={"domain": "127.0.0.2", "severity": "noop", "reject_media": True})
    assert status == 200
    blocked = await RemotePeer(host="127.0.0.2").start()
    try:
        mallory = blocked.add_actor("mallory")
        _note, note_id = await _receive(keeping, blocked, mallory, post, [_image(blocked, "kat.jpg")])
        assert (await _shown(keeping, token, note_id))[0]["url"] is None
        assert "/files/kat.jpg" not in blocked.fetches and _files(keeping) == set()
    finally:
        await blocked.stop()


async def test_an_update_keeps_the_copies_it_still_shows_and_fetches_the_new_ones(keeping, peer, alice):
    token, post = await _agency(keeping)
    first, second = _image(peer, "een.jpg"), _image(peer, "twee.jpg")
    note, note_id = await _receive(keeping, peer, alice, post, [first, second])
    before = await _shown(keeping, token, note_id)
    third = _image(peer, "drie.jpg")
    update = peer.activity("Update", alice, {**note, "attachment": [second, third], "updated": "2026-12-02T10:00:00Z"})
    assert (await peer.post(f"{keeping.base}/inbox", update, alice))[0] == 202
    await _settled(keeping)
    after = await _shown(keeping, token, note_id)
    assert after[0]["url"] == before[1]["url"] and after[1]["remote_url"] == third["url"]
    assert after[1]["url"].startswith(f"{keeping.base}/media/")
    assert [peer.fetches.count(f"/files/{name}") for name in ("een.jpg", "twee.jpg", "drie.jpg")] == [1, 1, 1]
    assert (await fetch(keeping, before[0]["url"]))[0] == 404  # the copy no longer shown is gone
    assert len(_files(keeping)) == 4 and await store.count(keeping, MediaAttachment) == 2


async def test_a_moderators_removal_keeps_the_copy_out_of_reach_for_the_appeal(keeping, peer, alice):
    token, post = await _agency(keeping)
    _note, note_id = await _receive(keeping, peer, alice, post, [_image(peer, "reclame.jpg")])
    [shown] = await _shown(keeping, token, note_id)
    moderator = await keeping.token_for(await keeping.create_account("moderator", role="moderator"),
                                        "admin:read admin:write")
    status, body = await keeping.request("POST", f"/api/v1/pubhub/statuses/{note_id}/remove", token=moderator,
                                         json={"kind": "rule", "text": "1. No spam", "facts": "Reclame"})
    assert status == 200, body
    assert (await fetch(keeping, shown["url"]))[0] == 404
    assert await UnneededMedia(keeping.runtime).prune_if_due() == 0  # kept for the appeal, in removed/
    assert len(os.listdir(os.path.join(keeping.settings.media_dir, "removed"))) == 2
