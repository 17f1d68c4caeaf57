"""The OAuth endpoints programs call (the pages people see are in web/sign_in.py):
POST /oauth/token, POST /oauth/revoke and /.well-known/oauth-authorization-server (RFC 8414).

Refusals are in OAuth's own format, `{"error": "invalid_grant", "error_description": "..."}`,
with 400 (401 `invalid_client`, 403 for revoking another app's token), as Doorkeeper answers
in Mastodon; token answers are never cached."""

from __future__ import annotations

import base64
import binascii
from urllib.parse import unquote

from aiohttp import hdrs, web

from ..accounts import oauth
from ..accounts.principal import SCOPES
from ..errors import PubHubError
from ..http.bodies import read_body, read_form_pairs
from ..http.keys import runtime
from ..http.params import MAX_PARAMS_BYTES, ok, validate
from ..jsonutil import loads_untrusted
from .schemas import OAuthParams

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def _refusal(exc: oauth.OAuthError) -> web.Response:
    headers = dict(NO_STORE)
    if exc.error == "invalid_client":
        headers["WWW-Authenticate"] = 'Basic realm="PubHub", error="invalid_client"'
    return ok(exc.body(), status=exc.status, headers=headers)


async def _params(request: web.Request) -> tuple[OAuthParams, str | None, str | None]:
    """The body's parameters (form or JSON; never the query string: secrets stay out of logs),
    and the client's id and secret from HTTP Basic (RFC 6749, section 2.3.1) or the body."""
    try:
        if request.content_type == "application/json":
            raw = loads_untrusted(await read_body(request, MAX_PARAMS_BYTES))
        else:
            raw = dict(await read_form_pairs(request))
        data = validate(OAuthParams, raw)
    except oauth.OAuthError:
        raise
    except PubHubError as exc:
        raise oauth.OAuthError("invalid_request", exc.message, status=400 if exc.status < 500 else exc.status) from exc
    client_id, client_secret = data.client_id, data.client_secret
    basic = request.headers.get(hdrs.AUTHORIZATION, "")
    if basic[:6].lower() == "basic ":
        try:
            decoded = base64.b64decode(basic[6:].strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError) as exc:
            raise oauth.OAuthError("invalid_client") from exc
        user, colon, password = decoded.partition(":")
        if not colon:
            raise oauth.OAuthError("invalid_client")
        client_id, client_secret = unquote(user), unquote(password)
    return data, client_id, client_secret


async def token(request: web.Request) -> web.Response:
    rt = runtime(request)
    try:
        data, client_id, client_secret = await _params(request)
        if data.grant_type == "authorization_code":
            grant = await oauth.exchange_code(rt.db, rt.clock, client_id=client_id, client_secret=client_secret,
                                              code=data.code, redirect_uri=data.redirect_uri,
                                              code_verifier=data.code_verifier)
        elif data.grant_type == "client_credentials":
            grant = await oauth.client_credentials(rt.db, rt.clock, client_id=client_id, client_secret=client_secret,
                                                   scope=data.scope)
        elif not data.grant_type:
            raise oauth.OAuthError("invalid_request", "The grant type is missing.")
        else:  # `password` (Mastodon dropped it in 4.4), `refresh_token` (none are issued), anything else
            raise oauth.OAuthError("unsupported_grant_type")
    except oauth.OAuthError as exc:
        return _refusal(exc)
    return ok(grant.body(), headers=NO_STORE)


async def revoke(request: web.Request) -> web.Response:
    rt = runtime(request)
    try:
        data, client_id, client_secret = await _params(request)
        await oauth.revoke(rt.db, rt.clock, client_id=client_id, client_secret=client_secret, token=data.token)
    except oauth.OAuthError as exc:
        return _refusal(exc)
    return ok({}, headers=NO_STORE)


async def metadata(request: web.Request) -> web.Response:
    """RFC 8414, as Mastodon 4.3 publishes it (Mastodon.py reads the endpoints from here)."""
    base = runtime(request).settings.base_url
    return ok({
        "issuer": base + "/",
        "service_documentation": "https://docs.joinmastodon.org/",
        "authorization_endpoint": base + "/oauth/authorize",
        "token_endpoint": base + "/oauth/token",
        "revocation_endpoint": base + "/oauth/revoke",
        "app_registration_endpoint": base + "/api/v1/apps",
        "scopes_supported": sorted(SCOPES),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "code_challenge_methods_supported": ["S256"],
        "grant_types_supported": list(oauth.GRANT_TYPES),
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
    })
