"""An appeal to decide in the console: a moderator (marit, by default) took a decision about
carol over the admin API, and carol appealed it over hers. Either a restriction of her account
(`silence`, `suspend` ...) or, with `remove`, the removal of her reported post."""

from __future__ import annotations

from dataclasses import dataclass

from tests.support.console import staff
from tests.support.console_reports import Scene, reported_post

ADMIN_SCOPES = "read write admin:read admin:write"
DECISIONS = "/api/v1/pubhub/decisions"


@dataclass
class Appealed:
    carol: object
    carol_token: str
    decision_id: str
    appeal_id: str
    post: dict  # carol's post (the removed one, with `remove`)


async def appealed_decision(instance, action: str = "silence", *, deciding: str = "marit",
                            text: str = "Het was <i>satire</i>", scene: Scene | None = None) -> Appealed:
    """`scene`: carol's reported post, when the instance has it already."""
    scene = scene or await reported_post(instance)
    token = await instance.token_for(await staff(instance, deciding), ADMIN_SCOPES)
    if action == "remove":
        status, body = await instance.request("POST", f"/api/v1/pubhub/statuses/{scene.post['id']}/remove", token=token,
                                              json={"kind": "rule", "text": "No spam", "facts": "Verkoopt horloges",
                                                    "report_id": scene.report_id})
    else:
        status, body = await instance.request("POST", f"/api/v1/admin/accounts/{scene.carol.id}/action", token=token,
                                              json={"type": action, "text": "Drie dreigende berichten",
                                                    "ground": "Huisregel 2: geen intimidatie"})
    assert status == 200, body
    status, [decision, *_] = await instance.request("GET", DECISIONS, token=scene.carol_token)
    assert status == 200, decision
    status, appealed = await instance.request("POST", f"{DECISIONS}/{decision['id']}/appeal", token=scene.carol_token,
                                              json={"text": text})
    assert status == 200, appealed
    return Appealed(scene.carol, scene.carol_token, decision["id"], appealed["appeal"]["id"], scene.post)
