"""/api/v1/instance and /api/v2/instance in Mastodon 4.x's shapes, with and without a trailing
slash, carrying the operator's languages, rules and contact e-mail; and Mastodon.py (a real
client, in a thread, over HTTP) reading them and posting."""

from __future__ import annotations

import asyncio
import warnings

import pytest
from mastodon import Mastodon

from pubhub import __version__
from pubhub.config import Settings
from tests.support.instance import Instance

COMPATIBLE = f"4.3.0 (compatible; PubHub {__version__})"


@pytest.mark.parametrize("path", ["/api/v1/instance", "/api/v1/instance/"])
async def test_v1_instance_has_the_fields_apps_read(instance, path):
    admin = await instance.create_account("gemeente", role="admin", display_name="Gemeente")
    await instance.create_account("burger")
    status, body = await instance.request("GET", path)
    assert status == 200, body
    assert body["uri"] == body["domain"] == instance.domain
    assert body["title"] == "PubHub" and body["short_description"] and body["description"]
    assert body["version"] == COMPATIBLE
    assert body["stats"] == {"user_count": 2, "status_count": 0, "domain_count": 0}
    assert body["registrations"] is False and body["email"] == "" and body["urls"] == {"streaming_api": f"ws://{instance.domain}"}
    assert body["contact_account"]["id"] == str(admin.id) and body["contact_account"]["acct"] == "gemeente"
    limits = body["configuration"]["statuses"]
    assert limits == {"max_characters": 5000, "max_media_attachments": 4, "characters_reserved_per_url": 23}
    assert body["configuration"]["accounts"]["max_profile_fields"] == 4
    assert body["configuration"]["media_attachments"]["supported_mime_types"] == [
        "image/jpeg", "image/png", "image/webp", "image/gif"]
    assert body["configuration"]["polls"]["max_options"] == 4  # polls are taken (tests/social/test_polls.py)
    assert body["languages"] == ["en"] and body["rules"] == []  # the defaults


@pytest.mark.parametrize("path", ["/api/v2/instance", "/api/v2/instance/"])
async def test_v2_instance_has_the_fields_apps_read(instance, path):
    status, body = await instance.request("GET", path)
    assert status == 200, body
    assert body["domain"] == instance.domain and body["title"] == "PubHub" and body["version"] == COMPATIBLE
    assert body["api_versions"] == {"mastodon": 2}
    assert body["configuration"]["statuses"]["max_characters"] == 5000
    assert body["registrations"]["enabled"] is False
    assert body["contact"] == {"email": "", "account": None}  # no admin account yet
    assert body["usage"] == {"users": {"active_month": 0}}


async def test_the_real_limit_is_the_announced_one(instance):
    token = await instance.token_for(await instance.create_account("gemeente"))
    limit = (await instance.request("GET", "/api/v1/instance"))[1]["configuration"]["statuses"]["max_characters"]
    status, _ = await instance.request("POST", "/api/v1/statuses", token=token, json={"status": "x" * limit})
    assert status == 200
    status, body = await instance.request("POST", "/api/v1/statuses", token=token, json={"status": "x" * (limit + 1)})
    assert status == 422, body


async def test_head_is_answered_like_get(instance):
    for path in ("/api/v1/instance", "/api/v2/instance/"):
        async with instance.http.head(instance.base + path) as response:
            assert response.status == 200, path


@pytest.mark.parametrize("path", ["/api/v1/accounts/verify_credentials/", "/api/v1/statuses/"])
async def test_other_routes_take_a_trailing_slash(instance, path):
    token = await instance.token_for(await instance.create_account("gemeente"))
    method = "POST" if path == "/api/v1/statuses/" else "GET"
    status, body = await instance.request(method, path, token=token, json={"status": "Hallo"} if method == "POST" else None)
    assert status == 200, body


async def test_mastodon_py_detects_the_version_reads_the_instance_and_posts(instance):
    token = await instance.token_for(await instance.create_account("gemeente", role="admin"))

    def client_session():
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # e.g. "version >= 4.3.0 but no API version found"
            api = Mastodon(access_token=token, api_base_url=instance.base, version_check_mode="created",
                           request_timeout=10)
            about = api.instance()
            posted = api.status_post("Hallo vanuit Mastodon.py #test", visibility="unlisted", sensitive=True,
                                     spoiler_text="Test")
            fetched = api.status(posted["id"])
            return api.retrieve_mastodon_version(), about, posted, fetched

    version, about, posted, fetched = await asyncio.to_thread(client_session)
    print(f"Mastodon.py detected version {version}; instance title {about['title']!r}")
    assert version == "4.3.0"
    assert about["configuration"]["statuses"]["max_characters"] == 5000
    assert posted["visibility"] == "unlisted" and posted["sensitive"] is True and posted["spoiler_text"] == "Test"
    assert posted["content"].startswith("<p>Hallo vanuit Mastodon.py")
    assert fetched["id"] == posted["id"]


RULES = """# Huisregels van Gemeente Oost
Be respectful.
    No insults, no threats; moderators remove them.

Only Dutch or English.
Stay on topic.
    This hub is about the municipality's services.
    Commercial posts are removed.
"""


@pytest.fixture
async def configured(database_url, tmp_path):
    """An instance configured as an operator does: variables, and a rules file."""
    rules = tmp_path / "rules.txt"
    rules.write_text(RULES)
    read = Settings.from_env({"PUBHUB_LANGUAGES": "nl, EN", "PUBHUB_CONTACT_EMAIL": "info@oost.example",
                              "PUBHUB_RULES_FILE": str(rules)}, env_file=None)
    server = await Instance(database_url, languages=read.languages, contact_email=read.contact_email,
                            rules=read.rules, rules_file=read.rules_file).start()
    yield server
    await server.stop()


EXPECTED_RULES = [
    {"id": "1", "text": "Be respectful.", "hint": "No insults, no threats; moderators remove them."},
    {"id": "2", "text": "Only Dutch or English.", "hint": ""},
    {"id": "3", "text": "Stay on topic.",
     "hint": "This hub is about the municipality's services. Commercial posts are removed."},
]


async def test_languages_rules_and_contact_email_come_from_the_configuration(configured):
    status, v1 = await configured.request("GET", "/api/v1/instance")
    assert status == 200, v1
    assert v1["languages"] == ["nl", "en"] and v1["rules"] == EXPECTED_RULES and v1["email"] == "info@oost.example"
    status, v2 = await configured.request("GET", "/api/v2/instance/")
    assert status == 200, v2
    assert v2["languages"] == ["nl", "en"] and v2["rules"] == EXPECTED_RULES
    assert v2["contact"] == {"email": "info@oost.example", "account": None}
    for path in ("/api/v1/instance/rules", "/api/v1/instance/rules/"):
        assert await configured.request("GET", path) == (200, EXPECTED_RULES)


async def test_mastodon_py_reads_the_languages_rules_and_contact(configured):
    def client_session():
        api = Mastodon(api_base_url=configured.base, version_check_mode="created", request_timeout=10)
        return api.instance(), api.instance_v1(), api.instance_rules()

    v2, v1, rules = await asyncio.to_thread(client_session)
    assert v2["languages"] == ["nl", "en"] and v2["contact"]["email"] == "info@oost.example"
    assert v1["email"] == "info@oost.example" and v1["languages"] == ["nl", "en"]
    assert [(rule["id"], rule["text"], rule["hint"]) for rule in rules] == [
        (rule["id"], rule["text"], rule["hint"]) for rule in EXPECTED_RULES]
    assert [rule["text"] for rule in v2["rules"]] == [rule["text"] for rule in EXPECTED_RULES]
