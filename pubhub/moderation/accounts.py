"""Mastodon's accounts admin: what a moderator does to an account, local or remote, and how it
is undone. Every restriction records a statement of reasons and its audit entry
(`reasons.record_decision`) in the same transaction; every reversal an audit entry.

- `suspend`: a local account's documents, pages and API answer 404 and its tokens 401 (as
  `pubhub accounts suspend` always did), its waiting deliveries stop, and a `Delete` of the
  actor goes to its followers' servers (the follows are kept here, so `unsuspend` restores
  them, and federates an `Update` of the profile). A remote account's notes are tombstoned,
  its follows both ways and reactions removed, its activities waiting in the inbox dropped,
  and the policy seam refuses whatever it sends (`seam.SuspendedAccounts`); `unsuspend` lets
  it in again, but what was removed stays removed (as Mastodon).
- `silence`: the account's notes are shown only to the account itself and its accepted
  followers (social.visibility), not to anyone else, nor in public places.
- `sensitive`: its notes are shown as sensitive (the client API's `sensitive`), while the mark lasts.
- `disable` (local accounts): no sign-in, its tokens answer 401; nothing is deleted or hidden.
- `none`: a warning, recorded in the audit log only.

Who: admins and moderators granted manage_users (moderation.permissions); a moderator acts
only on users' and remote accounts, an admin on anyone's; nobody on their own.
"""

from __future__ import annotations

from datetime import datetime

from ..accounts import admin
from ..errors import Forbidden, NotFound, Unprocessable
from ..runtime import Runtime
from ..store import account_moderation as account_store
from ..store.account_moderation import AccountFilter
from ..store import actors as actor_store
from ..store import domain_blocks as block_store
from ..store.db import Session
from ..store.models import Actor, Statement
from ..accountability import audit
from ..accountability.reasons import Grounds, record_decision
from .seam import forget_seam

ACTIONS = ("none", "sensitive", "disable", "silence", "suspend")
# A reversal, and the restriction it lifts.
REVERSALS = {"unsuspend": "suspend", "unsilence": "silence", "unsensitive": "sensitive", "enable": "disable"}
STATE_FIELDS = {"suspend": "suspended_at", "silence": "silenced_at", "sensitive": "sensitized_at", "disable": "disabled_at"}
_DONE = {"suspend": "suspended", "silence": "silenced", "sensitive": "marked sensitive", "disable": "disabled"}
STOPPED = "account suspended"


def acct(actor: Actor) -> str:
    return actor.username if actor.local else f"{actor.username}@{actor.domain}"


async def find_account(session: Session, account_id: int | None) -> Actor:
    """An account the admin may see (local or remote, not deleted, not the instance actor); else
    Mastodon's 404."""
    actor = await actor_store.by_id(session, account_id) if account_id is not None else None
    if actor is None or actor.deleted_at is not None or actor.kind == "Application":
        raise NotFound("Record not found")
    return actor


def check_may_moderate(by: Actor | None, target: Actor) -> None:
    """Forbidden unless `by` may moderate `target` (None: the operator's command line)."""
    if by is None:
        return
    if by.id == target.id:
        raise Forbidden("You cannot moderate your own account")
    if target.local and target.role in ("moderator", "admin") and by.role != "admin":
        raise Forbidden("This action is not allowed: only an admin moderates staff")


async def act(rt: Runtime, session: Session, *, by: Actor | None, target: Actor, action: str,
              grounds: Grounds | None, report_id: int | None = None) -> Statement | None:
    """Take `action` (one of ACTIONS) on `target`; its statement of reasons (None for a
    warning). 422, changing nothing, when the grounds are missing or the account already is so."""
    assert action in ACTIONS, action
    check_may_moderate(by, target)
    now = rt.clock.now()
    if action == "none":
        text = grounds.facts or grounds.text if grounds is not None else ""
        await audit.record(session, by=by, action="account.warn", target=("account", target.id, acct(target)),
                           now=now, reason=text)
        return None
    if grounds is None:
        raise Unprocessable("a decision must name its ground: the rule or the law it applies")
    grounds.checked()
    if getattr(target, STATE_FIELDS[action]) is not None:
        raise Unprocessable(f"{acct(target)} is {_DONE[action]} already")
    if action == "disable" and not target.local:
        raise Unprocessable("only a local account can be disabled (it is this server's sign-in)")
    await _restrict(rt, session, target, action, now)
    return await record_decision(session, by=by, action=action, grounds=grounds, now=now, account=target,
                                 report_id=report_id)


async def undo(rt: Runtime, session: Session, *, by: Actor | None, target: Actor, reversal: str,
               reason: str = "", statement_id: int | None = None) -> None:
    """Lift a restriction (one of REVERSALS); 422 if the account is not so restricted."""
    action = REVERSALS[reversal]
    check_may_moderate(by, target)
    if getattr(target, STATE_FIELDS[action]) is None:
        raise Unprocessable(f"{acct(target)} is not {_DONE[action]}")
    now = rt.clock.now()
    await _lift(rt, session, target, action)
    await audit.record(session, by=by, action=f"account.{reversal}", target=("account", target.id, acct(target)),
                       now=now, reason=reason, statement_id=statement_id)


async def _restrict(rt: Runtime, session: Session, target: Actor, action: str, now: datetime) -> None:
    if action == "suspend":
        await _suspend(rt, session, target, now)
    else:
        setattr(target, STATE_FIELDS[action], now)
        await session.flush()


async def _lift(rt: Runtime, session: Session, target: Actor, action: str) -> None:
    if action == "suspend":
        await admin.unsuspend(session, target)
        if target.local:
            await admin.federate_profile(rt, session, target)
        else:
            forget_seam(session, rt.policy)
    else:
        setattr(target, STATE_FIELDS[action], None)
        await session.flush()


async def _suspend(rt: Runtime, session: Session, target: Actor, now: datetime) -> None:
    await admin.suspend(session, target, now)
    if target.local:
        await account_store.stop_outbound(session, target.id, STOPPED, now=now)
        await admin.federate_delete(rt, session, target, rt.urls.new_activity(target.uri, "Delete"))
    else:
        await block_store.cut_off(session, [target.id], now=now, reason=STOPPED)
        forget_seam(session, rt.policy)


async def accounts_page(session: Session, found: AccountFilter, *, limit: int,
                        max_id: int | None = None, min_id: int | None = None) -> list[Actor]:
    return await account_store.accounts_page(session, found, limit=limit, max_id=max_id, min_id=min_id)
