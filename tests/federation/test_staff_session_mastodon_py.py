"""Issue 12's proof: an agency's staff member uses PubHub through Mastodon.py, the way an app
does, while a citizen on a second PubHub instance answers. Create the app and sign in on the
OAuth pages; upload an image with alt text and post it; read the home timeline; the citizen on B
replies and favourites; the staff member's notifications show the follow, the reply and the
favourite (the streaming API's delivery within a second: tests/api/test_streaming.py)."""

from __future__ import annotations

import asyncio

from tests.federation.test_two_instances import follow_across, note_by_uri, settle
from tests.social.test_images import jpeg_with_location
from tests.support.instance import Instance
from tests.support.oauth import account_with_password, mastodon_py_signed_in


async def test_a_whole_staff_session_through_mastodon_py_with_a_citizen_on_another_instance(make_database):
    a = await Instance(await make_database()).start()
    b = await Instance(await make_database()).start()
    try:
        await account_with_password(a, "gemeente", display_name="Gemeente Oost")
        api, _ = await mastodon_py_signed_in(a, "gemeente")
        burger_token = await b.token_for(await b.create_account("burger"))
        await follow_across(a, b, burger_token, f"gemeente@{a.domain}")

        def post_with_an_image():
            media = api.media_post(jpeg_with_location((640, 480)), mime_type="image/jpeg",
                                   description="De nieuwe fietsenstalling bij het station")
            posted = api.status_post("De fietsenstalling is open.", media_ids=[media["id"]])
            return media, posted, api.timeline_home()

        media, posted, home = await asyncio.to_thread(post_with_an_image)
        assert media["type"] == "image" and media["url"].startswith(a.base + "/media/")
        assert [s["id"] for s in home] == [posted["id"]]
        assert home[0]["media_attachments"][0]["description"] == "De nieuwe fietsenstalling bij het station"
        await settle(a, b)

        # The citizen on B sees the post with its image, replies and favourites.
        copy = await note_by_uri(b, posted["uri"])
        assert copy is not None and copy.attachments[0]["description"] == "De nieuwe fietsenstalling bij het station"
        status, reply = await b.request("POST", "/api/v1/statuses", token=burger_token, json={
            "status": f"@gemeente@{a.domain} Eindelijk, dank!", "in_reply_to_id": str(copy.id)})
        assert status == 200, reply
        status, _ = await b.request("POST", f"/api/v1/statuses/{copy.id}/favourite", token=burger_token)
        assert status == 200
        await settle(a, b)

        def read_notifications():
            return api.notifications(), api.status_context(posted["id"])

        notifications, context = await asyncio.to_thread(read_notifications)
        assert sorted(n["type"] for n in notifications) == ["favourite", "follow", "mention"]
        assert {n["account"]["acct"] for n in notifications} == {f"burger@{b.domain}"}
        [answer] = context["descendants"]
        assert answer["uri"] == reply["uri"] and "Eindelijk, dank!" in answer["content"]
    finally:
        await a.stop()
        await b.stop()
