"""Mastodon-compatible client API (bearer tokens)."""
