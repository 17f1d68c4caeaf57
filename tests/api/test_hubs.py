"""Hubs and rooms made and changed through the admin API, over real HTTP: an admin creates a
hub and names its moderators; a moderator creates rooms in it (a room is a Group actor whose
name shares the accounts' namespace) and changes their policy; lists are paged with Link."""

from __future__ import annotations

from tests.support import store


async def _admin(instance):
    admin = await instance.create_account("beheer", role="admin")
    return admin, await instance.token_for(admin, "read admin:read admin:write")


async def test_an_admin_makes_a_hub_and_a_moderator_makes_a_room_in_it(instance):
    admin, token = await _admin(instance)
    status, hub = await instance.request("POST", "/api/v1/pubhub/hubs", token=token, json={
        "slug": "oost", "name": "Gemeente Oost", "description": "De wijken van Oost", "rules": "Wees aardig."})
    assert status == 200, hub
    assert (hub["slug"], hub["name"], hub["rules"], hub["moderators"]) == ("oost", "Gemeente Oost", "Wees aardig.", [])

    anna = await instance.create_account("anna", role="moderator")
    status, moderators = await instance.request("POST", f"/api/v1/pubhub/hubs/{hub['id']}/moderators", token=token,
                                                data={"account_id": str(anna.id)})
    assert status == 200 and [m["username"] for m in moderators] == ["anna"]
    user = await instance.create_account("burger")
    status, body = await instance.request("POST", f"/api/v1/pubhub/hubs/{hub['id']}/moderators", token=token,
                                          json={"account_id": user.id})
    assert status == 422 and "give it the role moderator first" in body["error"]

    anna_token = await instance.token_for(anna, "read admin:read admin:write")
    status, room = await instance.request("POST", f"/api/v1/pubhub/hubs/{hub['id']}/rooms", token=anna_token,
                                          json={"slug": "wijkraad", "name": "Wijkraad Oost", "rules": "Over de wijk."})
    assert status == 200, room
    assert room["policy"] == {"join": "open", "post": "members", "moderation": "none", "visibility": "public"}
    assert (room["acct"], room["name"], room["members_count"]) == (f"wijkraad@{instance.domain}", "Wijkraad Oost", 0)
    assert room["account"]["group"] is True
    status, account = await instance.request("GET", f"/api/v1/accounts/{room['account']['id']}", token=anna_token)
    assert status == 200 and account["group"] is True and account["acct"] == "wijkraad"
    status, document = await instance.get_ap("/users/wijkraad")
    assert status == 200 and document["type"] == "Group" and document["publicKey"]["publicKeyPem"]

    for slug, problem in (("wijkraad", "is taken"), ("anna", "is taken"), ("admin", "not reserved"),
                          ("Wijk-Raad!", "must be 1-30")):
        status, body = await instance.request("POST", f"/api/v1/pubhub/hubs/{hub['id']}/rooms", token=anna_token,
                                              json={"slug": slug, "name": "X"})
        assert status in (400, 422) and problem in body["error"], (slug, body)
    status, body = await instance.request("POST", f"/api/v1/pubhub/hubs/{hub['id']}/rooms", token=anna_token,
                                          json={"slug": "x", "name": "X", "moderation": "sometimes"})
    assert status == 422 and body["error"].startswith("Validation failed: moderation")
    assert await store.count(instance, store.Room) == 1

    status, changed = await instance.request("PATCH", f"/api/v1/pubhub/rooms/{room['id']}", token=anna_token,
                                             json={"join": "approval", "moderation": "pre", "description": "Alles over Oost"})
    assert status == 200, changed
    assert changed["policy"]["join"] == "approval" and changed["policy"]["moderation"] == "pre"
    assert changed["account"]["locked"] is True and changed["description"] == "Alles over Oost"
    status, document = await instance.get_ap("/users/wijkraad")
    assert document["manuallyApprovesFollowers"] is True and "Alles over Oost" in document["summary"]


async def test_hubs_are_listed_newest_first_with_link_pagination(instance):
    admin, token = await _admin(instance)
    for slug in ("a", "b", "c"):
        status, _ = await instance.request("POST", "/api/v1/pubhub/hubs", token=token, json={"slug": slug, "name": slug})
        assert status == 200
    async with instance.http.get(instance.base + "/api/v1/pubhub/hubs?limit=2",
                                 headers={"Authorization": f"Bearer {token}"}) as response:
        first, link = await response.json(), response.headers["Link"]
    assert [h["slug"] for h in first] == ["c", "b"] and 'rel="next"' in link
    status, rest = await instance.request("GET", link.split(">;", 1)[0].lstrip("<").removeprefix(instance.base), token=token)
    assert [h["slug"] for h in rest] == ["a"]
    status, body = await instance.request("POST", "/api/v1/pubhub/hubs", token=token, json={"slug": "a", "name": "again"})
    assert status == 422 and "exists already" in body["error"]
    status, body = await instance.request("POST", "/api/v1/pubhub/hubs", token=token, json={"slug": "z"})
    assert status == 422 and body["error"].startswith("Validation failed: name")
    status, body = await instance.request("PATCH", f"/api/v1/pubhub/hubs/{first[0]['id']}", token=token,
                                          json={"rules": ["not", "text"]})
    assert status == 422 and await store.count(instance, store.Hub) == 3
    status, body = await instance.request("GET", "/api/v1/pubhub/hubs/99999999", token=token)
    assert (status, body) == (404, {"error": "Record not found"})
