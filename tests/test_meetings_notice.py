"""The notice lead time in the words of 002 细则 §6(三): "会议通知(含议题及有关资料)须至少提前1个工作日…通知应到会人员".

Working days are the county's calendar's: National Day 2026 runs 1–7 October, so a meeting on Thursday
8 October (the first working day after it) has its notice out by Wednesday 30 September.
"""

from __future__ import annotations

import datetime as dt

import pytest

from domain.calendar import CalendarUnknown, WorkingCalendar
from domain.meetings import latest_notice_day
from tests.county import PASSWORD, County, build_county
from tests.meetings import CST, PARTY_GROUP, mutate, refused, succeed

AFTER_NATIONAL_DAY = dt.datetime(2026, 10, 8, 9, 0, tzinfo=CST)


def test_one_working_day_before_the_first_day_after_national_day_is_the_last_day_before_it():
    calendar = WorkingCalendar()
    assert latest_notice_day(calendar, scheduled_at=AFTER_NATIONAL_DAY, lead_days=1) == dt.date(2026, 9, 30)
    assert latest_notice_day(calendar, scheduled_at=AFTER_NATIONAL_DAY, lead_days=0) == dt.date(2026, 10, 8)
    with pytest.raises(CalendarUnknown):
        latest_notice_day(calendar, scheduled_at=dt.datetime(2041, 3, 12, 9, tzinfo=CST), lead_days=1)


@pytest.fixture
async def county(sessions) -> County:
    return await build_county(sessions)


@pytest.fixture
async def admin(api, county) -> str:
    return await api.login(county.admin, PASSWORD)


async def _party_meeting(api, county: County, admin: str, at: dt.datetime) -> str:
    body = (await succeed(api, admin, "addMeetingBody", body=PARTY_GROUP))["meetingBody"]
    return (await succeed(api, admin, "scheduleMeeting", bodyId=body["id"], scheduledAt=at, place="县政府第一会议室",
                          chairId=county.official("MAG")))["meeting"]["id"]


async def test_a_notice_sent_during_the_holiday_is_too_late_for_the_meeting_after_it(api, sessions, county, admin):
    meeting = await _party_meeting(api, county, admin, AFTER_NATIONAL_DAY)
    # Five calendar days ahead, but not one working day: the notice was due by 30 September.
    refusal = await refused(api, sessions, admin, "sendMeetingNotice", expect=("NOTICE_TOO_LATE", "sentAt"),
                            meetingId=meeting, sentAt=dt.datetime(2026, 10, 3, 10, 0, tzinfo=CST))
    assert "by 2026-09-30 at the latest" in refusal["message"] and "002 细则 §6(三)" in refusal["message"]

    sent = await succeed(api, admin, "sendMeetingNotice", meetingId=meeting,
                         sentAt=dt.datetime(2026, 9, 30, 17, 0, tzinfo=CST))
    assert sent["meeting"]["state"] == "NOTICE_SENT"
    recorded = await api.ok("query($id: ID!) { node(id: $id) { ... on Meeting { noticeSentAt } } }",
                            {"id": meeting}, token=admin)
    assert dt.datetime.fromisoformat(recorded["node"]["noticeSentAt"]) == dt.datetime(2026, 9, 30, 9, 0,
                                                                                      tzinfo=dt.timezone.utc)


async def test_a_notice_sent_now_for_a_meeting_already_past_is_too_late(api, sessions, county, admin):
    meeting = await _party_meeting(api, county, admin, dt.datetime(2026, 3, 10, 9, 0, tzinfo=CST))
    await refused(api, sessions, admin, "sendMeetingNotice", expect=("NOTICE_TOO_LATE", "meetingId"),
                  meetingId=meeting)


async def test_a_notice_is_not_dated_in_the_future(api, sessions, county, admin):
    meeting = await _party_meeting(api, county, admin, AFTER_NATIONAL_DAY)
    await refused(api, sessions, admin, "sendMeetingNotice", expect=("INVALID", "sentAt"), meetingId=meeting,
                  sentAt=dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=1))


async def test_the_lead_time_in_a_year_nobody_entered_asks_for_the_calendar(api, sessions, county, admin):
    meeting = await _party_meeting(api, county, admin, dt.datetime(2041, 3, 12, 9, 0, tzinfo=CST))
    refusal = await refused(api, sessions, admin, "sendMeetingNotice", expect=("CALENDAR_UNKNOWN", "meetingId"),
                            meetingId=meeting)
    assert "No holiday data for 2041" in refusal["message"]
    result = await mutate(api, admin, "openMeeting", meetingId=meeting)
    assert result["code"] == "WRONG_STATE"
