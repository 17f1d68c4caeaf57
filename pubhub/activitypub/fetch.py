"""Fetching ActivityStreams documents: a document counts only if it was served with an
ActivityStreams media type and its `id` equals the URL it was finally fetched from."""

from __future__ import annotations

from urllib.parse import urldefrag

from ..errors import FetchError
from ..jsonutil import loads_untrusted
from .client import HttpClient, Signer
from .vocab import ACCEPT_AP, is_activitypub_media_type

MAX_DOCUMENT_BYTES = 1024 * 1024


async def fetch_document(client: HttpClient, url: str, *, signer: Signer | None = None) -> dict:
    document, final_url = await fetch_unchecked(client, url, signer=signer)
    return require_own_id(document, final_url)


def require_own_id(document: dict, final_url: str) -> dict:
    """The document, if its `id` is the URL it was finally fetched from; else FetchError."""
    if document.get("id") != final_url:
        raise FetchError(f"document id {document.get('id')!r} is not the URL it was fetched from ({final_url})")
    return document


async def fetch_unchecked(client: HttpClient, url: str, *, signer: Signer | None = None) -> tuple[dict, str]:
    """(document, final URL) without the id check: for key documents, whose id has a fragment."""
    url = urldefrag(url)[0]
    response = await client.request("GET", url, headers={"Accept": ACCEPT_AP}, signer=signer,
                                    max_bytes=MAX_DOCUMENT_BYTES)
    if response.status == 410:
        raise FetchError(f"{url} is gone", status=410)
    if response.status != 200:
        raise FetchError(f"{url} answered {response.status}", status=502 if response.status >= 500 else 404)
    if not is_activitypub_media_type(response.content_type):
        raise FetchError(f"{url} was served as {response.content_type!r}, not ActivityStreams JSON")
    try:
        document = loads_untrusted(response.body, max_bytes=MAX_DOCUMENT_BYTES)
    except Exception as exc:  # BadRequest/PayloadTooLarge: the remote's fault, not the caller's
        raise FetchError(f"{url} is not a valid JSON document: {exc}") from exc
    return document, response.url
