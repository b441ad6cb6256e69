"""Keyset (cursor) pagination for Relay connections: stable under inserts, no OFFSET scans."""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Callable, Sequence

from sqlalchemy import BigInteger, Select, func, select, tuple_

from db.engine import ReadSession
from domain.text import CONTROL_CHARACTER
from resolvers.context import public_error
from schema.types import Connection, Edge, PageInfo

MAX_PAGE = 100


def _encode(values: Sequence) -> str:
    raw = json.dumps([v.isoformat() if isinstance(v, (dt.date, dt.datetime)) else v for v in values])
    return base64.urlsafe_b64encode(raw.encode()).decode()


def _decode(cursor: str, columns: Sequence) -> list:
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        if not isinstance(values, list) or len(values) != len(columns):
            raise ValueError
        return [_typed(value, column) for value, column in zip(values, columns, strict=True)]
    except (ValueError, TypeError):
        raise public_error("BAD_USER_INPUT", "Malformed cursor: pass back an endCursor you were given.") from None


def _typed(value, column):
    """A cursor's value as its column holds it; ValueError when the column could hold no such value."""
    # A TypeDecorator (UTCDateTime) names no Python type of its own; the type it decorates does.
    python_type = getattr(column.type, "impl", column.type).python_type
    if python_type is dt.datetime:
        instant = dt.datetime.fromisoformat(value)
        if instant.tzinfo is None:  # the columns hold instants; we never hand out a naive one
            raise ValueError
        return instant
    if python_type is dt.date:
        return dt.date.fromisoformat(value)
    if not isinstance(value, python_type):
        raise TypeError
    # A forged cursor must not reach the driver with a value it refuses (PostgreSQL: NUL, out of range).
    if isinstance(value, str) and CONTROL_CHARACTER.search(value):
        raise ValueError
    if isinstance(value, int):
        bits = 63 if isinstance(column.type, BigInteger) else 31
        if not -2**bits <= value < 2**bits:
            raise ValueError
    return value


async def paginate(session: ReadSession, stmt: Select, *, order: Sequence, first: int | None, after: str | None,
                   to_node: Callable) -> Connection:
    """Page through ``stmt`` in ``order``, the last column unique.

    ``stmt`` selects one ORM entity, whose rows ``to_node`` gets; or several (rows joined in for the
    fields below), when ``to_node`` gets the whole row and the order columns belong to the first."""
    size = MAX_PAGE if first is None else first
    if not 0 <= size <= MAX_PAGE:
        raise public_error("BAD_USER_INPUT", f"'first' must be between 0 and {MAX_PAGE}.")

    async def count_total() -> int:
        counted = select(func.count()).select_from(stmt.order_by(None).subquery())
        return (await session.execute(counted)).scalar_one()

    page = stmt.order_by(*order)
    if after is not None:
        page = page.where(tuple_(*order) > tuple_(*_decode(after, order)))
    result = await session.execute(page.limit(size + 1))
    single = len(stmt.column_descriptions) == 1
    rows = list(result.scalars() if single else result.all())
    has_next = len(rows) > size
    rows = rows[:size]
    edges = [
        Edge(cursor=_encode([getattr(row if single else row[0], column.key) for column in order]), node=to_node(row))
        for row in rows
    ]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=has_next,
            has_previous_page=after is not None,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        count_total=count_total,
    )
