"""Runtime settings, read once from the environment."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./data/qianfa.db"
DEV_SECRET_KEY = "dev-only-secret-change-me-in-production-0123456789"


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

    @property
    def access_token_lifetime(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.access_token_minutes)

    @classmethod
    def from_env(cls) -> "Settings":
        return cls(
            database_url=os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL),
            secret_key=os.environ.get("SECRET_KEY", DEV_SECRET_KEY),
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
        )
