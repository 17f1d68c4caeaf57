"""Mastodon.py (a real client, in a thread, over HTTP) favourites, boosts, bookmarks, edits a
status and reads its history, with the calls its documentation names."""

from __future__ import annotations

import asyncio
import warnings

from mastodon import Mastodon


async def test_mastodon_py_favourites_boosts_bookmarks_and_edits(instance):
    gemeente = await instance.create_account("gemeente")
    anna = await instance.create_account("anna")
    tokens = [await instance.token_for(account) for account in (gemeente, anna)]

    def use_it():
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            author, reader = (Mastodon(access_token=token, api_base_url=instance.base, version_check_mode="none",
                                       request_timeout=10) for token in tokens)
            posted = author.status_post("Inspraakavond donderdag")
            favourited = reader.status_favourite(posted["id"])
            boost = reader.status_reblog(posted["id"])
            bookmarked = reader.status_bookmark(posted["id"])
            bookmarks = reader.bookmarks()
            edited = author.status_update(posted["id"], "Inspraakavond vrijdag", spoiler_text="Verplaatst")
            history = reader.status_history(posted["id"])
            fans = author.status_favourited_by(posted["id"])
            unfavourited = reader.status_unfavourite(posted["id"])
        return posted, favourited, boost, bookmarked, bookmarks, edited, history, fans, unfavourited

    posted, favourited, boost, bookmarked, bookmarks, edited, history, fans, unfavourited = await asyncio.to_thread(use_it)
    assert favourited["favourited"] is True and favourited["favourites_count"] == 1
    assert boost["reblog"]["id"] == posted["id"] and boost["reblog"]["reblogged"] is True
    assert boost["account"]["username"] == "anna"
    assert bookmarked["bookmarked"] is True and [s["id"] for s in bookmarks] == [posted["id"]]
    assert edited["content"] == "<p>Inspraakavond vrijdag</p>" and edited["edited_at"] is not None
    assert [v["content"] for v in history] == ["<p>Inspraakavond donderdag</p>", "<p>Inspraakavond vrijdag</p>"]
    assert history[1]["spoiler_text"] == "Verplaatst"
    assert [a["username"] for a in fans] == ["anna"]
    assert unfavourited["favourited"] is False and unfavourited["favourites_count"] == 0
