"""The JSON shapes of hubs, rooms, queued posts, bans and decisions in the admin API. Accounts
and statuses inside them have the client API's shapes (`serializers.py`); ids are strings."""

from __future__ import annotations

from ..activitypub.vocab import iso
from ..rooms.decisions import LoggedDecision
from ..rooms.directory import RoomActor, policy_of
from ..rooms.queue import QueuedPost
from ..store.models import Actor, Hub, ModerationItem, RoomBan
from .serializers import account_json, status_json


def hub_json(hub: Hub, moderators: list[Actor] | None = None, domain: str = "") -> dict:
    body = {"id": str(hub.id), "slug": hub.slug, "name": hub.name, "description": hub.description,
            "rules": hub.rules, "created_at": iso(hub.created_at)}
    if moderators is not None:
        body["moderators"] = [account_json(m, domain) for m in moderators]
    return body


def room_json(target: RoomActor, domain: str, members_count: int | None = None) -> dict:
    room, actor = target.room, target.actor
    counts = {"followers": members_count} if members_count is not None else None
    body = {"id": str(room.id), "hub_id": str(room.hub_id), "slug": actor.username,
            "acct": f"{actor.username}@{domain}", "name": actor.display_name,
            "description": actor.summary_source or "", "rules": room.rules, "policy": policy_of(room),
            "account": account_json(actor, domain, counts), "created_at": iso(room.created_at)}
    if members_count is not None:
        body["members_count"] = members_count
    return body


def _item_fields(item: ModerationItem) -> dict:
    return {"state": item.state, "reason": item.reason,
            "decided_at": iso(item.decided_at) if item.decided_at else None, "created_at": iso(item.created_at)}


def queued_json(post: QueuedPost, domain: str) -> dict:
    return {"id": str(post.item.id), **_item_fields(post.item), "account": account_json(post.author, domain),
            "status": status_json(post.note, post.author, domain)}


def my_post_json(item: ModerationItem, target: RoomActor, domain: str) -> dict:
    """What a room made of the caller's own post."""
    return {"room": {"id": str(target.room.id), "acct": f"{target.actor.username}@{domain}",
                     "name": target.actor.display_name}, **_item_fields(item)}


def ban_json(ban: RoomBan, actor: Actor, domain: str) -> dict:
    return {"id": str(ban.id), "account": account_json(actor, domain), "reason": ban.reason,
            "created_at": iso(ban.created_at)}


def decision_json(logged: LoggedDecision, domain: str) -> dict:
    decision = logged.decision
    return {"id": str(decision.id), "action": decision.action, "reason": decision.reason,
            "created_at": iso(decision.created_at),
            "moderator": account_json(logged.moderator, domain) if logged.moderator is not None else None,
            "target_account": account_json(logged.target, domain) if logged.target is not None else None,
            "target_status_id": str(decision.target_object_id) if decision.target_object_id else None}
