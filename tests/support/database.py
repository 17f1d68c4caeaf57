"""Test databases: each test gets a fresh one, copied from a template migrated once per run
with the real Alembic migrations. SQLite by default; PostgreSQL when PUBHUB_TEST_POSTGRES_URL
points at a server (e.g. postgresql+asyncpg://pubhub:pubhub@127.0.0.1:5432/postgres)."""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

from sqlalchemy.engine import make_url

from pubhub.store.migrate import upgrade

POSTGRES_URL = os.environ.get("PUBHUB_TEST_POSTGRES_URL", "").strip()


def engine_name() -> str:
    return "postgresql" if POSTGRES_URL else "sqlite"


class SQLiteDatabases:
    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.template = workdir / "template.db"
        upgrade(f"sqlite+aiosqlite:///{self.template}")

    async def new(self) -> str:
        path = self.workdir / f"{uuid.uuid4().hex}.db"
        shutil.copyfile(self.template, path)
        return f"sqlite+aiosqlite:///{path}"

    async def drop(self, url: str) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(make_url(url).database + suffix).unlink(missing_ok=True)

    async def close(self) -> None:
        pass


class PostgresDatabases:
    def __init__(self, server_url: str):
        self.server = make_url(server_url)
        self.template = f"pubhub_template_{uuid.uuid4().hex[:8]}"

    def _url(self, name: str) -> str:
        return self.server.set(database=name).render_as_string(hide_password=False)

    async def _admin(self, statement: str) -> None:
        import asyncpg

        url = self.server.set(drivername="postgresql")
        connection = await asyncpg.connect(url.render_as_string(hide_password=False))
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    async def setup(self) -> "PostgresDatabases":
        await self._admin(f'CREATE DATABASE "{self.template}"')
        return self

    def migrate_template(self) -> None:
        upgrade(self._url(self.template))

    async def new(self) -> str:
        name = f"pubhub_test_{uuid.uuid4().hex[:12]}"
        await self._admin(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
        return self._url(name)

    async def drop(self, url: str) -> None:
        await self._admin(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')

    async def close(self) -> None:
        await self._admin(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)')
