"""A room's page, `/@slug`: its name, description, house rules, member count, recent shared
posts and how to join from Mastodon; a members-only room's page shows only its name,
description and how to join."""

from __future__ import annotations

from pubhub.rooms import members
from pubhub.rooms.directory import room_named, update_room
from tests.social.test_visibility_paths import page
from tests.support import store
from tests.support.rooms import join, make_room, post_to


async def _describe(instance, room, **changes) -> None:
    rt = instance.runtime
    async with rt.db.write() as session:
        await update_room(rt, session, None, await room_named(session, room.slug), **changes)


async def test_a_public_room_s_page_shows_what_it_is_its_rules_members_posts_and_how_to_join(instance, peer, alice):
    room = await make_room(instance, moderation="post")
    await _describe(instance, room, description="Alles over de wijk Oost.",
                    rules="Blijf vriendelijk.\nGeen <script>reclame</script>.")
    await join(instance, peer, alice, room)
    await post_to(instance, peer, alice, room, "De lantaarnpaal is kapot")
    status, html = await page(instance, f"/@{room.slug}")
    assert status == 200
    assert "<h1>Wijkraad</h1>" in html and "Alles over de wijk Oost." in html
    assert "<li>Blijf vriendelijk.</li>" in html and "&lt;script&gt;reclame&lt;/script&gt;" in html
    assert "<script>" not in html
    assert "1 member" in html
    assert "De lantaarnpaal is kapot" in html and f"@alice@{peer.domain}" in html
    assert f"search for <strong class=\"handle\">@{room.slug}@{instance.domain}</strong> and follow it" in html


async def test_a_members_only_room_s_page_shows_only_its_name_description_and_how_to_join(instance, peer, alice):
    room = await make_room(instance, visibility="members", join="approval")
    await _describe(instance, room, description="Voor bewoners.", rules="Geheime regel")
    await join(instance, peer, alice, room)
    rt = instance.runtime
    async with rt.db.write() as session:
        await members.accept_join(rt, session, None, await room_named(session, room.slug),
                                  (await store.actor(instance, alice.uri)).id)
    await post_to(instance, peer, alice, room, "Alleen voor leden", to=[alice.followers], cc=[room.actor.uri])
    status, html = await page(instance, f"/@{room.slug}")
    assert status == 200
    assert "<h1>Wijkraad</h1>" in html and "Voor bewoners." in html
    assert f"@{room.slug}@{instance.domain}" in html and "A moderator approves each new member." in html
    assert "Alleen voor leden" not in html and "Geheime regel" not in html and "member</p>" not in html
    assert "Only members see what this room shares." in html


async def test_an_unknown_room_is_not_found(instance):
    assert (await page(instance, "/@nergens"))[0] == 404
