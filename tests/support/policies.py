"""Policies tests plug into the seam: rules by host that can change during a test."""

from __future__ import annotations

from collections import Counter

from pubhub.policy import ALLOW, Decision, Policy, hold, host_of, refuse


class HostRules(Policy):
    """Refuse (or hold) everything to and from the hosts listed, at the questions named."""

    def __init__(self):
        self.refused: dict[str, set[str]] = {"inbound": set(), "apply": set(), "fetch": set(), "deliver": set()}
        self.held: dict[str, set[str]] = {"inbound": set(), "apply": set()}
        self.asked: Counter = Counter()

    def refuse_everywhere(self, host: str) -> None:
        for hosts in self.refused.values():
            hosts.add(host)

    def _decide(self, question: str, url: str) -> Decision:
        self.asked[question] += 1
        host = host_of(url)
        if host in self.refused[question]:
            return refuse(f"{host} is blocked")
        if host in self.held.get(question, ()):
            return hold(f"{host} is moderated")
        return ALLOW

    async def inbound(self, actor_uri: str, activity: dict) -> Decision:
        return self._decide("inbound", actor_uri)

    async def apply(self, actor_uri: str, activity: dict) -> Decision:
        return self._decide("apply", actor_uri)

    async def fetch(self, url: str) -> Decision:
        return self._decide("fetch", url)

    async def deliver(self, inbox: str, activity_uri: str) -> Decision:
        return self._decide("deliver", inbox)
