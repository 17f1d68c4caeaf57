"""Moderation of the instance as a whole: domain blocks (and, with the admin API, accounts and
reports). Rooms moderate themselves in pubhub.rooms."""
