"""A room as the fediverse reads it: its Group actor (WebFinger, content negotiation, the
client API's `group`), its outbox of Announces, and a members-only room's collections, read
only by a signed fetch from a server with a member (anyone else 404)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from pubhub.rooms.directory import room_named, update_room
from tests.social.test_visibility_paths import fetch
from tests.support.peer import PUBLIC
from tests.support.rooms import join, make_room, post_to


async def test_the_room_is_a_group_actor_with_its_own_key_and_endpoints(instance):
    room = await make_room(instance, join="approval", post="staff")
    rt = instance.runtime
    async with rt.db.write() as session:
        await update_room(rt, session, None, await room_named(session, room.slug),
                          description="Over de wijk.", rules="Wees aardig.\nGeen <reclame>.")
    status, doc = await instance.get_ap(f"/users/{room.slug}")
    assert status == 200 and doc["type"] == "Group" and doc["id"] == room.actor.uri
    assert doc["preferredUsername"] == room.slug and doc["name"] == "Wijkraad"
    assert (doc["inbox"], doc["outbox"], doc["followers"]) == (room.actor.inbox, room.actor.outbox,
                                                               room.actor.followers_url)
    assert doc["endpoints"]["sharedInbox"] == f"{instance.base}/inbox"
    assert doc["publicKey"]["owner"] == room.actor.uri and "BEGIN PUBLIC KEY" in doc["publicKey"]["publicKeyPem"]
    assert doc["publicKey"]["publicKeyPem"] != (await instance.get_ap("/actor"))[1]["publicKey"]["publicKeyPem"]
    assert doc["manuallyApprovesFollowers"] is True and doc["postingRestrictedToMods"] is True
    assert "Over de wijk." in doc["summary"]
    assert "Wees aardig.<br>Geen &lt;reclame&gt;." in doc["summary"]


async def test_webfinger_and_the_client_api_find_the_room_as_a_group(instance):
    room = await make_room(instance)
    status, found = await instance.request("GET", "/.well-known/webfinger",
                                           params={"resource": f"acct:{room.slug}@{instance.domain}"})
    assert status == 200 and found["subject"] == f"acct:{room.slug}@{instance.domain}"
    assert {"rel": "self", "type": "application/activity+json", "href": room.actor.uri} in found["links"]

    token = await instance.token_for(await instance.create_account("burger"))
    status, account = await instance.request("GET", "/api/v1/accounts/lookup", token=token,
                                             params={"acct": room.slug})
    assert status == 200 and account["group"] is True and account["bot"] is False


async def test_users_slug_answers_servers_with_the_actor_and_browsers_with_the_page(instance):
    room = await make_room(instance)
    status, doc = await fetch(instance, f"/users/{room.slug}")
    assert status == 200 and doc["type"] == "Group"
    status, page = await fetch(instance, f"/users/{room.slug}", accept="text/html")
    assert status == 200 and f"@{room.slug}@{instance.domain}" in page


async def test_a_public_room_s_outbox_lists_its_announces_to_anyone(instance, peer, alice):
    room = await make_room(instance)
    await join(instance, peer, alice, room)
    note = await post_to(instance, peer, alice, room)
    [announce] = [r.activity for r in peer.received_of_type("Announce")]
    status, outbox = await fetch(instance, f"/users/{room.slug}/outbox")
    assert status == 200 and outbox["totalItems"] == 1
    status, page = await fetch(instance, f"/users/{room.slug}/outbox?page=1")
    [item] = page["orderedItems"]
    assert (item["id"], item["type"], item["object"]) == (announce["id"], "Announce", note["id"])
    assert item["to"] == [room.actor.followers_url, PUBLIC]
    published = datetime.fromisoformat(announce["published"].replace("Z", "+00:00"))
    assert abs(published - datetime.now(timezone.utc)) < timedelta(minutes=1)  # when shared, not written
    status, followers = await fetch(instance, f"/users/{room.slug}/followers")
    assert status == 200 and followers["totalItems"] == 1


async def test_a_members_only_room_shows_its_collections_only_to_a_member_s_server(instance, peer, other_peer,
                                                                                    alice):
    room = await make_room(instance, visibility="members")
    await join(instance, peer, alice, room)
    await post_to(instance, peer, alice, room, to=[alice.followers], cc=[room.actor.uri])
    outsider = other_peer.add_actor("olga", key_index=3)
    instance_actor = peer.add_actor("actor", key_index=4, kind="Application")  # how Mastodon signs fetches

    for path in (f"/users/{room.slug}/outbox?page=1", f"/users/{room.slug}/followers",
                 f"/users/{room.slug}/outbox"):
        assert (await fetch(instance, path))[0] == 404  # not signed
        assert (await fetch(instance, path, signer=outsider))[0] == 404  # no member on its server
        assert (await fetch(instance, path, signer=instance_actor, forged=True))[0] == 404
        status, body = await fetch(instance, path, signer=instance_actor)  # a member's server
        assert status == 200, body
    status, page = await fetch(instance, f"/users/{room.slug}/outbox?page=1", signer=alice)
    assert [item["to"] for item in page["orderedItems"]] == [[room.actor.followers_url]]

    status, doc = await fetch(instance, f"/users/{room.slug}")  # the actor stays readable: to join
    assert status == 200 and doc["type"] == "Group"
