"""ActivityStreams vocabulary: media types, contexts, and typed builders for what we send.

Outgoing activities come from these small builders, never from dict literals scattered around.
"""

from __future__ import annotations

from datetime import datetime

AS_CONTEXT = "https://www.w3.org/ns/activitystreams"
SECURITY_CONTEXT = "https://w3id.org/security/v1"
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
PUBLIC_ALIASES = {PUBLIC, "as:Public", "Public"}
ACTIVITY_JSON = "application/activity+json"
LD_JSON_AS = 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"'
ACCEPT_AP = f"{ACTIVITY_JSON}, {LD_JSON_AS}"
ACTOR_TYPES = {"Person", "Service", "Organization", "Group", "Application"}
LOCAL_ACCOUNT_KINDS = {"person": "Person", "service": "Service", "organization": "Organization"}

ACTOR_CONTEXT = [
    AS_CONTEXT,
    SECURITY_CONTEXT,
    {
        "manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
        "toot": "http://joinmastodon.org/ns#",
        "discoverable": "toot:discoverable",
        "indexable": "toot:indexable",
        "Hashtag": "as:Hashtag",
        "sensitive": "as:sensitive",
        "schema": "http://schema.org#",
        "PropertyValue": "schema:PropertyValue",
        "value": "schema:value",
        "blurhash": "toot:blurhash",
        "focalPoint": {"@container": "@list", "@id": "toot:focalPoint"},
    },
]


def is_activitypub_media_type(content_type: str) -> bool:
    """application/activity+json, or application/ld+json with the ActivityStreams profile."""
    main, _, params = content_type.partition(";")
    main = main.strip().lower()
    if main == ACTIVITY_JSON:
        return True
    if main != "application/ld+json":
        return False
    for param in params.split(";"):
        name, _, value = param.strip().partition("=")
        if name.strip().lower() == "profile" and AS_CONTEXT in value.strip().strip('"').split():
            return True
    return False


def iso(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def activity(kind: str, activity_id: str, actor: str, obj, *, to=None, cc=None, published=None) -> dict:
    doc = {"@context": AS_CONTEXT, "id": activity_id, "type": kind, "actor": actor, "object": obj}
    if to is not None:
        doc["to"] = to
    if cc is not None:
        doc["cc"] = cc
    if published is not None:
        doc["published"] = iso(published)
    return doc


def follow(activity_id: str, actor: str, target: str) -> dict:
    return activity("Follow", activity_id, actor, target)


def accept(activity_id: str, actor: str, follow_activity: dict) -> dict:
    return activity("Accept", activity_id, actor, follow_activity)


def reject(activity_id: str, actor: str, follow_activity: dict) -> dict:
    return activity("Reject", activity_id, actor, follow_activity)


def update_actor(activity_id: str, actor_document: dict) -> dict:
    """An `Update` of an actor's own document, public and to its followers (as Mastodon sends it);
    with the actor context, which defines the document's terms."""
    doc = activity("Update", activity_id, actor_document["id"], embedded(actor_document), to=[PUBLIC],
                   cc=[actor_document["followers"]])
    doc["@context"] = ACTOR_CONTEXT
    return doc


def undo(activity_id: str, actor: str, inner: dict) -> dict:
    return activity("Undo", activity_id, actor, inner)


def announce(activity_id: str, actor: str, obj: str | dict, *, to: list[str], cc: list[str], audience: str,
             published: datetime) -> dict:
    """A share (boost) of a note by its URI, e.g. by a group to its followers (FEP-1b12), or a
    group passing on an activity about one (embedded): `audience` names the group."""
    doc = activity("Announce", activity_id, actor, obj, to=to, cc=cc, published=published)
    doc["audience"] = audience
    return doc


def group_removal(activity_id: str, moderator: str, object_uri: str, *, group: str, reason: str) -> dict:
    """A moderator's removal of a post from a group, as Lemmy writes it: a `Delete` of the post
    by the moderator, `cc` the group, whose `summary` (the reason) makes it a removal rather
    than the author's own deletion. The group announces it to its followers."""
    doc = activity("Delete", activity_id, moderator, object_uri, to=[PUBLIC], cc=[group])
    doc["audience"] = group
    doc["summary"] = reason
    return doc


def flag(activity_id: str, actor: str, objects: list[str], content: str) -> dict:
    """A report to another server: the reported actor and posts, the comment (Mastodon's form)."""
    doc = activity("Flag", activity_id, actor, objects)
    doc["content"] = content
    return doc


def embedded(document: dict) -> dict:
    """A document to be embedded in another: without its own @context."""
    return {key: value for key, value in document.items() if key != "@context"}


def tombstone(uri: str) -> dict:
    return {"id": uri, "type": "Tombstone"}


def ordered_collection(collection_id: str, total: int, first: str | None = None) -> dict:
    doc = {"@context": AS_CONTEXT, "id": collection_id, "type": "OrderedCollection", "totalItems": total}
    if first:
        doc["first"] = first
    return doc


def ordered_collection_page(page_id: str, part_of: str, items: list, next_page: str | None, prev_page: str | None) -> dict:
    doc = {"@context": AS_CONTEXT, "id": page_id, "type": "OrderedCollectionPage", "partOf": part_of, "orderedItems": items}
    if next_page:
        doc["next"] = next_page
    if prev_page:
        doc["prev"] = prev_page
    return doc
