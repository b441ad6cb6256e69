"""A county's working calendar: the years its administrator enters, and its own holidays.

Writes hold the county's write lock and append an audit event; the caller owns the transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import CalendarDay, CalendarYear
from domain.calendar import CalendarUnknown, WorkingCalendar, is_weekend
from domain.errors import DomainError, ErrorCode
from services import audit
from services.tenancy import lock_county

# A typo guard: the calendar is about the years the county works in.
_YEARS = range(2000, 2101)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_NAME_LENGTH = 100
_SOURCE_LENGTH = 200


def unknown_year(error: CalendarUnknown, *, field: str | None = None) -> DomainError:
    """The error a caller can act on when a deadline falls in a year nobody has entered."""
    return DomainError(
        ErrorCode.INVALID,
        f"No holiday data for {error.year}: an administrator must enter it "
        "(the State Council announces it in November).",
        field=field,
    )


async def calendar_for(session: AsyncSession, *, county_id: int) -> WorkingCalendar:
    """The county's calendar: its entries of every year and the years it entered, in two statements."""
    days = (await session.execute(
        select(CalendarDay.day, CalendarDay.workday, CalendarDay.name).where(CalendarDay.county_id == county_id)
    )).all()
    years = (await session.execute(
        select(CalendarYear.year, CalendarYear.source).where(CalendarYear.county_id == county_id)
    )).all()
    return WorkingCalendar({row.day: row.workday for row in days}, [row.year for row in years],
                           names={row.day: row.name for row in days},
                           sources={row.year: row.source for row in years})


def _name(name: str, field: str) -> str:
    name = name.strip()
    if not name:
        raise DomainError(ErrorCode.INVALID, "Every holiday and workday needs a name, e.g. 春节.", field=field)
    if len(name) > _NAME_LENGTH:
        raise DomainError(ErrorCode.INVALID, f"A name has at most {_NAME_LENGTH} characters.", field=field)
    return name


def _weekday_problem(day: dt.date, field: str) -> DomainError | None:
    if is_weekend(day):
        return None
    return DomainError(
        ErrorCode.INVALID,
        f"{day} is a {_WEEKDAYS[day.weekday()]}, a workday already: only weekend days are worked "
        "in exchange for a holiday (调休).",
        field=field,
    )


def _require_weekend_workday(day: dt.date, field: str) -> None:
    if (problem := _weekday_problem(day, field)) is not None:
        raise problem


def _entries(entries: Sequence[tuple[dt.date, str]], year: int, field: str,
             problems: list[DomainError]) -> dict[dt.date, str]:
    """The entries by day; what is wrong with them goes to ``problems``."""
    named: dict[dt.date, str] = {}
    for day, name in entries:
        if day.year != year:
            problems.append(DomainError(ErrorCode.INVALID, f"{day} is not in {year}.", field=field))
        elif day in named:
            problems.append(DomainError(ErrorCode.INVALID, f"{day} is listed twice.", field=field))
        else:
            try:
                named[day] = _name(name, field)
            except DomainError as error:
                problems.append(DomainError(error.code, f"{day}: {error.message}", field=field))
    return named


def year_problems(*, year: int, holidays: Sequence[tuple[dt.date, str]], workdays: Sequence[tuple[dt.date, str]],
                  source: str) -> list[DomainError]:
    """Every reason ``enter_year`` would refuse these entries, in the order given (none: it accepts them).

    The command line lists them all at once, so a file is corrected in one pass.
    """
    problems: list[DomainError] = []
    if year not in _YEARS:
        problems.append(DomainError(ErrorCode.INVALID, f"Enter a year between {_YEARS[0]} and {_YEARS[-1]}.",
                                    field="year"))
    source = source.strip()
    if not source:
        problems.append(DomainError(ErrorCode.INVALID, "Name the announcement the dates come from.", field="source"))
    elif len(source) > _SOURCE_LENGTH:
        problems.append(DomainError(ErrorCode.INVALID, f"A source has at most {_SOURCE_LENGTH} characters.",
                                    field="source"))
    off = _entries(holidays, year, "holidays", problems)
    worked = _entries(workdays, year, "workdays", problems)
    # An empty year would silently turn into the weekend-only guess this calendar exists to avoid.
    if not holidays:
        problems.append(DomainError(ErrorCode.INVALID, f"List the public holidays of {year}.", field="holidays"))
    for day in sorted(worked):
        if day in off:
            problems.append(DomainError(ErrorCode.INVALID, f"{day} cannot be both a holiday and a workday.",
                                        field="workdays"))
        elif (problem := _weekday_problem(day, "workdays")) is not None:
            problems.append(problem)
    return problems


def _year_record(year: int, source: str, days: Sequence[CalendarDay]) -> dict:
    return {
        "year": year,
        "source": source,
        "holidays": {d.day.isoformat(): d.name for d in days if not d.workday},
        "workdays": {d.day.isoformat(): d.name for d in days if d.workday},
    }


async def enter_year(session: AsyncSession, *, county_id: int, year: int, holidays: Sequence[tuple[dt.date, str]],
                     workdays: Sequence[tuple[dt.date, str]], source: str, actor: audit.Actor) -> CalendarYear:
    """Replace the county's entries for ``year`` with the announced holidays and 调休 workdays.

    From then on the year's weekdays are workdays and its weekends rest days, except for these.
    """
    await lock_county(session, county_id)
    problems = year_problems(year=year, holidays=holidays, workdays=workdays, source=source)
    if problems:
        raise problems[0]
    source = source.strip()
    off = {day: name.strip() for day, name in holidays}
    worked = {day: name.strip() for day, name in workdays}

    in_year = (CalendarDay.county_id == county_id, CalendarDay.day >= dt.date(year, 1, 1),
               CalendarDay.day <= dt.date(year, 12, 31))
    old_days = (await session.execute(select(CalendarDay).where(*in_year))).scalars().all()
    row = (await session.execute(
        select(CalendarYear).where(CalendarYear.county_id == county_id, CalendarYear.year == year)
    )).scalar_one_or_none()
    # Single overrides set in the year before it was entered are replaced too.
    before = _year_record(year, row.source if row else "", old_days) if row or old_days else None
    if row is None:
        row = CalendarYear(county_id=county_id, year=year)
        session.add(row)
    row.source = source
    await session.execute(delete(CalendarDay).where(*in_year))
    new_days = [CalendarDay(county_id=county_id, day=day, workday=False, name=name) for day, name in off.items()]
    new_days += [CalendarDay(county_id=county_id, day=day, workday=True, name=name) for day, name in worked.items()]
    session.add_all(new_days)
    await session.flush()
    await audit.record(session, county_id=county_id, actor=actor, action="calendar.enter_year",
                       entity="calendar_year", entity_id=row.id, before=before,
                       after=_year_record(year, source, new_days))
    return row


async def set_day(session: AsyncSession, *, county_id: int, day: dt.date, workday: bool, name: str,
                  actor: audit.Actor) -> CalendarDay:
    """Make one day a holiday (a local one, say) or a 调休 workday for the county, in any year."""
    await lock_county(session, county_id)
    name = _name(name, "name")
    if workday:
        _require_weekend_workday(day, "workday")
    row = (await session.execute(
        select(CalendarDay).where(CalendarDay.county_id == county_id, CalendarDay.day == day)
    )).scalar_one_or_none()
    before = audit.as_record(row) if row else None
    if row is None:
        row = CalendarDay(county_id=county_id, day=day)
        session.add(row)
    row.workday, row.name = workday, name
    await session.flush()
    await audit.record(session, county_id=county_id, actor=actor, action="calendar.set_day", entity="calendar_day",
                       entity_id=row.id, before=before, after=audit.as_record(row))
    return row


async def remove_day(session: AsyncSession, *, county_id: int, day: dt.date, actor: audit.Actor) -> CalendarDay:
    """Drop the county's entry for a day: the package, or the weekday rule of an entered year, decides again."""
    await lock_county(session, county_id)
    row = (await session.execute(
        select(CalendarDay).where(CalendarDay.county_id == county_id, CalendarDay.day == day)
    )).scalar_one_or_none()
    if row is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"The county has no entry for {day}.", field="day")
    before = audit.as_record(row)
    await session.delete(row)
    await session.flush()
    await audit.record(session, county_id=county_id, actor=actor, action="calendar.remove_day",
                       entity="calendar_day", entity_id=row.id, before=before)
    return row
