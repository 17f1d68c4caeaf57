"""A test Yivi server, faithful to the requestor API PubHub uses: `POST /session` (authorised
with the requestor token, a `disclose` request) answers `{token, sessionPtr, frontendRequest}`,
and `GET /session/{token}/result-jwt` answers the session result as a JWT signed (RS256) with the
server's own RSA key, as irmago's server does. A test plays the person's app by `disclose`-ing
values for a session, and can make the result wrong in any one way (`spoil`) to see it refused."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field

import jwt
from aiohttp import web

from .instance import served
from .keys import key_pair

ISSUER = "yivi-test-server"
EMAIL = "pbdf.sidn-pbdf.email.email"  # the e-mail address attribute Yivi discloses
REQUESTOR_TOKEN = "requestor-secret"


@dataclass
class YiviSession:
    token: str
    asked: list[str]
    disclosed: list[dict] = field(default_factory=list)
    status: str = "INITIALIZED"
    claims: dict = field(default_factory=dict)  # overrides of the result's claims
    signing: str = "server"  # server | other-key | none | hs256-public-key


class YiviTestServer:
    def __init__(self, key_index: int = 7):
        self.key, self.public_pem = key_pair(key_index)
        self.sessions: dict[str, YiviSession] = {}
        self.requests: list[dict] = []
        self.base = ""
        self._serving = None

    async def start(self) -> "YiviTestServer":
        app = web.Application()
        app.router.add_post("/session", self._new_session)
        app.router.add_get("/session/{token}/result-jwt", self._result_jwt)
        self._serving = served(app)
        self.base = await self._serving.__aenter__()
        return self

    async def stop(self) -> None:
        await self._serving.__aexit__(None, None, None)

    def key_file(self, directory) -> str:
        path = directory / "yivi-public.pem"
        path.write_text(self.public_pem)
        return str(path)

    def config(self, directory) -> dict[str, str]:
        return {"PUBHUB_YIVI_SERVER_URL": self.base, "PUBHUB_YIVI_REQUESTOR_TOKEN": REQUESTOR_TOKEN,
                "PUBHUB_YIVI_JWT_PUBLIC_KEY_FILE": self.key_file(directory), "PUBHUB_YIVI_JWT_ISSUER": ISSUER}

    # ---- the person's app ----------------------------------------------------------------

    def disclose(self, token: str, values: dict[str, str], **attribute_fields) -> None:
        """The person discloses `values` (attribute id → value) in session `token`."""
        session = self.sessions[token]
        session.disclosed = [{"id": name, "rawvalue": value, "value": {"": value, "en": value, "nl": value},
                              "status": "PRESENT", "issuancetime": int(time.time()) - 86400, **attribute_fields}
                             for name, value in values.items()]
        session.status = "DONE"

    # ---- the requestor API -----------------------------------------------------------------

    async def _new_session(self, request: web.Request) -> web.Response:
        if request.headers.get("Authorization") != REQUESTOR_TOKEN:
            return web.json_response({"error": "UNAUTHORIZED"}, status=403)
        body = await request.json()
        self.requests.append(body)
        if body.get("@context") != "https://irma.app/ld/request/disclosure/v2" or not body.get("disclose"):
            return web.json_response({"error": "MALFORMED_SESSION_REQUEST"}, status=400)
        asked = [attribute for conjunction in body["disclose"] for option in conjunction for attribute in option]
        token = secrets.token_urlsafe(15)
        self.sessions[token] = YiviSession(token, asked)
        pointer = {"u": f"{self.base}/irma/session/{secrets.token_urlsafe(15)}", "irmaqr": "disclosing"}
        return web.json_response({"token": token, "sessionPtr": pointer,
                                  "frontendRequest": {"authorization": secrets.token_urlsafe(15)}})

    async def _result_jwt(self, request: web.Request) -> web.Response:
        session = self.sessions.get(request.match_info["token"])
        if session is None:
            return web.json_response({"error": "SESSION_UNKNOWN"}, status=400)
        now = int(time.time())
        claims = {"iat": now, "exp": now + 120, "iss": ISSUER, "sub": "disclosing_result", "token": session.token,
                  "status": session.status, "type": "disclosing", "proofStatus": "VALID" if session.disclosed else "",
                  "disclosed": [[attribute] for attribute in session.disclosed]}
        claims.update(session.claims)
        claims = {name: value for name, value in claims.items() if value is not DROP}
        return web.Response(text=self._sign(claims, session.signing), content_type="text/plain")

    def _sign(self, claims: dict, how: str) -> str:
        if how == "server":
            return jwt.encode(claims, self.key, algorithm="RS256")
        if how == "other-key":
            return jwt.encode(claims, key_pair(8)[0], algorithm="RS256")
        if how == "none":
            return jwt.encode(claims, None, algorithm="none")
        if how == "hs256-public-key":  # the old confusion: the public key used as an HMAC secret
            return _hs256(claims, self.public_pem.encode())
        raise ValueError(how)


DROP = object()  # a claim left out of the result


def _hs256(claims: dict, secret: bytes) -> str:
    """HS256 by hand: PyJWT rightly refuses a PEM key as an HMAC secret, a forger would not."""
    import base64
    import hashlib
    import hmac
    import json

    def part(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    signing_input = part(json.dumps({"alg": "HS256", "typ": "JWT"}).encode()) + "." + part(json.dumps(claims).encode())
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + part(signature)
