"""The working-day calendar: the national holidays with their swapped workdays (调休), a county's own
days, and the years nobody has entered yet — which are refused, never guessed from weekends.

The 2025 and 2026 dates are chinesecalendar 1.11.0's (the State Council's announcements); 2027 is
fictional, entered by hand as an administrator would after the November announcement.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from db.models import AuditEvent
from domain.calendar import CalendarUnknown, WorkingCalendar
from services import calendar
from tests.county import PASSWORD, SYSTEM, build_county

CST = dt.timezone(dt.timedelta(hours=8))
NATIONAL = WorkingCalendar()


def cst(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=CST)


def end_of(day: str) -> dt.datetime:
    """24:00 China time of the day, as the UTC instant the API gives."""
    return dt.datetime.fromisoformat(day).replace(tzinfo=CST) + dt.timedelta(days=1)


WORKING_CALENDAR = """query($year: Int!, $county: ID) { workingCalendar(year: $year, countyId: $county) {
    year known enteredByCounty source days { day workday name source } } }"""
IS_WORKDAY = "query($day: Date!) { isWorkday(day: $day) }"
DUE_AFTER = "query($at: DateTime!, $n: Int!) { dueAfter(at: $at, workingDays: $n) }"
ENTER_YEAR = """mutation($input: EnterCalendarYearInput!) { enterCalendarYear(input: $input) {
    __typename
    ... on CalendarYearPayload { calendar { year known enteredByCounty source days { day workday name source } } }
    ... on MutationError { code field message } } }"""
SET_DAY = """mutation($input: SetCalendarDayInput!) { setCalendarDay(input: $input) {
    __typename ... on CalendarDayPayload { calendarDay { day workday name source } }
    ... on MutationError { code field message } } }"""
REMOVE_DAY = """mutation($input: RemoveCalendarDayInput!) { removeCalendarDay(input: $input) {
    __typename ... on CalendarDayPayload { calendarDay { day } } ... on MutationError { code field message } } }"""

# Fictional: Spring Festival 2027 from Saturday Feb 6 to Saturday Feb 13, worked off on Sunday Jan 31
# and Saturday Feb 20.
YEAR_2027 = {
    "year": 2027,
    "source": "国务院办公厅关于2027年部分节假日安排的通知（测试）",
    "holidays": [{"day": "2027-01-01", "name": "元旦"},
                 *({"day": f"2027-02-{d:02d}", "name": "春节"} for d in range(6, 14))],
    "workdays": [{"day": "2027-01-31", "name": "春节"}, {"day": "2027-02-20", "name": "春节"}],
}


async def due(api, token: str, at: str, n: int) -> dt.datetime:
    data = await api.ok(DUE_AFTER, {"at": at, "n": n}, token=token)
    return dt.datetime.fromisoformat(data["dueAfter"])


# ---------------------------------------------------------------- the national calendar


def test_spring_festival_2026_counts_the_swapped_saturdays_and_skips_the_nine_days_off():
    # Off Sun Feb 15 – Mon Feb 23; Saturdays Feb 14 and Feb 28 are worked.
    assert NATIONAL.is_workday(dt.date(2026, 2, 14)) and NATIONAL.is_workday(dt.date(2026, 2, 28))
    assert not any(NATIONAL.is_workday(dt.date(2026, 2, d)) for d in range(15, 24))
    # From Friday Feb 13: Sat 14, then Tue 24, Wed 25 (a weekend-only count would say Wed Feb 18).
    assert NATIONAL.due_after(cst("2026-02-13T10:00"), 3) == end_of("2026-02-25")
    assert NATIONAL.due_after(cst("2026-02-13T10:00"), 1) == end_of("2026-02-14")
    assert NATIONAL.working_days_before(dt.date(2026, 2, 24), 1) == dt.date(2026, 2, 14)
    assert NATIONAL.working_days_before(dt.date(2026, 2, 24), 2) == dt.date(2026, 2, 13)


def test_national_day_2025_counts_sunday_sep_28_and_saturday_oct_11():
    assert NATIONAL.due_after(cst("2025-09-26T16:00"), 1) == end_of("2025-09-28")
    # From Tuesday Sep 30: off Oct 1–8, then Thu 9, Fri 10, Sat 11.
    assert NATIONAL.due_after(cst("2025-09-30T09:00"), 3) == end_of("2025-10-11")
    assert NATIONAL.working_days_before(dt.date(2025, 10, 9), 3) == dt.date(2025, 9, 28)


def test_national_day_2026_with_mid_autumn_counts_from_the_local_day():
    # Mid-autumn Fri Sep 25 – Sun 27, then Mon 28, Tue 29, Wed 30.
    assert NATIONAL.due_after(cst("2026-09-25T10:00"), 3) == end_of("2026-09-30")
    # From Wednesday Sep 30: off Oct 1–7, then Thu 8, Fri 9 and the swapped Saturday Oct 10.
    assert NATIONAL.due_after(cst("2026-09-30T10:00"), 3) == end_of("2026-10-10")
    # 00:30 on Sep 30 in China is still Sep 29 in UTC: the clock runs from the Chinese day.
    assert NATIONAL.due_after(dt.datetime(2026, 9, 29, 16, 30, tzinfo=dt.timezone.utc), 1) == end_of("2026-10-08")
    assert NATIONAL.working_days_before(dt.date(2026, 10, 12), 2) == dt.date(2026, 10, 9)


async def test_the_api_lists_the_package_days_of_2026(api, sessions):
    county = await build_county(sessions)
    token = await api.login(county.admin, PASSWORD)
    year = (await api.ok(WORKING_CALENDAR, {"year": 2026}, token=token))["workingCalendar"]
    assert (year["known"], year["enteredByCounty"], year["source"]) == (True, False, None)
    spring = [(d["day"], d["workday"], d["name"], d["source"]) for d in year["days"] if d["name"] == "春节"]
    assert spring == [("2026-02-14", True, "春节", "PACKAGE")] + [
        (f"2026-02-{d}", False, "春节", "PACKAGE") for d in (16, 17, 18, 19, 20, 23)
    ] + [("2026-02-28", True, "春节", "PACKAGE")]
    assert await due(api, token, "2026-09-30T10:00:00+08:00", 3) == end_of("2026-10-10")


# ---------------------------------------------------------------- a county's own days


async def test_a_county_local_holiday_moves_its_deadlines_and_no_one_elses(api, sessions):
    county = await build_county(sessions)
    other = await build_county(sessions, code="lulong")
    admin = await api.login(county.admin, PASSWORD)
    other_admin = await api.login(other.admin, PASSWORD)

    data = await api.ok(SET_DAY, {"input": {"day": "2026-06-18", "workday": False, "name": "县庆"}}, token=admin)
    assert data["setCalendarDay"]["calendarDay"] == {"day": "2026-06-18", "workday": False, "name": "县庆",
                                                     "source": "COUNTY"}
    # Thu Jun 18 off, Fri Jun 19 is the Dragon Boat Festival, then the weekend.
    assert await due(api, admin, "2026-06-17T09:00:00+08:00", 1) == end_of("2026-06-22")
    assert await due(api, other_admin, "2026-06-17T09:00:00+08:00", 1) == end_of("2026-06-18")
    days = (await api.ok(WORKING_CALENDAR, {"year": 2026}, token=admin))["workingCalendar"]["days"]
    assert {"day": "2026-06-18", "workday": False, "name": "县庆", "source": "COUNTY"} in days

    removed = await api.ok(REMOVE_DAY, {"input": {"day": "2026-06-18"}}, token=admin)
    assert removed["removeCalendarDay"]["calendarDay"]["day"] == "2026-06-18"
    assert await due(api, admin, "2026-06-17T09:00:00+08:00", 1) == end_of("2026-06-18")
    again = await api.ok(REMOVE_DAY, {"input": {"day": "2026-06-18"}}, token=admin)
    assert again["removeCalendarDay"] == {"__typename": "MutationError", "code": "NOT_FOUND", "field": "day",
                                          "message": "The county has no entry for 2026-06-18."}
    async with sessions() as session:
        actions = (await session.execute(select(AuditEvent.action).where(
            AuditEvent.county_id == county.id, AuditEvent.action.like("calendar.%")).order_by(AuditEvent.seq)
        )).scalars().all()
    assert actions == ["calendar.set_day", "calendar.remove_day"]


def test_a_county_entry_wins_over_the_package():
    working = WorkingCalendar({dt.date(2026, 10, 8): False, dt.date(2026, 10, 10): False})
    assert not working.is_workday(dt.date(2026, 10, 8))
    assert working.due_after(cst("2026-09-30T10:00"), 2) == end_of("2026-10-12")


# ---------------------------------------------------------------- years nobody has entered


async def test_2027_is_unknown_and_never_guessed(api, sessions):
    with pytest.raises(CalendarUnknown) as raised:
        NATIONAL.is_workday(dt.date(2027, 1, 9))  # a Saturday: still no guess
    assert raised.value.year == 2027
    with pytest.raises(CalendarUnknown):
        NATIONAL.due_after(cst("2026-12-30T10:00"), 3)

    county = await build_county(sessions)
    token = await api.login(county.account("DIR"), PASSWORD)
    for query, variables in [(IS_WORKDAY, {"day": "2027-01-04"}),
                             (DUE_AFTER, {"at": "2026-12-30T10:00:00+08:00", "n": 3})]:
        response = await api.call(query, variables, token=token)
        assert response.data is None and response.error_codes == ["CALENDAR_UNKNOWN"], response
        assert "No holiday data for 2027" in response.errors[0]["message"]
    year = (await api.ok(WORKING_CALENDAR, {"year": 2027}, token=token))["workingCalendar"]
    assert (year["known"], year["days"]) == (False, [])
    # Still 2026: Thursday Dec 31 is known without 2027.
    assert await due(api, token, "2026-12-30T10:00:00+08:00", 1) == end_of("2026-12-31")


async def test_an_administrator_enters_2027_and_deadlines_cross_into_it(api, sessions):
    county = await build_county(sessions)
    admin = await api.login(county.admin, PASSWORD)
    result = (await api.ok(ENTER_YEAR, {"input": YEAR_2027}, token=admin))["enterCalendarYear"]
    assert result["__typename"] == "CalendarYearPayload", result
    year = result["calendar"]
    assert (year["known"], year["enteredByCounty"], year["source"]) == (True, True, YEAR_2027["source"])
    # Only the days that differ from an ordinary week: weekdays off, weekend days worked.
    assert [(d["day"], d["workday"]) for d in year["days"]] == [
        ("2027-01-01", False), ("2027-01-31", True),
        *((f"2027-02-{d:02d}", False) for d in range(8, 13)), ("2027-02-20", True),
    ]
    assert {d["source"] for d in year["days"]} == {"COUNTY"}

    assert await due(api, admin, "2026-12-30T10:00:00+08:00", 3) == end_of("2027-01-05")
    assert await due(api, admin, "2027-01-29T10:00:00+08:00", 1) == end_of("2027-01-31")
    assert await due(api, admin, "2027-02-05T10:00:00+08:00", 2) == end_of("2027-02-16")
    assert await due(api, admin, "2027-02-18T10:00:00+08:00", 2) == end_of("2027-02-20")
    # Entered does not mean 2028 is known.
    response = await api.call(IS_WORKDAY, {"day": "2028-01-03"}, token=admin)
    assert response.error_codes == ["CALENDAR_UNKNOWN"]

    async with sessions() as session:
        event = (await session.execute(select(AuditEvent).where(
            AuditEvent.county_id == county.id, AuditEvent.action == "calendar.enter_year"))).scalar_one()
        working = await calendar.calendar_for(session, county_id=county.id)
    assert event.before is None and event.after["workdays"] == {"2027-01-31": "春节", "2027-02-20": "春节"}
    assert working.working_days_before(dt.date(2027, 2, 15), 1) == dt.date(2027, 2, 5)


async def test_entering_a_year_again_replaces_its_entries(sessions):
    county = await build_county(sessions)
    async with sessions() as session, session.begin():
        await calendar.set_day(session, county_id=county.id, day=dt.date(2027, 3, 3), workday=False, name="县庆",
                               actor=SYSTEM)
        await calendar.enter_year(session, county_id=county.id, year=2027, holidays=[(dt.date(2027, 1, 1), "元旦")],
                                  workdays=[], source="first", actor=SYSTEM)
        await calendar.enter_year(session, county_id=county.id, year=2027, holidays=[(dt.date(2027, 1, 4), "元旦")],
                                  workdays=[(dt.date(2027, 1, 9), "元旦")], source="corrected", actor=SYSTEM)
        working = await calendar.calendar_for(session, county_id=county.id)
        event = (await session.execute(select(AuditEvent).where(
            AuditEvent.county_id == county.id, AuditEvent.action == "calendar.enter_year")
            .order_by(AuditEvent.seq.desc()).limit(1))).scalar_one()
    assert working.is_workday(dt.date(2027, 1, 1)) and working.is_workday(dt.date(2027, 3, 3))
    assert not working.is_workday(dt.date(2027, 1, 4)) and working.is_workday(dt.date(2027, 1, 9))
    assert working.source_of(2027) == "corrected"
    assert event.before == {"year": 2027, "source": "first", "holidays": {"2027-01-01": "元旦"}, "workdays": {}}


# ---------------------------------------------------------------- refusals


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"workdays": [{"day": "2027-03-01", "name": "春节"}]}, "workdays", "2027-03-01 is a Monday"),
    ({"workdays": [{"day": "2027-02-06", "name": "春节"}]}, "workdays", "both a holiday and a workday"),
    ({"holidays": [{"day": "2026-12-31", "name": "元旦"}]}, "holidays", "2026-12-31 is not in 2027"),
    ({"holidays": []}, "holidays", "List the public holidays of 2027"),
    ({"source": " "}, "source", "Name the announcement"),
], ids=["a weekday workday", "a day both", "a day of another year", "no holidays", "no source"])
async def test_a_wrong_year_is_refused_with_the_field_and_nothing_is_written(api, sessions, change, field, message):
    county = await build_county(sessions)
    admin = await api.login(county.admin, PASSWORD)
    result = (await api.ok(ENTER_YEAR, {"input": {**YEAR_2027, **change}}, token=admin))["enterCalendarYear"]
    assert (result["__typename"], result["code"], result["field"]) == ("MutationError", "INVALID", field)
    assert message in result["message"]
    assert (await api.call(IS_WORKDAY, {"day": "2027-01-04"}, token=admin)).error_codes == ["CALENDAR_UNKNOWN"]


async def test_a_weekday_cannot_be_made_a_swapped_workday_one_by_one(api, sessions):
    county = await build_county(sessions)
    admin = await api.login(county.admin, PASSWORD)
    result = (await api.ok(SET_DAY, {"input": {"day": "2026-06-17", "workday": True, "name": "调休"}},
                           token=admin))["setCalendarDay"]
    assert (result["code"], result["field"]) == ("INVALID", "workday")


async def test_only_the_county_administrator_enters_a_year(api, sessions):
    county = await build_county(sessions)
    other = await build_county(sessions, code="lulong")
    official = await api.login(county.account("DIR"), PASSWORD)
    result = (await api.ok(ENTER_YEAR, {"input": YEAR_2027}, token=official))["enterCalendarYear"]
    assert (result["code"], result["field"]) == ("FORBIDDEN", "countyId")
    result = (await api.ok(SET_DAY, {"input": {"day": "2026-06-18", "workday": False, "name": "县庆"}},
                           token=official))["setCalendarDay"]
    assert result["code"] == "FORBIDDEN"

    stranger = await api.login(other.admin, PASSWORD)
    result = (await api.ok(ENTER_YEAR, {"input": {**YEAR_2027, "countyId": county.gid}},
                           token=stranger))["enterCalendarYear"]
    assert (result["code"], result["field"]) == ("NOT_FOUND", "countyId")
    for token in (official, stranger, await api.login(county.admin, PASSWORD)):
        assert (await api.call(IS_WORKDAY, {"day": "2027-01-04"}, token=token)).error_codes == ["CALENDAR_UNKNOWN"]


# ---------------------------------------------------------------- the command line

CALENDAR_FILE = """\
year: 2027
source: 国务院办公厅关于2027年部分节假日安排的通知（测试）
holidays:
  - {day: 2027-01-01, name: 元旦}
  - {day: 2027-02-06, name: 春节}
  - {day: 2027-02-07, name: 春节}
  - {day: 2027-02-08, name: 春节}
  - {day: 2027-02-09, name: 春节}
workdays:
  - {day: 2027-01-31, name: 春节}
"""


async def test_the_cli_enters_a_year_from_a_file_and_shows_it(qianfa, sessions, tmp_path):  # noqa: F811
    county = await build_county(sessions)
    file = tmp_path / "2027.yaml"
    file.write_text(CALENDAR_FILE, encoding="utf-8")

    unknown = await qianfa("calendar", "show", "--county", "yanjin", "--year", "2027")
    assert unknown.code == 1 and "No holiday data for 2027" in unknown.err

    entered = await qianfa("calendar", "enter-year", "--county", "yanjin", "--file", str(file))
    assert entered.code == 0, entered.err
    assert "Entered 2027 for yanjin: 5 holiday(s), 1 workday(s)." in entered.out

    shown = await qianfa("calendar", "show", "--county", "yanjin", "--year", "2027")
    assert shown.code == 0, shown.err
    lines = shown.out.splitlines()
    assert "entered by the county from 国务院办公厅关于2027年部分节假日安排的通知（测试）" in lines[0]
    assert [line.split()[:3] for line in lines[2:]] == [
        ["2027-01-01", "Fri", "holiday"], ["2027-01-31", "Sun", "workday"],
        ["2027-02-08", "Mon", "holiday"], ["2027-02-09", "Tue", "holiday"],
    ]
    async with sessions() as session:
        working = await calendar.calendar_for(session, county_id=county.id)
    assert working.due_after(cst("2027-02-05T10:00"), 1) == end_of("2027-02-10")

    file.write_text(CALENDAR_FILE.replace("2027-01-31", "2027-02-01"), encoding="utf-8")
    refused = await qianfa("calendar", "enter-year", "--county", "yanjin", "--file", str(file))
    assert refused.code == 1 and "2027-02-01 is a Monday" in refused.err and "(invalid, workdays)" in refused.err
