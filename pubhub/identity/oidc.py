"""OpenID Connect: an agency's own single sign-on, or a national login broker, as a verifier.

`start` reads the provider's discovery document (through PubHub's guarded client; its `issuer`
must be PUBHUB_OIDC_ISSUER exactly) and hands the app the authorization URL: the authorization
code flow with PKCE (S256), a random `state` (the session's reference) and a `nonce`. The
provider sends the person back to `/identity/oidc/callback` with a code, which `check` exchanges
at the token endpoint (client_secret_post) for an ID token, accepted only when:

- it is signed with an allowed algorithm (PUBHUB_OIDC_ALGORITHMS, default RS256 and ES256; never
  `none` or an HMAC) by a key of the provider's JWKS;
- `iss` is the issuer, `aud` contains the client id (and `azp`, when there are several audiences,
  is it), `exp` and `iat` are fresh, and `nonce` is this session's.

The nonce and the PKCE verifier are derived from the state with the client secret (HMAC), so
PubHub keeps nothing but the state. Claims become attributes as PUBHUB_OIDC_CLAIMS says
(`claim=attribute,...`; an attribute a rule reads that no claim gives is not proved).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Mapping, Sequence
from datetime import datetime
from urllib.parse import urlencode

import jwt
import orjson

from ..config import ConfigError
from .verifier import (BadSignature, ProofRefused, Started, Verified, Verifier, VerifierUnavailable, claim_time, fresh,
                       jwt_claims)

CALLBACK_PATH = "/identity/oidc/callback"
DEFAULT_ALGORITHMS = ("RS256", "ES256")
SAFE_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA")
MAX_DOCUMENT_BYTES = 256 * 1024


class OidcVerifier(Verifier):
    name = "oidc"

    def __init__(self, issuer: str, client_id: str, client_secret: str, redirect_uri: str,
                 claims: dict[str, str], algorithms: tuple[str, ...], scopes: str, http):
        self.issuer = issuer
        self.client_id = client_id
        self.client_secret = client_secret
        self.redirect_uri = redirect_uri
        self.claims = claims  # attribute id → claim name
        self.algorithms = algorithms
        self.scopes = scopes
        self.http = http
        self._discovery: dict | None = None

    @classmethod
    def from_config(cls, config: Mapping[str, str], http) -> "OidcVerifier":
        names = ("PUBHUB_OIDC_ISSUER", "PUBHUB_OIDC_CLIENT_ID", "PUBHUB_OIDC_CLIENT_SECRET", "PUBHUB_OIDC_CLAIMS")
        missing = [name for name in names if not config.get(name, "").strip()]
        if missing:
            raise ConfigError(f"the oidc verifier needs {', '.join(missing)}")
        claims = {}
        for pair in config["PUBHUB_OIDC_CLAIMS"].split(","):
            claim, equals, attribute = pair.strip().partition("=")
            if not (equals and claim.strip() and attribute.strip()):
                raise ConfigError(f"PUBHUB_OIDC_CLAIMS: {pair.strip()!r} is not claim=attribute")
            claims[attribute.strip()] = claim.strip()
        algorithms = tuple(name.strip() for name in config.get("PUBHUB_OIDC_ALGORITHMS", "").split(",") if name.strip())
        unsafe = [name for name in algorithms if name not in SAFE_ALGORITHMS]
        if unsafe:
            raise ConfigError(f"PUBHUB_OIDC_ALGORITHMS: {', '.join(unsafe)} not allowed (one of {', '.join(SAFE_ALGORITHMS)})")
        base = config.get("PUBHUB_BASE_URL", "").rstrip("/")
        return cls(config["PUBHUB_OIDC_ISSUER"].strip().rstrip("/"), config["PUBHUB_OIDC_CLIENT_ID"].strip(),
                   config["PUBHUB_OIDC_CLIENT_SECRET"].strip(), base + CALLBACK_PATH, claims,
                   algorithms or DEFAULT_ALGORITHMS, config.get("PUBHUB_OIDC_SCOPES", "").strip() or "openid", http)

    # ---- the session -------------------------------------------------------------------------

    async def start(self, attributes: Sequence[str]) -> Started:
        unmapped = [name for name in attributes if name not in self.claims]
        if unmapped:
            raise VerifierUnavailable(f"no claim is mapped to {', '.join(unmapped)} (PUBHUB_OIDC_CLAIMS)")
        discovery = await self._discovered()
        state = secrets.token_urlsafe(24)
        challenge = _b64(hashlib.sha256(self._derived("pkce", state).encode()).digest())
        query = {"response_type": "code", "client_id": self.client_id, "redirect_uri": self.redirect_uri,
                 "scope": self.scopes, "state": state, "nonce": self._derived("nonce", state),
                 "code_challenge": challenge, "code_challenge_method": "S256"}
        return Started(reference=state, client={"type": "oidc", "url": f"{discovery['authorization_endpoint']}?{urlencode(query)}"})

    async def check(self, reference: str, attributes: Sequence[str], proof: str | None, *, now: datetime) -> Verified:
        if not proof:
            raise ProofRefused("no authorization code came back from the provider")
        discovery = await self._discovered()
        form = {"grant_type": "authorization_code", "code": proof, "redirect_uri": self.redirect_uri,
                "client_id": self.client_id, "client_secret": self.client_secret,
                "code_verifier": self._derived("pkce", reference)}
        answer = await self._call("POST", discovery["token_endpoint"], urlencode(form).encode(),
                                  {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
                                  refused_means_proof=True)
        token = answer.get("id_token") if isinstance(answer, dict) else None
        if not isinstance(token, str):
            raise ProofRefused("the provider's token answer has no ID token")
        claims = await self._verified_claims(token, discovery)
        fresh(claim_time(claims, "iat", "the ID token"), claim_time(claims, "exp", "the ID token"), now)
        if not hmac.compare_digest(str(claims.get("nonce", "")), self._derived("nonce", reference)):
            raise ProofRefused("the ID token's nonce is not this session's")
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if len(audiences) > 1 and claims.get("azp") != self.client_id:
            raise ProofRefused("the ID token is for several audiences and not authorised for this client")
        values = {name: claims[self.claims[name]] for name in attributes if self.claims.get(name) in claims}
        return Verified(attributes={name: str(value) for name, value in values.items()}, subject=str(claims["sub"]))

    # ---- pieces ------------------------------------------------------------------------------

    async def _verified_claims(self, token: str, discovery: dict) -> dict:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise ProofRefused("the ID token is not a JWT") from None
        if header.get("alg") not in self.algorithms:
            raise ProofRefused(f"the ID token's algorithm {str(header.get('alg'))[:16]} is not allowed")
        keys = await self._call("GET", discovery["jwks_uri"], None, {"Accept": "application/json"})
        try:
            key_set = jwt.PyJWKSet.from_dict(keys)
            candidates = [key for key in key_set.keys if header.get("kid") in (None, key.key_id)]
        except (jwt.PyJWTError, TypeError, ValueError):
            raise VerifierUnavailable("the provider's JWKS is not a key set") from None
        for key in candidates:
            try:
                return jwt_claims(token, key.key, algorithms=list(self.algorithms), issuer=self.issuer,
                                  audience=self.client_id, required=["iss", "aud", "exp", "iat", "sub"],
                                  what="the ID token")
            except BadSignature:
                continue  # another key of the set may have signed it
        raise ProofRefused("the ID token's signature does not verify with the provider's keys")

    async def _discovered(self) -> dict:
        if self._discovery is None:
            document = await self._call("GET", f"{self.issuer}/.well-known/openid-configuration", None,
                                        {"Accept": "application/json"})
            needed = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")
            if not isinstance(document, dict) or not all(isinstance(document.get(name), str) for name in needed):
                raise VerifierUnavailable("the provider's discovery document lacks its endpoints")
            if document["issuer"].rstrip("/") != self.issuer:
                raise VerifierUnavailable("the provider's discovery document names another issuer")
            self._discovery = document
        return self._discovery

    def _derived(self, purpose: str, state: str) -> str:
        return _b64(hmac.new(self.client_secret.encode(), f"{purpose}|{state}".encode(), hashlib.sha256).digest())

    async def _call(self, method: str, url: str, body: bytes | None, headers: dict, *,
                    refused_means_proof: bool = False):
        try:
            response = await self.http.request(method, url, body=body, headers=headers, max_bytes=MAX_DOCUMENT_BYTES,
                                               follow_redirects=False)
        except Exception as exc:
            raise VerifierUnavailable(f"the provider could not be reached ({exc.__class__.__name__})") from exc
        if refused_means_proof and response.status in (400, 401):
            raise ProofRefused("the provider refused the authorization code (used, expired, or not this session's)")
        if response.status != 200:
            raise VerifierUnavailable(f"the provider answered {response.status}")
        try:
            return orjson.loads(response.body)
        except orjson.JSONDecodeError:
            raise VerifierUnavailable("the provider's answer is not JSON") from None


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
