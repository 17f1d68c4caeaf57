"""Boosts in timelines over HTTP, as Mastodon shows them: a status of the booster's whose
`reblog` is the note boosted. Local boosts (POST .../reblog) and remote ones (a signed Announce
into the inbox) reach the home of whoever follows the booster, never with a note the reader may
not see; an account's statuses hold its boosts (not with exclude_reblogs); public timelines hold
none; pages of notes and boosts together lose and repeat nothing."""

from __future__ import annotations

import asyncio
import warnings

import pytest
from mastodon import Mastodon

from tests.api.test_timelines import timeline
from tests.support.rooms import make_room

HOME = "/api/v1/timelines/home"


@pytest.fixture
async def people(instance):
    return await make_people(instance)


async def make_people(instance):
    """anna (the reader) follows gemeente and dirk; bob is followed by no one."""
    accounts = {name: await instance.create_account(name) for name in ("anna", "gemeente", "dirk", "bob")}
    tokens = {name: await instance.token_for(actor) for name, actor in accounts.items()}
    for followed in ("gemeente", "dirk"):
        status, _ = await instance.request("POST", f"/api/v1/accounts/{accounts[followed].id}/follow",
                                           token=tokens["anna"])
        assert status == 200
    return accounts, tokens


async def reblog(instance, token, status_id) -> dict:
    status, body = await instance.request("POST", f"/api/v1/statuses/{status_id}/reblog", token=token)
    assert status == 200, body
    return body


async def follow_remote(instance, peer, actor, token) -> dict:
    """The token's account follows a peer's actor through the API; the actor accepts."""
    status, account = await instance.request("GET", f"/api/v1/accounts/lookup?acct={actor.username}@{peer.domain}",
                                             token=token)
    assert status == 200, account
    status, _ = await instance.request("POST", f"/api/v1/accounts/{account['id']}/follow", token=token)
    assert status == 200
    await instance.settle()
    follow = [r.activity for r in peer.received_of_type("Follow") if r.activity["object"] == actor.uri][-1]
    await inbox(instance, peer, actor, peer.activity("Accept", actor, follow))
    return account


async def silence(instance, account) -> None:
    """An admin silences the account over the admin API."""
    admin = await instance.create_account("beheerder", role="admin")
    admin_token = await instance.token_for(admin, "read write admin:read admin:write")
    status, body = await instance.request("POST", f"/api/v1/admin/accounts/{account.id}/action",
                                          token=admin_token, json={"type": "silence", "text": "Reclame"})
    assert status == 200, body


async def inbox(instance, peer, actor, activity) -> dict:
    status, body = await peer.post(f"{instance.base}/inbox", activity, actor)
    assert status == 202, body
    await instance.settle()
    return activity


async def test_a_local_boost_shows_in_the_followers_home_as_mastodon_shows_it(instance, people):
    accounts, tokens = people
    note = await instance.post_status(tokens["bob"], status="Straat dicht")
    boost = await reblog(instance, tokens["gemeente"], note["id"])
    await instance.request("POST", f"/api/v1/statuses/{note['id']}/favourite", token=tokens["anna"])

    _, _, body = await timeline(instance, tokens["anna"], HOME)
    [shown] = body  # bob's note itself is not in anna's home: she does not follow bob
    assert shown["id"] == boost["id"] != note["id"]
    assert shown["account"]["id"] == str(accounts["gemeente"].id) and shown["content"] == ""
    assert shown["uri"] == boost["uri"] and shown["uri"].startswith(accounts["gemeente"].uri + "#announces/")
    assert shown["url"] == note["url"] and shown["visibility"] == "public"
    assert shown["created_at"] >= note["created_at"] and shown["media_attachments"] == []
    original = shown["reblog"]
    assert original["id"] == note["id"] and original["account"]["id"] == str(accounts["bob"].id)
    assert original["content"] == "<p>Straat dicht</p>" and original["reblogs_count"] == 1
    assert original["favourited"] is True and original["reblogged"] is False  # anna's own marks
    assert shown["favourited"] is True and shown["reblogged"] is False

    status, by_id = await instance.request("GET", f"/api/v1/statuses/{boost['id']}", token=tokens["anna"])
    assert status == 200 and by_id["id"] == boost["id"] and by_id["reblog"]["id"] == note["id"]

    status, _ = await instance.request("POST", f"/api/v1/statuses/{note['id']}/unreblog", token=tokens["gemeente"])
    assert status == 200
    assert (await timeline(instance, tokens["anna"], HOME))[2] == []
    status, _ = await instance.request("GET", f"/api/v1/statuses/{boost['id']}", token=tokens["anna"])
    assert status == 404


async def test_a_remote_boost_from_the_inbox_shows_in_the_followers_home(instance, people, peer, alice):
    accounts, tokens = people
    await follow_remote(instance, peer, alice, tokens["anna"])
    note = await instance.post_status(tokens["bob"], status="Inspraak", visibility="unlisted")
    announce = await inbox(instance, peer, alice, peer.activity("Announce", alice, note["uri"]))

    _, _, body = await timeline(instance, tokens["anna"], HOME)
    [shown] = body
    assert shown["uri"] == announce["id"] and shown["account"]["acct"] == f"alice@{peer.domain}"
    assert shown["reblog"]["id"] == note["id"] and shown["visibility"] == "unlisted"
    assert int(shown["id"]) > int(note["id"])  # time-ordered, as note ids

    await inbox(instance, peer, alice, peer.activity("Undo", alice, announce))
    assert (await timeline(instance, tokens["anna"], HOME))[2] == []


async def test_a_boost_of_a_followers_only_note_never_reaches_who_may_not_see_it(instance, people, peer, alice):
    accounts, tokens = people
    carl = await instance.create_account("carl")
    carl_token = await instance.token_for(carl)
    await instance.request("POST", f"/api/v1/accounts/{accounts['bob'].id}/follow", token=carl_token)
    for token in (tokens["anna"], carl_token):
        await follow_remote(instance, peer, alice, token)
    private = await instance.post_status(tokens["bob"], status="Alleen volgers", visibility="private")
    announce = await inbox(instance, peer, alice, peer.activity("Announce", alice, private["uri"]))

    assert (await timeline(instance, tokens["anna"], HOME))[2] == []  # anna does not follow bob
    _, _, carls = await timeline(instance, carl_token, HOME)  # carl does: the boost is there for him
    boost_id = next(s["id"] for s in carls if s["uri"] == announce["id"])
    assert [s["reblog"]["id"] for s in carls if s["reblog"]] == [private["id"]]
    alices = (await instance.request("GET", f"/api/v1/accounts/lookup?acct=alice@{peer.domain}",
                                     token=tokens["anna"]))[1]
    assert (await timeline(instance, tokens["anna"], f"/api/v1/accounts/{alices['id']}/statuses"))[2] == []
    status, _ = await instance.request("GET", f"/api/v1/statuses/{boost_id}", token=tokens["anna"])
    assert status == 404


@pytest.mark.parametrize("visibility, outsiders_see", [("public", True), ("members", False)])
async def test_a_rooms_shares_are_boosts_and_a_members_only_rooms_reach_its_members_only(instance, people, visibility,
                                                                                          outsiders_see):
    accounts, tokens = people
    room = await make_room(instance, visibility=visibility)
    status, _ = await instance.request("POST", f"/api/v1/accounts/{room.actor.id}/follow", token=tokens["anna"])
    assert status == 200  # anna joins
    posted = await instance.post_status(tokens["anna"], status="@wijkraad Wie helpt zaterdag?")
    await instance.settle()
    _, _, home = await timeline(instance, tokens["anna"], HOME)
    assert [(s["account"]["id"], (s["reblog"] or {}).get("id")) for s in home] == [
        (str(room.actor.id), posted["id"]), (str(accounts["anna"].id), None)]
    path = f"/api/v1/accounts/{room.actor.id}/statuses"
    assert [s["reblog"]["id"] for s in (await timeline(instance, tokens["bob"], path))[2]] == (
        [posted["id"]] if outsiders_see else [])
    status, _ = await instance.request("GET", f"/api/v1/statuses/{home[0]['id']}", token=tokens["bob"])
    assert status == (200 if outsiders_see else 404)


async def test_a_silenced_accounts_boosts_reach_its_followers_only(instance, people):
    accounts, tokens = people
    note = await instance.post_status(tokens["bob"], status="Openbaar")
    boost = await reblog(instance, tokens["gemeente"], note["id"])
    await silence(instance, accounts["gemeente"])
    path = f"/api/v1/accounts/{accounts['gemeente'].id}/statuses"
    assert [s["id"] for s in (await timeline(instance, tokens["anna"], HOME))[2]] == [boost["id"]]  # a follower
    assert (await timeline(instance, tokens["bob"], path))[2] == []
    status, _ = await instance.request("GET", f"/api/v1/statuses/{boost['id']}", token=tokens["bob"])
    assert status == 404
    # ... and to itself: a silenced account still sees its own boost (in its home and profile)
    assert [s["id"] for s in (await timeline(instance, tokens["gemeente"], HOME))[2] if s["reblog"]] == [boost["id"]]
    assert [s["id"] for s in (await timeline(instance, tokens["gemeente"], path))[2]] == [boost["id"]]


async def test_an_accounts_statuses_hold_its_boosts_unless_excluded(instance, people):
    accounts, tokens = people
    bobs = await instance.post_status(tokens["bob"], status="Van bob")
    own = await instance.post_status(tokens["gemeente"], status="Eigen")
    boost = await reblog(instance, tokens["gemeente"], bobs["id"])
    reply = await instance.post_status(tokens["gemeente"], status="Antwoord", in_reply_to_id=bobs["id"])
    path = f"/api/v1/accounts/{accounts['gemeente'].id}/statuses"

    ids = lambda body: [s["id"] for s in body]  # noqa: E731
    assert ids((await timeline(instance, tokens["bob"], path))[2]) == [reply["id"], boost["id"], own["id"]]
    assert ids((await timeline(instance, tokens["bob"], path, exclude_reblogs="true"))[2]) == [reply["id"], own["id"]]
    assert ids((await timeline(instance, tokens["bob"], path, exclude_replies="true"))[2]) == [boost["id"], own["id"]]
    assert ids((await timeline(instance, tokens["bob"], path, only_media="true"))[2]) == []
    assert ids((await timeline(instance, tokens["bob"], path, pinned="true"))[2]) == []


async def test_public_timelines_hold_no_boosts(instance, people):
    accounts, tokens = people
    note = await instance.post_status(tokens["bob"], status="Openbaar #afval")
    await reblog(instance, tokens["gemeente"], note["id"])
    for path in ("/api/v1/timelines/public", "/api/v1/timelines/tag/afval"):
        _, _, body = await timeline(instance, tokens["anna"], path)
        assert [(s["id"], s["reblog"]) for s in body] == [(note["id"], None)], path


async def test_a_note_boosted_by_several_followed_accounts_shows_once(instance, people):
    accounts, tokens = people
    note = await instance.post_status(tokens["bob"], status="Veel geboost")
    await reblog(instance, tokens["gemeente"], note["id"])
    latest = await reblog(instance, tokens["dirk"], note["id"])
    await reblog(instance, tokens["anna"], note["id"])  # hers is newest: it is the one shown
    _, _, body = await timeline(instance, tokens["anna"], HOME)
    assert [(s["account"]["username"], s["reblog"]["id"]) for s in body] == [("anna", note["id"])]
    await instance.request("POST", f"/api/v1/statuses/{note['id']}/unreblog", token=tokens["anna"])
    _, _, body = await timeline(instance, tokens["anna"], HOME)
    assert [s["id"] for s in body] == [latest["id"]]


async def test_pages_of_notes_and_boosts_lose_and_repeat_nothing(instance, people):
    accounts, tokens = people
    bobs = [await instance.post_status(tokens["bob"], status=f"Bob {n}") for n in range(3)]
    made = []  # oldest first: a note, a boost, two notes, two boosts, a note
    made.append((await instance.post_status(tokens["gemeente"], status="Een"))["id"])
    made.append((await reblog(instance, tokens["dirk"], bobs[0]["id"]))["id"])
    made.append((await instance.post_status(tokens["gemeente"], status="Twee"))["id"])
    made.append((await instance.post_status(tokens["dirk"], status="Drie"))["id"])
    made.append((await reblog(instance, tokens["gemeente"], bobs[1]["id"]))["id"])
    made.append((await reblog(instance, tokens["anna"], bobs[2]["id"]))["id"])
    made.append((await instance.post_status(tokens["gemeente"], status="Vier"))["id"])
    newest_first = made[::-1]

    seen, url = [], f"{instance.base}{HOME}?limit=3"
    while url:  # forward along rel="next" (older), as apps scroll
        async with instance.http.get(url, headers={"Authorization": f"Bearer {tokens['anna']}"}) as response:
            seen.append([s["id"] for s in await response.json()])
            links = response.headers.get("Link", "")
        url = next((part.split(">")[0].lstrip("<") for part in links.split(", ") if 'rel="next"' in part), None)
    assert seen == [newest_first[0:3], newest_first[3:6], newest_first[6:]]

    _, _, after = await timeline(instance, tokens["anna"], HOME, limit="3", min_id=made[1])
    assert [s["id"] for s in after] == [made[4], made[3], made[2]]  # the page right after the boost
    _, _, since = await timeline(instance, tokens["anna"], HOME, limit="3", since_id=made[1])
    assert [s["id"] for s in since] == newest_first[0:3]
    _, headers, older = await timeline(instance, tokens["anna"], HOME, limit="3", max_id=made[4])
    assert [s["id"] for s in older] == [made[3], made[2], made[1]] and older[2]["reblog"]["id"] == bobs[0]["id"]
    assert f'max_id={made[1]}>; rel="next"' in headers["Link"] and f'min_id={made[3]}>; rel="prev"' in headers["Link"]


async def test_mastodon_py_reads_the_boost_in_the_home_timeline(instance, people):
    accounts, tokens = people
    note = await instance.post_status(tokens["bob"], status="Via Mastodon.py")

    def use_it():
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            booster, reader = (Mastodon(access_token=tokens[name], api_base_url=instance.base,
                                        version_check_mode="none", request_timeout=10) for name in ("gemeente", "anna"))
            boost = booster.status_reblog(note["id"])
            return boost, reader.timeline_home(), reader.status(boost["id"])

    boost, home, by_id = await asyncio.to_thread(use_it)
    [shown] = home
    assert shown["id"] == boost["id"] and shown["account"]["acct"] == "gemeente"
    assert shown["reblog"]["id"] == note["id"] and shown["reblog"]["content"] == "<p>Via Mastodon.py</p>"
    assert shown["created_at"].tzinfo is not None  # Mastodon.py parsed it as a date
    assert by_id["reblog"]["account"]["acct"] == "bob"


async def test_favourite_boost_and_bookmark_by_a_boosts_id_act_on_the_note_it_boosts(instance, people):
    """As Mastodon: an app that favourites the status it shows (the boost) favourites the note."""
    accounts, tokens = people
    note = await instance.post_status(tokens["dirk"], status="Straatfeest zaterdag")
    boost = await reblog(instance, tokens["gemeente"], note["id"])
    for action in ("favourite", "bookmark", "reblog"):
        status, body = await instance.request("POST", f"/api/v1/statuses/{boost['id']}/{action}", token=tokens["anna"])
        assert status == 200, (action, body)
        assert body["id"] == note["id"] or body["reblog"]["id"] == note["id"], action
    status, seen = await instance.request("GET", f"/api/v1/statuses/{note['id']}", token=tokens["anna"])
    assert (seen["favourites_count"], seen["favourited"], seen["bookmarked"], seen["reblogs_count"]) == (1, True, True, 2)
    status, body = await instance.request("POST", f"/api/v1/statuses/{boost['id']}/unfavourite", token=tokens["anna"])
    assert status == 200 and body["id"] == note["id"] and not body["favourited"]


async def test_a_boost_the_reader_may_not_see_is_not_a_way_to_its_note(instance, people):
    accounts, tokens = people
    note = await instance.post_status(tokens["bob"], status="Openbaar")
    boost = await reblog(instance, tokens["gemeente"], note["id"])
    await silence(instance, accounts["gemeente"])
    status, _ = await instance.request("POST", f"/api/v1/statuses/{boost['id']}/favourite", token=tokens["dirk"])
    assert status == 404  # dirk does not follow the silenced booster: its boost is not there for him
    status, seen = await instance.request("GET", f"/api/v1/statuses/{note['id']}", token=tokens["dirk"])
    assert status == 200 and seen["favourites_count"] == 0
    status, _ = await instance.request("POST", f"/api/v1/statuses/{boost['id']}/favourite", token=tokens["anna"])
    assert status == 200  # anna follows it


async def test_a_boost_counts_among_the_boosters_statuses_while_it_stands(instance, people):
    """As Mastodon: statuses_count holds the account's boosts; undone, or its post deleted, not."""
    accounts, tokens = people

    async def count() -> int:
        status, body = await instance.request("GET", f"/api/v1/accounts/{accounts['gemeente'].id}", token=tokens["anna"])
        assert status == 200
        return body["statuses_count"]

    note = await instance.post_status(tokens["dirk"], status="Straatfeest")
    other = await instance.post_status(tokens["dirk"], status="Markt")
    await reblog(instance, tokens["gemeente"], note["id"])
    await reblog(instance, tokens["gemeente"], other["id"])
    assert await count() == 2
    status, _ = await instance.request("POST", f"/api/v1/statuses/{note['id']}/unreblog", token=tokens["gemeente"])
    assert status == 200 and await count() == 1
    status, _ = await instance.request("DELETE", f"/api/v1/statuses/{other['id']}", token=tokens["dirk"])
    assert status == 200 and await count() == 0
