"""Following hashtags over HTTP, as Mastodon's apps do it: follow and unfollow answer the Tag
with `following`, the list pages with Mastodon's Link header and is the caller's own, a public
post with a followed hashtag joins the home timeline and the `user` stream (a followers-only or
direct one from someone not followed never does), and a Tag's history counts the last seven
days' public posts and their authors."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import delete

from pubhub.social.hashtags import MAX_FOLLOWED
from pubhub.store import followed_tags as follow_store
from pubhub.store.models import Actor, FollowedTag
from tests.api.test_notifications import deliver
from tests.api.test_requires import app_token
from tests.support.peer import PUBLIC
from tests.support.store import count

SECOND = 1.0


@pytest.fixture
async def people(instance):
    """anna follows hashtags; bob posts (anna follows nobody)."""
    accounts = {name: await instance.create_account(name) for name in ("anna", "bob")}
    tokens = {name: await instance.token_for(actor) for name, actor in accounts.items()}
    return accounts, tokens


async def followed(instance, token, **params) -> tuple[list[str], str]:
    async with instance.http.get(f"{instance.base}/api/v1/followed_tags", params=params,
                                 headers={"Authorization": f"Bearer {token}"}) as response:
        body = await response.json()
        assert response.status == 200, body
        return [t["name"] for t in body], response.headers.get("Link", "")


async def home(instance, token) -> list[str]:
    status, body = await instance.request("GET", "/api/v1/timelines/home", token=token)
    assert status == 200, body
    return [s["uri"] for s in body]


def hashtag(peer, name: str) -> dict:
    return {"type": "Hashtag", "href": f"{peer.base}/tags/{name.lower()}", "name": f"#{name}"}


async def test_follow_answers_the_tag_and_following_again_changes_nothing(instance, people):
    accounts, tokens = people
    status, tag = await instance.request("POST", "/api/v1/tags/Afval/follow", token=tokens["anna"])
    assert status == 200 and tag["name"] == "afval" and tag["following"] is True
    assert tag["url"] == f"{instance.base}/tags/afval" and len(tag["history"]) == 7
    for spelling in ("afval", "AFVAL", "ＡＦＶＡＬ"):  # one hashtag, however it is written (full-width too)
        status, again = await instance.request("POST", f"/api/v1/tags/{spelling}/follow", token=tokens["anna"])
        assert status == 200 and again["name"] == "afval" and again["following"] is True
    assert await count(instance, FollowedTag) == 1
    status, shown = await instance.request("GET", "/api/v1/tags/afval", token=tokens["anna"])
    assert status == 200 and shown["following"] is True  # followed, though no post carries it yet
    status, shown = await instance.request("GET", "/api/v1/tags/afval", token=tokens["bob"])
    assert status == 404  # bob follows it not, and no public post carries it

    status, tag = await instance.request("POST", "/api/v1/tags/Afval/unfollow", token=tokens["anna"])
    assert status == 200 and tag["name"] == "afval" and tag["following"] is False
    status, tag = await instance.request("POST", "/api/v1/tags/afval/unfollow", token=tokens["anna"])
    assert status == 200 and tag["following"] is False  # not followed: still 200, as in Mastodon
    assert await count(instance, FollowedTag) == 0


async def test_the_followed_list_pages_with_mastodons_link_header(instance, people):
    accounts, tokens = people
    for name in ("afval", "wegwerk", "markt"):
        assert (await instance.request("POST", f"/api/v1/tags/{name}/follow", token=tokens["anna"]))[0] == 200
    names, _ = await followed(instance, tokens["anna"])
    assert names == ["markt", "wegwerk", "afval"]  # the most recently followed first
    names, link = await followed(instance, tokens["anna"], limit="2")
    assert names == ["markt", "wegwerk"] and 'rel="next"' in link and 'rel="prev"' in link
    next_url = link.split(";")[0].strip("<>")
    async with instance.http.get(next_url, headers={"Authorization": f"Bearer {tokens['anna']}"}) as response:
        last = [t["name"] for t in await response.json()]
    assert last == ["afval"]
    status, body = await instance.request("GET", "/api/v1/followed_tags", token=tokens["anna"])
    assert all(t["following"] is True for t in body)
    assert (await instance.request("GET", "/api/v1/followed_tags?limit=201", token=tokens["anna"]))[0] == 422


async def test_another_accounts_followed_hashtags_are_not_shown(instance, people):
    accounts, tokens = people
    await instance.request("POST", "/api/v1/tags/afval/follow", token=tokens["anna"])
    assert (await followed(instance, tokens["bob"]))[0] == []
    status, tag = await instance.request("POST", "/api/v1/tags/afval/unfollow", token=tokens["bob"])
    assert status == 200 and tag["following"] is False
    assert (await followed(instance, tokens["anna"]))[0] == ["afval"]  # bob's unfollow is his own


@pytest.mark.parametrize("name", ["af-val", "2024", "a" * 101, "%F0%9F%98%80"])
async def test_a_name_that_is_no_hashtag_is_refused_with_a_json_error(instance, people, name):
    accounts, tokens = people
    for method, path in (("POST", f"/api/v1/tags/{name}/follow"), ("POST", f"/api/v1/tags/{name}/unfollow"),
                         ("GET", f"/api/v1/tags/{name}")):
        status, body = await instance.request(method, path, token=tokens["anna"])
        assert status == 404 and body["error"].startswith("Not a valid hashtag name"), (path, body)
    assert await count(instance, FollowedTag) == 0


async def test_without_the_scope_403_and_with_an_unknown_token_401(instance, people):
    accounts, tokens = people
    read_only = await instance.token_for(accounts["anna"], "read")
    write_only = await instance.token_for(accounts["anna"], "write:statuses read:statuses")
    for token in (read_only, write_only):
        assert await instance.request("POST", "/api/v1/tags/afval/follow", token=token) == \
            (403, {"error": "This action is outside the authorized scopes"})
    assert await instance.request("GET", "/api/v1/followed_tags", token=write_only) == \
        (403, {"error": "This action is outside the authorized scopes"})
    for method, path in (("POST", "/api/v1/tags/afval/follow"), ("GET", "/api/v1/followed_tags")):
        assert await instance.request(method, path, token="nonsense") == (401, {"error": "The access token is invalid"})
        assert await instance.request(method, path) == (401, {"error": "The access token is invalid"})
    assert await count(instance, FollowedTag) == 0


async def test_a_remote_post_with_a_followed_hashtag_reaches_home_and_the_user_stream(instance, peer, alice, people):
    """alice (another server, followed by no one here) answers bob with #Afval: anna follows
    the hashtag, so the answer joins her home and her `user` stream; alice's followers-only and
    direct posts with the hashtag (kept here because they name bob) do not, nor does bob's
    followers-only one."""
    accounts, tokens = people
    await instance.request("POST", "/api/v1/tags/afval/follow", token=tokens["anna"])
    asked = await instance.post_status(tokens["bob"], status="Wanneer wordt het opgehaald?")
    bob_uri = accounts["bob"].uri
    mention = {"type": "Mention", "href": bob_uri, "name": "@bob"}
    private = peer.note(alice, "<p>Voor volgers #Afval</p>", to=[alice.followers], cc=[bob_uri],
                        tag=[hashtag(peer, "Afval"), mention])
    direct = peer.note(alice, "<p>Alleen bob #Afval</p>", to=[bob_uri], cc=[], tag=[hashtag(peer, "Afval"), mention])
    public = peer.note(alice, "<p>Morgen #Afval</p>", to=[PUBLIC], in_reply_to=asked["uri"],
                       tag=[hashtag(peer, "AFVAL")])
    url = instance.base.replace("http", "ws") + "/api/v1/streaming?stream=user"
    async with instance.http.ws_connect(url, headers={"Authorization": f"Bearer {tokens['anna']}"}) as ws:
        await asyncio.sleep(0.05)  # subscribed
        await deliver(instance, peer, alice, peer.create(alice, private), peer.create(alice, direct))
        await instance.post_status(tokens["bob"], status="Besloten #afval", visibility="private")
        await deliver(instance, peer, alice, peer.create(alice, public))
        event = await asyncio.wait_for(ws.receive_json(), SECOND)  # the public one, and nothing before it
        assert event["stream"] == ["user"] and event["event"] == "update"
        assert json.loads(event["payload"])["uri"] == public["id"]
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(ws.receive_json(), 0.3)
    assert await home(instance, tokens["anna"]) == [public["id"]]
    assert public["id"] not in await home(instance, tokens["bob"])  # anna's hashtag, not bob's
    await instance.request("POST", "/api/v1/tags/afval/unfollow", token=tokens["anna"])
    assert await home(instance, tokens["anna"]) == []


async def test_home_pages_across_followed_hashtags_and_accounts(instance, people):
    accounts, tokens = people
    await instance.request("POST", "/api/v1/tags/markt/follow", token=tokens["anna"])
    posted = [await instance.post_status(tokens["bob"], status=f"Kraam {n} #markt") for n in range(3)]
    await instance.post_status(tokens["bob"], status="Zonder hashtag")
    await instance.post_status(tokens["bob"], status="Niet in lijsten #markt", visibility="unlisted")
    mine = await instance.post_status(tokens["anna"], status="Van anna")
    status, first = await instance.request("GET", "/api/v1/timelines/home?limit=2", token=tokens["anna"])
    assert [s["id"] for s in first] == [mine["id"], posted[2]["id"]]
    status, rest = await instance.request("GET", f"/api/v1/timelines/home?limit=2&max_id={posted[2]['id']}",
                                          token=tokens["anna"])
    assert [s["id"] for s in rest] == [posted[1]["id"], posted[0]["id"]]


async def test_a_tags_history_counts_seven_days_of_public_posts_and_their_authors(instance, peer, alice, people):
    accounts, tokens = people
    asked = await instance.post_status(tokens["bob"], status="Vraag #Afval")
    await instance.post_status(tokens["anna"], status="Ook #afval")
    await instance.post_status(tokens["anna"], status="Nog eens #AFVAL")
    await instance.post_status(tokens["anna"], status="Besloten #afval", visibility="private")  # not counted
    today = datetime.now(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
    for days_ago, text in ((3, "Drie dagen terug"), (3, "Ook toen"), (9, "Te lang geleden")):
        published = (today - timedelta(days=days_ago) + timedelta(hours=1)).isoformat().replace("+00:00", "Z")
        note = peer.note(alice, f"<p>{text} #afval</p>", to=[PUBLIC], in_reply_to=asked["uri"],
                         tag=[hashtag(peer, "afval")], published=published)
        await deliver(instance, peer, alice, peer.create(alice, note))
    status, tag = await instance.request("GET", "/api/v1/tags/afval")
    assert status == 200 and "following" not in tag
    days = [int(today.timestamp()) - n * 86400 for n in range(7)]
    assert tag["history"] == [
        {"day": str(day), "uses": uses, "accounts": authors}
        for day, uses, authors in zip(days, ["3", "0", "0", "2", "0", "0", "0"], ["2", "0", "0", "1", "0", "0", "0"])]
    status, found = await instance.request("GET", "/api/v2/search", token=tokens["anna"],
                                           params={"q": "#afv", "type": "hashtags"})
    assert status == 200 and found["hashtags"][0]["history"] == tag["history"]
    assert found["hashtags"][0]["following"] is False


async def test_an_edit_moves_a_post_in_or_out_of_the_hashtags_home(instance, people):
    accounts, tokens = people
    await instance.request("POST", "/api/v1/tags/markt/follow", token=tokens["anna"])
    posted = await instance.post_status(tokens["bob"], status="Zaterdag #markt")
    assert await home(instance, tokens["anna"]) == [posted["uri"]]
    for text, shown in (("Zaterdag geen markt", []), ("Zondag #Markt", [posted["uri"]])):
        status, body = await instance.request("PUT", f"/api/v1/statuses/{posted['id']}", token=tokens["bob"],
                                              json={"status": text})
        assert status == 200, body
        assert await home(instance, tokens["anna"]) == shown, text


async def test_an_account_that_goes_takes_its_followed_hashtags_along(instance, people):
    accounts, tokens = people
    await instance.request("POST", "/api/v1/tags/markt/follow", token=tokens["bob"])
    await instance.request("POST", "/api/v1/tags/markt/follow", token=tokens["anna"])
    async with instance.runtime.db.write() as session:
        await session.execute(delete(Actor).where(Actor.id == accounts["anna"].id))
    assert await count(instance, FollowedTag) == 1
    assert await count(instance, FollowedTag, FollowedTag.account_id == accounts["bob"].id) == 1


async def test_an_account_follows_at_most_so_many_hashtags(instance, people):
    accounts, tokens = people
    async with instance.runtime.db.write() as session:
        for n in range(MAX_FOLLOWED - 1):
            await follow_store.follow(session, accounts["anna"].id, f"tag{n}", instance.runtime.clock.now())
    assert (await instance.request("POST", "/api/v1/tags/laatste/follow", token=tokens["anna"]))[0] == 200
    status, body = await instance.request("POST", "/api/v1/tags/teveel/follow", token=tokens["anna"])
    assert status == 422 and "at most 1000 hashtags" in body["error"]
    assert (await instance.request("POST", "/api/v1/tags/laatste/follow", token=tokens["anna"]))[0] == 200  # again
    assert await count(instance, FollowedTag) == MAX_FOLLOWED


async def test_an_apps_own_token_sees_a_tag_as_anyone_does(instance, people):
    """A token of an app without an account (client_credentials) follows nothing: the tag comes
    without `following`, as for a request without a token."""
    _, tokens = people
    await instance.post_status(tokens["anna"], status="Openbaar #afval")
    status, tag = await instance.request("GET", "/api/v1/tags/afval", token=await app_token(instance))
    assert status == 200 and tag["name"] == "afval" and "following" not in tag
