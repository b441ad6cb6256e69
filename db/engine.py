"""Engine and session factory, plus the per-request SQL statement counter."""

from __future__ import annotations

import asyncio
import contextvars
from dataclasses import dataclass
from pathlib import Path

import orjson

from sqlalchemy import event, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import TimeoutError as SATimeoutError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from db.checks import CheckedSession


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


READ_ONLY = "qianfa_read_only"


def _sqlite_begin_immediate(connection) -> None:
    # SQLite's deferred transactions fail with "database is locked" when two readers both
    # upgrade to writers; starting as a writer makes concurrent writes queue instead.
    # Read sessions begin nothing (autocommit, as on PostgreSQL): holding the one writer's lock
    # for a whole request would make a write in that same request (a sign-in sent with a
    # token) wait on itself, and every other writer wait with it.
    if not connection.get_execution_options().get(READ_ONLY):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def create_engine(url: str, *, pool_size: int = 10, pool_timeout: float = 10.0, connect_timeout: float = 10.0,
                  statement_timeout: float | None = None) -> AsyncEngine:
    """An engine with a bounded pool: past ``pool_size`` connections a request waits up to
    ``pool_timeout`` seconds, then fails (the server answers 503), rather than the processes together
    opening more connections than the database accepts.

    On PostgreSQL a connection attempt gives up after ``connect_timeout`` seconds, and a statement
    after ``statement_timeout`` (the server cancels it; a silent server is given up on a little later).
    """
    pool = {"pool_size": pool_size, "max_overflow": 0, "pool_timeout": pool_timeout}
    if is_sqlite(url):
        database = make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        else:
            pool = {}  # one shared in-memory connection, no pool to size
        engine = create_async_engine(url, **pool)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(engine.sync_engine, "begin", _sqlite_begin_immediate)
    else:
        connect_args: dict = {"timeout": connect_timeout}
        if statement_timeout is not None:
            connect_args["command_timeout"] = statement_timeout + STATEMENT_GRACE_SECONDS
            connect_args["server_settings"] = {"statement_timeout": str(round(statement_timeout * 1000))}
        # orjson decodes the JSON columns (a step's rules and deadline, a document's attachments, …)
        # in a fraction of the standard library's time.
        engine = create_async_engine(url, **pool, pool_pre_ping=True, json_deserializer=orjson.loads,
                                     connect_args=connect_args)
    event.listen(engine.sync_engine, "before_cursor_execute", _count_statement)
    return engine


# How much longer than the server's statement_timeout the client waits for an answer before giving
# the connection up: the server's own cancellation, when it can still send one, comes first.
STATEMENT_GRACE_SECONDS = 5.0

# SQLSTATEs meaning "not now", not "wrong": too many connections, cannot connect now,
# statement cancelled by statement_timeout, lock_timeout.
_UNAVAILABLE_SQLSTATES = frozenset({"53300", "57P03", "57014", "55P03"})


def database_unavailable(error: BaseException | None) -> bool:
    """Whether an error says the database cannot serve this request now (pool exhausted, too many
    clients, no answer in time, SQLite busy) — worth a retry later, unlike a bug."""
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, (SATimeoutError, TimeoutError, asyncio.TimeoutError, ConnectionError)):
            return True
        if getattr(error, "sqlstate", None) in _UNAVAILABLE_SQLSTATES:
            return True
        if "database is locked" in str(error) and type(error).__name__ == "OperationalError":
            return True
        error = getattr(error, "orig", None) or error.__cause__
    return False


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    # CheckedSession refuses strings their columns cannot take before anything is written.
    return async_sessionmaker(engine, expire_on_commit=False, sync_session_class=CheckedSession)


def read_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions for requests that only read (queries, sign-in checks).

    They run in autocommit: each statement sees what was committed before it, as under READ COMMITTED,
    without a BEGIN and a ROLLBACK round trip around every request (on SQLite, without the writer's lock).
    """
    if engine.dialect.name == "postgresql":
        engine = engine.execution_options(isolation_level="AUTOCOMMIT")
    else:
        engine = engine.execution_options(**{READ_ONLY: True})
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

    PostgreSQL takes FOR NO KEY UPDATE: it queues other writers of the row but not inserts that merely
    reference it (their foreign-key check takes KEY SHARE). FOR UPDATE would conflict with those, so two
    transactions that each inserted a county's row and then locked the county deadlocked.
    SQLite transactions already start as writers (BEGIN IMMEDIATE above).
    """
    stmt = select(model).where(model.id == row_id)
    if session.bind.dialect.name == "postgresql":
        stmt = stmt.with_for_update(key_share=True)
    return (await session.execute(stmt)).scalar_one_or_none()
