"""Composing local posts: plain text, escaped, then linkified, with mentions and hashtags
turned into links the way Mastodon writes them. Only resolved mentions become links."""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field

from .content import is_web_url

MENTION = re.compile(r"(?<![\w/@])@([a-zA-Z0-9_][a-zA-Z0-9_.-]*[a-zA-Z0-9_]|[a-zA-Z0-9_])(?:@([a-zA-Z0-9.-]+(?::\d+)?[a-zA-Z0-9]))?")
HASHTAG = re.compile(r"(?<![\w/&#])#(\w{1,100})", re.UNICODE)
HASHTAG_NAME = re.compile(r"\w{1,100}", re.UNICODE)
URL = re.compile(r"\bhttps?://[^\s<>\"']+", re.IGNORECASE)
_TRAILING = ".,;:!?)]"


def normalize_hashtag(name: str) -> str:
    """A hashtag as it is compared everywhere (a note's tags, a follow, a timeline): without its
    `#`, in Unicode's compatibility form (NFKC: full-width letters are the plain ones) and lower
    case, so #PubHub, #pubhub and #ＰｕｂＨｕｂ are one hashtag, as in Mastodon."""
    return unicodedata.normalize("NFKC", name.removeprefix("#")).lower()


def valid_hashtag(name: str) -> bool:
    """A name the composer would make a hashtag of: word characters only (any script), at most
    100, not digits alone (#2024 is not a hashtag, as in Mastodon)."""
    return HASHTAG_NAME.fullmatch(name) is not None and not name.isdigit()


def _trim_url(url: str) -> str:
    """Leave trailing punctuation out of a link, but keep a closing bracket that the URL opened
    itself (https://en.wikipedia.org/wiki/Foo_(bar))."""
    while url and url[-1] in _TRAILING:
        closer = url[-1]
        opener = {")": "(", "]": "["}.get(closer)
        if opener and url.count(opener) >= url.count(closer):
            break
        url = url[:-1]
    return url


@dataclass(frozen=True)
class Mention:
    acct: str  # user@domain as written (domain filled in for local mentions)
    uri: str  # actor id
    url: str  # profile page


@dataclass
class Composed:
    html: str
    mentions: list[Mention] = field(default_factory=list)
    hashtags: list[str] = field(default_factory=list)


def find_mentions(text: str, local_domain: str) -> list[str]:
    """The distinct `user@domain` handles a post mentions, in order."""
    seen: list[str] = []
    for match in MENTION.finditer(text):
        acct = f"{match.group(1)}@{(match.group(2) or local_domain)}".lower()
        if acct not in seen:
            seen.append(acct)
    return seen


def compose(text: str, *, local_domain: str, resolved: dict[str, Mention], tag_url) -> Composed:
    """Turn plain text into Mastodon-style HTML. Only resolved mentions become links."""
    tokens: list[tuple[int, int, str]] = []
    hashtags: list[str] = []
    mentions: list[Mention] = []
    for match in URL.finditer(text):
        url = _trim_url(match.group(0))
        if len(url) <= len(url.split("://", 1)[0]) + 3:
            continue  # a bare "https://"
        tokens.append((match.start(), match.start() + len(url), f'<a href="{html.escape(url)}" rel="nofollow noopener noreferrer" target="_blank">{html.escape(url)}</a>'))
    for match in MENTION.finditer(text):
        acct = f"{match.group(1)}@{(match.group(2) or local_domain)}".lower()
        mention = resolved.get(acct)
        if mention is None or _overlaps(tokens, match.start(), match.end()):
            continue
        # The profile URL comes from the remote actor's document: only ever an http(s) link.
        href = mention.url if is_web_url(mention.url) else mention.uri
        if not is_web_url(href):
            continue
        if mention not in mentions:
            mentions.append(mention)
        tokens.append((match.start(), match.end(),
                       f'<span class="h-card"><a href="{html.escape(href)}" class="u-url mention">@<span>{html.escape(match.group(1))}</span></a></span>'))
    for match in HASHTAG.finditer(text):
        if _overlaps(tokens, match.start(), match.end()):
            continue
        name = match.group(1)
        if name.isdigit():
            continue
        if name.lower() not in (h.lower() for h in hashtags):
            hashtags.append(name)
        tokens.append((match.start(), match.end(),
                       f'<a href="{html.escape(tag_url(name.lower()))}" class="mention hashtag" rel="tag">#<span>{html.escape(name)}</span></a>'))
    tokens.sort()
    out, position = [], 0
    for start, end, replacement in tokens:
        out.append(html.escape(text[position:start], quote=False))
        out.append(replacement)
        position = end
    out.append(html.escape(text[position:], quote=False))
    body = "".join(out).replace("\r\n", "\n")
    paragraphs = [p for p in re.split(r"\n{2,}", body.strip()) if p.strip()]
    rendered = "".join(f"<p>{p.replace(chr(10), '<br>')}</p>" for p in paragraphs)
    return Composed(rendered, mentions, hashtags)


def text_html(text: str, *, tag_url) -> str:
    """Local plain text that mentions no one (a profile's note, a field's value) as HTML, made
    as a post is: escaped, links and hashtags linked, paragraphs and line breaks kept. Mentions
    stay text: resolving them would make saving a profile wait on other servers."""
    return compose(text, local_domain="", resolved={}, tag_url=tag_url).html


def _overlaps(tokens, start: int, end: int) -> bool:
    return any(s < end and start < e for s, e, _ in tokens)
