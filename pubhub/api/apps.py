"""Apps register themselves (POST /api/v1/apps, no token) and check their token
(GET /api/v1/apps/verify_credentials), in Mastodon 4.3's shapes."""

from __future__ import annotations

from aiohttp import web

from ..accounts.oauth import app_by_id, app_redirect_uris, app_scopes, register_app
from ..accounts.principal import Principal
from ..errors import NotFound
from ..http.keys import runtime
from ..http.params import ok, read_params
from ..http.principal import requires
from ..store.models import OAuthApp
from .schemas import NoParams, RegisterApp


def app_json(app: OAuthApp) -> dict:
    uris = app_redirect_uris(app)
    return {"id": str(app.id), "name": app.name, "website": app.website, "scopes": list(app_scopes(app)),
            "redirect_uri": "\n".join(uris), "redirect_uris": uris,
            "vapid_key": ""}  # no Web Push yet (deprecated in Mastodon 4.3 anyway)


async def create_app(request: web.Request) -> web.Response:
    rt = runtime(request)
    data = await read_params(request, RegisterApp)
    async with rt.db.write() as session:
        made = await register_app(session, name=data.client_name, redirect_uris=data.redirect_uris,
                                  scopes=data.scopes, website=data.website, now=rt.clock.now())
    # The secret is shown here once; only its SHA-256 is kept.
    return ok({**app_json(made.app), "client_id": made.app.client_id, "client_secret": made.client_secret,
               "client_secret_expires_at": 0})


@requires(app_ok=True)  # any valid token: the app's own or a person's
async def verify_app(request: web.Request, principal: Principal) -> web.Response:
    await read_params(request, NoParams)
    app = await app_by_id(runtime(request).db, principal.app_id)
    if app is None:
        raise NotFound("This token was not made by an app")  # a token from `pubhub tokens create`
    return ok(app_json(app))
