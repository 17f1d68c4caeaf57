"""Who may see a note, on every path that shows or sends one (pubhub/social/visibility.py):
the client API (a status, a thread), HTML pages (note, replies, profile, tag), the ActivityPub
note URLs and the outbox (anonymous, or a GET signed by a remote actor of the peer and
verified for real), and delivery addressing.

The rule: public and unlisted, anyone; private (followers-only), the author, accepted followers
and whoever it mentions; direct, the author and whoever it mentions; pages list only public
notes. A hidden note answers exactly like one that does not exist."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from tests.support import httpsig, store
from tests.support.inbox import received_note
from tests.support.peer import PUBLIC, RemotePeer

VISIBILITIES = ("public", "unlisted", "private", "direct")
AP = "application/activity+json"
LD = 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"'
NOT_FOUND = (404, {"error": "Record not found"})


def may_see(visibility: str, viewer: str) -> bool:
    """The rule, written out: viewer is author | follower | mentioned | other | anonymous."""
    return {"public": True, "unlisted": True,
            "private": viewer in ("author", "follower", "mentioned"),
            "direct": viewer in ("author", "mentioned")}[visibility]


def listed_in_outbox(visibility: str, viewer: str) -> bool:
    """An outbox lists open notes to anyone, private ones to followers, direct ones never."""
    return visibility in ("public", "unlisted") or (visibility == "private" and viewer == "follower")


# ---- helpers --------------------------------------------------------------------------------

async def post(instance, token, text: str, visibility: str, **fields) -> dict:
    status, body = await instance.request("POST", "/api/v1/statuses", token=token,
                                          json={"status": text, "visibility": visibility, **fields})
    assert status == 200, body
    assert body["visibility"] == visibility
    return body


async def follow(instance, token: str, acct: str) -> dict:
    status, account = await instance.request("GET", "/api/v1/accounts/lookup", token=token, params={"acct": acct})
    assert status == 200, account
    status, rel = await instance.request("POST", f"/api/v1/accounts/{account['id']}/follow", token=token)
    assert status == 200, rel
    return rel


async def fetch(instance, path: str, *, accept: str = AP, signer=None, key=None, key_id: str | None = None,
                signed_path: str | None = None, forged: bool = False, date: datetime | None = None) -> tuple[int, object]:
    """GET `path`, optionally signed as `signer` (a peer actor) the way Mastodon signs fetches.
    `key`/`key_id`: sign with another private key / under another keyId; `signed_path`: a
    signature made for another URL (replayed here); `forged`: a signature of zeros; `date`:
    another Date."""
    url = instance.base + path
    headers = {"Accept": accept}
    if signer is not None:
        headers.update(httpsig.sign("GET", instance.base + (signed_path or path), None, key=key or signer.key,
                                    key_id=key_id or signer.key_id, covered=("(request-target)", "host", "date"),
                                    signature_override=b"\x00" * 256 if forged else None, date=date))
    async with instance.http.get(url, headers=headers) as response:
        text = await response.text()
        if "json" in response.headers.get("Content-Type", ""):
            return response.status, json.loads(text)
        return response.status, text


async def page(instance, path: str) -> tuple[int, object]:
    return await fetch(instance, path, accept="text/html")


@pytest.fixture
async def local(instance):
    """gemeente (the author), volger (follows gemeente), buur (follows nobody), fan (follows buur,
    not gemeente), genoemd (mentioned). Local follows of unlocked accounts are accepted at once."""
    tokens = {}
    for name in ("gemeente", "volger", "buur", "fan", "genoemd"):
        tokens[name] = await instance.token_for(await instance.create_account(name))
    assert (await follow(instance, tokens["volger"], "gemeente"))["following"] is True
    assert (await follow(instance, tokens["fan"], "buur"))["following"] is True
    return tokens


@pytest.fixture
async def remote(instance, peer, local):
    """On the peer: alice follows gemeente (accepted); mallory does not; bob is mentioned."""
    alice = peer.add_actor("alice", key_index=1)
    mallory = peer.add_actor("mallory", key_index=2)
    bob = peer.add_actor("bob", key_index=3)
    status, _ = await peer.post(f"{instance.base}/inbox", peer.activity("Follow", alice, f"{instance.base}/users/gemeente"), alice)
    assert status == 202
    await instance.settle()
    assert [a.activity["type"] for a in peer.received] == ["Accept"]
    assert [tuple(f) for f in await store.follows(instance)][-1] == ("accepted", alice.uri, f"{instance.base}/users/gemeente")
    peer.received.clear()
    return {"follower": alice, "other": mallory, "mentioned": bob}


def anonymous_variants(peer, remote) -> dict[str, dict]:
    """Signed fetches that prove nobody: each must be treated exactly as an anonymous GET."""
    alice, mallory = remote["follower"], remote["other"]
    # Mallory's key in a document of its own that names alice as owner (alice does not list it).
    claimed = peer.serve("/keys/claims-alice", {"@context": "https://w3id.org/security/v1", "type": "Key",
                                                "id": f"{peer.base}/keys/claims-alice", "owner": alice.uri,
                                                "publicKeyPem": mallory.public_pem})
    return {
        "mallory's key in a document naming the follower as owner": {"signer": mallory, "key_id": claimed},
        "unsigned": {},
        "forged (zeros) as the follower": {"signer": alice, "forged": True},
        "the follower's keyId, another actor's key": {"signer": alice, "key": mallory.key},
        "the follower's signature for another URL": {"signer": alice, "signed_path": "/users/gemeente/followers"},
        "the follower's signature two hours old": {"signer": alice,
                                                    "date": datetime.now(UTC) - timedelta(hours=2)},
    }


# ---- client API: one status -------------------------------------------------------------------

@pytest.mark.parametrize("visibility", VISIBILITIES)
async def test_api_status_by_viewer(instance, local, visibility):
    note = await post(instance, local["gemeente"], "@genoemd Vergadering om acht uur", visibility)
    assert [m["acct"] for m in note["mentions"]] == ["genoemd"]
    missing = await instance.request("GET", "/api/v1/statuses/1", token=local["buur"])
    assert missing == NOT_FOUND
    viewers = {"gemeente": "author", "volger": "follower", "genoemd": "mentioned", "buur": "other", "fan": "other"}
    for name, viewer in viewers.items():
        status, body = await instance.request("GET", f"/api/v1/statuses/{note['id']}", token=local[name])
        if may_see(visibility, viewer):
            assert (status, body["id"], body["visibility"]) == (200, note["id"], visibility), name
        else:
            assert (status, body) == missing, name  # exactly like an id that does not exist
        status, body = await instance.request("GET", f"/api/v1/statuses/{note['id']}/context", token=local[name])
        if may_see(visibility, viewer):
            assert status == 200, name
        else:
            assert (status, body) == missing, (name, "context")


async def test_api_a_pending_follow_request_is_not_following(instance, peer):
    """A locked account's follow requests (local or remote) see nothing followers-only, and get
    no followers-only delivery."""
    author = await instance.token_for(await instance.create_account("wethouder", manually_approves=True))
    asker = await instance.token_for(await instance.create_account("aanvrager"))
    rel = await follow(instance, asker, "wethouder")
    assert (rel["following"], rel["requested"]) == (False, True)
    carol = peer.add_actor("carol", key_index=4)
    status, _ = await peer.post(f"{instance.base}/inbox", peer.activity("Follow", carol, f"{instance.base}/users/wethouder"), carol)
    assert status == 202
    await instance.settle()
    assert sorted(f.state for f in await store.follows(instance)) == ["pending", "pending"]
    peer.received.clear()

    note = await post(instance, author, "Alleen voor volgers", "private")
    await instance.settle()
    assert await instance.request("GET", f"/api/v1/statuses/{note['id']}", token=asker) == NOT_FOUND
    assert await fetch(instance, f"/users/wethouder/statuses/{note['id']}", signer=carol) == NOT_FOUND
    status, outbox = await fetch(instance, "/users/wethouder/outbox?page=1", signer=carol)
    assert (status, outbox["totalItems"], outbox["orderedItems"]) == (200, 0, [])
    assert peer.received == []


@pytest.mark.parametrize("visibility", VISIBILITIES)
async def test_api_remote_note_by_viewer(instance, peer, local, visibility):
    """A note of carol (on the peer), addressed the way Mastodon addresses `visibility` and
    mentioning genoemd: volger follows carol (accepted by her), buur does not."""
    carol = peer.add_actor("carol", key_index=4)
    rel = await follow(instance, local["volger"], f"carol@{peer.domain}")
    assert rel["requested"] is True
    await instance.settle()
    [our_follow] = [r.activity for r in peer.received_of_type("Follow")]
    status, _ = await peer.post(f"{instance.base}/inbox", peer.activity("Accept", carol, our_follow), carol)
    assert status == 202
    await instance.settle()
    assert (await follow(instance, local["volger"], f"carol@{peer.domain}"))["following"] is True

    genoemd = f"{instance.base}/users/genoemd"
    to, cc = {"public": ([PUBLIC], [carol.followers, genoemd]), "unlisted": ([carol.followers], [PUBLIC, genoemd]),
              "private": ([carol.followers], [genoemd]), "direct": ([genoemd], [])}[visibility]
    theirs = peer.note(carol, "<p>Hallo @genoemd</p>", to=to, cc=cc,
                       tag=[{"type": "Mention", "href": genoemd, "name": f"@genoemd@{instance.domain}"}])
    stored = await received_note(instance, peer, carol, theirs, visibility)
    for name, viewer in {"volger": "follower", "genoemd": "mentioned", "buur": "other", "fan": "other"}.items():
        status, body = await instance.request("GET", f"/api/v1/statuses/{stored.id}", token=local[name])
        if may_see(visibility, viewer):
            assert (status, body["uri"]) == (200, theirs["id"]), name
        else:
            assert (status, body) == NOT_FOUND, name


# ---- client API: threads ----------------------------------------------------------------------

@pytest.mark.parametrize("visibility", VISIBILITIES)
async def test_api_context_a_reply_by_someone_else(instance, local, visibility):
    """gemeente posts publicly; buur replies with `visibility`, mentioning genoemd (not
    gemeente); genoemd answers that publicly. Following gemeente does not show buur's
    followers-only reply: following buur does."""
    root = await post(instance, local["gemeente"], "Wat vindt u van het plan?", "public")
    reply = await post(instance, local["buur"], "@genoemd Daar komen we op terug", visibility, in_reply_to_id=root["id"])
    leaf = await post(instance, local["genoemd"], "Graag!", "public", in_reply_to_id=reply["id"])
    viewers = {"buur": "author", "fan": "follower", "genoemd": "mentioned", "gemeente": "other", "volger": "other"}
    for name, viewer in viewers.items():
        status, down = await instance.request("GET", f"/api/v1/statuses/{root['id']}/context", token=local[name])
        assert status == 200
        seen = [s["id"] for s in down["descendants"]]
        assert (reply["id"] in seen) == may_see(visibility, viewer), (name, seen)
        assert leaf["id"] in seen, name  # a public reply below a hidden one is still shown
        status, up = await instance.request("GET", f"/api/v1/statuses/{leaf['id']}/context", token=local[name])
        assert status == 200
        above = [s["id"] for s in up["ancestors"]]
        assert above == ([root["id"], reply["id"]] if may_see(visibility, viewer) else [root["id"]]), name


@pytest.mark.parametrize("visibility", VISIBILITIES)
async def test_api_context_a_hidden_ancestor(instance, local, visibility):
    """gemeente posts with `visibility` mentioning genoemd, who replies publicly: the reply is
    anyone's, its parent only for those who may see it."""
    root = await post(instance, local["gemeente"], "@genoemd Wat vindt u ervan?", visibility)
    reply = await post(instance, local["genoemd"], "Prima", "public", in_reply_to_id=root["id"])
    viewers = {"gemeente": "author", "volger": "follower", "genoemd": "mentioned", "buur": "other", "fan": "other"}
    for name, viewer in viewers.items():
        status, up = await instance.request("GET", f"/api/v1/statuses/{reply['id']}/context", token=local[name])
        assert status == 200, name
        assert [s["id"] for s in up["ancestors"]] == ([root["id"]] if may_see(visibility, viewer) else []), name


@pytest.mark.parametrize("visibility", ("private", "direct"))
async def test_api_replies_count_does_not_reveal_hidden_replies(instance, local, visibility):
    """Like Mastodon (only public and unlisted replies are counted): a reply the viewer may not
    see must not show in the parent's replies_count either, or it is not hidden at all."""
    root = await post(instance, local["gemeente"], "Open vraag", "public")
    await post(instance, local["buur"], "Verborgen antwoord", visibility, in_reply_to_id=root["id"])
    status, body = await instance.request("GET", f"/api/v1/statuses/{root['id']}", token=local["volger"])
    assert status == 200
    status, context = await instance.request("GET", f"/api/v1/statuses/{root['id']}/context", token=local["volger"])
    assert context["descendants"] == []
    assert body["replies_count"] == 0


# ---- HTML pages (nobody in particular) ----------------------------------------------------------

@pytest.mark.parametrize("visibility", VISIBILITIES)
async def test_html_note_page(instance, peer, local, remote, visibility):
    note = await post(instance, local["gemeente"], f"kenmerk{visibility} @genoemd", visibility)
    missing = await page(instance, "/@gemeente/1")
    assert missing[0] == 404
    for path in (f"/@gemeente/{note['id']}", f"/users/gemeente/statuses/{note['id']}"):
        status, body = await page(instance, path)
        if visibility in ("public", "unlisted"):
            assert status == 200 and f"kenmerk{visibility}" in body, path
        else:
            assert (status, body) == missing, path
    # Pages are nobody's: a follower's signed fetch asking for HTML still gets the public view.
    status, body = await fetch(instance, f"/users/gemeente/statuses/{note['id']}", accept="text/html",
                               signer=remote["follower"])
    assert status == (200 if visibility in ("public", "unlisted") else 404)
    # Another author's note under this account's name is not found either.
    theirs = await post(instance, local["buur"], "Van de buren", "public")
    assert await page(instance, f"/@gemeente/{theirs['id']}") == missing


@pytest.mark.parametrize("visibility", VISIBILITIES)
async def test_html_note_page_lists_only_public_replies(instance, local, visibility):
    root = await post(instance, local["gemeente"], "Openbaar bericht", "public")
    await post(instance, local["buur"], "antwoordpublic", "public", in_reply_to_id=root["id"])
    await post(instance, local["volger"], f"antwoord{visibility}X @gemeente", visibility, in_reply_to_id=root["id"])
    status, thread = await page(instance, f"/@gemeente/{root['id']}")
    assert status == 200 and "antwoordpublic" in thread
    assert (f"antwoord{visibility}X" in thread) == (visibility == "public")


@pytest.mark.parametrize("visibility", VISIBILITIES)
async def test_html_profile_and_tag_pages_list_only_public(instance, local, visibility):
    await post(instance, local["gemeente"], "altijdzichtbaar #proefvaart", "public")
    await post(instance, local["gemeente"], f"kenmerk{visibility} #proefvaart @genoemd", visibility)
    for path in ("/@gemeente", "/users/gemeente", "/tags/proefvaart"):
        status, body = await page(instance, path)
        assert status == 200 and "altijdzichtbaar" in body, path
        assert (f"kenmerk{visibility}" in body) == (visibility == "public"), path


# ---- ActivityPub: note URLs, anonymous or signed ---------------------------------------------

def check_note_fetch(result, allowed: bool, note: dict, suffix: str, missing, who: str) -> None:
    """A fetch of a note (suffix "") or its Create ("/activity"): the document if allowed, else
    exactly what an id that does not exist gets."""
    status, body = result
    if allowed:
        assert status == 200, (who, suffix, body)
        if suffix:
            assert (body["type"], body["object"]["id"]) == ("Create", note["uri"]), who
        else:
            assert (body["type"], body["id"]) == ("Note", note["uri"]), who
    else:
        assert result == missing, (who, suffix)


@pytest.mark.parametrize("visibility", VISIBILITIES)
async def test_activitypub_note_urls(instance, peer, local, remote, visibility):
    note = await post(instance, local["gemeente"], f"Hallo @bob@{peer.domain}", visibility)
    assert [m["acct"] for m in note["mentions"]] == [f"bob@{peer.domain}"]
    path = f"/users/gemeente/statuses/{note['id']}"
    for suffix in ("", "/activity"):
        missing = await fetch(instance, f"/users/gemeente/statuses/1{suffix}")
        assert missing == NOT_FOUND
        for who, signing in anonymous_variants(peer, remote).items():
            check_note_fetch(await fetch(instance, path + suffix, **signing), visibility in ("public", "unlisted"),
                             note, suffix, missing, who)
        for viewer, actor in remote.items():
            check_note_fetch(await fetch(instance, path + suffix, signer=actor), may_see(visibility, viewer),
                             note, suffix, missing, viewer)
        # The ActivityStreams JSON-LD media type is negotiated the same way.
        check_note_fetch(await fetch(instance, path + suffix, accept=LD, signer=remote["follower"]),
                         may_see(visibility, "follower"), note, suffix, missing, "follower (ld+json)")


@pytest.mark.parametrize("visibility", VISIBILITIES)
async def test_deleted_notes_are_gone_only_for_those_who_could_see_them(instance, peer, local, remote, visibility):
    note = await post(instance, local["gemeente"], f"Weg @bob@{peer.domain} @genoemd", visibility)
    answer = await post(instance, local["genoemd"], "Jammer", "public", in_reply_to_id=note["id"])
    status, _ = await instance.request("DELETE", f"/api/v1/statuses/{note['id']}", token=local["gemeente"])
    assert status == 200
    for name in ("gemeente", "volger", "genoemd", "buur"):  # nobody sees a deleted note
        assert await instance.request("GET", f"/api/v1/statuses/{note['id']}", token=local[name]) == NOT_FOUND, name
        # nor as the ancestor of a reply that is still there
        status, up = await instance.request("GET", f"/api/v1/statuses/{answer['id']}/context", token=local[name])
        assert (status, up["ancestors"]) == (200, []), name
    path = f"/users/gemeente/statuses/{note['id']}"
    gone_or_missing = {True: 410, False: 404}
    assert (await fetch(instance, path))[0] == gone_or_missing[visibility in ("public", "unlisted")]
    assert (await page(instance, f"/@gemeente/{note['id']}"))[0] == gone_or_missing[visibility in ("public", "unlisted")]
    for viewer, actor in remote.items():
        status, _ = await fetch(instance, path, signer=actor)
        assert status == gone_or_missing[may_see(visibility, viewer)], viewer


# ---- ActivityPub: the outbox ------------------------------------------------------------------

@pytest.mark.parametrize("visibility", VISIBILITIES)
async def test_activitypub_outbox(instance, peer, local, remote, visibility):
    always = await post(instance, local["gemeente"], "Voor iedereen", "public")
    note = await post(instance, local["gemeente"], f"Bericht @bob@{peer.domain}", visibility)
    fetchers = {who: ("anonymous", signing) for who, signing in anonymous_variants(peer, remote).items()}
    fetchers.update({viewer: (viewer, {"signer": actor}) for viewer, actor in remote.items()})
    for who, (viewer, signing) in fetchers.items():
        status, collection = await fetch(instance, "/users/gemeente/outbox", **signing)
        assert status == 200, who
        status, first = await fetch(instance, "/users/gemeente/outbox?page=1", **signing)
        assert status == 200, who
        listed = [item["object"]["id"] for item in first["orderedItems"]]
        expected = [note["uri"], always["uri"]] if listed_in_outbox(visibility, viewer) else [always["uri"]]
        assert listed == expected, who
        assert collection["totalItems"] == first["totalItems"] == len(expected), who


# ---- a silenced author (moderation/accounts.py): only the author and accepted followers ---------

@pytest.mark.parametrize("visibility", ("public", "unlisted", "private"))
async def test_a_silenced_authors_note_reaches_only_the_author_and_followers(instance, peer, local, remote, visibility):
    note = await post(instance, local["gemeente"], "@genoemd Vergadering om acht uur", visibility)
    admin = await instance.token_for(await instance.create_account("beheerder", role="admin"), "admin:read admin:write")
    status, me = await instance.request("GET", "/api/v1/accounts/verify_credentials", token=local["gemeente"])
    assert status == 200
    status, body = await instance.request("POST", f"/api/v1/admin/accounts/{me['id']}/action", token=admin,
                                          json={"type": "silence", "text": "Reclame"})
    assert status == 200, body
    path = f"/api/v1/statuses/{note['id']}"
    for name in ("gemeente", "volger"):
        assert (await instance.request("GET", path, token=local[name]))[0] == 200, name
    for name in ("genoemd", "buur", "fan"):  # even whoever it mentions
        assert await instance.request("GET", path, token=local[name]) == NOT_FOUND, name
    # Its ActivityPub URL: the remote follower's signed fetch gets it; anyone else, or nobody, 404.
    note_path = f"/users/gemeente/statuses/{note['id']}"
    status, shown = await fetch(instance, note_path, signer=remote["follower"])
    assert (status, shown["id"]) == (200, note["uri"])
    for signing in ({"signer": remote["other"]}, {"signer": remote["mentioned"]}, {}):
        assert await fetch(instance, note_path, **signing) == NOT_FOUND, signing
    # The outbox: the follower's signed fetch lists it; anyone else's, nothing at all.
    for signing, expected in (({"signer": remote["follower"]}, [note["uri"]]), ({"signer": remote["other"]}, []),
                              ({}, [])):
        status, first = await fetch(instance, "/users/gemeente/outbox?page=1", **signing)
        assert status == 200
        assert [item["object"]["id"] for item in first["orderedItems"]] == expected, signing
        assert first["totalItems"] == len(expected)


# ---- delivery addressing ------------------------------------------------------------------------

def creates_of(peer, uri: str) -> list:
    return [r for r in peer.received if r.activity.get("type") == "Create" and r.activity["object"]["id"] == uri]


async def remote_question(instance, peer, author) -> str:
    """A public note of `author` (on the peer) that names gemeente in cc, so we keep it and it
    can be answered, without mentioning anyone. Returns its id here."""
    theirs = peer.note(author, "<p>Wanneer gaat het zwembad open?</p>", to=[PUBLIC],
                       cc=[author.followers, f"{instance.base}/users/gemeente"])
    return str((await received_note(instance, peer, author, theirs, "public")).id)


@pytest.mark.parametrize("visibility", VISIBILITIES)
async def test_delivery_a_reply_reaches_the_remote_author_only_if_they_may_see_it(instance, peer, local, visibility):
    carol = peer.add_actor("carol", key_index=4)  # does not follow gemeente, not mentioned in the reply
    parent_id = await remote_question(instance, peer, carol)
    peer.received.clear()
    reply = await post(instance, local["gemeente"], "In mei", visibility, in_reply_to_id=parent_id)
    await instance.settle()
    reached = creates_of(peer, reply["uri"])
    if visibility in ("public", "unlisted"):
        assert [r.path for r in reached] == ["/inbox"]  # carol's shared inbox
        assert reached[0].verified, reached[0].reason
        assert reached[0].activity["object"]["inReplyTo"]
    else:
        # Neither her inbox nor the shared inbox: nothing of this note reaches her server.
        assert reached == [], [r.path for r in reached]
        assert await store.count(instance, store.Delivery, store.Delivery.inbox.like(f"{peer.base}%")) == 0
    # Its deletion goes where the note went, and nowhere else.
    peer.received.clear()
    status, _ = await instance.request("DELETE", f"/api/v1/statuses/{reply['id']}", token=local["gemeente"])
    assert status == 200
    await instance.settle()
    assert [r.activity["type"] for r in peer.received] == (["Delete"] if visibility in ("public", "unlisted") else [])


async def test_delivery_a_followers_only_reply_that_mentions_the_remote_author_reaches_them(instance, peer, local):
    carol = peer.add_actor("carol", key_index=4)
    parent_id = await remote_question(instance, peer, carol)
    peer.received.clear()
    reply = await post(instance, local["gemeente"], f"@carol@{peer.domain} In mei", "private", in_reply_to_id=parent_id)
    await instance.settle()
    assert [r.path for r in creates_of(peer, reply["uri"])] == ["/inbox"]


@pytest.mark.parametrize("visibility", VISIBILITIES)
async def test_delivery_followers_get_all_but_direct_and_the_mentioned_get_all(instance, peer, local, visibility):
    """dave follows gemeente from another server; bob (on the peer, which has no followers) is
    mentioned. A direct note reaches bob's server only; every other visibility both."""
    bob = peer.add_actor("bob", key_index=3)
    elsewhere = await RemotePeer().start()
    try:
        dave = elsewhere.add_actor("dave", key_index=5)
        status, _ = await elsewhere.post(f"{instance.base}/inbox", elsewhere.activity("Follow", dave, f"{instance.base}/users/gemeente"), dave)
        assert status == 202
        await instance.settle()
        assert [r.activity["type"] for r in elsewhere.received] == ["Accept"]
        elsewhere.received.clear()
        peer.received.clear()

        note = await post(instance, local["gemeente"], f"Bericht voor @bob@{peer.domain}", visibility)
        await instance.settle()
        to_followers = creates_of(elsewhere, note["uri"])
        to_mentioned = creates_of(peer, note["uri"])
        assert [r.path for r in to_mentioned] == ["/inbox"], visibility
        assert to_mentioned[0].verified, to_mentioned[0].reason
        assert [r.path for r in to_followers] == ([] if visibility == "direct" else ["/inbox"]), visibility
        obj = to_mentioned[0].activity["object"]
        audience = obj["to"] + obj["cc"]
        assert bob.uri in audience
        assert (f"{instance.base}/users/gemeente/followers" in audience) == (visibility != "direct")
        assert (PUBLIC in audience) == (visibility in ("public", "unlisted"))

        # Its deletion goes to the same audience.
        elsewhere.received.clear()
        peer.received.clear()
        status, _ = await instance.request("DELETE", f"/api/v1/statuses/{note['id']}", token=local["gemeente"])
        assert status == 200
        await instance.settle()
        assert [r.activity["type"] for r in peer.received] == ["Delete"], visibility
        assert [r.activity["type"] for r in elsewhere.received] == ([] if visibility == "direct" else ["Delete"])
    finally:
        await elsewhere.stop()
