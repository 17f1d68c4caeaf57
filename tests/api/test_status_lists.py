"""A list of statuses costs a fixed number of queries, whatever its length: authors, the
authors replied to, counts and mentions are loaded once for the whole list."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event

from tests.support.instance import Instance


@contextmanager
def counted_queries(instance):
    statements: list[str] = []
    engine = instance.runtime.db.engine.sync_engine

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


async def _thread_with_replies(instance, replies: int) -> tuple[str, str]:
    authors = []
    for name in ("gemeente", "wijkraad", "burger"):
        authors.append(await instance.token_for(await instance.create_account(name)))
    status, root = await instance.request("POST", "/api/v1/statuses", token=authors[0], json={"status": "Wie komt er?"})
    assert status == 200
    for number in range(replies):
        token = authors[1 + number % 2]
        status, _ = await instance.request("POST", "/api/v1/statuses", token=token, json={
            "status": f"@gemeente ik kom #{number}", "in_reply_to_id": root["id"]})
        assert status == 200
    return authors[0], root["id"]


async def _context_queries(instance, token: str, status_id: str, expected: int) -> int:
    with counted_queries(instance) as statements:
        status, body = await instance.request("GET", f"/api/v1/statuses/{status_id}/context", token=token)
    assert status == 200
    assert len(body["descendants"]) == expected
    assert {d["in_reply_to_account_id"] for d in body["descendants"]} == {body["descendants"][0]["in_reply_to_account_id"]}
    assert all(d["mentions"] and d["mentions"][0]["id"] for d in body["descendants"])
    return len(statements)


async def test_a_thread_of_two_and_a_thread_of_twenty_cost_the_same_queries(database_url, make_database):
    counts = []
    for replies, url in ((2, database_url), (20, await make_database())):
        server = await Instance(url).start()
        try:
            token, root_id = await _thread_with_replies(server, replies)
            counts.append(await _context_queries(server, token, root_id, replies))
        finally:
            await server.stop()
    assert counts[0] == counts[1], counts
    assert counts[0] <= 15, counts


async def _home_queries(instance, statuses: int) -> tuple[int, list[dict]]:
    """The home timeline of an account that favourited, boosted, bookmarked and pinned some of
    its `statuses`: the queries it cost and what it showed."""
    token = await instance.token_for(await instance.create_account("gemeente"))
    ids = [(await instance.post_status(token, status=f"Bericht {n}"))["id"] for n in range(statuses)]
    for action, chosen in (("favourite", ids[::2]), ("reblog", ids[1::2]), ("bookmark", ids[:3]), ("pin", ids[-2:])):
        for status_id in chosen:
            assert (await instance.request("POST", f"/api/v1/statuses/{status_id}/{action}", token=token))[0] == 200
    with counted_queries(instance) as statements:
        status, body = await instance.request("GET", "/api/v1/timelines/home", token=token, params={"limit": "40"})
    posts = [shown for shown in body if shown["reblog"] is None]  # home has its own boosts too
    assert status == 200 and len(posts) == statuses and len(body) == statuses + len(ids[1::2])
    return len(statements), posts[::-1]


async def test_the_viewers_own_marks_cost_one_query_each_whatever_the_length(database_url, make_database):
    counts = []
    for statuses, url in ((4, database_url), (20, await make_database())):
        server = await Instance(url).start()
        try:
            queries, shown = await _home_queries(server, statuses)
            counts.append(queries)
            assert [s["favourited"] for s in shown] == [n % 2 == 0 for n in range(statuses)]
            assert [s["reblogged"] for s in shown] == [n % 2 == 1 for n in range(statuses)]
            assert [s["bookmarked"] for s in shown] == [n < 3 for n in range(statuses)]
            assert [s["pinned"] for s in shown] == [n >= statuses - 2 for n in range(statuses)]
        finally:
            await server.stop()
    assert counts[0] == counts[1], counts
