"""Media in an S3-compatible bucket (PUBHUB_MEDIA_STORE=s3://...), over real HTTP against moto's
S3 server on 127.0.0.1: what is in the bucket after each step an app or a moderator takes
(upload, post, removal and its reversal on appeal, deletion, avatar replaced), served through
/media/NAME with our security headers, or straight from the bucket with a public base URL,
where a removed post's files are never readable by anyone. And the operator's mistakes (a
malformed URL, a bucket that cannot be reached) as one line from the command line."""

from __future__ import annotations

from datetime import timedelta

import aiohttp
import pytest

from pubhub.moderation.removals import APPEAL_PERIOD, RemovedPosts
from pubhub.social.media import UnneededMedia
from pubhub.store.models import MediaAttachment
from tests.support import store

from tests.api.test_media import fetch, upload
from tests.moderation.test_removal_appeals import GROUNDS
from tests.social.test_images import jpeg_with_location
from tests.support.instance import Instance, bound_socket
from tests.support.s3 import Bucket, bucket, s3_server  # noqa: F401 (fixtures)
from tests.test_cli import cli, fails, initialised, ready_cli  # noqa: F401 (fixtures)


async def _started(database_url: str, bucket: Bucket, **settings) -> Instance:
    return await Instance(database_url, media_store=bucket.location(public="media_base_url" in settings),
                          **settings).start()


@pytest.fixture
async def proxied(database_url, bucket):
    """Files served by PubHub at /media/NAME from a private bucket."""
    server = await _started(database_url, bucket)
    yield server
    await server.stop()


def _names(media: dict) -> set[str]:
    return {media["url"].rpartition("/")[2], media["preview_url"].rpartition("/")[2]}


async def _moderators(instance: Instance) -> tuple[str, str]:
    tokens = []
    for name in ("eerste", "tweede"):
        moderator = await instance.create_account(name, role="moderator")
        tokens.append(await instance.token_for(moderator, "admin:read admin:write"))
    return tokens[0], tokens[1]


async def _remove_and_reverse(instance: Instance, bucket: Bucket, author_token: str, post: dict, files: set[str],
                              check_hidden) -> None:
    """A moderator removes the post: its files go to removed/ and out of reach; the author
    appeals, another moderator reverses it: the files are back where they were."""
    first, second = await _moderators(instance)
    status, removal = await instance.request("POST", f"/api/v1/pubhub/statuses/{post['id']}/remove", token=first,
                                             json=GROUNDS)
    assert status == 200, removal
    assert bucket.keys() == {f"removed/{name}" for name in files}
    await check_hidden()
    status, appeal = await instance.request(
        "POST", f"/api/v1/pubhub/decisions/{removal['statement']['id']}/appeal", token=author_token,
        json={"text": "Het waren mijn eigen oude horloges"})
    assert status == 200, appeal
    status, body = await instance.request("POST", f"/api/v1/pubhub/appeals/{appeal['id']}/reverse", token=second,
                                          json={"explanation": "Tweedehands verkoop mag"})
    assert status == 200, body
    assert bucket.keys() == files  # moved back once the reversal committed, before it was answered


async def test_uploads_live_in_the_bucket_through_post_removal_appeal_and_deletion(proxied, bucket):
    instance = proxied
    token = await instance.token_for(await instance.create_account("carol"))
    status, media = await upload(instance, token, description="Horloge")
    assert status == 200, media
    files = _names(media)
    assert bucket.keys() == files and media["url"].startswith(f"{instance.base}/media/")
    async with instance.http.get(media["url"]) as response:
        served = await response.read()
        assert response.status == 200 and response.headers["Content-Type"] == "image/jpeg"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
        assert response.headers["Cache-Control"].startswith("public, max-age=31536000")
        etag = response.headers["ETag"]
    assert served == bucket.data(media["url"].rpartition("/")[2]) and b"CameraMaker" not in served
    async with instance.http.get(media["url"], headers={"If-None-Match": etag}) as response:
        assert response.status == 304
    assert bucket.anonymous_get(media["url"].rpartition("/")[2]) == 403  # the bucket itself is private
    post = await instance.post_status(token, status="Koop nu goedkope horloges", media_ids=[media["id"]])
    assert post["media_attachments"][0]["url"] == media["url"]

    async def not_served():
        for url in (media["url"], media["preview_url"]):
            assert (await fetch(instance, url))[0] == 404
        # a quarantined name is no name PubHub serves, whatever the spelling
        for path in (f"/media/removed/{media['url'].rpartition('/')[2]}", "/media/removed%2F" +
                     media["url"].rpartition("/")[2]):
            assert (await fetch(instance, instance.base + path))[0] == 404

    await _remove_and_reverse(instance, bucket, token, post, files, not_served)
    assert (await fetch(instance, media["url"]))[0] == 200
    status, _ = await instance.request("DELETE", f"/api/v1/statuses/{post['id']}", token=token)
    assert status == 200
    assert bucket.keys() == set()
    assert (await fetch(instance, media["url"]))[0] == 404


async def test_a_replaced_avatar_leaves_only_the_new_one_in_the_bucket(proxied, bucket):
    instance = proxied
    token = await instance.token_for(await instance.create_account("gemeente"))

    async def avatar(size) -> str:
        body = aiohttp.FormData()
        body.add_field("avatar", jpeg_with_location(size), filename="logo.jpg", content_type="image/jpeg")
        status, account = await instance.request("PATCH", "/api/v1/accounts/update_credentials", token=token, data=body)
        assert status == 200, account
        return account["avatar"]

    first = await avatar((800, 600))
    assert bucket.keys() == {first.rpartition("/")[2]} and (await fetch(instance, first))[0] == 200
    second = await avatar((300, 300))
    assert bucket.keys() == {second.rpartition("/")[2]}
    assert (await fetch(instance, first))[0] == 404 and (await fetch(instance, second))[0] == 200


async def test_what_the_workers_prune_goes_from_the_bucket(database_url, bucket, clock):
    """An upload never posted goes after a day; a removed post's files after its appeal period."""
    instance = await _started(database_url, bucket, clock=clock)
    try:
        token = await instance.token_for(await instance.create_account("carol"))
        _, unposted = await upload(instance, token)
        _, posted = await upload(instance, token)
        post = await instance.post_status(token, status="Horloges", media_ids=[posted["id"]])
        first, _ = await _moderators(instance)
        status, _ = await instance.request("POST", f"/api/v1/pubhub/statuses/{post['id']}/remove", token=first,
                                           json=GROUNDS)
        assert status == 200
        assert bucket.keys() == _names(unposted) | {f"removed/{name}" for name in _names(posted)}
        clock.advance((APPEAL_PERIOD + timedelta(days=1)).total_seconds())
        assert await UnneededMedia(instance.runtime).prune_if_due() == 1
        assert bucket.keys() == {f"removed/{name}" for name in _names(posted)}
        assert await RemovedPosts(instance.runtime).purge_if_due() == 1
        assert bucket.keys() == set()
    finally:
        await instance.stop()


async def test_a_refused_upload_leaves_nothing_in_the_bucket(proxied, bucket):
    token = await proxied.token_for(await proxied.create_account("carol"))
    status, body = await upload(proxied, token, data=b"not an image")
    assert status == 422, body
    assert bucket.keys() == set()


async def test_a_bucket_gone_after_the_start_fails_an_upload_whole(proxied, bucket):
    token = await proxied.token_for(await proxied.create_account("carol"))
    _, kept = await upload(proxied, token)
    async with proxied.http.head(kept["url"]) as response:  # headers only, and the connection still good
        assert response.status == 200 and response.headers["Content-Type"] == "image/jpeg"
        assert int(response.headers["Content-Length"]) == len(bucket.data(kept["url"].rpartition("/")[2]))
    for key in bucket.keys():
        bucket.client.delete_object(Bucket=bucket.name, Key=key)
    bucket.client.delete_bucket(Bucket=bucket.name)
    status, body = await upload(proxied, token)
    assert status == 503 and "media storage is unavailable" in body["error"], body
    assert (await fetch(proxied, kept["url"]))[0] == 503  # the store's fault, not a file that is not there
    assert await store.count(proxied, MediaAttachment) == 1  # the first upload's row: none for the refused one


async def test_with_a_public_base_url_links_go_to_the_bucket_and_removed_files_are_private(database_url, bucket):
    base = f"{bucket.endpoint}/{bucket.name}"  # the bucket's own public address (a CDN in front, in real life)
    instance = await _started(database_url, bucket, media_base_url=base)
    try:
        token = await instance.token_for(await instance.create_account("carol"))
        status, media = await upload(instance, token)
        assert status == 200, media
        assert media["url"].startswith(f"{base}/") and media["preview_url"].startswith(f"{base}/")
        files = _names(media)
        assert all(bucket.anonymous_get(name) == 200 for name in files)  # public-read, as Mastodon's S3_PERMISSION
        post = await instance.post_status(token, status="Met foto", media_ids=[media["id"]])
        status, document = await instance.get_ap(post["uri"])
        assert document["attachment"][0]["url"] == media["url"]

        async def private():
            assert all(bucket.anonymous_get(f"removed/{name}") == 403 for name in files)
            assert all(bucket.anonymous_get(name) == 404 for name in files)

        await _remove_and_reverse(instance, bucket, token, post, files, private)
        assert all(bucket.anonymous_get(name) == 200 for name in files)
    finally:
        await instance.stop()


async def test_a_bucket_that_does_not_answer_stops_the_start(database_url, bucket):
    with pytest.raises(Exception, match="bucket 'missing-bucket' at .* cannot be used: no such bucket"):
        await Instance(database_url, media_store=Bucket("missing-bucket", bucket.endpoint).location()).start()


def test_the_command_line_says_in_one_line_what_is_wrong_with_the_store(ready_cli, bucket):
    closed = bound_socket()  # bound, never listening: connections are refused
    port = closed.getsockname()[1]
    try:
        malformed, unreachable, worker = ready_cli.many(
            (("serve", "--port", "0"), {"PUBHUB_MEDIA_STORE": "s3://key:very-secret@bucket-host"}),
            (("serve", "--port", "0"), {"PUBHUB_MEDIA_STORE": f"s3://key:very-secret@127.0.0.1:{port}/media?scheme=http"}),
            (("worker",), {"PUBHUB_MEDIA_STORE": f"s3://key:very-secret@127.0.0.1:{port}/media?scheme=http"}))
    finally:
        closed.close()
    line = fails(malformed)
    assert line.startswith("Error: configuration: PUBHUB_MEDIA_STORE: ") and "bucket" in line, line
    for result in (unreachable, worker):  # after the start-up log lines, one error, before anything runs
        assert result.returncode != 0 and "Traceback" not in result.stderr and "PubHub serving" not in result.stdout
        line = result.stderr.strip().splitlines()[-1]
        assert line.startswith(f"Error: configuration: PUBHUB_MEDIA_STORE: bucket 'media' at http://127.0.0.1:{port} "
                               "cannot be used: "), line
    for result in (malformed, unreachable, worker):
        assert "very-secret" not in result.stdout + result.stderr


async def test_a_kept_copy_of_a_remote_image_lands_in_the_bucket(database_url, bucket, peer, alice):
    from tests.social.test_remote_media import _agency, _image, _receive, _shown

    instance = await _started(database_url, bucket, cache_remote_media=True)
    try:
        token, post = await _agency(instance)
        _note, note_id = await _receive(instance, peer, alice, post, [_image(peer, "straat.jpg")])
        [shown] = await _shown(instance, token, note_id)
        assert bucket.keys() == _names(shown)
        assert (await fetch(instance, shown["url"]))[0] == 200
    finally:
        await instance.stop()
