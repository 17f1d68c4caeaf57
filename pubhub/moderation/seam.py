"""Suspended domains and suspended remote accounts in the policy seam: nothing comes in from
them, nothing is fetched from them, nothing goes out to them.

The suspended domains are read from the database at most every REFRESH_SECONDS (one query;
an instance blocks few domains), so a block reaches every process within seconds; the process
that made it reads them again at once (`forget_domain_blocks`)."""

from __future__ import annotations

from ..clock import Clock
from ..policy import ALLOW, Decision, Policies, Policy, refuse
from ..store import account_moderation as account_store
from ..store import domain_blocks as block_store
from ..store import notify
from ..store.db import Database, Session
from .domain_names import covering, host_of

REFRESH_SECONDS = 5.0


class DomainBlocks(Policy):
    def __init__(self, db: Database, clock: Clock):
        self.db = db
        self.clock = clock
        self._suspended: tuple[str, ...] = ()
        self._read_at: float | None = None

    def forget(self) -> None:
        self._read_at = None

    async def _blocked(self, url: str | None) -> str | None:
        now = self.clock.monotonic()
        if self._read_at is None or now - self._read_at >= REFRESH_SECONDS:
            async with self.db.read() as session:
                self._suspended = tuple(block.domain for block in await block_store.all_blocks(session)
                                        if block.severity == "suspend")
            self._read_at = now
        return covering(host_of(url), self._suspended)

    async def _answer(self, url: str | None, what: str) -> Decision:
        domain = await self._blocked(url)
        return refuse(f"{what} is on a suspended domain ({domain})") if domain else ALLOW

    async def inbound(self, actor_uri: str, activity: dict) -> Decision:
        return await self._answer(actor_uri, "the sender")

    async def apply(self, actor_uri: str, activity: dict) -> Decision:
        return await self._answer(actor_uri, "the sender")

    async def fetch(self, url: str) -> Decision:
        return await self._answer(url, "the document")

    async def deliver(self, inbox: str, activity_uri: str) -> Decision:
        return await self._answer(inbox, "the inbox")


def forget_domain_blocks(policy: Policy) -> None:
    """Make this process's seam read the blocks again at its next question."""
    for part in policy.policies if isinstance(policy, Policies) else [policy]:
        if isinstance(part, DomainBlocks):
            part.forget()


class SuspendedAccounts(Policy):
    """Remote accounts a moderator suspended (the accounts admin): their activities are
    refused in the inbox request and by the worker, and their documents are not fetched again.
    Read like the domain blocks: at most every REFRESH_SECONDS, at once after a change here."""

    def __init__(self, db: Database, clock: Clock):
        self.db = db
        self.clock = clock
        self._suspended: frozenset[str] = frozenset()
        self._read_at: float | None = None

    def forget(self) -> None:
        self._read_at = None

    async def _is_suspended(self, uri: str | None) -> bool:
        now = self.clock.monotonic()
        if self._read_at is None or now - self._read_at >= REFRESH_SECONDS:
            async with self.db.read() as session:
                self._suspended = frozenset(await account_store.suspended_remote_uris(session))
            self._read_at = now
        return uri in self._suspended

    async def inbound(self, actor_uri: str, activity: dict) -> Decision:
        return refuse("the sender is suspended here") if await self._is_suspended(actor_uri) else ALLOW

    async def apply(self, actor_uri: str, activity: dict) -> Decision:
        return await self.inbound(actor_uri, activity)

    async def fetch(self, url: str) -> Decision:
        return refuse("the document is a suspended account's") if await self._is_suspended(url) else ALLOW


def suspensions_changed(session: Session, policy: Policy) -> None:
    """Once the session commits, this process's seam reads the suspended accounts again."""
    def forget() -> None:
        for part in policy.policies if isinstance(policy, Policies) else [policy]:
            if isinstance(part, SuspendedAccounts):
                part.forget()

    notify.after_commit(session, forget)
