"""China's working-day calendar (Asia/Shanghai): public holidays and the swapped workdays (调休).

The State Council announces each year's holidays in November, so the ``chinese_calendar`` package
only knows the years up to its release. Later years must be entered by a county administrator; until
then any question about them raises ``CalendarUnknown`` — a weekend-only guess would put deadlines
inside the Spring Festival or National Day holidays.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import chinese_calendar

from domain.roster import LOCAL_TZ, local_date

# The package answers for every day of the years between its first and last holiday.
PACKAGE_YEARS = range(min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year + 1)
_ONE_DAY = dt.timedelta(days=1)


class CalendarUnknown(Exception):
    """Neither the package nor the county's administrator has the holidays of ``year``."""

    def __init__(self, year: int) -> None:
        super().__init__(f"No holiday data for {year}.")
        self.year = year


class DaySource(str, enum.Enum):
    PACKAGE = "package"
    COUNTY = "county"


@dataclass(frozen=True)
class SpecialDay:
    """A day that differs from an ordinary week: a weekday off, or a weekend day worked."""

    day: dt.date
    workday: bool
    name: str
    source: DaySource


def is_weekend(day: dt.date) -> bool:
    return day.weekday() >= 5


def _package_name(day: dt.date) -> str:
    # The package names days in English; the county's own entries are in Chinese.
    return chinese_calendar.Holiday(chinese_calendar.get_holiday_detail(day)[1]).chinese


class WorkingCalendar:
    """One county's working days: its own entries first, then the package, then the years it entered.

    ``overrides`` maps a day to whether it is a workday (holidays and 调休 workdays), ``names`` names
    them, ``entered_years`` are the years the administrator entered in full, with ``sources`` saying
    from which announcement.
    """

    def __init__(self, overrides: Mapping[dt.date, bool] | None = None, entered_years: Iterable[int] = (), *,
                 names: Mapping[dt.date, str] | None = None, sources: Mapping[int, str] | None = None) -> None:
        self._overrides = dict(overrides or {})
        self._names = dict(names or {})
        self._entered = frozenset(entered_years)
        self._sources = dict(sources or {})

    def knows(self, year: int) -> bool:
        return year in PACKAGE_YEARS or year in self._entered

    def entered(self, year: int) -> bool:
        return year in self._entered

    def source_of(self, year: int) -> str | None:
        """The announcement the administrator cited for an entered year."""
        return self._sources.get(year) if year in self._entered else None

    def is_workday(self, day: dt.date) -> bool:
        if day in self._overrides:
            return self._overrides[day]
        if day.year in PACKAGE_YEARS:
            return chinese_calendar.is_workday(day)
        if day.year in self._entered:
            # Every holiday and 调休 workday of an entered year is an override.
            return not is_weekend(day)
        raise CalendarUnknown(day.year)

    def due_after(self, at: dt.datetime, working_days: int) -> dt.datetime:
        """The end (24:00 local, as UTC) of the ``working_days``-th working day after the local day of ``at``.

        The day something starts on never counts, even if it is a working day. Zero is the end of that day.
        """
        if at.tzinfo is None:
            raise ValueError("due_after needs an aware datetime")
        if working_days < 0:
            raise ValueError("working_days cannot be negative")
        day = local_date(at)
        for _ in range(working_days):
            day = self._step(day, _ONE_DAY)
        return dt.datetime.combine(day + _ONE_DAY, dt.time(), tzinfo=LOCAL_TZ).astimezone(dt.timezone.utc)

    def working_days_before(self, day: dt.date, working_days: int) -> dt.date:
        """The working day ``working_days`` working days before ``day`` (``day`` itself for zero)."""
        if working_days < 0:
            raise ValueError("working_days cannot be negative")
        for _ in range(working_days):
            day = self._step(day, -_ONE_DAY)
        return day

    def _step(self, day: dt.date, direction: dt.timedelta) -> dt.date:
        """The next working day in ``direction``; ends at the first unknown year at the latest."""
        day += direction
        while not self.is_workday(day):
            day += direction
        return day

    def special_days(self, year: int) -> list[SpecialDay]:
        """The year's weekdays off and weekend days worked, in date order; raises if the year is unknown."""
        if not self.knows(year):
            raise CalendarUnknown(year)
        candidates = {day for day in self._overrides if day.year == year}
        if year in PACKAGE_YEARS:
            candidates |= {day for day in (*chinese_calendar.holidays, *chinese_calendar.workdays)
                           if day.year == year}
        days = []
        for day in sorted(candidates):
            workday = self.is_workday(day)
            if workday == is_weekend(day):
                county = day in self._overrides
                name = self._names.get(day, "") if county else _package_name(day)
                days.append(SpecialDay(day, workday, name, DaySource.COUNTY if county else DaySource.PACKAGE))
        return days
