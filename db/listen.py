"""PostgreSQL LISTEN/NOTIFY for this process: one connection, callbacks per channel, reconnects.

NOTIFY is transactional — listeners hear a change only once it has committed — which is what
lets several server processes keep caches (signing tables) and subscriptions in step.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

import asyncpg
from sqlalchemy.engine import make_url

log = logging.getLogger("qianfa.listen")


def asyncpg_dsn(sqlalchemy_url: str) -> str:
    return make_url(sqlalchemy_url).set(drivername="postgresql").render_as_string(hide_password=False)


class PgListener:
    def __init__(self, sqlalchemy_url: str, *, on_reconnect: Callable[[], None] | None = None) -> None:
        self._dsn = asyncpg_dsn(sqlalchemy_url)
        self._callbacks: dict[str, list[Callable[[str], None]]] = {}
        self._on_reconnect = on_reconnect
        self._task: asyncio.Task | None = None
        self.connected = asyncio.Event()

    def on(self, channel: str, callback: Callable[[str], None]) -> None:
        self._callbacks.setdefault(channel, []).append(callback)

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="pg-listener")
        await asyncio.wait_for(self.connected.wait(), timeout=10)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    def _deliver(self, _connection, _pid, channel: str, payload: str) -> None:
        for callback in self._callbacks.get(channel, []):
            try:
                callback(payload)
            except Exception:  # noqa: BLE001 - one bad callback must not stop the others
                log.exception("notification callback failed", extra={"channel": channel})

    async def _run(self) -> None:
        first = True
        while True:
            connection = None
            try:
                connection = await asyncpg.connect(self._dsn)
                lost = asyncio.Event()
                connection.add_termination_listener(lambda _c: lost.set())
                for channel in self._callbacks:
                    await connection.add_listener(channel, self._deliver)
                if not first and self._on_reconnect is not None:
                    # Notifications sent while we were away are lost: start afresh.
                    self._on_reconnect()
                first = False
                self.connected.set()
                await lost.wait()
            except (OSError, asyncpg.PostgresError) as error:
                log.warning("listener connection failed; retrying", extra={"error": repr(error)})
            finally:
                self.connected.clear()
                if connection is not None and not connection.is_closed():
                    await connection.close()
            await asyncio.sleep(1)
