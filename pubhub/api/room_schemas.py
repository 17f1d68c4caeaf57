"""The parameters of the hubs and rooms admin API (`/api/v1/pubhub/`), typed and bounded as the
client API's are (`schemas.py`). Names and texts are checked again, with their exact rules, by
the domain (`pubhub/rooms`)."""

from __future__ import annotations

from typing import Literal

from ..http.params import IdText, Params, Text
from ..identity.attribute_rules import parse_rule
from ..rooms.directory import MAX_ROOM_NAME
from ..rooms.hubs import MAX_DESCRIPTION, MAX_NAME, MAX_RULES
from ..rooms.queue import MAX_REASON

Join = Literal["open", "approval", "attributes"]
Post = Literal["members", "anyone", "staff"]
Moderation = Literal["none", "pre", "post"]
Visibility = Literal["public", "members"]


class CreateHub(Params):
    slug: Text(64)
    name: Text(MAX_NAME)
    description: Text(MAX_DESCRIPTION) = ""
    rules: Text(MAX_RULES) = ""


class UpdateHub(Params):
    name: Text(MAX_NAME) | None = None
    description: Text(MAX_DESCRIPTION) | None = None
    rules: Text(MAX_RULES) | None = None


class AddModerator(Params):
    account_id: IdText


class CreateRoom(Params):
    slug: Text(64)
    name: Text(MAX_ROOM_NAME)
    description: Text(MAX_DESCRIPTION) = ""
    rules: Text(MAX_RULES) = ""
    join: Join = "open"
    post: Post = "members"
    moderation: Moderation = "none"
    visibility: Visibility = "public"
    rule: dict | None = None  # join: attributes: the attribute rule (README, Identity verifiers)

    def attribute_rule(self) -> dict | None:
        return parse_rule(self.rule) if self.rule is not None else None


class UpdateRoom(Params):
    name: Text(MAX_ROOM_NAME) | None = None
    description: Text(MAX_DESCRIPTION) | None = None
    rules: Text(MAX_RULES) | None = None
    join: Join | None = None
    post: Post | None = None
    moderation: Moderation | None = None
    visibility: Visibility | None = None
    rule: dict | None = None

    def attribute_rule(self) -> dict | None:
        return parse_rule(self.rule) if self.rule is not None else None


class Reason(Params):
    """A decision's reason (required where the decision needs one: reject, remove, ban)."""

    reason: Text(MAX_REASON) | None = None
