"""Where our own things live. One place, so every module agrees on the URL scheme."""

from __future__ import annotations

import secrets
from dataclasses import dataclass


@dataclass(frozen=True)
class Urls:
    base: str
    media_base: str | None = None  # where media files are public (a bucket's), if not here


    def actor(self, username: str) -> str:
        return f"{self.base}/users/{username}"

    def instance_actor(self) -> str:
        return f"{self.base}/actor"

    def key_id(self, actor_uri: str) -> str:
        return f"{actor_uri}#main-key"

    def inbox(self, actor_uri: str) -> str:
        return f"{actor_uri}/inbox"

    def outbox(self, actor_uri: str) -> str:
        return f"{actor_uri}/outbox"

    def followers(self, actor_uri: str) -> str:
        return f"{actor_uri}/followers"

    def following(self, actor_uri: str) -> str:
        return f"{actor_uri}/following"

    def featured(self, actor_uri: str) -> str:
        """An account's pinned notes (Mastodon's `featured` collection)."""
        return f"{actor_uri}/collections/featured"

    def shared_inbox(self) -> str:
        return f"{self.base}/inbox"

    def profile_page(self, username: str) -> str:
        return f"{self.base}/@{username}"

    def note(self, username: str, note_id: int) -> str:
        return f"{self.actor(username)}/statuses/{note_id}"

    def note_page(self, username: str, note_id: int) -> str:
        return f"{self.profile_page(username)}/{note_id}"

    def create_activity(self, note_uri: str) -> str:
        return f"{note_uri}/activity"

    def new_activity(self, actor_uri: str, kind: str) -> str:
        """A fresh id for an activity that has no object of its own (Follow, Accept, Undo...)."""
        return f"{actor_uri}#{kind.lower()}s/{secrets.token_hex(12)}"

    def media_file(self, name: str) -> str:
        return f"{self.media_base}/{name}" if self.media_base else f"{self.base}/media/{name}"

    def tag(self, name: str) -> str:
        return f"{self.base}/tags/{name}"

    def is_local(self, uri: str | None) -> bool:
        return bool(uri) and (uri == self.base or uri.startswith(self.base + "/"))
