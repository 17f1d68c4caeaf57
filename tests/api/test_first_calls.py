"""What apps call right after signing in: custom emojis, preferences, filters (empty until
they exist) and timeline markers (stored per account)."""

from __future__ import annotations


async def test_custom_emojis_need_no_token_and_are_none(instance):
    assert await instance.request("GET", "/api/v1/custom_emojis") == (200, [])


async def test_preferences_and_filters_answer_in_mastodons_shapes(instance):
    token = await instance.token_for(await instance.create_account("jan"))
    status, body = await instance.request("GET", "/api/v1/preferences", token=token)
    assert status == 200
    assert body == {"posting:default:visibility": "public", "posting:default:sensitive": False,
                    "posting:default:language": None, "reading:expand:media": "default",
                    "reading:expand:spoilers": False}
    assert await instance.request("GET", "/api/v1/filters", token=token) == (200, [])
    assert await instance.request("GET", "/api/v2/filters", token=token) == (200, [])


async def test_markers_are_saved_per_account_from_a_form_or_json(instance):
    jan = await instance.token_for(await instance.create_account("jan"))
    marie = await instance.token_for(await instance.create_account("marie"))
    assert await instance.request("GET", "/api/v1/markers?timeline[]=home&timeline[]=notifications", token=jan) == (200, {})
    status, body = await instance.request("POST", "/api/v1/markers", token=jan,
                                          data={"home[last_read_id]": "103", "notifications[last_read_id]": "7"})
    assert status == 200, body
    assert body["home"]["last_read_id"] == "103" and body["home"]["version"] == 1
    assert body["notifications"]["last_read_id"] == "7" and body["home"]["updated_at"].endswith("Z")
    status, body = await instance.request("POST", "/api/v1/markers", token=jan, json={"home": {"last_read_id": "110"}})
    assert status == 200 and body == {"home": {**body["home"], "last_read_id": "110", "version": 2}}
    status, body = await instance.request("GET", "/api/v1/markers?timeline[]=home&timeline[]=notifications", token=jan)
    assert status == 200 and body["home"]["last_read_id"] == "110" and body["notifications"]["version"] == 1
    status, body = await instance.request("GET", "/api/v1/markers", token=jan, params={"timeline": "home"})
    assert list(body) == ["home"]
    assert await instance.request("GET", "/api/v1/markers?timeline[]=home", token=marie) == (200, {})


async def test_a_bad_marker_is_refused_and_changes_nothing(instance):
    jan = await instance.token_for(await instance.create_account("jan"))
    status, body = await instance.request("POST", "/api/v1/markers", token=jan, json={"home": {"last_read_id": ["1"]}})
    assert status == 422 and body["error"].startswith("Validation failed: home")
    status, body = await instance.request("POST", "/api/v1/markers", token=jan, json={"home": {}})
    assert status == 422
    assert await instance.request("GET", "/api/v1/markers?timeline[]=home", token=jan) == (200, {})
