"""Accepting an inbound activity in the request: everything that can be refused before the
work is queued. Signature → signer is the actor → dedupe by id → persisted → 202."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Mapping

from ..errors import BadRequest, FetchError, SignatureError
from ..jsonutil import loads_untrusted
from .origins import id_of, same_origin
from .signatures import check_signature_preconditions, verify_with_key

if TYPE_CHECKING:
    from ..services import Services

log = logging.getLogger(__name__)


async def accept_inbound(services: "Services", method: str, path: str, headers: Mapping[str, str], body: bytes) -> bool:
    """Verify and persist one inbound activity. True if it was new, False for a replay."""
    parsed = check_signature_preconditions(method, headers, body, expected_host=services.settings.domain)
    activity = loads_untrusted(body, max_bytes=services.settings.max_body_bytes)
    activity_id, kind, actor_uri = _shape(activity)
    if not same_origin(activity_id, actor_uri):
        raise BadRequest("activity id is not on the actor's origin")
    if services.urls.is_local(actor_uri):
        raise SignatureError("activity claims to come from one of our own actors")
    if not same_origin(parsed.key_id, actor_uri):
        raise SignatureError("signer is not the activity's actor")
    owner = await _verify(services, parsed, method, path, headers, gone_ok=kind == "Delete")
    if owner is None:
        return False  # a Delete from an actor that is already gone and never known: nothing to do
    if owner != actor_uri:
        raise SignatureError("signer is not the activity's actor")
    # Group commit: answered once the transaction holding this row has committed.
    is_new = await services.inbox_writes.submit(
        {"uri": activity_id, "type": kind, "actor_uri": actor_uri, "payload": body.decode()}
    )
    log.debug("inbox accepted id=%s type=%s actor=%s new=%s", activity_id, kind, actor_uri, is_new)
    return is_new


def _shape(activity: dict) -> tuple[str, str, str]:
    activity_id, kind, actor_uri = activity.get("id"), activity.get("type"), id_of(activity.get("actor"))
    if not isinstance(activity_id, str) or not activity_id.startswith(("https://", "http://")):
        raise BadRequest("activity has no absolute id")
    if not isinstance(kind, str) or not kind:
        raise BadRequest("activity has no type")
    if not isinstance(actor_uri, str):
        raise BadRequest("activity has no actor")
    if len(activity_id) > 2048 or len(actor_uri) > 2048 or len(kind) > 64:
        raise BadRequest("activity id, type or actor is too long")
    return activity_id, kind, actor_uri


async def _verify(services: "Services", parsed, method, path, headers, *, gone_ok: bool) -> str | None:
    """The verified owner of the signing key. On failure with a cached key, re-fetch once
    (key rotation)."""
    getall = getattr(headers, "getall", None)
    try:
        key, was_cached = await services.actors.key(parsed.key_id)
    except FetchError as exc:
        if gone_ok and exc.status in (404, 410):
            return None
        raise SignatureError(f"could not get the signer's key: {exc.message}") from exc
    try:
        verify_with_key(parsed, method, path, headers, key.public_key_pem, getall)
        return key.owner
    except SignatureError:
        if not was_cached or not services.actors.may_refresh(parsed.key_id):
            raise
    try:
        key = await services.actors.refresh_key(parsed.key_id)
    except FetchError as exc:
        raise SignatureError(f"signature does not verify, and the key could not be re-fetched: {exc.message}") from exc
    verify_with_key(parsed, method, path, headers, key.public_key_pem, getall)
    return key.owner
