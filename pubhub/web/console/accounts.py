"""Accounts in the console, for admins and moderators granted `manage_users` (as
`/api/v1/admin/accounts`, through the same moderation/accounts.py):

    GET  /admin/accounts                       the newest 100 accounts; ?username= (the start of
                                               the name), ?domain= (another server, exactly), ?status=;
                                               ?max_id= the 100 before that account ("Older accounts")
    POST /admin/accounts/{id}/action           warn, mark sensitive, disable (ours), silence or
                                               suspend, with its ground and the facts
    POST /admin/accounts/{id}/unsuspend        lift a suspension (unsilence, unsensitive, enable:
                                               lift the others)

Every restriction stores a statement of reasons the account reads and may appeal (the API's
`act`); a warning is an audit entry only. A suspension needs the confirmation box ticked. A
decision the domain refuses (no ground, one's own account, staff by a moderator, already so, a
remote account disabled) changes nothing.
"""

from __future__ import annotations

from aiohttp import web

from ...accountability.reasons import Grounds
from ...errors import PubHubError
from ...http.keys import runtime
from ...moderation import accounts as moderation
from ...moderation.accounts import AccountFilter
from ...store.models import parse_id
from .access import Visit, form, next_page, older_than, page, require, see_other

PATH = "/admin/accounts"
SHOWN = 100
PERMISSION = "manage_users"
STATUSES = ("active", "silenced", "suspended")
LIMIT = 5000


def _filter(request: web.Request) -> tuple[dict[str, str], AccountFilter]:
    chosen = {name: request.query.get(name, "").strip()[:253] for name in ("username", "domain", "status")}
    status = chosen["status"] if chosen["status"] in STATUSES else None
    return chosen, AccountFilter(status=status, username=chosen["username"].lstrip("@") or None,
                                 by_domain=chosen["domain"].lower() or None)


async def _accounts_page(request: web.Request, visit: Visit, *, status: int = 200, error: str = "",
                         values: dict | None = None) -> web.Response:
    chosen, found = _filter(request)
    async with runtime(request).db.read() as session:
        await require(session, visit, PERMISSION)
        accounts = await moderation.accounts_page(session, found, limit=SHOWN, max_id=older_than(request))
    return visit.page("console/accounts.html", title=visit._("Accounts"), status=status, accounts=accounts,
                      chosen=chosen, statuses=STATUSES, error=error, values=values or {},
                      older=next_page(request, [who.id for who in accounts], SHOWN))


@page
async def list_accounts(request: web.Request, visit: Visit) -> web.Response:
    return await _accounts_page(request, visit)


async def _decide(request: web.Request, visit: Visit, fields: dict[str, str], decision) -> web.Response:
    """Take `decision(rt, session, target)` on the path's account; a refusal (422) as the page."""
    rt = runtime(request)
    values = {**fields, "subject": request.match_info["id"]}
    try:
        async with rt.db.write() as session:
            await require(session, visit, PERMISSION)
            target = await moderation.find_account(session, parse_id(request.match_info["id"]))
            await decision(rt, session, target)
    except PubHubError as error:
        if error.status != 422:
            raise
        return await _accounts_page(request, visit, status=422, values=values, error=visit._(error.message))
    return see_other(PATH)


@form
async def restrict(request: web.Request, visit: Visit, fields: dict[str, str]) -> web.Response:
    action = fields.get("action", "")
    if action not in moderation.ACTIONS:
        return await _accounts_page(request, visit, status=422, values={**fields, "subject": request.match_info["id"]},
                                    error=visit._("the action must be one of those offered"))
    if action == "suspend" and fields.get("confirm") != "yes":
        return await _accounts_page(request, visit, status=422, values={**fields, "subject": request.match_info["id"]},
                                    error=visit._("Tick the box to confirm: this cannot simply be undone."))
    grounds = Grounds(kind="law" if fields.get("ground_kind") == "law" else "rule",
                      text=fields.get("ground", "")[:LIMIT], facts=fields.get("facts", "")[:LIMIT])

    async def decision(rt, session, target):
        await moderation.act(rt, session, by=visit.account, target=target, action=action, grounds=grounds)
    return await _decide(request, visit, fields, decision)


def _reversal(name: str):
    @form
    async def lift(request: web.Request, visit: Visit, fields: dict[str, str]) -> web.Response:
        async def decision(rt, session, target):
            await moderation.undo(rt, session, by=visit.account, target=target, reversal=name)
        return await _decide(request, visit, fields, decision)
    return lift


unsuspend = _reversal("unsuspend")
unsilence = _reversal("unsilence")
unsensitive = _reversal("unsensitive")
enable = _reversal("enable")
