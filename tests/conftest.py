"""Test harness: every test runs once on SQLite and once on PostgreSQL, through the real ASGI app.

PostgreSQL tests use a fresh database per run. When PostgreSQL is unreachable they are skipped
locally but fail under CI=true, so CI can never pass without having run them.
"""

from __future__ import annotations

import asyncio
import os
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import httpx
import pytest
from argon2 import PasswordHasher, profiles

from config import Settings
from db.engine import create_engine, session_factory
from db.migrate import upgrade
from db.models import Base
from server import create_app
from services import auth
from tests.api import Api

PG_HOST = os.environ.get("QIANFA_TEST_PG_HOST", "127.0.0.1")
PG_PORT = int(os.environ.get("QIANFA_TEST_PG_PORT", "5432"))
PG_USER = os.environ.get("QIANFA_TEST_PG_USER", "postgres")
IN_CI = os.environ.get("CI", "").lower() == "true"
TEST_SECRET = "test-secret-key-for-the-suite-only-0123456789"
QIANFA = Path(sys.executable).with_name("qianfa")

# Sign-ins stay real argon2 (hash, verify, the dummy hash for unknown names), at argon2's cheapest parameters:
# at the production cost (64 MiB, three passes, ≈ 0.1 s a hash) the suite's thousands of sign-ins would be a
# third of its time. A hash carries its parameters, so accounts made by the console script still verify.
auth._hasher = PasswordHasher.from_parameters(profiles.CHEAPEST)


def pytest_collection_modifyitems(items):
    # Run every SQLite test before every PostgreSQL test so each engine is set up once.
    items.sort(key=lambda item: "[postgresql" in item.nodeid)


async def _postgres_database() -> tuple[str, str]:
    name = f"qianfa_test_{uuid.uuid4().hex[:12]}"
    try:
        admin = await asyncpg.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, database="postgres", timeout=5)
    except (OSError, asyncpg.PostgresError) as error:
        message = f"PostgreSQL at {PG_HOST}:{PG_PORT} is unreachable: {error!r}"
        if IN_CI:
            pytest.fail(message + " (CI=true: PostgreSQL tests must run)", pytrace=False)
        pytest.skip(message)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    return name, f"postgresql+asyncpg://{PG_USER}@{PG_HOST}:{PG_PORT}/{name}"


async def _drop_postgres_database(name: str) -> None:
    admin = await asyncpg.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, database="postgres", timeout=5)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
async def database_url(request, tmp_path_factory):
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('sqlite') / 'qianfa.db'}"
        return
    name, url = await _postgres_database()
    yield url
    await _drop_postgres_database(name)


@pytest.fixture(scope="session")
async def engine(database_url):
    engine = create_engine(database_url)
    await upgrade(engine)
    yield engine
    await engine.dispose()


@pytest.fixture(scope="session")
def settings(database_url) -> Settings:
    return Settings(database_url=database_url, secret_key=TEST_SECRET, debug=False)


@pytest.fixture
async def sessions(engine):
    """A session factory on a clean database; every row is deleted after the test."""
    yield session_factory(engine)
    async with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            await connection.execute(table.delete())


@pytest.fixture(scope="session")
def app(settings, engine):
    return create_app(settings, engine)


@pytest.fixture
async def client(app, sessions):
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://qianfa.test") as client:
        yield client
    # The next test's counties may reuse these ids (SQLite reuses freed row ids).
    app.state.tables.forget_all()
    app.state.rosters.clear()


@pytest.fixture
def api(client) -> Api:
    return Api(client)


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def qianfa(database_url, sessions):
    """Run the console script on the test database (``sessions`` empties it after the test)."""
    async def run(*args: str, env: dict[str, str] | None = None) -> Run:
        process = await asyncio.create_subprocess_exec(
            str(QIANFA), *args, stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE, env={**os.environ, "DATABASE_URL": database_url, **(env or {})},
        )
        out, err = await process.communicate()
        result = Run(process.returncode, out.decode(), err.decode())
        # Expected failures are messages, never tracebacks.
        assert "Traceback" not in result.err, result.err
        return result

    return run
