"""Reports (Mastodon's): a local user reports an account and some of its posts; another server
sends a `Flag` (flags.py); moderators with `manage_reports` assign, resolve and reopen them,
each change appended to the audit log in the same transaction.

A report names the posts it is about; each must be the reported account's and visible to the
reporter (a post the reporter may not see is a 404, as if it did not exist).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from ..errors import NotFound, Unprocessable
from ..social.reading import StatusView, status_views
from ..social.visibility import Viewer, require_visible
from ..store import actors as actor_store
from ..store import objects as object_store
from ..store import reports as report_store
from ..store import rules as rule_store
from ..store.db import Session
from ..store.models import Actor, InstanceRule, Object, Report, Statement
from ..accountability import audit
from .rules import check_citable

CATEGORIES = ("other", "spam", "legal", "violation")
COMMENT_LIMIT = 1000
STATUS_LIMIT = 100  # posts one report may name
NOT_FOUND = "Record not found"


@dataclass
class ReportRequest:
    account_id: int | None
    status_ids: list[int | None] = field(default_factory=list)
    comment: str = ""
    category: str | None = None
    rule_ids: list[int | None] = field(default_factory=list)
    forward: bool = False


async def check_category(session: Session, category: str | None, rule_ids: list) -> tuple[str, list[int]]:
    """The category (Mastodon's default: `violation` when rules are cited, else `other`) and the
    instance rules cited (current ones, by id), only with `violation`."""
    category = category or ("violation" if rule_ids else "other")
    if category not in CATEGORIES:
        raise Unprocessable(f"Validation failed: category must be one of {', '.join(CATEGORIES)}")
    if rule_ids and category != "violation":
        raise Unprocessable("Validation failed: rule_ids are only for the category violation")
    return category, await check_citable(session, rule_ids)


async def reported_target(session: Session, account_id: int | None) -> Actor:
    target = await actor_store.by_id(session, account_id) if account_id is not None else None
    if target is None or target.deleted_at is not None or target.kind == "Application":
        raise NotFound(NOT_FOUND)
    return target


async def reported_statuses(session: Session, reporter: Actor, target: Actor, status_ids: list) -> list[Object]:
    """The posts named, each visible to the reporter (else 404) and the target's (else 422)."""
    if len(status_ids) > STATUS_LIMIT:
        raise Unprocessable(f"Validation failed: a report names at most {STATUS_LIMIT} statuses")
    notes = []
    for status_id in dict.fromkeys(status_ids):
        note = await object_store.by_id(session, status_id) if status_id is not None else None
        note = await require_visible(session, Viewer(reporter), note)
        if note.author_id != target.id:
            raise Unprocessable("Validation failed: the statuses must be the reported account's")
        notes.append(note)
    return notes


async def file_report(session: Session, reporter: Actor, request: ReportRequest, *,
                      now: datetime) -> tuple[Report, Actor]:
    """A local user's report, and its target (whose server may get it forwarded)."""
    if len(request.comment) > COMMENT_LIMIT:
        raise Unprocessable(f"Validation failed: comment is longer than {COMMENT_LIMIT} characters")
    category, rule_ids = await check_category(session, request.category, request.rule_ids)
    target = await reported_target(session, request.account_id)
    if target.id == reporter.id:
        raise Unprocessable("Validation failed: you cannot report yourself")
    notes = await reported_statuses(session, reporter, target, request.status_ids)
    report = await report_store.add(
        session, account_id=reporter.id, target_account_id=target.id, status_ids=[note.id for note in notes],
        comment=request.comment, category=category, rule_ids=rule_ids, forwarded=False, source="local",
        created_at=now, updated_at=now)
    return report, target


# ---- moderators ---------------------------------------------------------------------------

async def find_report(session: Session, report_id: int | None) -> Report:
    report = await report_store.by_id(session, report_id) if report_id is not None else None
    if report is None:
        raise NotFound(NOT_FOUND)
    return report


async def open_summary(session: Session) -> tuple[int, datetime | None]:
    """How many reports are open, and since when the oldest waits."""
    return await report_store.open_summary(session)


async def reports_page(session: Session, **bounds) -> list[Report]:
    return await report_store.page(session, **bounds)


async def statements_of(session: Session, reports: list[Report]) -> dict[int, Statement]:
    """The latest statement of reasons each report was decided with, if any."""
    return await report_store.statements_for(session, [report.id for report in reports])


async def assign(session: Session, by: Actor, report_id: int | None, *, to: Actor | None, now: datetime) -> Report:
    """Assign the report to `to` (None: unassign)."""
    report = await find_report(session, report_id)
    if report.assigned_account_id != (to.id if to is not None else None):
        report.assigned_account_id = to.id if to is not None else None
        report.updated_at = now
        await _audit(session, by, "report.assign" if to is not None else "report.unassign", report, now)
    return report


async def resolve(session: Session, by: Actor, report_id: int | None, *, now: datetime) -> Report:
    report = await find_report(session, report_id)
    if report.action_taken_at is None:
        report.action_taken_at = now
        report.action_taken_by_id = by.id
        report.updated_at = now
        await _audit(session, by, "report.resolve", report, now)
    return report


async def reopen(session: Session, by: Actor, report_id: int | None, *, now: datetime) -> Report:
    report = await find_report(session, report_id)
    if report.action_taken_at is not None:
        report.action_taken_at = None
        report.action_taken_by_id = None
        report.updated_at = now
        await _audit(session, by, "report.reopen", report, now)
    return report


async def _audit(session: Session, by: Actor | None, action: str, report: Report, now: datetime,
                 reason: str = "") -> None:
    await audit.record(session, by=by, action=action, target=("report", report.id, f"report {report.id}"),
                       now=now, reason=reason)


# ---- reporters ----------------------------------------------------------------------------

async def own_reports(session: Session, reporter: Actor, **bounds
                      ) -> tuple[list[Report], dict[int, Statement], dict[int, Actor]]:
    """The reporter's reports, the statement of reasons of those decided with one, and the
    accounts reported."""
    reports = await report_store.page(session, account_id=reporter.id, **bounds)
    statements = await report_store.statements_for(session, [report.id for report in reports])
    return reports, statements, await actor_store.by_ids(session, {report.target_account_id for report in reports})


async def report_details(session: Session, reports: list[Report]) -> tuple[dict[int, Actor], dict[int, list[StatusView]],
                                                                           dict[int, InstanceRule]]:
    """The accounts the reports name (reporters, targets, moderators), each report's posts
    (deleted ones too: a moderator sees what was reported) and the rules they cite (taken away
    ones too), in a fixed number of queries."""
    actor_ids = {actor_id for report in reports for actor_id in (
        report.account_id, report.target_account_id, report.assigned_account_id, report.action_taken_by_id)
        if actor_id is not None}
    notes = await object_store.by_ids(session, [note_id for report in reports for note_id in report.status_ids or []])
    views = {view.note.id: view for view in await status_views(session, list(notes.values()))}
    return (await actor_store.by_ids(session, actor_ids),
            {report.id: [views[i] for i in report.status_ids or [] if i in views] for report in reports},
            await rule_store.by_ids(session, [rule_id for report in reports for rule_id in report.rule_ids or []]))
