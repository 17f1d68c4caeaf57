"""The instance's moderation in the policy seam: suspended domains, suspended remote accounts
and, in limited federation, the servers not allowed. Nothing comes in from them, nothing is
fetched from them, nothing goes out to them.

What each rule needs is read from the database at most every REFRESH_SECONDS (one query; an
instance blocks few domains and suspends few accounts), so a change reaches every process
within seconds; the process that made it reads it again as soon as it commits (`forget_seam`)."""

from __future__ import annotations

import asyncio

from ..clock import Clock
from ..policy import ALLOW, Decision, Policies, Policy, covering, refuse
from ..store import account_moderation as account_store
from ..store import domain_blocks as block_store
from ..store import notify
from ..store.db import Database, Session
from .domain_names import host_of

REFRESH_SECONDS = 5.0


class _Refreshed(Policy):
    """A rule whose facts are read from the database now and then (`_read`)."""

    def __init__(self, db: Database, clock: Clock):
        self.db = db
        self.clock = clock
        self._facts = None
        self._read_at: float | None = None
        self._forgotten = 0  # how often forget() was called: a read begun before it is stale
        # One read at a time: the requests that find the facts stale together (64 at once under
        # load) wait for that read instead of each making its own.
        self._reading = asyncio.Lock()

    def forget(self) -> None:
        self._read_at = None
        self._forgotten += 1

    async def _read(self, session: Session):
        raise NotImplementedError

    def _stale(self) -> bool:
        return self._read_at is None or self.clock.monotonic() - self._read_at >= REFRESH_SECONDS

    async def facts(self):
        if self._stale():
            async with self._reading:
                if self._stale():  # else read by the request this one waited for
                    began, forgotten = self.clock.monotonic(), self._forgotten
                    async with self.db.read() as session:
                        self._facts = await self._read(session)
                    if forgotten == self._forgotten:  # else read again at the next question
                        self._read_at = began
        return self._facts


class _Borders(_Refreshed):
    """A rule about servers: each question is whether a URL's server is refused (`_refusal`)."""

    async def _refusal(self, url: str | None, what: str) -> str | None:
        raise NotImplementedError

    async def _answer(self, url: str | None, what: str) -> Decision:
        reason = await self._refusal(url, what)
        return refuse(reason) if reason else ALLOW

    async def inbound(self, actor_uri: str, activity: dict) -> Decision:
        return await self._answer(actor_uri, "the sender")

    async def apply(self, actor_uri: str, activity: dict) -> Decision:
        return await self._answer(actor_uri, "the sender")

    async def fetch(self, url: str) -> Decision:
        return await self._answer(url, "the document")

    async def deliver(self, inbox: str, activity_uri: str) -> Decision:
        return await self._answer(inbox, "the inbox")


class DomainBlocks(_Borders):
    async def _read(self, session: Session) -> tuple[str, ...]:
        return tuple(block.domain for block in await block_store.all_blocks(session) if block.severity == "suspend")

    async def _refusal(self, url: str | None, what: str) -> str | None:
        domain = covering(host_of(url), await self.facts())
        return f"{what} is on a suspended domain ({domain})" if domain else None


class AllowList(_Borders):
    """Limited federation (PUBHUB_LIMITED_FEDERATION): only the allowed servers, their
    subdomains and this instance itself."""

    def __init__(self, db: Database, clock: Clock, local_url: str):
        super().__init__(db, clock)
        self.local_host = host_of(local_url)

    async def _read(self, session: Session) -> tuple[str, ...]:
        return (self.local_host, *await block_store.allowed_domains(session))

    async def _refusal(self, url: str | None, what: str) -> str | None:
        host = host_of(url)
        if covering(host, await self.facts()):
            return None
        return f"{what} is on a server this instance does not federate with ({host or 'no host'}: limited federation)"


class SuspendedAccounts(_Refreshed):
    """Remote accounts a moderator suspended (the accounts admin): their activities are
    refused in the inbox request and by the worker, and their documents are not fetched again."""

    async def _read(self, session: Session) -> frozenset[str]:
        return frozenset(await account_store.suspended_remote_uris(session))

    async def inbound(self, actor_uri: str, activity: dict) -> Decision:
        return refuse("the sender is suspended here") if actor_uri in await self.facts() else ALLOW

    async def apply(self, actor_uri: str, activity: dict) -> Decision:
        return await self.inbound(actor_uri, activity)

    async def fetch(self, url: str) -> Decision:
        return refuse("the document is a suspended account's") if url in await self.facts() else ALLOW


def forget_now(policy: Policy) -> None:
    """Make this process's moderation rules read the database again at their next question."""
    for part in policy.policies if isinstance(policy, Policies) else [policy]:
        if isinstance(part, _Refreshed):
            part.forget()


def forget_seam(session: Session, policy: Policy) -> None:
    """Once the session commits, this process's rules read what it changed."""
    notify.after_commit(session, lambda: forget_now(policy))
