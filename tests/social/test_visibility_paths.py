"""Who may see a note, on every path that shows or sends one (pubhub/social/visibility.py):
the client API (a status, a thread), HTML pages, the ActivityPub note URLs and the outbox
(anonymous or signed by a remote actor), and delivery addressing. Public and unlisted: anyone;
private: the author, accepted followers and whoever it mentions; direct: the author and whoever
it mentions. A hidden note answers exactly like one that does not exist."""

from __future__ import annotations

import pytest

from tests.support import httpsig, store
from tests.support.peer import PUBLIC, RemotePeer

VISIBILITIES = ("public", "unlisted", "private", "direct")
AP = "application/activity+json"


@pytest.fixture
async def accounts(instance):
    """gemeente (the author), volger (follows gemeente), buur (does not), genoemd (mentioned)."""
    made = {}
    for name in ("gemeente", "volger", "buur", "genoemd"):
        made[name] = await instance.token_for(await instance.create_account(name))
    status, gemeente = await instance.request("GET", "/api/v1/accounts/lookup?acct=gemeente", token=made["volger"])
    assert (await instance.request("POST", f"/api/v1/accounts/{gemeente['id']}/follow", token=made["volger"]))[0] == 200
    return made


async def post(instance, token, text: str, visibility: str, **fields) -> dict:
    status, body = await instance.request("POST", "/api/v1/statuses", token=token,
                                          json={"status": text, "visibility": visibility, **fields})
    assert status == 200, body
    return body


def may_see(visibility: str, viewer: str) -> bool:
    """The rule, written out for the tests: viewer is author | follower | mentioned | other."""
    return {"public": True, "unlisted": True, "private": viewer in ("author", "follower", "mentioned"),
            "direct": viewer in ("author", "mentioned")}[visibility]


# ---- client API ---------------------------------------------------------------------------------

@pytest.mark.parametrize("visibility", VISIBILITIES)
async def test_a_status_through_the_api(instance, accounts, visibility):
    note = await post(instance, accounts["gemeente"], "@genoemd Vergadering om acht uur", visibility)
    missing_status, missing = await instance.request("GET", "/api/v1/statuses/1", token=accounts["buur"])
    for viewer, token in (("author", "gemeente"), ("follower", "volger"), ("mentioned", "genoemd"), ("other", "buur")):
        status, body = await instance.request("GET", f"/api/v1/statuses/{note['id']}", token=accounts[token])
        if may_see(visibility, viewer):
            assert (status, body["id"]) == (200, note["id"]), viewer
        else:
            assert (status, body) == (missing_status, missing) == (404, {"error": "Record not found"}), viewer


@pytest.mark.parametrize("visibility", VISIBILITIES)
async def test_replies_in_a_thread_through_the_api(instance, accounts, visibility):
    root = await post(instance, accounts["buur"], "Wat vindt u van het plan?", "public")
    reply = await post(instance, accounts["gemeente"], "@genoemd Daar komen we op terug", visibility, in_reply_to_id=root["id"])
    leaf = await post(instance, accounts["genoemd"], "Graag!", "public", in_reply_to_id=reply["id"])
    for viewer, token in (("author", "gemeente"), ("follower", "volger"), ("mentioned", "genoemd"), ("other", "buur")):
        status, down = await instance.request("GET", f"/api/v1/statuses/{root['id']}/context", token=accounts[token])
        assert status == 200
        seen = [s["id"] for s in down["descendants"]]
        assert (reply["id"] in seen) == may_see(visibility, viewer), (viewer, seen)
        assert leaf["id"] in seen  # a public reply below a hidden one is still shown
        status, up = await instance.request("GET", f"/api/v1/statuses/{leaf['id']}/context", token=accounts[token])
        assert (reply["id"] in [s["id"] for s in up["ancestors"]]) == may_see(visibility, viewer), viewer


# ---- HTML pages (nobody in particular) ----------------------------------------------------------

async def page(instance, path: str) -> tuple[int, str]:
    async with instance.http.get(instance.base + path, headers={"Accept": "text/html"}) as response:
        return response.status, await response.text()


@pytest.mark.parametrize("visibility", VISIBILITIES)
async def test_pages_show_what_anyone_may_see_and_list_only_public(instance, accounts, visibility):
    root = await post(instance, accounts["gemeente"], "Openbaar bericht", "public")
    note = await post(instance, accounts["gemeente"], f"Bericht {visibility} @genoemd", visibility)
    await post(instance, accounts["buur"], f"Antwoord {visibility} @gemeente", visibility, in_reply_to_id=root["id"])

    status, body = await page(instance, f"/@gemeente/{note['id']}")
    assert status == (200 if visibility in ("public", "unlisted") else 404)
    assert (f"Bericht {visibility}" in body) == (status == 200)
    status, body = await page(instance, f"/users/gemeente/statuses/{note['id']}")
    assert status == (200 if visibility in ("public", "unlisted") else 404)

    _, profile = await page(instance, "/@gemeente")
    assert (f"Bericht {visibility}" in profile) == (visibility == "public")
    _, thread = await page(instance, f"/@gemeente/{root['id']}")
    assert (f"Antwoord {visibility}" in thread) == (visibility == "public")


# ---- ActivityPub: note URLs and the outbox, anonymous or signed ---------------------------------

async def get_ap(instance, path: str, *, signer=None, forged: bool = False) -> tuple[int, dict]:
    url = instance.base + path
    headers = {"Accept": AP}
    if signer is not None:
        headers.update(httpsig.sign("GET", url, None, key=signer.key, key_id=signer.key_id,
                                    covered=("(request-target)", "host", "date"),
                                    signature_override=b"\x00" * 256 if forged else None))
    async with instance.http.get(url, headers=headers) as response:
        return response.status, await response.json(content_type=None)


@pytest.fixture
async def remote(instance, peer, accounts):
    """alice follows gemeente (accepted); mallory does not; bob is mentioned."""
    alice, mallory, bob = peer.add_actor("alice"), peer.add_actor("mallory"), peer.add_actor("bob")
    status, _ = await peer.post(f"{instance.base}/inbox", peer.activity("Follow", alice, f"{instance.base}/users/gemeente"), alice)
    assert status == 202
    await instance.settle()
    peer.received.clear()
    return {"follower": alice, "other": mallory, "mentioned": bob}


@pytest.mark.parametrize("visibility", VISIBILITIES)
async def test_note_urls_for_anonymous_and_signed_fetches(instance, peer, accounts, remote, visibility):
    note = await post(instance, accounts["gemeente"], f"Hallo @bob@{peer.domain}", visibility)
    path = f"/users/gemeente/statuses/{note['id']}"
    for suffix in ("", "/activity"):
        status, _ = await get_ap(instance, path + suffix)
        assert status == (200 if visibility in ("public", "unlisted") else 404), ("anonymous", suffix)
        for viewer, actor in remote.items():
            status, body = await get_ap(instance, path + suffix, signer=actor)
            if may_see(visibility, viewer):
                assert status == 200, (viewer, suffix)
                assert (body["object"]["id"] if suffix else body["id"]) == note["uri"]
            else:
                assert (status, body) == (404, {"error": "Record not found"}), (viewer, suffix)
            status, _ = await get_ap(instance, path + suffix, signer=actor, forged=True)  # counts as anonymous
            assert status == (200 if visibility in ("public", "unlisted") else 404), (viewer, suffix, "forged")


async def test_the_outbox_lists_what_the_fetcher_may_see(instance, peer, accounts, remote):
    posted = {v: await post(instance, accounts["gemeente"], f"Bericht {v} @bob@{peer.domain}", v) for v in VISIBILITIES}

    async def listed(**signing) -> tuple[int, set[str]]:
        status, collection = await get_ap(instance, "/users/gemeente/outbox", **signing)
        assert status == 200
        status, first = await get_ap(instance, "/users/gemeente/outbox?page=1", **signing)
        assert status == 200 and first["totalItems"] == collection["totalItems"]
        uris = {item["object"]["id"] for item in first["orderedItems"]}
        return collection["totalItems"], {v for v, body in posted.items() if body["uri"] in uris}

    assert await listed() == (2, {"public", "unlisted"})
    assert await listed(signer=remote["other"]) == (2, {"public", "unlisted"})
    assert await listed(signer=remote["follower"]) == (3, {"public", "unlisted", "private"})
    assert await listed(signer=remote["mentioned"]) == (2, {"public", "unlisted"})  # direct notes are never listed
    assert await listed(signer=remote["follower"], forged=True) == (2, {"public", "unlisted"})


# ---- delivery addressing ------------------------------------------------------------------------

def inboxes_that_got(peer, uri: str) -> set[str]:
    return {r.path for r in peer.received if r.activity.get("type") == "Create" and r.activity["object"]["id"] == uri}


@pytest.mark.parametrize("visibility", VISIBILITIES)
async def test_a_reply_reaches_the_author_it_answers_only_if_they_may_see_it(instance, peer, accounts, visibility):
    carol = peer.add_actor("carol")  # does not follow us, and the reply does not mention her
    # A public question that names us (so we keep it), without mentioning anyone.
    theirs = peer.note(carol, "<p>Wanneer gaat het zwembad open?</p>", to=[PUBLIC],
                       cc=[carol.followers, f"{instance.base}/users/gemeente"])
    status, _ = await peer.post(f"{instance.base}/inbox", peer.create(carol, theirs), carol)
    assert status == 202
    await instance.settle()
    parent_id = await _stored_id(instance, theirs["id"])

    reply = await post(instance, accounts["gemeente"], "In mei", visibility, in_reply_to_id=parent_id)
    await instance.settle()
    reached = inboxes_that_got(peer, reply["uri"])
    assert bool(reached) == (visibility in ("public", "unlisted")), reached


@pytest.mark.parametrize("visibility", VISIBILITIES)
async def test_followers_get_every_visibility_but_direct_and_the_mentioned_get_all(instance, peer, accounts, remote, visibility):
    note = await post(instance, accounts["gemeente"], f"Hallo @bob@{peer.domain}", visibility)
    await instance.settle()
    # alice (a follower) and bob (mentioned) share the peer's shared inbox: one POST reaches both.
    assert inboxes_that_got(peer, note["uri"]) == {"/inbox"}, visibility
    [create] = [r.activity for r in peer.received if r.activity.get("type") == "Create"]
    audience = create["object"]["to"] + create["object"]["cc"]
    assert (f"{instance.base}/users/gemeente/followers" in audience) == (visibility != "direct")
    assert remote["mentioned"].uri in audience


async def test_a_direct_note_is_not_delivered_to_followers_on_another_server(instance, peer, accounts, remote):
    elsewhere = await RemotePeer().start()
    try:
        dave = elsewhere.add_actor("dave")
        status, _ = await elsewhere.post(f"{instance.base}/inbox", elsewhere.activity("Follow", dave, f"{instance.base}/users/gemeente"), dave)
        assert status == 202
        await instance.settle()
        elsewhere.received.clear()
        for visibility in VISIBILITIES:
            note = await post(instance, accounts["gemeente"], f"Bericht @bob@{peer.domain}", visibility)
            await instance.settle()
            assert bool(inboxes_that_got(elsewhere, note["uri"])) == (visibility != "direct"), visibility
            assert inboxes_that_got(peer, note["uri"]), visibility  # bob is mentioned: always
    finally:
        await elsewhere.stop()


async def _stored_id(instance, uri: str) -> str:
    note = await store.note(instance, uri)
    assert note is not None, f"{uri} was not stored"
    return str(note.id)
