"""The principal of an authenticated request, and the scope each endpoint declares.

    @requires("write:statuses")
    async def post_status(request, principal): ...

A missing, unknown or revoked bearer token is 401; a token without the declared scope is 403
with Mastodon's body ("This action is outside the authorized scopes"); an app's own token
(client_credentials, no account) is 422 "This method requires an authenticated user" unless the
endpoint says `app_ok=True`. Tokens are read from the Authorization header only, never from the
query string (but for the streaming endpoints, as Mastodon's: `requires_stream`).
"""

from __future__ import annotations

import functools
import re

from aiohttp import hdrs, web

from ..accounts.principal import Principal
from ..accounts.tokens import INVALID_TOKEN, principal_for_token
from ..errors import Unauthorized
from ..moderation.permissions import require_permission
from .keys import runtime


BEARER = re.compile(r"bearer +(\S+) *", re.IGNORECASE)


async def principal_of(request: web.Request, *, restricted_ok: bool = False) -> Principal:
    found = BEARER.fullmatch(request.headers.get(hdrs.AUTHORIZATION) or "")
    if found is None:
        raise Unauthorized(INVALID_TOKEN)
    async with runtime(request).db.read() as session:
        return await principal_for_token(session, found.group(1), restricted_too=restricted_ok)


async def optional_principal(request: web.Request) -> Principal | None:
    """For an endpoint that needs no token but shows more to a signed-in account (a hashtag's
    `following`): the principal of a valid token of an account; None without one, and, as
    Mastodon, for one that is not valid (the request is then simply anonymous)."""
    if not request.headers.get(hdrs.AUTHORIZATION):
        return None
    try:
        principal = await principal_of(request)
    except Unauthorized:
        return None
    return principal if principal.account is not None else None


def requires(*scopes: str, role: str | None = None, permission: str | None = None, app_ok: bool = False,
             restricted_ok: bool = False):
    """An endpoint that needs a token with one of `scopes` (none given: any valid token), of an
    account (unless `app_ok`), and, given, an account `role` or an instance-wide `permission`
    (moderation.permissions: admins have all, moderators what is granted to them); the handler
    gets the principal as its second argument. `restricted_ok`: a suspended or disabled
    account's token is taken too (its decisions and appeals; everywhere else it is 401)."""

    def wrap(handler):
        @functools.wraps(handler)
        async def checked(request: web.Request) -> web.StreamResponse:
            principal = await principal_of(request, restricted_ok=restricted_ok)
            if scopes:
                principal.require_scope(*scopes)
            if not app_ok:
                principal.require_user()
            if role is not None:
                principal.require_role(role)
            if permission is not None:
                async with runtime(request).db.read() as session:
                    await require_permission(session, principal, permission)
            return await handler(request, principal)

        checked.scopes = scopes  # what the endpoint declares, for the tests that list them
        checked.app_ok = app_ok
        checked.permission = permission
        return checked

    return wrap


def stream_token(request: web.Request) -> tuple[str, str | None]:
    """The bearer token of a streaming request and, when it came as the WebSocket subprotocol,
    that protocol (to be echoed, or browsers drop the socket). Mastodon's streaming server takes
    the token from the Authorization header, the `access_token` query parameter or the
    `Sec-WebSocket-Protocol` header, since a browser's WebSocket and EventSource cannot send
    headers: here too, for the streaming endpoints only."""
    found = BEARER.fullmatch(request.headers.get(hdrs.AUTHORIZATION) or "")
    if found is not None:
        return found.group(1), None
    if request.query.get("access_token"):
        return request.query["access_token"], None
    protocol = (request.headers.get(hdrs.SEC_WEBSOCKET_PROTOCOL) or "").split(",")[0].strip()
    if protocol:
        return protocol, protocol
    raise Unauthorized(INVALID_TOKEN)


def requires_stream(*scopes: str):
    """A streaming endpoint: a token (see `stream_token`) of an account with one of `scopes`;
    the handler gets the principal and the subprotocol to echo."""

    def wrap(handler):
        @functools.wraps(handler)
        async def checked(request: web.Request) -> web.StreamResponse:
            token, protocol = stream_token(request)
            async with runtime(request).db.read() as session:
                principal = await principal_for_token(session, token)
            principal.require_scope(*scopes)
            principal.require_user()
            return await handler(request, principal, protocol)

        checked.scopes = scopes
        checked.app_ok = False
        checked.permission = None
        return checked

    return wrap
