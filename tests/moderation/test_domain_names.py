"""Domain names as blocks name them: one normal form, and subdomains covered."""

from __future__ import annotations

import pytest

from pubhub.errors import BadRequest
from pubhub.moderation.domain_names import host_of, normalize_domain
from pubhub.policy import covering


@pytest.mark.parametrize("typed, normal", [
    ("Example.COM.", "example.com"), ("  social.example  ", "social.example"), ("münchen.de", "xn--mnchen-3ya.de"),
    ("MÜNCHEN.DE", "xn--mnchen-3ya.de"), ("xn--mnchen-3ya.de", "xn--mnchen-3ya.de"), ("a_b.example", "a_b.example"),
    ("127.0.0.2", "127.0.0.2"), ("[::1]", "::1"),
])
def test_one_normal_form(typed, normal):
    assert normalize_domain(typed) == normal


@pytest.mark.parametrize("typed", ["", "https://example.com", "example.com:443", "*.example.com", "a..b", "-a.example",
                                   "exa mple.com", "a" * 64 + ".com"])
def test_what_is_no_domain_is_refused(typed):
    with pytest.raises(BadRequest):
        normalize_domain(typed)


def test_a_block_covers_the_domain_and_its_subdomains_only():
    blocked = ["example.com"]
    assert covering("example.com", blocked) == "example.com"
    assert covering("social.example.com", blocked) == "example.com"
    assert covering("badexample.com", blocked) is None
    assert covering("example.com.evil", blocked) is None
    assert covering("", blocked) is None
    assert covering("127.0.0.2", ["0.2"]) is None and covering("127.0.0.2", ["127.0.0.2"]) == "127.0.0.2"


def test_the_host_of_a_url_drops_port_case_and_trailing_dot():
    assert host_of("https://Social.Example.COM.:8443/users/a") == "social.example.com"
    assert host_of("https://münchen.de/users/a") == "xn--mnchen-3ya.de"
    assert host_of("not a url") == "" and host_of(None) == ""
