"""Sign-in throttling: failed sign-ins per account and per client address, counted with ``limits``.

Only failures count, so people who type their password right are never slowed down; once a key has
used up its failures, every sign-in for it is refused until its window ends, the right password too
(otherwise the refusal would tell an attacker which guess was right).

The counters live in the database (``sign_in_counters``), not in a process's memory: every server
process, on SQLite or PostgreSQL, counts the same attempts. Each count is one atomic upsert in a
transaction of its own, so it stands even though the sign-in it counts changes nothing else.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from limits import RateLimitItem, RateLimitItemPerSecond
from limits.aio.storage import Storage
from limits.aio.strategies import FixedWindowRateLimiter
from sqlalchemy import case, delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import SignInCounter


class DatabaseStorage(Storage):
    """A ``limits`` storage on the application's own database (fixed windows)."""

    STORAGE_SCHEME = None  # built directly from a session factory, never from a URI

    def __init__(self, sessions: async_sessionmaker[AsyncSession],
                 read_sessions: async_sessionmaker[AsyncSession]) -> None:
        super().__init__()
        self.sessions = sessions
        self.read_sessions = read_sessions

    @property
    def base_exceptions(self) -> type[Exception]:
        return SQLAlchemyError

    async def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        ended = SignInCounter.window_ends <= now
        async with self.sessions() as session, session.begin():
            on_postgresql = session.get_bind().dialect.name == "postgresql"
            # Windows that have ended count nothing: drop a few (any key's) so the table stays small.
            # Rows another process is counting are skipped, not waited for: no lock waits, no deadlocks.
            stale = select(SignInCounter.key).where(ended).limit(100)
            if on_postgresql:
                stale = stale.with_for_update(skip_locked=True)
            await session.execute(delete(SignInCounter).where(SignInCounter.key.in_(stale)))
            dialect = postgresql if on_postgresql else sqlite
            insert = dialect.insert(SignInCounter).values(key=key, count=amount, window_ends=now + expiry)
            upsert = insert.on_conflict_do_update(
                index_elements=[SignInCounter.key],
                set_={"count": case((ended, amount), else_=SignInCounter.count + amount),
                      "window_ends": case((ended, now + expiry), else_=SignInCounter.window_ends)},
            ).returning(SignInCounter.count)
            return (await session.execute(upsert)).scalar_one()

    async def get(self, key: str) -> int:
        async with self.read_sessions() as session:
            count = await session.scalar(select(SignInCounter.count).where(
                SignInCounter.key == key, SignInCounter.window_ends > time.time()))
        return count or 0

    async def get_expiry(self, key: str) -> float:
        async with self.read_sessions() as session:
            ends = await session.scalar(select(SignInCounter.window_ends).where(SignInCounter.key == key))
        return ends if ends is not None else time.time()

    async def check(self) -> bool:
        async with self.read_sessions() as session:
            await session.scalar(select(func.count()).select_from(SignInCounter))
        return True

    async def reset(self) -> int | None:
        async with self.sessions() as session, session.begin():
            return (await session.execute(delete(SignInCounter))).rowcount

    async def clear(self, key: str) -> None:
        async with self.sessions() as session, session.begin():
            await session.execute(delete(SignInCounter).where(SignInCounter.key == key))


@dataclass(frozen=True)
class Refusal:
    retry_after_seconds: int


def _digest(identifier: str) -> str:
    # Keys stay short and printable whatever was typed (a megabyte, a NUL byte).
    return hashlib.sha256(identifier.encode("utf-8", "surrogatepass")).hexdigest()[:32]


class SignInThrottle:
    """At most ``per_account`` failed sign-ins per username and ``per_address`` per client address
    in each window of ``window_seconds``."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], read_sessions: async_sessionmaker[AsyncSession],
                 *, per_account: int, per_address: int, window_seconds: int) -> None:
        self.limiter = FixedWindowRateLimiter(DatabaseStorage(sessions, read_sessions))
        self.account_rule: RateLimitItem = RateLimitItemPerSecond(per_account, window_seconds,
                                                                  namespace="sign-in-account")
        self.address_rule: RateLimitItem = RateLimitItemPerSecond(per_address, window_seconds,
                                                                  namespace="sign-in-address")

    def _keys(self, username: str, address: str | None) -> list[tuple[RateLimitItem, str]]:
        keys = [(self.account_rule, _digest(username))]
        if address:
            keys.append((self.address_rule, _digest(address)))
        return keys

    async def refusal(self, *, username: str, address: str | None) -> Refusal | None:
        """Why this sign-in may not even be tried now, if it may not."""
        waits = [await self.limiter.get_window_stats(rule, key) for rule, key in self._keys(username, address)
                 if not await self.limiter.test(rule, key)]
        if not waits:
            return None
        reset_at = max(stats.reset_time for stats in waits)
        return Refusal(retry_after_seconds=max(1, math.ceil(reset_at - time.time())))

    async def failed(self, *, username: str, address: str | None) -> None:
        for rule, key in self._keys(username, address):
            await self.limiter.hit(rule, key)
