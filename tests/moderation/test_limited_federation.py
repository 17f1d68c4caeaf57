"""Limited federation (PUBHUB_LIMITED_FEDERATION, Mastodon's allow-list mode), over real HTTP:
only the servers in the domain allows get in, are fetched from and are delivered to. The
allowed server is a peer on 127.0.0.3, the other one on 127.0.0.2 (other hosts on the loopback
network; the instance itself is on 127.0.0.1)."""

from __future__ import annotations

import pytest

from tests.support import store
from tests.support.instance import Instance
from tests.support.peer import RemotePeer

ALLOWS = "/api/v1/admin/domain_allows"


@pytest.fixture
async def limited(database_url):
    server = await Instance(database_url, limited_federation=True).start()
    yield server
    await server.stop()


@pytest.fixture
async def peers():
    allowed, other = await RemotePeer(host="127.0.0.3").start(), await RemotePeer(host="127.0.0.2").start()
    yield allowed, other
    await allowed.stop()
    await other.stop()


@pytest.fixture
async def agency(limited):
    gemeente = await limited.create_account("gemeente")
    token = await limited.token_for(gemeente)
    status, post = await limited.request("POST", "/api/v1/statuses", token=token, json={"status": "Nieuw beleid"})
    assert status == 200
    admin = await limited.token_for(await limited.create_account("beheerder", role="admin"), "admin:read admin:write")
    return token, post, admin


async def _allow(instance, admin: str, domain: str) -> dict:
    status, allow = await instance.request("POST", ALLOWS, token=admin, json={"domain": domain})
    assert status == 200, allow
    return allow


async def test_only_an_allowed_server_gets_in(limited, peers, agency):
    allowed, other = peers
    token, post, admin = agency
    await _allow(limited, admin, "127.0.0.3")
    alice, mallory = allowed.add_actor("alice"), other.add_actor("mallory")

    status, _ = await allowed.post(f"{limited.base}/inbox", allowed.activity("Like", alice, post["uri"]), alice)
    assert status == 202
    reply = other.note(mallory, "<p>Hallo</p>", in_reply_to=post["uri"])
    status, body = await other.post(f"{limited.base}/inbox", other.create(mallory, reply), mallory)
    assert status == 403 and "limited federation" in body["error"]
    await limited.settle()

    assert other.fetches == []  # not even mallory's key was fetched
    assert await store.actor(limited, mallory.uri) is None and await store.note(limited, reply["id"]) is None
    status, shown = await limited.request("GET", f"/api/v1/statuses/{post['id']}", token=token)
    assert shown["favourites_count"] == 1


async def test_nothing_is_fetched_from_or_delivered_to_a_server_not_allowed(limited, peers, agency):
    allowed, other = peers
    token, post, admin = agency
    await _allow(limited, admin, "127.0.0.3")
    other.add_actor("mallory")
    status, found = await limited.request("GET", "/api/v2/search", token=token,
                                          params={"q": f"@mallory@{other.domain}", "resolve": "true"})
    assert found.get("accounts", []) == []
    assert other.fetches == []

    status, _ = await limited.request("POST", "/api/v1/statuses", token=token,
                                      json={"status": f"Hallo @mallory@{other.domain}", "visibility": "direct"})
    await limited.settle()
    assert other.fetches == [] and other.received == []
    assert await store.count(limited, store.Delivery, store.Delivery.inbox.startswith(other.base)) == 0


async def test_taking_an_allow_away_cuts_the_server_off(limited, peers, agency):
    allowed, _other = peers
    token, post, admin = agency
    allow = await _allow(limited, admin, "127.0.0.3")
    alice = allowed.add_actor("alice")
    follow = allowed.activity("Follow", alice, f"{limited.base}/users/gemeente")
    assert (await allowed.post(f"{limited.base}/inbox", follow, alice))[0] == 202
    await limited.settle()
    assert await store.count(limited, store.Follow) == 1

    status, _ = await limited.request("DELETE", f"{ALLOWS}/{allow['id']}", token=admin)
    assert status == 200
    assert await store.count(limited, store.Follow) == 0
    status, body = await allowed.post(f"{limited.base}/inbox", allowed.activity("Like", alice, post["uri"]), alice)
    assert status == 403
    allowed.received.clear()
    await limited.request("POST", "/api/v1/statuses", token=token, json={"status": "Voor de volgers"})
    await limited.settle()
    assert allowed.received == []
    status, log = await limited.request("GET", "/api/v1/pubhub/audit_log", token=admin)
    assert [entry["action"] for entry in log][:2] == ["domain_allow.delete", "domain_allow.create"]


async def test_an_allow_covers_subdomains_and_is_normalised(limited, agency):
    _token, _post, admin = agency
    allow = await _allow(limited, admin, "Social.Example.")
    assert allow["domain"] == "social.example"
    again = await _allow(limited, admin, "social.example")  # Mastodon answers the existing allow
    assert again["id"] == allow["id"]
    policy = limited.runtime.policy
    assert (await policy.fetch("https://social.example/users/a")).allowed
    assert (await policy.fetch("https://eu.social.example/users/a")).allowed
    assert (await policy.fetch("https://notsocial.example/users/a")).refused
    assert (await policy.fetch(f"{limited.base}/users/gemeente")).allowed  # ourselves


async def test_without_limited_federation_allows_are_only_recorded(instance, peer):
    admin = await instance.token_for(await instance.create_account("beheerder", role="admin"), "admin:read admin:write")
    await _allow(instance, admin, "elsewhere.example")
    alice = peer.add_actor("alice")
    account = f"{instance.base}/users/beheerder"
    assert (await peer.post(f"{instance.base}/inbox", peer.activity("Follow", alice, account), alice))[0] == 202
    status, v2 = await instance.request("GET", "/api/v2/instance")
    assert v2["configuration"]["limited_federation"] is False


async def test_the_instance_says_it_is_limited(limited):
    status, v2 = await limited.request("GET", "/api/v2/instance")
    assert status == 200 and v2["configuration"]["limited_federation"] is True


@pytest.mark.parametrize("who, scopes", [
    ("moderator", "admin:read admin:write"),  # Manage Federation is not granted to moderators by default
    ("user", "read write follow"),
    ("admin", "admin:read"),
])
async def test_only_who_manages_federation_may_allow(limited, who, scopes):
    token = await limited.token_for(await limited.create_account(f"{who}_1", role=who), scopes)
    status, body = await limited.request("POST", ALLOWS, token=token, json={"domain": "social.example"})
    assert status == 403 and "error" in body
    assert await store.count(limited, store.DomainAllow) == 0


async def test_a_moderator_granted_manage_federation_may(limited):
    admin = await limited.token_for(await limited.create_account("beheerder", role="admin"), "admin:read admin:write")
    status, _ = await limited.request("PUT", "/api/v1/pubhub/roles/moderator", token=admin,
                                      json={"permissions": ["manage_federation"]})
    assert status == 200
    moderator = await limited.token_for(await limited.create_account("moderator_1", role="moderator"),
                                        "admin:read admin:write")
    status, allow = await limited.request("POST", ALLOWS, token=moderator, json={"domain": "social.example"})
    assert status == 200
    status, listed = await limited.request("GET", ALLOWS, token=moderator)
    assert [a["domain"] for a in listed] == ["social.example"]


async def test_a_bad_domain_is_refused(limited, agency):
    _token, _post, admin = agency
    status, body = await limited.request("POST", ALLOWS, token=admin, json={"domain": "https://social.example/"})
    assert status in (400, 422) and "not a domain name" in body["error"]
    assert await store.count(limited, store.DomainAllow) == 0
    status, body = await limited.request("GET", f"{ALLOWS}/12345", token=admin)
    assert status == 404 and body == {"error": "Record not found"}


async def test_a_refusal_names_the_server_not_federated_with(limited, peers, agency):
    """The sender reads why in the 403 and the operator in the log: the server's host, or that
    the address has none."""
    _allowed, other = peers
    _token, post, _admin = agency
    mallory = other.add_actor("mallory")
    status, body = await other.post(f"{limited.base}/inbox", other.activity("Like", mallory, post["uri"]), mallory)
    assert status == 403
    assert body["error"] == ("refused: the sender is on a server this instance does not federate with"
                             " (127.0.0.2: limited federation)")
    refused = await limited.runtime.policy.fetch("urn:uuid:5f1c0c52")
    assert refused.reason == "the document is on a server this instance does not federate with (no host: limited federation)"
