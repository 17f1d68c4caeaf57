"""Follow requests to a locked account, over HTTP: remote followers on a fake server send a
Follow, the owner lists the requests (newest first, Link pagination), authorizes one (an Accept
of the stored Follow goes to that follower's inbox) and rejects another (a Reject)."""

from __future__ import annotations

from pubhub.store.models import Follow
from tests.support.store import count


async def _ask(instance, peer, actor, target_uri: str) -> dict:
    follow = peer.activity("Follow", actor, target_uri)
    status, _ = await peer.post(f"{instance.base}/inbox", follow, actor)
    assert status == 202
    await instance.settle()
    return follow


async def test_authorize_and_reject_federate_accept_and_reject(instance, peer):
    gemeente = await instance.create_account("gemeente", manually_approves=True)
    token = await instance.token_for(gemeente)
    alice, bob, carol = (peer.add_actor(name) for name in ("alice", "bob", "carol"))
    follows = {a.username: await _ask(instance, peer, a, gemeente.uri) for a in (alice, bob, carol)}
    assert peer.received == []  # locked: nobody is answered yet

    status, first = await instance.request("GET", "/api/v1/follow_requests?limit=2", token=token)
    assert status == 200 and [a["acct"] for a in first] == [f"carol@{peer.domain}", f"bob@{peer.domain}"]
    async with instance.http.get(instance.base + "/api/v1/follow_requests/?limit=2",
                                 headers={"Authorization": f"Bearer {token}"}) as response:
        link = response.headers["Link"]
    assert 'rel="next"' in link and 'rel="prev"' in link
    next_url = link.split(">;", 1)[0].lstrip("<")
    status, older = await instance.request("GET", next_url.removeprefix(instance.base), token=token)
    assert status == 200 and [a["acct"] for a in older] == [f"alice@{peer.domain}"]

    alice_id, bob_id = older[0]["id"], first[1]["id"]
    status, body = await instance.request("POST", f"/api/v1/follow_requests/{alice_id}/authorize", token=token)
    assert status == 200 and body["id"] == alice_id and body["followed_by"] is True, body
    status, body = await instance.request("POST", f"/api/v1/follow_requests/{bob_id}/reject/", token=token)
    assert status == 200 and body["id"] == bob_id and body["followed_by"] is False, body

    await instance.settle()
    answers = {r.path: r.activity for r in peer.received}
    assert all(r.verified for r in peer.received), [r.reason for r in peer.received]
    accept, reject = answers["/users/alice/inbox"], answers["/users/bob/inbox"]
    assert accept["type"] == "Accept" and accept["actor"] == gemeente.uri
    assert accept["object"]["id"] == follows["alice"]["id"] and accept["object"]["actor"] == alice.uri
    assert reject["type"] == "Reject" and reject["object"]["id"] == follows["bob"]["id"]
    assert len(peer.received) == 2

    status, left = await instance.request("GET", "/api/v1/follow_requests", token=token)
    assert [a["acct"] for a in left] == [f"carol@{peer.domain}"]
    status, collection = await instance.get_ap("/users/gemeente/followers")
    assert collection["totalItems"] == 1  # alice only
    assert await count(instance, Follow) == 2  # alice accepted, carol pending


async def test_answering_a_request_that_is_not_there_is_404(instance, peer):
    gemeente = await instance.create_account("gemeente", manually_approves=True)
    token = await instance.token_for(gemeente)
    other = await instance.create_account("burger")
    alice = peer.add_actor("alice")
    await _ask(instance, peer, alice, gemeente.uri)
    [request] = (await instance.request("GET", "/api/v1/follow_requests", token=token))[1]
    for path in (f"/api/v1/follow_requests/{other.id}/authorize", "/api/v1/follow_requests/abc/reject",
                 f"/api/v1/follow_requests/{gemeente.id}/authorize", "/api/v1/follow_requests/99999999/reject"):
        status, body = await instance.request("POST", path, token=token)
        assert status == 404 and body == {"error": "Record not found"}, path
    # Someone else cannot answer gemeente's requests: it is not a request to them.
    status, _ = await instance.request("POST", f"/api/v1/follow_requests/{request['id']}/authorize",
                                       token=await instance.token_for(other))
    assert status == 404
    status, _ = await instance.request("POST", f"/api/v1/follow_requests/{request['id']}/authorize", token=token)
    assert status == 200
    status, _ = await instance.request("POST", f"/api/v1/follow_requests/{request['id']}/reject", token=token)
    assert status == 404  # already accepted: no longer a request
    await instance.settle()
    assert [r.activity["type"] for r in peer.received] == ["Accept"]


async def test_a_local_follower_is_authorized_without_federation(instance):
    gemeente = await instance.create_account("gemeente", manually_approves=True)
    burger = await instance.create_account("burger")
    burger_token = await instance.token_for(burger)
    status, body = await instance.request("POST", f"/api/v1/accounts/{gemeente.id}/follow", token=burger_token)
    assert body["requested"] is True and body["following"] is False
    token = await instance.token_for(gemeente)
    status, body = await instance.request("POST", f"/api/v1/follow_requests/{burger.id}/authorize", token=token)
    assert status == 200 and body["followed_by"] is True
    status, body = await instance.request("GET", f"/api/v1/accounts/relationships?id[]={gemeente.id}", token=burger_token)
    assert body[0]["following"] is True and body[0]["requested"] is False
