"""Reports between servers: another server's `Flag` becomes a report here (`receive_flag`),
and a moderator sends a report about a remote account on to its server as a `Flag` from the
instance actor (`forward_report`), never naming the local reporter (as Mastodon does).
"""

from __future__ import annotations

from datetime import datetime

from ..activitypub import vocab
from ..activitypub.urls import Urls
from ..content import plain_text
from ..errors import RuleViolation, Unprocessable
from ..policy import covering
from ..runtime import Runtime
from ..store import actors as actor_store
from ..store import objects as object_store
from ..store import reports as report_store
from ..store.db import Session
from ..store.models import Actor, Report
from ..accountability import audit
from .domain_blocks import all_blocks
from .domain_names import host_of
from .reports import ReportRequest, file_report

REMOTE_COMMENT_LIMIT = 5000  # another server's limit is its own; this only bounds storage


async def rejects_reports_from(session: Session, actor: Actor) -> str | None:
    """The domain block with `reject_reports` covering the actor's server, if any."""
    domains = [block.domain for block in await all_blocks(session) if block.reject_reports]
    return covering(host_of(actor.uri), domains)


async def _named_target(session: Session, urls: Urls, uris: list[str]) -> tuple[Actor | None, list[int]]:
    """The local account the Flag names (else the author of the first local post it names), and
    the ids of the named local posts that are that account's."""
    local = [uri for uri in dict.fromkeys(uris) if urls.is_local(uri)]
    actors = await actor_store.by_uris(session, local)
    accounts = [actors[uri] for uri in local if uri in actors and actors[uri].local
                and actors[uri].kind != "Application" and actors[uri].deleted_at is None]
    notes = await object_store.known_by_uris(session, [uri for uri in local if uri not in actors])
    target = accounts[0] if accounts else None
    if target is None and notes:
        target = await actor_store.by_id(session, next(iter(notes.values())).author_id)
    if target is None:
        return None, []
    return target, [note.id for note in notes.values() if note.author_id == target.id]


async def receive_flag(session: Session, urls: Urls, actor: Actor, activity_id: str, object_uris: list[str],
                       content: str | None, *, now: datetime) -> Report:
    """A report from the actor's server about one of our accounts and its posts. Refused
    (RuleViolation: dropped by the inbox worker) when it names nothing of ours or the server's
    reports are rejected by a domain block; the same Flag twice is one report."""
    blocked = await rejects_reports_from(session, actor)
    if blocked is not None:
        raise RuleViolation(f"reports from {blocked} are rejected (domain block)")
    existing = await report_store.by_uri(session, activity_id)
    if existing is not None:
        return existing
    target, status_ids = await _named_target(session, urls, object_uris)
    if target is None:
        raise RuleViolation("Flag names no account or post of this instance")
    return await report_store.add(
        session, account_id=None, reporter_domain=actor.domain, target_account_id=target.id, status_ids=status_ids,
        comment=plain_text(content, REMOTE_COMMENT_LIMIT), category="other", rule_ids=[], forwarded=False,
        source="remote", uri=activity_id, created_at=now, updated_at=now)


# ---- forwarding -----------------------------------------------------------------------------

async def report_and_forward(rt: Runtime, reporter: Actor, request: ReportRequest) -> tuple[Report, Actor]:
    """A user's report, forwarded in the same transaction when they ask and the account is
    remote (forwarding a report about one of ours means nothing: it is ours to decide)."""
    if request.forward:
        await rt.instance_signer()  # the Flag's signer exists before the transaction
    async with rt.db.write() as session:
        report, target = await file_report(session, reporter, request, now=rt.clock.now())
        if request.forward and not target.local:
            await forward_report(rt, session, report, by=None)
    return report, target


def forwardable(target: Actor | None) -> bool:
    """Whether a report about `target` may go to its server: an account of another server that is
    still there (one of ours is ours to decide)."""
    return target is not None and not target.local and target.deleted_at is None


async def forward_report(rt: Runtime, session: Session, report: Report, *, by: Actor | None) -> Report:
    """Send the report to the reported account's server as a `Flag` from the instance actor:
    the account and the reported posts, and the comment; never the reporter. Once only. `by`,
    a moderator, is audited (None: the reporter asked for it when filing)."""
    target = await actor_store.by_id(session, report.target_account_id)
    if not forwardable(target):
        raise Unprocessable("only a report about an account of another server can be forwarded")
    if report.forwarded:
        return report
    instance = await actor_store.by_uri(session, rt.urls.instance_actor())
    notes = await object_store.by_ids(session, report.status_ids or [])
    named = [target.uri, *(notes[i].uri for i in report.status_ids or [] if i in notes)]
    activity = vocab.flag(rt.urls.new_activity(instance.uri, "Flag"), instance.uri, named, report.comment)
    await rt.deliveries.enqueue(session, activity, instance, [target.shared_inbox or target.inbox])
    report.forwarded = True
    report.updated_at = rt.clock.now()
    if by is not None:
        await audit.record(session, by=by, action="report.forward", now=report.updated_at,
                           target=("report", report.id, f"report {report.id}"), reason=f"to {target.domain}")
    return report
