"""@requires and @requires_stream (pubhub/http/principal.py) on a real app with the instance's
runtime and middleware, decorated here so that each rule is checked as the decorator makes it:
an app's own token is refused (422) unless the endpoint says app_ok, a suspended or disabled
account's token is refused (401) unless it says restricted_ok, a permission is checked against
the role's grant, and each endpoint declares what it takes (scopes, app_ok, permission: what
tests/api/test_scopes.py lists for every route).

The streaming endpoints take the token from the Authorization header, else the `access_token`
parameter, else the first WebSocket subprotocol (which is then echoed); nothing else does."""

from __future__ import annotations

from dataclasses import dataclass

import aiohttp
import pytest
from aiohttp import web
from sqlalchemy import update

from pubhub.accounts.principal import Principal
from pubhub.http.keys import RUNTIME
from pubhub.http.middlewares import errors_as_json
from pubhub.http.principal import requires, requires_stream
from pubhub.store.models import Actor
from tests.support.instance import bound_socket
from tests.support.oauth import register

INVALID = {"error": "The access token is invalid"}
USER_REQUIRED = {"error": "This method requires an authenticated user"}
OUTSIDE = {"error": "This action is outside the authorized scopes"}
NOT_ALLOWED = {"error": "This action is not allowed"}


def _who(principal: Principal, **more) -> dict:
    return {"account": principal.account.username if principal.account is not None else None, **more}


def decorated() -> dict[str, object]:
    """The endpoints, decorated when a test asks for them (not when this file is imported: mutation
    testing imports it before choosing a mutant, and the decorators are the rules checked here)."""

    @requires("read")
    async def plain(request: web.Request, principal: Principal) -> web.Response:
        return web.json_response(_who(principal))

    @requires(app_ok=True)
    async def any_token(request: web.Request, principal: Principal) -> web.Response:
        return web.json_response(_who(principal))

    @requires("read", restricted_ok=True)
    async def decisions(request: web.Request, principal: Principal) -> web.Response:
        return web.json_response(_who(principal))

    @requires("admin:read", permission="manage_federation")
    async def federation(request: web.Request, principal: Principal) -> web.Response:
        return web.json_response(_who(principal))

    @requires_stream("read:statuses")
    async def stream(request: web.Request, principal: Principal, protocol: str | None) -> web.Response:
        return web.json_response(_who(principal, protocol=protocol))

    return {"/plain": plain, "/any": any_token, "/decisions": decisions, "/federation": federation, "/stream": stream}


@dataclass
class App:
    base: str
    http: aiohttp.ClientSession

    async def get(self, path: str, token: str | None = None, **kwargs) -> tuple[int, dict]:
        headers = kwargs.pop("headers", {})
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        async with self.http.get(self.base + path, headers=headers, **kwargs) as response:
            return response.status, await response.json()


@pytest.fixture
async def app(instance):
    application = web.Application(middlewares=[errors_as_json])
    application[RUNTIME] = instance.runtime
    for path, handler in decorated().items():
        application.router.add_get(path, handler)
    runner = web.AppRunner(application, access_log=None)
    await runner.setup()
    sock = bound_socket()
    await web.SockSite(runner, sock).start()
    try:
        async with aiohttp.ClientSession() as http:
            yield App(f"http://127.0.0.1:{sock.getsockname()[1]}", http)
    finally:
        await runner.cleanup()
        sock.close()


async def app_token(instance, scopes: str = "read") -> str:
    """An app's own token (client_credentials, no account), through the OAuth endpoint."""
    client = await register(instance, scopes=scopes)
    status, grant = await instance.request("POST", "/oauth/token", data={
        "grant_type": "client_credentials", "client_id": client["client_id"],
        "client_secret": client["client_secret"], "scope": scopes})
    assert status == 200, grant
    return grant["access_token"]


async def restrict(instance, actor: Actor, column: str) -> None:
    async with instance.runtime.db.write() as session:
        await session.execute(update(Actor).where(Actor.id == actor.id)
                              .values({column: instance.runtime.clock.now()}))


def test_each_endpoint_declares_its_scopes_whether_an_app_token_will_do_and_its_permission():
    handlers = decorated()
    plain, any_token, decisions, federation, stream = (handlers[path] for path in (
        "/plain", "/any", "/decisions", "/federation", "/stream"))
    assert (plain.scopes, plain.app_ok, plain.permission) == (("read",), False, None)
    assert (any_token.scopes, any_token.app_ok, any_token.permission) == ((), True, None)
    assert (decisions.scopes, decisions.app_ok, decisions.permission) == (("read",), False, None)
    assert (federation.scopes, federation.app_ok, federation.permission) == (("admin:read",), False, "manage_federation")
    assert (stream.scopes, stream.app_ok, stream.permission) == (("read:statuses",), False, None)
    assert all(type(handler.app_ok) is bool for handler in (plain, any_token, decisions, federation, stream))


async def test_an_apps_own_token_is_taken_only_where_the_endpoint_says_so(instance, app):
    token = await app_token(instance)
    assert await app.get("/plain", token) == (422, USER_REQUIRED)
    assert await app.get("/decisions", token) == (422, USER_REQUIRED)
    assert await app.get("/stream", token) == (422, USER_REQUIRED)
    assert await app.get("/any", token) == (200, {"account": None})


@pytest.mark.parametrize("column", ["suspended_at", "disabled_at"])
async def test_a_restricted_accounts_token_is_401_but_where_it_reads_its_decisions(instance, app, column):
    account = await instance.create_account("geschorst")
    token = await instance.token_for(account, "read")
    for path in ("/plain", "/decisions", "/any", "/stream"):
        assert (await app.get(path, token))[0] == 200, path
    await restrict(instance, account, column)
    for path in ("/plain", "/any", "/stream"):
        assert await app.get(path, token) == (401, INVALID), path
    assert await app.get("/decisions", token) == (200, {"account": "geschorst"})


async def test_a_permission_is_checked_against_the_roles_grant(instance, app):
    tokens = {}
    for name, role in (("gewoon", "user"), ("moderatie", "moderator"), ("beheer", "admin")):
        account = await instance.create_account(name, role=role)
        tokens[role] = await instance.token_for(account, "read admin:read" if role != "user" else "read")
    assert await app.get("/federation", tokens["user"]) == (403, OUTSIDE)
    assert await app.get("/federation", tokens["moderator"]) == (403, NOT_ALLOWED)  # not in the default grant
    assert await app.get("/federation", tokens["admin"]) == (200, {"account": "beheer"})


# ---- where a streaming endpoint reads its token -------------------------------------------------

@pytest.fixture
async def reader(instance):
    account = await instance.create_account("lezer")
    return await instance.token_for(account, "read")


async def test_a_stream_takes_the_authorization_header_first(app, reader):
    assert await app.get("/stream", reader) == (200, {"account": "lezer", "protocol": None})
    assert await app.get("/stream", reader, params={"access_token": "onzin"},
                         headers={"Sec-WebSocket-Protocol": "onzin"}) == (200, {"account": "lezer", "protocol": None})
    assert await app.get("/stream", "onzin", params={"access_token": reader}) == (401, INVALID)


async def test_a_stream_takes_the_access_token_parameter_next(app, reader):
    assert await app.get("/stream", params={"access_token": reader}) == (200, {"account": "lezer", "protocol": None})
    assert await app.get("/stream", params={"access_token": reader},
                         headers={"Sec-WebSocket-Protocol": "onzin"}) == (200, {"account": "lezer", "protocol": None})
    assert await app.get("/stream", params={"access_token": "onzin"},
                         headers={"Sec-WebSocket-Protocol": reader}) == (401, INVALID)
    # Not a bearer token in the header: the parameter is read.
    assert await app.get("/stream", params={"access_token": reader},
                         headers={"Authorization": f"Basic {reader}"}) == (200, {"account": "lezer", "protocol": None})


async def test_a_stream_takes_the_first_websocket_subprotocol_last_and_echoes_it(app, reader):
    expected = (200, {"account": "lezer", "protocol": reader})
    assert await app.get("/stream", headers={"Sec-WebSocket-Protocol": reader}) == expected
    assert await app.get("/stream", headers={"Sec-WebSocket-Protocol": f" {reader} , chat"}) == expected
    assert await app.get("/stream", headers={"Sec-WebSocket-Protocol": f"{reader},chat"}) == expected
    assert await app.get("/stream", params={"access_token": ""}, headers={"Sec-WebSocket-Protocol": reader}) == expected
    assert await app.get("/stream", headers={"Sec-WebSocket-Protocol": f"chat, {reader}"}) == (401, INVALID)


@pytest.mark.parametrize("headers, params", [
    ({}, {}),
    ({"Sec-WebSocket-Protocol": ""}, {}),
    ({"Sec-WebSocket-Protocol": " , x"}, {}),
    ({}, {"access_token": ""}),
    ({"Authorization": "Bearer"}, {}),
])
async def test_a_stream_without_a_token_is_401(app, headers, params):
    assert await app.get("/stream", headers=headers, params=params) == (401, INVALID)


async def test_a_stream_needs_its_scope_and_an_account(instance, app):
    writer = await instance.token_for(await instance.create_account("schrijver"), "write")
    assert await app.get("/stream", writer) == (403, OUTSIDE)
    assert await app.get("/stream", await app_token(instance, "read:statuses")) == (422, USER_REQUIRED)
