"""Runtime settings, read once from the environment."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./data/qianfa.db"
DEV_SECRET_KEY = "dev-only-secret-change-me-in-production-0123456789"


def _flag(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    secret_key: str = DEV_SECRET_KEY
    host: str = "127.0.0.1"
    port: int = 8000
    debug: bool = False
    introspection: bool = True
    access_token_minutes: int = 8 * 60
    max_body_bytes: int = 1_000_000
    max_query_depth: int = 12
    max_aliases: int = 30
    max_tokens: int = 3_000
    log_sql: bool = False

    @property
    def access_token_lifetime(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.access_token_minutes)

    @classmethod
    def from_env(cls) -> "Settings":
        return cls(
            database_url=os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL),
            secret_key=os.environ.get("SECRET_KEY", DEV_SECRET_KEY),
            host=os.environ.get("HOST", "127.0.0.1"),
            port=int(os.environ.get("PORT", "8000")),
            debug=_flag("DEBUG", False),
            introspection=_flag("INTROSPECTION", True),
            access_token_minutes=int(os.environ.get("ACCESS_TOKEN_MINUTES", str(8 * 60))),
            max_body_bytes=int(os.environ.get("MAX_BODY_BYTES", "1000000")),
        )
