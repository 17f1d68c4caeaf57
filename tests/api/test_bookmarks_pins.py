"""Bookmarks and pins over HTTP: POST /api/v1/statuses/:id/bookmark, /unbookmark, GET
/api/v1/bookmarks (paged, Link header), POST .../pin, /unpin and GET
/api/v1/accounts/:id/statuses?pinned=true; `bookmarked` and `pinned` in status JSON; a status the
caller may not see is 404, pinning another's, a private one or a sixth is 422, nothing changes."""

from __future__ import annotations

from sqlalchemy import select

from pubhub.store.models import Bookmark, Pin


async def _marks(instance, model) -> list[tuple]:
    async with instance.runtime.db.read() as session:
        return sorted(tuple(row) for row in await session.execute(select(model.account_id, model.object_id)))


async def _people(instance):
    gemeente = await instance.create_account("gemeente")
    anna = await instance.create_account("anna")
    return gemeente, await instance.token_for(gemeente), anna, await instance.token_for(anna)


async def test_bookmarks_are_the_accounts_own_and_listed_newest_first_with_links(instance):
    gemeente, token, anna, anna_token = await _people(instance)
    ids = [(await instance.post_status(token, status=f"Bericht {n}"))["id"] for n in range(3)]
    for status_id in ids:
        code, body = await instance.request("POST", f"/api/v1/statuses/{status_id}/bookmark", token=anna_token)
        assert code == 200 and body["id"] == status_id and body["bookmarked"] is True, body
    again = await instance.request("POST", f"/api/v1/statuses/{ids[0]}/bookmark", token=anna_token)
    assert again[0] == 200 and len(await _marks(instance, Bookmark)) == 3
    # Only anna's: gemeente sees none of them as bookmarked.
    assert (await instance.request("GET", f"/api/v1/statuses/{ids[0]}", token=token))[1]["bookmarked"] is False
    assert (await instance.request("GET", "/api/v1/bookmarks", token=token))[1] == []

    async with instance.http.get(f"{instance.base}/api/v1/bookmarks", params={"limit": "2"},
                                 headers={"Authorization": f"Bearer {anna_token}"}) as response:
        first = await response.json()
        link = response.headers["Link"]
    assert [s["id"] for s in first] == [ids[2], ids[1]] and all(s["bookmarked"] for s in first)
    next_url = link.split(">")[0].lstrip("<")
    assert 'rel="next"' in link and "max_id=" in next_url
    async with instance.http.get(next_url, headers={"Authorization": f"Bearer {anna_token}"}) as response:
        assert [s["id"] for s in await response.json()] == [ids[0]]

    code, body = await instance.request("POST", f"/api/v1/statuses/{ids[1]}/unbookmark", token=anna_token)
    assert code == 200 and body["bookmarked"] is False
    shown = (await instance.request("GET", "/api/v1/bookmarks", token=anna_token))[1]
    assert [s["id"] for s in shown] == [ids[2], ids[0]]


async def test_bookmarking_a_status_one_may_not_see_is_404(instance):
    gemeente, token, anna, anna_token = await _people(instance)
    hidden = await instance.post_status(token, status="Voor volgers", visibility="private")
    for action in ("bookmark", "unbookmark", "pin", "unpin"):
        for status_id in (hidden["id"], "999", "nee"):
            code, body = await instance.request("POST", f"/api/v1/statuses/{status_id}/{action}", token=anna_token)
            assert (code, body) == (404, {"error": "Record not found"}), (action, status_id)
    assert await _marks(instance, Bookmark) == [] and await _marks(instance, Pin) == []


async def test_a_bookmark_of_a_status_deleted_since_is_not_listed(instance):
    gemeente, token, anna, anna_token = await _people(instance)
    status = await instance.post_status(token, status="Straks weg")
    assert (await instance.request("POST", f"/api/v1/statuses/{status['id']}/bookmark", token=anna_token))[0] == 200
    assert (await instance.request("DELETE", f"/api/v1/statuses/{status['id']}", token=token))[0] == 200
    assert (await instance.request("GET", "/api/v1/bookmarks", token=anna_token))[1] == []


async def test_pinned_statuses_show_first_on_the_profile(instance):
    gemeente, token, anna, anna_token = await _people(instance)
    first = await instance.post_status(token, status="Belangrijk")
    second = await instance.post_status(token, status="Ook belangrijk", visibility="unlisted")
    await instance.post_status(token, status="Gewoon")
    for status in (first, second):
        code, body = await instance.request("POST", f"/api/v1/statuses/{status['id']}/pin", token=token)
        assert code == 200 and body["pinned"] is True, body
    path = f"/api/v1/accounts/{gemeente.id}/statuses"
    code, pinned = await instance.request("GET", path, token=anna_token, params={"pinned": "true"})
    assert code == 200 and [s["id"] for s in pinned] == [second["id"], first["id"]]
    assert "pinned" not in pinned[0]  # only the author is told
    own = (await instance.request("GET", path, token=token, params={"pinned": "true"}))[1]
    assert [s["pinned"] for s in own] == [True, True]

    code, body = await instance.request("POST", f"/api/v1/statuses/{first['id']}/unpin", token=token)
    assert code == 200 and body["pinned"] is False
    assert [s["id"] for s in (await instance.request("GET", path, token=anna_token, params={"pinned": "1"}))[1]] \
        == [second["id"]]


async def test_pinning_anothers_a_private_or_a_sixth_status_is_422(instance):
    gemeente, token, anna, anna_token = await _people(instance)
    public = await instance.post_status(token, status="Van de gemeente")
    private = await instance.post_status(token, status="Voor volgers", visibility="private")
    refusals = [(anna_token, public["id"]), (token, private["id"])]
    five = [(await instance.post_status(token, status=f"Pin {n}"))["id"] for n in range(5)]
    for status_id in five:
        assert (await instance.request("POST", f"/api/v1/statuses/{status_id}/pin", token=token))[0] == 200
    before = await _marks(instance, Pin)
    assert (await instance.request("POST", f"/api/v1/statuses/{five[0]}/pin", token=token))[0] == 200  # again: fine
    refusals.append((token, public["id"]))
    for caller, status_id in refusals:
        code, body = await instance.request("POST", f"/api/v1/statuses/{status_id}/pin", token=caller)
        assert code == 422 and body["error"].startswith("Validation failed: "), body
    assert await _marks(instance, Pin) == before


async def test_pins_are_the_featured_collection_and_followers_hear_of_them(instance, peer):
    gemeente, token, anna, anna_token = await _people(instance)
    bob = peer.add_actor("bob")
    assert (await peer.post(f"{instance.base}/inbox", peer.activity("Follow", bob, gemeente.uri), bob))[0] == 202
    await instance.settle()
    status = await instance.post_status(token, status="Lees dit eerst")
    await instance.settle()
    peer.received.clear()
    code, actor = await instance.get_ap("/users/gemeente")
    featured = actor["featured"]
    assert code == 200 and featured == f"{gemeente.uri}/collections/featured"
    assert (await instance.get_ap(featured))[1]["orderedItems"] == []

    assert (await instance.request("POST", f"/api/v1/statuses/{status['id']}/pin", token=token))[0] == 200
    await instance.settle()
    [added] = peer.received_of_type("Add")
    assert added.verified, added.reason
    assert (added.activity["actor"], added.activity["object"], added.activity["target"]) == (
        gemeente.uri, status["uri"], featured)
    code, collection = await instance.get_ap(featured)
    assert code == 200 and collection["type"] == "OrderedCollection" and collection["totalItems"] == 1
    assert [n["id"] for n in collection["orderedItems"]] == [status["uri"]]
    assert collection["orderedItems"][0]["content"] == "<p>Lees dit eerst</p>"

    assert (await instance.request("POST", f"/api/v1/statuses/{status['id']}/unpin", token=token))[0] == 200
    await instance.settle()
    [removed] = peer.received_of_type("Remove")
    assert removed.verified and removed.activity["object"] == status["uri"] and removed.activity["target"] == featured
    assert (await instance.get_ap(featured))[1]["totalItems"] == 0
