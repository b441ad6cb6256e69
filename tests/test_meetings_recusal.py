"""Recusal and the relation register, in the words of 002 人事 §18, §23: "讨论与会人员本人及亲属的任用时,本人应按
有关规定回避". The pure rules first, then scenarios through the API on both engines."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from db.models import Account, AuditEvent, MeetingRecusal
from domain.meetings import BodyRules, DecisionMode, Threshold
from domain.meetings_recusal import (
    AutomaticRecusal,
    PersonConcerned,
    Relation,
    RelationKind,
    automatic_recusals,
    item_base,
)
from domain.roster import AccountRole, DepartmentKind, Role
from services import roster
from tests.county import PASSWORD, SYSTEM, TERM_START, County, build_county
from tests.meetings import CST, PARTY_GROUP, refused, succeed

# ---------------------------------------------------------------- the rules themselves


def _rules(leave: bool) -> BodyRules:
    return BodyRules(name="县政府党组会议", decision_mode=DecisionMode.NAMED_VOTE, quorum=Threshold.parse(">1/2"),
                     personnel_quorum=Threshold.parse(">=2/3"), member_in_charge_must_attend=False,
                     pass_rule=Threshold.parse(">1/2"), deferral_margin=1, ab_partner_counts=False,
                     article="002 细则 §5", recused_leave_denominator=leave)


def test_a_member_up_for_appointment_or_related_to_the_candidate_is_recused():
    relations = [Relation(official_id=7, kind=RelationKind.SPOUSE, relative_id=20, relative_name=None),
                 Relation(official_id=30, kind=RelationKind.PARENT, relative_id=8, relative_name=None),
                 Relation(official_id=9, kind=RelationKind.SIBLING, relative_id=None, relative_name="卫 小明")]
    persons = [PersonConcerned("杨镇长", 20), PersonConcerned("某科长", 30), PersonConcerned("卫小明"),
               PersonConcerned("吴副县长", 3)]
    assert automatic_recusals(range(1, 10), persons, relations) == [
        AutomaticRecusal(3, "吴副县长", None),  # 本人
        AutomaticRecusal(7, "杨镇长", RelationKind.SPOUSE),
        AutomaticRecusal(8, "某科长", RelationKind.PARENT),  # the register binds both ways
        AutomaticRecusal(9, "卫小明", RelationKind.SIBLING),  # a person outside the roster, by name
    ]
    assert automatic_recusals(range(1, 10), [PersonConcerned("张三")], relations) == []


def test_a_recused_member_leaves_the_denominator_only_where_the_body_says_so():
    assert item_base(range(9), {7, 8}, _rules(leave=True)) == set(range(7))
    assert item_base(range(9), {7, 8}, _rules(leave=False)) == set(range(9))


# ---------------------------------------------------------------- scenarios

TUESDAY = dt.datetime(2026, 3, 10, 9, 0, tzinfo=CST)
A_WEEK_BEFORE = TUESDAY - dt.timedelta(weeks=1)
NINE = ["MAG", "EVM", "VM1", "VM2", "VM3", "DIR", "FIN", "JUS", "EDU"]


@pytest.fixture
async def county(sessions) -> County:
    return await build_county(sessions)


@pytest.fixture
async def admin(api, county) -> str:
    return await api.login(county.admin, PASSWORD)


async def _inspector(sessions, county: County) -> str:
    """The county's discipline inspector: the principal of its supervision body (监察), with a sign-in."""
    async with sessions() as session, session.begin():
        department = await roster.create_department(session, county_id=county.id, name="县纪委监委派驻纪检监察组",
                                                    kind=DepartmentKind.SUPERVISION, actor=SYSTEM)
        official = await roster.add_official(session, county_id=county.id, code="INS", name="孔组长", rank_order=14,
                                             actor=SYSTEM)
        await roster.appoint(session, official_id=official.id, role=Role.DEPARTMENT_PRINCIPAL, actor=SYSTEM,
                             effective_from=TERM_START, department_id=department.id)
        admin = (await session.execute(select(Account).where(Account.username == county.admin))).scalar_one()
        session.add(Account(username=county.account("INS"), password_hash=admin.password_hash,
                            role=AccountRole.OFFICIAL, county_id=county.id, official_id=official.id))
    county.officials["INS"] = official.id
    return county.account("INS")


async def _party_meeting(api, admin: str, county: County, *, leave: bool = True) -> dict:
    body = (await succeed(api, admin, "addMeetingBody",
                          body=PARTY_GROUP | {"recusedLeaveDenominator": leave}))["meetingBody"]
    assert body["recusedLeaveDenominator"] is leave
    return (await succeed(api, admin, "scheduleMeeting", bodyId=body["id"], scheduledAt=TUESDAY,
                          place="县政府第一会议室", chairId=county.official("MAG")))["meeting"]


async def _sit(api, admin: str, county: County, meeting: dict, present=NINE) -> None:
    await succeed(api, admin, "sendMeetingNotice", meetingId=meeting["id"], sentAt=A_WEEK_BEFORE)
    await succeed(api, admin, "openMeeting", meetingId=meeting["id"])
    for code in present:
        await succeed(api, admin, "recordAttendance", meetingId=meeting["id"], officialId=county.official(code),
                      status="PRESENT")


async def _item(api, admin: str, meeting: dict, title: str, personnel: bool = False) -> str:
    return (await succeed(api, admin, "addAgendaItem", meetingId=meeting["id"], title=title,
                          isPersonnel=personnel))["item"]["id"]


async def _relatives(api, admin: str, county: County) -> None:
    """韩局长 (EDU) is married to 杨镇长 (TWN); 卫局长 (FIN) is the brother of 卫小明, outside the roster."""
    await succeed(api, admin, "addOfficialRelation", officialId=county.official("EDU"), kind="SPOUSE",
                  relativeId=county.official("TWN"))
    await succeed(api, admin, "addOfficialRelation", officialId=county.official("FIN"), kind="SIBLING",
                  relativeName="卫小明", note="县交通运输局干部")


async def _candidates(api, admin: str, county: County, item: str) -> dict:
    return (await succeed(api, admin, "setPersonsConcerned", itemId=item, persons=[
        {"officialId": county.official("TWN")}, {"name": "卫小明"}]))["item"]


async def test_members_married_or_brother_to_a_candidate_are_recused_as_the_appointment_is_taken_up(
        api, sessions, county, admin):
    await _relatives(api, admin, county)
    meeting = await _party_meeting(api, admin, county)
    item = await _item(api, admin, meeting, "关于杨镇长、卫小明同志任职的议题", personnel=True)
    listed = await _candidates(api, admin, county, item)
    assert listed["personsConcerned"] == [{"name": "杨镇长", "official": {"code": "TWN"}},
                                          {"name": "卫小明", "official": None}]
    assert listed["recusals"] == []
    await _sit(api, admin, county, meeting)

    opened = (await succeed(api, admin, "openAgendaItem", itemId=item))["item"]

    assert [(r["member"]["code"], r["reason"], r["relationKind"], r["concerning"]) for r in opened["recusals"]] == [
        ("FIN", "AUTOMATIC", "SIBLING", "卫小明"), ("EDU", "AUTOMATIC", "SPOUSE", "杨镇长")]
    await succeed(api, admin, "putToVote", itemId=item)
    refusal = await refused(api, sessions, admin, "castVote", expect=("RECUSED", "memberId"), itemId=item,
                            memberId=county.official("FIN"), choice="FOR")
    assert "002 人事 §23" in refusal["message"]
    tally = (await succeed(api, admin, "castVote", itemId=item, memberId=county.official("MAG"),
                           choice="FOR"))["item"]["tally"]
    assert tally["shouldAttend"] == 7


@pytest.mark.parametrize(("leave", "should_attend", "outcome"), [(True, 7, "PASSED"), (False, 9, "NOT_PASSED")])
async def test_four_for_of_seven_who_may_vote_pass_only_where_recused_members_leave_the_denominator(
        api, county, admin, leave, should_attend, outcome):
    await _relatives(api, admin, county)
    meeting = await _party_meeting(api, admin, county, leave=leave)
    item = await _item(api, admin, meeting, "关于杨镇长、卫小明同志任职的议题", personnel=True)
    await _candidates(api, admin, county, item)
    await _sit(api, admin, county, meeting)
    await succeed(api, admin, "openAgendaItem", itemId=item)
    await succeed(api, admin, "putToVote", itemId=item)
    for code, choice in zip(["MAG", "EVM", "VM1", "VM2", "VM3", "DIR", "JUS"], ["FOR"] * 4 + ["AGAINST"] * 3):
        await succeed(api, admin, "castVote", itemId=item, memberId=county.official(code), choice=choice)

    decided = (await succeed(api, admin, "closeVote", itemId=item))["item"]

    assert (decided["tally"]["for"], decided["tally"]["shouldAttend"], decided["outcome"]) == (
        4, should_attend, outcome)


async def test_a_candidate_added_to_an_open_item_recuses_the_member_at_once(api, county, admin):
    await _relatives(api, admin, county)
    meeting = await _party_meeting(api, admin, county)
    item = await _item(api, admin, meeting, "关于杨镇长同志任职的议题", personnel=True)
    await _sit(api, admin, county, meeting)
    assert (await succeed(api, admin, "openAgendaItem", itemId=item))["item"]["recusals"] == []

    updated = (await succeed(api, admin, "setPersonsConcerned", itemId=item,
                             persons=[{"officialId": county.official("TWN")}]))["item"]

    assert [(r["member"]["code"], r["reason"]) for r in updated["recusals"]] == [("EDU", "AUTOMATIC")]


async def test_a_member_declares_and_the_office_and_the_inspector_raise_recusals(api, sessions, county, admin):
    inspector = await api.login(await _inspector(sessions, county), PASSWORD)
    meeting = await _party_meeting(api, admin, county)
    item = await _item(api, admin, meeting, "关于县教育局机关内设机构负责人任免的议题", personnel=True)
    edu, vm2 = [await api.login(county.account(code), PASSWORD) for code in ("EDU", "VM2")]

    assert (await succeed(api, edu, "recuseFromItem", itemId=item))["item"]["recusals"][0]["reason"] == "DECLARED"
    await refused(api, sessions, edu, "recuseFromItem", expect=("DUPLICATE", "memberId"), itemId=item)
    await refused(api, sessions, admin, "recuseFromItem", expect=("INVALID", "note"), itemId=item,
                  memberId=county.official("VM1"))
    await refused(api, sessions, vm2, "recuseFromItem", expect=("FORBIDDEN", "memberId"), itemId=item,
                  memberId=county.official("VM3"))
    await refused(api, sessions, admin, "recuseFromItem", expect=("NOT_A_MEMBER", "memberId"), itemId=item,
                  memberId=county.official("TWN"), note="亲属")
    await succeed(api, admin, "recuseFromItem", itemId=item, memberId=county.official("VM1"), note="其子在该局任职")
    done = await succeed(api, inspector, "recuseFromItem", itemId=item, memberId=county.official("JUS"),
                         note="近姻亲在拟任人选之列")

    assert [(r["member"]["code"], r["reason"]) for r in done["item"]["recusals"]] == [
        ("EDU", "DECLARED"), ("VM1", "RAISED_BY_OFFICE"), ("JUS", "RAISED_BY_INSPECTOR")]


async def test_a_recused_member_who_is_away_gives_no_written_opinion(api, sessions, county, admin):
    meeting = await _party_meeting(api, admin, county)
    item = await _item(api, admin, meeting, "关于干部任免的议题", personnel=True)
    await succeed(api, await api.login(county.account("EDU"), PASSWORD), "recuseFromItem", itemId=item)
    await _sit(api, admin, county, meeting, present=NINE[:8])
    await succeed(api, admin, "recordAttendance", meetingId=meeting["id"], officialId=county.official("EDU"),
                  status="ON_LEAVE")
    await refused(api, sessions, admin, "recordWrittenOpinion", expect=("RECUSED", "memberId"), itemId=item,
                  memberId=county.official("EDU"), stance="FOR", text="同意")


RELATIONS = "query($o: ID) { officialRelations(officialId: $o) { id kind relativeName official { code } } }"


async def test_only_the_roster_administrator_and_the_inspector_see_the_relation_register(api, sessions, county,
                                                                                         admin):
    inspector = await api.login(await _inspector(sessions, county), PASSWORD)
    vm1 = await api.login(county.account("VM1"), PASSWORD)
    await _relatives(api, admin, county)
    relation = (await api.ok(RELATIONS, {"o": county.official("TWN")}, token=admin))["officialRelations"]
    assert [(r["kind"], r["official"]["code"]) for r in relation] == [("SPOUSE", "EDU")]

    assert len((await api.ok(RELATIONS, {}, token=inspector))["officialRelations"]) == 2
    assert (await api.ok(RELATIONS, {}, token=vm1))["officialRelations"] == []
    node = await api.ok("query($id: ID!) { node(id: $id) { id } }", {"id": relation[0]["id"]}, token=vm1)
    assert node["node"] is None
    await refused(api, sessions, vm1, "removeOfficialRelation", expect=("NOT_FOUND", "id"), id=relation[0]["id"])
    await refused(api, sessions, vm1, "addOfficialRelation", expect=("FORBIDDEN", "officialId"),
                  officialId=county.official("VM2"), kind="CHILD", relativeName="郑某")

    assert (await succeed(api, inspector, "removeOfficialRelation", id=relation[0]["id"]))["removedId"] == \
        relation[0]["id"]
    async with sessions() as session:
        actions = (await session.execute(select(AuditEvent.action).where(
            AuditEvent.entity == "official_relation").order_by(AuditEvent.id))).scalars().all()
    assert actions == ["official_relation.add", "official_relation.add", "official_relation.remove"]


@pytest.mark.parametrize(("relative", "field", "code"), [
    ({"relativeId": "TWN", "relativeName": "杨某"}, "relativeName", "INVALID"),
    ({}, "relativeName", "INVALID"),
    ({"relativeName": "  "}, "relativeName", "INVALID"),
    ({"relativeId": "EDU"}, "relativeId", "INVALID"),
    ({"relativeId": "TWN"}, "relativeId", "DUPLICATE"),
])
async def test_a_relation_names_one_relative_once(api, sessions, county, admin, relative, field, code):
    await _relatives(api, admin, county)
    given = {k: county.official(v) if k == "relativeId" else v for k, v in relative.items()}
    await refused(api, sessions, admin, "addOfficialRelation", expect=(code, field),
                  officialId=county.official("EDU"), kind="SPOUSE", **given)


async def test_recusals_stop_once_the_vote_has_started(api, sessions, county, admin):
    meeting = await _party_meeting(api, admin, county)
    item = await _item(api, admin, meeting, "关于干部任免的议题", personnel=True)
    await _sit(api, admin, county, meeting)
    await succeed(api, admin, "openAgendaItem", itemId=item)
    await succeed(api, admin, "putToVote", itemId=item)
    await refused(api, sessions, await api.login(county.account("EDU"), PASSWORD), "recuseFromItem",
                  expect=("WRONG_STATE", "itemId"), itemId=item)
    async with sessions() as session:
        assert (await session.execute(select(MeetingRecusal))).first() is None



async def test_the_register_costs_the_same_for_two_relations_as_for_eight(api, county, admin):
    counts, recorded = [], 0
    for total in (2, 8):
        for n in range(recorded, total):
            await succeed(api, admin, "addOfficialRelation", officialId=county.official("VM3"), kind="OTHER_BLOOD",
                          relativeName=f"王某{n}")
        recorded = total
        response = await api.call("{ officialRelations { kind relativeName official { code } relative { code } } }",
                                   {}, token=admin)
        assert not response.errors and len(response.data["officialRelations"]) == total
        counts.append(response.sql_statements)
    assert counts[0] == counts[1]
