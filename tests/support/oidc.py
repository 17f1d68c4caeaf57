"""A test OpenID Connect provider, faithful to what PubHub uses: discovery, an authorization
endpoint that signs the person in at once and redirects back with a code, a token endpoint that
checks the client secret, the redirect URI and the PKCE verifier (S256) and answers an ID token
signed (RS256) with its own key, and its JWKS. `claims` are the person's; `spoil` makes the next
ID tokens wrong in one way."""

from __future__ import annotations

import base64
import hashlib
import secrets
import re
import time
from contextlib import asynccontextmanager
from urllib.parse import urlencode

import jwt
from aiohttp import web
from jwt.algorithms import RSAAlgorithm

from .instance import Instance, served
from .oauth import Browser, Page, forms_of
from .keys import key_pair

CLIENT_ID, CLIENT_SECRET = "pubhub-test", "a-client-secret-of-thirty-two-bytes!"


class OidcTestProvider:
    def __init__(self, key_index: int = 9):
        self.key, _ = key_pair(key_index)
        self.claims: dict = {"sub": "person-1"}
        self.spoil: dict = {}  # claims overridden (None: left out) and "signing": other-key | none | hs256
        self.codes: dict[str, dict] = {}
        self.base = ""
        self._serving = None

    async def start(self) -> "OidcTestProvider":
        app = web.Application()
        app.router.add_get("/.well-known/openid-configuration", self._discovery)
        app.router.add_get("/authorize", self._authorize)
        app.router.add_post("/token", self._token)
        app.router.add_get("/jwks", self._jwks)
        self._serving = served(app)
        self.base = await self._serving.__aenter__()
        return self

    async def stop(self) -> None:
        await self._serving.__aexit__(None, None, None)

    def config(self, claims: str) -> dict[str, str]:
        return {"PUBHUB_OIDC_ISSUER": self.base, "PUBHUB_OIDC_CLIENT_ID": CLIENT_ID,
                "PUBHUB_OIDC_CLIENT_SECRET": CLIENT_SECRET, "PUBHUB_OIDC_CLAIMS": claims}

    async def _discovery(self, request: web.Request) -> web.Response:
        return web.json_response({"issuer": self.base, "authorization_endpoint": f"{self.base}/authorize",
                                  "token_endpoint": f"{self.base}/token", "jwks_uri": f"{self.base}/jwks",
                                  "id_token_signing_alg_values_supported": ["RS256"]})

    async def _authorize(self, request: web.Request) -> web.Response:
        query = request.query
        if query.get("client_id") != CLIENT_ID or query.get("response_type") != "code" \
                or query.get("code_challenge_method") != "S256" or "openid" not in query.get("scope", "").split():
            return web.json_response({"error": "invalid_request"}, status=400)
        code = secrets.token_urlsafe(16)
        self.codes[code] = {"nonce": query.get("nonce"), "challenge": query.get("code_challenge"),
                            "redirect_uri": query.get("redirect_uri"), "used": False}
        raise web.HTTPFound(f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query.get('state', '')})}")

    async def _token(self, request: web.Request) -> web.Response:
        form = await request.post()
        grant = self.codes.get(form.get("code", ""))
        if form.get("client_id") != CLIENT_ID or form.get("client_secret") != CLIENT_SECRET:
            return web.json_response({"error": "invalid_client"}, status=401)
        if grant is None or grant["used"] or form.get("redirect_uri") != grant["redirect_uri"]:
            return web.json_response({"error": "invalid_grant"}, status=400)
        verifier = form.get("code_verifier", "")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if challenge != grant["challenge"]:
            return web.json_response({"error": "invalid_grant", "error_description": "PKCE"}, status=400)
        grant["used"] = True
        now = int(time.time())
        claims = {"iss": self.base, "aud": CLIENT_ID, "iat": now, "exp": now + 300, "nonce": grant["nonce"], **self.claims}
        for name, value in self.spoil.items():
            if name != "signing":
                claims.pop(name, None) if value is None else claims.__setitem__(name, value)
        return web.json_response({"id_token": self._sign(claims), "access_token": "x", "token_type": "Bearer"})

    async def _jwks(self, request: web.Request) -> web.Response:
        key = RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return web.json_response({"keys": [{**key, "kid": "test-key", "use": "sig", "alg": "RS256"}]})

    def _sign(self, claims: dict) -> str:
        how = self.spoil.get("signing", "server")
        if how == "server":
            return jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": "test-key"})
        if how == "other-key":
            return jwt.encode(claims, key_pair(8)[0], algorithm="RS256", headers={"kid": "test-key"})
        if how == "none":
            return jwt.encode(claims, None, algorithm="none")
        if how == "hs256":
            return jwt.encode(claims, CLIENT_SECRET, algorithm="HS256", headers={"kid": "test-key"})
        raise ValueError(how)


@asynccontextmanager
async def signing_in_by_subject(database_url: str, **claims):
    """An instance whose sign-in without a password goes through a test OpenID Connect provider
    and identifies people by the provider's subject; the provider's signed-in person has
    `claims` (`sub` at least). Yields (instance, provider)."""
    provider = await OidcTestProvider().start()
    provider.claims = claims
    config = {"PUBHUB_IDENTITY_VERIFIERS": "oidc", **provider.config("email=email")}
    instance = await Instance(database_url, identity_verifiers=("oidc",), plugin_config=tuple(config.items()),
                              login_verifier="oidc", login_attribute="subject").start()
    try:
        yield instance, provider
    finally:
        await instance.stop()
        await provider.stop()


async def through_the_provider(browser: Browser, page_text: str) -> Page:
    """Follow a sign-in page's link to the provider, which signs the person in at once and sends
    the browser back through our callback: the page reached (its address in `url`)."""
    url = re.search(r'<a href="([^"]+)">Sign in at your login provider', page_text).group(1).replace("&amp;", "&")
    async with browser.http.get(url, allow_redirects=True) as landed:
        text = await landed.text()
        return Page(landed.status, dict(landed.headers), text, forms_of(text), url=str(landed.url))
