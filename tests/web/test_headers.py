"""The security headers: every HTML page, error pages included, carries a strict
Content-Security-Policy (nothing but its own inline style, hashed, and our favicon), may not be
framed, keeps the Referer to our own origin and forbids sniffing; every other answer forbids
sniffing too."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest

PAGES = [("/", 200), ("/@gemeente", 200), ("/users/gemeente", 200), ("/@gemeente/{id}", 200),
         ("/users/gemeente/statuses/{id}", 200), ("/tags/afval", 200),
         ("/@nobody", 404), ("/no/such/route", 404), ("/@gemeente/1", 404)]


@pytest.fixture
async def note_id(instance):
    token = await instance.token_for(await instance.create_account("gemeente"))
    status, body = await instance.request("POST", "/api/v1/statuses", token=token, json={"status": "Ophalen #afval"})
    assert status == 200, body
    return body["id"]


async def fetch(instance, path: str, accept: str = "text/html", method: str = "GET") -> tuple[int, dict, str]:
    async with instance.http.request(method, instance.base + path, headers={"Accept": accept}) as response:
        return response.status, response.headers, (await response.read()).decode(errors="replace")


def style_source(page: str) -> str:
    """The CSP source that allows the page's one inline <style> block, worked out from the page."""
    [style] = re.findall(r"<style>(.*?)</style>", page, re.DOTALL)
    return "'sha256-" + base64.b64encode(hashlib.sha256(style.encode()).digest()).decode() + "'"


@pytest.mark.parametrize("path, expected", PAGES)
async def test_every_page_carries_a_strict_policy_and_no_framing(instance, note_id, path, expected):
    status, headers, page = await fetch(instance, path.format(id=note_id))
    assert status == expected and headers["Content-Type"].startswith("text/html")
    policy = dict(part.strip().split(" ", 1) for part in headers["Content-Security-Policy"].split(";"))
    assert policy == {"default-src": "'none'", "style-src": style_source(page), "img-src": "'self'",
                      "base-uri": "'none'", "form-action": "'none'", "frame-ancestors": "'none'"}
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    # What the policy would block is not there to be blocked: no scripts, styles in attributes,
    # images (but the favicon), frames or forms.
    for needed in ("<script", " style=", "<img", "<iframe", "<form", " src="):
        assert needed not in page, needed


@pytest.mark.parametrize("method, path, accept, status", [
    ("GET", "/users/gemeente", "application/activity+json", 200),
    ("GET", "/users/gemeente/outbox", "application/activity+json", 200),
    ("GET", "/.well-known/webfinger?resource=acct:gemeente@{domain}", "application/jrd+json", 200),
    ("GET", "/api/v1/instance", "application/json", 200),
    ("GET", "/api/v1/accounts/verify_credentials", "application/json", 401),
    ("GET", "/@nobody", "application/json", 404),
    ("GET", "/no/such/route", "*/*", 404),
    ("GET", "/api/v1/no/such/route", "text/html", 404),
    ("GET", "/", "application/json", 406),
    ("GET", "/@gemeente.rss", "application/rss+xml", 200),
    ("GET", "/robots.txt", "text/plain", 200),
    ("GET", "/favicon.ico", "image/*", 200),
    ("POST", "/inbox", "application/activity+json", 401),
])
async def test_every_other_answer_forbids_sniffing(instance, note_id, method, path, accept, status):
    got, headers, _ = await fetch(instance, path.format(domain=instance.domain), accept, method)
    assert got == status
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert not headers["Content-Type"].startswith("text/html")
