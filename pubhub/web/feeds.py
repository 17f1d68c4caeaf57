"""An RSS 2.0 feed per account, `/@name.rss`: its recent public posts, what the profile page
lists. Built with ElementTree, which escapes every text: a post's HTML travels as escaped text
in <description>, as RSS readers expect it."""

from __future__ import annotations

import re
from email.utils import format_datetime
from xml.etree.ElementTree import Element, SubElement, tostring

from aiohttp import web

from ..accounts.local import public_local_account
from ..config import Settings
from ..content import plain_text
from ..http.keys import runtime
from ..social.outbox import recent_on_profile
from ..store.models import Actor, Object
from .rendering import warning_text

RSS_TYPE = "application/rss+xml"
# Characters XML 1.0 cannot carry at all, not even escaped: dropped rather than breaking the feed.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


async def account_feed(request: web.Request) -> web.Response:
    rt = runtime(request)
    actor = await public_local_account(rt.db, request.match_info["username"])
    notes, _ = await recent_on_profile(rt.db, actor)
    return web.Response(body=rss_document(actor, notes, rt.settings), headers={
        "Content-Type": f"{RSS_TYPE}; charset=utf-8",
        "Cache-Control": "public, max-age=60",  # readers poll; a deleted post leaves caches soon
        "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",  # it is data, never a page
    })


def rss_document(actor: Actor, notes: list[Object], settings: Settings) -> bytes:
    name = actor.display_name or actor.username
    profile = actor.url or actor.uri
    rss = Element("rss", version="2.0")
    channel = SubElement(rss, "channel")
    _text(channel, "title", f"{name} (@{actor.username}@{settings.domain})")
    _text(channel, "link", profile)
    _text(channel, "description", plain_text(actor.summary) or f"Public posts from {name} on {settings.instance_name}")
    _text(channel, "language", settings.language)
    _text(channel, "generator", "PubHub")
    if notes:
        _text(channel, "lastBuildDate", format_datetime(notes[0].published, usegmt=True))
    for note in notes:
        _item(channel, note)
    return tostring(rss, encoding="utf-8", xml_declaration=True)


def _item(channel: Element, note: Object) -> None:
    link = note.url or note.uri
    item = SubElement(channel, "item")
    if note.summary:  # the content warning, where readers show it first
        _text(item, "title", warning_text(note))
    _text(item, "link", link)
    _text(item, "guid", link).set("isPermaLink", "true")
    _text(item, "pubDate", format_datetime(note.published, usegmt=True))
    _text(item, "description", note.content)
    for tag in note.tags or []:
        if tag.get("type") == "Hashtag" and isinstance(tag.get("name"), str):
            _text(item, "category", tag["name"].lstrip("#"))


def _text(parent: Element, tag: str, text: str) -> Element:
    element = SubElement(parent, tag)
    element.text = NOT_XML.sub("", text)
    return element
