"""PubHub's own: the audit log (`GET /api/v1/pubhub/audit_log`), every admin and moderator
action, for admins and moderators granted view_audit_log. Read-only: no route edits or deletes
an entry (a PUT, PATCH or DELETE is 405, and an entry has no address of its own: 404)."""

from __future__ import annotations

from datetime import datetime

from aiohttp import web
from pydantic import Field

from ..accounts.principal import Principal
from ..activitypub.vocab import iso
from ..http.keys import runtime
from ..http.params import IdText, Text, ok, read_params
from ..http.principal import requires
from ..accountability import audit
from ..store.models import AuditEntry, parse_id
from .paging import link_header, page_bounds
from .schemas import Page


class AuditQuery(Page):
    action: Text(64) | None = None
    actor: IdText | None = None  # the account id of who acted
    target_type: Text(32) | None = None
    target_id: Text(2048) | None = None
    since: datetime | None = Field(default=None, alias="from")
    until: datetime | None = Field(default=None, alias="to")


def entry_json(entry: AuditEntry) -> dict:
    return {
        "id": str(entry.id), "action": entry.action, "created_at": iso(entry.created_at),
        "actor": {"id": str(entry.actor_id) if entry.actor_id else None, "name": entry.actor_name}
        if entry.actor_name or entry.actor_id else None,  # None: the instance's own policy
        "target_type": entry.target_type, "target_id": entry.target_id or None, "target": entry.target,
        "hub_id": str(entry.hub_id) if entry.hub_id else None, "reason": entry.reason,
        "statement_id": str(entry.statement_id) if entry.statement_id else None,
    }


@requires("admin:read", permission="view_audit_log")
async def audit_log(request: web.Request, principal: Principal) -> web.Response:
    query = await read_params(request, AuditQuery)
    actor_id = parse_id(query.actor) if query.actor else None
    if query.actor and actor_id is None:
        return ok([])  # no account has that id
    async with runtime(request).db.read() as session:
        found = await audit.entries(session, action=query.action, actor_id=actor_id, target_type=query.target_type,
                                    target_id=query.target_id, since=query.since, until=query.until,
                                    **page_bounds(query))
    return ok([entry_json(entry) for entry in found],
              headers=link_header(request, [entry.id for entry in found], query.limit))
