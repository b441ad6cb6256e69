"""Supervision items (督办事项): numbered by the supervision office, delivered to the lead unit, accepted by its
principal (or their cover), reported on, verified and closed or reopened (000 §48; 003 §46, §53); both engines.
"""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from sqlalchemy import select, text

from db.engine import create_engine
from db.migrate import upgrade
from db.models import AuditEvent, utcnow
from db.models_duties import Duty
from domain.documents import Route
from domain.roster import AbsenceReason, RuleSet, local_date
from domain.supervision import ItemState, SourceKind, Step, number, refusal, target
from policies.supervision import read_rules
from domain import calendar as calendar_module
from services import roster, supervision, tenancy
from services.calendar import calendar_for
from tests.county import PASSWORD, SYSTEM, County, build_county
from tests.supervision import RULES, enter_numbers, item, known_years, refused, succeed

TODAY = local_date(utcnow())
YEAR = TODAY.year
LATER = TODAY + dt.timedelta(days=60)


@pytest.fixture
async def county(sessions) -> County:
    return await build_county(sessions)


@pytest.fixture
async def admin(api, county) -> str:
    return await api.login(county.admin, PASSWORD)


@pytest.fixture
async def office(api, county) -> str:
    """冯主任, director of the government office: the supervision office (督查室) is its staff."""
    return await api.login(county.account("DIR"), PASSWORD)


async def login(api, county: County, code: str) -> str:
    return await api.login(county.account(code), PASSWORD)


async def open_for_finance(api, office: str, county: County, **extra) -> dict:
    """The magistrate's instruction for the finance bureau, the education bureau co-operating."""
    return await succeed(api, office, "openSupervisionItem", instruction="抓紧拨付城乡供水一体化项目资金，确保年底前通水。",
                         instructedById=county.official("MAG"), instructedOn=TODAY,
                         leadDepartmentId=county.department("财政局"), coDepartmentIds=[county.department("教育局")],
                         responsibleOfficialId=county.official("FIN2"), **extra)


async def open_duties(sessions, item_gid: str) -> set[tuple[str, int]]:
    from strawberry.relay import from_base64

    item_id = int(from_base64(item_gid)[1])
    async with sessions() as session:
        rows = await session.execute(select(Duty.task, Duty.official_id).where(
            Duty.subject_id == item_id, Duty.settled_at.is_(None)))
        return set(rows.all())


# ---------------------------------------------------------------- the rules themselves


def test_the_state_machine_moves_only_as_the_office_and_the_unit_act():
    assert target(ItemState.REGISTERED, Step.ASSIGN) == ItemState.ASSIGNED
    assert target(ItemState.ASSIGNED, Step.REPORT_RESULT) is None
    assert target(ItemState.ACCEPTED, Step.REPORT_RESULT) == ItemState.RESULT_REPORTED
    assert target(ItemState.REOPENED, Step.REPORT_PROGRESS) == ItemState.IN_PROGRESS
    assert target(ItemState.IN_PROGRESS, Step.CLOSE) is None and "000 §48" in refusal(ItemState.IN_PROGRESS,
                                                                                      Step.CLOSE)
    assert target(ItemState.RESULT_REPORTED, Step.REOPEN) == ItemState.REOPENED
    assert target(ItemState.CLOSED, Step.REOPEN) is None
    assert number("督", 2026, 37) == "督〔2026〕37号"


def test_every_rule_set_ships_a_prefix_and_a_default_class_with_documented_numbers():
    for rule_set in RuleSet:
        rules = read_rules(rule_set)
        (default,) = [c for c in rules.classes if c.default]
        assert rules.prefix == "督" and rules.prefix_article and default.article
        # No seed sets the numbers (000 §48 按照规定时限; 001 §37 names "13710" without defining it): the shipped
        # ones are the county's choice, so that items are delivered, reminded and escalated out of the box.
        assert (default.working_days, default.remind_before_days, default.escalate_after_days) == (15, 3, 5)
    yanjin = read_rules(RuleSet.YANJIN_2023)
    assert [(c.code, c.working_days, c.article) for c in yanjin.classes] == [("general", 15, "001 §37"),
                                                                             ("urgent", 5, "001 §37")]


# ---------------------------------------------------------------- scenarios


async def test_the_office_numbers_delivers_and_closes_an_item_on_its_verified_result(api, sessions, county, admin,
                                                                                    office):
    # The county keeps a class of its own without working days: its items wait for the office to give a deadline.
    await succeed(api, admin, "putSupervisionDeadlineClass", code="special", name="专项督办事项",
                  remindBeforeDays=0, escalateAfterDays=3, default=False, article="县政府督查工作规定（本县）")
    first = await open_for_finance(api, office, county, deadline={"deadlineClass": "special"})
    assert (first["number"], first["state"], first["dueOn"]) == (f"督〔{YEAR}〕1号", "REGISTERED", None)
    assert "本县" in first["waitingReason"] and first["sourceKind"] == "MANUAL" and first["sourceId"] is None
    assert await open_duties(sessions, first["id"]) == {("assign", county.officials[c]) for c in
                                                        ("DIR", "DDIR1", "DDIR2")}
    await refused(api, sessions, office, "assignSupervisionItem", expect=("INVALID", "workingDays"),
                  supervisionItemId=first["id"])
    delivered = await succeed(api, office, "assignSupervisionItem", supervisionItemId=first["id"], deadline={"dueOn": LATER})
    assert (delivered["state"], delivered["dueOn"], delivered["waitingReason"]) == ("ASSIGNED", LATER.isoformat(),
                                                                                    None)
    assert delivered["vmInCharge"]["code"] == "EVM" and [d["name"] for d in delivered["coDepartments"]] == ["教育局"]
    assert await open_duties(sessions, first["id"]) == {("accept", county.officials["FIN"])}

    # Only the lead unit's principal accepts (or whoever covers for them now): not another unit's head, not the
    # deputy while the principal is at work; nor may anyone close an item without a result to verify.
    for code in ("EDU", "FIN2"):
        result = await refused(api, sessions, await login(api, county, code), "acceptSupervisionItem",
                               expect=("NOT_ENTITLED", "supervisionItemId"), supervisionItemId=first["id"])
        assert "财政局" in result["message"] and "000 §48" in result["message"]
    result = await refused(api, sessions, office, "closeSupervisionItem", expect=("RESULT_NOT_REPORTED", "supervisionItemId"),
                           supervisionItemId=first["id"], text="")
    assert "000 §48" in result["message"]
    fin = await login(api, county, "FIN")
    accepted = await succeed(api, fin, "acceptSupervisionItem", supervisionItemId=first["id"])
    assert (accepted["state"], accepted["acceptedRoute"], accepted["acceptedBy"]["code"]) == ("ACCEPTED", "DIRECT",
                                                                                              "FIN")
    assert await open_duties(sessions, first["id"]) == {("report", county.officials["FIN"])}

    deputy = await login(api, county, "FIN2")  # the responsible person reports too
    await succeed(api, deputy, "reportSupervisionProgress", supervisionItemId=first["id"], text="已拨付首期资金150万元。")
    await refused(api, sessions, office, "reopenSupervisionItem", expect=("WRONG_STATE", "supervisionItemId"),
                  supervisionItemId=first["id"], text="结果未反馈")
    await succeed(api, fin, "reportSupervisionResult", supervisionItemId=first["id"], text="资金已全部拨付。")
    assert await open_duties(sessions, first["id"]) == {("verify", county.officials[c]) for c in
                                                        ("DIR", "DDIR1", "DDIR2")}
    await refused(api, sessions, fin, "closeSupervisionItem", expect=("NOT_ENTITLED", "supervisionItemId"), supervisionItemId=first["id"],
                  text="")
    await refused(api, sessions, office, "reopenSupervisionItem", expect=("INVALID", "reason"), supervisionItemId=first["id"],
                  text=" ")
    reopened = await succeed(api, office, "reopenSupervisionItem", supervisionItemId=first["id"], text="未附通水验收材料。")
    assert reopened["state"] == "REOPENED"
    assert await open_duties(sessions, first["id"]) == {("report", county.officials["FIN"])}
    await succeed(api, deputy, "reportSupervisionResult", supervisionItemId=first["id"], text="已通水，附验收单。")
    async with sessions() as session:
        settled = (await session.execute(select(Duty.official_id, Duty.settled_by_id, Duty.settled_route).where(
            Duty.task == "report").order_by(Duty.id))).all()
    # FIN reported the first result himself; his deputy, the responsible person, the second: not as his cover.
    assert settled == [(county.officials["FIN"], county.officials["FIN"], Route.DIRECT),
                       (county.officials["FIN"], county.officials["FIN2"], None)]
    closed = await succeed(api, office, "closeSupervisionItem", supervisionItemId=first["id"], text="核查属实。")
    assert (closed["state"], closed["closedLate"], closed["closedBy"]["code"]) == ("CLOSED", False, "DIR")
    assert [(e["kind"], e["official"]["code"]) for e in closed["entries"]] == [
        ("PROGRESS", "FIN2"), ("RESULT", "FIN"), ("REOPENED", "DIR"), ("RESULT", "FIN2"), ("CLOSED", "DIR")]
    assert await open_duties(sessions, first["id"]) == set()
    await refused(api, sessions, office, "closeSupervisionItem", expect=("WRONG_STATE", "supervisionItemId"),
                  supervisionItemId=first["id"], text="")

    async with sessions() as session:
        actions = list((await session.execute(select(AuditEvent.action).where(
            AuditEvent.entity == "supervision_item").order_by(AuditEvent.seq))).scalars())
    assert actions == ["supervision_item.open", "supervision_item.assigned", "supervision_item.accepted",
                       "supervision_item.in_progress", "supervision_item.result_reported",
                       "supervision_item.reopened", "supervision_item.result_reported", "supervision_item.closed"]
    # The next item of the year takes the next number; the default class's documented numbers deliver it at once,
    # due 15 working days on, on the county's calendar.
    await known_years(sessions, county, YEAR, YEAR + 1)
    second = await open_for_finance(api, office, county)
    async with sessions() as session:
        calendar = await calendar_for(session, county_id=county.id)
    last_day = local_date(calendar.due_after(utcnow(), 15)) - dt.timedelta(days=1)
    assert (second["number"], second["state"], second["deadlineClass"], second["dueOn"]) == (
        f"督〔{YEAR}〕2号", "ASSIGNED", "general", last_day.isoformat())
    assert (second["workingDays"], second["remindBeforeDays"], second["escalateAfterDays"]) == (15, 3, 5)


async def test_an_item_whose_deadline_falls_in_a_year_nobody_entered_waits_for_the_office(api, sessions, county,
                                                                                         office, monkeypatch):
    """As in a January the installed calendar package predates: the deadline is never counted on a guess."""
    monkeypatch.setattr(calendar_module, "PACKAGE_YEARS", range(0))
    waiting = await open_for_finance(api, office, county)
    assert (waiting["state"], waiting["dueOn"], waiting["workingDays"]) == ("REGISTERED", None, 15)
    assert waiting["waitingReason"].startswith(f"No holiday data for {YEAR}")
    await refused(api, sessions, office, "assignSupervisionItem", expect=("CALENDAR_UNKNOWN", "dueOn"),
                  supervisionItemId=waiting["id"])
    delivered = await succeed(api, office, "assignSupervisionItem", supervisionItemId=waiting["id"],
                              deadline={"dueOn": LATER})
    assert (delivered["state"], delivered["dueOn"], delivered["waitingReason"]) == ("ASSIGNED", LATER.isoformat(),
                                                                                    None)


async def test_a_deputy_covering_the_absent_principal_accepts_and_the_route_is_recorded(api, sessions, county,
                                                                                       office):
    opened = await open_for_finance(api, office, county, deadline={"dueOn": LATER})
    async with sessions() as session, session.begin():
        now = dt.datetime.now(dt.timezone.utc)
        await roster.record_absence(session, official_id=county.officials["FIN"], starts_at=now - dt.timedelta(hours=1),
                                    ends_at=now + dt.timedelta(days=3), reason=AbsenceReason.BUSINESS_TRIP,
                                    actor=SYSTEM)
    accepted = await succeed(api, await login(api, county, "FIN2"), "acceptSupervisionItem", supervisionItemId=opened["id"])
    assert accepted["acceptedBy"]["code"] == "FIN2" and accepted["acceptedOnBehalfOf"]["code"] == "FIN"
    assert accepted["acceptedRoute"] not in (None, "DIRECT")
    # The report duty stays with the principal, in whose name the unit accepted.
    assert await open_duties(sessions, opened["id"]) == {("report", county.officials["FIN"])}
    async with sessions() as session:
        (after,) = (await session.execute(select(AuditEvent.after).where(
            AuditEvent.action == "supervision_item.accepted"))).scalars()
    assert after["on_behalf_of_id"] == county.officials["FIN"] and after["route"] == accepted["acceptedRoute"].lower()
    assert Route(after["route"]) != Route.DIRECT


async def test_only_the_office_opens_and_delivers_and_another_countys_item_answers_as_missing(api, sessions, county,
                                                                                          office):
    fin = await login(api, county, "FIN")
    await refused(api, sessions, fin, "openSupervisionItem", expect=("NOT_ENTITLED", None), instruction="修路",
                  instructedOn=TODAY, leadDepartmentId=county.department("财政局"))
    await refused(api, sessions, office, "openSupervisionItem", expect=("INVALID", "instruction"), instruction=" ",
                  instructedOn=TODAY, leadDepartmentId=county.department("财政局"))
    await refused(api, sessions, office, "openSupervisionItem", expect=("INVALID", "dueOn"), instruction="修路",
                  instructedOn=TODAY, leadDepartmentId=county.department("财政局"),
                  deadline={"dueOn": TODAY - dt.timedelta(days=1)})
    await refused(api, sessions, office, "openSupervisionItem", expect=("NOT_FOUND", "deadlineClass"),
                  instruction="修路", instructedOn=TODAY, leadDepartmentId=county.department("财政局"),
                  deadline={"deadlineClass": "slow"})
    other = await build_county(sessions, code="lulong", rule_set=RuleSet.LULONG_2018)
    await refused(api, sessions, office, "openSupervisionItem", expect=("NOT_FOUND", "leadDepartmentId"),
                  instruction="修路", instructedOn=TODAY, leadDepartmentId=other.department("财政局"))
    theirs = await open_for_finance(api, await login(api, other, "DIR"), other, deadline={"dueOn": LATER})
    assert theirs["number"] == f"督〔{YEAR}〕1号"  # each county counts its own
    for mutation in ("acceptSupervisionItem", "assignSupervisionItem"):
        await refused(api, sessions, office, mutation, expect=("NOT_FOUND", "supervisionItemId"), supervisionItemId=theirs["id"])
    assert await item(api, office, theirs["id"]) is None


async def test_two_items_opened_at_once_get_consecutive_numbers_and_a_rolled_back_one_leaves_no_gap(
        api, sessions, county, office):
    results = await asyncio.gather(*(open_for_finance(api, office, county, deadline={"dueOn": LATER})
                                     for _ in range(2)))
    assert sorted(r["number"] for r in results) == [f"督〔{YEAR}〕1号", f"督〔{YEAR}〕2号"]

    class Abandoned(Exception):
        pass

    with pytest.raises(Abandoned):
        async with sessions() as session, session.begin():
            await tenancy.lock_county(session, county.id)
            rolled_back = await supervision.open_item(
                session, county_id=county.id, source_kind=SourceKind.MANUAL, source_id=None, instruction="撤回的事项",
                instructed_by_id=None, instructed_on=TODAY, lead_department_id=county.departments["教育局"],
                due_on=LATER, opened_by_id=None, actor=SYSTEM)
            assert rolled_back.number == f"督〔{YEAR}〕3号"
            raise Abandoned
    third = await open_for_finance(api, office, county, deadline={"dueOn": LATER})
    assert third["number"] == f"督〔{YEAR}〕3号"


async def test_the_county_administrator_enters_its_numbers_and_prefix_audited_and_officials_may_not(
        api, sessions, county, admin, office):
    shipped = (await api.ok(f"{{ supervisionRules {{ {RULES} }} }}", token=office))["supervisionRules"]
    assert [(c["code"], c["workingDays"], c["remindBeforeDays"], c["escalateAfterDays"], c["default"])
            for c in shipped["deadlineClasses"]] == [("general", 15, 3, 5, True), ("urgent", 5, 1, 2, False)]
    rules = await enter_numbers(api, admin, working_days=7, remind_before=2, escalate_after=3)
    general = rules["deadlineClasses"][0]
    assert (general["workingDays"], general["remindBeforeDays"], general["escalateAfterDays"]) == (7, 2, 3)
    urgent = await succeed(api, admin, "putSupervisionDeadlineClass", code="urgent", name="紧急督办事项",
                           workingDays=3, remindBeforeDays=1, default=True, article="县政府督查工作规定（本县）")
    assert [(c["code"], c["default"]) for c in urgent["deadlineClasses"]] == [("general", False), ("urgent", True)]
    await refused(api, sessions, admin, "putSupervisionDeadlineClass", expect=("INVALID", "remindBeforeDays"),
                  code="slow", name="慢", workingDays=3, remindBeforeDays=3, article="本县")
    await refused(api, sessions, admin, "putSupervisionDeadlineClass", expect=("INVALID", "default"),
                  code="urgent", name="紧急督办事项", workingDays=3, article="本县")
    await refused(api, sessions, office, "putSupervisionDeadlineClass", expect=("FORBIDDEN", "countyId"),
                  code="slow", name="慢", workingDays=20, article="本县")
    await refused(api, sessions, admin, "setSupervisionPrefix", expect=("INVALID", "prefix"), prefix="督〔",
                  article="本县")
    renamed = await succeed(api, admin, "setSupervisionPrefix", prefix="延政督", article="县政府督查工作规定（本县）")
    assert renamed["prefix"] == "延政督"
    opened = await open_for_finance(api, office, county, deadline={"deadlineClass": "general", "dueOn": LATER})
    assert opened["number"] == f"延政督〔{YEAR}〕1号" and opened["deadlineClass"] == "general"
    assert (opened["remindBeforeDays"], opened["escalateAfterDays"]) == (2, 3)
    async with sessions() as session:
        actions = list((await session.execute(select(AuditEvent.action).where(
            AuditEvent.county_id == county.id, AuditEvent.action.like("supervision_%")).order_by(
            AuditEvent.seq))).scalars())
    assert actions[:3] == ["supervision_deadline_class.put", "supervision_deadline_class.put",
                           "supervision_series.update"]


async def test_a_county_made_before_supervision_gets_its_rule_sets_data_from_the_migration(tmp_path):
    """The data step of migration 0014 (on a scratch SQLite database: the step is plain SQL on both engines)."""
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'old.db'}")
    try:
        await upgrade(engine, "0013")
        async with engine.begin() as connection:
            await connection.execute(text(
                "INSERT INTO counties (code, name, rule_set, created_at, roster_version) "
                "VALUES ('lulong', '卢龙县', 'lulong-2018', '2026-01-01 00:00:00', 0)"))
        await upgrade(engine)
        async with engine.connect() as connection:
            series = (await connection.execute(text("SELECT prefix, article FROM supervision_series"))).all()
            classes = (await connection.execute(text(
                "SELECT code, working_days, remind_before_days, is_default, article "
                "FROM supervision_deadline_classes"))).all()
    finally:
        await engine.dispose()
    assert series == [("督", "003 §53")]
    assert classes == [("general", 15, 3, True, "003 §38 §46 §53")]
