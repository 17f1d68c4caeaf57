"""Signed cookies and CSRF tokens for the few HTML forms (signing in to authorize an app).

Every form carries a token bound to a short-lived signed cookie (double submit, signed): the
cookie holds a random nonce with its expiry and an HMAC of both under the instance's signing
key (`Runtime.signing_key`, shared by every process); the form holds an HMAC of the nonce. A
POST whose cookie is missing, forged or expired, or whose token is not the one for its cookie's
nonce, is refused with 403 before anything else is looked at. Another site can neither read the
cookie nor make the token. Cookies are HttpOnly, SameSite=Lax, Secure when PUBHUB_SCHEME is
https, and limited to the path of the forms that use them (/oauth, /report, /admin; the console's session
cookie is SameSite=Strict).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from aiohttp import web

from ..errors import Forbidden
from .keys import runtime

CSRF_COOKIE = "pubhub_csrf"
CSRF_LIFETIME = 2 * 3600
COOKIE_PATH = "/oauth"
FORM_EXPIRED = "This form has expired or did not come from this site. Go back, reload the page and try again."


def _mac(key: bytes, text: str) -> str:
    return base64.urlsafe_b64encode(hmac.new(key, text.encode(), hashlib.sha256).digest()).rstrip(b"=").decode()


def sign(key: bytes, purpose: str, value: str, expires: int) -> str:
    """`value.expires.mac`; `value` may not contain a dot."""
    return f"{value}.{expires}.{_mac(key, f'{purpose}|{value}|{expires}')}"


def unsign(key: bytes, purpose: str, signed: str | None, now: float) -> str | None:
    """The value, if `signed` was signed with `key` for `purpose` and has not expired."""
    if not signed or signed.count(".") != 2:
        return None
    value, expires, mac = signed.split(".")
    if not expires.isdigit() or not hmac.compare_digest(mac, _mac(key, f"{purpose}|{value}|{expires}")):
        return None
    return value if int(expires) > now else None


class Forms:
    """The CSRF side of one request: the nonce from its cookie (or a new one) and the token forms
    carry; `remember` puts a new cookie on the answer."""

    def __init__(self, request: web.Request, key: bytes, now: float, path: str = COOKIE_PATH):
        self.request, self.key, self.now, self.path = request, key, now, path
        self.nonce = unsign(key, "csrf", request.cookies.get(CSRF_COOKIE), now)
        self._new = self.nonce is None
        if self.nonce is None:
            self.nonce = secrets.token_hex(16)

    @classmethod
    async def of(cls, request: web.Request, path: str = COOKIE_PATH) -> "Forms":
        rt = runtime(request)
        return cls(request, await rt.signing_key(), rt.clock.now().timestamp(), path)

    @property
    def token(self) -> str:
        return _mac(self.key, f"csrf-form|{self.nonce}")

    def check(self, token: str | None) -> None:
        """Forbidden unless the request came with its cookie and the matching form token."""
        if self._new or not token or not hmac.compare_digest(token, self.token):
            raise Forbidden(FORM_EXPIRED)

    def remember(self, response: web.StreamResponse) -> None:
        if self._new:
            set_cookie(self.request, response, CSRF_COOKIE,
                       sign(self.key, "csrf", self.nonce, int(self.now) + CSRF_LIFETIME), CSRF_LIFETIME, self.path)


def set_cookie(request: web.Request, response: web.StreamResponse, name: str, value: str, max_age: int,
               path: str = COOKIE_PATH, samesite: str = "Lax") -> None:
    response.set_cookie(name, value, max_age=max_age, path=path, httponly=True, samesite=samesite,
                        secure=runtime(request).settings.scheme == "https")


def clear_cookie(request: web.Request, response: web.StreamResponse, name: str, path: str = COOKIE_PATH,
                 samesite: str = "Lax") -> None:
    response.del_cookie(name, path=path, httponly=True, samesite=samesite,
                        secure=runtime(request).settings.scheme == "https")
