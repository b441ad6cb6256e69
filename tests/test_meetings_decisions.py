"""Decisions (决定事项): recorded on decided items, carried out, suspended, changed only by the body again.

In the words of 002 (三重一大 二(五)–(八); 细则 §6(六), §11, §12) and the county rules; both engines.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from strawberry.relay import from_base64, to_base64

from db.models import AgendaItem, Meeting, MeetingBody, MeetingDecision
from domain.meetings import AttendanceStatus, MeetingState, Outcome, VoteChoice
from domain.meetings_decisions import DecisionOutcome, DecisionState, authorises, outcome_problem
from domain.roster import RuleSet
from services import meetings, meetings_decisions
from tests.county import PASSWORD, SYSTEM, County, build_county
from tests.meetings import CST, PARTY_GROUP
from tests.test_roster_admin import refused_writing_nothing

# A Thursday before the 2026 Mid-autumn / National Day holidays (Sep 25–27, Oct 1–7; Saturday Oct 10 a
# swapped workday), per chinesecalendar.
MEETING_AT = dt.datetime(2026, 9, 24, 9, 0, tzinfo=CST)
ENDED_AT = dt.datetime(2026, 9, 24, 11, 30, tzinfo=CST)
STANDING = "县政府常务会议"

DECISION = ("id outcome state text reasons deadlineOn deadlineWorkingDays dueOn supervision publishable "
            "reportToPartyCommittee changeReason suspensionReason authorisesDocuments voteResult "
            "meeting { id title } item { id title } responsibleDepartments { name } responsiblePerson { code } "
            "changeItem { id title state } supersededBy { id } documents { id title }")
_INPUTS = {
    "adoptDecision": "AdoptDecisionInput", "startDecisionExecution": "DecisionInput",
    "completeDecision": "DecisionInput", "suspendDecision": "DecisionReasonInput",
    "proposeDecisionChange": "DecisionReasonInput",
}


async def mutate(api, token: str, mutation: str, /, **input) -> dict:
    query = (f"mutation($input: {_INPUTS[mutation]}!) {{ {mutation}(input: $input) {{ __typename "
             f"... on MutationError {{ code field message }} "
             f"... on MeetingDecisionPayload {{ decision {{ {DECISION} }} }} }} }}")
    return (await api.ok(query, {"input": input}, token=token))[mutation]


async def succeed(api, token: str, mutation: str, /, **input) -> dict:
    result = await mutate(api, token, mutation, **input)
    assert result["__typename"] == "MeetingDecisionPayload", result
    return result["decision"]


async def refused(api, sessions, token: str, mutation: str, /, *, expect: tuple[str, str | None], **input) -> dict:
    return await refused_writing_nothing(sessions, lambda: mutate(api, token, mutation, **input), expect)


# ---------------------------------------------------------------- meetings, built through the services


async def body_id(sessions, county: County, name: str) -> int:
    async with sessions() as session:
        return await session.scalar(select(MeetingBody.id).where(MeetingBody.county_id == county.id,
                                                                 MeetingBody.name == name))


async def _in_session(session, county: County, body: int, titles: list[str], at: dt.datetime,
                      present: list[str] = ()) -> tuple[Meeting, list[AgendaItem]]:
    meeting = await meetings.schedule(session, body=await session.get(MeetingBody, body), scheduled_at=at,
                                      place="县政府第一会议室", chair_id=county.officials["MAG"], entrusted_by_id=None,
                                      ad_hoc_approved_by_id=None, actor=SYSTEM)
    items = [await meetings.add_item(session, meeting=meeting, title=title, is_personnel=False,
                                     member_in_charge_id=None, actor=SYSTEM) for title in titles]
    await meetings.move(session, meeting=meeting, to=MeetingState.NOTICE_SENT, actor=SYSTEM,
                        notice_sent_at=at - dt.timedelta(days=7))
    await meetings.move(session, meeting=meeting, to=MeetingState.IN_SESSION, actor=SYSTEM)
    for code in present:
        await meetings.record_attendance(session, meeting=meeting, official_id=county.officials[code],
                                         status=AttendanceStatus.PRESENT, kind=None, for_official_id=None,
                                         actor=SYSTEM)
    return meeting, items


async def concluded(sessions, county: County, *, title: str, body: str = STANDING, at: dt.datetime = MEETING_AT,
                    ended_at: dt.datetime | None = ENDED_AT, present: list[str] = ()) -> tuple[str, str]:
    """A chair-decides meeting of ``body`` that concluded on ``title``, ended at ``ended_at`` (still sitting when
    None): the meeting's and the item's global ids."""
    async with sessions() as session, session.begin():
        meeting, (item,) = await _in_session(session, county, await body_id(sessions, county, body), [title], at,
                                             present)
        await meetings.open_item(session, item=item, actor=SYSTEM)
        await meetings.record_conclusion(session, item=item, conclusion="原则同意，由县财政局牵头落实。", actor=SYSTEM)
        if ended_at is not None:
            await meetings.move(session, meeting=meeting, to=MeetingState.CLOSED, actor=SYSTEM)
            meeting.ended_at = ended_at
    return to_base64("Meeting", meeting.id), to_base64("AgendaItem", item.id)


NINE = ["MAG", "EVM", "VM1", "VM2", "VM3", "DIR", "FIN", "JUS", "EDU"]


async def voted(api, sessions, county: County, admin: str, *, title: str, votes_for: int) -> str:
    """The 002 party group of nine votes on ``title``: ``votes_for`` for, the rest against; the item's id."""
    query = ("mutation($input: AddMeetingBodyInput!) { addMeetingBody(input: $input) { __typename "
             "... on MeetingBodyPayload { meetingBody { id } } } }")
    await api.ok(query, {"input": {"body": PARTY_GROUP}}, token=admin)
    async with sessions() as session, session.begin():
        _, (item,) = await _in_session(session, county, await body_id(sessions, county, PARTY_GROUP["name"]),
                                       [title], MEETING_AT, NINE)
        await meetings.open_item(session, item=item, actor=SYSTEM)
        await meetings.start_vote(session, item=item, actor=SYSTEM)
        for n, code in enumerate(NINE):
            await meetings.cast_vote(session, item=item, official_id=county.officials[code],
                                     choice=VoteChoice.FOR if n < votes_for else VoteChoice.AGAINST, actor=SYSTEM)
        await meetings.close_vote(session, item=item, actor=SYSTEM)
    return to_base64("AgendaItem", item.id)


@pytest.fixture
async def county(sessions) -> County:
    return await build_county(sessions)


@pytest.fixture
async def admin(api, county) -> str:
    return await api.login(county.admin, PASSWORD)


# ---------------------------------------------------------------- the rules themselves


def test_a_vote_binds_the_decision_and_a_chairs_conclusion_is_the_decision():
    assert outcome_problem(Outcome.PASSED, DecisionOutcome.MODIFIED) is None
    assert "002 细则 §6(六)" in outcome_problem(Outcome.PASSED, DecisionOutcome.SHELVED)
    assert outcome_problem(Outcome.NOT_PASSED, DecisionOutcome.PASSED) is not None
    assert outcome_problem(Outcome.NOT_PASSED, DecisionOutcome.NOT_PASSED) is None
    assert all(outcome_problem(Outcome.CHAIR_CONCLUDED, o) is None for o in DecisionOutcome)


def test_only_a_passed_decision_that_stands_authorises_documents():
    assert authorises(DecisionOutcome.MODIFIED, DecisionState.IN_EXECUTION)
    assert not authorises(DecisionOutcome.SHELVED, DecisionState.ADOPTED)
    for state in (DecisionState.SUSPENDED, DecisionState.CHANGE_PENDING, DecisionState.SUPERSEDED):
        assert not authorises(DecisionOutcome.PASSED, state)


# ---------------------------------------------------------------- scenarios


async def test_the_standing_meeting_decides_a_water_project_and_names_who_carries_it_out_by_when(
        api, sessions, county, admin):
    meeting, item = await concluded(sessions, county, title="关于城乡供水一体化项目资金安排的议题")
    decision = await succeed(
        api, admin, "adoptDecision", itemId=item, outcome="PASSED", text="同意安排城乡供水一体化项目资金300万元。",
        reasons="保障农村饮水安全。", responsibleDepartmentIds=[county.department("财政局")],
        responsiblePersonId=county.official("FIN"), deadlineWorkingDays=7, supervision="县政府督查室跟踪督办",
        publishable=True, reportToPartyCommittee=True)
    assert (decision["outcome"], decision["state"], decision["voteResult"]) == ("PASSED", "ADOPTED",
                                                                                "CHAIR_CONCLUDED")
    assert decision["meeting"]["title"] == "2026年第1次县政府常务会议"
    assert [d["name"] for d in decision["responsibleDepartments"]] == ["财政局"]
    assert decision["responsiblePerson"]["code"] == "FIN" and decision["authorisesDocuments"]
    # Seven working days from the meeting's end on Thursday Sep 24: Sep 28, 29, 30, Oct 8, 9, 10 (the swapped
    # Saturday), 12 — Sep 25 is Mid-autumn, Oct 1–7 National Day.
    assert decision["dueOn"] == "2026-10-12"
    listed = await api.ok("query($m: ID) { meetingDecisions(meetingId: $m) { id } }", {"m": meeting}, token=admin)
    assert [d["id"] for d in listed["meetingDecisions"]] == [decision["id"]]


async def test_a_deadline_counted_from_the_meetings_end_waits_for_the_meeting_to_end(api, sessions, county, admin):
    _, item = await concluded(sessions, county, title="关于老旧小区改造的议题", ended_at=None)
    decision = await succeed(api, admin, "adoptDecision", itemId=item, outcome="PASSED", text="同意实施。",
                             deadlineWorkingDays=10)
    assert decision["dueOn"] is None and decision["deadlineWorkingDays"] == 10


async def test_only_a_decided_item_gets_a_decision_and_only_one(api, sessions, county, admin):
    async with sessions() as session, session.begin():
        _, (item,) = await _in_session(session, county, await body_id(sessions, county, STANDING), ["议题"],
                                       MEETING_AT)
    pending = to_base64("AgendaItem", item.id)
    await refused(api, sessions, admin, "adoptDecision", expect=("WRONG_STATE", "itemId"), itemId=pending,
                  outcome="PASSED", text="同意。")
    _, decided = await concluded(sessions, county, title="关于城区道路改造的议题")
    await succeed(api, admin, "adoptDecision", itemId=decided, outcome="PASSED", text="同意。")
    await refused(api, sessions, admin, "adoptDecision", expect=("DUPLICATE", "itemId"), itemId=decided,
                  outcome="PASSED", text="同意。")


@pytest.mark.parametrize(("field", "values"), [
    ("text", {"text": "  "}),
    ("deadlineWorkingDays", {"deadlineOn": "2026-10-30", "deadlineWorkingDays": 5}),
    ("deadlineWorkingDays", {"deadlineWorkingDays": 0}),
    ("deadlineOn", {"deadlineOn": "2026-09-01"}),
])
async def test_a_decision_needs_its_text_and_one_sensible_deadline(api, sessions, county, admin, field, values):
    _, item = await concluded(sessions, county, title="关于城区道路改造的议题")
    await refused(api, sessions, admin, "adoptDecision", expect=("INVALID", field),
                  **{"itemId": item, "outcome": "PASSED", "text": "同意。", **values})


async def test_where_the_party_group_voted_the_majority_binds_the_decision(api, sessions, county, admin):
    passed = await voted(api, sessions, county, admin, title="关于局机关办公楼维修的议题", votes_for=6)
    refusal = await refused(api, sessions, admin, "adoptDecision", expect=("OUTCOME_BOUND_BY_VOTE", "outcome"),
                            itemId=passed, outcome="SHELVED", text="搁置。")
    assert "002 细则 §6(六)" in refusal["message"]
    decision = await succeed(api, admin, "adoptDecision", itemId=passed, outcome="MODIFIED", text="修改后通过。")
    assert (decision["voteResult"], decision["authorisesDocuments"]) == ("PASSED", True)


async def test_a_vote_that_did_not_pass_is_recorded_for_the_record_and_authorises_nothing(api, sessions, county,
                                                                                          admin):
    failed = await voted(api, sessions, county, admin, title="关于购置公务用车的议题", votes_for=4)
    await refused(api, sessions, admin, "adoptDecision", expect=("OUTCOME_BOUND_BY_VOTE", "outcome"), itemId=failed,
                  outcome="PASSED", text="通过。")
    decision = await succeed(api, admin, "adoptDecision", itemId=failed, outcome="NOT_PASSED", text="不予通过。")
    assert (decision["voteResult"], decision["authorisesDocuments"]) == ("NOT_PASSED", False)


async def test_a_decision_is_carried_out_and_done_and_no_step_is_skipped(api, sessions, county, admin):
    _, item = await concluded(sessions, county, title="关于城区道路改造的议题")
    decision = (await succeed(api, admin, "adoptDecision", itemId=item, outcome="PASSED", text="同意。"))["id"]
    await refused(api, sessions, admin, "completeDecision", expect=("WRONG_STATE", "decisionId"),
                  decisionId=decision)
    assert (await succeed(api, admin, "startDecisionExecution", decisionId=decision))["state"] == "IN_EXECUTION"
    assert (await succeed(api, admin, "completeDecision", decisionId=decision))["state"] == "DONE"
    await refused(api, sessions, admin, "suspendDecision", expect=("WRONG_STATE", "decisionId"),
                  decisionId=decision, reason="暂缓。")


async def test_a_suspension_says_why_and_the_decision_then_authorises_nothing(api, sessions, county, admin):
    _, item = await concluded(sessions, county, title="关于城区道路改造的议题")
    decision = (await succeed(api, admin, "adoptDecision", itemId=item, outcome="PASSED", text="同意。"))["id"]
    await refused(api, sessions, admin, "suspendDecision", expect=("INVALID", "reason"), decisionId=decision,
                  reason=" ")
    suspended = await succeed(api, admin, "suspendDecision", decisionId=decision, reason="中期评估建议暂缓执行。")
    assert (suspended["state"], suspended["suspensionReason"], suspended["authorisesDocuments"]) == (
        "SUSPENDED", "中期评估建议暂缓执行。", False)
    listed = await api.ok("query { meetingDecisions(state: SUSPENDED) { id } }", token=admin)
    assert [d["id"] for d in listed["meetingDecisions"]] == [decision]


async def _change_decided(sessions, county: County, decision: str, *, reason: str, conclusion: str) -> str:
    """The body's next meeting (planned for Oct 15) takes up the change proposed on Sep 25 and concludes on it;
    the change item's id."""
    async with sessions() as session, session.begin():
        row = await session.get(MeetingDecision, int(from_base64(decision)[1]))
        meeting = await meetings.schedule(
            session, body=await session.get(MeetingBody, (await session.get(Meeting, row.meeting_id)).body_id),
            scheduled_at=MEETING_AT + dt.timedelta(days=21), place="县政府第一会议室",
            chair_id=county.officials["MAG"], entrusted_by_id=None, ad_hoc_approved_by_id=None, actor=SYSTEM)
        row = await meetings_decisions.propose_change(session, decision=row, reason=reason, actor=SYSTEM,
                                                      at=MEETING_AT + dt.timedelta(days=1))
        change = await session.get(AgendaItem, row.change_item_id)
        assert change.meeting_id == meeting.id
        await meetings.move(session, meeting=meeting, to=MeetingState.NOTICE_SENT, actor=SYSTEM,
                            notice_sent_at=MEETING_AT + dt.timedelta(days=14))
        await meetings.move(session, meeting=meeting, to=MeetingState.IN_SESSION, actor=SYSTEM)
        await session.refresh(change)
        await meetings.open_item(session, item=change, actor=SYSTEM)
        await meetings.record_conclusion(session, item=change, conclusion=conclusion, actor=SYSTEM)
    return to_base64("AgendaItem", change.id)


async def test_a_major_change_goes_back_to_the_body_and_waits_for_its_next_meeting(api, sessions, county, admin):
    _, item = await concluded(sessions, county, title="关于城乡供水一体化项目的议题")
    decision = (await succeed(api, admin, "adoptDecision", itemId=item, outcome="PASSED", text="同意建设。"))["id"]
    await succeed(api, admin, "startDecisionExecution", decisionId=decision)
    await refused(api, sessions, admin, "proposeDecisionChange", expect=("INVALID", "reason"), decisionId=decision,
                  reason="")
    pending = await succeed(api, admin, "proposeDecisionChange", decisionId=decision,
                            reason="投资规模由300万元调增至450万元。")
    assert (pending["state"], pending["authorisesDocuments"]) == ("CHANGE_PENDING", False)
    assert pending["changeItem"]["title"] == "关于调整“关于城乡供水一体化项目的议题”决定事项的议题"
    await refused(api, sessions, admin, "completeDecision", expect=("WRONG_STATE", "decisionId"), decisionId=decision)
    await refused(api, sessions, admin, "proposeDecisionChange", expect=("WRONG_STATE", "decisionId"),
                  decisionId=decision, reason="再次调整。")


async def test_the_changed_decision_replaces_the_old_one(api, sessions, county, admin):
    _, item = await concluded(sessions, county, title="关于城乡供水一体化项目的议题")
    old = (await succeed(api, admin, "adoptDecision", itemId=item, outcome="PASSED", text="同意建设。"))["id"]
    change = await _change_decided(sessions, county, old, reason="投资规模调增至450万元。", conclusion="同意调增。")
    new = await succeed(api, admin, "adoptDecision", itemId=change, outcome="MODIFIED", text="同意投资规模调增至450万元。")
    old_now = (await api.ok(f"query($id: ID!) {{ node(id: $id) {{ ... on MeetingDecision {{ {DECISION} }} }} }}",
                            {"id": old}, token=admin))["node"]
    assert (old_now["state"], old_now["supersededBy"]["id"], old_now["authorisesDocuments"]) == (
        "SUPERSEDED", new["id"], False)


async def test_when_the_body_keeps_the_decision_it_stands_as_it_was(api, sessions, county, admin):
    _, item = await concluded(sessions, county, title="关于城区道路改造的议题")
    old = (await succeed(api, admin, "adoptDecision", itemId=item, outcome="PASSED", text="同意。"))["id"]
    await succeed(api, admin, "startDecisionExecution", decisionId=old)
    change = await _change_decided(sessions, county, old, reason="拟缩减规模。", conclusion="维持原决定。")
    await succeed(api, admin, "adoptDecision", itemId=change, outcome="SHELVED", text="调整事项搁置，维持原决定。")
    old_now = (await api.ok("query($id: ID!) { node(id: $id) { ... on MeetingDecision { state authorisesDocuments } } }",
                            {"id": old}, token=admin))["node"]
    assert old_now == {"state": "IN_EXECUTION", "authorisesDocuments": True}


async def test_the_chair_records_the_decision_and_another_official_may_not(api, sessions, county):
    _, item = await concluded(sessions, county, title="关于城区道路改造的议题")
    await refused(api, sessions, await api.login(county.account("VM2"), PASSWORD), "adoptDecision",
                  expect=("FORBIDDEN", "itemId"), itemId=item, outcome="PASSED", text="同意。")
    chair = await api.login(county.account("MAG"), PASSWORD)
    decision = await succeed(api, chair, "adoptDecision", itemId=item, outcome="PASSED", text="同意。")
    await refused(api, sessions, await api.login(county.account("VM2"), PASSWORD), "startDecisionExecution",
                  expect=("FORBIDDEN", "decisionId"), decisionId=decision["id"])


async def test_another_countys_item_and_decision_answer_like_missing_ones(api, sessions, county, admin):
    other = await build_county(sessions, code="lulong", rule_set=RuleSet.LULONG_2018)
    _, item = await concluded(sessions, other, title="关于城区道路改造的议题", present=["MAG", "EVM", "VM1", "VM2"])
    await refused(api, sessions, admin, "adoptDecision", expect=("NOT_FOUND", "itemId"), itemId=item,
                  outcome="PASSED", text="同意。")
    theirs = (await succeed(api, await api.login(other.admin, PASSWORD), "adoptDecision", itemId=item,
                            outcome="PASSED", text="同意。"))["id"]
    await refused(api, sessions, admin, "startDecisionExecution", expect=("NOT_FOUND", "decisionId"),
                  decisionId=theirs)
    assert (await api.ok("query($id: ID!) { node(id: $id) { id } }", {"id": theirs}, token=admin))["node"] is None


LIST = """query { meetingDecisions { id text dueOn voteResult authorisesDocuments meeting { title body { name } }
  item { title } responsibleDepartments { name } responsiblePerson { name } changeItem { title }
  supersededBy { id } documents { title decision { id } } } }"""


async def test_the_decisions_list_costs_the_same_for_2_decisions_as_for_6(api, sessions, county, admin):
    async def decide(n: int) -> None:
        _, item = await concluded(sessions, county, title=f"第{n}项议题")
        await succeed(api, admin, "adoptDecision", itemId=item, outcome="PASSED", text="同意。",
                      responsibleDepartmentIds=[county.department("财政局"), county.department("教育局")],
                      responsiblePersonId=county.official("FIN"), deadlineWorkingDays=5)

    for n in range(2):
        await decide(n)
    small = await api.call(LIST, token=admin)
    for n in range(2, 6):
        await decide(n)
    large = await api.call(LIST, token=admin)
    assert not small.errors and not large.errors
    assert (len(small.data["meetingDecisions"]), len(large.data["meetingDecisions"])) == (2, 6)
    assert all(d["dueOn"] == "2026-10-09" for d in large.data["meetingDecisions"])
    assert small.sql_statements == large.sql_statements
