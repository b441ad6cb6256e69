"""Minutes (会议纪要): "会议须形成…会议纪要,按独立序列实行年度编号…须记录每个议题的讨论、表决情况及最后决定"
(002 细则 §6(七)); drafted by the office, reviewed and signed as 001 §22 and 003 §46 say; lulong's clocks run
from the meeting's end (003 §46: the draft within 2 days, signed within a week)."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from sqlalchemy import update

from db.models import Meeting, MinutesReminder
from domain.meetings_minutes import ItemRecord, MeetingRecord, minutes_number, minutes_text
from domain.roster import RuleSet
from services import deadlines, roster
from strawberry.relay import from_base64
from tests.county import PASSWORD, SYSTEM, TERM_START, County, build_county
from tests.meetings import CST, bodies, refused, succeed

SUBMIT = """mutation($id: ID!) { submitDocument(input: {documentId: $id}) {
  __typename ... on DocumentPayload { document { state chain { action assignments { assignee { code } } } } }
  ... on MutationError { code field message } } }"""
APPROVE = """mutation($id: ID!) { approveStep(input: {documentId: $id, opinion: "同意"}) {
  __typename ... on AssignmentPayload { document { state } } ... on MutationError { code field message } } }"""
SIGN = """mutation($id: ID!) { signDocument(input: {documentId: $id}) {
  __typename ... on AssignmentPayload { document { state } } ... on MutationError { code field message } } }"""
MINUTES = """query($id: ID!) { node(id: $id) { ... on Meeting { state minutesNumber
  minutesDocument { id title state } minutesReminders { clock dueAt } } } }"""


def test_minutes_are_numbered_in_the_bodys_own_yearly_series():
    assert minutes_number("常务会议纪要", 2026, 12) == "常务会议纪要〔2026〕12号"


def test_the_minutes_record_each_items_votes_by_name_tally_decision_recusals_and_written_opinions():
    text = minutes_text(MeetingRecord(
        title="2026年第3次县政府党组会议", held="2026年03月10日 09:00", place="第一会议室", chair="林县长",
        present=["林县长", "周常务"], on_leave=["韩局长"], items=[ItemRecord(
            title="关于干部任免的议题", state="已决定", outcome="通过", votes=[("林县长", "赞成"), ("周常务", "反对")],
            tally="赞成1票，反对1票，弃权0票，应到会2人", recusals=["卫局长（亲属关系）"],
            written_opinions=["韩局长（赞成）：同意"])]))
    for expected in ("一、关于干部任免的议题", "记名表决：林县长 赞成；周常务 反对", "计票：赞成1票", "决定：通过",
                     "回避：卫局长（亲属关系）", "书面意见（不计入表决）：韩局长（赞成）：同意", "请假：韩局长"):
        assert expected in text, expected


# ---------------------------------------------------------------- scenarios

TUESDAY = dt.datetime(2026, 3, 10, 9, 0, tzinfo=CST)
A_WEEK_BEFORE = TUESDAY - dt.timedelta(weeks=1)


async def _closed_standing_meeting(api, admin: str, county: County, *, at=TUESDAY,
                                   title="关于县城老旧小区改造实施方案的议题") -> dict:
    """A standing meeting that took up one item, the chair concluding it, and closed."""
    standing = (await bodies(api, admin))["县政府常务会议"]["id"]
    meeting = (await succeed(api, admin, "scheduleMeeting", bodyId=standing, scheduledAt=at, place="县政府第一会议室",
                             chairId=county.official("MAG")))["meeting"]
    item = (await succeed(api, admin, "addAgendaItem", meetingId=meeting["id"], title=title))["item"]["id"]
    await succeed(api, admin, "sendMeetingNotice", meetingId=meeting["id"], sentAt=at - dt.timedelta(weeks=1))
    await succeed(api, admin, "openMeeting", meetingId=meeting["id"])
    for code in ("MAG", "EVM", "VM1", "VM2", "VM3", "DIR"):
        await succeed(api, admin, "recordAttendance", meetingId=meeting["id"], officialId=county.official(code),
                      status="PRESENT")
    await succeed(api, admin, "openAgendaItem", itemId=item)
    await succeed(api, admin, "recordConclusion", itemId=item, conclusion="原则通过，由住建局牵头实施。")
    return (await succeed(api, admin, "closeMeeting", meetingId=meeting["id"]))["meeting"]


async def _up_to_signature(api, county: County, document: str) -> None:
    """The drafter submits; every step before the signature approves, as the county's table routes it."""
    director = await api.login(county.account("DIR"), PASSWORD)
    submitted = (await api.ok(SUBMIT, {"id": document}, token=director))["submitDocument"]
    assert submitted["__typename"] == "DocumentPayload", submitted
    chain = submitted["document"]["chain"]
    assert chain[-1]["action"] == "SIGN" and chain[-1]["assignments"][0]["assignee"]["code"] == "MAG"
    for step in chain[:-1]:
        token = await api.login(county.account(step["assignments"][0]["assignee"]["code"]), PASSWORD)
        assert (await api.ok(APPROVE, {"id": document}, token=token))["approveStep"]["__typename"] == \
            "AssignmentPayload"


async def test_the_office_drafts_the_minutes_of_a_closed_meeting_and_the_magistrates_signature_numbers_them(
        api, sessions):
    county = await build_county(sessions)
    admin = await api.login(county.admin, PASSWORD)
    director, vm2 = [await api.login(county.account(code), PASSWORD) for code in ("DIR", "VM2")]
    standing = (await bodies(api, admin))["县政府常务会议"]["id"]
    planned = (await succeed(api, admin, "scheduleMeeting", bodyId=standing, scheduledAt=TUESDAY, place="会议室",
                             chairId=county.official("MAG")))["meeting"]
    await refused(api, sessions, director, "draftMinutes", expect=("WRONG_STATE", "meetingId"),
                  meetingId=planned["id"])
    meeting = await _closed_standing_meeting(api, admin, county)
    await refused(api, sessions, vm2, "draftMinutes", expect=("FORBIDDEN", "meetingId"), meetingId=meeting["id"])

    draft = (await succeed(api, director, "draftMinutes", meetingId=meeting["id"]))["document"]

    assert (draft["title"], draft["state"], draft["meeting"]) == ("2026年第2次县政府常务会议纪要", "DRAFT", "STANDING")
    for expected in ("关于县城老旧小区改造实施方案的议题", "原则通过，由住建局牵头实施。", "主持：林县长"):
        assert expected in draft["body"]
    await refused(api, sessions, director, "draftMinutes", expect=("DUPLICATE", "meetingId"), meetingId=meeting["id"])
    await _up_to_signature(api, county, draft["id"])
    before = (await api.ok(MINUTES, {"id": meeting["id"]}, token=admin))["node"]
    assert (before["state"], before["minutesNumber"]) == ("CLOSED", None)

    signed = await api.ok(SIGN, {"id": draft["id"]}, token=await api.login(county.account("MAG"), PASSWORD))

    assert signed["signDocument"]["document"]["state"] == "SIGNED"
    after = (await api.ok(MINUTES, {"id": meeting["id"]}, token=admin))["node"]
    year = dt.datetime.now(CST).year
    assert (after["state"], after["minutesNumber"], after["minutesDocument"]["id"]) == (
        "MINUTES_SIGNED", f"常务会议纪要〔{year}〕1号", draft["id"])


async def test_two_minutes_signed_at_the_same_instant_take_consecutive_numbers(api, sessions):
    county = await build_county(sessions)
    admin = await api.login(county.admin, PASSWORD)
    director = await api.login(county.account("DIR"), PASSWORD)
    drafts = []
    for week in range(2):
        meeting = await _closed_standing_meeting(api, admin, county, at=TUESDAY + dt.timedelta(weeks=week))
        drafts.append((meeting["id"], (await succeed(api, director, "draftMinutes",
                                                     meetingId=meeting["id"]))["document"]["id"]))
    for _, document in drafts:
        await _up_to_signature(api, county, document)
    magistrate = await api.login(county.account("MAG"), PASSWORD)

    await asyncio.gather(*(api.ok(SIGN, {"id": document}, token=magistrate) for _, document in drafts))

    numbers = [(await api.ok(MINUTES, {"id": meeting}, token=admin))["node"]["minutesNumber"] for meeting, _ in drafts]
    year = dt.datetime.now(CST).year
    assert sorted(numbers) == [f"常务会议纪要〔{year}〕1号", f"常务会议纪要〔{year}〕2号"]


# Lulong's clocks across the National Day holidays of 2026 (Oct 1–7) and the swapped workday Saturday Oct 10:
# a meeting ending Wednesday Sep 30 has its draft due by the end of Friday Oct 9 (Oct 8, 9) and its minutes
# signed by the end of Tuesday Oct 13 (Oct 8, 9, 10, 12, 13).
ENDED = dt.datetime(2026, 9, 30, 17, 0, tzinfo=CST)


async def test_lulong_reminds_of_late_minutes_by_working_days_from_the_meetings_end(api, sessions):
    county = await build_county(sessions, code="lulong", rule_set=RuleSet.LULONG_2018)
    admin = await api.login(county.admin, PASSWORD)
    standing = (await bodies(api, admin))["县政府常务会议"]
    assert (standing["minutesDraftDays"], standing["minutesSignDays"], standing["minutesClockArticle"]) == (
        2, 5, "003 §46")
    meeting = await _closed_standing_meeting(api, admin, county, at=ENDED.replace(hour=9))
    async with sessions() as session, session.begin():
        await session.execute(update(Meeting).where(Meeting.id == int(from_base64(meeting["id"])[1]))
                              .values(ended_at=ENDED))

    reminded = []
    for now in (dt.datetime(2026, 10, 9, 23, 0, tzinfo=CST), dt.datetime(2026, 10, 10, 8, 0, tzinfo=CST),
                dt.datetime(2026, 10, 10, 9, 0, tzinfo=CST), dt.datetime(2026, 10, 13, 23, 0, tzinfo=CST),
                dt.datetime(2026, 10, 14, 8, 0, tzinfo=CST)):
        reminded.append((await deadlines.sweep(sessions, now=now)).minutes_reminded)

    assert reminded == [0, 1, 0, 0, 1]
    found = (await api.ok(MINUTES, {"id": meeting["id"]}, token=admin))["node"]["minutesReminders"]
    assert [(r["clock"], dt.datetime.fromisoformat(r["dueAt"]).astimezone(CST).date()) for r in found] == [
        ("draft", dt.date(2026, 10, 10)), ("sign", dt.date(2026, 10, 14))]


async def test_minutes_submitted_in_time_are_not_reminded_for_the_draft(api, sessions):
    county = await build_county(sessions, code="lulong", rule_set=RuleSet.LULONG_2018)
    # Lulong's minutes are reviewed by the leader in charge of the office, too (003 §46): the executive VM here.
    async with sessions() as session, session.begin():
        await roster.set_portfolio(session, official_id=county.officials["EVM"], effective_from=TERM_START,
                                   department_ids=[county.departments["财政局"], county.departments["县政府办公室"]],
                                   actor=SYSTEM)
    admin = await api.login(county.admin, PASSWORD)
    director = await api.login(county.account("DIR"), PASSWORD)
    meeting = await _closed_standing_meeting(api, admin, county, at=ENDED.replace(hour=9))
    async with sessions() as session, session.begin():
        await session.execute(update(Meeting).where(Meeting.id == int(from_base64(meeting["id"])[1]))
                              .values(ended_at=ENDED))
    draft = (await succeed(api, director, "draftMinutes", meetingId=meeting["id"]))["document"]["id"]
    submitted = (await api.ok(SUBMIT, {"id": draft}, token=director))["submitDocument"]
    assert submitted["__typename"] == "DocumentPayload", submitted

    await deadlines.sweep(sessions, now=dt.datetime(2026, 10, 12, 9, 0, tzinfo=CST))

    async with sessions() as session:
        assert (await session.execute(MinutesReminder.__table__.select())).all() == []


@pytest.mark.parametrize(("change", "field"), [
    ({"minutesDraftDays": 31}, "minutesDraftDays"),
    ({"minutesDraftDays": 5, "minutesSignDays": 2, "minutesClockArticle": "003 §46"}, "minutesSignDays"),
    ({"minutesSignDays": 5, "minutesClockArticle": ""}, "minutesClockArticle"),
])
async def test_a_minutes_clock_is_working_days_in_order_with_its_article(api, sessions, change, field):
    county = await build_county(sessions)
    admin = await api.login(county.admin, PASSWORD)
    standing = (await bodies(api, admin))["县政府常务会议"]
    body = {k: v for k, v in standing.items() if k != "id"} | change
    await refused(api, sessions, admin, "updateMeetingBody", expect=("INVALID", field), id=standing["id"], body=body)
