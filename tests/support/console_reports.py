"""A report to handle in the console: carol posted, jan reported it (citing nothing), and the
instance has two rules."""

from __future__ import annotations

from dataclasses import dataclass

from pubhub.moderation.rules import add_rule
from tests.support.oauth import account_with_password
from tests.support.rooms import submit


@dataclass
class Scene:
    carol: object
    carol_token: str
    post: dict
    report_id: str
    rule_ids: list[int]


async def reported_post(instance, text: str = "Koop horloges bij <b>mij</b>!", room: str | None = None) -> Scene:
    rt = instance.runtime
    async with rt.db.write() as session:
        rules = [await add_rule(rt, session, by=None, text=words) for words in ("No spam", "No harassment")]
    carol = await account_with_password(instance, "carol")
    carol_token = await instance.token_for(carol, "read write")
    post = await instance.post_status(carol_token, status=text)
    if room is not None:
        await submit(instance, room, post["uri"])
    jan = await instance.create_account("jan")
    status, report = await instance.request("POST", "/api/v1/reports", token=await instance.token_for(jan, "write"),
                                            json={"account_id": str(carol.id), "status_ids": [post["id"]],
                                                  "comment": "Reclame <script>alert(1)</script>"})
    assert status == 200, report
    return Scene(carol, carol_token, post, report["id"], [rule.id for rule in rules])
