"""Meetings, quorum and named votes, in the words of 002 (三重一大 议事规则细则) and the county rules.

The pure rules first (no database), then scenarios through the API on both engines.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from fractions import Fraction

import pytest

from domain.meetings import (
    BodyRules,
    DecisionMode,
    Outcome,
    Tally,
    Threshold,
    meeting_title,
    quorum_problem,
)
from domain.roster import RuleSet
from tests.county import PASSWORD, County, build_county
from tests.meetings import CST, PARTY_GROUP, bodies, mutate, refused, succeed

# ---------------------------------------------------------------- the rules themselves

PARTY = BodyRules(name="县政府党组会议", decision_mode=DecisionMode.NAMED_VOTE, quorum=Threshold.parse(">1/2"),
                  personnel_quorum=Threshold.parse(">=2/3"), member_in_charge_must_attend=True,
                  pass_rule=Threshold.parse(">1/2"), deferral_margin=1, ab_partner_counts=False,
                  article="002 细则 §5")


def test_thresholds_read_as_the_seeds_write_them():
    assert Threshold.parse(">1/2") == Threshold(True, Fraction(1, 2))
    assert Threshold.parse("-") is None
    assert not Threshold.parse(">1/2").met(3, 6) and Threshold.parse(">1/2").met(4, 6)
    assert Threshold.parse(">=2/3").met(6, 9) and not Threshold.parse(">=2/3").met(5, 9)
    for bad in ("1/2", ">3/2", ">1/0", "half", ""):
        with pytest.raises(ValueError):
            Threshold.parse(bad)


def test_five_of_nine_present_take_up_an_item_but_not_a_personnel_one():
    assert quorum_problem(PARTY, members=9, present=range(5), is_personnel=False, member_in_charge=None) is None
    problem = quorum_problem(PARTY, members=9, present=range(5), is_personnel=True, member_in_charge=None)
    assert problem.startswith("Quorum not met") and "at least 2/3 of its 9 members" in problem
    assert "002 细则 §5" in problem


def test_the_member_in_charge_must_attend():
    assert "member in charge" in quorum_problem(PARTY, members=9, present=range(6), is_personnel=False,
                                                member_in_charge=8)


def test_for_must_exceed_half_of_those_who_should_attend_not_of_those_present():
    assert Tally(for_=4, against=2, abstain=0, should_attend=9).outcome(PARTY.pass_rule) == Outcome.NOT_PASSED
    assert Tally(for_=5, against=1, abstain=0, should_attend=9).outcome(PARTY.pass_rule) == Outcome.PASSED


def test_written_opinions_make_a_vote_close_but_never_count():
    tally = Tally(for_=4, against=2, abstain=0, should_attend=9, written_against=1)
    assert tally.is_close(1) and not Tally(for_=4, against=2, abstain=0, should_attend=9).is_close(1)
    assert tally.outcome(PARTY.pass_rule) == Outcome.NOT_PASSED


def test_a_meeting_is_titled_by_its_year_and_number():
    assert meeting_title(2026, 12, "县政府常务会议") == "2026年第12次县政府常务会议"


# ---------------------------------------------------------------- scenarios

TUESDAY = dt.datetime(2026, 3, 10, 9, 0, tzinfo=CST)
A_WEEK_BEFORE = TUESDAY - dt.timedelta(weeks=1)  # when the notices of these meetings went out
NINE = ["MAG", "EVM", "VM1", "VM2", "VM3", "DIR", "FIN", "JUS", "EDU"]


async def _party_meeting(api, county: County, admin: str) -> dict:
    """The 002 party group of nine, scheduled: its items go on it before the notice (``_sit``)."""
    body = (await succeed(api, admin, "addMeetingBody", body=PARTY_GROUP))["meetingBody"]
    return (await succeed(api, admin, "scheduleMeeting", bodyId=body["id"], scheduledAt=TUESDAY,
                          place="县政府第一会议室", chairId=county.official("MAG")))["meeting"]


async def _sit(api, admin: str, meeting: dict) -> None:
    """The notice listing the meeting's items goes out a week ahead, and the meeting opens."""
    await succeed(api, admin, "sendMeetingNotice", meetingId=meeting["id"], sentAt=A_WEEK_BEFORE)
    await succeed(api, admin, "openMeeting", meetingId=meeting["id"])


async def _attend(api, admin: str, county: County, meeting: dict, present: list[str], status="PRESENT") -> None:
    for code in present:
        await succeed(api, admin, "recordAttendance", meetingId=meeting["id"], officialId=county.official(code),
                      status=status)


async def _item(api, admin: str, meeting: dict, county: County, title: str, *, personnel=False,
                in_charge: str | None = None) -> str:
    extra = {"memberInChargeId": county.official(in_charge)} if in_charge else {}
    return (await succeed(api, admin, "addAgendaItem", meetingId=meeting["id"], title=title,
                          isPersonnel=personnel, **extra))["item"]["id"]


@pytest.fixture
async def county(sessions) -> County:
    return await build_county(sessions)


@pytest.fixture
async def admin(api, county) -> str:
    return await api.login(county.admin, PASSWORD)


async def test_meetings_are_numbered_per_body_and_year(api, county, admin):
    found = await bodies(api, admin)
    standing, plenary = found["县政府常务会议"]["id"], found["县政府全体会议"]["id"]
    titles = []
    for body, at in [(standing, TUESDAY), (standing, TUESDAY + dt.timedelta(days=7)), (plenary, TUESDAY),
                     (standing, dt.datetime(2027, 1, 5, 9, tzinfo=CST))]:
        meeting = await succeed(api, admin, "scheduleMeeting", bodyId=body, scheduledAt=at, place="县政府第一会议室",
                                chairId=county.official("MAG"))
        titles.append(meeting["meeting"]["title"])
    assert titles == ["2026年第1次县政府常务会议", "2026年第2次县政府常务会议", "2026年第1次县政府全体会议",
                      "2027年第1次县政府常务会议"]


async def test_two_meetings_scheduled_at_once_get_consecutive_numbers(api, county, admin):
    standing = (await bodies(api, admin))["县政府常务会议"]["id"]
    results = await asyncio.gather(*(
        mutate(api, admin, "scheduleMeeting", bodyId=standing, scheduledAt=TUESDAY, place=f"第{n}会议室",
               chairId=county.official("MAG")) for n in range(2)))
    assert sorted(r["meeting"]["sequence"] for r in results) == [1, 2]


async def test_the_members_are_those_holding_the_roles_on_the_day(api, county, admin):
    standing = (await bodies(api, admin))["县政府常务会议"]["id"]
    meeting = (await succeed(api, admin, "scheduleMeeting", bodyId=standing, scheduledAt=TUESDAY, place="会议室",
                             chairId=county.official("MAG")))["meeting"]
    assert {(a["official"]["code"], a["kind"], a["status"]) for a in meeting["attendance"]} == {
        (code, "MEMBER", "EXPECTED") for code in ["MAG", "EVM", "VM1", "VM2", "VM3", "DIR"]}


async def test_a_vice_magistrate_chairs_the_magistrates_office_meeting_only_when_entrusted(api, sessions, county,
                                                                                           admin):
    office = (await bodies(api, admin))["县长办公会议"]["id"]
    common = {"bodyId": office, "scheduledAt": TUESDAY, "place": "县长办公室"}
    await refused(api, sessions, admin, "scheduleMeeting", expect=("INVALID", "chairId"),
                  chairId=county.official("VM1"), **common)
    await refused(api, sessions, admin, "scheduleMeeting", expect=("INVALID", "entrustedById"),
                  chairId=county.official("VM1"), entrustedById=county.official("EVM"), **common)
    meeting = (await succeed(api, admin, "scheduleMeeting", chairId=county.official("VM1"),
                             entrustedById=county.official("MAG"), **common))["meeting"]
    assert (meeting["chair"]["code"], meeting["entrustedBy"]["code"]) == ("VM1", "MAG")


async def test_an_ad_hoc_meeting_is_approved_by_the_magistrate(api, sessions, county, admin):
    standing = (await bodies(api, admin))["县政府常务会议"]["id"]
    common = {"bodyId": standing, "scheduledAt": TUESDAY, "place": "会议室", "chairId": county.official("MAG")}
    await refused(api, sessions, admin, "scheduleMeeting", expect=("INVALID", "adHocApprovedById"),
                  adHocApprovedById=county.official("DIR"), **common)
    meeting = await succeed(api, admin, "scheduleMeeting", adHocApprovedById=county.official("MAG"), **common)
    assert meeting["meeting"]["adHocApprovedBy"]["code"] == "MAG"


async def test_a_meeting_goes_planned_notice_sent_in_session_closed_and_no_step_is_skipped(api, sessions, county,
                                                                                          admin):
    standing = (await bodies(api, admin))["县政府常务会议"]["id"]
    meeting = (await succeed(api, admin, "scheduleMeeting", bodyId=standing, scheduledAt=TUESDAY, place="会议室",
                             chairId=county.official("MAG")))["meeting"]
    assert meeting["state"] == "PLANNED"
    await refused(api, sessions, admin, "openMeeting", expect=("WRONG_STATE", "meetingId"), meetingId=meeting["id"])
    for mutation, state, extra in [("sendMeetingNotice", "NOTICE_SENT", {"sentAt": A_WEEK_BEFORE}),
                                   ("openMeeting", "IN_SESSION", {}), ("closeMeeting", "CLOSED", {})]:
        assert (await succeed(api, admin, mutation, meetingId=meeting["id"], **extra))["meeting"]["state"] == state
    await refused(api, sessions, admin, "cancelMeeting", expect=("WRONG_STATE", "meetingId"), meetingId=meeting["id"])


async def test_the_office_sends_the_notice_the_chair_opens_and_another_official_does_neither(api, sessions,
                                                                                              county, admin):
    standing = (await bodies(api, admin))["县政府常务会议"]["id"]
    meeting = (await succeed(api, admin, "scheduleMeeting", bodyId=standing, scheduledAt=TUESDAY, place="会议室",
                             chairId=county.official("MAG")))["meeting"]
    vm2, chair = [await api.login(county.account(code), PASSWORD) for code in ("VM2", "MAG")]
    for token in (vm2, chair):
        await refused(api, sessions, token, "sendMeetingNotice", expect=("FORBIDDEN", "meetingId"),
                      meetingId=meeting["id"], sentAt=A_WEEK_BEFORE)
    office = await api.login(county.account("DDIR1"), PASSWORD)
    assert (await succeed(api, office, "sendMeetingNotice", meetingId=meeting["id"],
                          sentAt=A_WEEK_BEFORE))["meeting"]["state"] == "NOTICE_SENT"
    await refused(api, sessions, vm2, "openMeeting", expect=("FORBIDDEN", "meetingId"), meetingId=meeting["id"])
    assert (await succeed(api, chair, "openMeeting", meetingId=meeting["id"]))["meeting"]["state"] == "IN_SESSION"


async def test_five_of_nine_present_the_item_opens_the_personnel_item_needs_two_thirds(api, sessions, county,
                                                                                      admin):
    meeting = await _party_meeting(api, county, admin)
    await _attend(api, admin, county, meeting, NINE[:5])
    ordinary = await _item(api, admin, meeting, county, "关于县城供水管网改造项目的议题")
    personnel = await _item(api, admin, meeting, county, "关于干部任免的议题", personnel=True)
    await _sit(api, admin, meeting)

    assert (await succeed(api, admin, "openAgendaItem", itemId=ordinary))["item"]["state"] == "OPEN"
    refusal = await refused(api, sessions, admin, "openAgendaItem", expect=("QUORUM_NOT_MET", "itemId"),
                            itemId=personnel)
    assert "at least 2/3 of its 9 members" in refusal["message"] and "002 细则 §5" in refusal["message"]


async def test_an_item_is_not_taken_up_without_its_member_in_charge(api, sessions, county, admin):
    meeting = await _party_meeting(api, county, admin)
    await _attend(api, admin, county, meeting, NINE[:6])
    item = await _item(api, admin, meeting, county, "关于义务教育学校布局调整的议题", in_charge="EDU")
    await _sit(api, admin, meeting)
    refusal = await refused(api, sessions, admin, "openAgendaItem", expect=("QUORUM_NOT_MET", "itemId"), itemId=item)
    assert "member in charge" in refusal["message"]
    await _attend(api, admin, county, meeting, ["EDU"])
    assert (await succeed(api, admin, "openAgendaItem", itemId=item))["item"]["state"] == "OPEN"


async def test_the_quorum_is_checked_again_when_the_item_is_put_to_the_vote(api, sessions, county, admin):
    meeting = await _party_meeting(api, county, admin)
    await _attend(api, admin, county, meeting, NINE[:5])
    item = await _item(api, admin, meeting, county, "关于县城供水管网改造项目的议题")
    await _sit(api, admin, meeting)
    await succeed(api, admin, "openAgendaItem", itemId=item)
    await _attend(api, admin, county, meeting, ["VM3"], status="ON_LEAVE")
    await refused(api, sessions, admin, "putToVote", expect=("QUORUM_NOT_MET", "itemId"), itemId=item)


async def _vote(api, admin, item: str, county: County, choices: dict[str, str]) -> dict:
    result = None
    for code, choice in choices.items():
        result = await succeed(api, admin, "castVote", itemId=item, memberId=county.official(code), choice=choice)
    return result["item"]


async def test_four_for_of_six_present_do_not_pass_what_needs_more_than_half_of_nine(api, county, admin):
    meeting = await _party_meeting(api, county, admin)
    await _attend(api, admin, county, meeting, NINE[:6])
    items = [await _item(api, admin, meeting, county, title) for title in ("议题一", "议题二")]
    await _sit(api, admin, meeting)
    for item in items:
        await succeed(api, admin, "openAgendaItem", itemId=item)
        await succeed(api, admin, "putToVote", itemId=item)
    await _vote(api, admin, items[0], county, {"MAG": "FOR", "EVM": "FOR", "VM1": "FOR", "VM2": "FOR",
                                               "VM3": "AGAINST", "DIR": "ABSTAIN"})
    await _vote(api, admin, items[1], county, {"MAG": "FOR", "EVM": "FOR", "VM1": "FOR", "VM2": "FOR",
                                               "VM3": "FOR", "DIR": "AGAINST"})

    first = (await succeed(api, admin, "closeVote", itemId=items[0]))["item"]
    second = (await succeed(api, admin, "closeVote", itemId=items[1]))["item"]

    assert (first["state"], first["outcome"]) == ("DECIDED", "NOT_PASSED")
    assert first["tally"] == {"for": 4, "against": 1, "abstain": 1, "shouldAttend": 9, "writtenFor": 0,
                                   "writtenAgainst": 0, "close": False}
    assert second["outcome"] == "PASSED"
    assert [(v["member"]["code"], v["choice"]) for v in second["votes"]][-1] == ("DIR", "AGAINST")


async def test_an_absent_members_written_opinion_is_shown_makes_the_vote_close_and_is_never_counted(
        api, sessions, county, admin):
    meeting = await _party_meeting(api, county, admin)
    await _attend(api, admin, county, meeting, NINE[:6])
    await _attend(api, admin, county, meeting, ["FIN"], status="ON_LEAVE")
    item = await _item(api, admin, meeting, county, "关于国有资产处置的议题")
    await _sit(api, admin, meeting)
    await succeed(api, admin, "openAgendaItem", itemId=item)
    await succeed(api, admin, "putToVote", itemId=item)
    await _vote(api, admin, item, county, {"MAG": "FOR", "EVM": "FOR", "VM1": "FOR", "VM2": "FOR",
                                           "VM3": "AGAINST", "DIR": "AGAINST"})
    await refused(api, sessions, admin, "deferAgendaItem", expect=("NOT_CLOSE", "itemId"), itemId=item)

    shown = (await succeed(api, admin, "recordWrittenOpinion", itemId=item, memberId=county.official("FIN"),
                           stance="AGAINST", text="资产评估依据不足，建议暂缓。"))["item"]

    assert shown["writtenOpinions"] == [{"stance": "AGAINST", "text": "资产评估依据不足，建议暂缓。",
                                         "member": {"code": "FIN"}}]
    assert (shown["tally"]["for"], shown["tally"]["against"], shown["tally"]["writtenAgainst"],
            shown["tally"]["close"]) == (4, 2, 1, True)
    assert (await succeed(api, admin, "deferAgendaItem", itemId=item))["item"]["state"] == "DEFERRED"


async def test_bad_votes_are_refused_by_rule_and_write_nothing(api, sessions, county, admin):
    meeting = await _party_meeting(api, county, admin)
    await _attend(api, admin, county, meeting, NINE[:6])
    await _attend(api, admin, county, meeting, ["FIN"], status="ABSENT")
    item = await _item(api, admin, meeting, county, "关于县城供水管网改造项目的议题")
    await _sit(api, admin, meeting)
    await succeed(api, admin, "openAgendaItem", itemId=item)
    await refused(api, sessions, admin, "castVote", expect=("WRONG_STATE", "itemId"), itemId=item,
                  memberId=county.official("MAG"), choice="FOR")
    await succeed(api, admin, "putToVote", itemId=item)
    await _vote(api, admin, item, county, {"MAG": "FOR"})

    for member, code in [("TWN", "NOT_A_MEMBER"), ("FIN", "NOT_PRESENT"), ("MAG", "ALREADY_VOTED")]:
        await refused(api, sessions, admin, "castVote", expect=(code, "memberId"), itemId=item,
                      memberId=county.official(member), choice="AGAINST")
    await refused(api, sessions, admin, "recordWrittenOpinion", expect=("INVALID", "memberId"), itemId=item,
                  memberId=county.official("MAG"), stance="FOR", text="同意")
    await succeed(api, admin, "closeVote", itemId=item)
    await refused(api, sessions, admin, "castVote", expect=("WRONG_STATE", "itemId"), itemId=item,
                  memberId=county.official("EVM"), choice="FOR")


async def test_a_member_votes_as_themselves_and_two_at_the_same_instant_both_count(api, county, admin):
    meeting = await _party_meeting(api, county, admin)
    await _attend(api, admin, county, meeting, NINE[:6])
    item = await _item(api, admin, meeting, county, "关于县城供水管网改造项目的议题")
    await _sit(api, admin, meeting)
    await succeed(api, admin, "openAgendaItem", itemId=item)
    await succeed(api, admin, "putToVote", itemId=item)
    tokens = [await api.login(county.account(code), PASSWORD) for code in ("VM1", "VM2")]

    results = await asyncio.gather(*(mutate(api, token, "castVote", itemId=item, choice="FOR") for token in tokens))

    assert all(r["__typename"] == "AgendaItemPayload" for r in results), results
    final = (await succeed(api, admin, "closeVote", itemId=item))["item"]
    assert sorted(v["member"]["code"] for v in final["votes"]) == ["VM1", "VM2"]


async def test_in_the_standing_meeting_the_magistrate_concludes_and_nobody_votes(api, sessions):
    lulong = await build_county(sessions, code="lulong", rule_set=RuleSet.LULONG_2018)
    admin = await api.login(lulong.admin, PASSWORD)
    standing = (await bodies(api, admin))["县政府常务会议"]["id"]
    meeting = (await succeed(api, admin, "scheduleMeeting", bodyId=standing, scheduledAt=TUESDAY, place="会议室",
                             chairId=lulong.official("MAG")))["meeting"]
    item = await _item(api, admin, meeting, lulong, "关于城区道路改造的议题")
    await _sit(api, admin, meeting)
    # Lulong's standing meeting sits with more than half of its six members (003 §42).
    await _attend(api, admin, lulong, meeting, ["MAG", "EVM", "VM1"])
    await refused(api, sessions, admin, "openAgendaItem", expect=("QUORUM_NOT_MET", "itemId"), itemId=item)
    await _attend(api, admin, lulong, meeting, ["VM2"])
    await succeed(api, admin, "openAgendaItem", itemId=item)
    await refused(api, sessions, admin, "putToVote", expect=("DECISION_MODE", "itemId"), itemId=item)
    await refused(api, sessions, admin, "closeMeeting", expect=("WRONG_STATE", "meetingId"), meetingId=meeting["id"])

    decided = (await succeed(api, admin, "recordConclusion", itemId=item, conclusion="原则同意，由交通局组织实施。"))

    assert (decided["item"]["outcome"], decided["item"]["conclusion"]) == ("CHAIR_CONCLUDED", "原则同意，由交通局组织实施。")
    assert (await succeed(api, admin, "closeMeeting", meetingId=meeting["id"]))["meeting"]["state"] == "CLOSED"


async def test_an_ab_partner_counts_toward_quorum_only_where_the_body_says_so(api, sessions, county, admin):
    # Six members: the magistrate, the executive VM, the office director and three bureau chiefs.
    body = (await succeed(api, admin, "addMeetingBody", body=PARTY_GROUP | {
        "members": ["MAGISTRATE", "EXECUTIVE_VICE_MAGISTRATE", "DEPARTMENT_PRINCIPAL"]}))["meetingBody"]
    meeting = (await succeed(api, admin, "scheduleMeeting", bodyId=body["id"], scheduledAt=TUESDAY, place="会议室",
                             chairId=county.official("MAG")))["meeting"]
    item = await _item(api, admin, meeting, county, "关于县城供水管网改造项目的议题")
    await _sit(api, admin, meeting)
    await _attend(api, admin, county, meeting, ["MAG", "DIR", "FIN"])
    await _attend(api, admin, county, meeting, ["EVM"], status="ON_LEAVE")
    await refused(api, sessions, admin, "recordAttendance", expect=("INVALID", "forOfficialId"),
                  meetingId=meeting["id"], officialId=county.official("VM2"), status="PRESENT", kind="AB_PARTNER",
                  forOfficialId=county.official("EVM"))
    await succeed(api, admin, "recordAttendance", meetingId=meeting["id"], officialId=county.official("VM1"),
                  status="PRESENT", kind="AB_PARTNER", forOfficialId=county.official("EVM"))
    await refused(api, sessions, admin, "openAgendaItem", expect=("QUORUM_NOT_MET", "itemId"), itemId=item)

    await succeed(api, admin, "updateMeetingBody", id=body["id"],
                  body={k: v for k, v in body.items() if k != "id"} | {"abPartnerCountsTowardQuorum": True})

    assert (await succeed(api, admin, "openAgendaItem", itemId=item))["item"]["state"] == "OPEN"


async def test_the_magistrate_grants_a_members_leave_and_an_observer_never_counts(api, sessions, county, admin):
    body = (await succeed(api, admin, "addMeetingBody", body=PARTY_GROUP | {
        "members": ["MAGISTRATE", "EXECUTIVE_VICE_MAGISTRATE", "DEPARTMENT_PRINCIPAL"]}))["meetingBody"]
    meeting = (await succeed(api, admin, "scheduleMeeting", bodyId=body["id"], scheduledAt=TUESDAY, place="会议室",
                             chairId=county.official("MAG")))["meeting"]
    item = await _item(api, admin, meeting, county, "关于县城供水管网改造项目的议题")
    await _sit(api, admin, meeting)
    await refused(api, sessions, admin, "recordAttendance", expect=("NOT_ENTITLED", "leaveGrantedById"),
                  meetingId=meeting["id"], officialId=county.official("EVM"), status="ON_LEAVE",
                  leaveGrantedById=county.official("DIR"))
    await refused(api, sessions, admin, "recordAttendance", expect=("INVALID", "leaveGrantedById"),
                  meetingId=meeting["id"], officialId=county.official("EVM"), status="PRESENT",
                  leaveGrantedById=county.official("MAG"))
    granted = await succeed(api, admin, "recordAttendance", meetingId=meeting["id"],
                            officialId=county.official("EVM"), status="ON_LEAVE",
                            leaveGrantedById=county.official("MAG"))
    # Three of six members present: an observer counted would make it four, a quorum.
    await _attend(api, admin, county, meeting, ["MAG", "DIR", "FIN"])
    await succeed(api, admin, "recordAttendance", meetingId=meeting["id"], officialId=county.official("VM1"),
                  status="PRESENT", kind="OBSERVER")
    await refused(api, sessions, admin, "openAgendaItem", expect=("QUORUM_NOT_MET", "itemId"), itemId=item)
    rows = (await api.ok("query($id: ID!) { node(id: $id) { ... on Meeting { attendance { kind status "
                         "official { code } leaveGrantedBy { code } } } } }", {"id": meeting["id"]},
                         token=admin))["node"]["attendance"]
    by_code = {row["official"]["code"]: row for row in rows}
    assert by_code["EVM"]["leaveGrantedBy"] == {"code": "MAG"}
    assert by_code["VM1"]["kind"] == "OBSERVER" and by_code["VM1"]["leaveGrantedBy"] is None
    assert granted["meeting"]["state"] == "IN_SESSION"


MEETINGS_PAGE = """{ meetings { nodes { title chair { code } attendance { status official { code } }
  items { title votes { choice member { code } } writtenOpinions { stance member { code } }
          tally { for against shouldAttend close } } } } }"""


async def test_the_meetings_list_reads_in_the_same_statements_for_one_meeting_and_for_three(api, county, admin):
    """Attendance, items, votes, opinions and tallies come through per-request loaders, not a query a field."""
    counts = []
    body = (await succeed(api, admin, "addMeetingBody", body=PARTY_GROUP))["meetingBody"]
    for week in range(3):
        meeting = (await succeed(api, admin, "scheduleMeeting", bodyId=body["id"],
                                 scheduledAt=TUESDAY + dt.timedelta(weeks=week), place="县政府第一会议室",
                                 chairId=county.official("MAG")))["meeting"]
        item = await _item(api, admin, meeting, county, "关于县城供水管网改造项目的议题")
        await _sit(api, admin, meeting)
        await _attend(api, admin, county, meeting, NINE[:6])
        await _attend(api, admin, county, meeting, ["JUS"], status="ABSENT")
        await succeed(api, admin, "openAgendaItem", itemId=item)
        await succeed(api, admin, "putToVote", itemId=item)
        await succeed(api, admin, "recordWrittenOpinion", itemId=item, memberId=county.official("JUS"),
                      stance="FOR", text="同意")
        await _vote(api, admin, item, county, {"MAG": "FOR", "EVM": "AGAINST"})
        page = await api.call(MEETINGS_PAGE, token=admin)
        assert page.status == 200 and not page.errors, page
        assert all(i["tally"]["shouldAttend"] == 9 for m in page.data["meetings"]["nodes"] for i in m["items"])
        counts.append(page.sql_statements)
    print(f"\n[query count] meetings with attendance, items, votes, opinions, tallies: {counts} for 1, 2, 3")
    assert counts[0] == counts[1] == counts[2], counts
