"""A report to handle in the console: carol posted, jan reported it (citing nothing), and the
instance has two rules. Or (`remote_report`) jan reported alice, on another server, and her post."""

from __future__ import annotations

from dataclasses import dataclass

from pubhub.moderation.rules import add_rule
from tests.support.inbox import received_note
from tests.support.oauth import account_with_password
from tests.support.peer import PUBLIC
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


async def remote_report(instance, peer, alice, reporter: str = "jan") -> tuple[str, str]:
    """jan's report of alice (on `peer`) and a post of hers she sent him: its id and the post's URI."""
    jan = await instance.create_account(reporter)
    token = await instance.token_for(jan)
    status, account = await instance.request("GET", "/api/v1/accounts/lookup", token=token,
                                             params={"acct": f"alice@{peer.domain}"})
    assert status == 200, account
    note = peer.note(alice, "<p>Koop nu goedkope horloges</p>", to=[PUBLIC, jan.uri])
    stored = await received_note(instance, peer, alice, note, "public")
    status, report = await instance.request("POST", "/api/v1/reports", token=token, json={
        "account_id": account["id"], "status_ids": [str(stored.id)], "comment": "Reclame"})
    assert status == 200 and report["forwarded"] is False, report
    return report["id"], note["id"]
