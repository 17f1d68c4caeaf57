"""Request parameters the way Mastodon takes them (query string, form or JSON body), checked
against a pydantic model that declares each one's type and bounds; and JSON answers.

Rails (Mastodon) reads `key[]=a&key[]=b` as a list and `key[0][name]=x` as nested values; so do
we. A value of the wrong type is a 422 with Mastodon's body (`Validation failed: ...`), never a
`str()` of whatever arrived.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Iterable, TypeVar

from aiohttp import web
from pydantic import (BaseModel, BeforeValidator, ConfigDict, PlainValidator, StringConstraints, ValidationError,
                      model_validator)

from ..errors import Unprocessable
from ..jsonutil import dumps, loads_untrusted
from .bodies import read_body, read_form_pairs, read_multipart

MAX_PARAMS_BYTES = 1024 * 1024
_NESTED = re.compile(r"^([A-Za-z_][\w]*)\[(\w*)\](?:\[(\w*)\])?$")
# Rails' ActiveModel::Type::Boolean, minus its "anything else is true": a typo is an error here.
_TRUE = {"1", "true", "t", "on", "yes", "y"}
_FALSE = {"0", "false", "f", "off", "no", "n"}

Model = TypeVar("Model", bound=BaseModel)


class Params(BaseModel):
    """Base of every endpoint's parameters: unknown ones are ignored (as Mastodon does), known
    ones must have their declared type."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _no_nul_characters(cls, data: Any) -> Any:
        # PostgreSQL cannot store U+0000 in text: refused here as bad input, not a 500 there.
        if _holds_nul(data):
            raise ValueError("text may not contain NUL (U+0000) characters")
        return data


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(key) or _holds_nul(item) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return any(_holds_nul(item) for item in value)
    return False


def _flag(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if word == "":
            return None  # Rails: a blank boolean is nil, i.e. not given
        if word in _TRUE or word in _FALSE:
            return word in _TRUE
    raise ValueError("must be a boolean (true/false or 1/0)")


def _id_text(value: Any) -> Any:
    """Ids arrive as strings (Mastodon's ids are strings) or, from some clients, as JSON numbers."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


Flag = Annotated[bool | None, PlainValidator(_flag)]
IdText = Annotated[str, BeforeValidator(_id_text), StringConstraints(max_length=64)]


def Text(max_length: int):  # noqa: N802 - reads as a type in the models
    return Annotated[str, StringConstraints(max_length=max_length)]


async def read_params(request: web.Request, model: type[Model]) -> Model:
    """The query string merged with the body (the body wins), validated by `model`."""
    raw = _unflatten(request.query.items())
    if request.content_type == "application/json":
        raw.update(loads_untrusted(await read_body(request, MAX_PARAMS_BYTES)))
    elif request.can_read_body:
        raw.update(_unflatten(await read_form_pairs(request)))
    return validate(model, raw)


async def read_params_and_files(request: web.Request, model: type[Model], file_names: tuple[str, ...],
                                limit: int) -> tuple[Model, dict[str, bytes]]:
    """As read_params, and from a multipart body also the files named (streamed, each at most
    `limit` bytes): for forms that carry images (a profile's avatar)."""
    if not request.content_type.startswith("multipart/form-data"):
        return await read_params(request, model), {}
    files, pairs = await read_multipart(request, file_names, limit)
    raw = _unflatten(request.query.items())
    raw.update(_unflatten(pairs))
    return validate(model, raw), files


def validate(model: type[Model], raw: dict) -> Model:
    # JSON null is "not given", as in Rails.
    present = {key: value for key, value in raw.items() if value is not None}
    try:
        return model.model_validate(present)
    except ValidationError as exc:
        raise Unprocessable("Validation failed: " + describe(exc)) from exc


def describe(exc: ValidationError) -> str:
    """`name: problem` for each parameter that failed, the way a client can show it."""
    seen: dict[str, str] = {}
    for error in exc.errors(include_url=False):
        location = ".".join(str(part) for part in error["loc"][:3] if not _is_type_tag(part)) or "body"
        message = error["msg"].removeprefix("Value error, ")
        seen.setdefault(location, message)
    return ", ".join(f"{name}: {message}" for name, message in seen.items())


def _is_type_tag(part) -> bool:
    """pydantic names the union member tried (`str`, `list[str]`...) in the location: not a field."""
    return isinstance(part, str) and (part in ("str", "int", "bool", "function-plain[_flag()]")
                                     or part.startswith(("list[", "dict[", "constrained-str", "function-")))


def _unflatten(pairs: Iterable[tuple[str, str]]) -> dict:
    """Rails' parameter names: `a[]` → list, `a[key]` → dict, `a[key][]` → dict of lists,
    `a[0][name]` / `a[][name]` → list of dicts."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        match = _NESTED.match(key)
        if match is None:
            out[key] = value
            continue
        name, index, sub = match.groups()
        if sub == "" and index and not index.isdigit():  # `poll[options][]`: a named member's list
            member = out.setdefault(name, {})
            if isinstance(member, dict) and isinstance(member.setdefault(index, []), list):
                member[index].append(value)
            continue
        if sub == "":  # `a[][]`, `a[0][]`: no Mastodon parameter has that shape
            continue
        if sub is None and index and not index.isdigit():  # `home[last_read_id]`: a named member
            slot = out.setdefault(name, {})
            if isinstance(slot, dict):
                slot[index] = value
            continue
        if sub is None:
            slot = out.setdefault(name, [])
            if isinstance(slot, list):
                slot.append(value)
            continue
        slot = out.setdefault(name, {})
        if not isinstance(slot, dict):
            continue
        if not index:  # `a[][name]`: a new entry whenever the last one has this key already
            last = slot.get(str(len(slot) - 1))
            index = str(len(slot) - 1) if isinstance(last, dict) and sub not in last else str(len(slot))
        entry = slot.setdefault(index, {})
        if isinstance(entry, dict):
            entry[sub] = value
    return out


def ok(body, status: int = 200, headers: dict | None = None) -> web.Response:
    return web.Response(body=dumps(body), status=status, content_type="application/json", headers=headers)
