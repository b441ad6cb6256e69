"""Handling within the county's time limits (限时办结: 000 §56; 001 §14; 003 §30), reminders, and the lists.

The seeds name the limits without numbers: each rule set ships documented defaults, copied into the county
when it is created, edited by its administrator (audited). The sweeper reminds once per lapsed step. Both engines.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update

from db.models import AuditEvent
from db.models_proposals import Proposal, ProposalReminder
from domain.roster import RuleSet
from services import deadlines, proposals, tenancy
from services.calendar import calendar_for
from tests.county import SYSTEM, County, build_county
from tests.test_proposals_handling import (
    SignIns,
    _row,
    assigned,
    enter_years,
    in_progress,
    registered,
    succeed,
    today,
)
from tests.test_roster_admin import snapshot

LIMITS = "step workingDays article countedFrom"
SET_LIMIT = f"""mutation($input: SetProposalTimeLimitInput!) {{ setProposalTimeLimit(input: $input) {{ __typename
  ... on MutationError {{ code field message }}
  ... on ProposalTimeLimitsPayload {{ timeLimits {{ {LIMITS} }} }} }} }}"""


@pytest.fixture
async def county(sessions) -> County:
    county = await build_county(sessions)
    await enter_years(sessions, county, today().year, today().year + 1)
    return county


@pytest.fixture
def tokens(api, county) -> SignIns:
    return SignIns(api, county)


async def limits(api, token: str) -> list[dict]:
    return (await api.ok(f"{{ proposalTimeLimits {{ {LIMITS} }} }}", token=token))["proposalTimeLimits"]


async def set_limit(api, token: str, **input) -> dict:
    return (await api.ok(SET_LIMIT, {"input": input}, token=token))["setProposalTimeLimit"]


async def test_each_county_gets_its_rule_sets_limits_and_its_administrator_edits_them(api, sessions, county, tokens):
    admin = await tokens("admin")
    assert await limits(api, admin) == [
        {"step": "ASSIGN", "workingDays": 10, "article": "001 §14", "countedFrom": "received"},
        {"step": "ACCEPT", "workingDays": 5, "article": "001 §14", "countedFrom": "assigned"},
        {"step": "REPLY", "workingDays": 60, "article": "001 §14", "countedFrom": "assigned"},
        {"step": "PUBLISH", "workingDays": 20, "article": "001 §14", "countedFrom": "replied"}]
    for code, rule_set, articles in (("lulong", RuleSet.LULONG_2018, ["003 §30"] * 4),
                                     # 000 asks no publication of the result: no clock for it.
                                     ("generic", RuleSet.GENERIC_2022, ["000 §56(五)", "000 §56(一)",
                                                                        "000 §27 §56(二)"])):
        async with sessions() as session, session.begin():
            other = await tenancy.create_county(session, code=code, name=code, rule_set=rule_set, actor=SYSTEM)
            assert [row.article for row in await proposals.time_limits_of(session, county_id=other.id)] == articles

    # Only the county's administrator edits them; bad values are refused and write nothing.
    before = await snapshot(sessions)
    assert (await set_limit(api, await tokens("DIR"), step="ACCEPT", workingDays=3, article="001 §14"))["code"] == \
        "FORBIDDEN"
    refused = await set_limit(api, admin, step="ACCEPT", workingDays=0, article="001 §14")
    assert (refused["code"], refused["field"]) == ("INVALID", "workingDays")
    refused = await set_limit(api, admin, step="ACCEPT", workingDays=3, article=" ")
    assert (refused["code"], refused["field"]) == ("INVALID", "article")
    assert await snapshot(sessions) == before

    changed = await set_limit(api, admin, step="ACCEPT", workingDays=3, article="001 §14；县政府办公室交办通知")
    assert changed["timeLimits"][1] == {"step": "ACCEPT", "workingDays": 3, "article": "001 §14；县政府办公室交办通知",
                                        "countedFrom": "assigned"}
    removed = await set_limit(api, admin, step="PUBLISH", workingDays=None)
    assert [row["step"] for row in removed["timeLimits"]] == ["ASSIGN", "ACCEPT", "REPLY"]
    assert (await set_limit(api, admin, step="PUBLISH", workingDays=None))["code"] == "NOT_FOUND"
    async with sessions() as session:
        audited = list((await session.execute(select(AuditEvent).where(
            AuditEvent.action == "proposal_time_limit.set").order_by(AuditEvent.seq))).scalars())
    assert [(e.before["working_days"], e.after) for e in audited] == [
        (5, {"step": "accept", "working_days": 3, "article": "001 §14；县政府办公室交办通知"}),
        (20, {"step": "publish"})]


async def test_a_lapsed_step_is_reminded_once_and_the_next_step_runs_on_its_own_clock(api, sessions, county, tokens):
    office = await tokens("DDIR1")
    await set_limit(api, await tokens("admin"), step="ACCEPT", workingDays=3, article="001 §14")
    proposal = await assigned(api, county, office)
    async with sessions() as session:
        calendar = await calendar_for(session, county_id=county.id)
        row = await session.get(Proposal, _row(proposal["id"]))
    assert row.due_at == calendar.due_after(row.assigned_at, 3)  # counted from the assignment, on working days

    assert (await deadlines.sweep(sessions, now=row.due_at - dt.timedelta(seconds=1))).proposals_reminded == 0
    lapsed = row.due_at + dt.timedelta(minutes=1)
    assert (await deadlines.sweep(sessions, now=lapsed)).proposals_reminded == 1
    assert (await deadlines.sweep(sessions, now=lapsed + dt.timedelta(days=3))).proposals_reminded == 0
    async with sessions() as session:
        reminders = list((await session.execute(select(ProposalReminder))).scalars())
        audited = await session.scalar(select(AuditEvent).where(AuditEvent.action == "proposal.reminded"))
    assert [(r.step.value, r.due_at) for r in reminders] == [("accept", row.due_at)]
    assert audited.after["told"] == [county.officials["FIN"]] and "001 §14" in audited.after["note"]

    # Accepted late: the reply's clock counts from the assignment all the same, and lapses on its own.
    await succeed(api, await tokens("FIN"), "acceptProposal", proposalId=proposal["id"],
                  handlerId=county.official("FIN2"))
    async with sessions() as session:
        row = await session.get(Proposal, _row(proposal["id"]))
    assert row.due_at == calendar.due_after(row.assigned_at, 60)
    assert (await deadlines.sweep(sessions, now=row.due_at + dt.timedelta(minutes=1))).proposals_reminded == 1
    proposal = (await api.ok("query($id: ID!) { node(id: $id) { ... on Proposal { history { kind note } } } }",
                             {"id": proposal["id"]}, token=office))["node"]
    assert [line["kind"] for line in proposal["history"]] == ["REGISTERED", "ASSIGNED", "REMINDED", "ACCEPTED",
                                                              "REMINDED"]
    assert proposal["history"][-1]["note"].startswith("办公室催办：县十八届人大三次会议第12号建议答复已逾期")


async def test_a_clock_that_runs_into_a_year_nobody_entered_says_so_instead_of_guessing(api, sessions, tokens):
    county = await build_county(sessions, code="qingxi")
    await enter_years(sessions, county, today().year)
    tokens = SignIns(api, county)
    # About a year's working days: the count runs into next year, which nobody has entered.
    await set_limit(api, await tokens("admin"), step="REPLY", workingDays=250, article="001 §14")
    proposal = await in_progress(api, county, await tokens("DDIR1"), await tokens("FIN"), await tokens("FIN2"))
    assert (proposal["dueStep"], proposal["dueAt"], proposal["dueArticle"]) == ("REPLY", None, "001 §14")
    assert str(today().year + 1) in proposal["dueProblem"]
    assert (await deadlines.sweep(sessions)).proposals_reminded == 0


LIST = """query($filter: ProposalFilter, $first: Int) { proposals(filter: $filter, first: $first) { totalCount
  edges { node { designation state overdue leadUnit { name } coUnits { name } handler { name }
    responsiblePrincipal { name } contacts { person recordedBy { name } } history { kind actor { name } } } } } }"""


async def listed(api, token: str, **filter) -> list[str]:
    data = await api.ok(LIST, {"filter": filter}, token=token)
    return [edge["node"]["designation"] for edge in data["proposals"]["edges"]]


async def test_the_list_filters_by_kind_session_state_unit_and_overdue_in_the_same_statements_for_1_and_3(
        api, sessions, county, tokens):
    office = await tokens("DDIR1")
    for number in (1, 2, 3):
        await in_progress(api, county, office, await tokens("FIN"), await tokens("FIN2"), number=number)
    cppcc = "县政协十一届三次会议"
    await registered(api, office, kind="CPPCC_PROPOSAL", session=cppcc, number=1, title="关于发展乡村旅游的提案")
    education = await registered(api, office, kind="CPPCC_PROPOSAL", session=cppcc, number=2, title="关于校车的提案")
    await succeed(api, office, "assignProposal", proposalId=education["id"], leadDepartmentId=county.department("教育局"),
                  coDepartmentIds=[county.department("财政局")])
    await registered(api, office, kind="NPC_BILL", number=1, title="关于制定城区停车管理办法的议案")

    assert await listed(api, office) == [
        "县十八届人大三次会议第1号议案", "县政协十一届三次会议第2号提案", "县政协十一届三次会议第1号提案",
        "县十八届人大三次会议第3号建议", "县十八届人大三次会议第2号建议", "县十八届人大三次会议第1号建议"]
    assert await listed(api, office, kind="CPPCC_PROPOSAL") == ["县政协十一届三次会议第2号提案",
                                                                "县政协十一届三次会议第1号提案"]
    assert await listed(api, office, session=cppcc, states=["RECEIVED"]) == ["县政协十一届三次会议第1号提案"]
    # A unit's list holds what it leads and what it co-handles.
    assert await listed(api, office, unitId=county.department("财政局")) == [
        "县政协十一届三次会议第2号提案", "县十八届人大三次会议第3号建议", "县十八届人大三次会议第2号建议",
        "县十八届人大三次会议第1号建议"]
    assert await listed(api, office, unitId=county.department("交通运输局"), states=["IN_PROGRESS"]) == [
        "县十八届人大三次会议第3号建议", "县十八届人大三次会议第2号建议", "县十八届人大三次会议第1号建议"]

    # Time passes on the second suggestion's reply: it is overdue, the others are not.
    async with sessions() as session, session.begin():
        await session.execute(update(Proposal).where(Proposal.number == 2, Proposal.session != cppcc)
                              .values(due_at=dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=1)))
    assert await listed(api, office, overdue=True) == ["县十八届人大三次会议第2号建议"]

    # Nested lists through the request's loaders: a page of three costs what a page of one does.
    handled = {"states": ["IN_PROGRESS"]}
    small = await api.call(LIST, {"filter": handled, "first": 1}, token=office)
    large = await api.call(LIST, {"filter": handled, "first": 3}, token=office)
    assert not small.errors and not large.errors and len(large.data["proposals"]["edges"]) == 3
    assert small.sql_statements == large.sql_statements
