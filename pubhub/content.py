"""The sanitiser: remote HTML is cleaned to a small allow-list before it is stored or shown,
and remote-supplied links are kept only when they are http(s). (Local posts are composed from
plain text in `compose.py`.)"""

from __future__ import annotations

import html
import re

import nh3

ALLOWED_TAGS = {"p", "br", "a", "span", "strong", "b", "em", "i", "u", "del", "s", "pre", "code",
                "blockquote", "ul", "ol", "li"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start", "reversed"}, "li": {"value"}}
ALLOWED_CLASSES = {
    "a": {"mention", "hashtag", "u-url", "status-link", "unhandled-link"},
    "span": {"h-card", "invisible", "ellipsis"},
}
URL_SCHEMES = {"http", "https", "mailto"}
_ABSOLUTE_HREF = re.compile(r"^(?:https?://|mailto:)", re.IGNORECASE)


def _absolute_links_only(tag: str, attribute: str, value: str) -> str | None:
    # Relative links in remote HTML would point into our own site when shown here.
    if attribute == "href" and not _ABSOLUTE_HREF.match(value.strip()):
        return None
    return value


def is_web_url(value: str | None) -> bool:
    """An absolute http(s) URL: the only kind of remote-supplied link we put in an href."""
    return isinstance(value, str) and bool(re.match(r"^https?://[^\s/?#]", value, re.IGNORECASE))


def sanitize_html(value: str | None) -> str:
    """Clean remote HTML: script/style/iframe removed with their content, no on* attributes,
    no javascript: or data: links, no relative links, no inline styles."""
    if not value:
        return ""
    return nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style", "iframe", "object", "embed", "template", "noscript", "svg", "math"},
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=URL_SCHEMES,
        attribute_filter=_absolute_links_only,
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
    )


# Where one block or line of HTML ends, its words must not run into the next ones'
# ("<p>one</p><p>two</p>" reads "one two"; Mastodon writes paragraphs without a newline between).
_BREAKS = re.compile(r"<br\s*/?>|</(?:p|li|blockquote|pre|div|h[1-6])\s*>", re.IGNORECASE)


def plain_text(value: str | None, limit: int | None = None) -> str:
    """HTML to one line of plain text (for names, titles, summaries in pages)."""
    text = nh3.clean(_BREAKS.sub(" ", value or ""), tags=set())
    text = html.unescape(re.sub(r"\s+", " ", text)).strip()
    return text[:limit]  # a limit of None slices nothing off
