"""County administrators change the roster through GraphQL: every change audited, every refusal writes nothing."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable

import pytest
from sqlalchemy import select
from strawberry.relay import from_base64, to_base64

from db.models import Account, AuditEvent, Base
from domain.roster import AccountRole, Role
from services import audit, auth, roster
from tests.county import PASSWORD, SYSTEM, TERM_START, build_county, create_system_admin

CST = dt.timezone(dt.timedelta(hours=8))
DAY = dt.date(2025, 3, 1)
NEXT_DAY = DAY + dt.timedelta(days=1)
DAY_BEFORE = DAY - dt.timedelta(days=1)
MONDAY_9AM = dt.datetime(2025, 3, 3, 9, 0, tzinfo=CST)


def _mutation(name: str, payload: str, input_type: str | None = None) -> str:
    input_type = input_type or name[0].upper() + name[1:] + "Input"
    return f"""mutation($input: {input_type}!) {{
      {name}(input: $input) {{ __typename ... on MutationError {{ code field message }} {payload} }}
    }}"""


OFFICIAL = "official { id code name rankOrder retiredOn }"
POSITION = "position { id role effectiveFrom effectiveTo deputyRank official { code } department { name } }"
DEPARTMENT = "department { id name kind }"
AB_PAIR = "abPair { id effectiveFrom effectiveTo officials { code } }"
ABSENCE = "absence { id startsAt endsAt reason note cancelledAt official { code } actingOfficial { code } }"
ENTRUSTMENT = "entrustment { id startsAt endsAt note cancelledAt entrusting { code } entrusted { code } }"

_M = {
    "createCounty": _mutation("createCounty", "... on CountyPayload { county { id code name ruleSet } }"),
    "addOfficial": _mutation("addOfficial", f"... on OfficialPayload {{ {OFFICIAL} }}"),
    "updateOfficial": _mutation("updateOfficial", f"... on OfficialPayload {{ {OFFICIAL} }}"),
    "retireOfficial": _mutation("retireOfficial", f"... on OfficialPayload {{ {OFFICIAL} }}"),
    "appointToPosition": _mutation("appointToPosition", f"... on PositionPayload {{ {POSITION} }}", "AppointInput"),
    "removeFromPosition": _mutation("removeFromPosition", f"... on PositionPayload {{ {POSITION} }}"),
    "createDepartment": _mutation("createDepartment", f"... on DepartmentPayload {{ {DEPARTMENT} }}"),
    "renameDepartment": _mutation("renameDepartment", f"... on DepartmentPayload {{ {DEPARTMENT} }}"),
    "setDepartmentPrincipal": _mutation("setDepartmentPrincipal", f"... on PositionPayload {{ {POSITION} }}"),
    "setPortfolio": _mutation("setPortfolio",
                              "... on PortfolioPayload { official { code } departments { name } }"),
    "pairAbPartners": _mutation("pairAbPartners", f"... on AbPairPayload {{ {AB_PAIR} }}"),
    "endAbPair": _mutation("endAbPair", f"... on AbPairPayload {{ {AB_PAIR} }}"),
    "recordAbsence": _mutation("recordAbsence", f"... on AbsencePayload {{ {ABSENCE} }}"),
    "cancelAbsence": _mutation("cancelAbsence", f"... on AbsencePayload {{ {ABSENCE} }}"),
    "recordEntrustment": _mutation("recordEntrustment", f"... on EntrustmentPayload {{ {ENTRUSTMENT} }}"),
    "cancelEntrustment": _mutation("cancelEntrustment", f"... on EntrustmentPayload {{ {ENTRUSTMENT} }}"),
}


def _jsonable(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


async def mutate(api, token: str | None, mutation: str, /, **input) -> dict:
    """Run one mutation and return its result (payload or MutationError)."""
    data = await api.ok(_M[mutation], {"input": {k: _jsonable(v) for k, v in input.items()}}, token=token)
    return data[mutation]


async def succeed(api, token, mutation: str, /, **input) -> dict:
    result = await mutate(api, token, mutation, **input)
    assert result["__typename"] != "MutationError", result
    return result


async def snapshot(sessions) -> dict[str, list[tuple]]:
    """Every row of every table, to prove a refused change wrote nothing anywhere."""
    async with sessions() as session:
        return {
            table.name: sorted((tuple(row) for row in (await session.execute(select(table))).all()), key=repr)
            for table in Base.metadata.sorted_tables
        }


async def refused(api, sessions, token, mutation: str, /, *, expect: tuple[str, str | None], **input) -> dict:
    """Run a mutation that must be refused with ``expect`` (code, field) and write nothing."""
    return await refused_writing_nothing(sessions, lambda: mutate(api, token, mutation, **input), expect)


async def refused_writing_nothing(sessions, attempt: Callable[[], Awaitable[dict]],
                                  expect: tuple[str, str | None]) -> dict:
    """``attempt`` (a mutation's result) must be a MutationError with ``expect`` (code, field), and every table
    must hold the same rows after it as before."""
    before = await snapshot(sessions)
    result = await attempt()
    assert result["__typename"] == "MutationError", result
    assert (result["code"], result["field"]) == expect, result
    assert await snapshot(sessions) == before, "a refused change wrote something"
    return result


async def events(sessions, county_id: int | None = None) -> list[AuditEvent]:
    async with sessions() as session:
        stmt = select(AuditEvent).order_by(AuditEvent.county_id, AuditEvent.seq)
        if county_id is not None:
            stmt = stmt.where(AuditEvent.county_id == county_id)
        return list((await session.execute(stmt)).scalars())


async def actions_since(sessions, county_id: int, seen: int) -> list[str]:
    return [event.action for event in (await events(sessions, county_id))[seen:]]


async def account_id(sessions, username: str) -> int:
    async with sessions() as session:
        return (await session.execute(select(Account.id).where(Account.username == username))).scalar_one()


async def read(api, token, query: str, **variables) -> dict:
    return await api.ok(query, {k: _jsonable(v) for k, v in variables.items()}, token=token)


POSITIONS = """query($id: ID!, $on: Date) { node(id: $id) { ... on Official {
  code retiredOn
  current: positions(on: $on) { role effectiveFrom effectiveTo department { name } }
  history: positions(includeEnded: true) { role effectiveFrom effectiveTo department { name } }
  portfolio(on: $on) { name }
  abPartner(on: $on) { code }
} } }"""

DEPARTMENT_ON = """query($id: ID!, $on: Date) { node(id: $id) { ... on Department {
  name principal(on: $on) { code } leaderInCharge(on: $on) { code } deputies(on: $on) { code }
} } }"""

HOLDERS = """query($role: PositionRole!, $on: Date) {
  officials(filter: {role: $role}, on: $on) { edges { node { code } } }
}"""


async def holders(api, token, role: str, on: dt.date) -> list[str]:
    data = await read(api, token, HOLDERS, role=role, on=on)
    return [edge["node"]["code"] for edge in data["officials"]["edges"]]


@pytest.fixture
async def county(sessions):
    return await build_county(sessions)


@pytest.fixture
async def admin(api, county) -> str:
    return await api.login(county.admin, PASSWORD)


async def add_vice_magistrates(sessions, county, *codes: str) -> None:
    """Unpaired vice magistrates with empty portfolios, serving since the term start."""
    async with sessions() as session, session.begin():
        for rank, code in enumerate(codes, start=20):
            official = await roster.add_official(session, county_id=county.id, code=code, name=f"{code}副县长",
                                                 rank_order=rank, actor=SYSTEM)
            county.officials[code] = official.id
            position = await roster.appoint(session, official_id=official.id, role=Role.VICE_MAGISTRATE,
                                            effective_from=TERM_START, actor=SYSTEM)
            county.positions[code] = position.id


# ================================================================ officials


async def test_an_admin_adds_an_official_and_corrects_his_name_and_rank(api, sessions, county, admin):
    seen = len(await events(sessions, county.id))
    added = await succeed(api, admin, "addOfficial", code=" AUD ", name=" 孙局长 ", rankOrder=14)
    assert {k: added["official"][k] for k in ("code", "name", "rankOrder", "retiredOn")} == {
        "code": "AUD", "name": "孙局长", "rankOrder": 14, "retiredOn": None}

    updated = await succeed(api, admin, "updateOfficial", id=added["official"]["id"], name="孙审计局长",
                            rankOrder=15)
    assert (updated["official"]["code"], updated["official"]["name"], updated["official"]["rankOrder"]) == (
        "AUD", "孙审计局长", 15)
    assert await actions_since(sessions, county.id, seen) == ["official.add", "official.update"]
    update_event = (await events(sessions, county.id))[-1]
    assert (update_event.before["name"], update_event.after["name"]) == ("孙局长", "孙审计局长")
    assert (update_event.before["rank_order"], update_event.after["rank_order"]) == (14, 15)


async def test_retiring_a_vice_magistrate_ends_his_position_portfolio_and_ab_pair(api, sessions, county, admin):
    seen = len(await events(sessions, county.id))
    retired = await succeed(api, admin, "retireOfficial", id=county.official("VM2"), retiredOn=DAY)
    assert retired["official"]["retiredOn"] == DAY.isoformat()

    vm2 = (await read(api, admin, POSITIONS, id=county.official("VM2"), on=DAY))["node"]
    assert vm2["current"] == [] and vm2["portfolio"] == [] and vm2["abPartner"] is None
    assert vm2["history"] == [{"role": "VICE_MAGISTRATE", "effectiveFrom": TERM_START.isoformat(),
                               "effectiveTo": DAY.isoformat(), "department": None}]
    before = (await read(api, admin, POSITIONS, id=county.official("VM2"), on=DAY_BEFORE))["node"]
    assert {d["name"] for d in before["portfolio"]} == {"交通运输局", "城关镇"}
    assert before["abPartner"] == {"code": "VM3"}
    vm3 = (await read(api, admin, POSITIONS, id=county.official("VM3"), on=DAY))["node"]
    assert vm3["abPartner"] is None
    assert await actions_since(sessions, county.id, seen) == [
        "position.end", "portfolio.end", "portfolio.end", "ab_pair.end", "official.retire"]
    await refused(api, sessions, admin, "retireOfficial", id=county.official("VM2"), retiredOn=NEXT_DAY,
                  expect=("ALREADY_ENDED", "id"))


async def test_a_staff_code_already_used_in_the_county_is_refused(api, sessions, county, admin):
    await refused(api, sessions, admin, "addOfficial", code="VM1", name="重名", rankOrder=30,
                  expect=("DUPLICATE", "code"))
    await refused(api, sessions, admin, "updateOfficial", id=county.official("VM2"), code=" VM1 ",
                  expect=("DUPLICATE", "code"))


async def test_the_same_staff_code_may_be_used_in_another_county(api, sessions, county, admin):
    other = await build_county(sessions, code="lulong")
    other_admin = await api.login(other.admin, PASSWORD)
    await succeed(api, other_admin, "addOfficial", code="AUD", name="孙局长", rankOrder=14)
    await succeed(api, admin, "addOfficial", code="AUD", name="孙局长", rankOrder=14)


# ================================================================ positions


async def test_a_deputy_appointed_then_removed_keeps_the_ended_position_in_history(api, sessions, county, admin):
    added = await succeed(api, admin, "addOfficial", code="FIN3", name="许副局长", rankOrder=14)
    official_id = added["official"]["id"]
    seen = len(await events(sessions, county.id))
    appointed = await succeed(api, admin, "appointToPosition", officialId=official_id, role="DEPARTMENT_DEPUTY",
                              departmentId=county.department("财政局"), effectiveFrom=DAY)
    position = appointed["position"]
    assert (position["role"], position["deputyRank"], position["department"]["name"]) == (
        "DEPARTMENT_DEPUTY", 2, "财政局")
    deputies = (await read(api, admin, DEPARTMENT_ON, id=county.department("财政局"), on=DAY))["node"]["deputies"]
    assert [d["code"] for d in deputies] == ["FIN2", "FIN3"]

    removal_day = dt.date(2025, 9, 1)
    removed = await succeed(api, admin, "removeFromPosition", positionId=position["id"], effectiveTo=removal_day)
    assert removed["position"]["effectiveTo"] == removal_day.isoformat()

    after = (await read(api, admin, POSITIONS, id=official_id, on=removal_day))["node"]
    assert after["current"] == []
    assert after["history"] == [{"role": "DEPARTMENT_DEPUTY", "effectiveFrom": DAY.isoformat(),
                                 "effectiveTo": removal_day.isoformat(), "department": {"name": "财政局"}}]
    assert await actions_since(sessions, county.id, seen) == ["position.appoint", "position.end"]
    end_event = (await events(sessions, county.id))[-1]
    assert (end_event.before["effective_to"], end_event.after["effective_to"]) == (None, removal_day.isoformat())
    await refused(api, sessions, admin, "removeFromPosition", positionId=position["id"], effectiveTo=removal_day,
                  expect=("ALREADY_ENDED", "effectiveTo"))


async def test_a_new_magistrate_succeeds_the_incumbent_with_replace_incumbent(api, sessions, county, admin):
    added = await succeed(api, admin, "addOfficial", code="MAG2", name="高县长", rankOrder=1)
    seen = len(await events(sessions, county.id))
    await succeed(api, admin, "appointToPosition", officialId=added["official"]["id"], role="MAGISTRATE",
                  effectiveFrom=DAY, replaceIncumbent=True)
    assert await holders(api, admin, "MAGISTRATE", DAY_BEFORE) == ["MAG"]
    assert await holders(api, admin, "MAGISTRATE", DAY) == ["MAG2"]
    mag = (await read(api, admin, POSITIONS, id=county.official("MAG"), on=DAY))["node"]
    assert mag["history"] == [{"role": "MAGISTRATE", "effectiveFrom": TERM_START.isoformat(),
                               "effectiveTo": DAY.isoformat(), "department": None}]
    assert await actions_since(sessions, county.id, seen) == ["position.end", "position.appoint"]


async def test_a_second_magistrate_without_replace_incumbent_is_refused(api, sessions, county, admin):
    added = await succeed(api, admin, "addOfficial", code="MAG2", name="高县长", rankOrder=1)
    await refused(api, sessions, admin, "appointToPosition", officialId=added["official"]["id"], role="MAGISTRATE",
                  effectiveFrom=DAY, expect=("POSITION_OCCUPIED", "role"))


async def test_removing_the_only_magistrate_without_a_successor_is_refused(api, sessions, county, admin):
    await refused(api, sessions, admin, "removeFromPosition", positionId=county.position("MAG"), effectiveTo=DAY,
                  expect=("MAGISTRATE_REQUIRED", "effectiveTo"))


async def test_retiring_the_only_magistrate_without_a_successor_is_refused(api, sessions, county, admin):
    await refused(api, sessions, admin, "retireOfficial", id=county.official("MAG"), retiredOn=DAY,
                  expect=("MAGISTRATE_REQUIRED", "retiredOn"))


async def test_the_magistrate_may_retire_once_his_successor_is_appointed(api, sessions, county, admin):
    added = await succeed(api, admin, "addOfficial", code="MAG2", name="高县长", rankOrder=1)
    await succeed(api, admin, "appointToPosition", officialId=added["official"]["id"], role="MAGISTRATE",
                  effectiveFrom=DAY, replaceIncumbent=True)
    retired = await succeed(api, admin, "retireOfficial", id=county.official("MAG"), retiredOn=NEXT_DAY)
    assert retired["official"]["retiredOn"] == NEXT_DAY.isoformat()


async def test_a_retired_official_cannot_be_appointed(api, sessions, county, admin):
    await succeed(api, admin, "retireOfficial", id=county.official("EDU"), retiredOn=DAY)
    await refused(api, sessions, admin, "appointToPosition", officialId=county.official("EDU"),
                  role="DEPARTMENT_DEPUTY", departmentId=county.department("财政局"), effectiveFrom=NEXT_DAY,
                  expect=("RETIRED", "officialId"))


async def test_an_official_due_to_retire_cannot_be_given_a_position_that_outlasts_his_service(
        api, sessions, county, admin):
    await succeed(api, admin, "retireOfficial", id=county.official("EDU"), retiredOn=dt.date(2025, 6, 1))
    await refused(api, sessions, admin, "appointToPosition", officialId=county.official("EDU"),
                  role="DEPARTMENT_DEPUTY", departmentId=county.department("财政局"), effectiveFrom=DAY,
                  expect=("RETIRED", "officialId"))


async def test_a_department_id_where_an_official_id_is_expected_is_refused(api, sessions, county, admin):
    await refused(api, sessions, admin, "appointToPosition", officialId=county.department("财政局"),
                  role="DEPARTMENT_DEPUTY", departmentId=county.department("财政局"), effectiveFrom=DAY,
                  expect=("WRONG_ID_TYPE", "officialId"))
    await refused(api, sessions, admin, "appointToPosition", officialId=county.official("FIN2"),
                  role="DEPARTMENT_DEPUTY", departmentId=county.official("FIN"), effectiveFrom=DAY,
                  expect=("WRONG_ID_TYPE", "departmentId"))
    await refused(api, sessions, admin, "pairAbPartners", officialAId=county.official("VM1"),
                  officialBId=county.department("财政局"), effectiveFrom=DAY,
                  expect=("WRONG_ID_TYPE", "officialBId"))


# ================================================================ departments


async def test_a_department_is_created_and_renamed(api, sessions, county, admin):
    seen = len(await events(sessions, county.id))
    created = await succeed(api, admin, "createDepartment", name=" 审计局 ", kind="AUDIT")
    assert (created["department"]["name"], created["department"]["kind"]) == ("审计局", "AUDIT")
    renamed = await succeed(api, admin, "renameDepartment", id=created["department"]["id"], name="县审计局")
    assert renamed["department"]["name"] == "县审计局"
    assert await actions_since(sessions, county.id, seen) == ["department.create", "department.rename"]
    rename_event = (await events(sessions, county.id))[-1]
    assert (rename_event.before["name"], rename_event.after["name"]) == ("审计局", "县审计局")


async def test_a_department_name_already_used_in_the_county_is_refused(api, sessions, county, admin):
    await refused(api, sessions, admin, "createDepartment", name="财政局", kind="WORKING",
                  expect=("DUPLICATE", "name"))
    await refused(api, sessions, admin, "renameDepartment", id=county.department("教育局"), name=" 财政局",
                  expect=("DUPLICATE", "name"))


async def test_a_new_principal_ends_the_previous_principals_term_that_day(api, sessions, county, admin):
    seen = len(await events(sessions, county.id))
    result = await succeed(api, admin, "setDepartmentPrincipal", departmentId=county.department("财政局"),
                           officialId=county.official("FIN2"), effectiveFrom=DAY)
    assert (result["position"]["role"], result["position"]["official"]["code"]) == ("DEPARTMENT_PRINCIPAL", "FIN2")
    before = (await read(api, admin, DEPARTMENT_ON, id=county.department("财政局"), on=DAY_BEFORE))["node"]
    after = (await read(api, admin, DEPARTMENT_ON, id=county.department("财政局"), on=DAY))["node"]
    assert (before["principal"], after["principal"]) == ({"code": "FIN"}, {"code": "FIN2"})
    fin = (await read(api, admin, POSITIONS, id=county.official("FIN"), on=DAY))["node"]
    assert fin["history"][0]["effectiveTo"] == DAY.isoformat() and fin["current"] == []
    assert await actions_since(sessions, county.id, seen) == ["position.end", "position.appoint"]


async def test_a_principal_from_another_county_is_refused_on_the_official_field(api, sessions, county, admin):
    other = await build_county(sessions, code="lulong")
    await refused(api, sessions, admin, "setDepartmentPrincipal", departmentId=county.department("财政局"),
                  officialId=other.official("FIN2"), effectiveFrom=DAY, expect=("NOT_FOUND", "officialId"))


# ================================================================ portfolios


async def test_a_portfolio_is_replaced_from_a_day_and_the_leader_in_charge_follows(api, sessions, county, admin):
    seen = len(await events(sessions, county.id))
    vm2 = await succeed(api, admin, "setPortfolio", officialId=county.official("VM2"),
                        departmentIds=[county.department("城关镇")], effectiveFrom=DAY)
    assert [d["name"] for d in vm2["departments"]] == ["城关镇"]
    vm1 = await succeed(api, admin, "setPortfolio", officialId=county.official("VM1"),
                        departmentIds=[county.department("教育局"), county.department("交通运输局")],
                        effectiveFrom=DAY)
    assert sorted(d["name"] for d in vm1["departments"]) == ["交通运输局", "教育局"]

    transport = county.department("交通运输局")
    assert (await read(api, admin, DEPARTMENT_ON, id=transport, on=DAY_BEFORE))["node"]["leaderInCharge"] == {
        "code": "VM2"}
    assert (await read(api, admin, DEPARTMENT_ON, id=transport, on=DAY))["node"]["leaderInCharge"] == {"code": "VM1"}
    assert [d["name"] for d in (await read(api, admin, POSITIONS, id=county.official("VM2"), on=DAY))["node"][
        "portfolio"]] == ["城关镇"]
    assert await actions_since(sessions, county.id, seen) == ["portfolio.end", "portfolio.assign"]


async def test_an_empty_portfolio_leaves_the_departments_without_a_leader_in_charge(api, sessions, county, admin):
    result = await succeed(api, admin, "setPortfolio", officialId=county.official("VM3"), departmentIds=[],
                           effectiveFrom=DAY)
    assert result["departments"] == []
    justice = (await read(api, admin, DEPARTMENT_ON, id=county.department("司法局"), on=DAY))["node"]
    assert justice["leaderInCharge"] is None


async def test_a_department_in_another_vice_magistrates_portfolio_is_refused(api, sessions, county, admin):
    await refused(api, sessions, admin, "setPortfolio", officialId=county.official("VM1"),
                  departmentIds=[county.department("教育局"), county.department("财政局")], effectiveFrom=DAY,
                  expect=("DEPARTMENT_ALREADY_IN_PORTFOLIO", "departmentIds"))


async def test_only_a_vice_magistrate_has_a_portfolio(api, sessions, county, admin):
    await refused(api, sessions, admin, "setPortfolio", officialId=county.official("DIR"),
                  departmentIds=[county.department("交通运输局")], effectiveFrom=DAY,
                  expect=("NOT_A_VICE_MAGISTRATE", "officialId"))


async def test_a_portfolio_set_before_a_vice_magistrate_leaves_ends_when_he_leaves(api, sessions, county, admin):
    leaving = dt.date(2025, 6, 1)
    await succeed(api, admin, "removeFromPosition", positionId=county.position("VM2"), effectiveTo=leaving)
    audit_office = (await succeed(api, admin, "createDepartment", name="审计局", kind="AUDIT"))["department"]["id"]
    await succeed(api, admin, "setPortfolio", officialId=county.official("VM2"),
                  departmentIds=[county.department("交通运输局"), audit_office], effectiveFrom=DAY)
    for department in (county.department("交通运输局"), audit_office):
        assert (await read(api, admin, DEPARTMENT_ON, id=department, on=DAY))["node"]["leaderInCharge"] == {
            "code": "VM2"}
        assert (await read(api, admin, DEPARTMENT_ON, id=department, on=leaving))["node"]["leaderInCharge"] is None
    # ...so the departments are free for another vice magistrate from that day.
    await succeed(api, admin, "setPortfolio", officialId=county.official("VM3"),
                  departmentIds=[county.department("司法局"), county.department("交通运输局"), audit_office],
                  effectiveFrom=leaving)


async def test_a_portfolio_set_again_from_an_earlier_day_covers_the_days_in_between(api, sessions, county, admin):
    education = county.department("教育局")
    await succeed(api, admin, "setPortfolio", officialId=county.official("VM1"), departmentIds=[],
                  effectiveFrom=dt.date(2025, 2, 1))
    await succeed(api, admin, "setPortfolio", officialId=county.official("VM1"), departmentIds=[education],
                  effectiveFrom=dt.date(2025, 5, 1))
    await succeed(api, admin, "setPortfolio", officialId=county.official("VM1"), departmentIds=[education],
                  effectiveFrom=DAY)
    for on in (DAY, dt.date(2025, 4, 1), dt.date(2025, 6, 1)):
        leader = (await read(api, admin, DEPARTMENT_ON, id=education, on=on))["node"]["leaderInCharge"]
        assert leader == {"code": "VM1"}, on
    assert (await read(api, admin, DEPARTMENT_ON, id=education, on=DAY_BEFORE))["node"]["leaderInCharge"] is None


# ================================================================ AB pairs


async def test_ab_partners_are_paired_and_the_pair_ended(api, sessions, county, admin):
    await add_vice_magistrates(sessions, county, "VM4", "VM5")
    seen = len(await events(sessions, county.id))
    paired = await succeed(api, admin, "pairAbPartners", officialAId=county.official("VM4"),
                           officialBId=county.official("VM5"), effectiveFrom=DAY)
    assert sorted(o["code"] for o in paired["abPair"]["officials"]) == ["VM4", "VM5"]
    vm4 = (await read(api, admin, POSITIONS, id=county.official("VM4"), on=DAY))["node"]
    assert vm4["abPartner"] == {"code": "VM5"}

    ended = await succeed(api, admin, "endAbPair", pairId=paired["abPair"]["id"], effectiveTo=NEXT_DAY)
    assert ended["abPair"]["effectiveTo"] == NEXT_DAY.isoformat()
    vm4 = (await read(api, admin, POSITIONS, id=county.official("VM4"), on=NEXT_DAY))["node"]
    assert vm4["abPartner"] is None
    assert await actions_since(sessions, county.id, seen) == ["ab_pair.create", "ab_pair.end"]

    # Both are free again from the day the pair ended.
    await succeed(api, admin, "pairAbPartners", officialAId=county.official("VM5"),
                  officialBId=county.official("VM4"), effectiveFrom=NEXT_DAY)


async def test_an_ab_partner_who_is_not_a_vice_magistrate_is_refused(api, sessions, county, admin):
    await add_vice_magistrates(sessions, county, "VM4")
    await refused(api, sessions, admin, "pairAbPartners", officialAId=county.official("VM4"),
                  officialBId=county.official("DIR"), effectiveFrom=DAY,
                  expect=("NOT_A_VICE_MAGISTRATE", "officialBId"))


async def test_an_ab_partner_from_another_county_is_refused(api, sessions, county, admin):
    await add_vice_magistrates(sessions, county, "VM4")
    other = await build_county(sessions, code="lulong")
    await refused(api, sessions, admin, "pairAbPartners", officialAId=county.official("VM4"),
                  officialBId=other.official("VM1"), effectiveFrom=DAY, expect=("NOT_FOUND", "officialBId"))


async def test_pairing_a_vice_magistrate_who_already_has_a_partner_is_refused(api, sessions, county, admin):
    await add_vice_magistrates(sessions, county, "VM4")
    await refused(api, sessions, admin, "pairAbPartners", officialAId=county.official("VM4"),
                  officialBId=county.official("VM3"), effectiveFrom=DAY, expect=("ALREADY_PAIRED", "officialBId"))
    await refused(api, sessions, admin, "pairAbPartners", officialAId=county.official("VM1"),
                  officialBId=county.official("VM4"), effectiveFrom=DAY, expect=("ALREADY_PAIRED", "officialAId"))


async def test_pairing_a_vice_magistrate_with_himself_is_refused(api, sessions, county, admin):
    await add_vice_magistrates(sessions, county, "VM4")
    await refused(api, sessions, admin, "pairAbPartners", officialAId=county.official("VM4"),
                  officialBId=county.official("VM4"), effectiveFrom=DAY, expect=("ACTING_FOR_SELF", "officialBId"))


async def test_a_pair_with_a_vice_magistrate_who_is_leaving_ends_when_he_leaves(api, sessions, county, admin):
    await add_vice_magistrates(sessions, county, "VM4", "VM5")
    leaving = dt.date(2025, 6, 1)
    await succeed(api, admin, "retireOfficial", id=county.official("VM5"), retiredOn=leaving)
    paired = await succeed(api, admin, "pairAbPartners", officialAId=county.official("VM4"),
                           officialBId=county.official("VM5"), effectiveFrom=DAY)
    assert paired["abPair"]["effectiveTo"] == leaving.isoformat()
    vm4 = (await read(api, admin, POSITIONS, id=county.official("VM4"), on=leaving))["node"]
    assert vm4["abPartner"] is None


# ================================================================ absences and entrustments


async def test_an_absence_naming_an_acting_official_is_recorded_then_cancelled(api, sessions, county, admin):
    seen = len(await events(sessions, county.id))
    recorded = await succeed(api, admin, "recordAbsence", officialId=county.official("VM2"), startsAt=MONDAY_9AM,
                             endsAt=MONDAY_9AM + dt.timedelta(days=2), reason="STUDY", note=" 党校学习 ",
                             actingOfficialId=county.official("VM1"))
    absence = recorded["absence"]
    assert (absence["official"], absence["actingOfficial"], absence["reason"], absence["note"]) == (
        {"code": "VM2"}, {"code": "VM1"}, "STUDY", "党校学习")
    assert dt.datetime.fromisoformat(absence["startsAt"]) == MONDAY_9AM

    cancelled = await succeed(api, admin, "cancelAbsence", absenceId=absence["id"])
    assert cancelled["absence"]["cancelledAt"] is not None
    listed = await read(api, admin, "query { absences { totalCount } }")
    assert listed["absences"]["totalCount"] == 0
    assert await actions_since(sessions, county.id, seen) == ["absence.record", "absence.cancel"]
    await refused(api, sessions, admin, "cancelAbsence", absenceId=absence["id"], expect=("ALREADY_ENDED", "absenceId"))


async def test_an_absence_without_a_named_acting_official_leaves_it_to_the_rules(api, sessions, county, admin):
    recorded = await succeed(api, admin, "recordAbsence", officialId=county.official("MAG"), startsAt=MONDAY_9AM,
                             endsAt=MONDAY_9AM + dt.timedelta(days=1), reason="BUSINESS_TRIP")
    assert recorded["absence"]["actingOfficial"] is None
    who = await read(api, admin, "query($id: ID!, $at: DateTime!) { whoActsFor(officialId: $id, at: $at) "
                                 "{ actor { code } } }",
                     id=county.official("MAG"), at=MONDAY_9AM + dt.timedelta(hours=1))
    assert who["whoActsFor"]["actor"] == {"code": "EVM"}


async def test_an_absence_ending_before_it_starts_is_refused(api, sessions, county, admin):
    await refused(api, sessions, admin, "recordAbsence", officialId=county.official("VM2"), startsAt=MONDAY_9AM,
                  endsAt=MONDAY_9AM - dt.timedelta(hours=1), reason="LEAVE", expect=("PERIOD_INVALID", "endsAt"))


async def test_an_absence_overlapping_another_of_the_same_official_is_refused(api, sessions, county, admin):
    await succeed(api, admin, "recordAbsence", officialId=county.official("VM2"), startsAt=MONDAY_9AM,
                  endsAt=MONDAY_9AM + dt.timedelta(days=2), reason="LEAVE")
    await refused(api, sessions, admin, "recordAbsence", officialId=county.official("VM2"),
                  startsAt=MONDAY_9AM + dt.timedelta(days=1), endsAt=MONDAY_9AM + dt.timedelta(days=3),
                  reason="BUSINESS_TRIP", expect=("ABSENCE_OVERLAP", "startsAt"))
    # Back to back is fine: periods are half-open.
    await succeed(api, admin, "recordAbsence", officialId=county.official("VM2"),
                  startsAt=MONDAY_9AM + dt.timedelta(days=2), endsAt=MONDAY_9AM + dt.timedelta(days=3),
                  reason="BUSINESS_TRIP")


async def test_an_official_named_to_act_for_himself_is_refused(api, sessions, county, admin):
    await refused(api, sessions, admin, "recordAbsence", officialId=county.official("VM2"), startsAt=MONDAY_9AM,
                  endsAt=MONDAY_9AM + dt.timedelta(days=1), reason="LEAVE", actingOfficialId=county.official("VM2"),
                  expect=("ACTING_FOR_SELF", "actingOfficialId"))


async def test_two_officials_away_at_once_naming_each_other_is_a_cover_cycle(api, sessions, county, admin):
    await succeed(api, admin, "recordAbsence", officialId=county.official("VM2"), startsAt=MONDAY_9AM,
                  endsAt=MONDAY_9AM + dt.timedelta(days=3), reason="LEAVE", actingOfficialId=county.official("VM3"))
    await refused(api, sessions, admin, "recordAbsence", officialId=county.official("VM3"),
                  startsAt=MONDAY_9AM + dt.timedelta(days=2), endsAt=MONDAY_9AM + dt.timedelta(days=4),
                  reason="LEAVE", actingOfficialId=county.official("VM2"), expect=("COVER_CYCLE", "actingOfficialId"))


async def test_a_longer_cover_cycle_is_refused(api, sessions, county, admin):
    week = dict(startsAt=MONDAY_9AM, endsAt=MONDAY_9AM + dt.timedelta(days=5), reason="BUSINESS_TRIP")
    await succeed(api, admin, "recordAbsence", officialId=county.official("VM1"),
                  actingOfficialId=county.official("VM2"), **week)
    await succeed(api, admin, "recordAbsence", officialId=county.official("VM2"),
                  actingOfficialId=county.official("VM3"), **week)
    await refused(api, sessions, admin, "recordAbsence", officialId=county.official("VM3"),
                  actingOfficialId=county.official("VM1"), expect=("COVER_CYCLE", "actingOfficialId"), **week)


async def test_a_cycle_is_found_even_when_the_other_official_has_two_absences_in_the_period(
        api, sessions, county, admin):
    # VM3 is away Thursday-Friday naming VM2 (reported first), and Monday naming VM1.
    # VM2 away Monday to Thursday naming VM3 leaves nobody on Thursday: a cycle.
    await succeed(api, admin, "recordAbsence", officialId=county.official("VM3"),
                  startsAt=MONDAY_9AM + dt.timedelta(days=3), endsAt=MONDAY_9AM + dt.timedelta(days=5),
                  reason="LEAVE", actingOfficialId=county.official("VM2"))
    await succeed(api, admin, "recordAbsence", officialId=county.official("VM3"), startsAt=MONDAY_9AM,
                  endsAt=MONDAY_9AM + dt.timedelta(hours=8), reason="LEAVE", actingOfficialId=county.official("VM1"))
    await refused(api, sessions, admin, "recordAbsence", officialId=county.official("VM2"), startsAt=MONDAY_9AM,
                  endsAt=MONDAY_9AM + dt.timedelta(days=4), reason="BUSINESS_TRIP",
                  actingOfficialId=county.official("VM3"), expect=("COVER_CYCLE", "actingOfficialId"))


async def test_absences_that_never_coincide_are_no_cover_cycle(api, sessions, county, admin):
    # VM1 away all week naming VM2; VM2 away Monday naming VM3; VM3 away Friday naming VM1.
    # Each overlaps VM1's absence, but VM2 and VM3 are never away together: nobody is left uncovered.
    await succeed(api, admin, "recordAbsence", officialId=county.official("VM2"), startsAt=MONDAY_9AM,
                  endsAt=MONDAY_9AM + dt.timedelta(hours=8), reason="LEAVE", actingOfficialId=county.official("VM3"))
    await succeed(api, admin, "recordAbsence", officialId=county.official("VM3"),
                  startsAt=MONDAY_9AM + dt.timedelta(days=4), endsAt=MONDAY_9AM + dt.timedelta(days=4, hours=8),
                  reason="LEAVE", actingOfficialId=county.official("VM1"))
    await succeed(api, admin, "recordAbsence", officialId=county.official("VM1"), startsAt=MONDAY_9AM,
                  endsAt=MONDAY_9AM + dt.timedelta(days=5), reason="BUSINESS_TRIP",
                  actingOfficialId=county.official("VM2"))


async def test_an_acting_official_from_another_county_is_refused(api, sessions, county, admin):
    other = await build_county(sessions, code="lulong")
    await refused(api, sessions, admin, "recordAbsence", officialId=county.official("VM2"), startsAt=MONDAY_9AM,
                  endsAt=MONDAY_9AM + dt.timedelta(days=1), reason="LEAVE", actingOfficialId=other.official("VM1"),
                  expect=("NOT_FOUND", "actingOfficialId"))


async def test_an_entrustment_is_recorded_and_cancelled(api, sessions, county, admin):
    seen = len(await events(sessions, county.id))
    recorded = await succeed(api, admin, "recordEntrustment", entrustedId=county.official("VM3"),
                             startsAt=MONDAY_9AM, endsAt=MONDAY_9AM + dt.timedelta(days=3), note="县长、常务均外出")
    entrustment = recorded["entrustment"]
    assert (entrustment["entrusting"], entrustment["entrusted"], entrustment["note"]) == (
        {"code": "MAG"}, {"code": "VM3"}, "县长、常务均外出")
    await refused(api, sessions, admin, "recordEntrustment", entrustedId=county.official("VM2"),
                  startsAt=MONDAY_9AM + dt.timedelta(days=1), endsAt=MONDAY_9AM + dt.timedelta(days=4),
                  expect=("DUPLICATE", "startsAt"))
    cancelled = await succeed(api, admin, "cancelEntrustment", entrustmentId=entrustment["id"])
    assert cancelled["entrustment"]["cancelledAt"] is not None
    assert (await read(api, admin, "query { entrustments { totalCount } }"))["entrustments"]["totalCount"] == 0
    assert await actions_since(sessions, county.id, seen) == ["entrustment.record", "entrustment.cancel"]


async def test_only_a_vice_magistrate_can_be_entrusted(api, sessions, county, admin):
    await refused(api, sessions, admin, "recordEntrustment", entrustedId=county.official("DIR"),
                  startsAt=MONDAY_9AM, endsAt=MONDAY_9AM + dt.timedelta(days=1),
                  expect=("NOT_A_VICE_MAGISTRATE", "entrustedId"))


# ================================================================ who may change the roster


async def test_an_officials_account_may_not_change_the_roster(api, sessions, county):
    token = await api.login(county.account("DIR"), PASSWORD)
    await refused(api, sessions, token, "addOfficial", code="AUD", name="孙局长", rankOrder=14,
                  expect=("FORBIDDEN", "countyId"))
    await refused(api, sessions, token, "updateOfficial", id=county.official("DIR"), name="冯某",
                  expect=("FORBIDDEN", "id"))
    await refused(api, sessions, token, "recordAbsence", officialId=county.official("DIR"), startsAt=MONDAY_9AM,
                  endsAt=MONDAY_9AM + dt.timedelta(days=1), reason="LEAVE", expect=("FORBIDDEN", "officialId"))


async def test_another_countys_admin_does_not_see_this_countys_records(api, sessions, county):
    other = await build_county(sessions, code="lulong")
    intruder = await api.login(other.admin, PASSWORD)
    attempts = [
        ("addOfficial", dict(code="AUD", name="孙局长", rankOrder=14, countyId=county.gid), "countyId"),
        ("createDepartment", dict(name="审计局", kind="AUDIT", countyId=county.gid), "countyId"),
        ("updateOfficial", dict(id=county.official("VM1"), name="改名"), "id"),
        ("retireOfficial", dict(id=county.official("VM1"), retiredOn=DAY), "id"),
        ("appointToPosition", dict(officialId=county.official("FIN2"), role="DEPARTMENT_DEPUTY",
                                   departmentId=other.department("财政局"), effectiveFrom=DAY), "officialId"),
        ("removeFromPosition", dict(positionId=county.position("FIN"), effectiveTo=DAY), "positionId"),
        ("renameDepartment", dict(id=county.department("财政局"), name="改名"), "id"),
        ("setDepartmentPrincipal", dict(departmentId=county.department("财政局"), officialId=other.official("FIN2"),
                                        effectiveFrom=DAY), "departmentId"),
        ("setPortfolio", dict(officialId=county.official("VM1"), departmentIds=[], effectiveFrom=DAY),
         "officialId"),
        ("pairAbPartners", dict(officialAId=county.official("VM1"), officialBId=other.official("VM1"),
                                effectiveFrom=DAY), "officialAId"),
        ("endAbPair", dict(pairId=to_base64("AbPair", county.ab_pairs["VM2-VM3"]), effectiveTo=DAY), "pairId"),
        ("recordAbsence", dict(officialId=county.official("VM1"), startsAt=MONDAY_9AM,
                               endsAt=MONDAY_9AM + dt.timedelta(days=1), reason="LEAVE"), "officialId"),
        ("recordEntrustment", dict(entrustedId=county.official("VM1"), startsAt=MONDAY_9AM,
                                   endsAt=MONDAY_9AM + dt.timedelta(days=1)), "entrustedId"),
    ]
    for mutation, input, field in attempts:
        await refused(api, sessions, intruder, mutation, expect=("NOT_FOUND", field), **input)


async def test_another_countys_absences_and_entrustments_cannot_be_cancelled(api, sessions, county, admin):
    other = await build_county(sessions, code="lulong")
    intruder = await api.login(other.admin, PASSWORD)
    absence = await succeed(api, admin, "recordAbsence", officialId=county.official("VM1"), startsAt=MONDAY_9AM,
                            endsAt=MONDAY_9AM + dt.timedelta(days=1), reason="LEAVE")
    entrustment = await succeed(api, admin, "recordEntrustment", entrustedId=county.official("VM3"),
                                startsAt=MONDAY_9AM, endsAt=MONDAY_9AM + dt.timedelta(days=1))
    await refused(api, sessions, intruder, "cancelAbsence", absenceId=absence["absence"]["id"],
                  expect=("NOT_FOUND", "absenceId"))
    await refused(api, sessions, intruder, "cancelEntrustment", entrustmentId=entrustment["entrustment"]["id"],
                  expect=("NOT_FOUND", "entrustmentId"))


async def test_anonymous_callers_must_sign_in(api, sessions, county):
    before = await snapshot(sessions)
    for mutation, input in [
        ("addOfficial", dict(code="AUD", name="孙局长", rankOrder=14, countyId=county.gid)),
        ("updateOfficial", dict(id=county.official("VM1"), name="改名")),
        ("createCounty", dict(code="new", name="新县", ruleSet="GENERIC_2022")),
    ]:
        response = await api.call(_M[mutation], {"input": input})
        assert response.error_codes == ["UNAUTHENTICATED"], response
        assert response.data is None
    assert await snapshot(sessions) == before


async def test_a_system_administrator_may_act_in_any_county(api, sessions, county):
    other = await build_county(sessions, code="lulong")
    root = await api.login(await create_system_admin(sessions), PASSWORD)
    root_id = await account_id(sessions, "root")
    for target in (county, other):
        seen = len(await events(sessions, target.id))
        await succeed(api, root, "addOfficial", code="AUD", name="孙局长", rankOrder=14, countyId=target.gid)
        await succeed(api, root, "updateOfficial", id=target.official("VM1"), rankOrder=30)
        added = await events(sessions, target.id)
        assert [(e.action, e.actor_account_id) for e in added[seen:]] == [
            ("official.add", root_id), ("official.update", root_id)]
    # With no county of its own, a system administrator must name one.
    await refused(api, sessions, root, "addOfficial", code="AUD2", name="孙局长", rankOrder=14,
                  expect=("INVALID", "countyId"))


async def test_only_system_administrators_create_counties(api, sessions, county, admin):
    for token in (admin, await api.login(county.account("MAG"), PASSWORD)):
        await refused(api, sessions, token, "createCounty", code="lulong", name="卢龙县", ruleSet="LULONG_2018",
                      expect=("FORBIDDEN", None))

    root = await api.login(await create_system_admin(sessions), PASSWORD)
    created = await succeed(api, root, "createCounty", code="lulong", name="卢龙县", ruleSet="LULONG_2018")
    assert (created["county"]["code"], created["county"]["ruleSet"]) == ("lulong", "LULONG_2018")
    _, county_id = from_base64(created["county"]["id"])
    [event] = [e for e in await events(sessions, int(county_id)) if e.action == "county.create"]
    assert (event.action, event.actor_account_id) == ("county.create", await account_id(sessions, "root"))
    await refused(api, sessions, root, "createCounty", code="lulong", name="卢龙县", ruleSet="LULONG_2018",
                  expect=("DUPLICATE", "code"))


# ================================================================ the audit trail


async def test_a_change_is_audited_with_the_actor_and_the_request_id(api, sessions, county, admin):
    reply = await api.client.post(
        "/graphql",
        json={"query": _M["updateOfficial"], "variables": {"input": {"id": county.official("VM1"), "name": "吴县长"}}},
        headers={"Authorization": f"Bearer {admin}", "X-Request-ID": "req-roster-0042"},
    )
    assert reply.json()["data"]["updateOfficial"]["official"]["name"] == "吴县长"
    assert reply.headers["x-request-id"] == "req-roster-0042"
    event = (await events(sessions, county.id))[-1]
    assert (event.action, event.entity, event.entity_id) == ("official.update", "official", county.officials["VM1"])
    assert event.actor_account_id == await account_id(sessions, county.admin)
    assert event.request_id == "req-roster-0042"
    assert (event.before["name"], event.after["name"]) == ("吴副县长", "吴县长")
    assert event.before["code"] == event.after["code"] == "VM1"


async def test_the_audit_trail_is_a_hash_chain_per_county(api, sessions, county, admin):
    other = await build_county(sessions, code="lulong")
    other_admin = await api.login(other.admin, PASSWORD)
    await succeed(api, admin, "addOfficial", code="AUD", name="孙局长", rankOrder=14)
    await succeed(api, other_admin, "createDepartment", name="审计局", kind="AUDIT")
    await succeed(api, admin, "retireOfficial", id=county.official("VM2"), retiredOn=DAY)
    await succeed(api, admin, "recordAbsence", officialId=county.official("VM1"), startsAt=MONDAY_9AM,
                  endsAt=MONDAY_9AM + dt.timedelta(days=1), reason="LEAVE")

    for county_id in (county.id, other.id):
        chain = await events(sessions, county_id)
        assert [e.seq for e in chain] == list(range(1, len(chain) + 1))
        assert chain[0].prev_hash == audit.GENESIS
        for previous, event in zip(chain, chain[1:]):
            assert event.prev_hash == previous.hash
        for event in chain:
            assert event.hash == audit.event_hash(
                prev_hash=event.prev_hash, county_id=event.county_id, seq=event.seq, at=event.at,
                actor_account_id=event.actor_account_id, action=event.action, entity=event.entity,
                entity_id=event.entity_id, before=event.before, after=event.after, request_id=event.request_id)
    # Tampering with any past event breaks its hash.
    tampered = (await events(sessions, county.id))[-1]
    assert tampered.hash != audit.event_hash(
        prev_hash=tampered.prev_hash, county_id=tampered.county_id, seq=tampered.seq, at=tampered.at,
        actor_account_id=tampered.actor_account_id, action=tampered.action, entity=tampered.entity,
        entity_id=tampered.entity_id, before=tampered.before, after={**tampered.after, "note": "edited"},
        request_id=tampered.request_id)


# ================================================================ two administrators at once


async def _second_admin(sessions, county) -> str:
    async with sessions() as session, session.begin():
        await auth.create_account(session, username=f"admin2.{county.code}", password=PASSWORD,
                                  role=AccountRole.COUNTY_ADMIN, county_id=county.id, actor=SYSTEM)
    return f"admin2.{county.code}"


async def test_two_admins_pairing_the_same_vice_magistrate_at_once_create_one_pair(api, sessions, county, admin):
    await add_vice_magistrates(sessions, county, "VM4", "VM5", "VM6")
    other_admin = await api.login(await _second_admin(sessions, county), PASSWORD)
    seen = len(await events(sessions, county.id))
    results = await asyncio.gather(
        mutate(api, admin, "pairAbPartners", officialAId=county.official("VM4"), officialBId=county.official("VM5"),
               effectiveFrom=DAY),
        mutate(api, other_admin, "pairAbPartners", officialAId=county.official("VM4"),
               officialBId=county.official("VM6"), effectiveFrom=DAY),
    )
    assert sorted(r["__typename"] for r in results) == ["AbPairPayload", "MutationError"], results
    [error] = [r for r in results if r["__typename"] == "MutationError"]
    assert (error["code"], error["field"]) == ("ALREADY_PAIRED", "officialAId")
    pairs = await read(api, admin, "query($on: Date) { abPairs(on: $on) { edges { node { officials { code } } } } }",
                       on=DAY)
    with_vm4 = [e for e in pairs["abPairs"]["edges"] if "VM4" in {o["code"] for o in e["node"]["officials"]}]
    assert len(with_vm4) == 1
    assert await actions_since(sessions, county.id, seen) == ["ab_pair.create"]


async def test_two_overlapping_absences_recorded_at_once_keep_one(api, sessions, county, admin):
    other_admin = await api.login(await _second_admin(sessions, county), PASSWORD)
    seen = len(await events(sessions, county.id))
    results = await asyncio.gather(
        mutate(api, admin, "recordAbsence", officialId=county.official("VM2"), startsAt=MONDAY_9AM,
               endsAt=MONDAY_9AM + dt.timedelta(days=2), reason="LEAVE"),
        mutate(api, other_admin, "recordAbsence", officialId=county.official("VM2"),
               startsAt=MONDAY_9AM + dt.timedelta(days=1), endsAt=MONDAY_9AM + dt.timedelta(days=3),
               reason="BUSINESS_TRIP"),
    )
    assert sorted(r["__typename"] for r in results) == ["AbsencePayload", "MutationError"], results
    [error] = [r for r in results if r["__typename"] == "MutationError"]
    assert (error["code"], error["field"]) == ("ABSENCE_OVERLAP", "startsAt")
    listed = await read(api, admin, "query($id: ID!) { absences(officialId: $id) { totalCount } }",
                        id=county.official("VM2"))
    assert listed["absences"]["totalCount"] == 1
    assert await actions_since(sessions, county.id, seen) == ["absence.record"]
