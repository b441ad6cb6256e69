"""Runtime settings, read once from the environment (pydantic-settings), validated field by field.

``Settings(...)`` built in code reads nothing from the environment (a developer's shell cannot change
what a test runs with); ``Settings.from_env()`` reads it, and a bad value raises :class:`SettingsError`
with one line naming the variable, what it was given and what it takes.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import secrets
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, PydanticBaseSettingsSource, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

# Where config.py lives: the default database and secret key are kept under its data/ folder, wherever
# the server or the CLI is started from (a relative default made a stray database in every cwd).
PROJECT_DIR = Path(__file__).resolve().parent
DEFAULT_DATABASE_PATH = PROJECT_DIR / "data" / "qianfa.db"
DEFAULT_DATABASE_URL = f"sqlite+aiosqlite:///{DEFAULT_DATABASE_PATH}"
# Published in this file, so it signs nothing real: only Settings() built in code (schema printing)
# carries it. from_env never falls back to it, warns when SECRET_KEY is set to it, and refuses it
# in production.
DEV_SECRET_KEY = "dev-only-secret-change-me-in-production-0123456789"
DEFAULT_SECRET_KEY_FILE = PROJECT_DIR / "data" / "secret_key"
# HS256 keys: at least 32 bytes (RFC 7518 §3.2 asks for a key as long as the hash).
MIN_SECRET_KEY_LENGTH = 32

log = logging.getLogger("qianfa.config")


class SettingsError(ValueError):
    """A setting the service cannot start with; its message is one line for an administrator."""


_ORIGIN = re.compile(r"https?://[A-Za-z0-9.\-\[\]:]+")
# The drivers the service runs on; the usual spellings of the same databases are rewritten to them.
_DRIVERS = {"postgres": "postgresql+asyncpg", "postgresql": "postgresql+asyncpg",
            "postgresql+asyncpg": "postgresql+asyncpg", "postgresql+psycopg": "postgresql+asyncpg",
            "postgresql+psycopg2": "postgresql+asyncpg", "sqlite": "sqlite+aiosqlite",
            "sqlite+aiosqlite": "sqlite+aiosqlite"}
_FLAG_WORDS = {"1": True, "true": True, "yes": True, "on": True, "0": False, "false": False, "no": False,
               "off": False}
_FLAG_HINT = "expected true/false, 1/0, yes/no or on/off"


def hide_password(url: str) -> str:
    """A database URL fit for a message or a log line."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url.partition("://")[0] + "://…"


def async_database_url(url: str) -> str:
    """``postgres://`` and ``postgresql://`` (as PostgreSQL and hosting panels print them) and
    ``sqlite:///`` spelled with the async driver the service uses; anything else is refused."""
    scheme, separator, rest = url.strip().partition("://")
    driver = _DRIVERS.get(scheme.lower())
    if not separator or driver is None:
        raise ValueError("expected a postgresql://… or sqlite:///… URL")
    return f"{driver}://{rest}"


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
        raise SettingsError(f"{path} is empty: delete it to have a new key generated, or set SECRET_KEY")
    return key


def check_secret_key(key: str, *, production: bool) -> None:
    """Refuse (production) or warn about a key anyone can read or guess."""
    problem = ("is the published development key" if key == DEV_SECRET_KEY
               else f"is shorter than {MIN_SECRET_KEY_LENGTH} characters" if len(key) < MIN_SECRET_KEY_LENGTH
               else None)
    if problem is None:
        return
    if production:
        raise SettingsError(f"SECRET_KEY {problem}: refusing to start with PRODUCTION=true")
    log.warning("SECRET_KEY %s: anyone can forge sign-in tokens; never use it in production", problem)



class Settings(BaseSettings):
    # Every field is read from the variable of its name in capitals (DATABASE_URL, PORT, …); an
    # empty variable counts as unset.
    model_config = SettingsConfigDict(frozen=True, env_ignore_empty=True, extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    # Kept out of repr: settings end up in tracebacks and test reports.
    secret_key: str = Field(DEV_SECRET_KEY, repr=False)
    host: str = "127.0.0.1"
    port: int = Field(8000, gt=0, le=65535)
    # DEBUG: field suggestions ("Did you mean …") in errors, DEBUG-level logs.
    debug: bool = False
    # INTROSPECTION=false turns off __schema/__type (on by default: the schema is no secret).
    introspection: bool = True
    access_token_minutes: int = Field(8 * 60, gt=0)
    # Request limits: body bytes (413 past it), selection depth, aliases and lexer tokens per document.
    max_body_bytes: int = Field(1_000_000, gt=0)
    max_query_depth: int = Field(12, gt=0)
    max_aliases: int = Field(30, gt=0)
    max_tokens: int = Field(3_000, gt=0)
    # /healthz answers 503 when the database has not answered within this many seconds.
    health_timeout_seconds: float = Field(3.0, gt=0)
    log_sql: bool = False
    # Log lines: readable text on a terminal and JSON lines otherwise (auto), or always one of them.
    log_format: Literal["auto", "text", "json"] = "auto"
    # The deadline sweeper's period; 0 runs none in this process (tests drive sweeps themselves).
    sweep_seconds: float = Field(0.0, ge=0)
    # Server processes `python server.py` starts (uvicorn workers); one per core is the usual choice.
    # PostgreSQL only: SQLite has one writer and no way to tell other processes about new events.
    workers: int = Field(1, gt=0)
    # Database connections per server process, at most; past them a request waits up to
    # database_pool_timeout seconds, then is answered 503 with Retry-After. Keep workers × pool size
    # (plus the CLI and one listener per process) under the server's max_connections.
    database_pool_size: int = Field(10, gt=0)
    database_pool_timeout: float = Field(10.0, gt=0)
    # PostgreSQL: give up connecting after this many seconds, and cancel a statement after that many.
    database_connect_timeout: float = Field(10.0, gt=0)
    database_statement_timeout: float = Field(30.0, gt=0)
    # Idempotency-Key: a claim whose request has not answered within the lease (its process died) may
    # be taken over by a retry; a key is forgotten this many hours after its first request.
    idempotency_lease_seconds: float = Field(120.0, gt=0)
    idempotency_key_hours: int = Field(24, gt=0)
    # PRODUCTION=true: refuse to start with a missing, published or short SECRET_KEY.
    production: bool = False
    # Failed sign-ins allowed per username and per client address in each window; then every sign-in
    # for that username or from that address is refused until the window ends.
    sign_in_failures_per_account: int = Field(5, gt=0)
    sign_in_failures_per_address: int = Field(20, gt=0)
    sign_in_window_seconds: int = Field(60, gt=0)
    # CORS_ORIGINS: the browser origins (other than this server's) whose pages may call the API,
    # comma-separated (``*`` for any); none by default. NoDecode: a plain list, not JSON.
    cors_origins: Annotated[tuple[str, ...], NoDecode] = ()

    @classmethod
    def settings_customise_sources(cls, settings_cls, init_settings: PydanticBaseSettingsSource,
                                   env_settings, dotenv_settings, file_secret_settings):
        # Built in code: only what the code passes. from_env reads the environment (_Environment).
        return (init_settings,)

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, url: str) -> str:
        return async_database_url(url)

    @field_validator("debug", "introspection", "log_sql", "production", mode="before")
    @classmethod
    def _flag(cls, value: object) -> object:
        # Stricter than pydantic's own booleans (which take "t", "y", "off"…): a typo is no answer.
        if isinstance(value, str):
            try:
                return _FLAG_WORDS[value.strip().lower()]
            except KeyError:
                raise ValueError(_FLAG_HINT) from None
        return value

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _origins(cls, value: object) -> object:
        """Comma-separated browser origins (``https://app.example.gov.cn``), or ``*`` for any."""
        parts = value.split(",") if isinstance(value, str) else value
        origins = tuple(part.strip().rstrip("/") for part in parts if part.strip())
        for origin in origins:
            if origin != "*" and not _ORIGIN.fullmatch(origin):
                raise ValueError(f"{origin!r} is not an origin like http://localhost:5173 "
                                 "(scheme, host and optional port; no path)")
        return origins

    @property
    def access_token_lifetime(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.access_token_minutes)

    @classmethod
    def from_env(cls) -> "Settings":
        """The settings from the environment; :class:`SettingsError` (one line) for a bad one.

        Without SECRET_KEY, the key kept in SECRET_KEY_FILE (default data/secret_key beside config.py),
        generated there on first start — except in production, which must be given one.
        """
        try:
            environment = _Environment()
        except ValidationError as error:
            raise SettingsError(_one_line(error)) from None
        values = environment.model_dump(exclude={"secret_key_file"})
        if environment.secret_key is None:
            if environment.production:
                raise SettingsError("SECRET_KEY is not set: refusing to start with PRODUCTION=true")
            path = environment.secret_key_file
            try:
                values["secret_key"] = secret_key_from_file(path)
            except OSError as error:
                raise SettingsError(f"SECRET_KEY_FILE={str(path)!r}: {error.strerror}") from None
        check_secret_key(values["secret_key"], production=environment.production)
        return cls(**values)


class _Environment(Settings):
    """The settings as the environment gives them: no secret key unless one is set, a sweeper by default."""

    secret_key: str | None = Field(None, repr=False)
    secret_key_file: Path = DEFAULT_SECRET_KEY_FILE
    sweep_seconds: float = Field(60.0, ge=0)

    @field_validator("secret_key")
    @classmethod
    def _stripped(cls, key: str | None) -> str | None:
        return key.strip() or None if key is not None else None

    @classmethod
    def settings_customise_sources(cls, settings_cls, init_settings, env_settings, dotenv_settings,
                                   file_secret_settings):
        return (env_settings,)


def _one_line(error: ValidationError) -> str:
    """``PORT='abc': expected a whole number; DEBUG='maybe': expected true/false, …`` — the variables
    at fault, as given (a database password hidden), and what each takes."""
    problems = []
    for problem in error.errors():
        name = str(problem["loc"][0]).upper() if problem["loc"] else "settings"
        given = problem.get("input")
        if name == "DATABASE_URL" and isinstance(given, str):
            given = hide_password(given)
        problems.append(f"{name}={given!r}: {_expected(problem)}")
    return "; ".join(problems)


def _expected(problem: dict) -> str:
    kind, context = problem["type"], problem.get("ctx") or {}
    if kind in ("int_parsing", "int_from_float", "int_type"):
        return "expected a whole number"
    if kind in ("float_parsing", "float_type"):
        return "expected a number"
    if kind == "bool_parsing":
        return _FLAG_HINT
    if kind == "greater_than":
        return "must be greater than zero" if context.get("gt") == 0 else f"must be greater than {context['gt']:g}"
    if kind == "greater_than_equal":
        return f"must be at least {context['ge']:g}"
    if kind == "less_than_equal":
        return f"must be at most {context['le']:g}"
    if kind == "literal_error":
        return f"expected {context['expected']}"
    if kind == "value_error":
        return str(context.get("error") or problem["msg"])
    return problem["msg"]
