"""What browsers and remote servers read: profile and post pages, actor and note documents
(content negotiation), WebFinger, host-meta, NodeInfo, and the follower collections."""

from __future__ import annotations

import pytest

AP_JSON = "application/activity+json"
LD_JSON = 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"'
AS = "https://www.w3.org/ns/activitystreams"


@pytest.fixture
async def gemeente(instance):
    account = await instance.create_account("gemeente", display_name="Gemeente <Nijmegen>")
    return await instance.token_for(account)


async def get(instance, path: str, accept: str | None = None, **params) -> tuple[int, dict, str]:
    headers = {"Accept": accept} if accept else {}
    async with instance.http.get(instance.base + path, headers=headers, params=params, allow_redirects=False) as response:
        return response.status, dict(response.headers), await response.text()


async def post(instance, token, **fields) -> dict:
    status, body = await instance.request("POST", "/api/v1/statuses", token=token, json=fields)
    assert status == 200, body
    return body


# ---- profile and post pages, and their documents ------------------------------------------------

async def test_profile_page_for_browsers_shows_recent_public_posts_escaped(instance, gemeente):
    await post(instance, gemeente, status="Openbaar <script>alert(1)</script> bericht")
    await post(instance, gemeente, status="Stil bericht", visibility="unlisted")
    await post(instance, gemeente, status="Alleen volgers", visibility="private")
    removed = await post(instance, gemeente, status="Verwijderd bericht")
    await instance.request("DELETE", f"/api/v1/statuses/{removed['id']}", token=gemeente)

    for path, accept in (("/users/gemeente", "text/html"), ("/users/gemeente", "text/html,application/xhtml+xml,*/*;q=0.8"),
                         ("/users/gemeente", None), ("/@gemeente", "text/html")):
        status, headers, page = await get(instance, path, accept)
        assert status == 200, (path, accept)
        assert headers["Content-Type"].startswith("text/html")
        varies = {field.strip() for field in headers["Vary"].split(",")}
        assert varies == ({"Accept-Language"} if path == "/@gemeente" else {"Accept", "Accept-Language"})
        assert "Gemeente &lt;Nijmegen&gt;" in page and "<Nijmegen>" not in page
        assert f"@gemeente@{instance.domain}" in page
        assert "Openbaar &lt;script&gt;alert(1)&lt;/script&gt; bericht" in page
        assert "<script" not in page
        for hidden in ("Stil bericht", "Alleen volgers", "Verwijderd bericht"):
            assert hidden not in page
        assert f'<link rel="alternate" type="application/activity+json" href="{instance.base}/users/gemeente">' in page


@pytest.mark.parametrize("accept", [AP_JSON, LD_JSON, f"{LD_JSON}, {AP_JSON}", "application/activity+json; charset=utf-8"])
async def test_actor_document_for_servers(instance, gemeente, accept):
    status, headers, _ = await get(instance, "/users/gemeente", accept)
    assert status == 200
    assert headers["Content-Type"].startswith(AP_JSON)
    assert "Accept" in headers.get("Vary", "")  # one URL, two representations: caches must know
    status, actor = await instance.get_ap("/users/gemeente")
    base = f"{instance.base}/users/gemeente"
    assert actor["@context"][0] == AS
    assert actor["id"] == base and actor["type"] == "Person"
    assert actor["preferredUsername"] == "gemeente" and actor["name"] == "Gemeente <Nijmegen>"
    assert actor["url"] == f"{instance.base}/@gemeente"
    assert actor["inbox"] == f"{base}/inbox" and actor["outbox"] == f"{base}/outbox"
    assert actor["followers"] == f"{base}/followers" and actor["following"] == f"{base}/following"
    assert actor["endpoints"] == {"sharedInbox": f"{instance.base}/inbox"}
    key = actor["publicKey"]
    assert key["id"] == f"{base}#main-key" and key["owner"] == base
    assert key["publicKeyPem"].startswith("-----BEGIN PUBLIC KEY-----")


async def test_unknown_accounts_are_404_for_browsers_and_servers(instance, gemeente):
    for path in ("/users/niemand", "/@niemand", "/users/niemand/outbox", "/users/niemand/followers"):
        for accept in ("text/html", AP_JSON):
            status, _, _ = await get(instance, path, accept)
            assert status == 404, (path, accept)
    # The instance actor is an Application, not a profile.
    status, _, _ = await get(instance, f"/users/{instance.domain}", AP_JSON)
    assert status == 404


async def test_post_page_and_note_document(instance, gemeente):
    created = await post(instance, gemeente, status="Lees het <b>raadsbesluit</b> #begroting", spoiler_text="Besluit")
    note_id = created["id"]

    status, headers, page = await get(instance, f"/@gemeente/{note_id}", "text/html")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "Lees het &lt;b&gt;raadsbesluit&lt;/b&gt;" in page and "<b>" not in page and "Besluit" in page
    assert f'<link rel="alternate" type="application/activity+json" href="{created["uri"]}">' in page
    status, _, same = await get(instance, f"/users/gemeente/statuses/{note_id}", "text/html")
    assert status == 200 and "raadsbesluit" in same

    for accept in (AP_JSON, LD_JSON):
        status, headers, _ = await get(instance, f"/users/gemeente/statuses/{note_id}", accept)
        assert status == 200 and headers["Content-Type"].startswith(AP_JSON)
    status, note = await instance.get_ap(created["uri"])
    assert note["@context"][0] == AS
    assert note["id"] == created["uri"] and note["type"] == "Note"
    assert note["attributedTo"] == f"{instance.base}/users/gemeente"
    assert note["content"] == created["content"] and note["summary"] == "Besluit" and note["sensitive"] is True
    assert note["url"] == f"{instance.base}/@gemeente/{note_id}"
    assert note["to"] == [f"{AS}#Public"] and note["cc"] == [f"{instance.base}/users/gemeente/followers"]
    assert note["inReplyTo"] is None and note["published"].endswith("Z")

    status, activity = await instance.get_ap(f"{created['uri']}/activity")
    assert status == 200 and activity["type"] == "Create" and activity["object"]["id"] == created["uri"]


async def test_private_and_deleted_posts_are_not_served(instance, gemeente):
    private = await post(instance, gemeente, status="Alleen volgers", visibility="private")
    removed = await post(instance, gemeente, status="Weg")
    await instance.request("DELETE", f"/api/v1/statuses/{removed['id']}", token=gemeente)
    other = await instance.token_for(await instance.create_account("ander"))
    theirs = await post(instance, other, status="Van een ander")

    for path, expected in ((f"/users/gemeente/statuses/{private['id']}", 404), (f"/users/gemeente/statuses/{removed['id']}", 410),
                           (f"/users/gemeente/statuses/{theirs['id']}", 404), ("/users/gemeente/statuses/1", 404),
                           ("/users/gemeente/statuses/" + "9" * 19, 404), ("/users/gemeente/statuses/" + "9" * 30, 404)):
        for accept in (AP_JSON, "text/html"):
            status, _, body = await get(instance, path, accept)
            assert status == expected, (path, accept)
            assert "Alleen volgers" not in body
        status, _, _ = await get(instance, path.replace("/users/gemeente/statuses/", "/@gemeente/"), "text/html")
        assert status == expected, path
        status, _, _ = await get(instance, path + "/activity", AP_JSON)
        assert status == expected, path


# ---- discovery --------------------------------------------------------------------------------

async def test_webfinger_by_acct_and_by_actor_url(instance, gemeente):
    actor_uri = f"{instance.base}/users/gemeente"
    for resource in (f"acct:gemeente@{instance.domain}", f"acct:GEMEENTE@{instance.domain}", actor_uri,
                     f"{instance.base}/@gemeente"):
        status, headers, _ = await get(instance, "/.well-known/webfinger", resource=resource)
        assert status == 200, resource
        assert headers["Content-Type"].startswith("application/jrd+json")
        status, body = await instance.request("GET", "/.well-known/webfinger", params={"resource": resource})
        assert body["subject"] == f"acct:gemeente@{instance.domain}"
        assert actor_uri in body["aliases"]
        assert {"rel": "self", "type": AP_JSON, "href": actor_uri} in body["links"]
        assert {"rel": "http://webfinger.net/rel/profile-page", "type": "text/html",
                "href": f"{instance.base}/@gemeente"} in body["links"]


async def test_webfinger_finds_the_instance_actor_like_mastodon(instance):
    status, body = await instance.request("GET", "/.well-known/webfinger",
                                          params={"resource": f"acct:{instance.domain}@{instance.domain}"})
    assert status == 200
    assert {"rel": "self", "type": AP_JSON, "href": f"{instance.base}/actor"} in body["links"]


@pytest.mark.parametrize("params, expected", [
    ({"resource": "acct:niemand@{domain}"}, 404),
    ({"resource": "acct:gemeente@elders.example"}, 404),
    ({"resource": "{base}/users/niemand"}, 404),
    ({"resource": "https://elders.example/users/gemeente"}, 404),
    ({}, 400),
    ({"resource": ""}, 400),
])
async def test_webfinger_refusals(instance, gemeente, params, expected):
    params = {k: v.format(domain=instance.domain, base=instance.base) for k, v in params.items()}
    status, body = await instance.request("GET", "/.well-known/webfinger", params=params)
    assert status == expected and body["error"]


async def test_host_meta(instance):
    status, headers, body = await get(instance, "/.well-known/host-meta")
    assert status == 200 and headers["Content-Type"].startswith("application/xrd+xml")
    assert f'template="{instance.base}/.well-known/webfinger?resource={{uri}}"' in body
    assert 'rel="lrdd"' in body


async def test_nodeinfo_links_and_documents(instance, gemeente):
    await post(instance, gemeente, status="Een")
    await post(instance, gemeente, status="Twee", visibility="private")
    status, links = await instance.request("GET", "/.well-known/nodeinfo")
    assert status == 200
    assert links["links"] == [
        {"rel": "http://nodeinfo.diaspora.software/ns/schema/2.0", "href": f"{instance.base}/nodeinfo/2.0"},
        {"rel": "http://nodeinfo.diaspora.software/ns/schema/2.1", "href": f"{instance.base}/nodeinfo/2.1"},
    ]
    for version in ("2.0", "2.1"):
        status, headers, _ = await get(instance, f"/nodeinfo/{version}")
        assert status == 200 and headers["Content-Type"].startswith("application/json")
        status, document = await instance.request("GET", f"/nodeinfo/{version}")
        assert document["version"] == version
        assert document["software"]["name"] == "pubhub" and document["software"]["version"]
        assert ("repository" in document["software"]) == (version == "2.1")
        assert document["protocols"] == ["activitypub"]
        assert document["openRegistrations"] is False
        assert document["usage"]["users"]["total"] == 1  # the instance actor is not a user
        assert document["usage"]["localPosts"] == 2
    status, _ = await instance.request("GET", "/nodeinfo/2.2")
    assert status == 404


# ---- collections --------------------------------------------------------------------------------

async def test_followers_and_following_collections_page(instance, peer, gemeente):
    followers = [peer.add_actor(f"volger{n}") for n in range(21)]
    for actor in followers:
        status, _ = await peer.post(f"{instance.base}/inbox", peer.activity("Follow", actor, f"{instance.base}/users/gemeente"), actor)
        assert status == 202
    await instance.settle()
    burger = await instance.token_for(await instance.create_account("burger"))
    status, account = await instance.request("GET", "/api/v1/accounts/lookup", token=burger, params={"acct": "gemeente"})
    status, _ = await instance.request("POST", f"/api/v1/accounts/{account['id']}/follow", token=burger)
    assert status == 200

    collection_id = f"{instance.base}/users/gemeente/followers"
    status, collection = await instance.get_ap("/users/gemeente/followers")
    assert status == 200
    assert collection["type"] == "OrderedCollection" and collection["id"] == collection_id
    assert collection["totalItems"] == 22 and collection["first"] == f"{collection_id}?page=1"
    status, first = await instance.get_ap(collection["first"])
    assert first["type"] == "OrderedCollectionPage" and first["partOf"] == collection_id
    assert first["totalItems"] == 22 and len(first["orderedItems"]) == 20 and "prev" not in first
    status, second = await instance.get_ap(first["next"])
    assert len(second["orderedItems"]) == 2 and "next" not in second and second["prev"] == f"{collection_id}?page=1"
    members = first["orderedItems"] + second["orderedItems"]
    assert members[0] == f"{instance.base}/users/burger"  # newest first
    assert sorted(members[1:]) == sorted(a.uri for a in followers)

    status, following = await instance.get_ap("/users/burger/following?page=1")
    assert status == 200 and following["totalItems"] == 1
    assert following["orderedItems"] == [f"{instance.base}/users/gemeente"]
    status, nobody = await instance.get_ap("/users/gemeente/following")
    assert nobody["totalItems"] == 0
    for bad in ("0", "-1", "x", "100001", "²", "9" * 30):
        status, body = await instance.get_ap(f"/users/gemeente/followers?page={bad}")
        assert status == 400 and body["error"]


async def test_a_post_page_shows_its_poll_as_text_and_hides_totals_when_asked(instance, gemeente):
    resident = await instance.token_for(await instance.create_account("bewoner"))
    shown = await post(instance, gemeente, status="Wanneer?", poll={"options": ["<b>dinsdag</b>", "donderdag"], "expires_in": 3600})
    hidden = await post(instance, gemeente, status="Geheim?", poll={"options": ["ja", "nee"], "expires_in": 3600, "hide_totals": True})
    for poll in (shown, hidden):
        status, _ = await instance.request("POST", f"/api/v1/polls/{poll['id']}/votes", token=resident, json={"choices": [1]})
        assert status == 200
    status, _, page = await get(instance, f"/@gemeente/{shown['id']}")
    assert status == 200
    assert "<li>&lt;b&gt;dinsdag&lt;/b&gt;: 0% (0 votes)</li>" in page and "<li>donderdag: 100% (1 vote)</li>" in page
    assert "Poll · 1 person voted · ends <time" in page
    _, _, page = await get(instance, f"/@gemeente/{hidden['id']}")
    assert "<li>ja</li>" in page and "<li>nee</li>" in page and "vote)" not in page
