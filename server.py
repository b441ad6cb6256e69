"""The ASGI application: GraphQL at /graphql (GraphiQL in a browser), health at /healthz."""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import datetime as dt
import gc
import logging
import re
import sys
import time
import uuid

import orjson
from cross_web import HTTPException
from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.asgi import ASGIWebSocketAdapter, GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http.parse_content_type import parse_content_type
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types.unset import UNSET

from config import Settings, SettingsError
from db.engine import (
    ReadSession,
    StatementCount,
    create_engine,
    database_unavailable,
    is_sqlite,
    read_session_factory,
    session_factory,
    statement_count,
)
from db.listen import PgListener
from domain.errors import TopLevelCode
from policies import AccessControl
from resolvers.context import Context
from resolvers.subscriptions import SocketContext
from schema import build_schema
from server_assets import GRAPHIQL_DIR, GRAPHIQL_PAGE
from services import deadlines, events, idempotency, signing_rules
from services.auth import Principal, TokenExpired, authenticate
from services.cover import RosterCache
from services.signing_rules import SigningTables

access_log = logging.getLogger("qianfa.access")
error_log = logging.getLogger("qianfa.errors")
health_log = logging.getLogger("qianfa.health")

_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
# The id of the request being served, for log lines written while serving it.
current_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("current_request_id", default=None)

JSON = "application/json"
GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"

# The GraphiQL page may load nothing from elsewhere: scripts and styles from this server only
# (inline styles: GraphiQL sets them), fonts and icons inlined as data: URLs, requests (HTTP and
# WebSocket) back to this server only.
GRAPHIQL_CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                "font-src 'self' data:; img-src 'self' data:; connect-src 'self'; "
                "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
# Headers a browser front-end on another origin may send, and read, when its origin is allowed.
CORS_REQUEST_HEADERS = ["authorization", "content-type", "idempotency-key", "x-request-id"]
CORS_RESPONSE_HEADERS = ["x-request-id", "idempotent-replayed", "retry-after"]


class RequestIdLogFilter(logging.Filter):
    """Stamp every log record written while serving a request with that request's id.

    Attached to the handler (not a logger), so it sees the records of every library too.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        record.__dict__.pop("color_message", None)  # uvicorn's ANSI-coloured copy of the message
        if getattr(record, "request_id", None) is None:
            request_id = current_request_id.get()
            if request_id is not None:
                record.request_id = request_id
        return True


def _local_time(record: logging.LogRecord) -> str:
    """``2026-10-10T09:00:00.123+08:00``: the server's local time with its offset, so lines from
    machines in different zones (or read by someone in another) still order and compare."""
    return dt.datetime.fromtimestamp(record.created).astimezone().isoformat(timespec="milliseconds")


class _JsonLines(JsonFormatter):
    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802
        return _local_time(record)


def json_formatter() -> logging.Formatter:
    """One JSON object per line: time (with its offset), level, logger name, message and any extra fields."""
    return _JsonLines("{asctime}{levelname}{name}{message}", style="{",
                      rename_fields={"asctime": "time", "levelname": "level"}, json_ensure_ascii=False)


# A LogRecord's own attributes; the rest are a line's extra fields.
_STANDARD_ATTRS = {*RESERVED_ATTRS, "taskName"}


class TextFormatter(logging.Formatter):
    """For a person at a terminal: ``time LEVEL logger: message key=value …``, tracebacks below."""

    def format(self, record: logging.LogRecord) -> str:
        extras = " ".join(f"{key}={value}" for key, value in record.__dict__.items()
                          if key not in _STANDARD_ATTRS and not key.startswith("_"))
        line = f"{_local_time(record)} {record.levelname:<7} {record.name}: {record.getMessage()}"
        line = f"{line}  {extras}" if extras else line
        if record.exc_info:
            line = f"{line}\n{self.formatException(record.exc_info)}"
        if record.stack_info:
            line = f"{line}\n{self.formatStack(record.stack_info)}"
        return line


def configure_logging(debug: bool, log_sql: bool = False, log_format: str = "auto") -> None:
    """Log lines on stderr, each stamped with the id of the request being served, if any.

    ``auto``: readable text when stderr is a terminal, JSON lines (for a log collector) otherwise.
    """
    handler = logging.StreamHandler()
    text_lines = log_format == "text" or (log_format == "auto" and handler.stream.isatty())
    handler.setFormatter(TextFormatter() if text_lines else json_formatter())
    handler.addFilter(RequestIdLogFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    logging.getLogger("sqlalchemy.engine").setLevel(logging.INFO if log_sql else logging.WARNING)
    # The access policy is printed line by line when loaded; not worth a line per start.
    logging.getLogger("casbin").setLevel(logging.DEBUG if debug else logging.WARNING)


def request_id_from(scope: Scope) -> str:
    """The caller's X-Request-ID when it is a sane token, else a fresh one."""
    for name, value in scope.get("headers") or []:
        if name == b"x-request-id":
            incoming = value.decode("latin-1").strip()
            if _REQUEST_ID.fullmatch(incoming):
                return incoming
    return uuid.uuid4().hex


class RequestContextMiddleware:
    """Request id, SQL statement count and one JSON access-log line per request (WebSockets too).

    Also the last line of defence: an exception escaping the application is logged with the
    request id and answered with a JSON 500 that carries that id, not a bare traceback page.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        request_id = request_id_from(scope)
        scope.setdefault("state", {})["request_id"] = request_id
        counter = StatementCount()
        count_token = statement_count.set(counter)
        id_token = current_request_id.set(request_id)
        started = time.perf_counter()
        status = 0
        id_header = (b"x-request-id", request_id.encode())

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            kind = message["type"]
            if kind in ("http.response.start", "websocket.http.response.start"):
                status = message["status"]
                headers = [*message.get("headers", []), id_header,
                           (b"x-sql-statements", str(counter.value).encode())]
                message = {**message, "headers": headers}
            elif kind == "websocket.accept":
                status = 101
                message = {**message, "headers": [*message.get("headers", []), id_header]}
            elif kind == "websocket.close" and status == 0:
                status = 403  # closed before accepting: the server answers the handshake with 403
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception as error:
            error_log.exception("unhandled error", extra={"request_id": request_id, "path": scope.get("path")})
            if scope["type"] != "http" or status != 0:
                raise
            if database_unavailable(error):
                await _unavailable()(scope, receive, send_with_headers)
                return
            await JSONResponse(
                {"errors": [{"message": "Unexpected error.",
                             "extensions": {"code": TopLevelCode.INTERNAL_SERVER_ERROR.value,
                                            "requestId": request_id}}]},
                status_code=500,
            )(scope, receive, send_with_headers)
        finally:
            statement_count.reset(count_token)
            current_request_id.reset(id_token)
            access_log.info(
                "request",
                extra={
                    "request_id": request_id,
                    "method": scope.get("method", "WEBSOCKET"),
                    "path": scope.get("path"),
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                    "sql_statements": counter.value,
                },
            )


class BodySizeLimitMiddleware:
    """Refuse request bodies over the limit with 413, whether declared up front or streamed."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await _too_large(scope, receive, send, self.max_bytes)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _BodyTooLarge
            return message

        try:
            await self.app(scope, counting_receive, send)
        except _BodyTooLarge:
            await _too_large(scope, receive, send, self.max_bytes)


class _BodyTooLarge(Exception):
    pass


async def _too_large(scope: Scope, receive: Receive, send: Send, limit: int) -> None:
    response = _json_error(413, TopLevelCode.REQUEST_TOO_LARGE, f"Request body over {limit} bytes.")
    await response(scope, receive, send)


def preferred_media_type(accept: str | None) -> str:
    """application/graphql-response+json when the client lists it before application/json.

    No Accept header, */* or application/json: plain application/json (GraphQL over HTTP).
    """
    for part in (accept or "").split(","):
        media, params = parse_content_type(part.strip() or "*/*")
        if params.get("q", "1").strip() in ("0", "0.0", "0.00", "0.000"):
            continue
        if media == GRAPHQL_RESPONSE_JSON:
            return GRAPHQL_RESPONSE_JSON
        if media in (JSON, "application/*", "*/*"):
            return JSON
    return JSON


def bearer_token(authorization: object) -> str | None:
    """The token in an ``Authorization: Bearer <token>`` value, if that is what it is."""
    if not isinstance(authorization, str):
        return None
    scheme, _, credentials = authorization.partition(" ")
    return (credentials.strip() or None) if scheme.lower() == "bearer" else None


def _json_error(status: int, code: TopLevelCode, message: str, headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"errors": [{"message": message, "extensions": {"code": code.value}}]}, status_code=status,
                        headers=headers)


# Set in the request's state when a resolver failed because the database could not serve it now
# (schema.QianfaSchema.process_errors): the whole answer is then a 503, never a masked 500.
DATABASE_UNAVAILABLE = "database_unavailable"


def _unavailable() -> JSONResponse:
    """The database is out of connections, refusing them or not answering in time: retry later."""
    return _json_error(503, TopLevelCode.SERVICE_UNAVAILABLE, "The database could not serve this request in time; "
                       "retry shortly (with the same Idempotency-Key for a change).", headers={"retry-after": "1"})


# Set in a WebSocket's state to close it with this reason instead of strawberry's fixed "Forbidden".
_CLOSE_REASON = "close_reason"


class _SocketAdapter(ASGIWebSocketAdapter):
    async def close(self, code: int, reason: str) -> None:
        await super().close(code, self.ws.scope.get("state", {}).get(_CLOSE_REASON, reason))


class QianfaGraphQL(GraphQL):
    """Strawberry's ASGI view with our per-request context and the GraphQL-over-HTTP details it lacks.

    - POST bodies must be ``application/json``: form and text/plain posts (what a hostile page can
      send cross-site without a CORS preflight) are refused with 415 before any work is done.
    - WebSocket handshakes that offer no subprotocol we speak (e.g. only the legacy ``graphql-ws``)
      are refused with 403 instead of being accepted and then closed.
    - A mutation sent over GET is refused with 405 and ``Allow: POST``, as the spec asks.
    - A WebSocket signs in with its connection_init payload ``{"authorization": "Bearer <token>"}``;
      without a valid token the socket is closed with 4403 Forbidden.
    - ``Accept: application/graphql-response+json`` gets that media type, and a request error
      (unparsable, invalid, bad variables: nothing executed) gets 400 without a ``data`` entry.
    """

    websocket_adapter_class = _SocketAdapter

    def __init__(self, *, settings: Settings, sessions, read_sessions, access: AccessControl,
                 tables: SigningTables, hub: events.EventHub, **kwargs) -> None:
        super().__init__(build_schema(settings), **kwargs)
        self.settings = settings
        self.sessions = sessions
        self.read_sessions = read_sessions
        self.rosters = RosterCache()
        self.access = access
        self.tables = tables
        self.hub = hub
        self.graphiql_page = GRAPHIQL_PAGE.read_text(encoding="utf-8")

    async def run(self, request, context=UNSET, root_value=UNSET):
        if self.is_websocket_request(request):
            if await self.pick_websocket_subprotocol(request) is None:
                return await self.reject_websocket(request)
            return await super().run(request, context, root_value)
        try:
            if request.method == "POST":
                media, _ = parse_content_type(request.headers.get("content-type", ""))
                if media != JSON:
                    raise HTTPException(415, "Send GraphQL requests as application/json.")
                key = request.headers.get("idempotency-key")
                if key is not None:
                    return await self._run_once(request, key, context, root_value)
            return await self._run_http(request, context, root_value)
        except Exception as error:
            # The sign-in check or an Idempotency-Key claim found no connection (or no answer) in time.
            if database_unavailable(error):
                error_log.warning("database unavailable", extra={"error": f"{type(error).__name__}: {error}"[:500]})
                return _unavailable()
            raise
        finally:
            await self._close_read_session(request)

    async def _run_once(self, request, key: str, context, root_value):
        """Idempotency-Key: the first answer is kept and replayed; nothing runs twice."""
        if not 0 < len(key) <= idempotency.MAX_KEY_LENGTH or not key.isprintable():
            return _json_error(400, TopLevelCode.BAD_IDEMPOTENCY_KEY,
                               f"An Idempotency-Key has 1 to {idempotency.MAX_KEY_LENGTH} printable characters.")
        principal = await self._principal(request)
        # The claim below writes through a connection of its own (on SQLite, the one writer).
        await self._close_read_session(request)
        if principal is None:
            # Anonymous requests can only sign in; there is nothing to replay.
            return await self._run_http(request, context, root_value)
        ids = {"account_id": principal.account_id, "key": key}
        outcome = await idempotency.claim(
            self.sessions, **ids, request_digest=idempotency.digest(await request.body()),
            lease=dt.timedelta(seconds=self.settings.idempotency_lease_seconds),
            lifetime=dt.timedelta(hours=self.settings.idempotency_key_hours))
        if outcome.claim == idempotency.Claim.REPLAY:
            return Response(outcome.body, status_code=outcome.status_code, media_type=JSON,
                            headers={"idempotent-replayed": "true"})
        if outcome.claim == idempotency.Claim.IN_PROGRESS:
            return _json_error(409, TopLevelCode.IDEMPOTENCY_IN_PROGRESS,
                               "The first request with this key is still running; retry shortly.",
                               headers={"retry-after": "1"})
        if outcome.claim == idempotency.Claim.MISMATCH:
            return _json_error(422, TopLevelCode.IDEMPOTENCY_KEY_REUSED,
                               "This Idempotency-Key was used for a different request.")
        try:
            response = await self._run_http(request, context, root_value)
        except BaseException:
            await idempotency.release(self.sessions, **ids)
            raise
        if response.status_code == 503:
            # Nothing ran to completion: a retry must run it, not be replayed this answer.
            await idempotency.release(self.sessions, **ids)
            return response
        await idempotency.complete(self.sessions, **ids, status_code=response.status_code,
                                   body=bytes(response.body).decode())
        return response

    async def _run_http(self, request, context, root_value):
        try:
            response = await super().run(request, context, root_value)
        except HTTPException as error:
            if request.method == "GET" and isinstance(error.__cause__, InvalidOperationTypeError):
                # GraphQL over HTTP: a mutation over GET is 405 Method Not Allowed (strawberry says 400).
                return PlainTextResponse(error.reason, status_code=405, headers={"allow": "POST"})
            raise
        if request.scope.get("state", {}).get(DATABASE_UNAVAILABLE):
            return _unavailable()
        media_type = getattr(request.state, "graphql_media_type", None)
        if (isinstance(response, Response) and not isinstance(response, StreamingResponse)
                and media_type == GRAPHQL_RESPONSE_JSON
                and response.headers.get("content-type", "").startswith(JSON)):
            response.headers["content-type"] = f"{GRAPHQL_RESPONSE_JSON}; charset=utf-8"
            if getattr(request.state, "graphql_request_error", False):
                response.status_code = 400
        return response

    async def process_result(self, request, result):
        data = await super().process_result(request, result)
        media_type = preferred_media_type(request.headers.get("accept"))
        # Nothing executed: parse, validation or variable errors, none of which has a path.
        request_error = result.data is None and bool(result.errors) and all(e.path is None for e in result.errors)
        request.state.graphql_media_type = media_type
        request.state.graphql_request_error = request_error
        if media_type == GRAPHQL_RESPONSE_JSON and request_error:
            data.pop("data", None)
        return data

    async def render_graphql_ide(self, request) -> HTMLResponse:
        # Our page, not strawberry's: strawberry's loads React and GraphiQL from a CDN, which a county
        # intranet cannot reach; ours loads the copies vendored in server_assets/ (/static/graphiql/).
        return HTMLResponse(self.graphiql_page, headers={"content-security-policy": GRAPHIQL_CSP})

    def encode_json(self, data: object) -> str:
        # orjson: about a tenth of the standard encoder's time on an inbox page. Text, not bytes:
        # WebSocket messages go out as text frames.
        return orjson.dumps(data).decode()

    def decode_json(self, data: str | bytes) -> object:
        return orjson.loads(data)

    async def _authenticate(self, bearer: str | None) -> Principal | None:
        if bearer is None:
            return None
        async with self.read_sessions() as session:
            return await authenticate(session, bearer=bearer, secret_key=self.settings.secret_key)

    def _read_session(self, request) -> ReadSession:
        """The request's one read session (one pooled connection): the sign-in check and every query
        field use it; ``run`` closes it when the response is ready."""
        state = request.scope.setdefault("state", {})
        if "read_session" not in state:
            state["read_session"] = ReadSession(self.read_sessions())
        return state["read_session"]

    async def _close_read_session(self, request) -> None:
        read_session = request.scope.get("state", {}).pop("read_session", None)
        if read_session is not None:
            await read_session.close()

    async def _principal(self, request):
        """Who the bearer token says is asking; looked up once per request. An expired token is noted, so
        a field that needs a sign-in answers TOKEN_EXPIRED, and signing in again still works."""
        state = request.scope.setdefault("state", {})
        if "principal" not in state:
            bearer = bearer_token(request.headers.get("authorization"))
            try:
                state["principal"] = None if bearer is None else await authenticate(
                    self._read_session(request), bearer=bearer, secret_key=self.settings.secret_key)
            except TokenExpired:
                state["principal"], state["token_expired"] = None, True
        return state["principal"]

    async def get_context(self, request, response) -> Context:
        common = dict(
            settings=self.settings,
            sessions=self.sessions,
            read_sessions=self.read_sessions,
            access=self.access,
            tables=self.tables,
            rosters=self.rosters,
            request_id=request.scope.get("state", {}).get("request_id") or uuid.uuid4().hex,
            request=request,
            response=response,
        )
        if self.is_websocket_request(request):
            # Built at the upgrade; signed in by connection_init (on_ws_connect) before any operation runs.
            return SocketContext(**common, principal=None, hub=self.hub)
        return Context(**common, principal=await self._principal(request), _session=self._read_session(request),
                       token_expired=request.scope["state"].get("token_expired", False))

    async def on_ws_connect(self, context: SocketContext):
        """graphql-transport-ws connection_init: sign in with its payload, or close with 4403 (reason
        "Forbidden", or "TOKEN_EXPIRED" when the token is genuine but expired)."""
        params = context.connection_params or {}
        bearer = bearer_token(params.get("authorization", params.get("Authorization")))
        try:
            principal = await self._authenticate(bearer)
        except TokenExpired:
            context.request.scope.setdefault("state", {})[_CLOSE_REASON] = TopLevelCode.TOKEN_EXPIRED.value
            raise ConnectionRejectionError from None
        if principal is None:
            raise ConnectionRejectionError
        context.principal, context.bearer = principal, bearer
        context.request.scope.setdefault("state", {})["principal"] = principal
        return UNSET


def create_app(settings: Settings | None = None, engine: AsyncEngine | None = None) -> Starlette:
    settings = settings or Settings.from_env()
    owns_engine = engine is None
    engine = engine or create_engine(
        settings.database_url, pool_size=settings.database_pool_size, pool_timeout=settings.database_pool_timeout,
        connect_timeout=settings.database_connect_timeout, statement_timeout=settings.database_statement_timeout)
    sessions = session_factory(engine)
    tables = SigningTables()
    hub = events.EventHub()
    graphql = QianfaGraphQL(
        settings=settings,
        sessions=sessions,
        read_sessions=read_session_factory(engine),
        access=AccessControl(),
        tables=tables,
        hub=hub,
        graphql_ide="graphiql",
        allow_queries_via_get=True,  # queries only: a mutation over GET is refused with 405
        multipart_uploads_enabled=False,  # no file uploads: multipart posts are refused (415)
        subscription_protocols=[GRAPHQL_TRANSPORT_WS_PROTOCOL],  # not the legacy graphql-ws
    )

    async def ping() -> None:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    async def healthz(request: Request) -> Response:
        try:
            await asyncio.wait_for(ping(), timeout=settings.health_timeout_seconds)
        except Exception as error:  # noqa: BLE001 - any failure, time-out included, means unhealthy
            health_log.warning("database unreachable", extra={
                "request_id": request.scope.get("state", {}).get("request_id"),
                "error": f"{type(error).__name__}: {error}"[:500],
            })
            return JSONResponse({"status": "unavailable", "database": "unreachable"}, status_code=503,
                                headers={"cache-control": "no-store"})
        return JSONResponse({"status": "ok", "database": "ok"}, headers={"cache-control": "no-store"})

    @contextlib.asynccontextmanager
    async def lifespan(_app):
        listener = None
        hub.open(engine)
        if not is_sqlite(settings.database_url):
            # Other processes' signing-table edits and inbox events (ours too) reach this one through PostgreSQL.
            listener = PgListener(settings.database_url, on_reconnect=tables.forget_all)
            listener.on(signing_rules.CHANNEL, lambda payload: tables.forget(int(payload)))
            listener.on(events.CHANNEL, lambda payload: hub.deliver(events.InboxEvent.from_json(payload)))
            await listener.start()
        sweepers = []
        if settings.sweep_seconds > 0:
            sweepers.append(asyncio.create_task(
                deadlines.run_sweeper(sessions, every_seconds=settings.sweep_seconds), name="deadline-sweeper"))
            sweepers.append(asyncio.create_task(idempotency.run_purger(
                sessions, lifetime=dt.timedelta(hours=settings.idempotency_key_hours),
                every_seconds=settings.sweep_seconds), name="idempotency-key-purger"))
        yield
        for sweeper in sweepers:
            sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sweeper
        if listener is not None:
            await listener.stop()
        hub.close()
        if owns_engine:
            await engine.dispose()

    app = Starlette(
        debug=False,
        routes=[
            Route("/healthz", healthz, methods=["GET"]),
            Route("/graphql", graphql, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql),
            # GraphiQL's scripts (4 MB, mostly graphiql.min.js: gzip sends a fifth of that).
            Mount("/static/graphiql", GZipMiddleware(StaticFiles(directory=GRAPHIQL_DIR))),
        ],
        lifespan=lifespan,
    )
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(RequestContextMiddleware)
    if settings.cors_origins:
        # Outermost, so every answer (a 413, a 500 with its request id) is readable by the allowed page.
        app.add_middleware(CORSMiddleware, allow_origins=list(settings.cors_origins),
                           allow_methods=["GET", "POST", "OPTIONS"], allow_headers=CORS_REQUEST_HEADERS,
                           expose_headers=CORS_RESPONSE_HEADERS, max_age=600)
    app.state.engine = engine
    app.state.settings = settings
    app.state.tables = tables
    app.state.rosters = graphql.rosters
    app.state.events = hub
    return app


def tune_garbage_collector() -> None:
    """Keep the cyclic collector off the objects every request shares (schema, models, tables).

    Measured with bench/profile.py, 16 inbox requests at once: full collections re-scanning those
    long-lived objects took a quarter of each request's CPU (18.6 ms a request, 14.0 ms frozen).
    """
    gc.collect()
    gc.freeze()


def settings_or_exit() -> Settings:
    """The settings from the environment, or one line on stderr and exit status 2 (a usage error)."""
    try:
        return Settings.from_env()
    except SettingsError as error:
        print(f"error: {error}", file=sys.stderr)
        raise SystemExit(2) from None


def app_from_env() -> Starlette:
    """The served app, built in each server process (``uvicorn --factory server:app_from_env``)."""
    settings = settings_or_exit()
    configure_logging(settings.debug, settings.log_sql, settings.log_format)
    app = create_app(settings)
    tune_garbage_collector()
    return app


def main() -> None:
    import uvicorn

    settings = settings_or_exit()
    if settings.workers > 1 and is_sqlite(settings.database_url):
        # Seen: several processes on SQLite lost 5 of 8 live inbox events (and SQLite has one writer).
        print(f"error: WORKERS={settings.workers} needs PostgreSQL: on SQLite each server process hears only "
              "its own live inbox events (subscribers on the others miss them); "
              "set WORKERS=1 or a postgresql:// DATABASE_URL", file=sys.stderr)
        raise SystemExit(2)
    # uvicorn starts several processes only from an import string, each building its own app.
    uvicorn.run("server:app_from_env", factory=True, workers=settings.workers, host=settings.host,
                port=settings.port, log_config=None, access_log=False)


if __name__ == "__main__":
    main()
