"""Profile links verified as Mastodon verifies them: a field whose value is a web address is
verified when the page there links back to the profile with `rel="me"` (an `<a>` or `<link>`),
so that an agency's account shows its own website as verified in every Mastodon app.

The pages are fetched after the profile change is committed, in the background (through the
guarded client: no private addresses, bounded size and time), never in the request; a field
changed since keeps no verification. `verified_at` is stored in the field and served by the
client API."""

from __future__ import annotations

import asyncio
import logging
from html.parser import HTMLParser
from urllib.parse import urljoin

from ..activitypub.client import Response
from ..content import is_web_url
from ..runtime import Runtime
from ..store import actors as actor_store

MAX_PAGE_BYTES = 1024 * 1024
TIMEOUT = 10.0
log = logging.getLogger("pubhub.social.links")


class _RelMe(HTMLParser):
    """The targets of `rel="me"` links on a page, resolved against its address."""

    def __init__(self, base: str):
        super().__init__(convert_charrefs=True)
        self.base = base
        self.targets: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag not in ("a", "link"):
            return
        values = dict(attrs)
        if "me" in (values.get("rel") or "").lower().split() and values.get("href"):
            self.targets.append(urljoin(self.base, values["href"].strip()))


def rel_me_targets(html: str, base: str) -> list[str]:
    parser = _RelMe(base)
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # a page is hostile input; what was read before the trouble counts
        pass
    return parser.targets


def links_back(response: Response, profile_urls: set[str]) -> bool:
    if response.status != 200 or "html" not in response.content_type.lower():
        return False
    html = response.body.decode("utf-8", "replace")
    return any(_same(target) in profile_urls for target in rel_me_targets(html, response.url))


def _same(url: str) -> str:
    return url.rstrip("/")


def verify_links_later(rt: Runtime, actor_id: int) -> asyncio.Task:
    """Start checking the account's link fields; the task is the runtime's until it ends."""
    task = asyncio.create_task(verify_links(rt, actor_id), name=f"verify-links-{actor_id}")
    rt.background.add(task)
    task.add_done_callback(rt.background.discard)
    return task


async def verify_links(rt: Runtime, actor_id: int) -> None:
    async with rt.db.read() as session:
        actor = await actor_store.by_id(session, actor_id)
    if actor is None or not actor.local or not actor.fields:
        return
    profile_urls = {_same(actor.uri), _same(actor.url or actor.uri)}
    verified: dict[str, str] = {}
    for field in actor.fields:
        value = field.get("value", "").strip()
        if is_web_url(value) and len(value.split()) == 1 and field.get("verified_at") is None:
            if await _links_back(rt, value, profile_urls):
                verified[value] = rt.clock.now().isoformat().replace("+00:00", "Z")
    if not verified:
        return
    async with rt.db.write() as session:
        current = await actor_store.by_id(session, actor_id)
        if current is None or not current.fields:
            return
        # Only fields whose value is still the one fetched (the owner may have changed it since).
        current.fields = [{**field, "verified_at": verified[field.get("value", "").strip()]}
                          if field.get("value", "").strip() in verified else field for field in current.fields]
    rt.actors.forget(actor.uri)


async def _links_back(rt: Runtime, url: str, profile_urls: set[str]) -> bool:
    try:
        response = await rt.client.request("GET", url, headers={"Accept": "text/html"}, max_bytes=MAX_PAGE_BYTES,
                                           timeout=TIMEOUT, truncate=True)
    except Exception as exc:  # refused address, unreachable, too slow: not verified
        log.info("profile link %s not verified: %s", url[:200], exc.__class__.__name__)
        return False
    return links_back(response, profile_urls)
