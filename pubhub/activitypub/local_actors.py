"""What makes one of our accounts an ActivityPub actor: its endpoints and its RSA key pair."""

from __future__ import annotations

from .signatures import generate_key_pair
from .urls import Urls


def local_actor_values(urls: Urls, uri: str) -> dict:
    """Columns for a new local actor with id `uri`: inbox, outbox, collections, a fresh key."""
    private_pem, public_pem = generate_key_pair()
    return {
        "uri": uri, "local": True,
        "inbox": urls.inbox(uri), "shared_inbox": urls.shared_inbox(), "outbox": urls.outbox(uri),
        "followers_url": urls.followers(uri), "following_url": urls.following(uri),
        "public_key_id": urls.key_id(uri), "public_key_pem": public_pem, "private_key_pem": private_pem,
    }
