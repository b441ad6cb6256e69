"""Runtime settings, read once from the environment."""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./data/qianfa.db"
# Published in this file, so it signs nothing real: only Settings() built in code (schema printing)
# carries it. from_env never falls back to it, warns when SECRET_KEY is set to it, and refuses it
# in production.
DEV_SECRET_KEY = "dev-only-secret-change-me-in-production-0123456789"
DEFAULT_SECRET_KEY_FILE = "data/secret_key"
# HS256 keys: at least 32 bytes (RFC 7518 §3.2 asks for a key as long as the hash).
MIN_SECRET_KEY_LENGTH = 32

log = logging.getLogger("qianfa.config")


def _flag(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"{name}={raw!r}: expected true/false, 1/0, yes/no or on/off")


def _positive_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{name}={raw!r}: expected a whole number") from None
    if value <= 0:
        raise ValueError(f"{name}={raw!r}: must be greater than zero")
    return value


def _positive_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{name}={raw!r}: expected a number") from None
    if value <= 0:
        raise ValueError(f"{name}={raw!r}: must be greater than zero")
    return value


_ORIGIN = re.compile(r"https?://[A-Za-z0-9.\-\[\]:]+")


def _origins(name: str) -> tuple[str, ...]:
    """Comma-separated browser origins (``https://app.example.gov.cn``), or ``*`` for any."""
    raw = os.environ.get(name, "")
    origins = tuple(part.strip().rstrip("/") for part in raw.split(",") if part.strip())
    for origin in origins:
        if origin != "*" and not _ORIGIN.fullmatch(origin):
            raise ValueError(f"{name}: {origin!r} is not an origin like http://localhost:5173 "
                             "(scheme, host and optional port; no path)")
    return origins


def secret_key_from_file(path: Path) -> str:
    """The key kept in ``path``, made (random, readable by its owner only) the first time."""
    try:
        key = path.read_text().strip()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        try:
            # O_EXCL: of two processes starting together, one writes and the other reads its key.
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return secret_key_from_file(path)
        with os.fdopen(descriptor, "w") as file:
            file.write(key + "\n")
        log.info("generated a new secret key in %s", path)
        return key
    if not key:
        raise ValueError(f"{path} is empty: delete it to have a new key generated, or set SECRET_KEY")
    return key


def check_secret_key(key: str, *, production: bool) -> None:
    """Refuse (production) or warn about a key anyone can read or guess."""
    problem = ("is the published development key" if key == DEV_SECRET_KEY
               else f"is shorter than {MIN_SECRET_KEY_LENGTH} characters" if len(key) < MIN_SECRET_KEY_LENGTH
               else None)
    if problem is None:
        return
    if production:
        raise ValueError(f"SECRET_KEY {problem}: refusing to start with PRODUCTION=true")
    log.warning("SECRET_KEY %s: anyone can forge sign-in tokens; never use it in production", problem)


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    secret_key: str = DEV_SECRET_KEY
    host: str = "127.0.0.1"
    port: int = 8000
    # DEBUG: field suggestions ("Did you mean …") in errors, DEBUG-level logs.
    debug: bool = False
    # INTROSPECTION=false turns off __schema/__type (on by default: the schema is no secret).
    introspection: bool = True
    access_token_minutes: int = 8 * 60
    # Request limits: body bytes (413 past it), selection depth, aliases and lexer tokens per document.
    max_body_bytes: int = 1_000_000
    max_query_depth: int = 12
    max_aliases: int = 30
    max_tokens: int = 3_000
    # /healthz answers 503 when the database has not answered within this many seconds.
    health_timeout_seconds: float = 3.0
    log_sql: bool = False
    # The deadline sweeper's period; 0 runs none in this process (tests drive sweeps themselves).
    sweep_seconds: float = 0.0
    # Server processes `python server.py` starts (uvicorn workers); one per core is the usual choice.
    workers: int = 1
    # Database connections per server process, at most; past them a request waits up to
    # database_pool_timeout seconds, then is answered 503 with Retry-After. Keep workers × pool size
    # (plus the CLI and one listener per process) under the server's max_connections.
    database_pool_size: int = 10
    database_pool_timeout: float = 10.0
    # PostgreSQL: give up connecting after this many seconds, and cancel a statement after that many.
    database_connect_timeout: float = 10.0
    database_statement_timeout: float = 30.0
    # Idempotency-Key: a claim whose request has not answered within the lease (its process died) may
    # be taken over by a retry; a key is forgotten this many hours after its first request.
    idempotency_lease_seconds: float = 120.0
    idempotency_key_hours: int = 24
    # PRODUCTION=true: refuse to start with a missing, published or short SECRET_KEY.
    production: bool = False
    # Failed sign-ins allowed per username and per client address in each window; then every sign-in
    # for that username or from that address is refused until the window ends.
    sign_in_failures_per_account: int = 5
    sign_in_failures_per_address: int = 20
    sign_in_window_seconds: int = 60
    # CORS_ORIGINS: the browser origins (other than this server's) whose pages may call the API;
    # none by default.
    cors_origins: tuple[str, ...] = ()

    @property
    def access_token_lifetime(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.access_token_minutes)

    @classmethod
    def from_env(cls) -> "Settings":
        """The settings from the environment.

        Without SECRET_KEY, the key kept in SECRET_KEY_FILE (default data/secret_key, next to the
        SQLite database), generated there on first start — except in production, which must be given one.
        """
        production = _flag("PRODUCTION", False)
        secret_key = os.environ.get("SECRET_KEY", "").strip()
        if not secret_key:
            if production:
                raise ValueError("SECRET_KEY is not set: refusing to start with PRODUCTION=true")
            secret_key = secret_key_from_file(Path(os.environ.get("SECRET_KEY_FILE") or DEFAULT_SECRET_KEY_FILE))
        check_secret_key(secret_key, production=production)
        return cls(
            database_url=os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL),
            secret_key=secret_key,
            host=os.environ.get("HOST", "127.0.0.1"),
            port=_positive_int("PORT", 8000),
            debug=_flag("DEBUG", False),
            introspection=_flag("INTROSPECTION", True),
            access_token_minutes=_positive_int("ACCESS_TOKEN_MINUTES", 8 * 60),
            max_body_bytes=_positive_int("MAX_BODY_BYTES", 1_000_000),
            max_query_depth=_positive_int("MAX_QUERY_DEPTH", 12),
            max_aliases=_positive_int("MAX_ALIASES", 30),
            max_tokens=_positive_int("MAX_TOKENS", 3_000),
            health_timeout_seconds=_positive_float("HEALTH_TIMEOUT_SECONDS", 3.0),
            log_sql=_flag("LOG_SQL", False),
            sweep_seconds=_positive_float("SWEEP_SECONDS", 60.0),
            workers=_positive_int("WORKERS", 1),
            database_pool_size=_positive_int("DATABASE_POOL_SIZE", 10),
            database_pool_timeout=_positive_float("DATABASE_POOL_TIMEOUT", 10.0),
            database_connect_timeout=_positive_float("DATABASE_CONNECT_TIMEOUT", 10.0),
            database_statement_timeout=_positive_float("DATABASE_STATEMENT_TIMEOUT", 30.0),
            idempotency_lease_seconds=_positive_float("IDEMPOTENCY_LEASE_SECONDS", 120.0),
            idempotency_key_hours=_positive_int("IDEMPOTENCY_KEY_HOURS", 24),
            production=production,
            sign_in_failures_per_account=_positive_int("SIGN_IN_FAILURES_PER_ACCOUNT", 5),
            sign_in_failures_per_address=_positive_int("SIGN_IN_FAILURES_PER_ADDRESS", 20),
            sign_in_window_seconds=_positive_int("SIGN_IN_WINDOW_SECONDS", 60),
            cors_origins=_origins("CORS_ORIGINS"),
        )
