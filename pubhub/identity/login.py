"""Sign-in without passwords, as PubHubs does: when PUBHUB_LOGIN_VERIFIER and
PUBHUB_LOGIN_ATTRIBUTE are set, the OAuth sign-in page offers proving that attribute (an e-mail
address through Yivi, an OpenID Connect subject) beside the password.

A proof finds the account that attribute was linked to; the first time, the person chooses the
handle of a new account (never derived from the attribute), which is then linked. Only the
attribute's keyed hash is kept (HMAC-SHA256 with the instance's secret, so the table names nobody
to whoever reads it), never its value. The sessions are the verifiers' single-use sessions
(identity/sessions.py), bound to the browser that started them; one that proved an attribute
with no account yet may create one, once, within its lifetime.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from ..accounts.local import create_local_account
from ..accounts.principal import may_act
from ..errors import Forbidden, NotFound, Unprocessable
from ..runtime import Runtime
from ..store import actors as actor_store
from ..store import verifications as store
from ..store.db import DuplicateRow
from ..store.models import Actor, VerificationSession
from .sessions import SESSION_LIFETIME, check_proof, claim, finish, hashed, same_browser
from .verifier import Started

SUBJECT = "subject"  # PUBHUB_LOGIN_ATTRIBUTE naming the verifier's own stable id of the person


@dataclass(frozen=True)
class LoginOutcome:
    session_id: int
    return_to: str
    account: Actor | None  # None: proved, with no account yet (the person chooses a handle)


def login_enabled(rt: Runtime) -> bool:
    return bool(rt.settings.login_verifier) and rt.settings.login_verifier in rt.verifiers


async def start_login(rt: Runtime, browser_key: str, return_to: str) -> tuple[VerificationSession, Started]:
    if not login_enabled(rt):
        raise NotFound("signing in by attribute is not offered here")
    name, attribute = rt.settings.login_verifier, rt.settings.login_attribute
    started = await rt.verifiers[name].start([] if attribute == SUBJECT else [attribute])
    now = rt.clock.now()
    async with rt.db.write() as session:
        row = await store.add_session(session, provider=name, reference=started.reference, room_id=None,
                                      purpose="login", return_to=return_to, account_id=None,
                                      browser_hash=hashed(browser_key), rule_version=0,
                                      attributes=[] if attribute == SUBJECT else [attribute], state="pending",
                                      created_at=now, expires_at=now + SESSION_LIFETIME)
    return row, started


async def prove_login(rt: Runtime, *, browser_key: str | None, session_id: int | None = None,
                      reference: str | None = None, proof: str | None = None) -> LoginOutcome:
    """Complete a sign-in session in the browser that started it: found by its id (Yivi), or by
    the provider's `reference` (OpenID Connect's `state`, brought back by the callback). Only that
    browser may: a sign-in someone else finishes at the provider (a link they were sent) would
    otherwise sign the sender in as them."""
    async with rt.db.write() as session:
        if reference is not None:
            row = await store.session_by_reference(session, rt.settings.login_verifier or "", reference)
        else:
            row = await store.session_by_id(session, session_id) if session_id is not None else None
        if row is not None and not same_browser(row, browser_key):
            row = None
        if row is None or row.purpose != "login":
            raise NotFound("no sign-in is waiting for this: start again")
        await claim(rt, session, row)
    verified = await check_proof(rt, row, proof)
    attribute = rt.settings.login_attribute
    value = verified.subject if attribute == SUBJECT else verified.attributes.get(attribute or "")
    if not value:
        await finish(rt, row.id, "refused")
        raise Unprocessable(f"the proof does not include {attribute}")
    key = _key(await rt.signing_key(), row.provider, attribute or "", value)
    async with rt.db.write() as session:
        link = await store.login_link_by_hash(session, key)
        account = await actor_store.by_id(session, link.actor_id) if link is not None else None
        if account is not None and not may_act(account):
            account = None
            await store.finish_session(session, row.id, "refused", rt.clock.now())
            raise Forbidden("the account this proof belongs to cannot sign in (suspended, disabled or deleted)")
        current = await store.session_by_id(session, row.id)
        current.subject_hash = key if account is None else None
        current.account_id = account.id if account is not None else None
        current.state, current.finished_at = ("done" if account is not None else "verified"), rt.clock.now()
    return LoginOutcome(row.id, row.return_to or "", account)


async def login_started_at(rt: Runtime, reference: str) -> str | None:
    """Where the sign-in waiting for the provider's answer `reference` was started (`/admin`, or
    the OAuth page's request), so that the callback sends the browser back there to finish it
    under that page's cookie; None if no sign-in waits for it."""
    async with rt.db.read() as session:
        row = await store.session_by_reference(session, rt.settings.login_verifier or "", reference) if reference else None
    return row.return_to if row is not None and row.purpose == "login" else None


async def waiting_login(rt: Runtime, session_id: int | None, browser_key: str) -> VerificationSession:
    """A sign-in session of this browser that proved an attribute with no account yet."""
    async with rt.db.read() as session:
        row = await store.session_by_id(session, session_id) if session_id is not None else None
    if row is None or row.purpose != "login" or not same_browser(row, browser_key) or row.state != "verified" \
            or not row.subject_hash or row.expires_at < rt.clock.now():
        raise NotFound("no sign-in is waiting for this: start again")
    return row


async def register(rt: Runtime, session_id: int | None, browser_key: str, username: str) -> Actor:
    """The new account of someone who proved the attribute: the handle they chose, linked."""
    row = await waiting_login(rt, session_id, browser_key)
    now = rt.clock.now()
    try:
        async with rt.db.write() as session:
            current = await store.session_by_id(session, row.id)
            if current.state != "verified":
                raise NotFound("no sign-in is waiting for this: start again")
            account = await create_local_account(session, rt.urls, rt.domain, username, now=now)
            await store.add_login_link(session, actor_id=account.id, provider=row.provider, key_hash=row.subject_hash,
                                       created_at=now)
            current.state, current.subject_hash, current.finished_at = "done", None, now
    except DuplicateRow as exc:  # the same person, registering twice at once
        raise Unprocessable("an account is linked to this proof already: sign in again") from exc
    return account



def _key(secret: bytes, provider: str, attribute: str, value: str) -> str:
    return hmac.new(secret, f"login|{provider}|{attribute}|{value}".encode(), hashlib.sha256).hexdigest()
