"""The Alembic migrations build exactly the schema the models describe, on the engine under test,
and upgrading moves queued deliveries over without losing them."""

from __future__ import annotations

import asyncio

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from pubhub.store.migrate import upgrade
from pubhub.store.models import Base


def _differences(connection):
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return compare_metadata(context, Base.metadata)


async def test_migrated_schema_matches_the_models(database_url):
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            differences = await connection.run_sync(_differences)
    finally:
        await engine.dispose()
    assert differences == []


async def test_init_is_idempotent(database_url):
    await asyncio.to_thread(upgrade, database_url)
    await asyncio.to_thread(upgrade, database_url)
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            version = (await connection.execute(text("SELECT version_num FROM alembic_version"))).scalar_one()
    finally:
        await engine.dispose()
    assert version == "0027"


async def _an_account(connection) -> None:
    """Account 1, x@a.example, in any schema since 0001."""
    await connection.execute(text(
        "INSERT INTO actors (id, uri, kind, username, domain, local, display_name, summary, inbox, "
        "public_key_id, public_key_pem, manually_approves, role, created_at) VALUES "
        "(1, 'https://a.example/users/x', 'Person', 'x', 'a.example', 1, '', '', 'https://a.example/inbox', "
        "'k', 'pem', 0, 'user', '2026-11-01 00:00:00')"))


async def test_upgrade_from_0001_keeps_queued_deliveries(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'old.db'}"
    await asyncio.to_thread(upgrade, url, "0001")
    engine = create_async_engine(url)
    try:
        async with engine.begin() as connection:
            await _an_account(connection)
            for inbox in ("https://b.example/inbox", "https://c.example/inbox"):
                await connection.execute(text(
                    "INSERT INTO deliveries (activity_uri, inbox, signer_id, body, state, attempts, next_attempt_at, created_at) "
                    "VALUES ('https://a.example/users/x/statuses/1/activity', :inbox, 1, :body, 'pending', 2, "
                    "'2026-11-01 00:00:00', '2026-11-01 00:00:00')"), {"inbox": inbox, "body": '{"id":1}'})
        await asyncio.to_thread(upgrade, url)
        async with engine.connect() as connection:
            rows = (await connection.execute(text(
                "SELECT d.inbox, d.attempts, o.body, o.signer_id FROM deliveries d "
                "JOIN outbound_activities o ON o.id = d.activity_id ORDER BY d.inbox"))).all()
    finally:
        await engine.dispose()
    assert [(r[0], r[1], r[2], r[3]) for r in rows] == [
        ("https://b.example/inbox", 2, '{"id":1}', 1),
        ("https://c.example/inbox", 2, '{"id":1}', 1),
    ]


async def test_upgrade_to_0004_lets_go_of_finished_bodies_only(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'old.db'}"
    await asyncio.to_thread(upgrade, url, "0003")
    engine = create_async_engine(url)
    try:
        async with engine.begin() as connection:
            for n, state in enumerate(("done", "dropped", "held", "pending")):
                await connection.execute(text(
                    "INSERT INTO activities (uri, type, actor_uri, payload, state, received_at) "
                    "VALUES (:uri, 'Create', 'https://a.example/users/x', '{\"big\": 1}', :state, '2026-11-01 00:00:00')"),
                    {"uri": f"https://a.example/activities/{n}", "state": state})
        await asyncio.to_thread(upgrade, url)
        async with engine.connect() as connection:
            rows = (await connection.execute(text("SELECT state, payload FROM activities ORDER BY id"))).all()
    finally:
        await engine.dispose()
    assert [tuple(row) for row in rows] == [
        ("done", None), ("dropped", None), ("held", '{"big": 1}'), ("pending", '{"big": 1}'),
    ]


async def test_upgrade_to_0025_indexes_the_hashtags_of_stored_notes(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'old.db'}"
    await asyncio.to_thread(upgrade, url, "0023")
    engine = create_async_engine(url)
    tags = ('[{"type": "Hashtag", "name": "#Afval"}, {"type": "Hashtag", "name": "#ＭＡＲＫＴ"}, '
            '{"type": "Mention", "name": "#nee"}, {"type": "Hashtag", "name": 7}]')
    try:
        async with engine.begin() as connection:
            await _an_account(connection)
            for note_id, note_tags in ((10, tags), (11, "[]"), (12, "null")):
                await connection.execute(text(
                    "INSERT INTO objects (id, uri, author_id, local, content, summary, sensitive, visibility, "
                    "\"to\", cc, tags, published) VALUES (:id, :uri, 1, 1, '', '', 0, 'public', '[]', '[]', :tags, "
                    "'2026-11-01 00:00:00')"), {"id": note_id, "uri": f"https://a.example/n/{note_id}", "tags": note_tags})
        await asyncio.to_thread(upgrade, url)
        async with engine.connect() as connection:
            rows = (await connection.execute(text("SELECT object_id, name FROM note_hashtags ORDER BY name"))).all()
    finally:
        await engine.dispose()
    assert [tuple(row) for row in rows] == [(10, "afval"), (10, "markt")]


async def test_upgrade_to_0026_gives_old_boosts_time_ordered_ids(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'old.db'}"
    await asyncio.to_thread(upgrade, url, "0023")
    engine = create_async_engine(url)
    try:
        async with engine.begin() as connection:
            await _an_account(connection)
            await connection.execute(text(
                "INSERT INTO objects (id, uri, author_id, local, content, summary, visibility, sensitive, \"to\", cc, tags, published) "
                "VALUES (5, 'https://a.example/users/x/statuses/5', 1, 1, '', '', 'public', 0, '[]', '[]', '[]', '2026-11-01 00:00:00')"))
            for n, (kind, when) in enumerate((("Announce", "2026-11-02 00:00:00"), ("Like", "2026-11-01 12:00:00")), 1):
                await connection.execute(text(
                    "INSERT INTO interactions (id, kind, activity_uri, actor_id, object_id, created_at) "
                    "VALUES (:id, :kind, :uri, 1, 5, :when)"), {"id": n, "kind": kind, "uri": f"https://a.example/{n}",
                                                                "when": when})
        await asyncio.to_thread(upgrade, url)
        async with engine.connect() as connection:
            rows = (await connection.execute(text("SELECT id, kind FROM interactions ORDER BY id"))).all()
    finally:
        await engine.dispose()
    milliseconds = [row_id >> 16 for row_id, _ in rows]
    assert [kind for _, kind in rows] == ["Like", "Announce"]  # in the order they were made
    assert milliseconds == [1793534400000, 1793577600000]  # their times, as note ids hold them
