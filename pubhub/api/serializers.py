"""Mastodon's JSON shapes for accounts and statuses."""

from __future__ import annotations

from ..activitypub.vocab import iso
from ..social.reading import StatusView
from ..store.models import Actor, Object


def account_json(actor: Actor, local_domain: str, counts: dict | None = None) -> dict:
    counts = counts or {}
    acct = actor.username if actor.local else f"{actor.username}@{actor.domain}"
    return {
        "id": str(actor.id),
        "username": actor.username,
        "acct": acct,
        "display_name": actor.display_name or "",
        "locked": bool(actor.manually_approves),
        "bot": actor.kind in ("Service", "Application"),
        "group": actor.kind == "Group",
        "discoverable": True,
        "created_at": iso(actor.created_at),
        "note": actor.summary or "",
        "url": actor.url or actor.uri,
        "uri": actor.uri,
        "avatar": actor.icon_url or "",
        "avatar_static": actor.icon_url or "",
        "header": "",
        "header_static": "",
        "followers_count": counts.get("followers", 0),
        "following_count": counts.get("following", 0),
        "statuses_count": counts.get("statuses", 0),
        "last_status_at": None,
        "emojis": [],
        "fields": [],
    }


def _mention_json(tag: dict, local_domain: str, mention_ids: dict[str, int]) -> dict:
    """Mastodon's mention: the account id, and acct without the domain for local accounts."""
    acct = tag.get("name", "").lstrip("@")
    username, _, domain = acct.partition("@")
    return {"id": str(mention_ids.get(tag.get("href"), "")), "username": username, "url": tag.get("href"),
            "acct": username if domain.lower() == local_domain.lower() else acct}


def status_json(note: Object, author: Actor, local_domain: str, *, reply_author_id: int | None = None,
                counts: dict | None = None, mention_ids: dict[str, int] | None = None) -> dict:
    counts = counts or {}
    mention_ids = mention_ids or {}
    mentions = [_mention_json(t, local_domain, mention_ids) for t in (note.tags or []) if t.get("type") == "Mention"]
    tags = [
        {"name": t.get("name", "").lstrip("#").lower(), "url": t.get("href")}
        for t in (note.tags or []) if t.get("type") == "Hashtag"
    ]
    return {
        "id": str(note.id),
        "uri": note.uri,
        "url": note.url or note.uri,
        "created_at": iso(note.published),
        "edited_at": iso(note.updated_at) if note.updated_at else None,
        "account": account_json(author, local_domain),
        "content": note.content if note.deleted_at is None else "",
        "visibility": note.visibility,
        "sensitive": bool(note.sensitive),
        "spoiler_text": note.summary or "",
        "language": note.language,
        "in_reply_to_id": str(note.in_reply_to_id) if note.in_reply_to_id else None,
        "in_reply_to_account_id": str(reply_author_id) if reply_author_id else None,
        "media_attachments": [],
        "mentions": mentions,
        "tags": tags,
        "emojis": [],
        "replies_count": counts.get("replies", 0),
        "reblogs_count": counts.get("Announce", 0),
        "favourites_count": counts.get("Like", 0),
        "reblog": None,
        "poll": None,
        "card": None,
        "application": None,
        "text": note.source_text if note.local else None,
    }


def statuses_json(views: list[StatusView], local_domain: str) -> list[dict]:
    return [status_json(v.note, v.author, local_domain, reply_author_id=v.reply_author_id, counts=v.counts,
                        mention_ids=v.mention_ids) for v in views]


def relationship_json(target: Actor, relation: dict[str, bool]) -> dict:
    return {
        "id": str(target.id), **relation,
        "blocking": False, "blocked_by": False, "muting": False, "muting_notifications": False,
        "domain_blocking": False, "endorsed": False, "showing_reblogs": True, "notifying": False, "note": "",
    }
