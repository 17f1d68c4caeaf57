"""Every client-API endpoint's parameters, with their types and bounds (pydantic models).

Path ids are not here: they are parsed where they are read (a malformed id is a 404, as a
missing record is in Mastodon). Bounds are Mastodon's where it has one, else noted.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator

from ..http.params import Flag, IdText, Params, Text
from ..social.attachments import MAX_ATTACHMENTS, MAX_DESCRIPTION
from ..social.profile import MAX_DISPLAY_NAME, MAX_FIELD_NAME, MAX_FIELD_VALUE, MAX_FIELDS, MAX_NOTE
from ..social.statuses import MAX_SPOILER_CHARS, MAX_STATUS_CHARS

# A status is checked against MAX_STATUS_CHARS after surrounding blanks are stripped (as
# Mastodon counts it); this outer bound only stops absurd bodies before that.
_STATUS_BOUND = MAX_STATUS_CHARS * 4
Limit = Annotated[int, Field(ge=1, le=80)]


class PollParams(Params):
    # Outer bounds only: social/polls.new_poll says what a poll may be (Mastodon's limits).
    options: list[Text(500)] = Field(default_factory=list, max_length=20)
    expires_in: Annotated[int, Field(ge=0, le=2**31)]
    multiple: Flag = None
    hide_totals: Flag = None


class PollVoteParams(Params):
    choices: list[Annotated[int, Field(ge=0, le=1000)]] = Field(default_factory=list, max_length=20)


class PostStatus(Params):
    status: Text(_STATUS_BOUND) = ""
    visibility: Literal["public", "unlisted", "private", "direct"] = "public"
    in_reply_to_id: IdText | None = None
    spoiler_text: Text(MAX_SPOILER_CHARS) = ""
    sensitive: Flag = None
    language: Text(16) | None = None  # an ISO 639 code, possibly with a region (pt-BR)
    media_ids: list[IdText] = Field(default_factory=list, max_length=MAX_ATTACHMENTS)
    poll: PollParams | None = None


class EditStatus(Params):
    status: Text(_STATUS_BOUND) = ""
    spoiler_text: Text(MAX_SPOILER_CHARS) = ""
    sensitive: Flag = None
    language: Text(16) | None = None
    media_ids: list[IdText] | None = Field(default=None, max_length=MAX_ATTACHMENTS)  # not given: unchanged


class DescribeMedia(Params):
    description: Text(MAX_DESCRIPTION) | None = None
    focus: Text(64) | None = None


class Lookup(Params):
    acct: Text(512) = ""


class Search(Params):
    q: Text(512) = ""
    resolve: Flag = None
    type: Literal["accounts", "statuses", "hashtags"] | None = None
    limit: Annotated[int, Field(ge=1, le=40)] = 20
    offset: Annotated[int, Field(ge=0, le=10_000)] = 0


class Relationships(Params):
    id: list[IdText] | IdText = Field(default_factory=list)

    @property
    def ids(self) -> list[str]:
        return [self.id] if isinstance(self.id, str) else list(self.id[:80])


class Follow(Params):
    """Mastodon's options for a follow; taken and checked, not acted on yet."""

    reblogs: Flag = None
    notify: Flag = None
    languages: list[Text(16)] = Field(default_factory=list, max_length=100)


class NoParams(Params):
    """Endpoints that take no parameters besides the path (unfollow, authorize, reject, delete)."""


class Page(Params):
    """Mastodon's pagination by id: newest first, `max_id` (exclusive) for older pages."""

    limit: Limit = 40
    max_id: IdText | None = None
    since_id: IdText | None = None
    min_id: IdText | None = None


class FollowedTagsPage(Params):
    """Mastodon's: 100 by default, at most 200."""

    limit: Annotated[int, Field(ge=1, le=200)] = 100
    max_id: IdText | None = None
    since_id: IdText | None = None
    min_id: IdText | None = None


class FieldIn(Params):
    name: Text(MAX_FIELD_NAME) = ""
    value: Text(MAX_FIELD_VALUE) = ""


class UpdateCredentials(Params):
    display_name: Text(MAX_DISPLAY_NAME) | None = None
    note: Text(MAX_NOTE) | None = None
    locked: Flag = None
    bot: Flag = None
    discoverable: Flag = None
    # Form bodies give `fields_attributes[0][name]`, i.e. a dict by index; JSON may give a list.
    fields_attributes: dict[Text(8), FieldIn] | list[FieldIn] | None = None

    @field_validator("fields_attributes")
    @classmethod
    def _at_most_four(cls, value):
        if value is not None and len(value) > MAX_FIELDS:
            raise ValueError(f"at most {MAX_FIELDS} fields")
        return value

    def fields(self) -> list[tuple[str, str]] | None:
        """The fields in order, blank ones left out (Mastodon drops a field with no name and value)."""
        if self.fields_attributes is None:
            return None
        items = self.fields_attributes
        if isinstance(items, dict):
            items = [items[key] for key in sorted(items, key=lambda k: (len(k), k))]
        return [(f.name.strip(), f.value.strip()) for f in items if f.name.strip() or f.value.strip()]


# ---- apps and OAuth ----------------------------------------------------------------------------

class RegisterApp(Params):
    """POST /api/v1/apps; the domain checks each value (Mastodon's limits) and says what is wrong."""

    client_name: Text(1000) = ""
    # One a line (Mastodon < 4.3) or a list (4.3).
    redirect_uris: Text(10_000) | list[Text(2000)] | None = None
    scopes: Text(2000) | None = None
    website: Text(2000) | None = None


class OAuthParams(Params):
    """What /oauth/token and /oauth/revoke read (the body; the client may come in Basic auth)."""

    grant_type: Text(64) | None = None
    code: Text(256) | None = None
    redirect_uri: Text(2000) | None = None
    code_verifier: Text(256) | None = None
    client_id: Text(256) | None = None
    client_secret: Text(256) | None = None
    scope: Text(2000) | None = None
    token: Text(256) | None = None


# ---- what apps read first ------------------------------------------------------------------------

class MarkerIn(Params):
    last_read_id: IdText


class MarkersQuery(Params):
    timeline: list[Text(32)] | Text(32) = Field(default_factory=list)

    @property
    def timelines(self) -> list[str]:
        return [self.timeline] if isinstance(self.timeline, str) else list(self.timeline[:10])


class SaveMarkers(Params):
    home: MarkerIn | None = None
    notifications: MarkerIn | None = None


class TimelinePage(Params):
    """Mastodon's timeline parameters: 20 statuses by default, at most 40."""

    limit: Annotated[int, Field(ge=1, le=40)] = 20
    max_id: IdText | None = None
    since_id: IdText | None = None
    min_id: IdText | None = None
    local: Flag = None
    remote: Flag = None
    only_media: Flag = None


class AccountStatuses(TimelinePage):
    exclude_replies: Flag = None
    exclude_reblogs: Flag = None
    pinned: Flag = None


class NotificationsPage(Params):
    """Mastodon's notification list: 40 by default, at most 80; `types[]` / `exclude_types[]`
    (unknown types are ignored, as Mastodon does) and `account_id` (from whom)."""

    limit: Limit = 40
    max_id: IdText | None = None
    since_id: IdText | None = None
    min_id: IdText | None = None
    types: list[Text(32)] | Text(32) = Field(default_factory=list, max_length=20)
    exclude_types: list[Text(32)] | Text(32) = Field(default_factory=list, max_length=20)
    account_id: IdText | None = None

    @staticmethod
    def _listed(value) -> list[str]:
        return [value] if isinstance(value, str) else list(value)

    @property
    def type_list(self) -> list[str]:
        return self._listed(self.types)

    @property
    def exclude_list(self) -> list[str]:
        return self._listed(self.exclude_types)
