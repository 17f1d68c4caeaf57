"""PubHub's own: the instance rules, edited by admins (and moderators granted `manage_rules`) at
`/api/v1/pubhub/rules` (Mastodon keeps them in its web admin, with no API). Anyone reads the
current ones at `/api/v1/instance/rules`."""

from __future__ import annotations

from aiohttp import web
from pydantic import Field

from ..accounts.principal import Principal
from ..activitypub.vocab import iso
from ..http.keys import runtime
from ..http.params import Params, Text, ok, read_params
from ..http.principal import requires
from ..moderation.rules import add_rule, change_rule, current_rules, remove_rule
from ..store.models import InstanceRule, parse_id
from .schemas import NoParams

MANAGE = "manage_rules"


class RuleFields(Params):
    text: Text(1000) | None = None  # moderation/rules.py holds the rule to its own, shorter, limit
    hint: Text(2000) | None = None
    position: int | None = Field(default=None, ge=1, le=10_000)  # 1: first


def admin_rule_json(rule: InstanceRule) -> dict:
    return {"id": str(rule.id), "text": rule.text, "hint": rule.hint, "position": rule.position,
            "created_at": iso(rule.created_at), "updated_at": iso(rule.updated_at)}


@requires("admin:read", permission=MANAGE)
async def list_rules(request: web.Request, principal: Principal) -> web.Response:
    await read_params(request, NoParams)
    async with runtime(request).db.read() as session:
        return ok([admin_rule_json(rule) for rule in await current_rules(session)])


@requires("admin:write", permission=MANAGE)
async def create_rule(request: web.Request, principal: Principal) -> web.Response:
    rt = runtime(request)
    fields = await read_params(request, RuleFields)
    async with rt.db.write() as session:
        rule = await add_rule(rt, session, by=principal.account, text=fields.text or "", hint=fields.hint or "",
                              position=fields.position)
        return ok(admin_rule_json(rule))


@requires("admin:write", permission=MANAGE)
async def update_rule(request: web.Request, principal: Principal) -> web.Response:
    rt = runtime(request)
    fields = await read_params(request, RuleFields)
    async with rt.db.write() as session:
        rule = await change_rule(rt, session, parse_id(request.match_info["id"]), by=principal.account,
                                 text=fields.text, hint=fields.hint, position=fields.position)
        return ok(admin_rule_json(rule))


@requires("admin:write", permission=MANAGE)
async def delete_rule(request: web.Request, principal: Principal) -> web.Response:
    rt = runtime(request)
    await read_params(request, NoParams)
    async with rt.db.write() as session:
        await remove_rule(rt, session, parse_id(request.match_info["id"]), by=principal.account)
    return ok({})
