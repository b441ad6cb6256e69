"""Working-day limits on chain steps, the office's reminders, and deemed no objection (docs/DOMAIN.md §4)."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select
from strawberry.relay import from_base64, to_base64

from db.models import Reminder
from domain.documents import Direction, Flag, Genre, Issuer
from domain.roster import RuleSet
from services import deadlines, documents
from services.signing_rules import SigningTables
from tests.county import PASSWORD, SYSTEM, build_county
from tests.test_meetings_signing_gate import decision_of, sign

CST = dt.timezone(dt.timedelta(hours=8))
# Thursday, the day before the 2026 Mid-autumn / National Day run of holidays (Sep 25–27, Oct 1–7;
# Saturday Oct 10 is a swapped workday), per chinesecalendar.
THURSDAY = dt.datetime(2026, 9, 24, 10, 0, tzinfo=CST)
CHAIN = """query($id: ID!) { node(id: $id) { ... on Document {
  chain { action state dueAt overdue deadline { workingDays afterSecondLapse article problem }
          assignments { state actedBy { code } opinion } }
  history { kind opinion actor { code } } } } }"""


def end_of(day: dt.date) -> str:
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), CST).astimezone(dt.timezone.utc).isoformat()


async def submitted(sessions, county, *, title: str, submitted_at: dt.datetime,
                    reviews: tuple[tuple[str, dt.datetime], ...] = (), **fields) -> str:
    """A 教育局 draft submitted at ``submitted_at``, then approved by each (official, time) in turn."""
    tables = SigningTables()
    async with sessions() as session, session.begin():
        draft = await documents.create_draft(session, drafted_by_id=county.officials["EDU"], actor=SYSTEM,
                                             fields=documents.DraftFields(
                                                 title=title, issuer=Issuer.COUNTY_GOVERNMENT,
                                                 genre=fields.pop("genre", Genre.NOTICE),
                                                 direction=Direction.DOWNWARD,
                                                 lead_department_id=county.departments["教育局"], **fields))
        await documents.submit(session, document_id=draft.id, official_id=county.officials["EDU"], tables=tables,
                               actor=SYSTEM, at=submitted_at)
        for code, at in reviews:
            await documents.act(session, document_id=draft.id, official_id=county.officials[code],
                                verdict=documents.Verdict.APPROVE, opinion="同意", tables=tables, actor=SYSTEM, at=at)
    return to_base64("Document", draft.id)


async def co_signed_notice(sessions, county, *, at=THURSDAY) -> str:
    """A notice with 城关镇 co-sponsoring, past the office's review at ``at``: the co-sign step is active."""
    return await submitted(sessions, county, title="关于冬季校园安全的通知", submitted_at=at - dt.timedelta(hours=1),
                           reviews=(("DIR", at),), co_sponsor_ids=[county.departments["城关镇"]])


async def chain_of(api, county, document):
    token = await api.login(county.account("DIR"), PASSWORD)
    return (await api.ok(CHAIN, {"id": document}, token=token))["node"]


@pytest.mark.parametrize(("rule_set", "working_days", "due_day", "article"), [
    (RuleSet.YANJIN_2023, 5, dt.date(2026, 10, 9), "001 §30"),
    (RuleSet.GENERIC_2022, 3, dt.date(2026, 9, 30), "000 §49"),
])
async def test_a_co_signature_is_due_within_the_rule_sets_working_days_across_the_holidays(
        api, sessions, rule_set, working_days, due_day, article):
    county = await build_county(sessions, code=rule_set.value.split("-")[0], rule_set=rule_set)
    document = await co_signed_notice(sessions, county)
    co_sign = next(s for s in (await chain_of(api, county, document))["chain"] if s["action"] == "CO_SIGN")
    assert co_sign["deadline"]["workingDays"] == working_days and co_sign["deadline"]["article"] == article
    assert dt.datetime.fromisoformat(co_sign["dueAt"]) == dt.datetime.fromisoformat(end_of(due_day))


async def test_yanjin_an_overdue_co_signature_is_reminded_then_deemed_no_objection(api, sessions):
    county = await build_county(sessions, rule_set=RuleSet.YANJIN_2023)
    document = await co_signed_notice(sessions, county)
    assert (await deadlines.sweep(sessions, now=dt.datetime(2026, 10, 9, 20, tzinfo=CST))).reminded == 0

    first = await deadlines.sweep(sessions, now=dt.datetime(2026, 10, 10, 9, tzinfo=CST))
    assert (first.reminded, first.deemed) == (1, 0)
    token = await api.login(county.account("TWN"), PASSWORD)
    overdue = await api.ok("{ inbox(overdue: true) { totalCount } }", token=token)
    assert overdue["inbox"]["totalCount"] == 1

    # Reminded on Saturday Oct 10 (a swapped workday): five more working days run to Friday Oct 16.
    assert (await deadlines.sweep(sessions, now=dt.datetime(2026, 10, 16, 23, tzinfo=CST))).deemed == 0
    second = await deadlines.sweep(sessions, now=dt.datetime(2026, 10, 17, 9, tzinfo=CST))
    assert (second.reminded, second.deemed) == (0, 1)

    chain = await chain_of(api, county, document)
    co_sign = next(s for s in chain["chain"] if s["action"] == "CO_SIGN")
    assert co_sign["state"] == "DONE"
    [assignment] = co_sign["assignments"]
    assert assignment["state"] == "DEEMED_NO_OBJECTION" and assignment["actedBy"] is None
    assert "001 §30" in assignment["opinion"]
    assert [e["kind"] for e in chain["history"] if e["kind"] in ("REMINDED", "DEEMED_NO_OBJECTION", "SIGNED")] == [
        "REMINDED", "DEEMED_NO_OBJECTION"]
    # The flow moves on to the VMs' co-review; nobody signed anything.
    assert [s["state"] for s in chain["chain"]] == ["DONE", "DONE", "ACTIVE", "WAITING"]
    assert all(a["state"] != "SIGNED" for s in chain["chain"] for a in s["assignments"])


async def test_generic_a_second_lapse_is_reminded_again_never_deemed(api, sessions):
    county = await build_county(sessions, code="generic", rule_set=RuleSet.GENERIC_2022)
    document = await co_signed_notice(sessions, county)
    await deadlines.sweep(sessions, now=dt.datetime(2026, 10, 1, 9, tzinfo=CST))
    again = await deadlines.sweep(sessions, now=dt.datetime(2026, 10, 20, 9, tzinfo=CST))
    assert (again.reminded, again.deemed) == (1, 0)
    co_sign = next(s for s in (await chain_of(api, county, document))["chain"] if s["action"] == "CO_SIGN")
    assert co_sign["state"] == "ACTIVE" and co_sign["assignments"][0]["state"] == "WAITING"


async def test_a_sweeper_that_was_down_catches_up_once_and_never_repeats(sessions):
    county = await build_county(sessions, rule_set=RuleSet.YANJIN_2023)
    await co_signed_notice(sessions, county)
    late = dt.datetime(2026, 11, 2, 9, tzinfo=CST)  # weeks after the due day: one reminder, not a flood
    assert (await deadlines.sweep(sessions, now=late)).reminded == 1
    assert (await deadlines.sweep(sessions, now=late)).reminded == 0
    async with sessions() as session:
        assert (await session.execute(select(func.count()).select_from(Reminder))).scalar_one() == 1


async def test_two_sweeper_processes_at_once_send_each_reminder_exactly_once(sessions, database_url):
    county = await build_county(sessions, rule_set=RuleSet.YANJIN_2023)
    for _ in range(3):
        await co_signed_notice(sessions, county)
    qianfa = Path(sys.executable).parent / "qianfa"
    runs = [await asyncio.create_subprocess_exec(
        str(qianfa), "sweep", "--now", "2026-10-12T09:00:00+08:00", stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE, env={**os.environ, "DATABASE_URL": database_url}) for _ in range(2)]
    outputs = [await run.communicate() for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    async with sessions() as session:
        reminders = (await session.execute(select(Reminder.assignment_id, Reminder.lapse))).all()
    assert len(reminders) == 3 and len(set(reminders)) == 3


async def test_a_year_without_holiday_data_leaves_the_step_without_a_due_time_and_says_why(api, sessions):
    county = await build_county(sessions, rule_set=RuleSet.YANJIN_2023)
    document = await co_signed_notice(sessions, county, at=dt.datetime(2027, 3, 1, 10, tzinfo=CST))
    co_sign = next(s for s in (await chain_of(api, county, document))["chain"] if s["action"] == "CO_SIGN")
    assert co_sign["dueAt"] is None and "2027" in co_sign["deadline"]["problem"]


async def test_yanjin_a_document_decided_at_a_meeting_is_issued_within_7_working_days(api, sessions):
    county = await build_county(sessions, rule_set=RuleSet.YANJIN_2023)
    decision = int(from_base64(await decision_of(api, sessions, county))[1])  # its meeting ended on THURSDAY
    document = await submitted(sessions, county, title="常务会议决定事项的通知", submitted_at=THURSDAY,
                               reviews=(("DIR", THURSDAY + dt.timedelta(days=1)),), decision_id=decision)
    assert (await chain_of(api, county, document))["chain"][-1]["deadline"] is None  # the signature has no limit
    assert (await sign(api, county, document, "VM1"))["document"]["state"] == "SIGNED"
    token = await api.login(county.account("DIR"), PASSWORD)
    issuing = (await api.ok("query($id: ID!) { node(id: $id) { ... on Document { issueDueAt issueDeadline { article } "
                            "} } }", {"id": document}, token=token))["node"]
    # Counted from the meeting's end on Thursday Sep 24: Sep 28, 29, 30, Oct 8, 9, 10 (Saturday, swapped), 12.
    assert issuing["issueDeadline"]["article"] == "001 §22"
    assert dt.datetime.fromisoformat(issuing["issueDueAt"]) == dt.datetime.fromisoformat(end_of(dt.date(2026, 10, 12)))


@pytest.mark.parametrize(("reviewed_on", "tableable"), [(dt.date(2026, 9, 29), True), (dt.date(2026, 10, 12), False)])
async def test_lulong_a_normative_document_is_tabled_only_with_legality_review_10_working_days_ahead(
        api, sessions, reviewed_on, tableable):
    county = await build_county(sessions, code="lulong", rule_set=RuleSet.LULONG_2018)
    document = await submitted(
        sessions, county, title="县义务教育阶段学校管理办法", submitted_at=THURSDAY, genre=Genre.DECISION,
        flags=[Flag.NORMATIVE], standing_meeting_on=dt.date(2026, 10, 20),
        reviews=tuple((code, dt.datetime.combine(day, dt.time(10), CST))
                      for code, day in (("DIR", dt.date(2026, 9, 28)), ("JUS", reviewed_on))))
    query = """query($id: ID!) { node(id: $id) { ... on Document { tableable
               chain { action dueAt deadline { article } } } } }"""
    token = await api.login(county.account("DIR"), PASSWORD)
    data = (await api.ok(query, {"id": document}, token=token))["node"]
    legal = next(s for s in data["chain"] if s["action"] == "LEGAL_REVIEW")
    # Ten working days before Tuesday Oct 20, over National Day and its swapped Saturday: Wed Sep 30.
    assert legal["deadline"]["article"] == "003 §61"
    assert dt.datetime.fromisoformat(legal["dueAt"]) == dt.datetime.fromisoformat(end_of(dt.date(2026, 9, 30)))
    assert data["tableable"] is tableable


async def test_two_servers_sweep_on_their_own_each_lapse_is_reminded_once_and_a_restart_repeats_nothing(
        settings, sessions):
    from tests.live_server import server_process

    county = await build_county(sessions, rule_set=RuleSet.YANJIN_2023)
    for _ in range(3):
        await co_signed_notice(sessions, county)  # due Oct 9, 2026: long past
    fast = {"SWEEP_SECONDS": "0.2"}

    async def reminders() -> list:
        async with sessions() as session:
            return (await session.execute(select(Reminder.assignment_id, Reminder.lapse))).all()

    with server_process(settings, environment=fast), server_process(settings, environment=fast):
        for _ in range(50):
            if len(await reminders()) >= 3:
                break
            await asyncio.sleep(0.1)
        await asyncio.sleep(1.0)  # several more sweeps by both servers
    sent = await reminders()
    assert len(sent) == 3 and len(set(sent)) == 3
    with server_process(settings, environment=fast):  # down and up again: nothing is sent twice
        await asyncio.sleep(1.0)
    assert sorted(await reminders()) == sorted(sent)
