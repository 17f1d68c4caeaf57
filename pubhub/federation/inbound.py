"""Accepting an inbound activity in the request: everything that can be refused before the
work is queued. Shape → policy → signature → signer is the actor → dedupe by id → persisted
(group commit) → 202. The inbox worker (`processor.py`) applies it later."""

from __future__ import annotations

import logging
from typing import Mapping

from ..activitypub.fields import id_of, type_among
from ..activitypub.origins import origin, same_origin
from ..activitypub.signatures import check_signature_preconditions
from ..activitypub.verification import verified_signer
from ..errors import BadRequest, Forbidden, SignatureError
from ..jsonutil import loads_untrusted
from ..runtime import Runtime
from ..store import activities as activity_store
from ..store import notify
from ..store.batching import GroupCommit
from .handlers import HANDLERS

log = logging.getLogger(__name__)


class Inbox:
    def __init__(self, rt: Runtime):
        self.rt = rt
        self.writes = GroupCommit(rt.db, self._record)

    async def accept(self, method: str, path: str, headers: Mapping[str, str], body: bytes) -> bool:
        """Verify and persist one inbound activity. True if it was new, False for a replay."""
        rt = self.rt
        parsed = check_signature_preconditions(method, headers, body, expected_host=rt.domain, now=rt.clock.now())
        activity = loads_untrusted(body, max_bytes=rt.settings.max_body_bytes)
        activity_id, kind, actor_uri = _shape(activity)
        if not same_origin(activity_id, actor_uri):
            raise BadRequest("activity id is not on the actor's origin")
        if rt.urls.is_local(actor_uri):
            raise SignatureError("activity claims to come from one of our own actors")
        if not same_origin(parsed.key_id, actor_uri):
            raise SignatureError("signer is not the activity's actor")
        # Before the signer's key is fetched: a refused sender costs us no request to it.
        decision = await rt.policy.inbound(actor_uri, activity)
        if decision.refused:
            log.info("inbox activity refused by policy id=%s type=%s actor=%s reason=%s", activity_id, kind, actor_uri, decision.reason)
            raise Forbidden(f"refused: {decision.reason}")
        owner = await verified_signer(rt.actors, parsed, method, path, headers, gone_ok=kind == "Delete")
        if owner is None:
            return False  # a Delete from an actor that is already gone and never known: nothing to do
        if owner != actor_uri:
            raise SignatureError("signer is not the activity's actor")
        row = {"uri": activity_id, "type": kind, "actor_uri": actor_uri, "origin": origin(actor_uri), "payload": body.decode(),
               "state": "held" if decision.held else "pending"}
        # Group commit: answered once the transaction holding this row has committed.
        is_new = await self.writes.submit(row)
        log.debug("inbox accepted id=%s type=%s actor=%s new=%s state=%s", activity_id, kind, actor_uri, is_new, row["state"])
        return is_new

    async def _record(self, session, rows: list[dict]) -> list[bool]:
        results = await activity_store.record_many(session, rows, now=self.rt.clock.now())
        if any(results):
            await notify.on_commit(session, notify.INBOX, self.rt.inbox_wake)
        return results

    async def drain(self) -> None:
        await self.writes.drain()


def _shape(activity: dict) -> tuple[str, str, str]:
    activity_id, kind, actor_uri = activity.get("id"), type_among(activity, HANDLERS), id_of(activity.get("actor"))
    if not isinstance(activity_id, str) or not activity_id.startswith(("https://", "http://")):
        raise BadRequest("activity has no absolute id")
    if not isinstance(kind, str) or not kind:
        raise BadRequest("activity has no type")
    if not isinstance(actor_uri, str):
        raise BadRequest("activity has no actor")
    if len(activity_id) > 2048 or len(actor_uri) > 2048 or len(kind) > 64:
        raise BadRequest("activity id, type or actor is too long")
    return activity_id, kind, actor_uri
