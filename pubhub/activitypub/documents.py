"""Our actors and notes as ActivityStreams documents."""

from __future__ import annotations

from ..store.models import Actor, Object
from . import vocab
from .urls import Urls


def actor_document(actor: Actor, urls: Urls) -> dict:
    doc = {
        "@context": vocab.ACTOR_CONTEXT,
        "id": actor.uri,
        "type": actor.kind,
        "preferredUsername": actor.username,
        "name": actor.display_name or actor.username,
        "summary": actor.summary or "",
        "url": actor.url or actor.uri,
        "inbox": actor.inbox,
        "outbox": actor.outbox,
        "followers": actor.followers_url,
        "following": actor.following_url,
        "endpoints": {"sharedInbox": urls.shared_inbox()},
        "manuallyApprovesFollowers": actor.manually_approves,
        "discoverable": actor.kind != "Application",
        "indexable": actor.kind != "Application",
        "published": vocab.iso(actor.created_at),
        "publicKey": {"id": actor.public_key_id, "owner": actor.uri, "publicKeyPem": actor.public_key_pem},
    }
    if actor.kind in ("Person", "Service", "Organization"):  # accounts pin notes; rooms and the instance don't
        doc["featured"] = urls.featured(actor.uri)
    if actor.fields:  # profile fields, as Mastodon writes them
        doc["attachment"] = [{"type": "PropertyValue", "name": f["name"], "value": f["value_html"]} for f in actor.fields]
    if actor.icon_url:
        doc["icon"] = {"type": "Image", "url": actor.icon_url}
    if actor.image_url:
        doc["image"] = {"type": "Image", "url": actor.image_url}
    return doc


def note_document(note: Object, author: Actor, *, with_context: bool = True) -> dict:
    doc = {
        "id": note.uri,
        "type": "Note",
        "attributedTo": author.uri,
        "content": note.content,
        "published": vocab.iso(note.published),
        "url": note.url or note.uri,
        "to": list(note.to or []),
        "cc": list(note.cc or []),
        "sensitive": bool(note.sensitive),
        "summary": note.summary or None,
        "inReplyTo": note.in_reply_to_uri,
        "tag": list(note.tags or []),
    }
    if note.attachments:
        doc["attachment"] = attachment_documents(note.attachments)
    if note.poll:
        doc.update(question_fields(note.poll))
    if note.language:
        doc["contentMap"] = {note.language: note.content}
    if note.updated_at:
        doc["updated"] = vocab.iso(note.updated_at)
    if with_context:
        doc = {"@context": vocab.ACTOR_CONTEXT, **doc}
    return doc


def question_fields(poll: dict) -> dict:
    """A poll's part of its note, as Mastodon writes a `Question`: each option a Note with its
    count, `anyOf` when several may be chosen; `closed` once the poll has ended."""
    options = [{"type": "Note", "name": title, "replies": {"type": "Collection", "totalItems": count}}
               for title, count in zip(poll["options"], poll["counts"])]
    fields = {"type": "Question", "anyOf" if poll["multiple"] else "oneOf": options,
              "endTime": poll["expires_at"], "votersCount": poll["voters_count"]}
    if poll.get("closed"):
        fields["closed"] = poll["expires_at"]
    return fields


def attachment_documents(entries: list[dict]) -> list[dict]:
    """A note's images as Mastodon writes them: a Document each, the alt text as `name`."""
    documents = []
    for entry in entries:
        document = {"type": "Document", "mediaType": entry["media_type"], "url": entry["url"],
                    "name": entry.get("description") or None, "blurhash": entry.get("blurhash"),
                    "focalPoint": entry.get("focus") or [0.0, 0.0]}
        if entry.get("width") and entry.get("height"):
            document.update(width=entry["width"], height=entry["height"])
        documents.append(document)
    return documents


def create_document(note: Object, author: Actor, urls: Urls) -> dict:
    return _note_activity("Create", urls.create_activity(note.uri), note, author, note.published)


def _note_activity(kind: str, activity_id: str, note: Object, author: Actor, published) -> dict:
    """A Create or Update carrying the whole note, addressed as the note is."""
    return {
        "@context": vocab.ACTOR_CONTEXT,
        "id": activity_id,
        "type": kind,
        "actor": author.uri,
        "published": vocab.iso(published),
        "to": list(note.to or []),
        "cc": list(note.cc or []),
        "object": note_document(note, author, with_context=False),
    }


def delete_document(note: Object, author: Actor, urls: Urls) -> dict:
    return {
        "@context": vocab.AS_CONTEXT,
        "id": f"{note.uri}#delete",
        "type": "Delete",
        "actor": author.uri,
        "to": list(note.to or []),
        "cc": list(note.cc or []),
        "object": vocab.tombstone(note.uri),
    }


def like_document(uri: str, actor: Actor, note: Object) -> dict:
    return {"@context": vocab.AS_CONTEXT, "id": uri, "type": "Like", "actor": actor.uri, "object": note.uri}


def announce_document(uri: str, actor: Actor, note: Object, author: Actor, published) -> dict:
    """A boost as Mastodon addresses it: a public note's to everyone, an unlisted one's to the
    booster's followers (public in cc); the note's author always in cc."""
    if note.visibility == "public":
        to, cc = [vocab.PUBLIC], [author.uri, actor.followers_url]
    else:
        to, cc = [actor.followers_url], [author.uri, vocab.PUBLIC]
    return {"@context": vocab.AS_CONTEXT, "id": uri, "type": "Announce", "actor": actor.uri,
            "published": vocab.iso(published), "to": to, "cc": cc, "object": note.uri}


def undo_document(activity: dict) -> dict:
    """The Undo of one of our activities, addressed as it was."""
    inner = {key: value for key, value in activity.items() if key != "@context"}
    undo = {"@context": vocab.AS_CONTEXT, "id": f"{activity['id']}/undo", "type": "Undo", "actor": activity["actor"],
            "object": inner}
    for key in ("to", "cc"):
        if key in activity:
            undo[key] = activity[key]
    return undo


def update_document(note: Object, author: Actor) -> dict:
    """An edit of a note, as Mastodon sends it: the whole Note (with `updated`) in an Update."""
    return _note_activity("Update", f"{note.uri}#updates/{int(note.updated_at.timestamp())}", note, author,
                          note.updated_at)


def featured_document(collection_id: str, notes: list[Object], author: Actor) -> dict:
    """The pinned notes, embedded whole, as Mastodon serves `featured`."""
    items = [note_document(note, author, with_context=False) for note in notes]
    return {"@context": vocab.ACTOR_CONTEXT, "id": collection_id, "type": "OrderedCollection",
            "totalItems": len(items), "orderedItems": items}


def pin_document(uri: str, kind: str, actor: Actor, note: Object, featured: str) -> dict:
    """`Add` (pinned) or `Remove` (unpinned) of a note to the actor's featured collection."""
    return {"@context": vocab.AS_CONTEXT, "id": uri, "type": kind, "actor": actor.uri, "object": note.uri,
            "target": featured, "to": [vocab.PUBLIC], "cc": [actor.followers_url]}
