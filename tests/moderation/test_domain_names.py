"""Domain names as blocks name them: one normal form, and subdomains covered."""

from __future__ import annotations

import pytest

from pubhub.errors import BadRequest
from pubhub.moderation import domain_names
from pubhub.moderation.domain_names import host_of, normalize_domain
from pubhub.policy import covering


@pytest.fixture(autouse=True)
def fresh_hosts():
    """Each test asks the rule itself, not what an earlier caller left in host_of's cache."""
    domain_names._host_of.cache_clear()


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


def test_a_name_is_at_most_253_characters_and_a_label_63():
    longest = ".".join(["a" * 63, "b" * 63, "c" * 63, "d" * 61])
    assert len(longest) == 253 and normalize_domain(longest) == longest
    assert normalize_domain(longest + ".") == longest  # the root's dot is not counted
    for too_long in (longest + "d", "e" * 64 + ".example"):
        with pytest.raises(BadRequest, match="^not a domain name: "):
            normalize_domain(too_long)


def test_an_international_name_is_mapped_as_browsers_do_or_refused_with_the_reason():
    assert normalize_domain("ｅｘａｍｐｌｅ．ｃｏｍ") == "example.com"  # full-width letters and dot (UTS 46)
    assert normalize_domain("Straße.de") == "xn--strae-oqa.de"
    with pytest.raises(BadRequest, match=r"^not a domain name: '☃\.com' \(Codepoint U\+2603"):
        normalize_domain("☃.com")


@pytest.mark.parametrize("typed, problem", [
    ("", "a domain is required"), (" . ", "a domain is required"), (None, "a domain is required"),
    ("https://example.com", "not a domain name: 'https://example.com'"),
])
def test_the_refusal_says_why(typed, problem):
    with pytest.raises(BadRequest) as refused:
        normalize_domain(typed)
    assert refused.value.message == problem


def test_the_host_of_anything_without_a_usable_host_is_empty():
    assert host_of("https://[2001:DB8::1]:8443/users/a") == "2001:db8::1"
    for url in ("http://[::1", "mailto:alice@social.example", "https://exa mple.com/a", "/users/a", 42):
        assert host_of(url) == "", url


def test_the_first_covering_block_is_named_and_an_address_is_covered_only_by_itself():
    assert covering("a.b.example.com", ["other.example", "b.example.com", "example.com"]) == "b.example.com"
    assert covering("a.b.example.com", ["other.example", "example.com"]) == "example.com"
    assert covering("2001:db8::1", ["db8::1", "2001:db8::1"]) == "2001:db8::1"
    assert covering("10.0.0.1", ["0.0.1", "0.1"]) is None
    assert covering("example.com", []) is None
