"""Sign-ins' rules that need no database: the password policy and what an API token may do, and for how long."""

from __future__ import annotations

import enum

MIN_PASSWORD_LENGTH = 12
# Argon2 hashes any length; a cap keeps one request from making the server hash megabytes.
MAX_PASSWORD_LENGTH = 256

DEFAULT_API_TOKEN_DAYS = 90
MAX_API_TOKEN_DAYS = 365


class ApiTokenScope(str, enum.Enum):
    """What a request signed in with an API token may do."""

    READ = "read"
    READ_WRITE = "read_write"


def password_problem(password: str) -> str | None:
    """Why ``password`` may not be used, as a sentence; None when it may."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"A password has at least {MIN_PASSWORD_LENGTH} characters."
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"A password has at most {MAX_PASSWORD_LENGTH} characters."
    if not password.strip():
        return "A password cannot be only spaces."
    return None


def api_token_days_problem(days: int) -> str | None:
    """Why an API token may not last ``days``; None when it may."""
    if not 1 <= days <= MAX_API_TOKEN_DAYS:
        return f"An API token lasts from 1 to {MAX_API_TOKEN_DAYS} days."
    return None
