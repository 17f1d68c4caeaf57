"""Mastodon's pagination by id: newest first, `max_id` for older pages, `min_id`/`since_id` for
newer ones, and the `Link` header that names them."""

from __future__ import annotations

from aiohttp import web

from ..store.models import parse_id
from ..store.timelines import Bounds


def bound(raw: str | None) -> int | None:
    """A page bound from the query: an id, or None (not given, or not an id)."""
    return parse_id(raw) if raw not in (None, "") else None


def page_bounds(page) -> dict:
    """max_id and min_id (since_id standing in for a missing min_id) of a `schemas.Page`."""
    return {"limit": page.limit, "max_id": bound(page.max_id), "min_id": bound(page.min_id) or bound(page.since_id)}


def bounds_of(page) -> Bounds:
    """The Bounds of a page's parameters (`limit`, `max_id`, `since_id`, `min_id`), each kept
    apart: timelines, notifications and the accounts who reacted page with all three."""
    return Bounds(limit=page.limit, max_id=bound(page.max_id), since_id=bound(page.since_id), min_id=bound(page.min_id))


def link_header(request: web.Request, ids: list[int], limit: int) -> dict:
    """Mastodon's Link header: `next` (older, when the page is full) and `prev` (newer)."""
    if not ids:
        return {}
    # The page's other parameters (filters) stay in its links.
    kept = {key: value for key, value in request.query.items() if key not in _BOUNDS}

    def url(**bound) -> str:
        return str(request.url.with_query({**kept, "limit": str(limit), **bound}))

    links = [f'<{url(min_id=str(ids[0]))}>; rel="prev"']
    if len(ids) == limit:
        links.insert(0, f'<{url(max_id=str(ids[-1]))}>; rel="next"')
    return {"Link": ", ".join(links)}


_BOUNDS = ("limit", "max_id", "min_id", "since_id")
