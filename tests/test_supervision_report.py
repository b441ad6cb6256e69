"""The county's supervision items by unit, leader, state and overdue, and the office's periodic report to the
leaders (003 §46): per unit or per leader, open, overdue, closed on time and closed late, the most overdue first;
in a fixed number of statements whatever the number of items; both engines.
"""

from __future__ import annotations

import datetime as dt

import pytest

from db.models import utcnow
from domain.roster import local_date
from domain.supervision import SourceKind
from services import supervision, tenancy
from tests.county import PASSWORD, SYSTEM, County, build_county
from tests.supervision import ITEM

TODAY = local_date(utcnow())
LATER = TODAY + dt.timedelta(days=60)
PAST = dt.date(2025, 3, 3)


@pytest.fixture
async def county(sessions) -> County:
    return await build_county(sessions)


@pytest.fixture
async def leader(api, county) -> str:
    """The magistrate, who reads the report."""
    return await api.login(county.account("MAG"), PASSWORD)


async def given(sessions, county: County, *, unit: str, leader: str | None, due_on: dt.date,
                closed: bool = False) -> int:
    """An item of ``unit`` instructed by ``leader``, due on ``due_on``; accepted, and closed on a result reported
    today when ``closed``."""
    async with sessions() as session, session.begin():
        await tenancy.lock_county(session, county.id)
        opened = await supervision.open_item(
            session, county_id=county.id, source_kind=SourceKind.MANUAL, source_id=None,
            instruction=f"{unit}落实事项", instructed_by_id=county.officials[leader] if leader else None,
            instructed_on=TODAY, lead_department_id=county.departments[unit], due_on=due_on,
            opened_by_id=county.officials["DIR"], actor=SYSTEM)
    if closed:
        principal = {"财政局": "FIN", "教育局": "EDU"}[unit]
        async with sessions() as session, session.begin():
            await supervision.accept(session, item_id=opened.id, official_id=county.officials[principal],
                                     actor=SYSTEM)
            await supervision.report_result(session, item_id=opened.id, official_id=county.officials[principal],
                                            text="已办结。", actor=SYSTEM)
            await supervision.close(session, item_id=opened.id, official_id=county.officials["DIR"], actor=SYSTEM)
    return opened.id


REPORT = """query($by: SupervisionReportGrouping) { supervisionReport(by: $by) {
  open overdue closedOnTime closedLate unit { name } leader { code } } }"""
ITEMS = f"query($f: SupervisionItemFilter) {{ supervisionItems(filter: $f) {{ edges {{ node {{ {ITEM} }} }} }} }}"


async def test_the_report_counts_per_unit_and_per_leader_the_most_overdue_first(api, sessions, county, leader):
    await given(sessions, county, unit="财政局", leader="MAG", due_on=PAST)  # overdue
    await given(sessions, county, unit="财政局", leader="VM1", due_on=PAST, closed=True)  # closed late
    await given(sessions, county, unit="教育局", leader="MAG", due_on=LATER)  # open, in time
    await given(sessions, county, unit="教育局", leader=None, due_on=LATER, closed=True)  # closed on time

    by_unit = (await api.ok(REPORT, {"by": "UNIT"}, token=leader))["supervisionReport"]
    assert [(r["unit"]["name"], r["open"], r["overdue"], r["closedOnTime"], r["closedLate"]) for r in by_unit] == [
        ("财政局", 1, 1, 0, 1), ("教育局", 1, 0, 1, 0)]
    by_leader = (await api.ok(REPORT, {"by": "LEADER"}, token=leader))["supervisionReport"]
    assert [((r["leader"] or {}).get("code"), r["open"], r["overdue"], r["closedOnTime"], r["closedLate"])
            for r in by_leader] == [("MAG", 2, 1, 0, 0), ("VM1", 0, 0, 0, 1), (None, 0, 0, 1, 0)]

    async def numbers(filter: dict) -> list[str]:
        data = await api.ok(ITEMS, {"f": filter}, token=leader)
        return [edge["node"]["instruction"] + "/" + edge["node"]["state"] for edge in data["supervisionItems"]["edges"]]

    assert await numbers({"overdue": True}) == ["财政局落实事项/ASSIGNED"]
    assert await numbers({"leadDepartmentId": county.department("教育局"), "state": "CLOSED"}) == ["教育局落实事项/CLOSED"]
    # A leader's items: those he instructed, and those of the units in his portfolio (EVM is in charge of 财政局).
    assert await numbers({"leaderId": county.official("EVM")}) == ["财政局落实事项/CLOSED", "财政局落实事项/ASSIGNED"]
    assert len(await numbers({"leaderId": county.official("MAG")})) == 2
    # VM1 instructed one of 财政局's and is in charge of 教育局: none of them is overdue.
    assert await numbers({"overdue": False, "leaderId": county.official("VM1")}) == [
        "教育局落实事项/CLOSED", "教育局落实事项/ASSIGNED", "财政局落实事项/CLOSED"]

    other = await build_county(sessions, code="other")
    await given(sessions, other, unit="财政局", leader="MAG", due_on=PAST)
    assert len(await numbers({})) == 4  # each county's items are its own
    outsider = await api.login(other.account("MAG"), PASSWORD)
    assert [r["overdue"] for r in (await api.ok(REPORT, {}, token=outsider))["supervisionReport"]] == [1]


async def test_the_list_and_the_report_cost_the_same_statements_for_two_items_and_for_eight(api, sessions, county,
                                                                                        leader):
    async def costs() -> tuple[int, int]:
        listed = await api.call(ITEMS, {"f": {}}, token=leader)
        reported = await api.call(REPORT, {"by": "UNIT"}, token=leader)
        assert not listed.errors and not reported.errors
        return listed.sql_statements, reported.sql_statements

    for n in range(2):
        await given(sessions, county, unit="财政局", leader="MAG", due_on=PAST, closed=bool(n))
    small = await costs()
    for n in range(6):
        await given(sessions, county, unit=("财政局", "教育局")[n % 2], leader=("VM1", "VM2", None)[n % 3],
                    due_on=LATER, closed=n % 2 == 0)
    assert await costs() == small
