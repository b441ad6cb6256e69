"""Running it: /healthz for the load balancer, one JSON log line per request, request ids."""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import logging
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import websockets
from websockets.exceptions import InvalidStatus

import server
import services.auth
from config import Settings
from domain.errors import DomainError, ErrorCode
from server import RequestIdLogFilter, create_app, json_formatter
from tests.conftest import TEST_SECRET
from tests.live_server import live_server  # noqa: F401 - the fixture

ROOT = Path(__file__).resolve().parent.parent
GENERATED_ID = re.compile(r"[0-9a-f]{32}")
LOGIN = 'mutation { login(username: "nobody", password: "guess") { __typename ... on MutationError { code } } }'
ACCESS_FIELDS = {"time", "level", "name", "message", "request_id", "method", "path", "status", "duration_ms",
                 "sql_statements"}


@contextlib.asynccontextmanager
async def own_app(settings: Settings):
    """An app that owns its engine (as in production), disposed afterwards."""
    app = create_app(settings)
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://qianfa.test") as client:
            yield client
    finally:
        await app.state.engine.dispose()


def records(caplog, name: str) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == name]


# ---------------------------------------------------------------- /healthz


async def test_healthz_is_ok_when_the_database_answers(client):
    reply = await client.get("/healthz")
    assert reply.status_code == 200
    assert reply.json() == {"status": "ok", "database": "ok"}
    assert reply.headers["cache-control"] == "no-store"


async def test_healthz_is_503_when_the_database_is_unreachable(caplog):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))  # bound but not listening: connections are refused
        port = closed.getsockname()[1]
        settings = Settings(database_url=f"postgresql+asyncpg://postgres@127.0.0.1:{port}/qianfa",
                            secret_key=TEST_SECRET)
        async with own_app(settings) as client:
            reply = await client.get("/healthz", headers={"x-request-id": "lb-probe-1"})
    assert reply.status_code == 503
    assert reply.json() == {"status": "unavailable", "database": "unreachable"}
    [warning] = records(caplog, "qianfa.health")
    assert warning.levelno == logging.WARNING and warning.request_id == "lb-probe-1"
    assert "refused" in warning.error.lower() or "connect" in warning.error.lower()


async def test_healthz_gives_up_on_a_database_that_hangs():
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()  # the kernel completes the TCP handshake, then nothing ever answers
        port = silent.getsockname()[1]
        settings = Settings(database_url=f"postgresql+asyncpg://postgres@127.0.0.1:{port}/qianfa",
                            secret_key=TEST_SECRET, health_timeout_seconds=0.5)
        async with own_app(settings) as client:
            started = time.perf_counter()
            reply = await client.get("/healthz")
            elapsed = time.perf_counter() - started
    assert reply.status_code == 503
    assert elapsed < 5  # asyncpg alone would wait 60 s to connect


# ---------------------------------------------------------------- request ids and access lines


async def test_every_request_writes_one_json_access_line(client, caplog):
    caplog.set_level(logging.INFO, logger="qianfa.access")
    reply = await client.post("/graphql", json={"query": LOGIN}, headers={"x-request-id": "trace-42.a_b"})
    assert reply.status_code == 200

    [line] = records(caplog, "qianfa.access")
    fields = json.loads(json_formatter().format(line))
    assert ACCESS_FIELDS <= fields.keys()
    assert fields["request_id"] == "trace-42.a_b" == reply.headers["x-request-id"]
    assert (fields["method"], fields["path"], fields["status"]) == ("POST", "/graphql", 200)
    assert isinstance(fields["duration_ms"], float) and fields["duration_ms"] > 0
    # The sign-in looked the account up: the count is real and matches the response header.
    assert fields["sql_statements"] >= 1
    assert fields["sql_statements"] == int(reply.headers["x-sql-statements"])


async def test_refused_requests_are_logged_too(client, caplog):
    caplog.set_level(logging.INFO, logger="qianfa.access")
    await client.post("/graphql", data={"query": "{ __typename }"})
    await client.get("/nowhere")
    statuses = [(r.method, r.path, r.status) for r in records(caplog, "qianfa.access")]
    assert statuses == [("POST", "/graphql", 415), ("GET", "/nowhere", 404)]


@pytest.mark.parametrize("incoming", ["", "has space", "x" * 65, "<script>", "id\nforged-log-line", "中文"],
                         ids=["empty", "space", "too-long", "markup", "newline", "non-ascii"])
async def test_an_invalid_request_id_is_replaced(client, incoming):
    headers = {"x-request-id": incoming.encode("utf-8")} if incoming else {}
    first = await client.get("/healthz", headers=headers)
    second = await client.get("/healthz", headers=headers)
    assert GENERATED_ID.fullmatch(first.headers["x-request-id"])
    assert first.headers["x-request-id"] != second.headers["x-request-id"]


async def test_a_valid_request_id_is_echoed(client):
    for incoming in ("abc-123", "0f8fad5b-d9cb-469f-a165-70867728950e", "a" * 64):
        reply = await client.get("/healthz", headers={"x-request-id": incoming})
        assert reply.headers["x-request-id"] == incoming


# ---------------------------------------------------------------- error logs


async def test_an_unexpected_resolver_error_is_logged_with_the_request_id(client, caplog, monkeypatch):
    # Stand-in for a bug deep in a service: the one an anonymous caller can reach is sign-in.
    async def broken_login(session, **_kwargs):
        raise RuntimeError("boom in services.auth")

    monkeypatch.setattr(services.auth, "login", broken_login)
    reply = await client.post("/graphql", json={"query": LOGIN}, headers={"x-request-id": "req-boom"})
    assert reply.json()["errors"][0]["message"] == "Unexpected error."

    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1, [r.getMessage() for r in errors]  # once, not again by strawberry's own logger
    [logged] = errors
    assert logged.name == "qianfa.errors"
    assert logged.request_id == "req-boom"
    assert logged.graphql_path == ["login"]
    assert logged.exc_info[0] is RuntimeError and "boom in services.auth" in str(logged.exc_info[1])
    assert "Traceback" in json_formatter().format(logged)


async def test_intended_errors_are_not_logged(api, caplog):
    caplog.set_level(logging.INFO)
    signed_out = await api.call("{ me { username } }")  # UNAUTHENTICATED
    wrong_password = await api.call(LOGIN)  # typed MutationError
    unparsable = await api.call("{ me { ")  # syntax error
    invalid = await api.call("{ mee }")  # validation error
    too_deep = await api.call("{ me { official { abPartner { abPartner { abPartner { abPartner { abPartner "
                              "{ abPartner { abPartner { abPartner { abPartner { abPartner { name } } } } } } } } } } } } }")
    assert signed_out.error_codes == ["UNAUTHENTICATED"]
    assert wrong_password.data["login"]["code"] == "INVALID_CREDENTIALS"
    assert unparsable.errors and invalid.errors and too_deep.errors
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []


async def test_an_exception_outside_graphql_is_logged_and_answered_with_json_500(client, caplog, monkeypatch):
    # The bearer-token look-up runs before GraphQL (in get_context); make the database fail there.
    async def broken_authenticate(session, **_kwargs):
        raise OSError("database went away")

    monkeypatch.setattr(server, "authenticate", broken_authenticate)
    caplog.set_level(logging.INFO)
    reply = await client.post("/graphql", json={"query": "{ __typename }"},
                              headers={"authorization": "Bearer whatever", "x-request-id": "req-500"})
    assert reply.status_code == 500
    assert reply.headers["x-request-id"] == "req-500"
    assert reply.json() == {"errors": [{"message": "Unexpected error.",
                                        "extensions": {"code": "INTERNAL_SERVER_ERROR", "requestId": "req-500"}}]}
    assert "database went away" not in reply.text
    [logged] = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert (logged.name, logged.request_id, logged.exc_info[0]) == ("qianfa.errors", "req-500", OSError)
    [access] = records(caplog, "qianfa.access")
    assert (access.request_id, access.status) == ("req-500", 500)


async def test_log_lines_written_while_serving_carry_the_request_id(client, monkeypatch):
    # Any module's log line, not only ours, is tied to its request by the handler's filter.
    def noisy_login(session, **kwargs):
        logging.getLogger("some.library").warning("checking %s", kwargs["username"])
        raise DomainError(ErrorCode.INVALID_CREDENTIALS, "Wrong username or password.", field="password")

    async def login(session, **kwargs):
        return noisy_login(session, **kwargs)

    monkeypatch.setattr(services.auth, "login", login)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(json_formatter())
    handler.addFilter(RequestIdLogFilter())
    logging.getLogger().addHandler(handler)
    try:
        await client.post("/graphql", json={"query": LOGIN}, headers={"x-request-id": "req-lib"})
        logging.getLogger("some.library").warning("outside any request")
    finally:
        logging.getLogger().removeHandler(handler)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    inside = [line for line in lines if line["name"] == "some.library" and line["message"] == "checking nobody"]
    outside = [line for line in lines if line["message"] == "outside any request"]
    assert [line["request_id"] for line in inside] == ["req-lib"]
    assert "request_id" not in outside[0]


# ---------------------------------------------------------------- the real process


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_server_process_writes_json_lines(database_url, engine):
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": TEST_SECRET, "PORT": str(port),
           "HOST": "127.0.0.1", "DEBUG": "false", "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen([sys.executable, "server.py"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 20
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=2) as http:
            while True:
                assert process.poll() is None, process.communicate()[1]
                try:
                    if http.get("/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, "server.py did not become healthy"
                time.sleep(0.1)
            reply = http.post("/graphql", json={"query": "{ __typename }"}, headers={"x-request-id": "proc-1"})
            assert reply.status_code == 200 and reply.headers["x-request-id"] == "proc-1"
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            _, stderr = process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            _, stderr = process.communicate()
    # uvicorn shuts down gracefully, then re-raises the SIGTERM it caught (so -15 is a clean stop).
    assert process.returncode in (0, -signal.SIGTERM), stderr
    assert "Application shutdown complete." in stderr
    lines = [json.loads(line) for line in stderr.splitlines() if line.strip()]  # every line is JSON
    [access] = [line for line in lines if line.get("request_id") == "proc-1" and line["name"] == "qianfa.access"]
    assert ACCESS_FIELDS <= access.keys()
    assert (access["method"], access["path"], access["status"], access["level"]) == ("POST", "/graphql", 200, "INFO")
    assert any(line["name"] == "uvicorn.error" and "Uvicorn running" in line["message"] for line in lines)
    assert not any(line["name"].startswith("casbin") for line in lines)  # the policy dump stays out of the log
    assert not any("color_message" in line for line in lines)  # uvicorn's terminal colours neither


# ---------------------------------------------------------------- WebSocket handshakes in the access log


async def test_websocket_handshakes_are_logged(live_server, caplog):
    caplog.set_level(logging.INFO, logger="qianfa.access")
    with pytest.raises(InvalidStatus):
        async with websockets.connect(live_server.websocket_url, subprotocols=["graphql-ws"],
                                      additional_headers={"x-request-id": "ws-refused"}):
            pass
    async with websockets.connect(live_server.websocket_url, subprotocols=["graphql-transport-ws"],
                                  additional_headers={"x-request-id": "ws-ok"}) as ws:
        assert ws.response.headers["x-request-id"] == "ws-ok"
    deadline = time.monotonic() + 5
    while len([r for r in records(caplog, "qianfa.access") if r.request_id.startswith("ws-")]) < 2:
        assert time.monotonic() < deadline, "no access line for the WebSocket connections"
        await asyncio.sleep(0.05)
    logged = {r.request_id: (r.method, r.path, r.status) for r in records(caplog, "qianfa.access")}
    assert logged["ws-refused"] == ("WEBSOCKET", "/graphql", 403)
    assert logged["ws-ok"] == ("WEBSOCKET", "/graphql", 101)
