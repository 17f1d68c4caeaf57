"""The policy seam: one place asked before anything crosses the border of this server.

It is consulted
- `inbound`: when an activity arrives, before its signer's key is fetched or anything is stored
  (so it sees the *claimed* actor: it may refuse or hold on that claim, never let anything
  through because of it; the signature is verified afterwards either way);
- `apply`: when the inbox worker is about to apply a stored activity;
- `fetch`: before any remote document is fetched (actors, keys, notes, WebFinger);
- `deliver`: before a delivery is queued, when followers are expanded into inboxes, and again
  just before it is sent.

Each answers allow, refuse (with a reason that is logged, and a 403 in the inbox request) or
hold (the activity is kept for a moderator and not applied; only `inbound` and `apply` may
hold). The base `Policy` allows everything; domain blocks, room policies and bans subclass it
and are combined with `Policies`. The protocol layer sees only this interface.
"""

from __future__ import annotations

import enum
import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit


class Verdict(enum.Enum):
    ALLOW = "allow"
    REFUSE = "refuse"
    HOLD = "hold"


@dataclass(frozen=True)
class Decision:
    verdict: Verdict
    reason: str = ""

    @property
    def allowed(self) -> bool:
        return self.verdict is Verdict.ALLOW

    @property
    def refused(self) -> bool:
        return self.verdict is Verdict.REFUSE

    @property
    def held(self) -> bool:
        return self.verdict is Verdict.HOLD


ALLOW = Decision(Verdict.ALLOW)


def refuse(reason: str) -> Decision:
    return Decision(Verdict.REFUSE, reason)


def hold(reason: str) -> Decision:
    return Decision(Verdict.HOLD, reason)


def host_of(url: str | None) -> str:
    """The lower-case host (with :port, as in our domain setting) of a URL; '' if none."""
    if not isinstance(url, str):
        return ""
    try:
        return urlsplit(url).netloc.lower().rpartition("@")[2]
    except ValueError:
        return ""


def covering(host: str, domains) -> str | None:
    """The domain of `domains` that `host` falls under (itself or a parent; an IP address only
    itself), or None. Both in their normal form (moderation/domain_names.py)."""
    if not host:
        return None
    for domain in domains:
        # An address only when a name would fall under the domain: most hosts are under none.
        if host == domain or (host.endswith("." + domain) and not _is_address(host)):
            return domain
    return None


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return False


class Policy:
    """Allows everything. Override the questions a rule cares about."""

    async def inbound(self, actor_uri: str, activity: dict) -> Decision:
        return ALLOW

    async def apply(self, actor_uri: str, activity: dict) -> Decision:
        return ALLOW

    async def fetch(self, url: str) -> Decision:
        return ALLOW

    async def deliver(self, inbox: str, activity_uri: str) -> Decision:
        return ALLOW


class Policies(Policy):
    """Several policies asked in turn: the first refusal wins, else the first hold."""

    def __init__(self, *policies: Policy):
        self.policies = list(policies)

    def add(self, policy: Policy) -> None:
        self.policies.append(policy)

    async def _ask(self, question: str, *args) -> Decision:
        held = ALLOW
        for policy in self.policies:
            decision = await getattr(policy, question)(*args)
            if decision.refused:
                return decision
            if decision.held and held.allowed:
                held = decision
        return held

    async def inbound(self, actor_uri: str, activity: dict) -> Decision:
        return await self._ask("inbound", actor_uri, activity)

    async def apply(self, actor_uri: str, activity: dict) -> Decision:
        return await self._ask("apply", actor_uri, activity)

    async def fetch(self, url: str) -> Decision:
        return await self._ask("fetch", url)

    async def deliver(self, inbox: str, activity_uri: str) -> Decision:
        return await self._ask("deliver", inbox, activity_uri)
