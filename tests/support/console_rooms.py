"""A room to moderate in the console: wijkraad (hub oost, pre-moderated, anyone may post), with
two of inwoner's posts waiting (one with markup to show escaped) and inwoner a member; and the
hub moderator marit, signed in by the caller."""

from __future__ import annotations

from dataclasses import dataclass

from pubhub.rooms.directory import RoomActor
from pubhub.rooms.hubs import add_moderator
from pubhub.store.models import ModerationItem
from tests.support.console import staff
from tests.support.oauth import account_with_password
from tests.support.rooms import make_hub, make_room, submit
from tests.support.store import all_of

POSTS = ("Wanneer komt de <b>nieuwe</b> stoep?", "Koop mijn fiets")


@dataclass
class Scene:
    target: RoomActor
    author: object
    author_token: str
    items: list[int]  # the queue items of POSTS, in order


async def join_room(instance, token: str, target: RoomActor) -> None:
    """A local account joins through the client API (the room's join policy answers)."""
    status, body = await instance.request("POST", f"/api/v1/accounts/{target.actor.id}/follow", token=token)
    assert status == 200, body


async def moderate_hub(instance, account, hub: str) -> None:
    async with instance.runtime.db.write() as session:
        await add_moderator(session, None, await make_hub(session, instance, hub), account.id,
                            instance.runtime.clock.now())


async def room_with_a_queue(instance, *, join: str = "open") -> Scene:
    target = await make_room(instance, "wijkraad", hub="oost", moderation="pre", post="anyone", join=join)
    author = await account_with_password(instance, "inwoner")
    token = await instance.token_for(author, "read write follow")
    for text in POSTS:
        status = await instance.post_status(token, status=text)
        await submit(instance, "wijkraad", status["uri"])
    items = [item.id for item in await all_of(instance, ModerationItem, ModerationItem.author_id == author.id)]
    await join_room(instance, token, target)
    marit = await staff(instance, "marit")
    await moderate_hub(instance, marit, "oost")
    return Scene(target, author, token, items)
