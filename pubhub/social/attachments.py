"""A note's images, in one shape for local and remote notes (stored as `objects.attachments`):

    {"url", "preview_url", "media_type", "description", "blurhash", "width", "height",
     "focus": [x, y], "media_id"}

A local note's entries are copied from its uploads when it is posted; a remote note's are read
from its `attachment` (Mastodon's `Document`s), bounded and checked, and shown by their URL
unless the operator has PubHub keep them (social.remote_media: then an entry also has
"cached_url" and "cached_preview_url", our copy, shown instead, the original as `remote_url`).
"""

from __future__ import annotations

import re

from ..activitypub.fields import as_list, id_of
from ..content import is_web_url
from ..store.models import MediaAttachment

MAX_ATTACHMENTS = 4  # per status (Mastodon's max_media_attachments)
MAX_DESCRIPTION = 1500  # alt text, Mastodon's limit
_BLURHASH = re.compile(r"^[0-9A-Za-z#$%*+,\-.:;=?@\[\]^_{|}~]{6,100}$")
_KINDS = ("image", "video", "audio")


def local_entries(uploads: list[MediaAttachment], file_url) -> list[dict]:
    """The entries of a local note, from its uploads in the order they were given;
    `file_url(name)` is where a stored file is served."""
    return [{
        "media_id": str(media.id), "url": file_url(media.file_name), "preview_url": file_url(media.preview_name),
        "media_type": media.media_type, "description": media.description, "blurhash": media.blurhash,
        "width": media.width, "height": media.height, "focus": [media.focus_x, media.focus_y],
    } for media in uploads]


def remote_entries(value) -> list[dict] | None:
    """What we keep of a remote note's `attachment`: the first MAX_ATTACHMENTS documents with an
    http(s) URL; every other field only when it has the right type and size."""
    entries = [entry for entry in (_remote_entry(item) for item in as_list(value)[:20]) if entry]
    return entries[:MAX_ATTACHMENTS] or None


def _remote_entry(item) -> dict | None:
    if not isinstance(item, dict) or item.get("type") not in ("Document", "Image", "Video", "Audio"):
        return None
    url = _url_of(item.get("url"))
    if url is None:
        return None
    media_type = item.get("mediaType")
    entry = {
        "url": url, "preview_url": None,
        "media_type": media_type[:64] if isinstance(media_type, str) else "",
        "description": item["name"][:MAX_DESCRIPTION] if isinstance(item.get("name"), str) else "",
        "blurhash": item["blurhash"] if isinstance(item.get("blurhash"), str) and _BLURHASH.match(item["blurhash"]) else None,
        "width": _dimension(item.get("width")), "height": _dimension(item.get("height")),
        "focus": _focus(item.get("focalPoint")),
    }
    return entry


def _url_of(value) -> str | None:
    """`url` is a string, a Link, or a list of them (Mastodon sends a string)."""
    for candidate in as_list(value)[:5]:
        url = candidate.get("href") if isinstance(candidate, dict) else id_of(candidate)
        if is_web_url(url) and len(url) <= 2048:
            return url
    return None


def _dimension(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= 100_000 else None


def _focus(value) -> list[float]:
    if (isinstance(value, list) and len(value) == 2
            and all(isinstance(v, (int, float)) and not isinstance(v, bool) and -1 <= v <= 1 for v in value)):
        return [float(value[0]), float(value[1])]
    return [0.0, 0.0]


def kind_of(media_type: str) -> str:
    """Mastodon's attachment `type` from a media type: image, gifv, video, audio or unknown."""
    major = media_type.partition("/")[0]
    return major if major in _KINDS else "unknown"


def api_entities(entries: list[dict] | None, note_id: int, *, rejected: bool = False) -> list[dict]:
    """Mastodon's MediaAttachment entities of a note; `rejected` (its server's domain block
    rejects media): as Mastodon shows media it did not fetch, `unknown`, a link to the original
    and nothing for an app to load in line."""
    entities = [media_entity(entry, entry.get("media_id") or f"{note_id}{index}") for index, entry in enumerate(entries or [])]
    if rejected:
        entities = [{**entity, "type": "unknown", "url": None, "preview_url": None, "blurhash": None}
                    for entity in entities]
    return entities


def media_entity(entry: dict, media_id: str) -> dict:
    size = {}
    if entry.get("width") and entry.get("height"):
        size = {"original": {"width": entry["width"], "height": entry["height"],
                             "size": f"{entry['width']}x{entry['height']}",
                             "aspect": round(entry["width"] / entry["height"], 6)}}
    focus = entry.get("focus") or [0.0, 0.0]
    local = entry.get("media_id") is not None
    ours = entry.get("cached_url")  # a remote image kept here (social.remote_media)
    return {
        "id": media_id, "type": kind_of(entry["media_type"]), "url": ours or entry["url"],
        "preview_url": entry.get("cached_preview_url") or entry.get("preview_url") or entry["url"],
        "remote_url": None if local else entry["url"], "preview_remote_url": None, "text_url": None,
        "meta": {**size, "focus": {"x": focus[0], "y": focus[1]}},
        "description": entry.get("description") or None, "blurhash": entry.get("blurhash"),
    }
