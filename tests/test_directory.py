"""What front-end teams read: counties, officials, departments, portfolios, AB pairs, absences."""

from __future__ import annotations

import datetime as dt

import pytest

from domain.roster import AbsenceReason, Role
from services import roster
from tests.county import PASSWORD, SYSTEM, TERM_START, build_county, create_system_admin

CST = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
async def county(sessions):
    return await build_county(sessions)


@pytest.fixture
async def admin(api, county):
    return await api.login(county.admin, PASSWORD)


async def test_officials_come_in_rank_order_page_by_page(api, county, admin):
    query = """query($after: String) { officials(first: 4, after: $after) {
                 totalCount pageInfo { hasNextPage endCursor } edges { cursor node { code rankOrder } } } }"""
    seen, after = [], None
    while True:
        page = (await api.ok(query, {"after": after}, token=admin))["officials"]
        seen += [edge["node"]["code"] for edge in page["edges"]]
        assert page["totalCount"] == 13
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen[:3] == ["MAG", "EVM", "VM1"]
    assert len(seen) == len(set(seen)) == 13


async def test_a_forged_cursor_is_a_clear_error(api, county, admin):
    response = await api.call('{ officials(after: "bm90LWEtY3Vyc29y") { totalCount } }', token=admin)
    assert response.error_codes == ["BAD_USER_INPUT"]


async def test_a_page_larger_than_the_limit_is_refused(api, county, admin):
    response = await api.call("{ officials(first: 1000) { totalCount } }", token=admin)
    assert response.error_codes == ["BAD_USER_INPUT"]


async def test_officials_filtered_by_role_and_name(api, county, admin):
    vms = await api.ok('{ officials(filter: {role: VICE_MAGISTRATE}) { edges { node { code } } } }', token=admin)
    assert [e["node"]["code"] for e in vms["officials"]["edges"]] == ["VM1", "VM2", "VM3"]
    named = await api.ok('{ officials(filter: {nameContains: "局长"}) { edges { node { code } } } }', token=admin)
    assert {e["node"]["code"] for e in named["officials"]["edges"]} == {"FIN", "FIN2", "JUS", "EDU"}


async def test_officials_of_one_department(api, county, admin):
    data = await api.ok('query($d: ID!) { officials(filter: {departmentId: $d}) { edges { node { code } } } }',
                        {"d": county.department("县政府办公室")}, token=admin)
    assert [e["node"]["code"] for e in data["officials"]["edges"]] == ["DIR", "DDIR1", "DDIR2"]


async def test_a_vice_magistrates_portfolio_and_each_departments_leader_in_charge(api, county, admin):
    data = await api.ok(
        'query($id: ID!) { node(id: $id) { ... on Official { name portfolio { name leaderInCharge { code } } } } }',
        {"id": county.official("VM2")}, token=admin,
    )
    portfolio = data["node"]["portfolio"]
    assert {d["name"] for d in portfolio} == {"交通运输局", "城关镇"}
    assert all(d["leaderInCharge"]["code"] == "VM2" for d in portfolio)


async def test_the_departments_principal_and_deputies_in_rank_order(api, county, admin):
    data = await api.ok(
        '{ departments(filter: {kind: GOVERNMENT_OFFICE}) { edges { node { name principal { code } deputies { code } } } } }',
        token=admin,
    )
    [office] = [e["node"] for e in data["departments"]["edges"]]
    assert office == {"name": "县政府办公室", "principal": {"code": "DIR"}, "deputies": [{"code": "DDIR1"},
                                                                                    {"code": "DDIR2"}]}


async def test_positions_keep_their_history(api, sessions, county, admin):
    async with sessions() as session, session.begin():
        successor = await roster.add_official(session, county_id=county.id, code="EVM2", name="秦常务",
                                              rank_order=2, actor=SYSTEM)
        await roster.appoint(session, official_id=successor.id, role=Role.EXECUTIVE_VICE_MAGISTRATE,
                             effective_from=dt.date(2025, 6, 1), actor=SYSTEM, replace_incumbent=True)
    query = """query($id: ID!, $on: Date) { node(id: $id) { ... on Official {
                 now: positions(on: $on) { role effectiveFrom effectiveTo }
                 all: positions(includeEnded: true) { role effectiveFrom effectiveTo } } } }"""
    data = await api.ok(query, {"id": county.official("EVM"), "on": "2025-07-01"}, token=admin)
    assert data["node"]["now"] == []
    assert data["node"]["all"] == [{"role": "EXECUTIVE_VICE_MAGISTRATE", "effectiveFrom": str(TERM_START),
                                    "effectiveTo": "2025-06-01"}]
    before = await api.ok(query, {"id": county.official("EVM"), "on": "2025-05-31"}, token=admin)
    assert before["node"]["now"][0]["role"] == "EXECUTIVE_VICE_MAGISTRATE"


async def test_ab_pairs_in_force(api, county, admin):
    data = await api.ok("{ abPairs { totalCount edges { node { officials { code } } } } }", token=admin)
    pairs = {frozenset(o["code"] for o in e["node"]["officials"]) for e in data["abPairs"]["edges"]}
    assert pairs == {frozenset({"EVM", "VM1"}), frozenset({"VM2", "VM3"})}
    partner = await api.ok('query($id: ID!) { node(id: $id) { ... on Official { abPartner { code } } } }',
                           {"id": county.official("VM3")}, token=admin)
    assert partner["node"]["abPartner"]["code"] == "VM2"


async def test_absences_in_a_period_with_the_acting_person(api, sessions, county, admin):
    start = dt.datetime(2026, 12, 1, 8, tzinfo=CST)
    async with sessions() as session, session.begin():
        await roster.record_absence(session, official_id=county.officials["VM1"], starts_at=start,
                                    ends_at=start + dt.timedelta(days=2), reason=AbsenceReason.STUDY,
                                    acting_official_id=county.officials["EVM"], actor=SYSTEM)
        await roster.record_absence(session, official_id=county.officials["VM2"],
                                    starts_at=start + dt.timedelta(days=10), ends_at=start + dt.timedelta(days=11),
                                    reason=AbsenceReason.LEAVE, actor=SYSTEM)
    query = """query($from: DateTime, $to: DateTime) { absences(from: $from, to: $to) {
                 edges { node { official { code } reason actingOfficial { code } } } } }"""
    data = await api.ok(query, {"from": start.isoformat(), "to": (start + dt.timedelta(days=5)).isoformat()},
                        token=admin)
    assert [e["node"] for e in data["absences"]["edges"]] == [
        {"official": {"code": "VM1"}, "reason": "STUDY", "actingOfficial": {"code": "EVM"}}
    ]


async def test_global_ids_round_trip_through_node(api, county, admin):
    data = await api.ok('{ departments(filter: {kind: JUSTICE}) { edges { node { id name county { id code } } } } }',
                        token=admin)
    department = data["departments"]["edges"][0]["node"]
    again = await api.ok('query($id: ID!) { node(id: $id) { __typename ... on Department { name } } }',
                         {"id": department["id"]}, token=admin)
    assert again["node"] == {"__typename": "Department", "name": "司法局"}
    assert department["county"]["id"] == county.gid


async def test_another_countys_records_are_invisible(api, sessions, county, admin):
    other = await build_county(sessions, code="lulong")
    hidden = await api.ok('query($id: ID!) { node(id: $id) { id } }', {"id": other.official("MAG")}, token=admin)
    assert hidden["node"] is None
    refused = await api.call('query($c: ID!) { officials(countyId: $c) { totalCount } }', {"c": other.gid},
                             token=admin)
    assert refused.error_codes == ["FORBIDDEN"]
    counties = await api.ok("{ counties { edges { node { code } } } }", token=admin)
    assert [e["node"]["code"] for e in counties["counties"]["edges"]] == ["yanjin"]


async def test_a_system_administrator_reads_every_county(api, sessions, county):
    await build_county(sessions, code="lulong")
    token = await api.login(await create_system_admin(sessions), PASSWORD)
    counties = await api.ok("{ counties { edges { node { id code ruleSet } } } }", token=token)
    listed = {e["node"]["code"]: e["node"] for e in counties["counties"]["edges"]}
    assert set(listed) == {"yanjin", "lulong"}
    data = await api.ok('query($c: ID!) { officials(countyId: $c, first: 1) { edges { node { name } } } }',
                        {"c": listed["lulong"]["id"]}, token=token)
    assert data["officials"]["edges"][0]["node"]["name"] == "林县长"


async def test_a_system_administrator_must_name_the_county(api, sessions, county):
    token = await api.login(await create_system_admin(sessions), PASSWORD)
    assert (await api.call("{ officials { totalCount } }", token=token)).error_codes == ["BAD_REQUEST"]
