"""Every string written through the ORM fits its column: checked before the flush, whatever the caller.

The columns are the one source of truth for lengths: VARCHAR(n) takes n characters; TEXT (a body,
a note, an opinion, an instruction) takes TEXT_MAX_CHARS. SQLite enforces neither and PostgreSQL
answers an over-long value with an error mid-transaction, so the check runs before any SQL is sent
and refuses with a typed error naming the field. Control characters other than tab, line feed and
carriage return are refused too: PostgreSQL cannot store NUL, and the GraphQL edge refuses them
already (schema/validation.py); this covers the command line and roster files.
"""

from __future__ import annotations

from sqlalchemy import Enum, String, event, inspect
from sqlalchemy.orm import Session

from db import models
from domain.errors import DomainError, ErrorCode
from domain.text import CONTROL_CHARACTER

# Generous for any official document (a long one runs to some 20,000 characters), and well inside
# MAX_BODY_BYTES, which caps the whole request.
TEXT_MAX_CHARS = 100_000
# Our own stored answer, replayed to retries: written by the server, never typed by a caller.
_UNCHECKED = {models.IdempotentRequest.__table__.c.response_body}


class CheckedSession(Session):
    """The ORM session of every read-write transaction (see db.engine.session_factory)."""


def _field(column_key: str) -> str:
    """The input field a column is filled from: ``rank_order`` → ``rankOrder``."""
    head, *rest = column_key.split("_")
    return head + "".join(word.capitalize() for word in rest)


def _check(column, value: str) -> None:
    """Refuse a string its column cannot take, naming the field."""
    field = _field(column.key)
    limit = column.type.length or TEXT_MAX_CHARS
    if len(value) > limit:
        raise DomainError(ErrorCode.TOO_LONG,
                          f"'{field}' takes at most {limit} characters; this one has {len(value)}.", field=field)
    found = CONTROL_CHARACTER.search(value)
    if found is not None:
        raise DomainError(ErrorCode.INVALID, f"'{field}' contains the control character U+{ord(found.group()):04X}.",
                          field=field)


@event.listens_for(CheckedSession, "before_flush")
def _check_strings(session: Session, _flush_context, _instances) -> None:
    for instance in (*session.new, *session.dirty):
        state = inspect(instance)
        for attribute in state.mapper.column_attrs:
            column = attribute.columns[0]
            if not isinstance(column.type, String) or isinstance(column.type, Enum) or column in _UNCHECKED:
                continue
            for value in state.attrs[attribute.key].history.added:
                if isinstance(value, str):
                    _check(column, value)
