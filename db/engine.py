"""Engine and session factory, plus the per-request SQL statement counter."""

from __future__ import annotations

import asyncio
import contextvars
from dataclasses import dataclass
from pathlib import Path

import orjson

from sqlalchemy import event, select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine


@dataclass
class StatementCount:
    value: int = 0


# Set per request by the server; SQLAlchemy's greenlets share the caller's context.
statement_count: contextvars.ContextVar[StatementCount | None] = contextvars.ContextVar(
    "statement_count", default=None
)


def _count_statement(_conn, _cursor, statement: str, *_args) -> None:
    counter = statement_count.get()
    # SQLite's explicit BEGIN (below) is bookkeeping, not a query: count the same on both engines.
    if counter is not None and not statement.startswith("BEGIN"):
        counter.value += 1


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # Take over transaction control so every transaction can start as a writer (below).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def _sqlite_begin_immediate(connection) -> None:
    # SQLite's deferred transactions fail with "database is locked" when two readers both
    # upgrade to writers; starting as a writer makes concurrent writes queue instead.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def create_engine(url: str) -> AsyncEngine:
    if is_sqlite(url):
        database = make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(engine.sync_engine, "begin", _sqlite_begin_immediate)
    else:
        # orjson decodes the JSON columns (a step's rules and deadline, a document's attachments, …)
        # in a fraction of the standard library's time.
        engine = create_async_engine(url, pool_size=20, max_overflow=20, pool_pre_ping=True,
                                     json_deserializer=orjson.loads)
    event.listen(engine.sync_engine, "before_cursor_execute", _count_statement)
    return engine


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


def read_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions for requests that only read (queries, sign-in checks).

    On PostgreSQL they run in autocommit: each statement sees what was committed before it, as under
    READ COMMITTED, without a BEGIN and a ROLLBACK round trip around every request.
    """
    if engine.dialect.name == "postgresql":
        engine = engine.execution_options(isolation_level="AUTOCOMMIT")
    return async_sessionmaker(engine, expire_on_commit=False)


class ReadSession:
    """The request's read session, one statement at a time.

    GraphQL resolves sibling fields concurrently, but an AsyncSession must not be used by two
    coroutines at once; the lock queues them on the one connection.
    """

    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._lock = asyncio.Lock()

    async def execute(self, statement):
        async with self._lock:
            return await self._session.execute(statement)

    async def get(self, model, ident):
        async with self._lock:
            return await self._session.get(model, ident)

    async def close(self) -> None:
        await self._session.close()


async def locked_row(session: AsyncSession, model, row_id: int):
    """The row, locked for the rest of the transaction so writers of it queue (None if missing).

    PostgreSQL takes a row lock; SQLite transactions already start as writers (BEGIN IMMEDIATE above).
    """
    stmt = select(model).where(model.id == row_id)
    if session.bind.dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    return (await session.execute(stmt)).scalar_one_or_none()
