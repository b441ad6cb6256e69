"""The working-day calendar: what front ends ask of it, and how county administrators enter a year."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay
from strawberry.types import Info

from db import models
from domain.calendar import CalendarUnknown, DaySource, SpecialDay, WorkingCalendar
from domain.errors import TopLevelCode
from resolvers.context import Context, public_error
from resolvers.mutations import _mutate, _writable_county
from resolvers.queries import _county_arg
from schema.labels import labelled_enum
from schema.mutations import MutationError
from schema.types import CountyArg
from services import calendar

DaySourceEnum = labelled_enum(DaySource, name="CalendarDaySource",
                                description="Where a day's status comes from: the bundled national "
                                            "calendar, or the county's own entries.")


@strawberry.type(description="A weekday off or a weekend day worked (调休).")
class CalendarDay:
    day: dt.date = strawberry.field(description="The date.")
    workday: bool = strawberry.field(description="True for a weekend day worked (调休), false for a day off.")
    name: str = strawberry.field(description="The holiday's name, e.g. 国庆节.")
    source: DaySourceEnum = strawberry.field(description="Where the day comes from: the national calendar or the "
                                                         "county.")

    @classmethod
    def from_special(cls, special: SpecialDay) -> CalendarDay:
        return cls(day=special.day, workday=special.workday, name=special.name, source=special.source)

    @classmethod
    def from_row(cls, row: models.CalendarDay) -> CalendarDay:
        return cls(day=row.day, workday=row.workday, name=row.name, source=DaySource.COUNTY)


@strawberry.type(description="One year of the county's working calendar.")
class WorkingCalendarYear:
    year: int = strawberry.field(description="The year.")
    known: bool = strawberry.field(description="False until the package or the county's administrator has the "
                                               "year's holidays; deadlines in it cannot be computed.")
    entered_by_county: bool = strawberry.field(description="The administrator entered the year in full.")
    source: str | None = strawberry.field(description="The announcement the administrator entered it from.")
    days: list[CalendarDay] = strawberry.field(description="Weekdays off and weekend days worked, by date.")

    @classmethod
    def of(cls, working: WorkingCalendar, year: int) -> WorkingCalendarYear:
        known = working.knows(year)
        return cls(year=year, known=known, entered_by_county=working.entered(year), source=working.source_of(year),
                   days=[CalendarDay.from_special(d) for d in working.special_days(year)] if known else [])


@strawberry.input(description="A day of a year's announcement.")
class CalendarDayInput:
    day: dt.date = strawberry.field(description="The date.")
    name: str = strawberry.field(description="The holiday's name, e.g. 国庆节.")


@strawberry.input(description="The State Council's announcement for a year, as the county enters it.")
class EnterCalendarYearInput:
    year: int = strawberry.field(description="The year the announcement is for.")
    holidays: list[CalendarDayInput] = strawberry.field(description="Every day off, weekends of a holiday included.")
    workdays: list[CalendarDayInput] = strawberry.field(description="Weekend days worked in exchange (调休).")
    source: str = strawberry.field(description="The announcement, e.g. 国办发明电〔2026〕N号.")
    county_id: relay.GlobalID | None = strawberry.field(default=None, description="Your own county when omitted.")


@strawberry.input(description="One day the county keeps differently, e.g. a local holiday.")
class SetCalendarDayInput:
    day: dt.date = strawberry.field(description="The date.")
    workday: bool = strawberry.field(description="True to work that day, false to take it off.")
    name: str = strawberry.field(description="Why, e.g. the local holiday's name.")
    county_id: relay.GlobalID | None = strawberry.field(default=None, description="Your own county when omitted.")


@strawberry.input(description="A day whose county entry to drop.")
class RemoveCalendarDayInput:
    day: dt.date = strawberry.field(description="The date.")
    county_id: relay.GlobalID | None = strawberry.field(default=None, description="Your own county when omitted.")


@strawberry.type(description="The year after the change.")
class CalendarYearPayload:
    calendar: WorkingCalendarYear = strawberry.field(description="The county's calendar for the year as it now "
                                                                 "stands.")


@strawberry.type(description="The day entered or dropped.")
class CalendarDayPayload:
    calendar_day: CalendarDay = strawberry.field(description="The county's entry for the day.")


CalendarYearResult = Annotated[CalendarYearPayload | MutationError, strawberry.union(
    "CalendarYearResult", description="CalendarYearPayload when it worked; MutationError when it changed nothing.")]
CalendarDayResult = Annotated[CalendarDayPayload | MutationError, strawberry.union(
    "CalendarDayResult", description="CalendarDayPayload when it worked; MutationError when it changed nothing.")]


def _unknown(error: CalendarUnknown):
    return public_error(TopLevelCode.CALENDAR_UNKNOWN, calendar.unknown_year(error).message)


async def _calendar(info: Info, county_id: relay.GlobalID | None) -> WorkingCalendar:
    ctx: Context = info.context
    return await calendar.calendar_for(await ctx.session(), county_id=_county_arg(info, county_id))


@strawberry.type
class CalendarQueries:
    @strawberry.field(description="The county's holidays and 调休 workdays of a year.")
    async def working_calendar(self, info: Info, year: Annotated[int, strawberry.argument(description="The year.")],
                               county_id: CountyArg = None) -> WorkingCalendarYear:
        return WorkingCalendarYear.of(await _calendar(info, county_id), year)

    @strawberry.field(description="Whether the county works on a day; error CALENDAR_UNKNOWN if nobody "
                                  "has entered its year.")
    async def is_workday(self, info: Info, day: Annotated[dt.date, strawberry.argument(description="The day.")],
                         county_id: CountyArg = None) -> bool:
        working = await _calendar(info, county_id)
        try:
            return working.is_workday(day)
        except CalendarUnknown as error:
            raise _unknown(error) from None

    @strawberry.field(description="The end (24:00 China time) of the N-th working day after the day of `at`; "
                                  "error CALENDAR_UNKNOWN if that runs into a year nobody has entered.")
    async def due_after(self, info: Info,
                        at: Annotated[dt.datetime, strawberry.argument(
                            description="The instant counting starts from, with its UTC offset.")],
                        working_days: Annotated[int, strawberry.argument(description="How many working days; 0 or more.")],
                        county_id: CountyArg = None) -> dt.datetime:
        if at.tzinfo is None:
            raise public_error(TopLevelCode.BAD_USER_INPUT,
                               "Give `at` with its UTC offset, e.g. 2026-09-25T10:00:00+08:00.")
        if working_days < 0:
            raise public_error(TopLevelCode.BAD_USER_INPUT, "'workingDays' cannot be negative.")
        working = await _calendar(info, county_id)
        try:
            return working.due_after(at, working_days)
        except CalendarUnknown as error:
            raise _unknown(error) from None


@strawberry.type
class CalendarMutations:
    @strawberry.mutation(description="Enter a year's holidays and 调休 workdays for your county, replacing "
                                     "its earlier entries for that year.")
    async def enter_calendar_year(self, info: Info, input: Annotated[
            EnterCalendarYearInput, strawberry.argument(description="The year's holidays and 调休 workdays.")],
    ) -> CalendarYearResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            county_id = await _writable_county(session, ctx, input.county_id, "calendar")
            await calendar.enter_year(session, county_id=county_id, year=input.year,
                                      holidays=[(d.day, d.name) for d in input.holidays],
                                      workdays=[(d.day, d.name) for d in input.workdays],
                                      source=input.source, actor=ctx.actor)
            working = await calendar.calendar_for(session, county_id=county_id)
            return CalendarYearPayload(calendar=WorkingCalendarYear.of(working, input.year))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Make one day a holiday or a 调休 workday for your county, in any year.")
    async def set_calendar_day(self, info: Info, input: Annotated[
            SetCalendarDayInput, strawberry.argument(description="The day and how the county keeps it.")],
    ) -> CalendarDayResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            county_id = await _writable_county(session, ctx, input.county_id, "calendar")
            row = await calendar.set_day(session, county_id=county_id, day=input.day, workday=input.workday,
                                         name=input.name, actor=ctx.actor)
            return CalendarDayPayload(calendar_day=CalendarDay.from_row(row))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Drop your county's entry for a day.")
    async def remove_calendar_day(self, info: Info, input: Annotated[
            RemoveCalendarDayInput, strawberry.argument(description="The day.")]) -> CalendarDayResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            county_id = await _writable_county(session, ctx, input.county_id, "calendar")
            row = await calendar.remove_day(session, county_id=county_id, day=input.day, actor=ctx.actor)
            return CalendarDayPayload(calendar_day=CalendarDay.from_row(row))

        return await _mutate(ctx, change)
