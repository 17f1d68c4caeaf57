"""Driving OAuth as an app and a person's browser would, over real HTTP: register an app, read
the sign-in and consent forms from the pages, post them with the cookies they set, and follow
the answers by hand (so each step's status and Location can be checked)."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import secrets
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlencode, urlsplit

import aiohttp

from pubhub.accounts import admin

OOB = "urn:ietf:wg:oauth:2.0:oob"
PASSWORD = "correct horse battery staple"


async def account_with_password(instance, username: str, password: str = PASSWORD, **options):
    actor = await instance.create_account(username, **options)
    async with instance.runtime.db.write() as session:
        await admin.set_password(session, await admin.account(session, username), password)
    return actor


async def register(instance, **fields) -> dict:
    body = {"client_name": "Test app", "redirect_uris": "https://app.example/callback", "scopes": "read write follow",
            **fields}
    status, answer = await instance.request("POST", "/api/v1/apps", json=body)
    assert status == 200, answer
    return answer


def pkce() -> tuple[str, str]:
    """(verifier, S256 challenge)."""
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


class _Forms(HTMLParser):
    """Every <form> of a page: its action and its named inputs and buttons."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action"), "method": attrs.get("method"), "fields": {},
                               "buttons": []})
        elif tag in ("input", "button") and self.forms and attrs.get("name"):
            if tag == "button":
                self.forms[-1]["buttons"].append((attrs["name"], attrs.get("value", "")))
            else:
                self.forms[-1]["fields"][attrs["name"]] = attrs.get("value") or ""


def forms_of(html: str) -> list[dict]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


@dataclass
class Page:
    status: int
    headers: dict
    text: str
    forms: list[dict] = field(default_factory=list)
    url: str = ""  # where the page was reached, when redirects were followed

    @property
    def location(self) -> str | None:
        return self.headers.get("Location")


class Browser:
    """One person's browser: its own cookies (IP-address hosts allowed, as for 127.0.0.1)."""

    def __init__(self, instance):
        self.instance = instance
        self.http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))

    async def close(self) -> None:
        await self.http.close()

    async def go(self, method: str, path: str, **kwargs) -> Page:
        url = path if path.startswith("http") else self.instance.base + path
        async with self.http.request(method, url, allow_redirects=False, **kwargs) as response:
            text = await response.text()
            forms = forms_of(text) if response.content_type == "text/html" else []
            return Page(response.status, dict(response.headers), text, forms)

    async def open_authorize(self, app: dict, **params) -> Page:
        query = {"response_type": "code", "client_id": app["client_id"], "redirect_uri": app["redirect_uris"][0],
                 "scope": "read", **params}
        return await self.go("GET", "/oauth/authorize?" + urlencode({k: v for k, v in query.items() if v is not None}))

    async def submit(self, page: Page, action: str, **values) -> Page:
        form = next(f for f in page.forms if f["action"] == action)
        return await self.go("POST", action, data={**form["fields"], **values})

    async def sign_in(self, page: Page, username: str, password: str = PASSWORD) -> Page:
        return await self.submit(page, "/oauth/sign_in", username=username, password=password)

    async def authorize(self, app: dict, username: str, *, password: str = PASSWORD, **params) -> str:
        """The whole way through: the code the app is given (from its redirect, or the oob page)."""
        page = await self.open_authorize(app, **params)
        if any(f["action"] == "/oauth/sign_in" for f in page.forms):
            signed_in = await self.sign_in(page, username, password)
            assert signed_in.status == 303, signed_in.text
            page = await self.go("GET", signed_in.location)
        assert page.status == 200 and any(f["action"] == "/oauth/authorize" for f in page.forms), page.text
        answer = await self.submit(page, "/oauth/authorize", decision="approve")
        if answer.status == 302:
            return code_from(answer.location)
        assert answer.status == 200, answer.text
        return oob_code(answer.text)


def code_from(location: str) -> str:
    return parse_qs(urlsplit(location).query)["code"][0]


def query_of(location: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def oob_code(html: str) -> str:
    start = html.index('id="code">') + len('id="code">')
    return html[start:html.index("<", start)]


async def exchange(instance, app: dict, code: str, **extra) -> tuple[int, dict]:
    body = {"grant_type": "authorization_code", "code": code, "client_id": app["client_id"],
            "client_secret": app["client_secret"], "redirect_uri": app["redirect_uris"][0], **extra}
    return await instance.request("POST", "/oauth/token", data={k: v for k, v in body.items() if v is not None})


async def mastodon_py_signed_in(instance, username: str, scopes=("read", "write", "follow")):
    """Mastodon.py as an app uses PubHub: create_app, auth_request_url (from our OAuth metadata),
    the person signs in and allows it on the pages (the oob code page), log_in with the code.
    The client (synchronous: call it in a thread) and its token."""
    from mastodon import Mastodon

    scopes = list(scopes)

    def register_and_ask():
        client_id, client_secret = Mastodon.create_app("PubHub-test", scopes=scopes, redirect_uris=OOB,
                                                       website="https://example.org", api_base_url=instance.base)
        api = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=instance.base,
                       version_check_mode="none", request_timeout=10)
        return api, api.auth_request_url(redirect_uris=OOB, scopes=scopes, state="mpy", allow_http=True)

    api, url = await asyncio.to_thread(register_and_ask)
    assert url.startswith(instance.base + "/oauth/authorize?")
    person = Browser(instance)
    try:
        page = await person.go("GET", url)
        assert page.status == 200, page.text
        signed_in = await person.sign_in(page, username)
        consent = await person.go("GET", signed_in.location)
        shown = await person.submit(consent, "/oauth/authorize", decision="approve")
        assert shown.status == 200
        code = oob_code(shown.text)
    finally:
        await person.close()
    token = await asyncio.to_thread(api.log_in, code=code, redirect_uri=OOB, scopes=scopes, allow_http=True)
    return api, token
