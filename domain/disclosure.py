"""Proactive disclosure 主动公开: what creates a disclosure record, its states, exemptions and the period report.

Pure rules: no strawberry, no SQLAlchemy. The services (services/disclosure.py) apply them.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from dataclasses import dataclass

# A county's limit is 1 to this many working days (the national default is 20; a county may not set a year).
MAX_LIMIT_DAYS = 60


class DisclosureSource(str, enum.Enum):
    """What is to be published (000 §51, §24; 001 §16, §22, §14; 003 §28–30)."""

    DOCUMENT = "document"  # an issued non-classified document in the county government's or its office's name
    DECISION = "decision"  # a meeting decision marked publishable
    PROPOSAL_REPLY = "proposal_reply"  # the result of a proposal, recorded when the lead unit published it


class DisclosureState(str, enum.Enum):
    PENDING = "pending"
    PUBLISHED = "published"
    EXEMPTED = "exempted"


class Exemption(str, enum.Enum):
    """The grounds on which an item is not published (002 政务公开 §9)."""

    STATE_SECRET = "state_secret"
    COMMERCIAL_SECRET = "commercial_secret"
    PRIVACY = "privacy"
    SECURITY_STABILITY = "security_stability"


class ReportPeriod(str, enum.Enum):
    """The periods 004 六2 reports on."""

    MONTH = "month"
    HALF_YEAR = "half_year"
    YEAR = "year"


def period_bounds(period: ReportPeriod, year: int, number: int) -> tuple[dt.date, dt.date]:
    """First day and the day after the last of the period; ``number`` is the month (1–12) or the half (1–2)."""
    if period == ReportPeriod.YEAR:
        return dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    if period == ReportPeriod.HALF_YEAR:
        if number not in (1, 2):
            raise ValueError("A half-year is 1 or 2.")
        return (dt.date(year, 1, 1), dt.date(year, 7, 1)) if number == 1 else (dt.date(year, 7, 1),
                                                                              dt.date(year + 1, 1, 1))
    if not 1 <= number <= 12:
        raise ValueError("A month is 1 to 12.")
    return dt.date(year, number, 1), (dt.date(year + 1, 1, 1) if number == 12 else dt.date(year, number + 1, 1))


@dataclass(frozen=True)
class RecordFacts:
    """What the report needs of one record: local days, and the due time's day when there is one."""

    created_on: dt.date
    state: DisclosureState
    due_on: dt.date | None
    published_on: dt.date | None
    decided_on: dt.date | None  # the day of the exemption


@dataclass(frozen=True)
class ReportFigures:
    created: int = 0
    published_on_time: int = 0
    published_late: int = 0
    overdue: int = 0  # still pending past the due day at the period's end (or today, if earlier)
    exempted: int = 0


def figures(records: Iterable[RecordFacts], start: dt.date, end: dt.date, today: dt.date) -> ReportFigures:
    """The period's figures: created in it; published or exempted in it; overdue as of its last day."""
    last = min(end - dt.timedelta(days=1), today)
    created = on_time = late = overdue = exempted = 0
    for r in records:
        created += start <= r.created_on < end
        if r.state == DisclosureState.PUBLISHED and start <= r.published_on < end:
            if r.due_on is None or r.published_on <= r.due_on:
                on_time += 1
            else:
                late += 1
        if r.state == DisclosureState.EXEMPTED and start <= r.decided_on < end:
            exempted += 1
        settled_on = r.published_on or r.decided_on
        pending_then = settled_on is None or settled_on > last
        if r.created_on <= last and pending_then and r.due_on is not None and r.due_on < last:
            overdue += 1
    return ReportFigures(created=created, published_on_time=on_time, published_late=late, overdue=overdue,
                         exempted=exempted)
