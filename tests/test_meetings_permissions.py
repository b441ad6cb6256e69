"""Who may do what at a meeting, through the access policy; and explainMeetingAction, which says so.

The government office schedules, sends notices, records attendance and lists items (001 §22); the chair
opens and closes, takes items up, puts them to the vote, declares, defers and concludes; members cast
their own vote and written opinion, and the office records a show of hands on a member's behalf; the
county administrator edits the bodies. Every refusal writes nothing.
"""

from __future__ import annotations

import datetime as dt

import pytest
from strawberry.relay import to_base64

from domain.roster import RuleSet
from tests.county import PASSWORD, County, build_county
from tests.meetings import CST, PARTY_GROUP, bodies, refused, succeed
from tests.test_roster_admin import snapshot

TUESDAY = dt.datetime(2026, 3, 10, 9, 0, tzinfo=CST)
A_WEEK_BEFORE = TUESDAY - dt.timedelta(weeks=1)
NINE = ["MAG", "EVM", "VM1", "VM2", "VM3", "DIR", "FIN", "JUS", "EDU"]


@pytest.fixture
async def county(sessions) -> County:
    return await build_county(sessions)


class Desks:
    """Tokens of the people at a meeting: the county administrator, the office (a deputy director), the chair."""

    def __init__(self, api, county: County, tokens: dict[str, str]) -> None:
        self.api, self.county, self.tokens = api, county, tokens

    async def of(self, code: str) -> str:
        if code not in self.tokens:
            self.tokens[code] = await self.api.login(self.county.account(code), PASSWORD)
        return self.tokens[code]


@pytest.fixture
async def desks(api, county) -> Desks:
    return Desks(api, county, {"ADMIN": await api.login(county.admin, PASSWORD)})


async def _party_meeting(api, desks: Desks, *, present: list[str], items: tuple[str, ...] = (),
                         personnel: tuple[str, ...] = ()) -> tuple[dict, list[str]]:
    """The 002 party group of nine: scheduled by the office with its items on the notice, opened by the magistrate
    in the chair, ``present`` recorded present by the office."""
    county, office = desks.county, await desks.of("DDIR1")
    body = (await succeed(api, await desks.of("ADMIN"), "addMeetingBody", body=PARTY_GROUP))["meetingBody"]
    meeting = (await succeed(api, office, "scheduleMeeting", bodyId=body["id"], scheduledAt=TUESDAY,
                             place="县政府第一会议室", chairId=county.official("MAG")))["meeting"]
    listed = [(await succeed(api, office, "addAgendaItem", meetingId=meeting["id"], title=title,
                             isPersonnel=title in personnel))["item"]["id"] for title in (*items, *personnel)]
    await succeed(api, office, "sendMeetingNotice", meetingId=meeting["id"], sentAt=A_WEEK_BEFORE)
    await succeed(api, await desks.of("MAG"), "openMeeting", meetingId=meeting["id"])
    for code in present:
        await succeed(api, office, "recordAttendance", meetingId=meeting["id"], officialId=county.official(code),
                      status="PRESENT")
    return meeting, listed


WATER = "关于县城供水管网改造项目的议题"
CADRES = "关于干部任免的议题"


# ---------------------------------------------------------------- the office


async def test_the_office_schedules_a_meeting_and_a_vice_magistrate_may_not(api, sessions, county, desks):
    standing = (await bodies(api, await desks.of("ADMIN")))["县政府常务会议"]["id"]
    refusal = await refused(api, sessions, await desks.of("VM2"), "scheduleMeeting", expect=("FORBIDDEN", "bodyId"),
                            bodyId=standing, scheduledAt=TUESDAY, place="会议室", chairId=county.official("MAG"))
    assert "the government office" in refusal["message"] and "001 §22" in refusal["message"]
    meeting = await succeed(api, await desks.of("DDIR1"), "scheduleMeeting", bodyId=standing, scheduledAt=TUESDAY,
                            place="会议室", chairId=county.official("MAG"))
    assert meeting["meeting"]["title"] == "2026年第1次县政府常务会议"


async def test_the_chair_neither_records_attendance_nor_lists_items_the_office_does(api, sessions, county, desks):
    standing = (await bodies(api, await desks.of("ADMIN")))["县政府常务会议"]["id"]
    meeting = (await succeed(api, await desks.of("DDIR1"), "scheduleMeeting", bodyId=standing, scheduledAt=TUESDAY,
                             place="会议室", chairId=county.official("MAG")))["meeting"]
    chair = await desks.of("MAG")
    await refused(api, sessions, chair, "recordAttendance", expect=("FORBIDDEN", "meetingId"),
                  meetingId=meeting["id"], officialId=county.official("VM1"), status="PRESENT")
    await refused(api, sessions, chair, "addAgendaItem", expect=("FORBIDDEN", "meetingId"), meetingId=meeting["id"],
                  title=WATER)
    await refused(api, sessions, chair, "cancelMeeting", expect=("FORBIDDEN", "meetingId"), meetingId=meeting["id"])
    recorded = await succeed(api, await desks.of("DIR"), "recordAttendance", meetingId=meeting["id"],
                             officialId=county.official("VM1"), status="ON_LEAVE")
    assert {"status": "ON_LEAVE", "official": {"code": "VM1"}, "kind": "MEMBER", "attendingFor": None} in \
        recorded["meeting"]["attendance"]
    assert (await succeed(api, await desks.of("DDIR2"), "addAgendaItem", meetingId=meeting["id"],
                          title=WATER))["item"]["state"] == "SCHEDULED"


# ---------------------------------------------------------------- the chair


async def test_the_chair_runs_the_sitting_and_the_office_may_not(api, sessions, desks):
    meeting, [item] = await _party_meeting(api, desks, present=NINE[:6], items=(WATER,))
    office, chair = await desks.of("DDIR1"), await desks.of("MAG")
    await refused(api, sessions, office, "openAgendaItem", expect=("FORBIDDEN", "itemId"), itemId=item)
    assert (await succeed(api, chair, "openAgendaItem", itemId=item))["item"]["state"] == "OPEN"
    await refused(api, sessions, await desks.of("VM1"), "putToVote", expect=("FORBIDDEN", "itemId"), itemId=item)
    assert (await succeed(api, chair, "putToVote", itemId=item))["item"]["state"] == "VOTING"
    await refused(api, sessions, office, "closeVote", expect=("FORBIDDEN", "itemId"), itemId=item)
    await refused(api, sessions, office, "closeMeeting", expect=("FORBIDDEN", "meetingId"), meetingId=meeting["id"])


# ---------------------------------------------------------------- members


async def test_a_member_casts_their_own_vote_and_nobody_elses(api, sessions, county, desks):
    meeting, [item] = await _party_meeting(api, desks, present=NINE[:6], items=(WATER,))
    chair = await desks.of("MAG")
    await succeed(api, chair, "openAgendaItem", itemId=item)
    await succeed(api, chair, "putToVote", itemId=item)
    voted = await succeed(api, await desks.of("VM1"), "castVote", itemId=item, choice="FOR")
    assert voted["item"]["votes"] == [{"choice": "FOR", "member": {"code": "VM1"}}]
    # Another member's vote is the office's to record, not a fellow member's.
    refusal = await refused(api, sessions, await desks.of("VM2"), "castVote", expect=("FORBIDDEN", "memberId"),
                            itemId=item, memberId=county.official("VM3"), choice="AGAINST")
    assert "on their behalf" in refusal["message"]
    # An official who is no member of the party group has no vote of their own here.
    refusal = await refused(api, sessions, await desks.of("FIN2"), "castVote", expect=("FORBIDDEN", "itemId"),
                            itemId=item, choice="FOR")
    assert "a member of the meeting" in refusal["message"] and "002 细则 §6(五)" in refusal["message"]


async def test_the_office_records_a_show_of_hands_naming_who_recorded_it_for_whom(api, sessions, county, desks):
    meeting, [item] = await _party_meeting(api, desks, present=NINE[:6], items=(WATER,))
    chair = await desks.of("MAG")
    await succeed(api, chair, "openAgendaItem", itemId=item)
    await succeed(api, chair, "putToVote", itemId=item)
    await succeed(api, await desks.of("DDIR1"), "castVote", itemId=item, memberId=county.official("EVM"),
                  choice="AGAINST")
    await succeed(api, await desks.of("VM1"), "castVote", itemId=item, choice="FOR")
    data = await api.ok("query($id: ID!) { node(id: $id) { ... on AgendaItem { votes { choice route member { code } "
                        "recordedBy { code } } } } }", {"id": item}, token=chair)
    assert data["node"]["votes"] == [
        {"choice": "AGAINST", "route": "SHOW_OF_HANDS", "member": {"code": "EVM"}, "recordedBy": {"code": "DDIR1"}},
        {"choice": "FOR", "route": "IN_PERSON", "member": {"code": "VM1"}, "recordedBy": None}]


async def test_an_absent_member_gives_their_own_written_opinion(api, sessions, county, desks):
    meeting, [item] = await _party_meeting(api, desks, present=NINE[:6], items=(WATER,))
    await succeed(api, await desks.of("DDIR1"), "recordAttendance", meetingId=meeting["id"],
                  officialId=county.official("JUS"), status="ABSENT")
    await refused(api, sessions, await desks.of("EDU"), "recordWrittenOpinion", expect=("FORBIDDEN", "memberId"),
                  itemId=item, memberId=county.official("JUS"), stance="AGAINST", text="不同意")
    given = await succeed(api, await desks.of("JUS"), "recordWrittenOpinion", itemId=item,
                          memberId=county.official("JUS"), stance="FOR", text="同意")
    assert given["item"]["writtenOpinions"] == [{"stance": "FOR", "text": "同意", "member": {"code": "JUS"}}]


# ---------------------------------------------------------------- bodies


async def test_the_county_administrator_edits_the_bodies_and_the_office_may_not(api, sessions, desks):
    body = (await succeed(api, await desks.of("ADMIN"), "addMeetingBody", body=PARTY_GROUP))["meetingBody"]
    await refused(api, sessions, await desks.of("DIR"), "updateMeetingBody", expect=("FORBIDDEN", "id"),
                  id=body["id"], body={**PARTY_GROUP, "deferralMargin": 2})
    await refused(api, sessions, await desks.of("DIR"), "addMeetingBody", expect=("FORBIDDEN", "countyId"),
                  body={**PARTY_GROUP, "name": "县政府党组扩大会议"})


# ---------------------------------------------------------------- explain

EXPLAIN = """query($action: MeetingAction!, $meeting: ID, $item: ID) {
  explainMeetingAction(action: $action, meetingId: $meeting, itemId: $item) {
    allowed reason code rule { rule article } quorum { members present threshold met } } }"""


async def _explain(api, token: str, action: str, *, meeting: str | None = None, item: str | None = None) -> dict:
    data = await api.ok(EXPLAIN, {"action": action, "meeting": meeting, "item": item}, token=token)
    return data["explainMeetingAction"]


async def test_explain_says_a_personnel_item_lacks_its_two_thirds_and_writes_nothing(api, sessions, desks):
    meeting, [ordinary, personnel] = await _party_meeting(api, desks, present=NINE[:5], items=(WATER,),
                                                          personnel=(CADRES,))
    chair = await desks.of("MAG")
    before = await snapshot(sessions)
    refused_ = await _explain(api, chair, "OPEN_ITEM", item=personnel)
    allowed = await _explain(api, chair, "OPEN_ITEM", item=ordinary)
    assert await snapshot(sessions) == before, "explaining wrote something"
    assert (refused_["allowed"], refused_["code"]) == (False, "QUORUM_NOT_MET")
    assert "at least 2/3 of its 9 members" in refused_["reason"] and "002 细则 §5" in refused_["reason"]
    assert refused_["quorum"] == {"members": 9, "present": 5, "threshold": ">=2/3", "met": False}
    assert (allowed["allowed"], allowed["code"]) == (True, None)
    assert allowed["quorum"] == {"members": 9, "present": 5, "threshold": ">1/2", "met": True}
    assert allowed["rule"] == {"rule": "meeting_chair:run", "article": "002 细则 §6"}
    # And the mutation agrees.
    await refused(api, sessions, chair, "openAgendaItem", expect=("QUORUM_NOT_MET", "itemId"), itemId=personnel)


async def test_explain_names_who_may_send_the_notice_and_why_a_late_one_is_refused(api, county, desks):
    standing = (await bodies(api, await desks.of("ADMIN")))["县政府常务会议"]["id"]
    meeting = (await succeed(api, await desks.of("DDIR1"), "scheduleMeeting", bodyId=standing, scheduledAt=TUESDAY,
                             place="会议室", chairId=county.official("MAG")))["meeting"]
    vm = await _explain(api, await desks.of("VM2"), "SEND_NOTICE", meeting=meeting["id"])
    assert (vm["allowed"], vm["code"], vm["rule"]) == (False, "FORBIDDEN",
                                                       {"rule": "meetings:manage", "article": "001 §22"})
    assert "the government office" in vm["reason"]
    # The office may send notices, but this meeting's day has passed: the notice would be late.
    office = await _explain(api, await desks.of("DDIR1"), "SEND_NOTICE", meeting=meeting["id"])
    assert (office["allowed"], office["code"]) == (False, "NOTICE_TOO_LATE")
    assert "002 细则 §6(三)" in office["reason"]


async def test_explain_in_a_named_vote_body_there_is_no_chairs_conclusion_and_only_members_vote(api, desks):
    meeting, [item] = await _party_meeting(api, desks, present=NINE[:6], items=(WATER,))
    chair = await desks.of("MAG")
    await succeed(api, chair, "openAgendaItem", itemId=item)
    conclusion = await _explain(api, chair, "RECORD_CONCLUSION", item=item)
    assert (conclusion["allowed"], conclusion["code"]) == (False, "DECISION_MODE")
    not_yet = await _explain(api, await desks.of("VM1"), "CAST_VOTE", item=item)
    assert (not_yet["allowed"], not_yet["code"]) == (False, "WRONG_STATE")
    await succeed(api, chair, "putToVote", itemId=item)
    assert (await _explain(api, await desks.of("VM1"), "CAST_VOTE", item=item))["allowed"] is True
    outsider = await _explain(api, await desks.of("FIN2"), "CAST_VOTE", item=item)
    assert (outsider["allowed"], outsider["code"]) == (False, "FORBIDDEN")


async def test_explain_asks_about_an_item_action_by_its_item(api, desks):
    meeting, _ = await _party_meeting(api, desks, present=[])
    response = await api.call(EXPLAIN, {"action": "OPEN_ITEM", "meeting": meeting["id"]},
                              token=await desks.of("MAG"))
    assert response.error_codes == ["BAD_USER_INPUT"]


async def test_explain_answers_another_countys_meeting_or_item_like_a_missing_one(api, sessions, desks):
    other = await build_county(sessions, code="lulong", rule_set=RuleSet.LULONG_2018)
    their_office = await api.login(other.account("DDIR1"), PASSWORD)
    their_body = (await bodies(api, their_office))["县政府常务会议"]["id"]
    theirs = (await succeed(api, their_office, "scheduleMeeting", bodyId=their_body, scheduledAt=TUESDAY,
                            place="会议室", chairId=other.official("MAG")))["meeting"]
    their_item = (await succeed(api, their_office, "addAgendaItem", meetingId=theirs["id"], title=WATER))["item"]
    mine = await desks.of("DDIR1")
    for action, argument, foreign, type_name in [("SEND_NOTICE", "meeting", theirs["id"], "Meeting"),
                                                 ("OPEN_ITEM", "item", their_item["id"], "AgendaItem")]:
        answers = [await api.call(EXPLAIN, {"action": action, argument: bad}, token=mine)
                   for bad in (foreign, to_base64(type_name, 10**12))]
        assert [(a.data, a.error_codes, a.errors[0]["message"]) for a in answers] == \
            [(None, ["NOT_FOUND"], f"No such {'meeting' if type_name == 'Meeting' else 'agenda item'}.")] * 2
