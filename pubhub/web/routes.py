"""The paths of what browsers (and feed readers and crawlers) read."""

from __future__ import annotations

from aiohttp import web

from . import feeds, files, notices, pages, sign_in, transparency, verification
from .console import routes as console


def setup(app: web.Application) -> None:
    files.setup(app)
    app.router.add_get("/", pages.front_page)
    app.router.add_get(r"/@{username:\w+}.rss", feeds.account_feed)  # before /@{username}, which would take it
    app.router.add_get("/@{username}", pages.profile_page)
    app.router.add_get("/@{username}/{id:\\d+}", pages.note_page)
    app.router.add_get("/tags/{name}", pages.tag_page)
    app.router.add_get("/about/transparency", transparency.transparency_page)
    sign_in.setup(app)
    notices.setup(app)
    verification.setup(app)
    console.setup(app)
