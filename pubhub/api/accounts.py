"""Accounts: who am I, lookup and search, relationships, follow and unfollow."""

from __future__ import annotations

from aiohttp import web

from ..accounts.local import account_by_id, account_counts
from ..accounts.principal import Principal
from ..accounts.resolve import resolve_account
from ..errors import NotFound, PubHubError
from ..http.keys import runtime
from ..http.params import ok, read_params, read_params_and_files
from ..http.principal import requires
from ..social.follow_requests import pending_count
from ..rooms.members import follow_or_join
from ..social.follows import relationship, unfollow_account
from ..social.profile import ProfileChange, update_profile
from ..store.models import parse_id
from .schemas import Follow, Lookup, NoParams, Relationships, UpdateCredentials
from .serializers import account_json, relationship_json


async def _account_json(rt, actor) -> dict:
    return account_json(actor, rt.domain, await account_counts(rt.db, actor))


async def _credential_json(rt, actor, role: str) -> dict:
    """The owner's own account, with the plain text it was written in (`source`)."""
    body = await _account_json(rt, actor)
    fields = [{"name": f["name"], "value": f["value"], "verified_at": f.get("verified_at")} for f in actor.fields or []]
    body["source"] = {"privacy": "public", "sensitive": False, "language": None, "note": actor.summary_source or "",
                      "fields": fields, "follow_requests_count": await pending_count(rt, actor)}
    body["role"] = {"name": role}
    return body


@requires("read:accounts", "profile")
async def verify_credentials(request: web.Request, principal: Principal) -> web.Response:
    await read_params(request, NoParams)
    return ok(await _credential_json(runtime(request), principal.account, principal.role))


@requires("write:accounts")
async def update_credentials(request: web.Request, principal: Principal) -> web.Response:
    rt = runtime(request)
    data, files = await read_params_and_files(request, UpdateCredentials, ("avatar", "header"),
                                              rt.settings.media_max_bytes)
    change = ProfileChange(display_name=data.display_name, note=data.note, locked=data.locked, fields=data.fields(),
                           avatar=files.get("avatar"), header=files.get("header"))
    actor = await update_profile(rt, principal.account, change)
    return ok(await _credential_json(rt, actor, principal.role))


@requires("read:accounts")
async def get_account(request: web.Request, principal: Principal) -> web.Response:
    rt = runtime(request)
    await read_params(request, NoParams)
    return ok(await _account_json(rt, await account_by_id(rt.db, parse_id(request.match_info["id"]))))


@requires("read:accounts")
async def lookup_account(request: web.Request, principal: Principal) -> web.Response:
    rt = runtime(request)
    data = await read_params(request, Lookup)
    try:
        actor = await resolve_account(rt, data.acct)
    except PubHubError as exc:
        raise NotFound("Record not found") from exc
    return ok(await _account_json(rt, actor))


@requires("read:follows")
async def relationships(request: web.Request, principal: Principal) -> web.Response:
    rt = runtime(request)
    result = []
    for raw in (await read_params(request, Relationships)).ids:
        try:
            target = await account_by_id(rt.db, parse_id(raw))
        except NotFound:
            continue
        result.append(relationship_json(target, await relationship(rt, principal.account, target)))
    return ok(result)


async def _follow_change(request: web.Request, principal: Principal, change, schema) -> web.Response:
    rt = runtime(request)
    await read_params(request, schema)
    target = await account_by_id(rt.db, parse_id(request.match_info["id"]))
    await change(rt, principal.account, target)
    return ok(relationship_json(target, await relationship(rt, principal.account, target)))


@requires("write:follows")
async def follow(request: web.Request, principal: Principal) -> web.Response:
    return await _follow_change(request, principal, follow_or_join, Follow)  # a room asks its join policy


@requires("write:follows")
async def unfollow(request: web.Request, principal: Principal) -> web.Response:
    return await _follow_change(request, principal, unfollow_account, NoParams)
