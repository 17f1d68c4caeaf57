"""`pubhub follow-requests`: who asks to follow a locked account, and the operator's answer
(the same as the account's owner gives through the client API)."""

from __future__ import annotations

import click

from .common import table, when, with_runtime

LISTED = 1000  # the most requests one `list` shows


@click.group("follow-requests")
def follow_requests() -> None:
    """List, approve and reject requests to follow a locked account."""


@follow_requests.command("list")
@click.argument("account")
def requests_list(account: str) -> None:
    """The requests waiting for ACCOUNT, newest first."""
    async def run(rt):
        owner = await _account(rt, account)
        return [(_handle(follower), follower.uri, when(request.created_at))
                for request, follower in await _pending(rt, owner)]

    rows = with_runtime(run)
    if not rows:
        click.echo(f"no follow requests for {account}")
        return
    table(("FOLLOWER", "URI", "REQUESTED"), rows)


@follow_requests.command("approve")
@click.argument("account")
@click.argument("follower")
def requests_approve(account: str, follower: str) -> None:
    """Let FOLLOWER (user@domain or its URI, as `list` shows) follow ACCOUNT; an Accept is sent."""
    from ..social.follow_requests import authorize_request

    click.echo(f"{with_runtime(_answer(account, follower, authorize_request))} now follows {account}")


@follow_requests.command("reject")
@click.argument("account")
@click.argument("follower")
def requests_reject(account: str, follower: str) -> None:
    """Refuse FOLLOWER's request to follow ACCOUNT; a Reject is sent."""
    from ..social.follow_requests import reject_request

    click.echo(f"{with_runtime(_answer(account, follower, reject_request))} may not follow {account}")


def _answer(account: str, follower: str, answer):
    async def run(rt):
        from ..errors import NotFound

        owner = await _account(rt, account)
        found = [actor for _, actor in await _pending(rt, owner) if follower in (actor.uri, _handle(actor))]
        if not found:
            raise NotFound(f"{follower} has not asked to follow {account} (see `pubhub follow-requests list {account}`)")
        await answer(rt, owner, found[0].id)
        return _handle(found[0])
    return run


async def _account(rt, name: str):
    from ..accounts import admin

    async with rt.db.read() as session:
        return await admin.account(session, name)


async def _pending(rt, owner):
    from ..social.follow_requests import pending_requests

    return await pending_requests(rt, owner, limit=LISTED)


def _handle(actor) -> str:
    return f"{actor.username}@{actor.domain}"
