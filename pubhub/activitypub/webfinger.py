"""WebFinger, outbound: turn `user@domain` into an actor id (cached)."""

from __future__ import annotations

import re

from ..cache import TTLCache
from ..clock import Clock
from ..errors import BadRequest, FetchError
from ..jsonutil import loads_untrusted
from .client import HttpClient
from .fields import objects, text

ACCT = re.compile(r"^@?([a-zA-Z0-9_.\-]+)@([a-zA-Z0-9.\-]+(?::\d{1,5})?)$")


def parse_acct(value: str) -> tuple[str, str]:
    value = value.strip()
    if value.startswith("acct:"):
        value = value[5:]
    match = ACCT.match(value)
    if not match:
        raise BadRequest(f"{value!r} is not a user@domain handle")
    return match.group(1), match.group(2).lower()


class WebFingerClient:
    def __init__(self, client: HttpClient, scheme: str, clock: Clock):
        self.client = client
        self.scheme = scheme
        self._cache: TTLCache[str] = TTLCache(maxsize=10_000, ttl=3600, clock=clock.monotonic)

    async def actor_uri(self, username: str, domain: str) -> str:
        acct = f"{username}@{domain}".lower()
        cached = self._cache.get(acct)
        if cached:
            return cached
        url = f"{self.scheme}://{domain}/.well-known/webfinger"
        response = await self.client.request(
            "GET", f"{url}?resource=acct:{acct}", headers={"Accept": "application/jrd+json, application/json"},
            max_bytes=256 * 1024,
        )
        if response.status != 200:
            raise FetchError(f"WebFinger for {acct} answered {response.status}", status=404 if response.status < 500 else 502)
        try:
            document = loads_untrusted(response.body, max_bytes=256 * 1024)
        except Exception as exc:
            raise FetchError(f"WebFinger for {acct} is not JSON: {exc}") from exc
        for link in objects(document.get("links")):
            if link.get("rel") != "self":
                continue
            kind = (text(link, "type") or "").split(";")[0].strip()
            href = link.get("href")
            if kind in ("application/activity+json", "application/ld+json") and isinstance(href, str):
                if not href.startswith(("https://", "http://")):
                    break
                self._cache.set(acct, href)
                return href
        raise FetchError(f"WebFinger for {acct} has no ActivityPub actor link", status=404)
