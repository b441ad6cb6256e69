"""Keyset (cursor) pagination for Relay connections: stable under inserts, no OFFSET scans."""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Callable, Sequence
from typing import Annotated

import strawberry
from sqlalchemy import BigInteger, Select, func, select, tuple_

from db.engine import ReadSession
from domain.errors import TopLevelCode
from domain.text import CONTROL_CHARACTER
from resolvers.context import public_error
from schema.types import Connection, Edge, PageInfo

MAX_PAGE = 100

# The arguments every connection takes (Relay's cursor connections).
PageSize = Annotated[int | None, strawberry.argument(
    description=f"Page size, at most {MAX_PAGE}: the first items of the list (after `after`). Not with `last`.")]
After = Annotated[str | None, strawberry.argument(
    description="Start after this cursor (an edge's cursor or pageInfo.endCursor you were given).")]
Last = Annotated[int | None, strawberry.argument(
    description=f"Page size, at most {MAX_PAGE}: the last items of the list (before `before`), to page "
                "backwards. Not with `first`.")]
Before = Annotated[str | None, strawberry.argument(
    description="End before this cursor (an edge's cursor or pageInfo.startCursor you were given).")]


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
        raise public_error(TopLevelCode.BAD_USER_INPUT,
                           "Malformed cursor: pass back a cursor you were given.") from None


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
                   to_node: Callable, last: int | None = None, before: str | None = None,
                   descending: bool = False) -> Connection:
    """Page through ``stmt`` in ``order`` (ascending, or all ``descending``), the last key unique.

    The keys are columns or SQL expressions (never NULL); a cursor holds the keys of its row, so a page
    goes on from the same place under any order. ``first``/``after`` page forwards, ``last``/``before``
    backwards (Relay's algorithm: the cursors bound the list, then ``first`` takes from its start,
    ``last`` from its end). ``stmt`` selects one ORM entity, whose rows ``to_node`` gets; or several
    (rows joined in for the fields below), when ``to_node`` gets the tuple of entities."""
    if first is not None and last is not None:
        raise public_error(TopLevelCode.BAD_USER_INPUT,
                           "Pass 'first' or 'last', not both: a page is read from one end.")
    size = _size(first, "first") if last is None else _size(last, "last")
    keys = tuple_(*order)

    def beyond(cursor: str, forwards: bool):
        """Rows after ``cursor`` in the list's order (forwards), or before it."""
        bound = tuple_(*_decode(cursor, order))
        return keys < bound if forwards == descending else keys > bound

    async def count_total() -> int:
        counted = select(func.count()).select_from(stmt.order_by(None).subquery())
        return (await session.execute(counted)).scalar_one()

    async def any_row(where) -> bool:
        return (await session.execute(select(stmt.order_by(None).where(where).exists()))).scalar_one()

    bounded = stmt
    if after is not None:
        bounded = bounded.where(beyond(after, True))
    if before is not None:
        bounded = bounded.where(beyond(before, False))
    # Backwards: read from the end in the opposite order, then turn the page round.
    backwards = last is not None
    reverse = descending != backwards
    page = bounded.add_columns(*order).order_by(*(key.desc() if reverse else key.asc() for key in order))
    width = len(stmt.column_descriptions)
    rows = (await session.execute(page.limit(size + 1))).all()
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
    edges = [Edge(cursor=_encode(row[width:]), node=to_node(row[0] if width == 1 else tuple(row[:width])))
             for row in rows]
    if backwards:
        has_previous = more
        has_next = before is not None and await any_row(~beyond(before, False))
    else:
        has_next = more
        has_previous = after is not None and await any_row(~beyond(after, True))
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=has_next,
            has_previous_page=has_previous,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        count_total=count_total,
    )


def _size(value: int | None, name: str) -> int:
    size = MAX_PAGE if value is None else value
    if not 0 <= size <= MAX_PAGE:
        raise public_error(TopLevelCode.BAD_USER_INPUT, f"'{name}' must be between 0 and {MAX_PAGE}.")
    return size
