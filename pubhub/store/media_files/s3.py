"""Media files in an S3-compatible bucket (AWS S3, MinIO, Garage, Scaleway, ...) through
aiobotocore: botocore's own request building, SigV4 signing, error parsing and retries, on
aiohttp, which PubHub runs on already, so no request blocks the event loop.

Public files are top-level keys named as PubHub writes them; a removed post's files move to
`removed/NAME` (copied without a public ACL, then deleted where they were): /media/NAME never
reaches them, and a public base URL (PUBHUB_MEDIA_BASE_URL) only serves what is readable to
anyone, which they no longer are (with `acl=none` the bucket's policy must refuse
`removed/*` to anonymous readers: see the README).
"""

from __future__ import annotations

import asyncio
import logging
from contextlib import AsyncExitStack

from aiobotocore.session import get_session
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from ...config import ConfigError
from ...media_location import S3Location
from .interface import CACHE_CONTROL, QUARANTINE, MediaStoreUnavailable, Served, media_type

log = logging.getLogger("pubhub.store.media_files")
FAILURES = (ClientError, BotoCoreError, OSError, asyncio.TimeoutError)
MISSING = {"NoSuchKey", "404", "NotFound"}
# What a HEAD of the bucket answers without a body, said for the operator.
HEAD_BUCKET = {"404": "no such bucket (create it first)", "NoSuchBucket": "no such bucket (create it first)",
               "403": "access denied (check the access key, its secret and its rights on the bucket)",
               "301": "the bucket is in another region, or needs addressing=virtual (set region=...)",
               "400": "the store refused the request (check region=... and addressing=...)"}
AT_ONCE = 16  # requests to the bucket at a time for one call (a prune of a thousand files)


def _config() -> Config:
    return Config(
        signature_version="s3v4", connect_timeout=5, read_timeout=30,
        retries={"max_attempts": 3, "mode": "standard"},
        # Checksums only where S3 requires them: the newer default (CRC32 trailers on every
        # upload) is refused by several S3-compatible stores.
        request_checksum_calculation="when_required", response_checksum_validation="when_required")


class S3Bucket:
    def __init__(self, location: S3Location):
        self.location = location
        self._client = None
        self._stack = AsyncExitStack()
        self._opening = asyncio.Lock()
        self._at_once = asyncio.Semaphore(AT_ONCE)

    async def start(self) -> None:
        """The bucket answers with these keys, else one line saying what failed (never the secret)."""
        client = await self._ready()
        try:
            await client.head_bucket(Bucket=self.location.bucket)
        except FAILURES as exc:
            reason = HEAD_BUCKET.get(_code(exc), _reason(exc)) if isinstance(exc, ClientError) else _reason(exc)
            raise ConfigError(f"PUBHUB_MEDIA_STORE: bucket {self.location.bucket!r} at {self.location.endpoint} "
                              f"cannot be used: {reason}") from exc

    async def write(self, files: dict[str, bytes]) -> None:
        extra = {"ACL": self.location.acl} if self.location.acl else {}
        try:
            await self._each(list(files), lambda client, name: client.put_object(
                Bucket=self.location.bucket, Key=name, Body=files[name], ContentType=media_type(name),
                CacheControl=CACHE_CONTROL, **extra))
        except FAILURES as exc:
            log.warning("media not stored bucket=%s reason=%s", self.location.bucket, _reason(exc))
            await self.remove(list(files))  # a preview written beside a failed original must not stay behind
            raise MediaStoreUnavailable("the media storage is unavailable: try again later") from exc

    async def remove(self, names: list[str]) -> None:
        await self._quietly("removed", names, self._delete)

    async def quarantine(self, names: list[str]) -> None:
        # Copies lose the public ACL (S3 does not copy ACLs); `private` said outright where ACLs are used.
        extra = {"ACL": "private"} if self.location.acl else {}
        await self._quietly("quarantined", names, lambda client, name: self._move(
            client, name, f"{QUARANTINE}/{name}", extra))

    async def restore(self, names: list[str]) -> None:
        extra = {"ACL": self.location.acl} if self.location.acl else {}
        await self._quietly("restored", names, lambda client, name: self._move(
            client, f"{QUARANTINE}/{name}", name, extra))

    async def remove_quarantined(self, names: list[str]) -> None:
        await self._quietly("removed", [f"{QUARANTINE}/{name}" for name in names], self._delete)

    async def serve(self, name: str) -> Served | None:
        client = await self._ready()
        try:
            found = await client.get_object(Bucket=self.location.bucket, Key=name)
        except ClientError as exc:
            if _code(exc) in MISSING:
                return None
            raise MediaStoreUnavailable("the media storage is unavailable") from exc
        except FAILURES as exc:
            raise MediaStoreUnavailable("the media storage is unavailable") from exc
        return Served(size=found.get("ContentLength"), stream=found["Body"], etag=found.get("ETag"))

    async def close(self) -> None:
        await self._stack.aclose()
        self._client = None

    async def _ready(self):
        """The client, made once (botocore reads its S3 model then: `start` does it before serving)."""
        async with self._opening:
            if self._client is None:
                self._client = await self._stack.enter_async_context(get_session().create_client(
                    "s3", endpoint_url=self.location.endpoint, region_name=self.location.region,
                    aws_access_key_id=self.location.access_key, aws_secret_access_key=self.location.secret_key,
                    config=_config().merge(Config(s3={"addressing_style": self.location.addressing}))))
        return self._client

    async def _each(self, keys: list[str], work) -> None:
        client = await self._ready()

        async def one(key: str):
            async with self._at_once:
                return await work(client, key)

        await asyncio.gather(*(one(key) for key in keys))

    async def _quietly(self, what: str, keys: list[str], work) -> None:
        """Like a directory's files: a missing one is no error, a failure is logged and the rest go on."""
        async def one(client, key: str) -> None:
            try:
                await work(client, key)
            except ClientError as exc:
                if _code(exc) not in MISSING:
                    log.warning("media file not %s key=%s reason=%s", what, key, _reason(exc))
            except FAILURES as exc:
                log.warning("media file not %s key=%s reason=%s", what, key, _reason(exc))

        if keys:
            await self._each(keys, one)

    async def _delete(self, client, key: str) -> None:
        await client.delete_object(Bucket=self.location.bucket, Key=key)

    async def _move(self, client, source: str, target: str, extra: dict) -> None:
        await client.copy_object(Bucket=self.location.bucket, Key=target, **extra,
                                 CopySource={"Bucket": self.location.bucket, "Key": source})
        await client.delete_object(Bucket=self.location.bucket, Key=source)


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def _reason(exc: BaseException) -> str:
    """What went wrong, for a log line: the store's error code, or the exception's first line."""
    if isinstance(exc, ClientError):
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        return f"{_code(exc) or 'error'} (HTTP {status})"
    text = str(exc).strip().splitlines()
    return text[0] if text else exc.__class__.__name__
