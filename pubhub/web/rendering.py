"""Rendering the HTML pages: the Jinja2 templates (autoescaped), what every page is given
(instance name, domain, language, title), the small filters templates share, and the
Content-Security-Policy that fits the pages exactly."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import jinja2
import orjson
import segno
from aiohttp import web

from ..config import Settings
from ..content import plain_text
from ..social.polls import ends_at, has_ended
from ..store.models import Object

# A BCP 47 language tag as servers write them: `nl`, `en`, `pt-BR`, `zh-Hant-TW`.
LANGUAGE_TAG = re.compile(r"[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8}){0,4}")

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


def content_security_policy(form_action: str = "'none'") -> str:
    """What the pages load: their own inline style and our favicon; no scripts or frames. Forms
    only where a page has one, posting to `form_action` (the sign-in pages: 'self', and the
    app a consent page sends the browser back to)."""
    return (f"default-src 'none'; style-src {_style_hash()}; img-src 'self'; base-uri 'none'; "
            f"form-action {form_action}; frame-ancestors 'none'")


CONTENT_SECURITY_POLICY = content_security_policy()


def language_of(note: Object | None) -> str | None:
    """The note's language when it is stored and well formed (remote servers send anything)."""
    language = note.language if note is not None else None
    return language if language and LANGUAGE_TAG.fullmatch(language) else None


def warning_text(note: Object) -> str:
    """A content warning as plain text: ours are written as text, remote ones arrive as HTML."""
    return note.summary if note.local else plain_text(note.summary)


def poll_view(note: Object) -> dict | None:
    """A note's poll as the pages show it: each option with its share of the votes (hidden
    until the end when its author asked so), how many voted, and its end."""
    poll = note.poll if note.deleted_at is None else None
    if not poll:
        return None
    ended = has_ended(poll)
    total = sum(poll["counts"])
    ends = ends_at(poll)
    return {"multiple": poll["multiple"], "ended": ended, "ends": ends, "shown": ended or not poll.get("hide_totals"),
            "voters": poll["voters_count"] if poll.get("voters_count") is not None else total,
            "options": [{"title": title, "count": count, "percent": round(100 * count / total) if total else 0}
                        for title, count in zip(poll["options"], poll["counts"])]}


def page_title(page: str, instance: str) -> str:
    """"page · instance", without saying the instance twice."""
    return instance if not page or page == instance else f"{page} · {instance}"


TEMPLATES.filters["language_of"] = language_of
TEMPLATES.filters["warning_text"] = warning_text
TEMPLATES.filters["poll_view"] = poll_view


def render(name: str, settings: Settings, *, title: str = "", lang: str | None = None, status: int = 200,
           templates: jinja2.Environment = TEMPLATES, **values) -> web.Response:
    """A page: `title` is the page's own part (the instance name is added), `lang` its language
    when it is not the instance's; `templates` in another language (web/i18n.py)."""
    page = templates.get_template(name).render(
        # Our own links are absolute, like the posts' and accounts' URLs beside them.
        instance=settings.instance_name, domain=settings.domain, base=settings.base_url,
        lang=lang or settings.language,
        title=page_title(title, settings.instance_name), **values)
    return web.Response(text=page, status=status, content_type="text/html")


def form_page(name: str, settings: Settings, forms, *, status: int = 200, form_action: str = "'self'",
              **values) -> web.Response:
    """A page with a form (http/forms.py's `forms` gives its CSRF token and cookie): posting only
    to `form_action`, never cached."""
    response = render(name, settings, status=status, **values)
    response.headers["Content-Security-Policy"] = content_security_policy(form_action)
    response.headers["Cache-Control"] = "no-store"
    forms.remember(response)
    return response


def yivi_qr(session_pointer: dict) -> str:
    """The QR code the Yivi app scans for a session, as inline SVG (drawn here: no script)."""
    return segno.make(orjson.dumps(session_pointer).decode(), error="m").svg_inline(scale=5)
