"""A local account's profile: display name, bio, fields, locked; changed by its owner and
federated as an `Update` of the actor."""

from __future__ import annotations

from dataclasses import dataclass

from ..accounts.admin import federate_profile, set_note
from ..activitypub.urls import Urls
from ..compose import text_html
from ..errors import NotFound
from ..runtime import Runtime
from ..store import actors as actor_store
from ..store.models import Actor
from .images import HEADER
from .link_verification import verify_links_later
from .media import own_file, store_avatar

# Mastodon's limits (app/models/account.rb): display name 30, note 500, 4 fields of 255 each.
MAX_DISPLAY_NAME = 30
MAX_NOTE = 500
MAX_FIELDS = 4
MAX_FIELD_NAME = 255
MAX_FIELD_VALUE = 255


@dataclass(frozen=True)
class ProfileChange:
    """What the owner changes; None leaves it as it is."""

    display_name: str | None = None
    note: str | None = None
    locked: bool | None = None
    fields: list[tuple[str, str]] | None = None
    avatar: bytes | None = None  # the images as uploaded
    header: bytes | None = None


def field_html(text: str, urls: Urls) -> str:
    """A field's value as a note is made (compose.text_html), on one line: no paragraph."""
    rendered = text_html(text.replace("\n", " "), tag_url=urls.tag)
    return rendered.removeprefix("<p>").removesuffix("</p>")


def _apply(actor: Actor, change: ProfileChange, urls: Urls) -> None:
    if change.display_name is not None:
        actor.display_name = change.display_name.strip()
    if change.note is not None:
        set_note(actor, change.note, urls)
    if change.locked is not None:
        actor.manually_approves = change.locked
    if change.fields is not None:
        actor.fields = [{"name": name, "value": value, "value_html": field_html(value, urls)}
                        for name, value in change.fields[:MAX_FIELDS]]


async def update_profile(rt: Runtime, account: Actor, change: ProfileChange) -> Actor:
    """Change the profile and send an `Update` of the actor to every follower's server (shared
    inboxes), in one transaction. Returns the account as it is now."""
    avatar = await store_avatar(rt, change.avatar) if change.avatar is not None else None
    header = await store_avatar(rt, change.header, HEADER) if change.header is not None else None
    new_files = [name for name in (avatar, header) if name]
    try:
        async with rt.db.write() as session:
            actor = await actor_store.by_id(session, account.id)
            if actor is None or not actor.local or actor.deleted_at is not None:
                raise NotFound("Record not found")
            replaced = [own_file(rt, actor.icon_url) if avatar else None, own_file(rt, actor.image_url) if header else None]
            _apply(actor, change, rt.urls)
            if avatar:
                actor.icon_url = rt.urls.media_file(avatar)
            if header:
                actor.image_url = rt.urls.media_file(header)
            await federate_profile(rt, session, actor)
    except BaseException:
        await rt.media.remove(new_files)
        raise
    # the old pictures, once nothing points to them
    await rt.media.remove([name for name in replaced if name])
    rt.actors.forget(actor.uri)  # this process's cached copy (if any) is the old profile
    if change.fields is not None:
        verify_links_later(rt, actor.id)  # links back with rel="me"? (after the commit, not in the request)
    return actor
