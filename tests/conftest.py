"""Fixtures: a fresh database per test, real PubHub instances and fake remote peers on 127.0.0.1."""

from __future__ import annotations

import asyncio
import logging
import os

import pytest

from pubhub.activitypub import origins, signatures
from pubhub.clock import ManualClock
from tests.support.database import POSTGRES_URL, PostgresDatabases, SQLiteDatabases, engine_name
from tests.support.instance import Instance
from tests.support.oauth import Browser
from tests.support.peer import RemotePeer


def pytest_ignore_collect(collection_path, config):
    """`make mutation` checks each module against the tests that hold its rules
    (tests/mutation_plan.py names them in PUBHUB_MUTATION_TESTS); other test files are skipped."""
    chosen = os.environ.get("PUBHUB_MUTATION_TESTS")
    if not chosen or collection_path.suffix != ".py" or not collection_path.name.startswith("test_"):
        return None
    relative = collection_path.resolve().relative_to(config.rootpath.resolve()).as_posix()
    return not any(relative == path or (path.endswith("/") and relative.startswith(path)) for path in chosen.split())


@pytest.fixture(autouse=True)
def _fresh_process_caches():
    """The process-wide caches of parsed keys, dates and origins start empty in every test: an
    outcome never depends on what an earlier test (or mutmut's parent process) left cached."""
    for cached in (signatures._usable_public_key, signatures._parse_http_date, origins._origin):
        cached.cache_clear()


def pytest_report_header(config):
    return f"pubhub database engine: {engine_name()}"


@pytest.fixture(scope="session")
def databases(tmp_path_factory):
    if POSTGRES_URL:
        manager = PostgresDatabases(POSTGRES_URL)
        asyncio.run(manager.setup())
        manager.migrate_template()
        yield manager
        asyncio.run(manager.close())
    else:
        yield SQLiteDatabases(tmp_path_factory.mktemp("databases"))


@pytest.fixture
async def database_url(databases):
    url = await databases.new()
    yield url
    await databases.drop(url)


@pytest.fixture
async def make_database(databases):
    """For tests that need more than one database (two instances)."""
    made = []

    async def make() -> str:
        made.append(await databases.new())
        return made[-1]

    yield make
    for url in made:
        await databases.drop(url)


@pytest.fixture
def clock():
    """A clock the test moves, starting now (peers sign with the real time); an instance runs on
    it when the test asks for it."""
    return ManualClock()


@pytest.fixture
async def instance(database_url, request):
    """A PubHub instance; on the `clock` fixture's clock when the test (or a fixture) uses one."""
    options = {"clock": request.getfixturevalue("clock")} if "clock" in request.fixturenames else {}
    server = await Instance(database_url, **options).start()
    yield server
    await server.stop()


@pytest.fixture
async def yivi():
    """A test Yivi server (tests/support/yivi.py) that signs real result JWTs."""
    from tests.support.yivi import YiviTestServer

    server = await YiviTestServer().start()
    yield server
    await server.stop()


@pytest.fixture
async def yivi_login(database_url, yivi, tmp_path):
    """An instance whose sign-in without a password is the e-mail address (tests/support/yivi.EMAIL)
    disclosed through the test Yivi server `yivi`."""
    from tests.support.yivi import EMAIL

    config = {"PUBHUB_IDENTITY_VERIFIERS": "yivi", **yivi.config(tmp_path)}
    server = await Instance(database_url, identity_verifiers=("yivi",), plugin_config=tuple(config.items()),
                            login_verifier="yivi", login_attribute=EMAIL).start()
    yield server
    await server.stop()


@pytest.fixture
async def peer():
    remote = await RemotePeer().start()
    yield remote
    await remote.stop()


@pytest.fixture
def alice(peer):
    """A remote actor on the peer (federation, room and page tests)."""
    return peer.add_actor("alice", key_index=1)


@pytest.fixture
def mallory(peer):
    """Another remote actor on the same peer: the one who tries what is not hers."""
    return peer.add_actor("mallory", key_index=2)


@pytest.fixture
async def other_peer():
    """A second remote server (another origin: its own port)."""
    remote = await RemotePeer().start()
    yield remote
    await remote.stop()


@pytest.fixture(autouse=True)
def _quiet_logs(caplog):
    caplog.set_level(logging.INFO, logger="pubhub")


@pytest.fixture
async def browser(instance):
    """A person's web browser (cookies, forms, redirects) on the instance: sign-in, consent and
    report pages (tests/support/oauth.py)."""
    person = Browser(instance)
    yield person
    await person.close()
