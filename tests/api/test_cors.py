"""CORS as Mastodon sends it: any origin, never credentials, on /api/*, /oauth/token,
/oauth/revoke and /.well-known/* (refusals too, so browser apps can read them); preflights
answered with the methods and the headers asked for; nothing on the HTML pages."""

from __future__ import annotations

import pytest

ORIGIN = {"Origin": "https://elk.zone"}


async def _raw(instance, method: str, path: str, headers: dict):
    async with instance.http.request(method, instance.base + path, headers=headers, allow_redirects=False) as response:
        await response.read()
        return response.status, response.headers


@pytest.mark.parametrize("path, method, allowed", [
    ("/api/v1/statuses", "POST", "GET, POST, PUT, PATCH, DELETE, OPTIONS"),
    ("/api/v1/accounts/verify_credentials", "GET", "GET, POST, PUT, PATCH, DELETE, OPTIONS"),
    ("/oauth/token", "POST", "POST"),
    ("/oauth/revoke", "POST", "POST"),
    ("/.well-known/oauth-authorization-server", "GET", "GET"),
])
async def test_a_preflight_is_answered_with_the_methods_and_the_headers_asked_for(instance, path, method, allowed):
    status, headers = await _raw(instance, "OPTIONS", path, {
        **ORIGIN, "Access-Control-Request-Method": method,
        "Access-Control-Request-Headers": "authorization, content-type, idempotency-key"})
    assert status == 200
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert headers["Access-Control-Allow-Methods"] == allowed
    assert headers["Access-Control-Allow-Headers"] == "authorization, content-type, idempotency-key"
    assert headers["Access-Control-Max-Age"] == "7200"
    assert "Access-Control-Allow-Credentials" not in headers


async def test_answers_and_refusals_carry_cors_headers_without_credentials(instance):
    for method, path, expected in (("GET", "/api/v1/instance", 200), ("GET", "/api/v1/accounts/verify_credentials", 401),
                                   ("POST", "/oauth/token", 400), ("GET", "/.well-known/oauth-authorization-server", 200),
                                   ("GET", "/api/v1/no/such/thing", 404)):
        status, headers = await _raw(instance, method, path, ORIGIN)
        assert status == expected, path
        assert headers["Access-Control-Allow-Origin"] == "*", path
        assert "Link" in headers["Access-Control-Expose-Headers"]
        assert "Access-Control-Allow-Credentials" not in headers


@pytest.mark.parametrize("method, path", [("GET", "/oauth/authorize"), ("OPTIONS", "/oauth/authorize"),
                                          ("OPTIONS", "/oauth/sign_in"), ("GET", "/"), ("GET", "/@nobody")])
async def test_the_pages_get_no_cors_headers(instance, method, path):
    status, headers = await _raw(instance, method, path, {**ORIGIN, "Access-Control-Request-Method": "POST"})
    assert "Access-Control-Allow-Origin" not in headers
    assert "Access-Control-Allow-Methods" not in headers
