"""A local account's profile: display name, bio, fields, locked; changed by its owner and
federated as an `Update` of the actor."""

from __future__ import annotations

# Mastodon's limits (app/models/account.rb): display name 30, note 500, 4 fields of 255 each.
MAX_DISPLAY_NAME = 30
MAX_NOTE = 500
MAX_FIELDS = 4
MAX_FIELD_NAME = 255
MAX_FIELD_VALUE = 255
