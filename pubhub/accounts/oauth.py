"""OAuth 2 as Mastodon apps use it (Doorkeeper's rules in Mastodon): apps register themselves,
people sign in and consent, apps exchange a code for a token.

The contract:
- An app registers its name, redirect URIs (`urn:ietf:wg:oauth:2.0:oob` shows the code on a
  page instead) and the scopes it may ever ask for; it gets a client id and a secret (stored as
  SHA-256 only).
- An authorization request names one of those redirect URIs exactly (character for character;
  left out, the app's only one), and scopes covered by the app's (default `read`). Admin scopes
  are granted only to moderators and admins: for anyone else they are left out of the grant.
- PKCE is optional, as in Mastodon; a challenge must be `S256` (`plain` is refused, as Mastodon
  4.3 refuses it). A code then needs the verifier whose SHA-256 is the challenge.
- A code lives 10 minutes (the injected clock decides), is bound to its app, redirect URI,
  account, scopes and challenge, and is spent once: a second exchange is refused and revokes the
  token the first one gave (RFC 6749, section 4.1.2).
- Tokens carry the scopes granted; `client_credentials` gives the app a token of its own (no
  account) with scopes covered by the app's.
- Refusals at the token and revocation endpoints are OAuthError: RFC 6749's `error` codes with
  a description, as Doorkeeper answers them; nothing is changed by a refusal.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode, urlsplit

from ..clock import Clock
from ..errors import BadRequest, PubHubError, Unprocessable
from ..store import oauth as oauth_store
from ..store import tokens as token_store
from ..store.db import Database, Session
from ..store.models import Actor, OAuthApp
from ..store import actors as actor_store
from .principal import SCOPES, may_act, role_at_least, scope_covers
from .tokens import hash_token, issue_token

OOB = "urn:ietf:wg:oauth:2.0:oob"
DEFAULT_SCOPES = "read"  # Doorkeeper's default_scopes in Mastodon
CODE_LIFETIME = timedelta(minutes=10)
# Mastodon's limits on an app (ApplicationExtension): name 60, website and redirect URIs 2,000.
MAX_NAME = 60
MAX_URIS_TEXT = 2000
MAX_STATE = 2048
GRANT_TYPES = ("authorization_code", "client_credentials")
_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*")
_FORBIDDEN_SCHEMES = {"data", "javascript", "vbscript", "file"}
_PKCE_TEXT = re.compile(r"[A-Za-z0-9\-._~]{43,128}")  # RFC 7636's code verifier (and an S256 challenge)

DESCRIPTIONS = {
    "invalid_request": "The request is missing a required parameter, includes an unsupported parameter value, "
                       "or is otherwise malformed.",
    "invalid_client": "Client authentication failed: unknown client, no client authentication included, "
                      "or unsupported authentication method.",
    "invalid_grant": "The provided authorization grant is invalid, expired, revoked, does not match the "
                     "redirection URI used in the authorization request, or was issued to another client.",
    "unauthorized_client": "The client is not authorized to perform this request using this method.",
    "unsupported_grant_type": "The authorization grant type is not supported by the authorization server.",
    "invalid_scope": "The requested scope is invalid, unknown, or malformed.",
    "unsupported_response_type": "The authorization server does not support this response type.",
    "access_denied": "The resource owner or authorization server denied the request.",
    "invalid_redirect_uri": "The requested redirect URI is malformed or does not match the client's redirect URIs.",
}


class OAuthError(PubHubError):
    """An OAuth refusal: `error` is RFC 6749's code, `message` its description."""

    def __init__(self, error: str, description: str | None = None, *, status: int | None = None):
        super().__init__(description or DESCRIPTIONS[error],
                         status=status or (401 if error == "invalid_client" else 400))
        self.error = error

    def body(self) -> dict:
        return {"error": self.error, "error_description": self.message}


class AuthorizationRefused(OAuthError):
    """An authorization request that must not be sent back to its redirect URI (the app or the
    URI is not known to be the app's): shown to the person on a page instead."""


# ---- registering an app -----------------------------------------------------------------------

def redirect_uri_problem(uri: str) -> str | None:
    """Why `uri` cannot be a redirect URI, or None: absolute, no fragment, no whitespace, no
    scheme that runs code or reads files; http(s) with a host. Custom schemes (`com.app:/cb`)
    are what phone apps use, and are allowed."""
    if uri == OOB:
        return None
    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in uri):
        return "may not contain whitespace or control characters"
    try:
        parts = urlsplit(uri)
    except ValueError:
        return "must be an absolute URI"
    if not parts.scheme or not _SCHEME.fullmatch(parts.scheme) or not uri.startswith(parts.scheme + ":"):
        return "must be an absolute URI"
    if parts.scheme.lower() in _FORBIDDEN_SCHEMES:
        return f"may not use the {parts.scheme.lower()} scheme"
    if parts.fragment or "#" in uri:
        return "may not contain a fragment"
    if parts.scheme.lower() in ("http", "https") and not parts.hostname:
        return "must name a host"
    return None


def parse_redirect_uris(given: str | list[str] | None) -> list[str]:
    """The registered redirect URIs: one a line (or whitespace-separated) as Mastodon takes
    them, or a list (Mastodon 4.3)."""
    parts = given if isinstance(given, list) else (given or "").split()
    uris = list(dict.fromkeys(u.strip() for u in parts if u.strip()))
    if not uris:
        raise Unprocessable("Validation failed: Redirect URI can't be blank")
    if len("\n".join(uris)) > MAX_URIS_TEXT:
        raise Unprocessable(f"Validation failed: Redirect URI is too long (maximum is {MAX_URIS_TEXT} characters)")
    for uri in uris:
        problem = redirect_uri_problem(uri)
        if problem is not None:
            raise Unprocessable(f"Validation failed: Redirect URI {problem}")
    return uris


def _known_scopes(text: str) -> tuple[str, ...] | None:
    scopes = tuple(dict.fromkeys(text.split()))
    return scopes if scopes and all(s in SCOPES for s in scopes) else None


def _website_problem(website: str) -> str | None:
    try:
        parts = urlsplit(website)
    except ValueError:
        return "is not a valid URL"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "is not a valid URL"
    return None


@dataclass(frozen=True)
class Registered:
    app: OAuthApp
    client_secret: str  # shown once, never stored


async def register_app(session: Session, *, name: str, redirect_uris: str | list[str] | None,
                       scopes: str | None, website: str | None, now: datetime) -> Registered:
    name = (name or "").strip()
    if not name:
        raise Unprocessable("Validation failed: Application name can't be blank")
    if len(name) > MAX_NAME:
        raise Unprocessable(f"Validation failed: Application name is too long (maximum is {MAX_NAME} characters)")
    uris = parse_redirect_uris(redirect_uris)
    granted = _known_scopes(scopes if scopes and scopes.strip() else DEFAULT_SCOPES)
    if granted is None:
        raise Unprocessable("Validation failed: Scopes doesn't match configured on the server.")
    website = (website or "").strip() or None
    if website is not None and (problem := _website_problem(website)):
        raise Unprocessable(f"Validation failed: Website {problem}")
    secret = secrets.token_urlsafe(32)
    app = await oauth_store.add_app(session, client_id=secrets.token_urlsafe(32), secret_hash=hash_token(secret),
                                    name=name, website=website, redirect_uris="\n".join(uris),
                                    scopes=" ".join(granted), created_at=now)
    return Registered(app, secret)


def app_redirect_uris(app: OAuthApp) -> list[str]:
    return app.redirect_uris.split()


def app_scopes(app: OAuthApp) -> tuple[str, ...]:
    return tuple(app.scopes.split())


async def app_by_id(db: Database, app_id: int | None) -> OAuthApp | None:
    if app_id is None:
        return None
    async with db.read() as session:
        return await oauth_store.app_by_id(session, app_id)


# ---- client authentication --------------------------------------------------------------------

async def authenticate_client(session: Session, client_id: str | None, client_secret: str | None) -> OAuthApp:
    """The app whose id and secret these are (the secret compared in constant time)."""
    if not client_id or not client_secret:
        raise OAuthError("invalid_client")
    app = await oauth_store.app_by_client_id(session, client_id)
    if app is None or not hmac.compare_digest(app.secret_hash, hash_token(client_secret)):
        raise OAuthError("invalid_client")
    return app


# ---- the authorization request -----------------------------------------------------------------

@dataclass(frozen=True)
class AuthorizationRequest:
    """A checked request from GET /oauth/authorize: what the consent page shows and the code
    will be bound to. `scopes` are the ones asked for (checked against the app's)."""

    app: OAuthApp
    redirect_uri: str
    scopes: tuple[str, ...]
    state: str | None
    code_challenge: str | None

    @property
    def oob(self) -> bool:
        return self.redirect_uri == OOB

    def params(self) -> dict[str, str]:
        """The request as query parameters, to carry it through the sign-in and consent forms."""
        out = {"response_type": "code", "client_id": self.app.client_id, "redirect_uri": self.redirect_uri,
               "scope": " ".join(self.scopes)}
        if self.state is not None:
            out["state"] = self.state
        if self.code_challenge is not None:
            out.update(code_challenge=self.code_challenge, code_challenge_method="S256")
        return out

    def redirect(self, **answer: str) -> str:
        """The redirect URI with `answer` (code or error) and the state added to its query."""
        if self.state is not None:
            answer["state"] = self.state
        separator = "&" if "?" in self.redirect_uri else "?"
        return self.redirect_uri + separator + urlencode(answer)


class RedirectedRefusal(OAuthError):
    """A refusal the app is told about at its redirect URI (RFC 6749, section 4.1.2.1)."""

    def __init__(self, request: AuthorizationRequest, error: str, description: str | None = None):
        super().__init__(error, description)
        self.request = request

    @property
    def location(self) -> str:
        return self.request.redirect(error=self.error, error_description=self.message)


async def authorization_request(db: Database, params: dict[str, str]) -> AuthorizationRequest:
    """Check an authorization request. AuthorizationRefused for an unknown app or a redirect URI
    that is not exactly one of its own (never redirected to); RedirectedRefusal for the rest."""
    client_id = params.get("client_id") or ""
    async with db.read() as session:
        app = await oauth_store.app_by_client_id(session, client_id) if client_id else None
    if app is None:
        raise AuthorizationRefused("invalid_client")
    registered = app_redirect_uris(app)
    redirect_uri = params.get("redirect_uri")
    if not redirect_uri and len(registered) == 1:
        redirect_uri = registered[0]
    if redirect_uri not in registered:  # exact match: no prefixes, no normalising
        raise AuthorizationRefused("invalid_redirect_uri")
    state = params.get("state")
    request = AuthorizationRequest(app, redirect_uri, (), state if state is not None and state != "" else None, None)
    if state is not None and len(state) > MAX_STATE:
        raise RedirectedRefusal(request, "invalid_request", "The state is too long.")
    if params.get("response_type") != "code":
        raise RedirectedRefusal(request, "unsupported_response_type")
    scopes = _known_scopes(params.get("scope") or DEFAULT_SCOPES)
    if scopes is None or not all(scope_covers(set(app_scopes(app)), s) for s in scopes):
        raise RedirectedRefusal(request, "invalid_scope")
    challenge, method = params.get("code_challenge") or None, params.get("code_challenge_method") or None
    if method is not None and challenge is None:
        raise RedirectedRefusal(request, "invalid_request", "The code challenge is missing.")
    if challenge is not None:
        if (method or "plain") != "S256":  # RFC 7636: no method means plain, which we refuse
            raise RedirectedRefusal(request, "invalid_request", "The code challenge method must be S256.")
        if len(challenge) != 43 or not _PKCE_TEXT.fullmatch(challenge):
            raise RedirectedRefusal(request, "invalid_request", "The code challenge is not an S256 challenge.")
    return AuthorizationRequest(app, redirect_uri, scopes, request.state, challenge)


def grantable_scopes(request: AuthorizationRequest, account: Actor) -> tuple[str, ...]:
    """What the account may grant of what is asked: admin scopes only for moderators and admins."""
    if role_at_least(account.role, "moderator"):
        return request.scopes
    return tuple(s for s in request.scopes if not s.startswith("admin:"))


async def issue_code(db: Database, clock: Clock, request: AuthorizationRequest, account: Actor) -> str:
    """A code for `account`'s consent to `request`; returned once, stored as SHA-256."""
    granted = grantable_scopes(request, account)
    if not granted:
        raise RedirectedRefusal(request, "invalid_scope", "None of the requested scopes can be granted to this account.")
    code = secrets.token_urlsafe(32)
    now = clock.now()
    async with db.write() as session:
        await oauth_store.forget_codes_expired_before(session, now - timedelta(days=1))
        await oauth_store.add_code(session, code_hash=hash_token(code), app_id=request.app.id, actor_id=account.id,
                                   redirect_uri=request.redirect_uri, scopes=" ".join(granted),
                                   code_challenge=request.code_challenge, created_at=now, expires_at=now + CODE_LIFETIME)
    return code


# ---- the token endpoint -----------------------------------------------------------------------

@dataclass(frozen=True)
class Grant:
    access_token: str
    scopes: str
    created_at: datetime

    def body(self) -> dict:
        return {"access_token": self.access_token, "token_type": "Bearer", "scope": self.scopes,
                "created_at": int(self.created_at.timestamp())}


def s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii")).digest()).rstrip(b"=").decode()


async def exchange_code(db: Database, clock: Clock, *, client_id: str | None, client_secret: str | None,
                        code: str | None, redirect_uri: str | None, code_verifier: str | None) -> Grant:
    now = clock.now()
    refusal: OAuthError | None = None
    async with db.write() as session:
        app = await authenticate_client(session, client_id, client_secret)
        if not code:
            raise OAuthError("invalid_request", "The code is missing.")
        stored = await oauth_store.code_by_hash(session, hash_token(code))
        if stored is None or stored.app_id != app.id:
            raise OAuthError("invalid_grant")
        if stored.used_at is not None:
            # A replayed code: whoever holds it may have stolen it; the token it gave goes too.
            if stored.token_id is not None:
                await token_store.revoke_ids(session, [stored.token_id], now)
            refusal = OAuthError("invalid_grant")
        else:
            _check_code(app, stored, now, redirect_uri, code_verifier)
            account = await actor_store.by_id(session, stored.actor_id)
            if account is None or not may_act(account):
                raise OAuthError("invalid_grant")
            if not await oauth_store.spend_code(session, stored.id, now):
                raise OAuthError("invalid_grant")  # spent by a request that raced this one
            try:
                token, row = await issue_token(session, account, now=now, name=app.name, scopes=stored.scopes,
                                               app_id=app.id)
            except BadRequest as exc:  # the account lost the role its admin scopes needed
                raise OAuthError("invalid_grant") from exc
            await oauth_store.record_token(session, stored.id, row.id)
    if refusal is not None:
        raise refusal
    return Grant(token, row.scopes, now)


def _check_code(app: OAuthApp, stored, now: datetime, redirect_uri: str | None, code_verifier: str | None) -> None:
    if stored.expires_at <= now:
        raise OAuthError("invalid_grant")
    if redirect_uri is None:
        # Left out: only when the app has just the one the code was issued for (as Doorkeeper).
        if app_redirect_uris(app) != [stored.redirect_uri]:
            raise OAuthError("invalid_grant")
    elif redirect_uri != stored.redirect_uri:
        raise OAuthError("invalid_grant")
    if stored.code_challenge is None:
        if code_verifier:
            raise OAuthError("invalid_grant")  # a verifier for a code issued without a challenge
        return
    if not code_verifier or not _PKCE_TEXT.fullmatch(code_verifier):
        raise OAuthError("invalid_grant")
    if not hmac.compare_digest(s256(code_verifier), stored.code_challenge):
        raise OAuthError("invalid_grant")


async def client_credentials(db: Database, clock: Clock, *, client_id: str | None, client_secret: str | None,
                             scope: str | None) -> Grant:
    """The app's own token (no account), with scopes covered by the app's (default `read`)."""
    now = clock.now()
    async with db.write() as session:
        app = await authenticate_client(session, client_id, client_secret)
        scopes = _known_scopes(scope or DEFAULT_SCOPES)
        if scopes is None or not all(scope_covers(set(app_scopes(app)), s) for s in scopes):
            raise OAuthError("invalid_scope")
        token, row = await issue_token(session, None, now=now, name=app.name, scopes=" ".join(scopes), app_id=app.id)
    return Grant(token, row.scopes, now)


async def revoke(db: Database, clock: Clock, *, client_id: str | None, client_secret: str | None,
                 token: str | None) -> None:
    """RFC 7009: the app revokes a token it was given (or one made without an app, as
    Doorkeeper lets it); an unknown token is no error."""
    async with db.write() as session:
        app = await authenticate_client(session, client_id, client_secret)
        if not token:
            raise OAuthError("invalid_request", "The token is missing.")
        stored = await token_store.by_hash(session, hash_token(token))
        if stored is None:
            return
        if stored.app_id is not None and stored.app_id != app.id:
            raise OAuthError("unauthorized_client", "You are not authorized to revoke this token.", status=403)
        await token_store.revoke_ids(session, [stored.id], clock.now())
