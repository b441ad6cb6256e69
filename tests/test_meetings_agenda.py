"""The agenda pipeline (议题) in the words of the seeds: 议题由分管副县长协调、审核后提出 … 提交县政府办公室审核汇总后报县长
确定 (000 §42; 003 §45); 局办公室应在2天内完成符合性审查 (002 三重一大 二(三)); 会上须按通知所列议题议事，不许临时动议
(002 细则 §6(三)); 留待下次会议讨论 (细则 §6(五)); 提前10个工作日送县政府法制机构进行合法性审查 (003 §61)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from db.models import AgendaItem, AuditEvent
from domain.calendar import WorkingCalendar
from domain.meetings_agenda import ConsultationState, ItemKind, consultation_state
from domain.roster import RuleSet
from services import meetings_agenda
from strawberry.relay import from_base64
from tests.county import PASSWORD, SYSTEM, County, build_county
from tests.meetings import CST, ITEM, PARTY_GROUP, bodies, mutate, refused, succeed, through_the_pipeline

TUESDAY = dt.datetime(2026, 3, 10, 9, 0, tzinfo=CST)
A_WEEK_BEFORE = TUESDAY - dt.timedelta(weeks=1)
AFTER_NATIONAL_DAY = dt.datetime(2026, 10, 8, 9, 0, tzinfo=CST)
NINE = ["MAG", "EVM", "VM1", "VM2", "VM3", "DIR", "FIN", "JUS", "EDU"]


def test_a_consulted_unit_that_does_not_reply_by_the_day_is_deemed_to_consent():
    reply_by = dt.date(2026, 3, 5)
    assert consultation_state(reply=None, reply_by=reply_by, today=reply_by) == ConsultationState.AWAITING
    assert consultation_state(reply=None, reply_by=reply_by, today=dt.date(2026, 3, 6)) == \
        ConsultationState.DEEMED_CONSENT
    assert consultation_state(reply="同意", reply_by=reply_by, today=dt.date(2026, 3, 6)) == ConsultationState.REPLIED


@pytest.fixture
async def county(sessions) -> County:
    return await build_county(sessions)


@pytest.fixture
async def admin(api, county) -> str:
    return await api.login(county.admin, PASSWORD)


async def _meeting(api, admin: str, county: County, body: str, at: dt.datetime = TUESDAY) -> str:
    return (await succeed(api, admin, "scheduleMeeting", bodyId=body, scheduledAt=at, place="县政府第一会议室",
                          chairId=county.official("MAG")))["meeting"]["id"]


async def _node(api, token: str, item: str) -> dict:
    return (await api.ok(f"query($id: ID!) {{ node(id: $id) {{ ... on AgendaItem {{ {ITEM} }} }} }}", {"id": item},
                         token=token))["node"]


REQUEST = {"kind": "REQUEST", "title": "关于追加教育经费的请示"}
LEGAL_BASIS = {"kind": "LEGAL_BASIS", "title": "《预算法》第六十七条"}


async def test_an_item_goes_from_its_proposer_through_the_vm_the_office_and_the_magistrate_to_the_notice(
        api, sessions, county, admin):
    standing = (await bodies(api, admin))["县政府常务会议"]["id"]
    meeting = await _meeting(api, admin, county, standing)
    fin, evm, vm1, office, mag = [await api.login(county.account(c), PASSWORD)
                                  for c in ("FIN", "EVM", "VM1", "DDIR1", "MAG")]
    item = (await succeed(api, fin, "proposeAgendaItem", bodyId=standing, title="关于追加教育经费的议题",
                          matterCode="large_sum"))["item"]
    assert (item["state"], item["sponsor"]["name"], item["proposer"]["code"], item["matter"]["code"]) == (
        "PROPOSED", "财政局", "FIN", "large_sum")

    await refused(api, sessions, office, "checkAgendaItem", expect=("WRONG_STATE", "itemId"), itemId=item["id"])
    # 财政局 is the executive VM's portfolio: he coordinates, not another VM (000 §42).
    refusal = await refused(api, sessions, vm1, "coordinateAgendaItem", expect=("NOT_ENTITLED", "itemId"),
                            itemId=item["id"])
    assert "周常务" in refusal["message"] and "000 §42" in refusal["message"]
    await succeed(api, evm, "coordinateAgendaItem", itemId=item["id"])
    for material in (REQUEST, LEGAL_BASIS):
        await succeed(api, fin, "addAgendaMaterial", itemId=item["id"], **material)
    await refused(api, sessions, fin, "checkAgendaItem", expect=("FORBIDDEN", "itemId"), itemId=item["id"])
    assert (await succeed(api, office, "checkAgendaItem", itemId=item["id"]))["item"]["checkedBy"]["code"] == "DDIR1"
    await refused(api, sessions, evm, "acceptAgendaItem", expect=("NOT_ENTITLED", "itemId"), itemId=item["id"])
    await refused(api, sessions, admin, "scheduleAgendaItem", expect=("WRONG_STATE", "itemId"), itemId=item["id"],
                  meetingId=meeting)
    accepted = (await succeed(api, mag, "acceptAgendaItem", itemId=item["id"]))["item"]
    assert (accepted["coordinatedBy"]["code"], accepted["acceptedBy"]["code"]) == ("EVM", "MAG")
    await refused(api, sessions, fin, "scheduleAgendaItem", expect=("FORBIDDEN", "itemId"), itemId=item["id"],
                  meetingId=meeting)
    scheduled = (await succeed(api, office, "scheduleAgendaItem", itemId=item["id"], meetingId=meeting))["item"]
    assert (scheduled["state"], scheduled["meeting"]["id"], scheduled["noticedAt"]) == ("SCHEDULED", meeting, None)

    await succeed(api, office, "sendMeetingNotice", meetingId=meeting, sentAt=A_WEEK_BEFORE)

    noticed = await _node(api, admin, item["id"])
    assert noticed["state"] == "NOTICED"
    assert dt.datetime.fromisoformat(noticed["noticedAt"]) == A_WEEK_BEFORE
    await succeed(api, mag, "openMeeting", meetingId=meeting)
    for code in ("MAG", "EVM", "VM1", "VM2"):
        await succeed(api, admin, "recordAttendance", meetingId=meeting, officialId=county.official(code),
                      status="PRESENT")
    assert (await succeed(api, mag, "openAgendaItem", itemId=item["id"]))["item"]["state"] == "OPEN"
    async with sessions() as session:
        actions = list((await session.execute(select(AuditEvent.action).where(
            AuditEvent.entity == "agenda_item", AuditEvent.entity_id == int(from_base64(item["id"])[1]))
            .order_by(AuditEvent.id))).scalars())
    assert actions == ["agenda_item.propose", "agenda_item.coordinate", "agenda_item.check", "agenda_item.accept",
                       "agenda_item.schedule", "agenda_item.open"]


@pytest.mark.parametrize(("proposer", "extra", "field"), [
    ("TWN", {}, "proposerId"),  # a township head is no department principal of the government (000 §38)
    ("DDIR1", {}, "proposerId"),  # a deputy proposes through their principal
    ("FIN", {"sponsor": "教育局"}, "sponsorDepartmentId"),  # a principal proposes for their own department
])
async def test_items_come_from_department_principals_and_vice_magistrates_only(api, sessions, county, admin,
                                                                               proposer, extra, field):
    standing = (await bodies(api, admin))["县政府常务会议"]["id"]
    ids = {"sponsorDepartmentId": county.department(extra["sponsor"])} if extra else {}
    refusal = await refused(api, sessions, await api.login(county.account(proposer), PASSWORD), "proposeAgendaItem",
                            expect=("NOT_ENTITLED", field), bodyId=standing, title="关于城区停车管理的议题", **ids)
    assert "000 §42" in refusal["message"]


async def test_a_vice_magistrate_proposes_and_the_matter_must_belong_to_the_body(api, sessions, county, admin):
    found = await bodies(api, admin)
    vm2 = await api.login(county.account("VM2"), PASSWORD)
    await refused(api, sessions, vm2, "proposeAgendaItem", expect=("WRONG_BODY", "bodyId"),
                  bodyId=found["县长办公会议"]["id"], title="关于干部任免的议题", matterCode="important_appointment")
    await refused(api, sessions, vm2, "proposeAgendaItem", expect=("NOT_FOUND", "matterCode"),
                  bodyId=found["县政府常务会议"]["id"], title="关于干部任免的议题", matterCode="no_such_matter")
    item = (await succeed(api, vm2, "proposeAgendaItem", bodyId=found["县政府常务会议"]["id"], title="关于干部任免的议题",
                          matterCode="important_appointment"))["item"]
    # The catalogue's personnel class makes it a personnel item: the personnel quorum applies (002 细则 §5).
    assert (item["isPersonnel"], item["sponsor"], item["proposer"]["code"]) == (True, None, "VM2")


async def test_without_a_sponsoring_department_the_member_in_charge_the_proposer_named_coordinates(api, sessions,
                                                                                                   county, admin):
    standing = (await bodies(api, admin))["县政府常务会议"]["id"]
    item = (await succeed(api, await api.login(county.account("VM2"), PASSWORD), "proposeAgendaItem",
                          bodyId=standing, title="关于司法所建设的议题", memberInChargeId=county.official("VM3")))["item"]
    await refused(api, sessions, await api.login(county.account("VM1"), PASSWORD), "coordinateAgendaItem",
                  expect=("NOT_ENTITLED", "itemId"), itemId=item["id"])
    coordinated = await succeed(api, await api.login(county.account("VM3"), PASSWORD), "coordinateAgendaItem",
                                itemId=item["id"])
    assert coordinated["item"]["coordinatedBy"]["code"] == "VM3"


async def test_the_office_refuses_an_item_whose_matter_lacks_materials_and_two_options(api, sessions, county, admin):
    standing = (await bodies(api, admin))["县政府常务会议"]["id"]
    item = (await succeed(api, admin, "proposeAgendaItem", bodyId=standing, title="关于县城供水管网改造项目的议题",
                          matterCode="major_project", proposerId=county.official("FIN")))["item"]["id"]
    await succeed(api, admin, "coordinateAgendaItem", itemId=item, officialId=county.official("EVM"))
    await succeed(api, admin, "addAgendaMaterial", itemId=item, **REQUEST)
    refusal = await refused(api, sessions, admin, "checkAgendaItem", expect=("MATERIALS_MISSING", "itemId"),
                            itemId=item)
    assert "options, legal basis, risk assessment" in refusal["message"] and "001 §20(六)" in refusal["message"]

    for material in (LEGAL_BASIS, {"kind": "RISK_ASSESSMENT", "title": "社会稳定风险评估报告"},
                     {"kind": "OPTIONS", "title": "方案一：分期改造", "fileName": "方案一.pdf", "fileSize": 20480,
                      "fileSha256": "ab" * 32}):
        await succeed(api, admin, "addAgendaMaterial", itemId=item, **material)
    refusal = await refused(api, sessions, admin, "checkAgendaItem", expect=("MATERIALS_MISSING", "itemId"),
                            itemId=item)
    assert "two or more options" in refusal["message"] and "三重一大 二(一)" in refusal["message"]

    await succeed(api, admin, "addAgendaMaterial", itemId=item, kind="OPTIONS", title="方案二：一次性改造")
    checked = (await succeed(api, admin, "checkAgendaItem", itemId=item))["item"]
    assert checked["state"] == "CHECKED" and len(checked["materials"]) == 5


@pytest.mark.parametrize(("material", "field"), [
    ({"kind": "REQUEST", "title": " "}, "title"),
    ({"kind": "OPTIONS", "title": "方案", "fileSha256": "xyz"}, "fileSha256"),
    ({"kind": "REQUEST", "title": "请示", "sentForReviewOn": "2026-03-01"}, "sentForReviewOn"),
    ({"kind": "LEGALITY_OPINION", "title": "合法性审查意见"}, "sentForReviewOn"),
    ({"kind": "CONSULTATION_REPLY", "title": "征求意见函", "sentOn": "2026-03-01", "replyBy": "2026-03-05"},
     "consultedUnit"),
    ({"kind": "CONSULTATION_REPLY", "title": "征求意见函", "consultedUnit": "县发改委", "sentOn": "2026-03-05",
      "replyBy": "2026-03-01"}, "replyBy"),
])
async def test_a_material_that_breaks_a_rule_is_refused_and_nothing_is_written(api, sessions, county, admin, material,
                                                                               field):
    standing = (await bodies(api, admin))["县政府常务会议"]["id"]
    item = (await succeed(api, admin, "proposeAgendaItem", bodyId=standing, title="关于城区停车管理的议题",
                          proposerId=county.official("VM2")))["item"]["id"]
    await refused(api, sessions, admin, "addAgendaMaterial", expect=("INVALID", field), itemId=item, **material)


async def test_silence_past_the_reply_by_day_is_deemed_consent_and_a_pending_reply_holds_the_check(
        api, sessions, county, admin):
    standing = (await bodies(api, admin))["县政府常务会议"]["id"]
    fin = await api.login(county.account("FIN"), PASSWORD)
    item = (await succeed(api, fin, "proposeAgendaItem", bodyId=standing, title="关于调整城区公交线路的议题"))["item"]["id"]
    await succeed(api, admin, "coordinateAgendaItem", itemId=item, officialId=county.official("EVM"))
    silent = (await succeed(api, fin, "addAgendaMaterial", itemId=item, kind="CONSULTATION_REPLY", title="征求意见函",
                            consultedUnit="城关镇政府", sentOn=dt.date(2026, 1, 5),
                            replyBy=dt.date(2026, 1, 12)))["material"]
    assert silent["consultation"]["state"] == "DEEMED_CONSENT"
    pending = (await succeed(api, fin, "addAgendaMaterial", itemId=item, kind="CONSULTATION_REPLY", title="征求意见函",
                             consultedUnit="县交通运输局", sentOn=dt.date(2026, 1, 5),
                             replyBy=dt.date(2099, 1, 12)))["material"]
    refusal = await refused(api, sessions, admin, "checkAgendaItem", expect=("MATERIALS_MISSING", "itemId"),
                            itemId=item)
    assert "县交通运输局 has until 2099-01-12" in refusal["message"]
    await refused(api, sessions, fin, "recordConsultationReply", expect=("INVALID", "repliedOn"),
                  materialId=silent["id"], reply="同意", repliedOn=dt.date(2026, 1, 20))
    await refused(api, sessions, await api.login(county.account("EDU"), PASSWORD), "recordConsultationReply",
                  expect=("FORBIDDEN", "materialId"), materialId=pending["id"], reply="同意",
                  repliedOn=dt.date(2026, 1, 8))

    replied = (await succeed(api, fin, "recordConsultationReply", materialId=pending["id"], reply="同意，建议保留夜班线路。",
                             repliedOn=dt.date(2026, 1, 8)))["material"]

    assert replied["consultation"]["state"] == "REPLIED"
    assert (await succeed(api, admin, "checkAgendaItem", itemId=item))["item"]["state"] == "CHECKED"


async def test_lulong_schedules_a_normative_document_only_if_its_legality_review_went_out_ten_working_days_ahead(
        api, sessions):
    lulong = await build_county(sessions, code="lulong", rule_set=RuleSet.LULONG_2018)
    admin = await api.login(lulong.admin, PASSWORD)
    standing = (await bodies(api, admin))["县政府常务会议"]["id"]
    meeting = await _meeting(api, admin, lulong, standing, AFTER_NATIONAL_DAY)
    # Ten working days before 8 October, counted over National Day and the weekends: 17 September.
    latest = WorkingCalendar().working_days_before(AFTER_NATIONAL_DAY.date(), 10)
    assert latest == dt.date(2026, 9, 17)
    papers = [{"kind": k, "title": t} for k, t in (("REQUEST", "请示"), ("DRAFT_AND_EXPLANATION", "草案及起草说明"),
                                                    ("LEGAL_BASIS", "法律依据"), ("OPINION_SUMMARY", "征求意见汇总"))]

    async def normative(sent: dt.date) -> str:
        opinion = {"kind": "LEGALITY_OPINION", "title": "合法性审查意见书", "sentForReviewOn": sent}
        return (await through_the_pipeline(api, admin, lulong, body=standing, title="县城市容管理办法",
                                           matterCode="normative_document", materials=[*papers, opinion]))["id"]

    # Sent on the 18th: twenty calendar days ahead, but only nine working days.
    late = await normative(dt.date(2026, 9, 18))
    refusal = await refused(api, sessions, admin, "scheduleAgendaItem",
                            expect=("LEGALITY_REVIEW_TOO_LATE", "meetingId"), itemId=late, meetingId=meeting)
    assert "by 2026-09-17" in refusal["message"] and "003 §61" in refusal["message"]

    in_time = await normative(latest)
    assert (await succeed(api, admin, "scheduleAgendaItem", itemId=in_time, meetingId=meeting))["item"]["state"] == \
        "SCHEDULED"

    unknown_year = await _meeting(api, admin, lulong, standing, dt.datetime(2041, 3, 12, 9, tzinfo=CST))
    await refused(api, sessions, admin, "scheduleAgendaItem", expect=("CALENDAR_UNKNOWN", "meetingId"), itemId=late,
                  meetingId=unknown_year)


async def test_an_item_scheduled_after_the_notice_waits_for_a_further_notice_in_time_no_ad_hoc_motions(
        api, sessions, county, admin):
    standing = (await bodies(api, admin))["县政府常务会议"]["id"]
    meeting = await _meeting(api, admin, county, standing)
    first = (await through_the_pipeline(api, admin, county, body=standing, title="关于城区道路改造的议题",
                                        meeting=meeting))["id"]
    await succeed(api, admin, "sendMeetingNotice", meetingId=meeting, sentAt=A_WEEK_BEFORE)
    await refused(api, sessions, admin, "sendMeetingNotice", expect=("WRONG_STATE", "meetingId"), meetingId=meeting,
                  sentAt=A_WEEK_BEFORE + dt.timedelta(days=1))
    later = (await through_the_pipeline(api, admin, county, body=standing, title="关于追加教育经费的议题",
                                        meeting=meeting))["id"]
    assert (await _node(api, admin, later))["state"] == "SCHEDULED"

    # The further notice is a notice too: the morning of the meeting is too late (002 细则 §6(三)).
    await refused(api, sessions, admin, "sendMeetingNotice", expect=("NOTICE_TOO_LATE", "sentAt"), meetingId=meeting,
                  sentAt=TUESDAY - dt.timedelta(hours=1))
    await succeed(api, admin, "sendMeetingNotice", meetingId=meeting, sentAt=TUESDAY - dt.timedelta(days=1))
    assert (await _node(api, admin, later))["state"] == "NOTICED"
    last = (await through_the_pipeline(api, admin, county, body=standing, title="关于城区停车管理的议题",
                                       meeting=meeting))["id"]
    await succeed(api, admin, "openMeeting", meetingId=meeting)
    await refused(api, sessions, admin, "addAgendaItem", expect=("NOT_ON_NOTICE", "meetingId"), meetingId=meeting,
                  title="临时动议")

    refusal = await refused(api, sessions, admin, "openAgendaItem", expect=("NOT_ON_NOTICE", "itemId"), itemId=last)

    assert "002 细则 §6(三)" in refusal["message"]
    for item in (first, later):
        assert (await succeed(api, admin, "openAgendaItem", itemId=item))["item"]["state"] == "OPEN"


async def test_an_item_on_no_meeting_is_not_taken_up(api, sessions, county, admin):
    standing = (await bodies(api, admin))["县政府常务会议"]["id"]
    item = (await through_the_pipeline(api, admin, county, body=standing, title="关于城区道路改造的议题"))["id"]
    await refused(api, sessions, admin, "openAgendaItem", expect=("NOT_ON_NOTICE", "itemId"), itemId=item)


async def test_the_proposer_withdraws_an_item_before_the_notice_lists_it_and_nobody_else_does(api, sessions, county,
                                                                                            admin):
    standing = (await bodies(api, admin))["县政府常务会议"]["id"]
    meeting = await _meeting(api, admin, county, standing)
    fin = await api.login(county.account("FIN"), PASSWORD)
    withdrawn = (await succeed(api, fin, "proposeAgendaItem", bodyId=standing, title="关于追加教育经费的议题"))["item"]
    await refused(api, sessions, admin, "withdrawAgendaItem", expect=("NOT_ENTITLED", "itemId"), itemId=withdrawn["id"])
    assert (await succeed(api, fin, "withdrawAgendaItem", itemId=withdrawn["id"]))["item"]["state"] == "WITHDRAWN"
    await refused(api, sessions, admin, "coordinateAgendaItem", expect=("WRONG_STATE", "itemId"),
                  itemId=withdrawn["id"], officialId=county.official("EVM"))

    noticed = (await through_the_pipeline(api, admin, county, body=standing, title="关于城区道路改造的议题",
                                          meeting=meeting))["id"]
    await succeed(api, admin, "sendMeetingNotice", meetingId=meeting, sentAt=A_WEEK_BEFORE)
    await refused(api, sessions, fin, "withdrawAgendaItem", expect=("WRONG_STATE", "itemId"), itemId=noticed)


async def test_a_cancelled_meetings_items_wait_accepted_for_another_meeting(api, county, admin):
    standing = (await bodies(api, admin))["县政府常务会议"]["id"]
    meeting = await _meeting(api, admin, county, standing)
    item = (await through_the_pipeline(api, admin, county, body=standing, title="关于城区道路改造的议题",
                                       meeting=meeting))["id"]
    await succeed(api, admin, "sendMeetingNotice", meetingId=meeting, sentAt=A_WEEK_BEFORE)
    await succeed(api, admin, "cancelMeeting", meetingId=meeting)
    waiting = await _node(api, admin, item)
    assert (waiting["state"], waiting["meeting"], waiting["noticedAt"]) == ("ACCEPTED", None, None)


# ---------------------------------------------------------------- deferred items


async def _deferred(api, admin: str, county: County, body: str, meeting: str) -> str:
    """An item of the party group's meeting whose close vote the chair holds over (002 细则 §6(五))."""
    item = (await succeed(api, admin, "addAgendaItem", meetingId=meeting, title="关于国有资产处置的议题"))["item"]["id"]
    await succeed(api, admin, "sendMeetingNotice", meetingId=meeting, sentAt=A_WEEK_BEFORE)
    await succeed(api, admin, "openMeeting", meetingId=meeting)
    for code in NINE[:6]:
        await succeed(api, admin, "recordAttendance", meetingId=meeting, officialId=county.official(code),
                      status="PRESENT")
    await succeed(api, admin, "openAgendaItem", itemId=item)
    await succeed(api, admin, "putToVote", itemId=item)
    for code, choice in (("MAG", "FOR"), ("EVM", "AGAINST")):
        await succeed(api, admin, "castVote", itemId=item, memberId=county.official(code), choice=choice)
    assert (await succeed(api, admin, "deferAgendaItem", itemId=item))["item"]["state"] == "DEFERRED"
    return item


async def _items_of(api, admin: str, body: str, states: list[str] | None = None) -> list[dict]:
    return (await api.ok("query($b: ID!, $s: [AgendaItemState!]) { agendaItems(bodyId: $b, states: $s) { id title "
                         "state kind meeting { id } deferredFrom { id } } }", {"b": body, "s": states},
                         token=admin))["agendaItems"]


async def test_a_deferred_item_goes_on_the_bodys_next_meeting(api, county, admin):
    body = (await succeed(api, admin, "addMeetingBody", body=PARTY_GROUP))["meetingBody"]["id"]
    meeting = await _meeting(api, admin, county, body)
    following = await _meeting(api, admin, county, body, TUESDAY + dt.timedelta(weeks=2))
    # Scheduled first but held later: not the next meeting.
    await _meeting(api, admin, county, body, TUESDAY + dt.timedelta(weeks=4))

    deferred = await _deferred(api, admin, county, body, meeting)

    again = [i for i in await _items_of(api, admin, body) if i["deferredFrom"]]
    assert again == [{"id": again[0]["id"], "title": "关于国有资产处置的议题", "state": "SCHEDULED", "kind": "DECISION",
                      "meeting": {"id": following}, "deferredFrom": {"id": deferred}}]


async def test_a_deferred_item_waits_for_the_bodys_next_meeting_to_be_scheduled(api, county, admin):
    body = (await succeed(api, admin, "addMeetingBody", body=PARTY_GROUP))["meetingBody"]["id"]
    meeting = await _meeting(api, admin, county, body)
    deferred = await _deferred(api, admin, county, body, meeting)
    waiting = await _items_of(api, admin, body, ["ACCEPTED"])
    assert [(i["state"], i["meeting"], i["deferredFrom"]) for i in waiting] == [("ACCEPTED", None, {"id": deferred})]

    following = await _meeting(api, admin, county, body, TUESDAY + dt.timedelta(weeks=1))

    assert [(i["state"], i["meeting"]) for i in await _items_of(api, admin, body, ["SCHEDULED"])] == [
        ("SCHEDULED", {"id": following})]


async def test_a_report_placed_for_the_next_meeting_goes_on_the_earliest_one_not_yet_sitting(api, sessions, county,
                                                                                            admin):
    standing = (await bodies(api, admin))["县政府常务会议"]["id"]
    later = await _meeting(api, admin, county, standing, TUESDAY + dt.timedelta(weeks=3))
    sooner = await _meeting(api, admin, county, standing, TUESDAY + dt.timedelta(weeks=1))
    async with sessions() as session, session.begin():
        report = await meetings_agenda.place_on_next_meeting(
            session, body_id=int(from_base64(standing)[1]), title="关于防汛抢险临机处置情况的报告", kind=ItemKind.REPORT,
            actor=SYSTEM, after=TUESDAY, proposer_id=county.officials["VM2"])
        placed = (report.id, report.state.value, report.meeting_id)
    assert placed[1:] == ("scheduled", int(from_base64(sooner)[1])) and int(from_base64(later)[1]) != placed[2]
    async with sessions() as session:
        assert (await session.get(AgendaItem, placed[0])).kind == ItemKind.REPORT


# ---------------------------------------------------------------- reads


QUEUE = """query($b: ID!) { agendaItems(bodyId: $b) { title kind state noticedAt body { name } meeting { title }
  matter { code article } sponsor { name } proposer { code } coordinatedBy { code } checkedBy { code }
  acceptedBy { code } deferredFrom { title } materials { kind title consultation { state } } } }"""


async def test_the_offices_queue_reads_in_the_same_statements_for_one_item_and_for_three(api, county, admin):
    """Matter, sponsor, people, meeting and materials come through per-request loaders, not a query an item."""
    standing = (await bodies(api, admin))["县政府常务会议"]["id"]
    meeting = await _meeting(api, admin, county, standing)
    counts = []
    for n in range(3):
        await through_the_pipeline(api, admin, county, body=standing, title=f"议题{n}", meeting=meeting,
                                   matterCode="large_sum", materials=[REQUEST, LEGAL_BASIS])
        page = await api.call(QUEUE, {"b": standing}, token=admin)
        assert page.status == 200 and not page.errors, page
        assert len(page.data["agendaItems"]) == n + 1
        counts.append(page.sql_statements)
    print(f"\n[query count] agenda items with their pipeline and materials: {counts} for 1, 2, 3")
    assert counts[0] == counts[1] == counts[2], counts


async def test_another_countys_body_has_no_items_for_you(api, sessions, county, admin):
    other = await build_county(sessions, code="lulong", rule_set=RuleSet.LULONG_2018)
    theirs = (await bodies(api, await api.login(other.admin, PASSWORD)))["县政府常务会议"]["id"]
    await through_the_pipeline(api, await api.login(other.admin, PASSWORD), other, body=theirs, title="议题")
    assert await _items_of(api, admin, theirs) == []
    result = await mutate(api, admin, "proposeAgendaItem", bodyId=theirs, title="议题",
                          proposerId=county.official("FIN"))
    assert (result["code"], result["field"]) == ("NOT_FOUND", "bodyId")
