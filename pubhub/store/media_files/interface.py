"""The media store's interface (media_files/__init__.py says what it is for): the names it keeps,
what serving a file gives, and the operations each store implements."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import AsyncIterator, Protocol

from ...errors import PubHubError

QUARANTINE = "removed"
# What /media/NAME may name: exactly what social.media writes (no path can be smuggled in).
FILE_NAME = r"[0-9]{1,20}-[A-Za-z0-9_-]{16}(?:-small)?\.(?:jpg|png|webp|gif)"
MEDIA_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp", "gif": "image/gif"}
# A file never changes under its name.
CACHE_CONTROL = "public, max-age=31536000, immutable"


def media_type(name: str) -> str:
    return MEDIA_TYPES[name.rpartition(".")[2]]


class MediaStoreUnavailable(PubHubError):
    """The bucket did not answer, or refused: the request fails whole (nothing half-stored)."""

    status = 503


class Stream(Protocol):
    """A file being read from the bucket (aiobotocore's StreamingBody is one)."""

    def iter_chunks(self, chunk_size: int) -> AsyncIterator[bytes]: ...

    async def aclose(self) -> None: ...


@dataclass
class Served:
    """A public file to send: a local `path` (sent as a file), or the bucket's `stream`,
    which the sender closes, read or not."""

    size: int | None
    path: Path | None = None
    stream: Stream | None = None
    etag: str | None = None


class MediaFiles(Protocol):
    async def start(self) -> None:
        """Ready to work (a bucket: reached and answering), else ConfigError."""

    async def write(self, files: dict[str, bytes]) -> None:
        """Each file, whole, under its name; readers never see part of one."""

    async def remove(self, names: list[str]) -> None:
        """Gone, those that exist."""

    async def quarantine(self, names: list[str]) -> None:
        """Out of reach, kept (a removed post's, for its appeal)."""

    async def restore(self, names: list[str]) -> None:
        """Back from the quarantine, served again."""

    async def remove_quarantined(self, names: list[str]) -> None:
        """Gone from the quarantine."""

    async def serve(self, name: str) -> Served | None:
        """A public file (never a quarantined one), or None."""

    async def close(self) -> None: ...
