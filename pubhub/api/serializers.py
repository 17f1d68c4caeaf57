"""Mastodon's JSON shapes for accounts and statuses."""

from __future__ import annotations

from ..activitypub.vocab import iso
from ..content import is_web_url
from ..social.attachments import api_entities
from ..social.polls import has_ended
from ..social.reading import Boost, StatusView
from ..store.models import Actor, InstanceRule, Object


def _web_url(value: str | None) -> str | None:
    """`value` if it is an http(s) URL. Remote ones are checked when stored; this holds for rows
    stored before that, too."""
    return value if is_web_url(value) else None


def _acct(actor: Actor) -> str:
    return actor.username if actor.local else f"{actor.username}@{actor.domain}"


def account_json(actor: Actor, local_domain: str, counts: dict | None = None) -> dict:
    counts = counts or {}
    avatar = _web_url(actor.icon_url) or ""
    header = _web_url(actor.image_url) or ""
    return {
        "id": str(actor.id),
        "username": actor.username,
        "acct": _acct(actor),
        "display_name": actor.display_name or "",
        "locked": bool(actor.manually_approves),
        "bot": actor.kind in ("Service", "Application"),
        "group": actor.kind == "Group",
        "discoverable": True,
        "created_at": iso(actor.created_at),
        "note": actor.summary or "",
        "url": _web_url(actor.url) or actor.uri,
        "uri": actor.uri,
        "avatar": avatar,
        "avatar_static": avatar,
        "header": header,
        "header_static": header,
        "followers_count": counts.get("followers", 0),
        "following_count": counts.get("following", 0),
        "statuses_count": counts.get("statuses", 0),
        "last_status_at": None,
        "emojis": [],
        "fields": [{"name": f["name"], "value": f["value_html"], "verified_at": f.get("verified_at")}
                   for f in actor.fields or []],
    }


def _mention_json(actor: Actor) -> dict:
    """Mastodon's mention, made from the account the href is (never from the tag's own name):
    acct without the domain for local accounts."""
    return {"id": str(actor.id), "username": actor.username, "url": actor.uri, "acct": _acct(actor)}


def _hashtag_json(tag: dict) -> dict | None:
    """A hashtag, if its link is a web link (a remote one may be anything)."""
    if not is_web_url(tag.get("href")):
        return None
    return {"name": tag.get("name", "").lstrip("#").lower(), "url": tag["href"]}


def status_json(note: Object, author: Actor, local_domain: str, *, reply_author_id: int | None = None,
                counts: dict | None = None, mentioned: dict[str, Actor] | None = None,
                mine: dict[str, bool] | None = None, media_rejected: bool = False,
                own_votes: list[int] | None = None) -> dict:
    counts = counts or {}
    mentioned = mentioned or {}
    tags = note.tags or []
    hrefs = [t.get("href") for t in tags if t.get("type") == "Mention"]
    mentions = [_mention_json(mentioned[href]) for href in dict.fromkeys(hrefs) if href in mentioned]
    hashtags = [h for h in (_hashtag_json(t) for t in tags if t.get("type") == "Hashtag") if h]
    return {
        "id": str(note.id),
        "uri": note.uri,
        "url": _web_url(note.url) or note.uri,
        "created_at": iso(note.published),
        "edited_at": iso(note.updated_at) if note.updated_at else None,
        "account": account_json(author, local_domain),
        "content": note.content if note.deleted_at is None else "",
        "visibility": note.visibility,
        "sensitive": bool(note.sensitive) or author.sensitized_at is not None,  # the accounts admin's mark
        "spoiler_text": note.summary or "",
        "language": note.language,
        "in_reply_to_id": str(note.in_reply_to_id) if note.in_reply_to_id else None,
        "in_reply_to_account_id": str(reply_author_id) if reply_author_id else None,
        "media_attachments": api_entities(note.attachments, note.id, rejected=media_rejected),
        "mentions": mentions,
        "tags": hashtags,
        "emojis": [],
        "replies_count": counts.get("replies", 0),
        "reblogs_count": counts.get("Announce", 0),
        "favourites_count": counts.get("Like", 0),
        "reblog": None,
        "poll": poll_json(note, own_votes, by_viewer=bool(mine and mine.get("own")))
                if note.poll and note.deleted_at is None else None,
        "card": None,
        "application": None,
        "text": note.source_text if note.local else None,
        **_viewers_own(note, author, mine),
    }


def poll_json(note: Object, own_votes: list[int] | None, *, by_viewer: bool = False) -> dict:
    """Mastodon's Poll: its id is its status's; `voted` and `own_votes` only for a viewer. With
    hide_totals, the counts per option stay hidden until it ends (from all but its author)."""
    poll = note.poll
    ended = has_ended(poll)
    hidden = poll.get("hide_totals") and not ended and not by_viewer
    body = {
        "id": str(note.id), "expires_at": poll["expires_at"], "expired": ended, "multiple": poll["multiple"],
        "votes_count": sum(poll["counts"]), "voters_count": poll["voters_count"],
        "options": [{"title": title, "votes_count": None if hidden else count}
                    for title, count in zip(poll["options"], poll["counts"])],
        "emojis": [],
    }
    if own_votes is not None:
        body["voted"] = bool(own_votes)
        body["own_votes"] = own_votes
    return body


def _viewers_own(note: Object, author: Actor, mine: dict[str, bool] | None) -> dict:
    """What the viewer did with the status, as Mastodon shows it to a signed-in viewer (`pinned`
    only on the viewer's own statuses); nothing without a viewer."""
    if mine is None:
        return {}
    own = {key: bool(mine.get(key)) for key in ("favourited", "reblogged", "bookmarked")}
    own["muted"] = False
    if mine.get("own"):
        own["pinned"] = bool(mine.get("pinned"))
    return own


def reblog_json(boost: Boost, original: dict, local_domain: str) -> dict:
    """A boost as Mastodon shows it: a status of the booster's, empty itself, whose `reblog` is
    the note as the viewer sees it. It is as visible as the note (only public and unlisted notes
    are boosted from here, and a remote author's boost of its own private note stays private),
    links to the note's page, and carries the viewer's own marks of the note, as Mastodon's
    single-status answers read them through the boost."""
    own = {key: original[key] for key in ("favourited", "reblogged", "bookmarked", "muted") if key in original}
    return {
        "id": str(boost.id), "uri": boost.uri, "url": original["url"], "created_at": iso(boost.created_at),
        "edited_at": None, "account": account_json(boost.booster, local_domain), "content": "",
        "visibility": original["visibility"], "sensitive": False, "spoiler_text": "", "language": None,
        "in_reply_to_id": None, "in_reply_to_account_id": None, "media_attachments": [], "mentions": [], "tags": [],
        "emojis": [], "replies_count": 0, "reblogs_count": 0, "favourites_count": 0, "reblog": original,
        "poll": None, "card": None, "application": None, **own,
    }


def statuses_json(views: list[StatusView], local_domain: str) -> list[dict]:
    """Each view as a status; a view of a boost as the boost, with the note in `reblog`."""
    shown = []
    for v in views:
        status = status_json(v.note, v.author, local_domain, reply_author_id=v.reply_author_id, counts=v.counts,
                             mentioned=v.mentioned, mine=v.mine, media_rejected=v.media_rejected, own_votes=v.own_votes)
        shown.append(reblog_json(v.boost, status, local_domain) if v.boost is not None else status)
    return shown


def relationship_json(target: Actor, relation: dict[str, bool]) -> dict:
    return {
        "id": str(target.id), **relation,
        "blocking": False, "blocked_by": False, "muting": False, "muting_notifications": False,
        "domain_blocking": False, "endorsed": False, "showing_reblogs": True, "notifying": False, "note": "",
    }


def status_edit_json(version, author: Actor, note_id: int, local_domain: str) -> dict:
    """One version of a status, as Mastodon's StatusEdit."""
    return {
        "content": version.content, "spoiler_text": version.summary or "", "sensitive": bool(version.sensitive),
        "created_at": iso(version.created_at), "account": account_json(author, local_domain),
        "poll": None, "media_attachments": api_entities(version.attachments, note_id), "emojis": [],
    }


def rule_json(rule: InstanceRule) -> dict:
    """Mastodon's Rule entity."""
    return {"id": str(rule.id), "text": rule.text, "hint": rule.hint}
