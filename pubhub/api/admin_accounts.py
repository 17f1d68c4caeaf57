"""Mastodon's accounts admin (`/api/v1/admin/accounts`, `/api/v2/admin/accounts`): list and
show accounts with Mastodon's Admin::Account JSON, act on them and undo it. Admins, and
moderators while the instance grants the role manage_users (moderation.permissions); the
rules of who may act on whom and what each action does are in moderation/accounts.py."""

from __future__ import annotations

from typing import Literal

from aiohttp import web

from ..accounts.local import account_counts
from ..accounts.principal import Principal
from ..http.keys import runtime
from ..http.params import Flag, IdText, Params, Text, ok, read_params
from ..http.principal import requires
from ..moderation import accounts as moderation
from ..moderation.accounts import AccountFilter
from ..moderation.permissions import moderator_grant
from ..accountability.reasons import GROUNDS_LIMIT, Grounds
from ..store.models import Actor, parse_id
from .paging import link_header, page_bounds
from .admin_serializers import admin_account_json
from .schemas import NoParams, Page

READ, WRITE = "admin:read:accounts", "admin:write:accounts"
_V1_STATUSES = ("active", "pending", "disabled", "sensitized", "silenced", "suspended")


class ListV1(Page):
    local: Flag = None
    remote: Flag = None
    active: Flag = None
    pending: Flag = None
    disabled: Flag = None
    sensitized: Flag = None
    silenced: Flag = None
    suspended: Flag = None
    staff: Flag = None
    by_domain: Text(253) | None = None
    username: Text(255) | None = None
    display_name: Text(255) | None = None
    email: Text(320) | None = None
    ip: Text(64) | None = None  # PubHub keeps no sign-in addresses: taken, matches nobody's

    def filter(self) -> AccountFilter:
        origin = "local" if self.local else "remote" if self.remote else None
        status = next((name for name in _V1_STATUSES if getattr(self, name)), None)
        return AccountFilter(origin=origin, status=status, staff=bool(self.staff), username=self.username,
                             display_name=self.display_name, by_domain=self.by_domain, email=self.email)


class ListV2(Page):
    origin: Literal["local", "remote"] | None = None
    status: Literal["active", "pending", "disabled", "silenced", "suspended"] | None = None
    permissions: Literal["staff"] | None = None
    by_domain: Text(253) | None = None
    username: Text(255) | None = None
    display_name: Text(255) | None = None
    email: Text(320) | None = None
    ip: Text(64) | None = None

    def filter(self) -> AccountFilter:
        return AccountFilter(origin=self.origin, status=self.status, staff=self.permissions == "staff",
                             username=self.username, display_name=self.display_name, by_domain=self.by_domain,
                             email=self.email)


class Action(Params):
    type: Literal["none", "sensitive", "disable", "silence", "suspend"] = "none"
    text: Text(GROUNDS_LIMIT) = ""
    report_id: IdText | None = None
    warning_preset_id: IdText | None = None  # taken, not used: no presets
    send_email_notification: Flag = None  # taken, not used: PubHub sends no e-mail
    # PubHub's: the ground of the statement of reasons (default: an instance rule, named by `text`).
    ground_kind: Literal["rule", "law"] = "rule"
    ground: Text(GROUNDS_LIMIT) = ""

    def grounds(self) -> Grounds:
        return Grounds(kind=self.ground_kind, text=self.ground or self.text, facts=self.text)


async def _listed(request: web.Request, model: type[ListV1] | type[ListV2]) -> web.Response:
    rt = runtime(request)
    params = await read_params(request, model)
    async with rt.db.read() as session:
        found = await moderation.accounts_page(session, params.filter(), **page_bounds(params))
        grant = await moderator_grant(session)
    return ok([admin_account_json(actor, rt.domain, grant) for actor in found],
              headers=link_header(request, [actor.id for actor in found], params.limit))


@requires(READ, permission="manage_users")
async def list_accounts_v1(request: web.Request, principal: Principal) -> web.Response:
    return await _listed(request, ListV1)


@requires(READ, permission="manage_users")
async def list_accounts_v2(request: web.Request, principal: Principal) -> web.Response:
    return await _listed(request, ListV2)


async def _shown(request: web.Request, actor: Actor) -> dict:
    rt = runtime(request)
    async with rt.db.read() as session:
        grant = await moderator_grant(session)
    return admin_account_json(actor, rt.domain, grant, await account_counts(rt.db, actor))


@requires(READ, permission="manage_users")
async def get_account(request: web.Request, principal: Principal) -> web.Response:
    await read_params(request, NoParams)
    async with runtime(request).db.read() as session:
        actor = await moderation.find_account(session, parse_id(request.match_info["id"]))
    return ok(await _shown(request, actor))


@requires(WRITE, permission="manage_users")
async def take_action(request: web.Request, principal: Principal) -> web.Response:
    rt = runtime(request)
    params = await read_params(request, Action)
    async with rt.db.write() as session:
        target = await moderation.find_account(session, parse_id(request.match_info["id"]))
        await moderation.act(rt, session, by=principal.account, target=target, action=params.type, grounds=params.grounds(),
                             report_id=parse_id(params.report_id) if params.report_id else None)
    return ok({})


def _reversal(name: str):
    @requires(WRITE, permission="manage_users")
    async def lift(request: web.Request, principal: Principal) -> web.Response:
        rt = runtime(request)
        await read_params(request, NoParams)
        async with rt.db.write() as session:
            target = await moderation.find_account(session, parse_id(request.match_info["id"]))
            await moderation.undo(rt, session, by=principal.account, target=target, reversal=name)
        return ok(await _shown(request, target))

    lift.__name__ = lift.__qualname__ = name
    return lift


unsuspend, unsilence, unsensitive, enable = (_reversal(name) for name in ("unsuspend", "unsilence", "unsensitive",
                                                                          "enable"))
