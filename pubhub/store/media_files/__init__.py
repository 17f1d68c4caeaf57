"""Where media files (uploads, their previews, avatars and headers) are kept: one small
interface, two places. `LocalDirectory` (PUBHUB_MEDIA_DIR, the default) and `S3Bucket` (any
S3-compatible store, PUBHUB_MEDIA_STORE=s3://...).

A removed post's files are moved under QUARANTINE (kept for its appeal) where nothing serves
them: `serve` takes only names PubHub writes (FILE_NAME, no "/"), and in a bucket they lose any
public ACL. Nothing here blocks the event loop: the directory is worked in a thread, the
bucket through an asynchronous client.
"""

from __future__ import annotations

from pathlib import Path

from ...config import Settings
from .interface import (CACHE_CONTROL, FILE_NAME, MEDIA_TYPES, QUARANTINE, MediaFiles, MediaStoreUnavailable, Served,
                        Stream, media_type)
from .local import LocalDirectory

__all__ = ["CACHE_CONTROL", "FILE_NAME", "MEDIA_TYPES", "QUARANTINE", "MediaFiles", "MediaStoreUnavailable", "Served",
           "Stream", "media_files", "media_type"]


def media_files(settings: Settings) -> MediaFiles:
    """The store the settings name (nothing is contacted before `start`)."""
    if settings.media_store is not None:
        from .s3 import S3Bucket  # only an operator with a bucket loads botocore (not a cycle: a cost)

        return S3Bucket(settings.media_store)
    return LocalDirectory(Path(settings.media_dir))
