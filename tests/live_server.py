"""A real uvicorn server on a free loopback port, for tests that need sockets (audit, WebSockets).

    from tests.live_server import live_server  # noqa: F401  (the fixture)

    def test_something(live_server):
        httpx.get(live_server.url("/healthz"))

The server runs ``server.create_app(settings)`` in a background thread with its own event loop
and its own engine (an engine cannot be shared across event loops), on the test database that
the ``engine`` fixture has migrated. It is up once /healthz answers 200 and is stopped the way
uvicorn stops on SIGTERM: finish in-flight requests, run the lifespan shutdown, close sockets.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette

from config import Settings
from server import create_app

START_TIMEOUT = 20.0
STOP_TIMEOUT = 10.0


@dataclasses.dataclass(frozen=True)
class LiveServer:
    host: str
    port: int
    # The app it serves in this process (None for a server process of its own), for tests that reach
    # its caches or event hub.
    app: Starlette | None = dataclasses.field(default=None, repr=False, compare=False)

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def graphql_url(self) -> str:
        return self.url("/graphql")

    @property
    def websocket_url(self) -> str:
        return f"ws://{self.host}:{self.port}/graphql"

    def url(self, path: str) -> str:
        return self.base_url + path


class _ThreadedServer(uvicorn.Server):
    def install_signal_handlers(self) -> None:  # signals belong to the main thread (pytest)
        pass


@contextlib.contextmanager
def running_server(settings: Settings, host: str = "127.0.0.1") -> Iterator[LiveServer]:
    """Serve ``create_app(settings)`` until the block ends."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, 0))  # the kernel picks a free port; we hand uvicorn the bound socket, so no race
    port = sock.getsockname()[1]
    app = create_app(settings)
    config = uvicorn.Config(app, log_config=None, access_log=False, lifespan="on",
                            ws="auto", timeout_graceful_shutdown=5)
    server = _ThreadedServer(config)
    failure: list[BaseException] = []

    def serve() -> None:
        try:
            asyncio.run(server.serve(sockets=[sock]))
        except BaseException as error:  # noqa: BLE001 - reported to the test thread below
            failure.append(error)

    thread = threading.Thread(target=serve, name=f"uvicorn-{port}", daemon=True)
    thread.start()
    live = LiveServer(host, port, app)
    try:
        _wait_until_healthy(live, thread, failure)
        yield live
    finally:
        server.should_exit = True
        thread.join(STOP_TIMEOUT)
        sock.close()
        if thread.is_alive():
            server.force_exit = True
            thread.join(STOP_TIMEOUT)
            raise RuntimeError(f"uvicorn on port {port} did not stop within {STOP_TIMEOUT}s")


def _wait_until_healthy(live: LiveServer, thread: threading.Thread, failure: list[BaseException]) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    last: object = None
    with httpx.Client(timeout=2.0) as client:
        while time.monotonic() < deadline:
            if not thread.is_alive():
                raise RuntimeError(f"uvicorn exited while starting: {failure[0]!r}" if failure
                                   else "uvicorn exited while starting")
            try:
                reply = client.get(live.url("/healthz"))
                if reply.status_code == 200:
                    return
                last = f"HTTP {reply.status_code}: {reply.text[:200]}"
            except httpx.TransportError as error:
                last = error
            time.sleep(0.05)
    raise RuntimeError(f"uvicorn on port {live.port} not healthy after {START_TIMEOUT}s: {last!r}")


@pytest.fixture(scope="module")
def live_server(settings: Settings, engine) -> Iterator[LiveServer]:
    """A live server on the test database (migrated by ``engine``), one per module and engine."""
    with running_server(settings) as live:
        yield live


@contextlib.contextmanager
def server_process(settings: Settings, host: str = "127.0.0.1",
                   environment: dict[str, str] | None = None) -> Iterator[LiveServer]:
    """``python server.py`` in a process of its own, configured through the environment like production."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    with socket.socket() as probe:
        probe.bind((host, 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "DATABASE_URL": settings.database_url, "SECRET_KEY": settings.secret_key,
           "HOST": host, "PORT": str(port), **(environment or {})}
    root = Path(__file__).resolve().parent.parent
    process = subprocess.Popen([sys.executable, str(root / "server.py")], env=env, cwd=root,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    live = LiveServer(host, port)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        with httpx.Client(timeout=2.0) as client:
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"server process exited: {process.stderr.read().decode()[-2000:]}")
                with contextlib.suppress(httpx.TransportError):
                    if client.get(live.url("/healthz")).status_code == 200:
                        break
                if time.monotonic() > deadline:
                    raise RuntimeError(f"server process on port {port} not healthy after {START_TIMEOUT}s")
                time.sleep(0.1)
        yield live
    finally:
        process.terminate()
        try:
            process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
