"""Timelines over HTTP as apps read them: home, public (local, remote), a hashtag's, an
account's posts; each through the visibility rule, with Mastodon's pagination and Link header."""

from __future__ import annotations

import pytest

from tests.api.test_media import upload
from tests.support.peer import PUBLIC


@pytest.fixture
async def people(instance):
    """anna (the reader) follows gemeente; bob is followed by no one."""
    accounts = {name: await instance.create_account(name) for name in ("anna", "gemeente", "bob")}
    tokens = {name: await instance.token_for(actor) for name, actor in accounts.items()}
    status, _ = await instance.request("POST", f"/api/v1/accounts/{accounts['gemeente'].id}/follow", token=tokens["anna"])
    assert status == 200
    return accounts, tokens


async def timeline(instance, token, path, **params) -> tuple[list[str], dict, list[dict]]:
    async with instance.http.get(instance.base + path, params=params,
                                 headers={"Authorization": f"Bearer {token}"}) as response:
        body = await response.json()
        assert response.status == 200, body
        return [s["content"] for s in body], response.headers, body


def texts(*words: str) -> list[str]:
    return [f"<p>{w}</p>" for w in words]


async def test_home_holds_your_posts_and_those_you_follow_that_you_may_see(instance, people):
    accounts, tokens = people
    post = instance.post_status
    await post(tokens["gemeente"], status="Openbaar")
    await post(tokens["bob"], status="Van bob")
    await post(tokens["gemeente"], status="Voor volgers", visibility="private")
    await post(tokens["gemeente"], status="Direct aan bob @bob", visibility="direct")
    mine = await post(tokens["anna"], status="Van anna")
    await post(tokens["gemeente"], status="Antwoord aan anna", in_reply_to_id=mine["id"])
    bobs = await post(tokens["bob"], status="Vraag van bob")
    await post(tokens["gemeente"], status="Antwoord aan bob", in_reply_to_id=bobs["id"])
    await post(tokens["anna"], status="Anna antwoordt bob", in_reply_to_id=bobs["id"])
    shown, _, _ = await timeline(instance, tokens["anna"], "/api/v1/timelines/home")
    assert shown == texts("Anna antwoordt bob", "Antwoord aan anna", "Van anna", "Voor volgers", "Openbaar")


async def test_home_pages_by_id_with_mastodons_link_header(instance, people):
    accounts, tokens = people
    ids = [(await instance.post_status(tokens["gemeente"], status=f"Bericht {n}"))["id"] for n in range(5)]
    newest_first = ids[::-1]
    _, headers, body = await timeline(instance, tokens["anna"], "/api/v1/timelines/home", limit="2")
    assert [s["id"] for s in body] == newest_first[:2]
    assert f"max_id={newest_first[1]}>; rel=\"next\"" in headers["Link"]
    assert f"min_id={newest_first[0]}>; rel=\"prev\"" in headers["Link"]
    _, _, older = await timeline(instance, tokens["anna"], "/api/v1/timelines/home", limit="2", max_id=newest_first[1])
    assert [s["id"] for s in older] == newest_first[2:4]
    _, _, right_after = await timeline(instance, tokens["anna"], "/api/v1/timelines/home", limit="2", min_id=ids[0])
    assert [s["id"] for s in right_after] == [ids[2], ids[1]]  # the two just after min_id, newest first
    _, _, newest = await timeline(instance, tokens["anna"], "/api/v1/timelines/home", limit="2", since_id=ids[0])
    assert [s["id"] for s in newest] == newest_first[:2]  # since_id: the newest ones after it
    _, headers, last = await timeline(instance, tokens["anna"], "/api/v1/timelines/home", limit="2", max_id=ids[1])
    assert [s["id"] for s in last] == [ids[0]] and 'rel="next"' not in headers["Link"]


@pytest.mark.parametrize("limit", ["0", "41", "x"])
async def test_a_limit_out_of_bounds_is_422(instance, people, limit):
    _, tokens = people
    status, body = await instance.request("GET", f"/api/v1/timelines/home?limit={limit}", token=tokens["anna"])
    assert status == 422 and body["error"].startswith("Validation failed: limit")


async def test_public_lists_public_posts_local_remote_or_both(instance, people, peer, alice):
    accounts, tokens = people
    post = instance.post_status
    asked = await post(tokens["gemeente"], status="Wie komt er?")
    await post(tokens["gemeente"], status="Niet in lijsten", visibility="unlisted")
    await post(tokens["bob"], status="Voor volgers", visibility="private")
    note = peer.note(alice, "<p>Ik kom</p>", to=[PUBLIC], in_reply_to=asked["uri"])
    assert (await peer.post(f"{instance.base}/inbox", peer.create(alice, note), alice))[0] == 202
    await instance.settle()
    both, _, _ = await timeline(instance, tokens["bob"], "/api/v1/timelines/public")
    assert both == ["<p>Ik kom</p>", *texts("Wie komt er?")]
    assert (await timeline(instance, tokens["bob"], "/api/v1/timelines/public", local="true"))[0] == texts("Wie komt er?")
    assert (await timeline(instance, tokens["bob"], "/api/v1/timelines/public", remote="true"))[0] == ["<p>Ik kom</p>"]


async def test_only_media_keeps_the_posts_with_images(instance, people):
    accounts, tokens = people
    _, media = await upload(instance, tokens["gemeente"])
    await instance.post_status(tokens["gemeente"], status="Met foto", media_ids=[media["id"]])
    await instance.post_status(tokens["gemeente"], status="Zonder foto")
    shown, _, _ = await timeline(instance, tokens["anna"], "/api/v1/timelines/public", only_media="true")
    assert shown == texts("Met foto")
    path = f"/api/v1/accounts/{accounts['gemeente'].id}/statuses"
    assert (await timeline(instance, tokens["anna"], path, only_media="1"))[0] == texts("Met foto")


async def test_a_hashtag_timeline_matches_its_tag_in_any_case_and_public_posts_only(instance, people):
    accounts, tokens = people
    post = instance.post_status
    await post(tokens["gemeente"], status="Ophalen #Afval")
    await post(tokens["gemeente"], status="Ook #afval maar besloten", visibility="private")
    await post(tokens["bob"], status="Iets anders #afvalbak")
    await post(tokens["bob"], status="Weer #AFVAL")
    shown, _, body = await timeline(instance, tokens["anna"], "/api/v1/timelines/tag/afval")
    assert len(body) == 2 and "Weer" in shown[0] and "Ophalen" in shown[1]
    status, _ = await instance.request("GET", "/api/v1/timelines/tag/af-val", token=tokens["anna"])
    assert status == 404


async def test_an_accounts_posts_as_the_viewer_may_see_them(instance, people):
    accounts, tokens = people
    post = instance.post_status
    first = await post(tokens["gemeente"], status="Eerste")
    await post(tokens["gemeente"], status="Antwoord", in_reply_to_id=first["id"])
    await post(tokens["gemeente"], status="Volgers", visibility="private")
    await post(tokens["gemeente"], status="Direct @anna", visibility="direct")
    path = f"/api/v1/accounts/{accounts['gemeente'].id}/statuses"
    assert (await timeline(instance, tokens["anna"], path))[0] == texts("Volgers", "Antwoord", "Eerste")
    assert (await timeline(instance, tokens["bob"], path))[0] == texts("Antwoord", "Eerste")
    assert (await timeline(instance, tokens["bob"], path, exclude_replies="true"))[0] == texts("Eerste")
    assert (await timeline(instance, tokens["anna"], path, pinned="true"))[0] == []
    for missing in ("999999", "abc"):
        status, _ = await instance.request("GET", f"/api/v1/accounts/{missing}/statuses", token=tokens["anna"])
        assert status == 404


async def test_a_deleted_post_leaves_every_timeline(instance, people):
    accounts, tokens = people
    posted = await instance.post_status(tokens["gemeente"], status="Weg #straks")
    await instance.request("DELETE", f"/api/v1/statuses/{posted['id']}", token=tokens["gemeente"])
    for path in ("/api/v1/timelines/home", "/api/v1/timelines/public", "/api/v1/timelines/tag/straks",
                 f"/api/v1/accounts/{accounts['gemeente'].id}/statuses"):
        assert (await timeline(instance, tokens["anna"], path))[0] == [], path
