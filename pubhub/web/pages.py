"""The front page, profile, post and hashtag pages. Content is stored sanitised (remote) or
composed escaped (local); everything else goes through Jinja2's autoescape. Pages are seen by
nobody in particular: they show what the visibility rule lets anyone see, and list only
`LISTED_ON_PAGES`."""

from __future__ import annotations

import re

from aiohttp import web

from ..accounts.local import official_accounts, public_local_account
from ..content import plain_text
from ..errors import NotFound, PubHubError
from ..http.keys import runtime
from ..http.negotiation import accepts_html
from ..rooms.documents import room_for, room_page
from ..social.outbox import note_of, recent_on_profile
from ..social.reading import replies_on_page, tagged_on_page
from ..social.visibility import NOBODY
from .i18n import public_page
from .rendering import warning_text

TAG_NAME = re.compile(r"\w{1,100}")  # what pubhub.content links as a hashtag
TAG_PAGE_SIZE = 40


async def front_page(request: web.Request) -> web.Response:
    """The instance and its official accounts. A client that takes no HTML gets 406, as
    Mastodon answers a JSON client asking for its front page."""
    if not accepts_html(request):
        raise PubHubError("Not Acceptable", status=406)
    rt = runtime(request)
    return public_page(request, "front.html", description=rt.settings.description,
                  accounts=await official_accounts(rt.db))


async def _actor(request: web.Request):
    rt = runtime(request)
    return rt, await public_local_account(rt.db, request.match_info["username"])


async def profile_page(request: web.Request) -> web.Response:
    rt, actor = await _actor(request)
    room = await room_for(rt, actor)
    if room is not None:
        return await _room_page(request, rt, room)
    notes, counts = await recent_on_profile(rt.db, actor)
    title = f"{actor.display_name or actor.username} (@{actor.username}@{rt.domain})"
    return public_page(request, "profile.html", title=title, actor=actor, notes=notes, counts=counts,
                       feed=f"{rt.settings.base_url}/@{actor.username}.rss")


async def _room_page(request: web.Request, rt, room) -> web.Response:
    """A room: its name, description, how to join; for a public room also its house rules,
    member count and recent shared posts (a members-only room shows no more than that)."""
    actor = room.actor
    title = f"{actor.display_name or actor.username} (@{actor.username}@{rt.domain})"
    return public_page(request, "room.html", title=title, actor=actor, page=await room_page(rt, room))


async def note_page(request: web.Request) -> web.Response:
    rt, actor = await _actor(request)
    note = await note_of(rt.db, NOBODY, actor, request.match_info["id"])
    replies = [{"note": v.note, "author": v.author} for v in await replies_on_page(rt.db, note)]
    # Behind a content warning, the title says the warning, never the text it hides.
    excerpt = warning_text(note) if note.summary else plain_text(note.content)
    title = f"{actor.display_name or actor.username}: {excerpt[:80]}"
    # The page is in the reader's language; the post says its own (macros.html's <article lang>).
    return public_page(request, "note.html", title=title, actor=actor, note=note, replies=replies)


async def tag_page(request: web.Request) -> web.Response:
    """Recent listed local posts with the hashtag: where our hashtag links point."""
    name = request.match_info["name"]
    if not TAG_NAME.fullmatch(name):
        raise NotFound("Record not found")
    rt = runtime(request)
    posts = await tagged_on_page(rt.db, name, TAG_PAGE_SIZE)
    return public_page(request, "tag.html", title=f"#{name.lower()}", tag=name.lower(), posts=posts)
