"""The OpenAPI 3.1 document of the client and admin API, served at GET /api/openapi.json.

It is made from what the server really runs, so it cannot drift from it: every route of the
route tables, the scopes each handler declares (`@requires`), and the parameters of the pydantic
model each handler reads (api/schemas.py and the like) as query parameters or as the request
body. Summaries are the handlers' own docstrings.
"""

from __future__ import annotations

import functools
import inspect
import re

from aiohttp import web

from .. import __version__
from ..accounts.principal import SCOPES
from ..http.keys import runtime
from ..http.params import Params, ok
from .schemas import NoParams

PATH_PARAMETER = re.compile(r"{(\w+)}")
BODY_METHODS = ("POST", "PUT", "PATCH")
FORM_TYPES = ("application/json", "application/x-www-form-urlencoded", "multipart/form-data")
ERROR = {"$ref": "#/components/schemas/Error"}
# The one body that is not a parameter model: an upload (api/media.py reads it as a stream).
UPLOAD = {"type": "object", "required": ["file"], "properties": {
    "file": {"type": "string", "contentMediaType": "application/octet-stream",
             "description": "The image: JPEG, PNG, WebP or GIF."},
    "description": {"type": "string", "maxLength": 1500, "description": "Alt text."},
    "focus": {"type": "string", "description": "x,y, each from -1.0 to 1.0."}}}


def document(routes: list[tuple[str, str, object]], base_url: str, title: str) -> dict:
    schemas = {"Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}}}
    paths: dict[str, dict] = {}
    for method, path, handler in routes:
        paths.setdefault(path, {})[method.lower()] = _operation(method, path, handler, schemas)
    return {
        "openapi": "3.1.0",
        "info": {"title": f"{title} API (PubHub, Mastodon-compatible)", "version": __version__,
                 "description": "Mastodon's client and admin API as PubHub serves it, and PubHub's own under "
                                "/api/v1/pubhub/. Parameters may be sent as JSON, a form, or in the query string."},
        "servers": [{"url": base_url}],
        "paths": paths,
        "components": {"schemas": schemas, "securitySchemes": {"oauth2": {
            "type": "oauth2", "flows": {
                "authorizationCode": {"authorizationUrl": f"{base_url}/oauth/authorize",
                                      "tokenUrl": f"{base_url}/oauth/token", "scopes": _scope_names()},
                "clientCredentials": {"tokenUrl": f"{base_url}/oauth/token", "scopes": _scope_names()}}}}},
    }


def _operation(method: str, path: str, handler, schemas: dict) -> dict:
    inner = inspect.unwrap(handler)
    operation = {
        "operationId": re.sub(r"[^a-z0-9]+", "_", f"{method} {path}".lower()).strip("_"),  # unique per route
        "summary": _summary(inner), "tags": [_tag(path)],
        "parameters": [{"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
                       for name in PATH_PARAMETER.findall(path)],
        "responses": {"200": {"description": "Success (Mastodon's entity)"},
                      "4XX": {"description": "Refused, with the reason", "content": {"application/json": {"schema": ERROR}}}},
    }
    scopes = getattr(handler, "scopes", None)
    if scopes is not None:
        # Any one of the declared scopes is enough (a broad one covers its sub-scopes).
        operation["security"] = [{"oauth2": [scope]} for scope in scopes] or [{"oauth2": []}]
    else:
        operation["security"] = []  # no token needed
    model = params_model(inner)
    if inner.__name__ == "upload" and inner.__module__.endswith(".media"):
        operation["requestBody"] = {"required": True, "content": {"multipart/form-data": {"schema": UPLOAD}}}
    elif model is not None:
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(schema.pop("$defs", {}))
        if method in BODY_METHODS:
            operation["requestBody"] = {"content": {kind: {"schema": schema} for kind in FORM_TYPES}}
        else:
            required = set(schema.get("required", ()))
            operation["parameters"] += [{"name": name, "in": "query", "required": name in required, "schema": prop}
                                        for name, prop in schema.get("properties", {}).items()]
    return operation


def params_model(handler) -> type[Params] | None:
    """The parameter model a handler reads: the Params class among the global names its code
    refers to, or the code of the module's functions it calls (a shared list helper reads the
    page); None for one that takes none."""
    found = _models(handler)
    for name in handler.__code__.co_names:
        helper = handler.__globals__.get(name)
        if inspect.isfunction(helper) and helper.__module__ == handler.__module__:
            found += _models(helper)
    return next((model for model in found if model is not NoParams), None)


def _models(function) -> list[type[Params]]:
    return [value for name in function.__code__.co_names
            if isinstance(value := function.__globals__.get(name), type) and issubclass(value, Params)]


def _summary(handler) -> str:
    doc = inspect.getdoc(handler)
    return doc.split("\n\n")[0].replace("\n", " ") if doc else handler.__name__.replace("_", " ").capitalize()


def _tag(path: str) -> str:
    parts = [p for p in path.split("/") if p and not p.startswith("{")]
    if parts[:1] != ["api"]:
        return "oauth"
    if len(parts) < 3:
        return "openapi"
    return "/".join(parts[2:4]) if parts[2] in ("admin", "pubhub") and len(parts) > 3 else parts[2]


@functools.cache
def _scope_names() -> dict[str, str]:
    return {scope: scope for scope in sorted(SCOPES)}


def serving(routes: list[tuple[str, str, object]]):
    """The handler of GET /api/openapi.json for these route tables (read when asked, so the
    document's own route, added to them afterwards, is in it too)."""

    async def serve(request: web.Request) -> web.Response:
        """This document (no token needed)."""
        settings = runtime(request).settings
        return ok(document(routes, settings.base_url, settings.instance_name))

    return serve
