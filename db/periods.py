"""SQL conditions on dated rows: held from ``effective_from`` (inclusive) to ``effective_to`` (exclusive)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import or_


def held_on(model, on: dt.date):
    return (model.effective_from <= on) & or_(model.effective_to.is_(None), model.effective_to > on)


def overlapping(model, start: dt.date, end: dt.date | None):
    clause = or_(model.effective_to.is_(None), model.effective_to > start)
    if end is not None:
        clause = clause & (model.effective_from < end)
    return clause
