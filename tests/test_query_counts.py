"""Nested lists cost the same number of SQL statements for 5 officials as for 50.

The count comes from the app's own instrumentation (the X-SQL-Statements response header).
"""

from __future__ import annotations

import datetime as dt

import pytest

from domain.roster import Role
from services import roster
from tests.county import PASSWORD, SYSTEM, build_county, submit_notices

NESTED = """
query($first: Int!) {
  officials(first: $first, filter: {role: DEPARTMENT_DEPUTY}) {
    totalCount
    edges { node {
      name
      positions { role effectiveFrom department { name kind principal { name } leaderInCharge { name } } }
      portfolio { name }
      abPartner { name }
    } }
  }
}"""


async def _add_staff(sessions, county, how_many: int) -> None:
    """Deputies spread over the county's departments, so every official has a department to load."""
    departments = list(county.departments.values())
    async with sessions() as session, session.begin():
        for n in range(how_many):
            official = await roster.add_official(session, county_id=county.id, code=f"STAFF{n:03}",
                                                 name=f"干部{n:03}", rank_order=100 + n, actor=SYSTEM)
            await roster.appoint(session, official_id=official.id, role=Role.DEPARTMENT_DEPUTY,
                                 department_id=departments[n % len(departments)],
                                 effective_from=dt.date(2025, 1, 1), actor=SYSTEM)


@pytest.fixture
async def county(sessions):
    county = await build_county(sessions)
    await _add_staff(sessions, county, 50)
    return county


async def test_officials_with_positions_and_departments_cost_the_same_for_5_and_50(api, county, capsys):
    token = await api.login(county.admin, PASSWORD)
    small = await api.call(NESTED, {"first": 5}, token=token)
    large = await api.call(NESTED, {"first": 50}, token=token)
    assert not small.errors and not large.errors
    assert len(small.data["officials"]["edges"]) == 5
    assert len(large.data["officials"]["edges"]) == 50
    for response in (small, large):
        assert all(e["node"]["positions"][0]["department"] for e in response.data["officials"]["edges"])
    assert small.sql_statements == large.sql_statements
    with capsys.disabled():
        print(f"\n[query count] officials→positions→departments: {small.sql_statements} statements for 5, "
              f"{large.sql_statements} for 50")


async def test_departments_with_principals_deputies_and_leaders_cost_the_same_for_2_and_all(api, county):
    query = """query($first: Int!) { departments(first: $first) { edges { node {
                 name principal { name positions { role } } deputies { name } leaderInCharge { name portfolio { name } }
               } } } }"""
    token = await api.login(county.admin, PASSWORD)
    small = await api.call(query, {"first": 2}, token=token)
    large = await api.call(query, {"first": 100}, token=token)
    assert not small.errors and not large.errors
    assert len(large.data["departments"]["edges"]) == len(county.departments)
    assert small.sql_statements == large.sql_statements


INBOX = """query($first: Int!) { inbox(first: $first) { edges { node {
  route onBehalfOf { name }
  document { title genre urgent leadDepartment { name } draftedBy { name } }
  step { action rules { rule article } assignments { state assignee { name } } }
} } } }"""


@pytest.mark.parametrize("director_away", [False, True], ids=["all-present", "director-away"])
async def test_the_inbox_costs_the_same_for_2_items_as_for_25(api, sessions, capsys, director_away):
    """At most six statements whatever the page size; with the director away his first deputy's inbox
    holds the director's items too. The first request reads the roster for cover; later ones find it
    cached in the server process (until the roster changes)."""
    from domain.roster import AbsenceReason

    county = await build_county(sessions)
    await submit_notices(sessions, county, 25)
    if director_away:
        start = dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=1)
        async with sessions() as session, session.begin():
            await roster.record_absence(session, official_id=county.officials["DIR"], starts_at=start,
                                        ends_at=start + dt.timedelta(days=2), reason=AbsenceReason.STUDY,
                                        actor=SYSTEM)
    reader = "DDIR1" if director_away else "DIR"
    token = await api.login(county.account(reader), PASSWORD)
    first = await api.call(INBOX, {"first": 25}, token=token)
    small = await api.call(INBOX, {"first": 2}, token=token)
    large = await api.call(INBOX, {"first": 25}, token=token)
    assert not first.errors and not small.errors and not large.errors
    assert len(small.data["inbox"]["edges"]) == 2 and len(large.data["inbox"]["edges"]) == 25
    assert {edge["node"]["route"] for edge in large.data["inbox"]["edges"]} == (
        {"DEPUTY"} if director_away else {"DIRECT"})
    assert large.data == first.data
    assert first.sql_statements <= 6
    assert small.sql_statements == large.sql_statements <= first.sql_statements
    with capsys.disabled():
        print(f"\n[query count] inbox with steps, assignments, documents ({reader} reading): "
              f"{first.sql_statements} statements for the first 25 (roster read), then {small.sql_statements} "
              f"for 2 and {large.sql_statements} for 25")
