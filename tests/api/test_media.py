"""Media over HTTP as apps upload it: POST /api/v2/media (and v1) with alt text and focus, the
file served without its metadata, GET/PUT /api/v1/media/:id until posted, media_ids[] on a
status (federated as Mastodon's Documents), remote attachments shown by their URL, and every
refusal with a clear 422 that leaves nothing behind."""

from __future__ import annotations

import io
import os

import aiohttp
import pytest
from PIL import Image

from pubhub.store.models import MediaAttachment, Object
from tests.social.test_images import jpeg_with_location
from tests.support import store
from tests.support.instance import Instance
from tests.support.peer import PUBLIC


@pytest.fixture
async def gemeente(instance):
    return await instance.create_account("gemeente")


@pytest.fixture
async def token(instance, gemeente):
    return await instance.token_for(gemeente)


def form(data: bytes | None = None, *, filename="foto.jpg", content_type="image/jpeg", **fields) -> aiohttp.FormData:
    body = aiohttp.FormData(default_to_multipart=True)
    if data is not None:
        body.add_field("file", data, filename=filename, content_type=content_type)
    for name, value in fields.items():
        body.add_field(name, value)
    return body


async def upload(instance, token, data=None, path="/api/v2/media", **fields) -> tuple[int, dict]:
    return await instance.request("POST", path, token=token, data=form(data or jpeg_with_location(), **fields))


async def fetch(instance, url: str) -> tuple[int, bytes, str]:
    async with instance.http.get(url) as response:
        return response.status, await response.read(), response.headers.get("Content-Type", "")


def media_files(instance) -> list[str]:
    return sorted(name for name in os.listdir(instance.settings.media_dir) if not name.startswith("."))


@pytest.mark.parametrize("path", ["/api/v2/media", "/api/v1/media"])
async def test_an_upload_is_stored_without_its_location_and_described(instance, token, path):
    status, body = await upload(instance, token, path=path, description="Het nieuwe stadhuis", focus="0.5,-0.25")
    assert status == 200, body
    assert body["type"] == "image" and body["description"] == "Het nieuwe stadhuis"
    assert body["meta"]["focus"] == {"x": 0.5, "y": -0.25}
    assert body["meta"]["original"]["width"] == 800 and body["meta"]["small"]["width"] == 480
    assert body["blurhash"] and body["remote_url"] is None
    code, data, content_type = await fetch(instance, body["url"])
    assert (code, content_type) == (200, "image/jpeg")
    assert b"CameraMaker" not in data and b"Exif" not in data and not Image.open(io.BytesIO(data)).getexif()
    code, preview, _ = await fetch(instance, body["preview_url"])
    assert code == 200 and Image.open(io.BytesIO(preview)).size == (480, 360)
    assert len(media_files(instance)) == 2


async def test_alt_text_and_focus_change_until_the_upload_is_posted(instance, token):
    _, media = await upload(instance, token)
    status, body = await instance.request("PUT", f"/api/v1/media/{media['id']}", token=token,
                                          json={"description": "Plattegrond", "focus": "-1,1"})
    assert status == 200 and body["description"] == "Plattegrond" and body["meta"]["focus"] == {"x": -1.0, "y": 1.0}
    status, body = await instance.request("GET", f"/api/v1/media/{media['id']}", token=token)
    assert status == 200 and body["description"] == "Plattegrond"
    await instance.post_status(token, status="", media_ids=[media["id"]])
    for method in ("GET", "PUT"):  # posted: changed only with the status (as in Mastodon)
        status, _ = await instance.request(method, f"/api/v1/media/{media['id']}", token=token, json={"description": "x"})
        assert status == 404


async def test_a_status_with_images_shows_and_federates_them_in_order(instance, token):
    _, first = await upload(instance, token, description="Eerste")
    _, second = await upload(instance, token, data=jpeg_with_location((300, 300)), focus="0.1,0.2")
    posted = await instance.post_status(token, status="Twee foto's", media_ids=[second["id"], first["id"]])
    assert [m["id"] for m in posted["media_attachments"]] == [second["id"], first["id"]]
    assert [m["description"] for m in posted["media_attachments"]] == [None, "Eerste"]
    status, shown = await instance.request("GET", f"/api/v1/statuses/{posted['id']}", token=token)
    assert shown["media_attachments"] == posted["media_attachments"]
    status, note = await instance.get_ap(posted["uri"])
    assert status == 200
    assert note["attachment"] == [
        {"type": "Document", "mediaType": "image/jpeg", "url": second["url"], "name": None,
         "blurhash": second["blurhash"], "focalPoint": [0.1, 0.2], "width": 300, "height": 300},
        {"type": "Document", "mediaType": "image/jpeg", "url": first["url"], "name": "Eerste",
         "blurhash": first["blurhash"], "focalPoint": [0.0, 0.0], "width": 800, "height": 600},
    ]
    assert "toot:blurhash" in str(note["@context"]) and "toot:focalPoint" in str(note["@context"])


async def test_a_blank_status_needs_an_image(instance, token):
    status, body = await instance.request("POST", "/api/v1/statuses", token=token, json={"status": "  "})
    assert status == 422 and "blank" in body["error"]


async def test_deleting_the_status_removes_its_files(instance, token):
    _, media = await upload(instance, token)
    posted = await instance.post_status(token, status="Even", media_ids=[media["id"]])
    status, _ = await instance.request("DELETE", f"/api/v1/statuses/{posted['id']}", token=token)
    assert status == 200
    assert (await fetch(instance, media["url"]))[0] == 404
    assert media_files(instance) == []
    assert await store.count(instance, MediaAttachment) == 0


async def test_uploads_that_are_not_the_posters_own_and_free_refuse_the_status(instance, token):
    other = await instance.token_for(await instance.create_account("burger"))
    _, theirs = await upload(instance, other)
    _, mine = await upload(instance, token)
    uploads = [(await upload(instance, token))[1]["id"] for _ in range(4)]
    for media_ids in ([theirs["id"]], [mine["id"], "123456"], ["abc"], [mine["id"], *uploads]):
        status, body = await instance.request("POST", "/api/v1/statuses", token=token,
                                              json={"status": "Kijk", "media_ids": media_ids})
        assert status == 422, (media_ids, body)
    assert await store.count(instance, Object) == 0
    await instance.post_status(token, status="Eén keer", media_ids=[mine["id"]])
    status, body = await instance.request("POST", "/api/v1/statuses", token=token,
                                          json={"status": "Nog eens", "media_ids": [mine["id"]]})
    assert status == 422 and "not yet attached" in body["error"]
    assert await store.count(instance, Object) == 1


async def test_someone_elses_upload_is_not_found(instance, token):
    _, media = await upload(instance, token)
    other = await instance.token_for(await instance.create_account("burger"))
    for method in ("GET", "PUT"):
        status, _ = await instance.request(method, f"/api/v1/media/{media['id']}", token=other, json={"description": "mijn"})
        assert status == 404
    status, body = await instance.request("GET", f"/api/v1/media/{media['id']}", token=token)
    assert body["description"] is None


@pytest.mark.parametrize("data, filename, reason", [
    (b"GIF89a but not really", "x.gif", "not an image"),
    (b"%PDF-1.7 a document", "x.pdf", "not an image"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "x.svg", "not an image"),
])
async def test_what_is_not_an_image_is_refused_and_nothing_is_kept(instance, token, data, filename, reason):
    status, body = await upload(instance, token, data=data, filename=filename)
    assert status == 422 and reason in body["error"]
    assert media_files(instance) == [] and await store.count(instance, MediaAttachment) == 0


async def test_refusals_of_the_upload_itself(instance, token, gemeente):
    status, body = await instance.request("POST", "/api/v2/media", token=token, json={"file": "aGVsbG8="})
    assert status == 422 and "multipart/form-data" in body["error"]
    status, body = await instance.request("POST", "/api/v2/media", token=token, data=form(None, description="x"))
    assert status == 422 and "file is missing" in body["error"]
    status, body = await upload(instance, token, description="x" * 1501)
    assert status == 422 and "1500" in body["error"]
    status, body = await upload(instance, token, focus="2,0")
    assert status == 422 and "focus" in body["error"]
    assert (await upload(instance, None))[0] == 401
    read_only = await instance.token_for(gemeente, scopes="read")
    assert (await upload(instance, read_only))[0] == 403
    assert media_files(instance) == [] and await store.count(instance, MediaAttachment) == 0


async def test_a_file_over_the_configured_size_is_refused_as_it_arrives(database_url):
    server = await Instance(database_url, media_max_bytes=1024 * 1024).start()
    try:
        token = await server.token_for(await server.create_account("gemeente"))
        status, body = await upload(server, token, data=os.urandom(1024 * 1024 + 1))
        assert status == 422 and body["error"] == "the file is larger than 1 MB"
        assert media_files(server) == [] and await store.count(server, MediaAttachment) == 0
    finally:
        await server.stop()


@pytest.mark.parametrize("path", ["/media/..%2F..%2Fetc%2Fpasswd", "/media/123-abcdefghijklmnop.exe",
                                  "/media/.123-abcdefghijklmnop.jpg.partial", "/media/123-abcdefghijklmnop.jpg"])
async def test_only_stored_media_files_are_served(instance, path):
    async with instance.http.get(instance.base + path) as response:
        assert response.status == 404


async def test_the_instance_tells_apps_what_may_be_uploaded(instance):
    _, body = await instance.request("GET", "/api/v2/instance")
    media = body["configuration"]["media_attachments"]
    assert media["supported_mime_types"] == ["image/jpeg", "image/png", "image/webp", "image/gif"]
    assert media["image_size_limit"] == 16 * 1024 * 1024 and media["image_matrix_limit"] == 7680 * 4320
    assert body["configuration"]["statuses"]["max_media_attachments"] == 4


async def test_a_remote_notes_images_are_shown_by_their_url_and_checked(instance, token, peer, alice):
    posted = await instance.post_status(token, status="Vraag")
    good = {"type": "Document", "mediaType": "image/png", "url": "https://cdn.example/a.png", "name": "Een kaart",
            "blurhash": "UBL_:rOpGG-oBUNG,qRj2so|=eE1w^n4S5NH", "focalPoint": [0.5, 0.5], "width": 400, "height": 200}
    hostile = [{"type": "Document", "mediaType": "image/png", "url": "javascript:alert(1)"},
               {"type": "Document", "url": {"type": "Link", "href": "https://cdn.example/b.jpg"}, "mediaType": "image/jpeg",
                "name": 5, "blurhash": "<script>", "focalPoint": [3, 0], "width": -1}]
    extra = [dict(good, url=f"https://cdn.example/{n}.png") for n in range(4)]
    note = peer.note(alice, "<p>Antwoord</p>", to=[PUBLIC], in_reply_to=posted["uri"], attachment=[good, *hostile, *extra])
    assert (await peer.post(f"{instance.base}/inbox", peer.create(alice, note), alice))[0] == 202
    await instance.settle()
    _, context = await instance.request("GET", f"/api/v1/statuses/{posted['id']}/context", token=token)
    [reply] = context["descendants"]
    shown = reply["media_attachments"]
    assert [m["url"] for m in shown] == ["https://cdn.example/a.png", "https://cdn.example/b.jpg",
                                         "https://cdn.example/0.png", "https://cdn.example/1.png"]
    assert shown[0]["remote_url"] == shown[0]["url"] and shown[0]["description"] == "Een kaart"
    assert shown[0]["meta"]["original"]["width"] == 400 and shown[0]["meta"]["focus"] == {"x": 0.5, "y": 0.5}
    assert shown[1]["description"] is None and shown[1]["blurhash"] is None
    assert shown[1]["meta"] == {"focus": {"x": 0.0, "y": 0.0}}


async def test_the_post_page_shows_our_images_with_their_alt_text(instance, token):
    _, media = await upload(instance, token, description="Het <b>stadhuis</b>")
    posted = await instance.post_status(token, status="Foto", media_ids=[media["id"]])
    async with instance.http.get(f"{instance.base}/@gemeente/{posted['id']}", headers={"Accept": "text/html"}) as response:
        page = await response.text()
    assert f'<img src="{media["preview_url"]}" alt="Het &lt;b&gt;stadhuis&lt;/b&gt;"' in page
    assert f'<a href="{media["url"]}">' in page


async def test_uploads_never_posted_are_removed_after_a_day_and_posted_ones_stay(database_url):
    from pubhub.clock import ManualClock

    clock = ManualClock()
    server = await Instance(database_url, clock=clock).start()
    try:
        token = await server.token_for(await server.create_account("gemeente"))
        _, posted = await upload(server, token)
        await server.post_status(token, status="Met foto", media_ids=[posted["id"]])
        _, left = await upload(server, token)
        await server.settle()  # a worker round now: both are younger than a day
        assert await store.count(server, MediaAttachment) == 2
        clock.advance(23 * 3600)
        await server.settle()
        assert await store.count(server, MediaAttachment) == 2
        clock.advance(2 * 3600)
        await server.settle()
        [kept] = await store.all_of(server, MediaAttachment)
        assert str(kept.id) == posted["id"]
        assert (await fetch(server, left["url"]))[0] == 404 and (await fetch(server, posted["url"]))[0] == 200
        assert len(media_files(server)) == 2  # the posted one and its preview
    finally:
        await server.stop()
