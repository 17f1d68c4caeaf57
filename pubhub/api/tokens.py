"""PubHub's own token endpoints: an account lists and revokes its bearer tokens (an admin with
admin:write: anyone's), e.g. one left on a lost laptop. The token itself is never shown: it is
not stored; `fingerprint` is the start of its SHA-256, as `pubhub tokens list` shows it."""

from __future__ import annotations

from aiohttp import web

from ..accounts.principal import Principal
from ..accounts.tokens import fingerprint, live_tokens, revoke_token
from ..activitypub.vocab import iso
from ..http.keys import runtime
from ..http.params import Flag, Params, ok, read_params
from ..http.principal import requires
from ..store.models import parse_id
from .schemas import NoParams

class TokenList(Params):
    all: Flag = None


@requires("read:accounts", "admin:read:accounts")
async def list_tokens(request: web.Request, principal: Principal) -> web.Response:
    params = await read_params(request, TokenList)
    async with runtime(request).db.read() as session:
        rows = await live_tokens(session, principal, everyone=bool(params.all))
    return ok([{
        "id": str(token.id), "fingerprint": fingerprint(token), "name": token.name, "scopes": token.scopes,
        "account_id": str(actor.id) if actor else None, "acct": actor.username if actor else None,
        "app_id": str(token.app_id) if token.app_id else None, "created_at": iso(token.created_at),
        "last_used_at": iso(token.last_used_at) if token.last_used_at else None,
        "current": token.id == principal.token_id,
    } for token, actor in rows])


@requires("write:accounts", "admin:write:accounts")
async def delete_token(request: web.Request, principal: Principal) -> web.Response:
    rt = runtime(request)
    await read_params(request, NoParams)
    async with rt.db.write() as session:
        await revoke_token(session, principal, parse_id(request.match_info["id"]), now=rt.clock.now())
    return ok({})
