"""Emergency decisions (临机处置): "来不及召开会议而又必须及时处理的紧急或突发性重大事件,由分管副县长…协调处理
后,及时向县长报告" (000 §7); "党组成员可临机处置,事后应及时向领导集体报告" (002 细则 §17). The report goes on the
body's next meeting; it is REPORTED when a meeting takes it up, OVERDUE when one closes without it."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from db.models import AuditEvent
from tests.county import PASSWORD, County, build_county
from tests.meetings import CST, bodies, refused, succeed

# A flood on the night of Thursday Mar 5, 2026; the standing meetings of Tuesdays Mar 10 and Mar 17.
FLOOD_NIGHT = dt.datetime(2026, 3, 5, 23, 30, tzinfo=CST)
TUESDAY = dt.datetime(2026, 3, 10, 9, 0, tzinfo=CST)
NEXT_TUESDAY = TUESDAY + dt.timedelta(weeks=1)
MATTER = "城关镇防汛紧急转移安置"
REASONS = "河道水位超警戒，来不及召开常务会议，分管副县长决定连夜转移沿河群众并动用防汛应急资金。"
DECISIONS = """query($state: EmergencyDecisionState) { emergencyDecisions(state: $state) {
  state matter decidedBy { code } reportItem { title state meeting { id } } } }"""


@pytest.fixture
async def county(sessions) -> County:
    return await build_county(sessions)


@pytest.fixture
async def admin(api, county) -> str:
    return await api.login(county.admin, PASSWORD)


async def _standing(api, admin: str) -> str:
    return (await bodies(api, admin))["县政府常务会议"]["id"]


async def _schedule(api, admin: str, county: County, at: dt.datetime) -> dict:
    return (await succeed(api, admin, "scheduleMeeting", bodyId=await _standing(api, admin), scheduledAt=at,
                          place="县政府第一会议室", chairId=county.official("MAG")))["meeting"]


async def _sit(api, admin: str, county: County, meeting: dict, at: dt.datetime) -> None:
    await succeed(api, admin, "sendMeetingNotice", meetingId=meeting["id"], sentAt=at - dt.timedelta(days=4))
    await succeed(api, admin, "openMeeting", meetingId=meeting["id"])
    for code in ("MAG", "EVM", "VM1", "VM2", "VM3", "DIR"):
        await succeed(api, admin, "recordAttendance", meetingId=meeting["id"], officialId=county.official(code),
                      status="PRESENT")


async def _flood(api, county: County) -> dict:
    """郑副县长 (VM2, in charge of 城关镇) decides on the spot and records it himself."""
    vm2 = await api.login(county.account("VM2"), PASSWORD)
    return (await succeed(api, vm2, "recordEmergencyDecision", bodyId=await _standing(api, vm2),
                          decidedAt=FLOOD_NIGHT, matter=MATTER, reasons=REASONS))["emergencyDecision"]


async def test_the_report_goes_on_the_next_meeting_and_is_reported_when_taken_up(api, county, admin):
    decision = await _flood(api, county)
    assert (decision["state"], decision["decidedBy"]["code"]) == ("REPORT_DUE", "VM2")
    assert (decision["reportItem"]["kind"], decision["reportItem"]["state"], decision["reportItem"]["meeting"]) == (
        "REPORT", "ACCEPTED", None)
    meeting = await _schedule(api, admin, county, TUESDAY)
    await _sit(api, admin, county, meeting, TUESDAY)
    item = (await api.ok(DECISIONS, {}, token=admin))["emergencyDecisions"][0]["reportItem"]
    assert (item["meeting"]["id"], item["state"]) == (meeting["id"], "NOTICED")

    await succeed(api, admin, "openAgendaItem", itemId=decision["reportItem"]["id"])

    assert [(d["state"], d["matter"]) for d in (await api.ok(DECISIONS, {}, token=admin))["emergencyDecisions"]] == [
        ("REPORTED", MATTER)]


async def test_a_meeting_that_closes_without_the_report_leaves_it_overdue_and_carries_it(api, sessions, county,
                                                                                         admin):
    meeting = await _schedule(api, admin, county, TUESDAY)
    decision = await _flood(api, county)
    assert decision["reportItem"]["meeting"]["id"] == meeting["id"]
    await _sit(api, admin, county, meeting, TUESDAY)

    await succeed(api, admin, "closeMeeting", meetingId=meeting["id"])

    overdue = (await api.ok(DECISIONS, {"state": "OVERDUE"}, token=admin))["emergencyDecisions"]
    assert [(d["matter"], d["reportItem"]["state"], d["reportItem"]["meeting"]) for d in overdue] == [
        (MATTER, "ACCEPTED", None)]
    following = await _schedule(api, admin, county, NEXT_TUESDAY)
    await _sit(api, admin, county, following, NEXT_TUESDAY)
    carried = (await api.ok(DECISIONS, {}, token=admin))["emergencyDecisions"][0]["reportItem"]
    assert carried["meeting"]["id"] == following["id"]
    item = (await api.ok("{ emergencyDecisions { reportItem { id deferredFrom { id } } } }", {},
                         token=admin))["emergencyDecisions"][0]["reportItem"]
    assert item["deferredFrom"]["id"] == decision["reportItem"]["id"]
    await succeed(api, admin, "openAgendaItem", itemId=item["id"])
    assert (await api.ok(DECISIONS, {"state": "REPORTED"}, token=admin))["emergencyDecisions"][0]["matter"] == MATTER
    async with sessions() as session:
        actions = (await session.execute(select(AuditEvent.action).where(AuditEvent.entity == "emergency_decision")
                                         .order_by(AuditEvent.id))).scalars().all()
    assert actions == ["emergency_decision.record", "emergency_decision.overdue", "emergency_decision.reported"]


@pytest.mark.parametrize(("who", "change", "expect"), [
    ("FIN", {}, ("NOT_A_MEMBER", "decidedById")),  # a bureau chief sits on no standing meeting (000 §39; 001 §20)
    ("VM2", {"reasons": "  "}, ("INVALID", "reasons")),
    ("VM2", {"matter": ""}, ("INVALID", "matter")),
    ("VM2", {"decidedAt": dt.datetime(2030, 1, 1, tzinfo=CST)}, ("INVALID", "decidedAt")),
    ("VM1", {"decidedById": "VM2"}, ("FORBIDDEN", "decidedById")),
])
async def test_only_a_member_records_an_emergency_decision_with_its_reasons(api, sessions, county, admin, who,
                                                                             change, expect):
    token = await api.login(county.account(who), PASSWORD)
    given = {"bodyId": await _standing(api, admin), "decidedAt": FLOOD_NIGHT, "matter": MATTER, "reasons": REASONS}
    given |= {k: county.official(v) if k == "decidedById" else v for k, v in change.items()}
    refusal = await refused(api, sessions, token, "recordEmergencyDecision", expect=expect, **given)
    if expect[0] == "NOT_A_MEMBER":
        assert "000 §7; 002 细则 §17" in refusal["message"]


async def test_the_office_records_a_members_emergency_decision(api, county, admin):
    recorded = await succeed(api, admin, "recordEmergencyDecision", bodyId=await _standing(api, admin),
                             decidedById=county.official("VM2"), decidedAt=FLOOD_NIGHT, matter=MATTER,
                             reasons=REASONS)
    assert recorded["emergencyDecision"]["decidedBy"]["code"] == "VM2"


LISTED = """{ emergencyDecisions { state matter decidedBy { code } body { name }
  reportItem { title state meeting { id } } } }"""


async def test_the_list_costs_the_same_for_two_decisions_as_for_eight(api, county, admin):
    body = await _standing(api, admin)
    counts, recorded = [], 0
    for total in (2, 8):
        for n in range(recorded, total):
            await succeed(api, admin, "recordEmergencyDecision", bodyId=body, decidedById=county.official("VM2"),
                          decidedAt=FLOOD_NIGHT, matter=f"{MATTER}{n}", reasons=REASONS)
        recorded = total
        response = await api.call(LISTED, {}, token=admin)
        assert not response.errors and len(response.data["emergencyDecisions"]) == total
        counts.append(response.sql_statements)
    assert counts[0] == counts[1]
