"""Overdue supervision items: the sweeper reminds the responsible person and the lead unit's principal, then
escalates to the vice magistrate in charge of the lead unit (000 §36, §48), each once per deadline, audited, on the
county's working-day calendar, and never on a guessed year — with the rule set's documented numbers out of the box,
or the county's own; both engines.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from strawberry.relay import to_base64

from db.models import AuditEvent
from domain.roster import LOCAL_TZ
from domain.supervision import SourceKind
from services import calendar as calendars
from services import deadlines, events, supervision, tenancy
from tests.county import PASSWORD, SYSTEM, County, build_county
from tests.supervision import enter_numbers, item, known_years, succeed

# Monday 3 March 2025: the last day for the result. Reminded as it passes (remind 0), escalated three working
# days later: at the end of Thursday 6 March.
DUE = dt.date(2025, 3, 3)


def local(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=LOCAL_TZ)


@pytest.fixture
async def county(sessions) -> County:
    return await build_county(sessions)


@pytest.fixture
async def admin(api, county) -> str:
    return await api.login(county.admin, PASSWORD)


@pytest.fixture
def told(monkeypatch) -> list[tuple[str, int, str | None]]:
    """The live news the sweep sends: (kind, official, subject kind)."""
    sent = []
    publish = events.publish

    async def recording(session, event):
        sent.append((event.kind.value, event.official_id, event.subject_kind))
        await publish(session, event)

    monkeypatch.setattr(events, "publish", recording)
    return sent


async def owed_item(sessions, county: County, due_on: dt.date) -> int:
    """The magistrate's instruction to the finance bureau, due on ``due_on``, accepted and still owed."""
    async with sessions() as session, session.begin():
        await tenancy.lock_county(session, county.id)
        opened = await supervision.open_item(
            session, county_id=county.id, source_kind=SourceKind.MANUAL, source_id=None,
            instruction="落实农村公路养护资金。", instructed_by_id=county.officials["MAG"], instructed_on=due_on,
            lead_department_id=county.departments["财政局"], responsible_official_id=county.officials["FIN2"],
            due_on=due_on, opened_by_id=county.officials["DIR"], actor=SYSTEM)
    async with sessions() as session, session.begin():
        await supervision.accept(session, item_id=opened.id, official_id=county.officials["FIN"], actor=SYSTEM)
    return opened.id


async def sweep(sessions, at: dt.datetime) -> tuple[int, int]:
    report = await deadlines.sweep(sessions, now=at)
    return report.supervision_reminded, report.supervision_escalated


async def test_an_overdue_item_is_reminded_then_escalated_to_the_vm_in_charge_each_once(api, sessions, county, admin,
                                                                                       told):
    await enter_numbers(api, admin, remind_before=0, escalate_after=3)
    item_id = await owed_item(sessions, county, DUE)
    told.clear()
    assert await sweep(sessions, local(DUE, 20)) == (0, 0)  # still its last day
    assert await sweep(sessions, local(DUE + dt.timedelta(days=1), 9)) == (1, 0)
    reminded = {(kind, official) for kind, official, subject in told if subject == "supervision_item"}
    # The principal hears it on his open report duty; the responsible deputy, who holds none, as news.
    assert reminded == {("duty_reminder", county.officials["FIN"]), ("duty_reminder", county.officials["FIN2"])}
    assert await sweep(sessions, local(dt.date(2025, 3, 6), 20)) == (0, 0)
    told.clear()
    assert await sweep(sessions, local(dt.date(2025, 3, 7), 9)) == (0, 1)
    assert told == [("duty_escalated", county.officials["EVM"], "supervision_item")]  # 财政局 is in EVM's portfolio
    assert await sweep(sessions, local(dt.date(2025, 4, 1), 9)) == (0, 0)  # each once

    shown = await item(api, admin, to_base64("SupervisionItem", item_id))
    assert [(lapse["kind"], [o["code"] for o in lapse["officials"]]) for lapse in shown["lapses"]] == [
        ("REMINDER", ["FIN2", "FIN"]), ("ESCALATION", ["EVM"])]
    assert shown["overdue"] and all(lapse["dueOn"] == DUE.isoformat() for lapse in shown["lapses"])
    async with sessions() as session:
        audited = list((await session.execute(select(AuditEvent.action, AuditEvent.after["note"]).where(
            AuditEvent.entity_id == item_id, AuditEvent.action.in_(
                ["supervision_item.reminder", "supervision_item.escalation"])).order_by(AuditEvent.seq))).all())
    assert [action for action, _ in audited] == ["supervision_item.reminder", "supervision_item.escalation"]
    assert "000 §36" in audited[1][1]


async def test_a_fresh_countys_item_is_reminded_and_escalated_on_the_rule_sets_documented_numbers(sessions, county):
    await owed_item(sessions, county, DUE)  # yanjin's general class: reminded 3 working days before, escalated 5 after
    assert await sweep(sessions, local(dt.date(2025, 2, 26), 20)) == (0, 0)
    assert await sweep(sessions, local(dt.date(2025, 2, 27), 9)) == (1, 0)  # Wed 26 Feb, three working days before
    assert await sweep(sessions, local(dt.date(2025, 3, 10), 20)) == (0, 0)
    assert await sweep(sessions, local(dt.date(2025, 3, 11), 9)) == (0, 1)  # Mon 10 Mar, five working days after


async def test_a_reported_item_is_not_chased_and_a_number_the_county_left_unset_is_not_guessed(api, sessions, county,
                                                                                             admin):
    await enter_numbers(api, admin, remind_before=0, escalate_after=None)
    silent = await owed_item(sessions, county, DUE)  # reminded as it passes; the county set no escalation
    await enter_numbers(api, admin, remind_before=0, escalate_after=3)
    reported = await owed_item(sessions, county, DUE)
    async with sessions() as session, session.begin():
        await supervision.report_result(session, item_id=reported, official_id=county.officials["FIN"],
                                        text="已落实。", actor=SYSTEM)
    assert await sweep(sessions, local(dt.date(2025, 4, 1), 9)) == (1, 0)
    async with sessions() as session:
        lapsed = list((await session.execute(select(AuditEvent.entity_id).where(
            AuditEvent.action.like("supervision_item.%"), AuditEvent.request_id == "sweeper"))).scalars())
    assert lapsed == [silent]


async def test_an_escalation_counted_into_a_year_nobody_entered_waits_for_the_year(api, sessions, county, admin):
    await enter_numbers(api, admin, remind_before=0, escalate_after=3)
    far = dt.date(2040, 3, 1)  # a Thursday of a year no package knows
    item_id = await owed_item(sessions, county, far)
    assert await sweep(sessions, local(dt.date(2040, 3, 20), 9)) == (1, 0)  # the reminder needs no count
    async with sessions() as session, session.begin():
        await calendars.enter_year(session, county_id=county.id, year=2040, holidays=[(dt.date(2040, 1, 2), "元旦")],
                                   workdays=[], source="国务院办公厅通知（测试）", actor=SYSTEM)
    assert await sweep(sessions, local(dt.date(2040, 3, 20), 9)) == (0, 1)
    shown = await item(api, admin, to_base64("SupervisionItem", item_id))
    assert [lapse["kind"] for lapse in shown["lapses"]] == ["REMINDER", "ESCALATION"]


async def test_the_working_days_of_the_countys_class_run_on_its_calendar(api, sessions, county, admin):
    now = dt.datetime.now(dt.timezone.utc)
    await known_years(sessions, county, now.year, now.year + 1)
    await enter_numbers(api, admin, working_days=5)
    office = await api.login(county.account("DIR"), PASSWORD)
    opened = await succeed(api, office, "openSupervisionItem", instruction="报送防汛物资清单。",
                           instructedOn=dt.date(2026, 9, 24), leadDepartmentId=county.department("财政局"))
    async with sessions() as session:
        calendar = await calendars.calendar_for(session, county_id=county.id)
    last_day = calendar.due_after(now, 5).astimezone(LOCAL_TZ).date() - dt.timedelta(days=1)
    assert (opened["state"], opened["workingDays"], opened["dueOn"]) == ("ASSIGNED", 5, last_day.isoformat())
