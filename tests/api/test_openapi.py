"""GET /api/openapi.json: a valid OpenAPI 3.1 document of every client, admin and OAuth route the
running app serves (and nothing it does not), with each route's scopes and parameters as the
handlers declare them."""

from __future__ import annotations

from openapi_spec_validator import validate

from tests.api.test_scopes import api_routes

OAUTH = {("POST", "/oauth/token"), ("POST", "/oauth/revoke"), ("GET", "/.well-known/oauth-authorization-server")}


async def openapi(instance) -> dict:
    status, body = await instance.request("GET", "/api/openapi.json")  # no token
    assert status == 200
    return body


def operations(document: dict) -> dict[tuple[str, str], dict]:
    return {(method.upper(), path): op for path, item in document["paths"].items() for method, op in item.items()}


async def test_the_document_is_valid_openapi_3_1(instance):
    document = await openapi(instance)
    validate(document)
    assert document["openapi"] == "3.1.0" and document["servers"] == [{"url": instance.base}]
    flows = document["components"]["securitySchemes"]["oauth2"]["flows"]
    assert flows["authorizationCode"]["tokenUrl"] == f"{instance.base}/oauth/token"


async def test_every_route_is_documented_and_every_documented_route_exists(instance):
    served = set(api_routes(instance)) | OAUTH
    documented = set(operations(await openapi(instance)))
    assert served - documented == set(), "routes the document leaves out"
    assert documented - served == set(), "documented routes the app does not serve"
    for method, path in documented:  # and each answers (not 404/405 for want of a route)
        status, _ = await instance.request(method, path.replace("{", "").replace("}", ""))
        assert status not in (404, 405) or "{" in path, (method, path, status)


async def test_each_operation_names_the_scopes_its_handler_declares(instance):
    routes = api_routes(instance)
    for key, op in operations(await openapi(instance)).items():
        if key in OAUTH:
            continue
        declared = getattr(routes[key], "scopes", None)
        if declared is None:
            assert op["security"] == [], key
        else:
            assert {scope for requirement in op["security"] for scope in requirement["oauth2"]} == set(declared), key


async def test_parameters_carry_the_servers_own_bounds(instance):
    document = await openapi(instance)
    ops = operations(document)
    body = ops[("POST", "/api/v1/statuses")]["requestBody"]["content"]["application/json"]["schema"]
    assert body["properties"]["visibility"]["enum"] == ["public", "unlisted", "private", "direct"]
    assert body["properties"]["media_ids"]["maxItems"] == 4
    query = {p["name"]: p["schema"] for p in ops[("GET", "/api/v1/timelines/home")]["parameters"]}
    assert query["limit"]["maximum"] == 40 and query["limit"]["default"] == 20
    members = {p["name"] for p in ops[("GET", "/api/v1/pubhub/rooms/{id}/members")]["parameters"]}
    assert {"id", "limit", "max_id"} <= members  # read by the list helper the handler calls
    upload = ops[("POST", "/api/v2/media")]["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert upload["required"] == ["file"]
    patch = ops[("PATCH", "/api/v1/accounts/update_credentials")]["requestBody"]["content"]["application/json"]["schema"]
    assert "fields_attributes" in patch["properties"] and "FieldIn" in document["components"]["schemas"]
