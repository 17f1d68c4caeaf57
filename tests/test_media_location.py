"""PUBHUB_MEDIA_STORE, PUBHUB_MEDIA_S3_* and PUBHUB_MEDIA_BASE_URL as an operator writes them:
what is understood, what is refused with what to write instead, and the secret never shown."""

from __future__ import annotations

import pytest

from pubhub.config import ConfigError, Settings

SECRET = "wJalr/XUtnFEMI+K7MDENG"


def settings(**values: str) -> Settings:
    return Settings.from_env({f"PUBHUB_{name.upper()}": value for name, value in values.items()}, env_file=None)


def test_no_store_is_the_directory():
    config = settings(media_dir="/srv/media")
    assert config.media_store is None and config.media_base_url is None
    assert config.described()["media_store"] == "directory /srv/media"


def test_a_bucket_url_with_every_option():
    config = settings(media_store="s3://AKIA1:wJalr%2FXUtnFEMI%2BK7MDENG@minio.internal:9000/gemeente-media"
                                  "?region=garage&scheme=http&addressing=virtual&acl=public-read")
    store = config.media_store
    assert (store.endpoint, store.bucket, store.region, store.addressing, store.acl) == \
        ("http://minio.internal:9000", "gemeente-media", "garage", "virtual", "public-read")
    assert (store.access_key, store.secret_key) == ("AKIA1", SECRET)  # percent-decoded


def test_defaults_follow_mastodon_and_the_base_url():
    private = settings(media_store="s3://key:secret@s3.nl-ams.scw.cloud/media").media_store
    assert (private.endpoint, private.region, private.addressing, private.acl) == \
        ("https://s3.nl-ams.scw.cloud", "us-east-1", "path", None)
    public = settings(media_store="s3://key:secret@s3.nl-ams.scw.cloud/media",
                      media_base_url="https://media.gemeente.example/")
    assert public.media_store.acl == "public-read" and public.media_base_url == "https://media.gemeente.example"
    assert settings(media_store="s3://key:secret@h.example/media?acl=none",
                    media_base_url="https://media.gemeente.example").media_store.acl is None


def test_the_keys_may_come_from_their_own_variables():
    store = settings(media_store="s3://s3.example/media", media_s3_access_key="AKIA2",
                     media_s3_secret_key=SECRET).media_store
    assert (store.access_key, store.secret_key) == ("AKIA2", SECRET)


def test_the_secret_is_never_shown():
    config = settings(media_store="s3://s3.example/media", media_s3_access_key="AKIA2", media_s3_secret_key=SECRET)
    shown = config.described()["media_store"]
    assert shown == "s3://AKIA2:***@s3.example/media?region=us-east-1&scheme=https&addressing=path&acl=none"
    assert SECRET not in repr(config.media_store) and SECRET not in str(config.described())


@pytest.mark.parametrize("value, says", [
    ("https://s3.example/media", "must be empty (the directory PUBHUB_MEDIA_DIR) or s3://"),
    (f"s3://key:{SECRET}@s3.example", "write a / in the secret as %2F"),  # it cuts the URL short
    ("s3://key:hunter2@s3.example", "write one bucket name after the host"),
    ("s3://key:hunter2@s3.example/media/uploads", "write one bucket name after the host"),
    ("s3://key:hunter2@s3.example:99999/media", "after s3:// comes KEY:SECRET@host[:port]"),
    ("s3://key:hunter2@bad_host/media", "after s3:// comes KEY:SECRET@host[:port]"),
    ("s3://key:hunter2@s3.example/media?scheme=ftp", "scheme must be one of https, http"),
    ("s3://key:hunter2@s3.example/media?addressing=dns", "addressing must be one of path, virtual"),
    ("s3://key:hunter2@s3.example/media?acl=public-read-write", "acl must be one of none, public-read"),
    ("s3://key:hunter2@s3.example/media?endpoint=x", "unknown option 'endpoint'"),
    ("s3://s3.example/media", "needs an access key and its secret"),
    ("s3://key@s3.example/media", "needs an access key and its secret"),
])
def test_a_malformed_store_says_what_to_write(value, says):
    with pytest.raises(ConfigError) as refused:
        settings(media_store=value)
    message = str(refused.value)
    assert message.startswith("PUBHUB_MEDIA_STORE: ") and says in message, message
    assert "hunter2" not in message and "wJalr" not in message


@pytest.mark.parametrize("value, says", [
    ("media.gemeente.example", "must be an http(s) URL"),
    ("https://media.gemeente.example/?x=1", "must be an http(s) URL"),
])
def test_a_malformed_base_url_is_refused(value, says):
    with pytest.raises(ConfigError) as refused:
        settings(media_store="s3://key:secret@s3.example/media", media_base_url=value)
    assert str(refused.value).startswith("PUBHUB_MEDIA_BASE_URL: ") and says in str(refused.value)


def test_a_base_url_needs_a_bucket():
    with pytest.raises(ConfigError, match="PUBHUB_MEDIA_BASE_URL is for a bucket"):
        settings(media_base_url="https://media.gemeente.example")
