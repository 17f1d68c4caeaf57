"""Reports in Mastodon's JSON shapes: the reporter's `Report` entity, and `Admin::Report` for
moderators (with the accounts admin's `Admin::Account`s and the reported statuses)."""

from __future__ import annotations

from ..activitypub.vocab import iso
from ..config import Settings
from ..social.reading import StatusView
from ..store.models import Actor, InstanceRule, Report, Statement
from .admin_serializers import admin_account_json
from .serializers import account_json, rule_json, statuses_json


def report_json(report: Report, target: Actor, local_domain: str) -> dict:
    """Mastodon's Report entity, as the reporter sees it."""
    return {
        "id": str(report.id), "action_taken": report.action_taken_at is not None,
        "action_taken_at": iso(report.action_taken_at) if report.action_taken_at else None,
        "category": report.category, "comment": report.comment, "forwarded": report.forwarded,
        "created_at": iso(report.created_at), "status_ids": [str(i) for i in report.status_ids or []],
        "rule_ids": [str(i) for i in report.rule_ids or []] or None,
        "target_account": account_json(target, local_domain),
    }


def outcome_json(report: Report, target: Actor, statement: Statement | None, local_domain: str) -> dict:
    """The reporter's own report with its state and, once decided with one, the statement of
    reasons (DSA art. 16(5): the notifier is told of the decision)."""
    body = report_json(report, target, local_domain)
    body["state"] = "resolved" if report.action_taken_at is not None else "open"
    body["statement"] = None if statement is None else {
        "id": str(statement.id), "action": statement.action, "ground_kind": statement.ground_kind,
        "ground": statement.ground, "facts": statement.facts, "automated": statement.automated,
        "created_at": iso(statement.created_at)}
    return body


def admin_report_json(report: Report, accounts: dict[int, Actor], statuses: list[StatusView],
                      rules: dict[int, InstanceRule], settings: Settings, grant: frozenset[str]) -> dict:
    """`grant`: what the instance grants moderators (their role's permissions in Admin::Account)."""
    def account(actor_id: int | None) -> dict | None:
        actor = accounts.get(actor_id) if actor_id is not None else None
        return admin_account_json(actor, settings.domain, grant) if actor is not None else None

    cited = [rule_json(rules[rule_id]) for rule_id in report.rule_ids or [] if rule_id in rules]
    return {
        "id": str(report.id), "action_taken": report.action_taken_at is not None,
        "action_taken_at": iso(report.action_taken_at) if report.action_taken_at else None,
        "category": report.category, "comment": report.comment, "forwarded": report.forwarded,
        "created_at": iso(report.created_at), "updated_at": iso(report.updated_at),
        "account": account(report.account_id), "target_account": account(report.target_account_id),
        "assigned_account": account(report.assigned_account_id),
        "action_taken_by_account": account(report.action_taken_by_id),
        "statuses": statuses_json(statuses, settings.domain), "rules": cited,
        # PubHub's: where it came from (local, remote: another server's Flag, notice: the web form).
        "source": report.source, "reporter_domain": report.reporter_domain,
        # A notice's (the web form's): the URL reported, the law concerned, who sent it if they said.
        "notice": {"url": report.url, "law": report.law, "name": report.reporter_name,
                   "email": report.reporter_email} if report.source == "notice" else None,
    }
