"""Reading remote JSON: every value is one of several shapes or anything at all.

ActivityStreams lets a property be one value or an array, a reference be a URI or an embedded
object, and `type` be a string or an array of strings; a hostile server may send numbers,
objects or nulls anywhere. Code that reads remote documents asks these accessors, which answer
with the shape it expects or with nothing, never with a surprise.
"""

from __future__ import annotations

from typing import Iterable

MANY = 500  # the most entries of one property we look at


def as_list(value) -> list:
    """One-or-many: the values of a property (None: none)."""
    if value is None:
        return []
    return value[:MANY] if isinstance(value, list) else [value]


def id_of(value) -> str | None:
    """Id-or-object: the id of a reference that may be a URI string or an embedded object."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        return value["id"]
    return None


def first_id(value) -> str | None:
    """The id of the first of one-or-many references."""
    values = as_list(value)
    return id_of(values[0]) if values else None


def ids_of(value) -> list[str]:
    """The ids of one-or-many references; entries without an id are skipped."""
    return [found for found in map(id_of, as_list(value)) if found is not None]


def text(document, key: str) -> str | None:
    """String-or-nothing."""
    value = document.get(key) if isinstance(document, dict) else None
    return value if isinstance(value, str) else None


def objects(value) -> list[dict]:
    """The embedded objects among one-or-many values (links given as bare URIs are skipped)."""
    return [item for item in as_list(value) if isinstance(item, dict)]


def types_of(document) -> list[str]:
    """The types of a document: `type` as a string or an array of strings."""
    value = document.get("type") if isinstance(document, dict) else None
    return [kind for kind in as_list(value) if isinstance(kind, str)]


def is_a(document, kinds: Iterable[str]) -> bool:
    """Whether the document has one of `kinds` among its types."""
    return not set(types_of(document)).isdisjoint(kinds)


def type_among(document, kinds: Iterable[str]) -> str | None:
    """The first of the document's types that is one of `kinds`, else its first type, if any."""
    found = types_of(document)
    return next((kind for kind in found if kind in kinds), found[0] if found else None)
