"""Origins (FEP-fe34) on their own: scheme://host[:port] of an http(s) URI, its host in lower
case, and nothing for any other scheme. The inbox tests reach these rules over HTTP, but their
peers live on http://127.0.0.1:port, so https ids, host case and other schemes are held here.

The written form matters beside the comparison: it is stored with each inbound activity
(activities.origin, which keeps one origin's activities in arrival order), and migration 0007
filled that column for waiting rows with its own copy of the rule, lower-cased."""

from __future__ import annotations

import pytest

from pubhub.activitypub.origins import origin, require_same_origin, same_origin
from pubhub.errors import RuleViolation


@pytest.mark.parametrize(("uri", "expected"), [
    ("https://social.example/users/alice", "https://social.example"),
    ("http://social.example:8080/users/alice", "http://social.example:8080"),
    ("https://Social.EXAMPLE/users/Alice", "https://social.example"),
    ("https://[2001:DB8::1]:8443/actor", "https://[2001:db8::1]:8443"),
])
def test_the_origin_of_an_http_uri_is_its_scheme_and_lower_cased_host(uri, expected):
    assert origin(uri) == expected


@pytest.mark.parametrize("uri", [
    "ftp://social.example/users/alice", "gopher://social.example/1", "did:key:z6Mk", "mailto:alice@social.example",
    "https:///users/alice", "/users/alice", "", "http://[::1",
])
def test_other_schemes_and_hostless_uris_have_no_origin(uri):
    assert origin(uri) is None


def test_ids_on_one_https_host_share_its_origin_whatever_the_case():
    assert same_origin("https://social.example/users/alice", "https://social.example/notes/1")
    assert same_origin("https://Social.Example/users/alice", "https://social.example/notes/1")
    require_same_origin("https://social.example/users/alice", "https://social.example/notes/1", "object")


@pytest.mark.parametrize(("a", "b"), [
    ("https://social.example/users/alice", "http://social.example/notes/1"),     # another scheme
    ("https://social.example/users/alice", "https://social.example:8443/n/1"),  # another port
    ("https://social.example/users/alice", "https://evil.example/notes/1"),
    ("https://social.example/users/alice", "https://social.example.evil.example/n/1"),
    ("ftp://social.example/users/alice", "ftp://social.example/notes/1"),       # no origin at all
    ("did:key:z6Mk", "did:key:z6Mk"),
    (None, None),
])
def test_different_or_missing_origins_are_not_the_same(a, b):
    assert not same_origin(a, b)
    with pytest.raises(RuleViolation, match="is not on the actor's origin$"):
        require_same_origin(a, b, "object")
