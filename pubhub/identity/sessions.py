"""A local account proves a room's attribute rule (join: attributes):

1. `start_verification`: the verifier opens a session for exactly the attributes the rule reads;
   PubHub keeps the session (single use, SESSION_LIFETIME) and hands the app what it needs.
2. the person proves the attributes in their app (Yivi: scans the QR code);
3. `complete_verification`: the session is claimed once (a second completion is refused), the
   verifier checks the proof, the rule is evaluated on the verified values, and only the outcome
   is kept: this account satisfies this room's rule (at its version, through this provider)
   until PROOF_LASTS from now. The values are never written to the database or the logs.

Someone on another fediverse server proves the rule on the room's web page instead (a session
with no account, bound to their browser): what they get is a one-time link code (LINK_CODE_LIFETIME,
single use, only its hash kept) to send the room in a direct message from their own account
(rooms/link_codes.py redeems it).

Each outcome is in the room's decisions log (`verified`). A change of the rule (a new version)
or the end of PROOF_LASTS means verifying again (rooms/verdicts.py asks for a current one).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..errors import Forbidden, NotFound, PubHubError, Unprocessable
from ..runtime import Runtime
from ..store import actors as actor_store
from ..store import rooms as room_store
from ..store import verifications as store
from ..store.db import Session
from ..store.models import Actor, Room, VerificationSession
from .attribute_rules import attributes_of, satisfies
from .verifier import ProofRefused, Started, Verified, Verifier, VerifierUnavailable

SESSION_LIFETIME = timedelta(minutes=15)
LINK_CODE_LIFETIME = timedelta(minutes=15)
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed again
log = logging.getLogger("pubhub.identity")


@dataclass(frozen=True)
class Outcome:
    room_id: int
    provider: str
    rule_version: int
    satisfied_until: datetime
    code: str | None = None  # for a web page's session: the link code, shown once


async def start_verification(rt: Runtime, account: Actor | None, room_id: int | None, provider: str | None,
                             browser_key: str | None = None) -> tuple[VerificationSession, Started]:
    """For `account`, or (None) for the browser `browser_key` names, on the room's web page."""
    name, verifier = _verifier(rt, provider)
    async with rt.db.read() as session:
        room = await _gated_room(session, room_id)
    attributes = attributes_of(room.attribute_rule)
    started = await _asking(verifier.start(attributes))  # outside any transaction: a network call
    now = rt.clock.now()
    async with rt.db.write() as session:
        row = await store.add_session(session, provider=name, reference=started.reference, room_id=room.id,
                                      account_id=account.id if account is not None else None,
                                      browser_hash=hashed(browser_key) if account is None else None,
                                      rule_version=room.rule_version, attributes=attributes,
                                      state="pending", created_at=now, expires_at=now + SESSION_LIFETIME)
    return row, started


async def complete_verification(rt: Runtime, account: Actor, session_id: int | None, proof: str | None = None) -> Outcome:
    """The account's own session, completed through the API (Yivi: the result is fetched)."""
    async with rt.db.write() as session:
        row = await store.session_by_id(session, session_id) if session_id is not None else None
        if row is None or row.account_id != account.id:
            raise NotFound("Record not found")
        await claim(rt, session, row)
    return await _checked(rt, row, proof)


async def complete_in_browser(rt: Runtime, session_id: int | None, browser_key: str) -> Outcome:
    """A web page's session, completed from the browser that started it."""
    async with rt.db.write() as session:
        row = await store.session_by_id(session, session_id) if session_id is not None else None
        if row is None or row.account_id is not None or not same_browser(row, browser_key):
            raise NotFound("no verification of this browser is waiting: start again from the room's page")
        await claim(rt, session, row)
    return await _checked(rt, row, None)


async def complete_by_reference(rt: Runtime, provider: str, reference: str, proof: str | None) -> Outcome:
    """A session completed where the provider sends the person back (OpenID Connect's callback):
    the reference (its `state`) is the unguessable handle, bound to the account that started it."""
    async with rt.db.write() as session:
        row = await store.session_by_reference(session, provider, reference) if reference else None
        if row is None:
            raise NotFound("no verification is waiting for this answer: start again from the room")
        await claim(rt, session, row)
    return await _checked(rt, row, proof)


async def claim(rt: Runtime, session: Session, row: VerificationSession) -> None:
    if not await store.claim_session(session, row.id, rt.clock.now()):
        raise Unprocessable(f"this verification is {'expired' if row.state == 'pending' else 'used already'}: "
                            "start a new one")


async def check_proof(rt: Runtime, row: VerificationSession, proof: str | None) -> Verified:
    """The claimed session's proof, checked by its verifier: 503 if it cannot say (the session
    may be tried again), 422 with the reason if it refuses."""
    verifier = rt.verifiers.get(row.provider)
    try:
        if verifier is None:
            raise VerifierUnavailable(f"the verifier {row.provider} is no longer configured")
        return await verifier.check(row.reference, list(row.attributes), proof, now=rt.clock.now())
    except VerifierUnavailable as exc:
        await finish(rt, row.id, "pending")  # nothing was proved or refused: it may be tried again
        log.warning("verification %s: %s", row.id, exc)
        raise PubHubError(f"the identity verifier is unavailable: {exc}", status=503) from exc
    except ProofRefused as exc:
        await finish(rt, row.id, "refused")
        log.info("verification %s (%s) refused: %s", row.id, row.purpose, exc)
        raise Unprocessable(f"the proof is refused: {exc}") from exc


async def _checked(rt: Runtime, row: VerificationSession, proof: str | None) -> Outcome:
    if row.purpose != "room":
        raise NotFound("no verification is waiting for this answer: start again from the room")
    verified = await check_proof(rt, row, proof)
    account = None
    if row.account_id is not None:
        async with rt.db.read() as session:
            account = await actor_store.by_id(session, row.account_id)
    return await _keep_outcome(rt, account, row, verified.attributes)


async def _keep_outcome(rt: Runtime, account: Actor | None, row: VerificationSession, attributes) -> Outcome:
    now = rt.clock.now()
    async with rt.db.write() as session:
        room = await _gated_room(session, row.room_id)
        if room.rule_version != row.rule_version:
            refusal = "the room's rule changed while you verified: start again"
        elif not satisfies(room.attribute_rule, attributes, now.date()):
            refusal = "the attributes you proved do not satisfy the room's rule"
        else:
            refusal = None
        await store.finish_session(session, row.id, "refused" if refusal else "done", now)
        until, code = now + store.PROOF_LASTS, None
        if refusal is None and account is None:
            code = _new_code()
            await store.add_link_code(session, code, room_id=room.id, rule_version=room.rule_version,
                                      provider=row.provider, created_at=now, expires_at=now + LINK_CODE_LIFETIME)
        elif refusal is None:
            await store.record(session, room_id=room.id, actor_id=account.id, rule_version=room.rule_version,
                               provider=row.provider, satisfied_until=until, now=now)
        if account is not None or refusal is None:  # the web page's refusals name nobody: not logged
            await room_store.add_decision(
                session, room_id=room.id, moderator_id=None, created_at=now,
                action="join_refused" if refusal else ("verified" if account else "link_code"),
                target_actor_id=account.id if account is not None else None,
                reason=refusal or f"rule version {room.rule_version} proved through {row.provider}"
                                  + ("" if account else ": a link code for an account elsewhere"))
    if refusal is not None:
        log.info("verification %s for room %s: %s", row.id, row.room_id, refusal)
        raise Forbidden(refusal)
    return Outcome(room.id, row.provider, room.rule_version, until if code is None else now + LINK_CODE_LIFETIME, code)


def _new_code() -> str:
    letters = "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))  # 50 bits
    return f"{letters[:5]}-{letters[5:]}"


def same_browser(row: VerificationSession, browser_key: str | None) -> bool:
    """Whether the browser whose form key this is started the session."""
    return bool(browser_key) and bool(row.browser_hash) and hmac.compare_digest(row.browser_hash, hashed(browser_key))


def hashed(secret: str | None) -> str:
    return hashlib.sha256((secret or "").encode()).hexdigest()


async def finish(rt: Runtime, session_id: int, state: str) -> None:
    async with rt.db.write() as session:
        await store.finish_session(session, session_id, state, rt.clock.now())


async def _gated_room(session: Session, room_id: int | None) -> Room:
    found = await room_store.room_by_id(session, room_id) if room_id is not None else None
    if found is None or found[1].deleted_at is not None:
        raise NotFound("Record not found")
    room = found[0]
    if room.join_policy != "attributes" or room.attribute_rule is None:
        raise Unprocessable("this room does not ask for proof of attributes (join: open or approval)")
    return room


def _verifier(rt: Runtime, provider: str | None) -> tuple[str, Verifier]:
    if not rt.verifiers:
        raise PubHubError("this instance has no identity verifier (PUBHUB_IDENTITY_VERIFIERS)", status=503)
    name = provider or next(iter(rt.verifiers))
    if name not in rt.verifiers:
        raise Unprocessable(f"provider must be one of {', '.join(rt.verifiers)}")
    return name, rt.verifiers[name]


async def _asking(call):
    try:
        return await call
    except VerifierUnavailable as exc:
        log.warning("identity verifier unavailable: %s", exc)
        raise PubHubError(f"the identity verifier is unavailable: {exc}", status=503) from exc


async def room_of_outcome(rt: Runtime, outcome: Outcome) -> tuple[str, str, str]:
    """(name, URL, handle) of the room an outcome is for, for the page that shows it."""
    async with rt.db.read() as session:
        found = await room_store.room_by_id(session, outcome.room_id)
    if found is None:
        return "", "", ""
    actor = found[1]
    return actor.display_name or actor.username, actor.url or actor.uri, f"@{actor.username}@{rt.domain}"
