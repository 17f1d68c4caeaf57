"""Profile, post and hashtag pages. Content is stored sanitised (remote) or composed escaped (local);
everything else goes through Jinja2's autoescape."""

from __future__ import annotations

import re
from pathlib import Path

import jinja2
from aiohttp import web

from ..accounts import public_local_account
from ..app import SERVICES
from ..content import plain_text
from ..errors import NotFound
from ..store import actors as actor_store
from ..store import objects as object_store
from ..federation.outbox import public_note

TAG_NAME = re.compile(r"\w{1,100}")  # what pubhub.content links as a hashtag
TAG_PAGE_SIZE = 40

TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=jinja2.select_autoescape(["html"]),
)


def setup(app: web.Application) -> None:
    app.router.add_get("/@{username}", profile_page)
    app.router.add_get("/@{username}/{id:\\d+}", note_page)
    app.router.add_get("/tags/{name}", tag_page)


def render(name: str, **values) -> web.Response:
    return web.Response(text=TEMPLATES.get_template(name).render(**values), content_type="text/html")


async def _actor(request: web.Request):
    services = request.app[SERVICES]
    return services, await public_local_account(services.db, request.match_info["username"])


async def profile_page(request: web.Request) -> web.Response:
    services, actor = await _actor(request)
    async with services.db.read() as session:
        notes = await object_store.recent_public_by(session, actor.id, limit=20)
        notes = [n for n in notes if n.visibility == "public"]
        counts = await actor_store.counts(session, actor)
    return render("profile.html", actor=actor, notes=notes, counts=counts, domain=services.settings.domain,
                  instance=services.settings.instance_name)


async def note_page(request: web.Request) -> web.Response:
    services, actor = await _actor(request)
    note = await public_note(services, actor, request.match_info["id"])
    async with services.db.read() as session:
        replies = []
        for reply in await object_store.replies_to(session, [note.id]):
            if reply.visibility == "public":
                replies.append({"note": reply, "author": await actor_store.by_id(session, reply.author_id)})
    return render("note.html", actor=actor, note=note, replies=replies, excerpt=plain_text(note.content, 80),
                  domain=services.settings.domain, instance=services.settings.instance_name)


async def tag_page(request: web.Request) -> web.Response:
    """Recent public local posts with the hashtag: where our hashtag links point."""
    name = request.match_info["name"]
    if not TAG_NAME.fullmatch(name):
        raise NotFound("Record not found")
    services = request.app[SERVICES]
    async with services.db.read() as session:
        posts = await object_store.recent_public_local_tagged(session, name, limit=TAG_PAGE_SIZE)
    return render("tag.html", tag=name.lower(), posts=posts, domain=services.settings.domain,
                  instance=services.settings.instance_name)
