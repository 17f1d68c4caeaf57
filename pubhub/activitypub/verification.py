"""Who signed a request: the verified owner of the signing key, with one re-fetch of a cached
key that no longer verifies (key rotation), at a bounded rate per origin.

Verification runs on the event loop: only RSA keys of 2048-4096 bits with exponent 65537 are
usable (signatures.load_public_key), and the dearest of those, RSA-4096, verifies in ~0.1 ms,
about twice what handing the work to a thread and back costs by itself (~0.06 ms, measured
on the same machine)."""

from __future__ import annotations

from typing import Mapping

from ..errors import FetchError, SignatureError
from .actors import RemoteActors
from .signatures import ParsedSignature, verify_with_key


async def verified_signer(actors: RemoteActors, parsed: ParsedSignature, method: str, path: str,
                          headers: Mapping[str, str], *, gone_ok: bool) -> str | None:
    """The actor id that owns the key and whose own document lists it; SignatureError if the
    signature does not verify. With `gone_ok`, None when the signer's key is gone (404/410)."""
    try:
        key, was_cached = await actors.key(parsed.key_id)
    except FetchError as exc:
        if gone_ok and exc.status in (404, 410):
            return None
        raise SignatureError(f"could not get the signer's key: {exc.message}") from exc
    try:
        verify_with_key(parsed, method, path, headers, key.public_key_pem)
        return key.owner
    except SignatureError:
        if not was_cached or not actors.may_refresh(parsed.key_id):
            raise
    try:
        key = await actors.refresh_key(parsed.key_id)
    except FetchError as exc:
        raise SignatureError(f"signature does not verify, and the key could not be re-fetched: {exc.message}") from exc
    verify_with_key(parsed, method, path, headers, key.public_key_pem)
    return key.owner
