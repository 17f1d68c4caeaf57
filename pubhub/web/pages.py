"""Profile, post and hashtag pages. Content is stored sanitised (remote) or composed escaped (local);
everything else goes through Jinja2's autoescape. Pages are seen by nobody in particular: they
show what the visibility rule lets anyone see, and list only `LISTED_ON_PAGES`."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import jinja2
from aiohttp import web

from ..accounts.local import public_local_account
from ..content import plain_text
from ..errors import NotFound
from ..http.keys import runtime
from ..social.outbox import note_of, recent_on_profile
from ..social.reading import replies_on_page, tagged_on_page
from ..social.visibility import NOBODY

TAG_NAME = re.compile(r"\w{1,100}")  # what pubhub.content links as a hashtag
TAG_PAGE_SIZE = 40

TEMPLATE_DIR = Path(__file__).parent / "templates"
TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
    autoescape=jinja2.select_autoescape(["html"]),
)


def _style_hash() -> str:
    """The CSP source of base.html's one inline <style> (it holds no template code, so the
    page carries it exactly as written): pages need no 'unsafe-inline'."""
    style = re.search(r"<style>(.*?)</style>", (TEMPLATE_DIR / "base.html").read_text(), re.DOTALL).group(1)
    return "'sha256-" + base64.b64encode(hashlib.sha256(style.encode()).digest()).decode() + "'"


# What the pages load: nothing but their own inline style (no scripts, images, frames or forms).
CONTENT_SECURITY_POLICY = (f"default-src 'none'; style-src {_style_hash()}; base-uri 'none'; "
                           "form-action 'none'; frame-ancestors 'none'")


def setup(app: web.Application) -> None:
    app.router.add_get("/@{username}", profile_page)
    app.router.add_get("/@{username}/{id:\\d+}", note_page)
    app.router.add_get("/tags/{name}", tag_page)


def render(name: str, **values) -> web.Response:
    return web.Response(text=TEMPLATES.get_template(name).render(**values), content_type="text/html")


async def _actor(request: web.Request):
    rt = runtime(request)
    return rt, await public_local_account(rt.db, request.match_info["username"])


async def profile_page(request: web.Request) -> web.Response:
    rt, actor = await _actor(request)
    notes, counts = await recent_on_profile(rt.db, actor)
    return render("profile.html", actor=actor, notes=notes, counts=counts, domain=rt.domain,
                  instance=rt.settings.instance_name)


async def note_page(request: web.Request) -> web.Response:
    rt, actor = await _actor(request)
    note = await note_of(rt.db, NOBODY, actor, request.match_info["id"])
    replies = [{"note": v.note, "author": v.author} for v in await replies_on_page(rt.db, note)]
    return render("note.html", actor=actor, note=note, replies=replies, excerpt=plain_text(note.content, 80),
                  domain=rt.domain, instance=rt.settings.instance_name)


async def tag_page(request: web.Request) -> web.Response:
    """Recent listed local posts with the hashtag: where our hashtag links point."""
    name = request.match_info["name"]
    if not TAG_NAME.fullmatch(name):
        raise NotFound("Record not found")
    rt = runtime(request)
    posts = await tagged_on_page(rt.db, name, TAG_PAGE_SIZE)
    return render("tag.html", tag=name.lower(), posts=posts, domain=rt.domain, instance=rt.settings.instance_name)
