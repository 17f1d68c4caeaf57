"""The nouns of DESIGN.md as SQLAlchemy 2 models. Local and remote actors share one table."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


# 64-bit ids on PostgreSQL; SQLite's INTEGER PRIMARY KEY is already 64-bit (and a rowid).
BigID = BigInteger().with_variant(Integer, "sqlite")
MAX_ID = 2**63 - 1


def parse_id(raw) -> int | None:
    """A row id from outside (a path, a form, JSON): ASCII digits within 64 bits, else None."""
    text = str(raw).strip() if raw is not None else ""
    if not (text.isascii() and text.isdigit()) or len(text) > 19 or int(text) > MAX_ID:
        return None
    return int(text)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every engine (SQLite hands back naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        if value is not None and dialect.name == "sqlite":
            return value.astimezone(timezone.utc).replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value


class Base(DeclarativeBase):
    pass


class Actor(Base):
    __tablename__ = "actors"

    id: Mapped[int] = mapped_column(BigID, primary_key=True)
    uri: Mapped[str] = mapped_column(String(2048), unique=True)
    kind: Mapped[str] = mapped_column(String(32), default="Person")
    username: Mapped[str] = mapped_column(String(255))
    domain: Mapped[str] = mapped_column(String(255), index=True)
    local: Mapped[bool] = mapped_column(Boolean, default=False)
    display_name: Mapped[str] = mapped_column(Text, default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str | None] = mapped_column(String(2048))
    icon_url: Mapped[str | None] = mapped_column(String(2048))
    image_url: Mapped[str | None] = mapped_column(String(2048))  # the profile's header image
    inbox: Mapped[str] = mapped_column(String(2048))
    shared_inbox: Mapped[str | None] = mapped_column(String(2048))
    outbox: Mapped[str | None] = mapped_column(String(2048))
    followers_url: Mapped[str | None] = mapped_column(String(2048))
    following_url: Mapped[str | None] = mapped_column(String(2048))
    public_key_id: Mapped[str] = mapped_column(String(2048), index=True)
    public_key_pem: Mapped[str] = mapped_column(Text)
    private_key_pem: Mapped[str | None] = mapped_column(Text)
    manually_approves: Mapped[bool] = mapped_column(Boolean, default=False)
    # Local accounts: [{"name", "value"}] as their owner wrote them (plain text), and the bio's
    # plain text (`summary` holds it as HTML).
    fields: Mapped[list | None] = mapped_column(JSON)
    summary_source: Mapped[str | None] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(16), default="user")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    fetched_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    password_hash: Mapped[str | None] = mapped_column(Text)  # argon2id, local accounts only
    suspended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Moderation beside suspension (Mastodon's): posts reach only followers (silenced), posts
    # shown as sensitive (sensitized), no sign-in and no tokens, nothing deleted (disabled).
    silenced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sensitized_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Local accounts: the address staff may sign in with instead of the name (lower case).
    email: Mapped[str | None] = mapped_column(String(320), unique=True)

    __table_args__ = (
        Index("ix_actors_local_username", "local", "username"),
    )


class Follow(Base):
    __tablename__ = "follows"

    id: Mapped[int] = mapped_column(BigID, primary_key=True)
    follower_id: Mapped[int] = mapped_column(BigID, ForeignKey("actors.id", ondelete="CASCADE"))
    target_id: Mapped[int] = mapped_column(BigID, ForeignKey("actors.id", ondelete="CASCADE"), index=True)
    state: Mapped[str] = mapped_column(String(16), default="pending")  # pending | accepted
    activity_uri: Mapped[str] = mapped_column(String(2048), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("follower_id", "target_id", name="uq_follows_pair"),)


class Object(Base):
    """A Note, local or remote. Content is always sanitised HTML."""

    __tablename__ = "objects"

    id: Mapped[int] = mapped_column(BigID, primary_key=True)
    uri: Mapped[str] = mapped_column(String(2048), unique=True)
    url: Mapped[str | None] = mapped_column(String(2048))
    author_id: Mapped[int] = mapped_column(BigID, ForeignKey("actors.id", ondelete="CASCADE"), index=True)
    local: Mapped[bool] = mapped_column(Boolean, default=False)
    content: Mapped[str] = mapped_column(Text, default="")
    source_text: Mapped[str | None] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text, default="")
    sensitive: Mapped[bool] = mapped_column(Boolean, default=False)
    language: Mapped[str | None] = mapped_column(String(16))
    visibility: Mapped[str] = mapped_column(String(16), default="public")
    in_reply_to_uri: Mapped[str | None] = mapped_column(String(2048), index=True)
    in_reply_to_id: Mapped[int | None] = mapped_column(BigID, ForeignKey("objects.id", ondelete="SET NULL"), index=True)
    to: Mapped[list] = mapped_column(JSON, default=list)
    cc: Mapped[list] = mapped_column(JSON, default=list)
    tags: Mapped[list] = mapped_column(JSON, default=list)
    # Its images as published (social.attachments: url, media type, alt text, blurhash, size,
    # focus); a local note's are copied from its uploads when it is posted.
    attachments: Mapped[list | None] = mapped_column(JSON(none_as_null=True))  # None is SQL NULL: "has media" is IS NOT NULL
    # Its poll (social/polls.py): options, multiple, expires_at, the counts per option and
    # voters_count (a local poll's recounted from poll_votes at each vote, a remote one's as its
    # server last said). None: no poll.
    poll: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    published: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_objects_author_published", "author_id", "published"),)


class NoteHashtag(Base):
    """A hashtag a note carries (normalised: compose.normalize_hashtag), beside its `tags` JSON,
    so that the notes of a hashtag are found by index (followed hashtags, usage history)."""

    __tablename__ = "note_hashtags"

    object_id: Mapped[int] = mapped_column(BigID, ForeignKey("objects.id", ondelete="CASCADE"), primary_key=True)
    name: Mapped[str] = mapped_column(String(100), primary_key=True)

    __table_args__ = (Index("ix_note_hashtags_name_object", "name", "object_id"),)


class FollowedTag(Base):
    """A hashtag an account follows (normalised name): public notes carrying it join its home."""

    __tablename__ = "followed_tags"

    id: Mapped[int] = mapped_column(BigID, primary_key=True)
    account_id: Mapped[int] = mapped_column(BigID, ForeignKey("actors.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("account_id", "name", name="uq_followed_tags_pair"),)


class MediaAttachment(Base):
    """An image a local account uploaded: its re-encoded file and preview on disk (by name,
    under the media directory), what it shows, and the status it was attached to (None until
    it is posted; an upload is attached once)."""

    __tablename__ = "media_attachments"

    id: Mapped[int] = mapped_column(BigID, primary_key=True)
    account_id: Mapped[int] = mapped_column(BigID, ForeignKey("actors.id", ondelete="CASCADE"), index=True)
    object_id: Mapped[int | None] = mapped_column(BigID, ForeignKey("objects.id", ondelete="SET NULL"), index=True)
    file_name: Mapped[str] = mapped_column(String(128))
    preview_name: Mapped[str] = mapped_column(String(128))
    media_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    preview_width: Mapped[int] = mapped_column(Integer)
    preview_height: Mapped[int] = mapped_column(Integer)
    blurhash: Mapped[str] = mapped_column(String(64))
    description: Mapped[str] = mapped_column(Text, default="")
    focus_x: Mapped[float] = mapped_column(Float, default=0.0)
    focus_y: Mapped[float] = mapped_column(Float, default=0.0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Interaction(Base):
    """A Like or an Announce of one of the objects we know."""

    __tablename__ = "interactions"

    id: Mapped[int] = mapped_column(BigID, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # Like | Announce
    activity_uri: Mapped[str] = mapped_column(String(2048), unique=True)
    actor_id: Mapped[int] = mapped_column(BigID, ForeignKey("actors.id", ondelete="CASCADE"), index=True)
    object_id: Mapped[int] = mapped_column(BigID, ForeignKey("objects.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("kind", "actor_id", "object_id", name="uq_interactions_once"),)


class PollVote(Base):
    """A vote on a poll: a local account's (on any poll) or a remote actor's (on ours), one row
    per option chosen; `uri` is the vote's Note id, so a re-sent vote counts once."""

    __tablename__ = "poll_votes"

    id: Mapped[int] = mapped_column(BigID, primary_key=True)
    object_id: Mapped[int] = mapped_column(BigID, ForeignKey("objects.id", ondelete="CASCADE"))
    actor_id: Mapped[int] = mapped_column(BigID, ForeignKey("actors.id", ondelete="CASCADE"), index=True)
    choice: Mapped[int] = mapped_column(Integer)
    uri: Mapped[str] = mapped_column(String(2048), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("object_id", "actor_id", "choice", name="uq_poll_votes_once"),)


class Notification(Base):
    """Something that happened to a local account (Mastodon's notification types), once:
    `once_key` names the event (type, who, which status), so a re-sent activity or a second
    reaction of the same kind adds nothing. Ids are time-ordered (paged like statuses)."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(BigID, primary_key=True, autoincrement=False)
    account_id: Mapped[int] = mapped_column(BigID, ForeignKey("actors.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(24))
    from_account_id: Mapped[int] = mapped_column(BigID, ForeignKey("actors.id", ondelete="CASCADE"), index=True)
    status_id: Mapped[int | None] = mapped_column(BigID, ForeignKey("objects.id", ondelete="CASCADE"), index=True)
    once_key: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("account_id", "once_key", name="uq_notifications_once"),
                      Index("ix_notifications_account_id", "account_id", "id"))


class _StatusMark:
    """An account's mark on a status, once per pair (bookmarks, pins)."""

    id: Mapped[int] = mapped_column(BigID, primary_key=True)
    account_id: Mapped[int] = mapped_column(BigID, ForeignKey("actors.id", ondelete="CASCADE"), index=True)
    object_id: Mapped[int] = mapped_column(BigID, ForeignKey("objects.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Bookmark(_StatusMark, Base):
    """A status a local account keeps to read again (seen by that account alone)."""

    __tablename__ = "bookmarks"
    __table_args__ = (UniqueConstraint("account_id", "object_id", name="uq_bookmarks_once"),)


class Pin(_StatusMark, Base):
    """One of its own statuses a local account shows first on its profile (Mastodon's pinned,
    at most five)."""

    __tablename__ = "pins"
    __table_args__ = (UniqueConstraint("account_id", "object_id", name="uq_pins_once"),)


class StatusEdit(Base):
    """One version of an edited local status, as it read from `created_at` on (Mastodon's
    StatusEdit): the first is the original, the last the status as it is now."""

    __tablename__ = "status_edits"

    id: Mapped[int] = mapped_column(BigID, primary_key=True)
    object_id: Mapped[int] = mapped_column(BigID, ForeignKey("objects.id", ondelete="CASCADE"), index=True)
    content: Mapped[str] = mapped_column(Text, default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    sensitive: Mapped[bool] = mapped_column(Boolean, default=False)
    attachments: Mapped[list | None] = mapped_column(JSON(none_as_null=True))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class InboxActivity(Base):
    """An inbound activity: its id makes delivery idempotent, its row is the work item.
    Once done or dropped the body is let go (only the id is needed to deduplicate), and the
    row is pruned after the retention window; a held row keeps its body for the moderator."""

    __tablename__ = "activities"

    id: Mapped[int] = mapped_column(BigID, primary_key=True)
    uri: Mapped[str] = mapped_column(String(2048), unique=True)
    type: Mapped[str] = mapped_column(String(64))
    actor_uri: Mapped[str] = mapped_column(String(2048))
    # scheme://host[:port] of the actor: a worker takes a server's activities only when no other
    # worker holds an earlier one of the same server (arrival order across worker processes).
    origin: Mapped[str | None] = mapped_column(String(2048))
    claimed_by: Mapped[str | None] = mapped_column(String(32))  # the worker holding the lease
    payload: Mapped[str | None] = mapped_column(Text)  # None once done or dropped
    state: Mapped[str] = mapped_column(String(16), default="pending")  # pending | done | dropped | held
    error: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        Index("ix_activities_state", "state", "id"),
        Index("ix_activities_processed_at", "processed_at"),  # pruning finds old rows without a scan
        Index("ix_activities_origin", "origin", "id"),
    )


class OutboundActivity(Base):
    """An activity we send: its body once, who signs it, and its audience. A followers
    audience is expanded into delivery rows by a worker, so publishing stays fast whatever
    the follower count."""

    __tablename__ = "outbound_activities"

    id: Mapped[int] = mapped_column(BigID, primary_key=True)
    uri: Mapped[str] = mapped_column(String(2048), unique=True)
    body: Mapped[str] = mapped_column(Text)
    signer_id: Mapped[int] = mapped_column(BigID, ForeignKey("actors.id", ondelete="CASCADE"))
    followers_of_id: Mapped[int | None] = mapped_column(BigID, ForeignKey("actors.id", ondelete="CASCADE"))
    expanded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (Index("ix_outbound_activities_unexpanded", "expanded_at", "id"),)


class Delivery(Base):
    """One outbound POST of one activity to one inbox: the durable delivery queue."""

    __tablename__ = "deliveries"

    id: Mapped[int] = mapped_column(BigID, primary_key=True)
    activity_id: Mapped[int] = mapped_column(BigID, ForeignKey("outbound_activities.id", ondelete="CASCADE"))
    inbox: Mapped[str] = mapped_column(String(2048))
    state: Mapped[str] = mapped_column(String(16), default="pending")  # pending | done | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint("activity_id", "inbox", name="uq_deliveries_once"),
        Index("ix_deliveries_due", "state", "next_attempt_at"),
    )


class OAuthApp(Base):
    """An app registered through POST /api/v1/apps; only its secret's SHA-256 is stored."""

    __tablename__ = "oauth_apps"

    id: Mapped[int] = mapped_column(BigID, primary_key=True)
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(255))
    website: Mapped[str | None] = mapped_column(String(2048))
    redirect_uris: Mapped[str] = mapped_column(Text)  # one a line, as registered
    scopes: Mapped[str] = mapped_column(String(1024))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class OAuthCode(Base):
    """An authorization code: single-use, short-lived, bound to its app, redirect URI, scopes
    and PKCE challenge; only its SHA-256 is stored."""

    __tablename__ = "oauth_codes"

    id: Mapped[int] = mapped_column(BigID, primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    app_id: Mapped[int] = mapped_column(BigID, ForeignKey("oauth_apps.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int] = mapped_column(BigID, ForeignKey("actors.id", ondelete="CASCADE"), index=True)
    redirect_uri: Mapped[str] = mapped_column(Text)
    scopes: Mapped[str] = mapped_column(String(1024))
    code_challenge: Mapped[str | None] = mapped_column(String(128))  # S256 only
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    token_id: Mapped[int | None] = mapped_column(BigID)  # the token it was exchanged for


class SignInAttempt(Base):
    """A failed sign-in, counted per account and per client address for rate limiting (in the
    database, so every web process counts the same)."""

    __tablename__ = "sign_in_attempts"

    id: Mapped[int] = mapped_column(BigID, primary_key=True)
    account_key: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(64))
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)

    __table_args__ = (
        Index("ix_sign_in_attempts_account", "account_key", "attempted_at"),
        Index("ix_sign_in_attempts_address", "address", "attempted_at"),
    )


class Marker(Base):
    """Where an account stopped reading a timeline (`home`, `notifications`)."""

    __tablename__ = "markers"

    id: Mapped[int] = mapped_column(BigID, primary_key=True)
    actor_id: Mapped[int] = mapped_column(BigID, ForeignKey("actors.id", ondelete="CASCADE"))
    timeline: Mapped[str] = mapped_column(String(32))
    last_read_id: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("actor_id", "timeline", name="uq_markers_timeline"),)


class Token(Base):
    """A bearer token; only its SHA-256 is stored. Made with the CLI (no app) or through OAuth
    (its app); a client_credentials token has an app and no account."""

    __tablename__ = "tokens"

    id: Mapped[int] = mapped_column(BigID, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    actor_id: Mapped[int | None] = mapped_column(BigID, ForeignKey("actors.id", ondelete="CASCADE"), index=True)
    app_id: Mapped[int | None] = mapped_column(BigID, ForeignKey("oauth_apps.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(255), default="")
    scopes: Mapped[str] = mapped_column(String(1024), default="read write")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class InstanceSetting(Base):
    """What a database belongs to (`domain`, `scheme`): URLs in it are built from them."""

    __tablename__ = "instance_settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class DomainBlock(Base):
    """A server the instance moderates as a whole (Mastodon's domain block): `suspend` cuts it
    off, `silence` limits it, `noop` only records it. `domain` is normalised (lower case, no
    trailing dot, punycode) and covers its subdomains."""

    __tablename__ = "domain_blocks"

    id: Mapped[int] = mapped_column(BigID, primary_key=True)
    domain: Mapped[str] = mapped_column(String(253), unique=True)
    severity: Mapped[str] = mapped_column(String(16), default="silence")  # silence | suspend | noop
    reject_media: Mapped[bool] = mapped_column(Boolean, default=False)
    reject_reports: Mapped[bool] = mapped_column(Boolean, default=False)
    private_comment: Mapped[str] = mapped_column(Text, default="")
    public_comment: Mapped[str] = mapped_column(Text, default="")
    obfuscate: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DomainAllow(Base):
    """A server the instance federates with in limited federation (PUBHUB_LIMITED_FEDERATION,
    Mastodon's allow-list mode); `domain` normalised as a block's, covering its subdomains."""

    __tablename__ = "domain_allows"

    id: Mapped[int] = mapped_column(BigID, primary_key=True)
    domain: Mapped[str] = mapped_column(String(253), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class InstanceRule(Base):
    """One of the instance's rules, as apps show them and reports and decisions cite them. A
    rule taken away keeps its row (`deleted_at`), so what cited it still reads it."""

    __tablename__ = "instance_rules"

    id: Mapped[int] = mapped_column(BigID, primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    hint: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Hub(Base):
    """A hub of the instance: rooms under one name, house rules and moderators."""

    __tablename__ = "hubs"

    id: Mapped[int] = mapped_column(BigID, primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    rules: Mapped[str] = mapped_column(Text, default="")  # house rules, plain text
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class HubModerator(Base):
    """A local account that moderates one hub: its rooms, their queues and members."""

    __tablename__ = "hub_moderators"

    id: Mapped[int] = mapped_column(BigID, primary_key=True)
    hub_id: Mapped[int] = mapped_column(BigID, ForeignKey("hubs.id", ondelete="CASCADE"))
    account_id: Mapped[int] = mapped_column(BigID, ForeignKey("actors.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("hub_id", "account_id", name="uq_hub_moderators_pair"),)


class Room(Base):
    """A room of a hub. The room is an actor (kind Group, with its own key): its name and
    description are the actor's display name and summary, its members the actor's followers."""

    __tablename__ = "rooms"

    id: Mapped[int] = mapped_column(BigID, primary_key=True)
    actor_id: Mapped[int] = mapped_column(BigID, ForeignKey("actors.id", ondelete="CASCADE"), unique=True)
    hub_id: Mapped[int] = mapped_column(BigID, ForeignKey("hubs.id", ondelete="CASCADE"), index=True)
    join_policy: Mapped[str] = mapped_column(String(16), default="open")  # open | approval
    post_policy: Mapped[str] = mapped_column(String(16), default="members")  # members | anyone | staff
    moderation: Mapped[str] = mapped_column(String(16), default="none")  # none | pre | post
    visibility: Mapped[str] = mapped_column(String(16), default="public")  # public | members
    rules: Mapped[str] = mapped_column(Text, default="")  # the room's rules, plain text
    # join: attributes: the attribute rule (identity/attribute_rules.py) and its version, counted
    # up at each change (a verification holds for the version it was made for).
    attribute_rule: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    rule_version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RoomBan(Base):
    """An actor banned from a room: no longer a member, its follows and posts refused."""

    __tablename__ = "room_bans"

    id: Mapped[int] = mapped_column(BigID, primary_key=True)
    room_id: Mapped[int] = mapped_column(BigID, ForeignKey("rooms.id", ondelete="CASCADE"))
    actor_id: Mapped[int] = mapped_column(BigID, ForeignKey("actors.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    banned_by_id: Mapped[int | None] = mapped_column(BigID, ForeignKey("actors.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("room_id", "actor_id", name="uq_room_bans_pair"),)


class ModerationItem(Base):
    """A post submitted to a room, and what became of it: `pending` in the queue, `approved`
    (shared: the room's Announce is `announce_uri`), `rejected` (never shared) or `removed`
    (shared, then taken back). One per (room, post)."""

    __tablename__ = "moderation_items"

    id: Mapped[int] = mapped_column(BigID, primary_key=True)
    room_id: Mapped[int] = mapped_column(BigID, ForeignKey("rooms.id", ondelete="CASCADE"))
    object_id: Mapped[int] = mapped_column(BigID, ForeignKey("objects.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(BigID, ForeignKey("actors.id", ondelete="CASCADE"), index=True)
    state: Mapped[str] = mapped_column(String(16), default="pending")
    announce_uri: Mapped[str | None] = mapped_column(String(2048))
    reason: Mapped[str | None] = mapped_column(Text)  # why it was rejected or removed
    decided_by_id: Mapped[int | None] = mapped_column(BigID, ForeignKey("actors.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        UniqueConstraint("room_id", "object_id", name="uq_moderation_items_once"),
        Index("ix_moderation_items_room_state", "room_id", "state", "id"),
    )


class RoomDecision(Base):
    """The decisions log of a room: who (a moderator; None for the room's own policy), when,
    what (approve, reject, remove, ban, unban, join_accepted, join_refused, post_refused), on
    whom or what, and the reason or the room rule it applied."""

    __tablename__ = "room_decisions"

    id: Mapped[int] = mapped_column(BigID, primary_key=True)
    room_id: Mapped[int] = mapped_column(BigID, ForeignKey("rooms.id", ondelete="CASCADE"))
    moderator_id: Mapped[int | None] = mapped_column(BigID, ForeignKey("actors.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(32))
    target_actor_id: Mapped[int | None] = mapped_column(BigID, ForeignKey("actors.id", ondelete="SET NULL"))
    target_object_id: Mapped[int | None] = mapped_column(BigID, ForeignKey("objects.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (Index("ix_room_decisions_room", "room_id", "id"),)


class VerificationSession(Base):
    """A verifier's session an account started to prove a room's rule: single use (`state`
    pending → checking → done | refused), short-lived. `reference` is the verifier's handle on
    it; `attributes` only the ids asked for, never values."""

    __tablename__ = "verification_sessions"

    id: Mapped[int] = mapped_column(BigID, primary_key=True)
    provider: Mapped[str] = mapped_column(String(64))
    reference: Mapped[str] = mapped_column(String(512))
    room_id: Mapped[int | None] = mapped_column(BigID, ForeignKey("rooms.id", ondelete="CASCADE"))
    # room: proving a room's rule; login: signing in by attribute (identity/login.py), which
    # keeps the OAuth request to return to and, once proved, the attribute's keyed hash.
    purpose: Mapped[str] = mapped_column(String(16), default="room")
    return_to: Mapped[str | None] = mapped_column(Text)
    subject_hash: Mapped[str | None] = mapped_column(String(64))
    # The local account proving; None for someone on another server, on the room's web page
    # (bound to that browser by `browser_hash`, and rewarded with a LinkCode).
    account_id: Mapped[int | None] = mapped_column(BigID, ForeignKey("actors.id", ondelete="CASCADE"), index=True)
    browser_hash: Mapped[str | None] = mapped_column(String(64))
    rule_version: Mapped[int] = mapped_column(Integer)
    attributes: Mapped[list] = mapped_column(JSON, default=list)
    state: Mapped[str] = mapped_column(String(16), default="pending")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_verification_sessions_reference", "provider", "reference"),)


class LinkCode(Base):
    """A one-time code shown to someone who proved a room's rule on its web page: sent to the
    room in a direct message from their own fediverse account, it makes that account verified.
    Only its SHA-256 is kept; single use, short-lived."""

    __tablename__ = "link_codes"

    id: Mapped[int] = mapped_column(BigID, primary_key=True)
    room_id: Mapped[int] = mapped_column(BigID, ForeignKey("rooms.id", ondelete="CASCADE"))
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    rule_version: Mapped[int] = mapped_column(Integer)
    provider: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    used_by_id: Mapped[int | None] = mapped_column(BigID, ForeignKey("actors.id", ondelete="SET NULL"))


class LoginLink(Base):
    """An account signed in to by an identity attribute (PUBHUB_LOGIN_ATTRIBUTE): only the
    attribute's keyed hash (HMAC with the instance's secret) is kept, never its value."""

    __tablename__ = "login_links"

    id: Mapped[int] = mapped_column(BigID, primary_key=True)
    actor_id: Mapped[int] = mapped_column(BigID, ForeignKey("actors.id", ondelete="CASCADE"), unique=True)
    provider: Mapped[str] = mapped_column(String(64))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ConsoleSession(Base):
    """A moderator signed in to the console (/admin): only the SHA-256 of the cookie's random
    token is kept, so a copy of the database signs nobody in. `password_stamp` ends it when the
    password changes; `expires_at` is fixed at sign-in (accounts/console_sessions.py)."""

    __tablename__ = "console_sessions"

    id: Mapped[int] = mapped_column(BigID, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[int] = mapped_column(BigID, ForeignKey("actors.id", ondelete="CASCADE"), index=True)
    password_stamp: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class AttributeVerification(Base):
    """What is kept of a proof: this actor satisfied this room's rule (at `rule_version`, through
    `provider`) until `satisfied_until`; never the attribute values."""

    __tablename__ = "attribute_verifications"

    id: Mapped[int] = mapped_column(BigID, primary_key=True)
    room_id: Mapped[int] = mapped_column(BigID, ForeignKey("rooms.id", ondelete="CASCADE"))
    actor_id: Mapped[int] = mapped_column(BigID, ForeignKey("actors.id", ondelete="CASCADE"), index=True)
    rule_version: Mapped[int] = mapped_column(Integer)
    provider: Mapped[str] = mapped_column(String(64))
    satisfied_until: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (UniqueConstraint("room_id", "actor_id", name="uq_attribute_verifications_pair"),)


class Statement(Base):
    """A statement of reasons (EU Digital Services Act, art. 17): why content or an account was
    removed or restricted, instance-wide or in a room. The facts, the ground (a rule, or a law),
    whether it was automated, and how to appeal; what it is about is named by id and, for a
    post that may be gone later, by URI. `reversed_at` is set when an appeal reverses it."""

    __tablename__ = "statements"

    id: Mapped[int] = mapped_column(BigID, primary_key=True)
    action: Mapped[str] = mapped_column(String(32))
    account_id: Mapped[int | None] = mapped_column(BigID, ForeignKey("actors.id", ondelete="SET NULL"), index=True)
    object_id: Mapped[int | None] = mapped_column(BigID, ForeignKey("objects.id", ondelete="SET NULL"), index=True)
    object_uri: Mapped[str | None] = mapped_column(String(2048))
    hub_id: Mapped[int | None] = mapped_column(BigID, ForeignKey("hubs.id", ondelete="SET NULL"))
    room_id: Mapped[int | None] = mapped_column(BigID, ForeignKey("rooms.id", ondelete="SET NULL"))
    report_id: Mapped[int | None] = mapped_column(BigID)
    moderator_id: Mapped[int | None] = mapped_column(BigID, ForeignKey("actors.id", ondelete="SET NULL"))
    facts: Mapped[str] = mapped_column(Text, default="")
    ground_kind: Mapped[str] = mapped_column(String(16))  # rule | room_rule | law
    ground: Mapped[str] = mapped_column(Text)  # the rule's text, or the law and its article
    automated: Mapped[bool] = mapped_column(Boolean, default=False)
    redress: Mapped[str] = mapped_column(Text)  # how to appeal
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    reversed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A removed post as it was (content, summary, source, attachments), kept for the appeal
    # period so that a reversal restores it (moderation/removals.py); None once purged.
    removed_content: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))


class Appeal(Base):
    """A local user's one appeal against a statement of reasons, decided by a moderator other
    than the one who took the decision: `pending`, then `upheld` or `reversed`."""

    __tablename__ = "appeals"

    id: Mapped[int] = mapped_column(BigID, primary_key=True)
    statement_id: Mapped[int] = mapped_column(BigID, ForeignKey("statements.id", ondelete="CASCADE"), unique=True)
    account_id: Mapped[int] = mapped_column(BigID, ForeignKey("actors.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), default="pending")
    decided_by_id: Mapped[int | None] = mapped_column(BigID, ForeignKey("actors.id", ondelete="SET NULL"))
    outcome: Mapped[str] = mapped_column(Text, default="")  # the deciding moderator's explanation
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AuditEntry(Base):
    """One admin or moderator action, appended and never changed: who (None: the instance's
    own policy), what, on which target, when, why, and its statement of reasons if any. The
    names are copied in so the record reads the same after an account is gone."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(BigID, primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(BigID, ForeignKey("actors.id", ondelete="SET NULL"), index=True)
    actor_name: Mapped[str] = mapped_column(String(255), default="")
    action: Mapped[str] = mapped_column(String(64), index=True)
    target_type: Mapped[str] = mapped_column(String(32))  # account | status | report | domain_block | room | hub | appeal | token | rule ...
    target_id: Mapped[str] = mapped_column(String(2048), default="")
    target: Mapped[str] = mapped_column(Text, default="")  # a readable name: acct, URI, domain
    hub_id: Mapped[int | None] = mapped_column(BigID, ForeignKey("hubs.id", ondelete="SET NULL"), index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    statement_id: Mapped[int | None] = mapped_column(BigID, ForeignKey("statements.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class Report(Base):
    """A report about an account (and some of its posts): from a local user (`source` local),
    from another server's `Flag` (`remote`: no reporter account, the reporter's domain and
    the Flag's `uri`, which deduplicates it), or a notice from the web form (`notice`).
    Resolved when `action_taken_at` is set; `forwarded` once sent on to the target's server."""

    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(BigID, primary_key=True)
    account_id: Mapped[int | None] = mapped_column(BigID, ForeignKey("actors.id", ondelete="SET NULL"), index=True)
    reporter_domain: Mapped[str | None] = mapped_column(String(255))
    target_account_id: Mapped[int] = mapped_column(BigID, ForeignKey("actors.id", ondelete="CASCADE"), index=True)
    status_ids: Mapped[list] = mapped_column(JSON, default=list)
    comment: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(16), default="other")  # other | spam | legal | violation
    rule_ids: Mapped[list] = mapped_column(JSON, default=list)
    forwarded: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(String(16), default="local")  # local | remote | notice
    assigned_account_id: Mapped[int | None] = mapped_column(BigID, ForeignKey("actors.id", ondelete="SET NULL"))
    action_taken_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    action_taken_by_id: Mapped[int | None] = mapped_column(BigID, ForeignKey("actors.id", ondelete="SET NULL"))
    uri: Mapped[str | None] = mapped_column(String(2048), unique=True)
    # A notice's: the exact URL reported, the law concerned (category legal), the notifier's
    # name and e-mail address when given, and a keyed hash of their address (floods).
    url: Mapped[str | None] = mapped_column(String(2048))
    law: Mapped[str | None] = mapped_column(String(300))
    reporter_name: Mapped[str | None] = mapped_column(String(200))
    reporter_email: Mapped[str | None] = mapped_column(String(320))
    reporter_address: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (Index("ix_reports_resolved", "action_taken_at", "id"),
                      Index("ix_reports_notices", "reporter_address", "created_at"))
