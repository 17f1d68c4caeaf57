"""Mastodon.py (a real client, in a thread, over HTTP) follows hashtags, lists them page by page
through the Link header, reads a hashtag and its history, and unfollows, with the calls its
documentation names."""

from __future__ import annotations

import asyncio
import warnings

from mastodon import Mastodon


async def test_mastodon_py_follows_lists_reads_and_unfollows_hashtags(instance):
    anna = await instance.create_account("anna")
    token = await instance.token_for(anna)
    await instance.post_status(token, status="Zaterdag #Markt")

    def use_it():
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            api = Mastodon(access_token=token, api_base_url=instance.base, version_check_mode="none",
                           request_timeout=10)
            followed = [api.tag_follow(name) for name in ("markt", "Afval", "wegwerk")]
            first = api.followed_tags(limit=2)
            second = api.fetch_next(first)
            tag = api.tag("MARKT")
            unfollowed = api.tag_unfollow("afval")
            left = api.followed_tags()
        return followed, first, second, tag, unfollowed, left

    followed, first, second, tag, unfollowed, left = await asyncio.to_thread(use_it)
    assert [(t["name"], t["following"]) for t in followed] == [("markt", True), ("afval", True), ("wegwerk", True)]
    assert [t["name"] for t in first] == ["wegwerk", "afval"] and [t["name"] for t in second] == ["markt"]
    assert tag["name"] == "markt" and tag["following"] is True
    assert len(tag["history"]) == 7 and int(tag["history"][0]["uses"]) == 1 and int(tag["history"][0]["accounts"]) == 1
    assert unfollowed["name"] == "afval" and unfollowed["following"] is False
    assert [t["name"] for t in left] == ["wegwerk", "markt"]
