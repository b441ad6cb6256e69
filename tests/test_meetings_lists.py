"""The meetings list (a connection: pages, order, filter by the county's days, body and state) and "my meetings"."""

from __future__ import annotations

import datetime as dt

import pytest

from domain.roster import LOCAL_TZ
from tests.county import PASSWORD, County, build_county
from tests.meetings import CST, PARTY_GROUP, bodies, succeed

LIST = """query($first: Int, $after: String, $last: Int, $before: String, $filter: MeetingFilter,
               $orderBy: MeetingOrder) {
  meetings(first: $first, after: $after, last: $last, before: $before, filter: $filter, orderBy: $orderBy) {
    totalCount pageInfo { hasNextPage hasPreviousPage endCursor }
    nodes { title state scheduledAt }
  } }"""

MINE = """query($first: Int) { myMeetings(first: $first) { totalCount nodes {
  title state myAttendance { kind status attendingFor { code } } } } }"""


@pytest.fixture
async def county(sessions) -> County:
    return await build_county(sessions)


@pytest.fixture
async def office(api, county) -> str:
    return await api.login(county.account("DDIR1"), PASSWORD)


async def _schedule(api, office: str, county: County, body: str, at: dt.datetime) -> dict:
    return (await succeed(api, office, "scheduleMeeting", bodyId=body, scheduledAt=at, place="县政府第一会议室",
                          chairId=county.official("MAG")))["meeting"]


@pytest.fixture
async def march(api, county, office) -> dict[str, str]:
    """Four meetings in March 2026: the standing committee's of the 10th, 17th (at 7:30, still the 16th in UTC)
    and 24th (cancelled), and the party group's of the 12th."""
    admin = await api.login(county.admin, PASSWORD)
    standing = (await bodies(api, admin))["县政府常务会议"]["id"]
    party = (await succeed(api, admin, "addMeetingBody", body=PARTY_GROUP))["meetingBody"]["id"]
    titles = {}
    for name, body, at in [("10th", standing, dt.datetime(2026, 3, 10, 9, tzinfo=CST)),
                           ("12th", party, dt.datetime(2026, 3, 12, 15, tzinfo=CST)),
                           ("17th", standing, dt.datetime(2026, 3, 17, 7, 30, tzinfo=CST)),
                           ("24th", standing, dt.datetime(2026, 3, 24, 9, tzinfo=CST))]:
        meeting = await _schedule(api, office, county, body, at)
        titles[name] = meeting["title"]
        titles[f"{name} id"] = meeting["id"]
    await succeed(api, office, "cancelMeeting", meetingId=titles["24th id"])
    titles["standing"], titles["party"] = standing, party
    return titles


async def _titles(api, token: str, **variables) -> tuple[list[str], dict]:
    page = (await api.ok(LIST, variables, token=token))["meetings"]
    return [node["title"] for node in page["nodes"]], page


async def test_the_list_pages_latest_first_with_its_total(api, office, march):
    first, page = await _titles(api, office, first=2)
    assert first == [march["24th"], march["17th"]]
    assert page["totalCount"] == 4 and page["pageInfo"]["hasNextPage"]
    rest, page = await _titles(api, office, first=2, after=page["pageInfo"]["endCursor"])
    assert rest == [march["12th"], march["10th"]]
    assert not page["pageInfo"]["hasNextPage"] and page["pageInfo"]["hasPreviousPage"]
    assert (await _titles(api, office, last=1))[0] == [march["10th"]]
    soonest, _ = await _titles(api, office, orderBy={"field": "SCHEDULED_AT", "direction": "ASC"})
    assert soonest == [march["10th"], march["12th"], march["17th"], march["24th"]]


async def test_a_day_in_the_filter_is_the_countys_day(api, office, march):
    # The 17th's meeting starts at 7:30 in the county: the 16th in UTC, the 17th for the filter.
    assert (await _titles(api, office, filter={"scheduledFrom": "2026-03-17"}))[0] == [march["24th"], march["17th"]]
    assert (await _titles(api, office, filter={"scheduledTo": "2026-03-16"}))[0] == [march["12th"], march["10th"]]
    between, page = await _titles(api, office, filter={"scheduledFrom": "2026-03-11", "scheduledTo": "2026-03-17"})
    assert between == [march["17th"], march["12th"]] and page["totalCount"] == 2


async def test_the_list_filters_by_body_and_state(api, office, march):
    planned = {"bodyId": march["standing"], "states": ["PLANNED"]}
    assert (await _titles(api, office, filter=planned))[0] == [march["17th"], march["10th"]]
    assert (await _titles(api, office, filter={"states": ["CANCELLED"]}))[0] == [march["24th"]]
    assert (await _titles(api, office, filter={"bodyId": march["party"]}))[0] == [march["12th"]]


async def test_a_body_filter_with_another_kind_of_id_is_refused(api, office, march):
    response = await api.call(LIST, {"filter": {"bodyId": march["10th id"]}}, token=office)
    assert response.error_codes == ["BAD_USER_INPUT"] and "MeetingBody" in response.errors[0]["message"]


# ---------------------------------------------------------------- my meetings


def _days_from_today(days: int, hour: int = 9) -> dt.datetime:
    today = dt.datetime.now(LOCAL_TZ).date()
    return dt.datetime.combine(today + dt.timedelta(days=days), dt.time(hour), tzinfo=LOCAL_TZ)


async def test_my_meetings_are_those_i_sit_on_or_attend_from_today_soonest_first(api, county, office):
    admin = await api.login(county.admin, PASSWORD)
    standing = (await bodies(api, admin))["县政府常务会议"]["id"]
    past = await _schedule(api, office, county, standing, _days_from_today(-3))
    later = await _schedule(api, office, county, standing, _days_from_today(9))
    called_off = await _schedule(api, office, county, standing, _days_from_today(5))
    soon = await _schedule(api, office, county, standing, _days_from_today(2))
    early_today = await _schedule(api, office, county, standing, _days_from_today(0, hour=0))
    await succeed(api, office, "cancelMeeting", meetingId=called_off["id"])
    # The township head attends the later one (列席); the finance deputy stands in for the office director.
    await succeed(api, office, "recordAttendance", meetingId=later["id"], officialId=county.official("TWN"),
                  status="EXPECTED", kind="ATTENDING")
    await succeed(api, office, "recordAttendance", meetingId=soon["id"], officialId=county.official("FIN2"),
                  status="EXPECTED", kind="SUBSTITUTE", forOfficialId=county.official("DIR"))

    async def mine(code: str) -> list[tuple]:
        data = await api.ok(MINE, {"first": 10}, token=await api.login(county.account(code), PASSWORD))
        return [(n["title"], n["myAttendance"]["kind"], (n["myAttendance"]["attendingFor"] or {}).get("code"))
                for n in data["myMeetings"]["nodes"]]

    assert await mine("VM2") == [(early_today["title"], "MEMBER", None), (soon["title"], "MEMBER", None),
                                 (later["title"], "MEMBER", None)]
    assert await mine("TWN") == [(later["title"], "ATTENDING", None)]
    assert await mine("FIN2") == [(soon["title"], "SUBSTITUTE", "DIR")]
    assert await mine("EDU") == []
    assert past["title"] not in [t for t, *_ in await mine("MAG")]
    response = await api.call(MINE, {"first": 10}, token=admin)
    assert response.error_codes == ["FORBIDDEN"]


# ---------------------------------------------------------------- what a page costs

PAGE = """query($first: Int!) { meetings(first: $first) { totalCount nodes {
  title body { name decisionMode } chair { code } entrustedBy { code } myAttendance { kind status }
  attendance { kind status official { code name } attendingFor { code } }
  items { title state votes { choice route member { code } recordedBy { code } } tally { for shouldAttend } }
} } }"""


async def test_a_page_of_one_meeting_costs_as_many_statements_as_a_page_of_three(api, county, office, capsys):
    admin = await api.login(county.admin, PASSWORD)
    standing = (await bodies(api, admin))["县政府常务会议"]["id"]
    for week in range(3):
        meeting = await _schedule(api, office, county, standing, _days_from_today(7 * (week + 1)))
        await succeed(api, office, "addAgendaItem", meetingId=meeting["id"], title=f"第{week + 1}项议题")
        await succeed(api, office, "recordAttendance", meetingId=meeting["id"], officialId=county.official("TWN"),
                      status="EXPECTED", kind="ATTENDING")
    token = await api.login(county.account("VM1"), PASSWORD)
    one = await api.call(PAGE, {"first": 1}, token=token)
    three = await api.call(PAGE, {"first": 3}, token=token)
    assert not one.errors and not three.errors, (one.errors, three.errors)
    assert len(one.data["meetings"]["nodes"]) == 1 and len(three.data["meetings"]["nodes"]) == 3
    assert all(n["myAttendance"] == {"kind": "MEMBER", "status": "EXPECTED"} for n in three.data["meetings"]["nodes"])
    assert one.sql_statements == three.sql_statements
    with capsys.disabled():
        print(f"\n[query count] meetings with bodies, chairs, attendance, items, votes: {one.sql_statements} "
              f"statements for 1, {three.sql_statements} for 3")
