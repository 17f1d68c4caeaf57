"""Someone on another fediverse server who proved a room's attribute rule on its web page
(identity/sessions.py) sends the room a direct message with the one-time code they were shown,
from their own account. A code that is the room's, unused and unexpired makes that account
verified for the room (as a local member's proof does), and their follow, held until now, is
accepted. Each account may try MAX_ATTEMPTS wrong codes an hour (in this process); a code has
50 random bits, so guessing is hopeless."""

from __future__ import annotations

import re

from ..cache import TTLCache
from ..runtime import Runtime
from ..social.follow_requests import authorize_pending
from ..store import follows as follow_store
from ..store import rooms as room_store
from ..store import verifications as verification_store
from ..store.db import Session
from ..store.models import Actor, Object
from .directory import RoomActor

CODE = re.compile(r"(?<![A-Za-z0-9])([A-HJ-NP-Za-hj-np-z2-9]{5}-?[A-HJ-NP-Za-hj-np-z2-9]{5})(?![A-Za-z0-9])")
MAX_ATTEMPTS = 5
_attempts: TTLCache[int] = TTLCache(maxsize=20_000, ttl=3600)


def codes_in(content: str) -> list[str]:
    return list(dict.fromkeys(match.upper() for match in CODE.findall(content or "")))[:MAX_ATTEMPTS]


async def redeem(rt: Runtime, session: Session, target: RoomActor, author: Actor, note: Object) -> bool:
    """Whether the note (a direct message to a room that joins by attributes) carried a valid
    code for it; if so the author is verified, and a held follow accepted."""
    if target.room.join_policy != "attributes" or note.visibility != "direct" or author.local:
        return False
    codes = codes_in(note.content)
    failures = _attempts.get(author.id, 0)
    if not codes or failures >= MAX_ATTEMPTS:
        return False
    now = rt.clock.now()
    used = await verification_store.redeem_link_code(session, target.room.id, codes, author.id, now)
    if used is None or used.rule_version != target.room.rule_version:
        _attempts.set(author.id, failures + 1)
        return False
    await verification_store.record(session, room_id=target.room.id, actor_id=author.id,
                                    rule_version=used.rule_version, provider=used.provider,
                                    satisfied_until=now + verification_store.PROOF_LASTS, now=now)
    await room_store.add_decision(session, room_id=target.room.id, moderator_id=None, action="verified",
                                  target_actor_id=author.id, created_at=now,
                                  reason=f"rule version {used.rule_version} proved through {used.provider}, "
                                         "linked by a code from the room's page")
    follow = await follow_store.between(session, author.id, target.actor.id)
    if follow is not None and follow.state == "pending":
        await authorize_pending(rt, session, target.actor, author.id)
    return True
