"""The hashtag page our hashtag links point to: GET /tags/{name} lists the most recent public
local posts with that hashtag, escaped; private, unlisted, deleted and remote posts never show."""

from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest
from sqlalchemy import insert

from pubhub.store import objects as object_store
from tests.support import store
from tests.support.peer import PUBLIC


@pytest.fixture
async def gemeente(instance):
    account = await instance.create_account("gemeente", display_name="Gemeente <Nijmegen>")
    return await instance.token_for(account)


async def get(instance, path: str) -> tuple[int, dict, str]:
    headers = {"Accept": "text/html"}
    async with instance.http.get(instance.base + path, headers=headers, allow_redirects=False) as response:
        return response.status, dict(response.headers), await response.text()


async def post(instance, token, status: str, **fields) -> dict:
    code, body = await instance.request("POST", "/api/v1/statuses", token=token, json={"status": status, **fields})
    assert code == 200, body
    return body


async def test_a_public_post_with_the_hashtag_is_listed_and_its_link_works(instance, gemeente):
    posted = await post(instance, gemeente, "Nieuw #Fietspad langs de Waal")
    link = re.search(r'href="([^"]+/tags/[^"]+)"', posted["content"]).group(1)
    assert link == f"{instance.base}/tags/fietspad"

    for path in ("/tags/fietspad", "/tags/Fietspad", "/tags/FIETSPAD"):
        status, headers, page = await get(instance, path)
        assert status == 200, path
        assert headers["Content-Type"].startswith("text/html")
        assert "<h1>#fietspad</h1>" in page
        assert "langs de Waal" in page
        assert "Gemeente &lt;Nijmegen&gt;" in page and "<Nijmegen>" not in page
        assert posted["url"] in page


async def test_private_unlisted_direct_deleted_and_untagged_posts_are_not_listed(instance, gemeente):
    await post(instance, gemeente, "Openbaar #Fietspad")
    await post(instance, gemeente, "Alleen volgers #Fietspad", visibility="private")
    await post(instance, gemeente, "Stil #Fietspad", visibility="unlisted")
    await post(instance, gemeente, "Direct #Fietspad", visibility="direct")
    removed = await post(instance, gemeente, "Verwijderd #Fietspad")
    await instance.request("DELETE", f"/api/v1/statuses/{removed['id']}", token=gemeente)
    await post(instance, gemeente, "Ander #Fietspaden en fietspad zonder hekje")

    status, _, page = await get(instance, "/tags/fietspad")
    assert status == 200
    assert "Openbaar" in page
    for hidden in ("Alleen volgers", "Stil", "Direct", "Verwijderd", "Ander"):
        assert hidden not in page, hidden


async def test_a_tag_without_posts_is_an_empty_page(instance, gemeente):
    await post(instance, gemeente, "Alleen volgers #Geheim", visibility="private")
    status, _, page = await get(instance, "/tags/geheim")
    assert status == 200
    assert "No public posts with #geheim yet." in page and "Alleen volgers" not in page


async def test_a_script_in_a_tagged_post_is_never_unescaped(instance, gemeente):
    await post(instance, gemeente, "#Fietspad <script>alert(1)</script> <img src=x onerror=alert(2)>",
               spoiler_text="<script>cw()</script>Let op")
    status, _, page = await get(instance, "/tags/fietspad")
    assert status == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script" not in page and "<img" not in page
    assert "Let op" in page


async def test_remote_posts_with_the_hashtag_are_not_listed(instance, peer, gemeente):
    account = await store.actor(instance, f"{instance.base}/users/gemeente")
    alice = peer.add_actor("alice", key_index=1)
    note = peer.note(alice, "<p>Remote #Fietspad</p>", to=[PUBLIC, account.uri],
                     tag=[{"type": "Hashtag", "name": "#Fietspad", "href": f"{peer.base}/tags/fietspad"}])
    create = peer.create(alice, note)
    status, _ = await peer.post(f"{instance.base}/users/gemeente/inbox", create, alice)
    assert status == 202
    await instance.settle()
    assert await store.note(instance, note["id"]) is not None  # stored, with its tag
    await post(instance, gemeente, "Lokaal #Fietspad")
    _, _, page = await get(instance, "/tags/fietspad")
    assert "Lokaal" in page and "Remote" not in page


@pytest.mark.parametrize("path", ["/tags/fiets-pad", "/tags/fiets%20pad", "/tags/%3Cscript%3E", "/tags/%23fietspad",
                                  "/tags/" + "a" * 101, "/tags/fiets.pad", "/tags/"])
async def test_names_that_are_not_hashtags_are_not_found(instance, gemeente, path):
    status, _, page = await get(instance, path)
    assert status == 404, path
    assert "<script" not in page


async def test_names_of_up_to_100_word_characters_are_hashtags(instance, gemeente):
    for name in ("a" * 100, "fiets_pad", "2026", "fietspäd"):
        status, _, _ = await get(instance, f"/tags/{name}")
        assert status == 200, name


async def test_the_page_is_bounded_newest_first(instance, gemeente):
    for number in range(5):
        await post(instance, gemeente, f"Bericht {number} #Fietspad")
    await post(instance, gemeente, "Zonder tag")
    async with instance.runtime.db.read() as session:
        newest_two = await object_store.recent_local_tagged(session, "fietspad", ("public",), limit=2)
        within_scan = await object_store.recent_local_tagged(session, "FietsPad", ("public",), scan=3)
    assert [note.content for note, _ in newest_two] == [
        note.content for note, _ in within_scan[:2]]
    assert "Bericht 4" in newest_two[0][0].content and "Bericht 3" in newest_two[1][0].content
    # Only the 3 most recent public local posts were looked at: one untagged, two tagged.
    assert len(within_scan) == 2
    assert all(author.username == "gemeente" for _, author in within_scan)


async def _insert_local_posts(instance, author_uri: str, texts: list[str]) -> None:
    """Many public local posts at once, newest last (the page's bounds need thousands)."""
    author = await store.actor(instance, author_uri)
    rows = []
    first = (object_store.new_object_id() >> 16) << 16  # this millisecond's first id: room for 65,536
    for text in texts:
        note_id = first + len(rows)
        tags = [{"type": "Hashtag", "name": "#Fietspad", "href": f"{instance.base}/tags/fietspad"}] if "#" in text else []
        rows.append(dict(id=note_id, uri=f"{author_uri}/statuses/{note_id}", url=f"{instance.base}/@gemeente/{note_id}",
                         author_id=author.id, local=True, content=f"<p>{text}</p>", summary="", sensitive=False,
                         visibility="public", to=[PUBLIC], cc=[], tags=tags, published=datetime.now(timezone.utc)))
    async with instance.runtime.db.write() as session:
        await session.execute(insert(store.Object), rows)


async def test_the_page_shows_40_posts_and_looks_at_the_last_2000(instance, gemeente):
    author_uri = f"{instance.base}/users/gemeente"
    await _insert_local_posts(instance, author_uri, [f"Bericht {n} #Fietspad" for n in range(41)])
    _, _, page = await get(instance, "/tags/fietspad")
    assert page.count("Bericht ") == 40
    assert "Bericht 40 " in page and "Bericht 0 " not in page  # newest first: the oldest falls off

    await _insert_local_posts(instance, author_uri, ["Zonder tag"] * 1999)
    _, _, page = await get(instance, "/tags/fietspad")
    assert page.count("Bericht ") == 1 and "Bericht 40 " in page  # the 2000th most recent post

    await _insert_local_posts(instance, author_uri, ["Zonder tag"])
    _, _, page = await get(instance, "/tags/fietspad")
    assert "Bericht " not in page
