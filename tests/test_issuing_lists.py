"""Issued documents with their distribution lists and places in the plan, the plans with their entries and the
county's series cost the same number of SQL statements for a short page as for a long one (X-SQL-Statements)."""

from __future__ import annotations

from strawberry.relay import from_base64

from domain.document_plans import PlanException
from domain.documents import Issuer
from domain.issuing import DistributionKind, Recipient
from domain.roster import RuleSet
from services import document_plans, issuing
from services.signing_rules import SigningTables
from tests.county import PASSWORD, SYSTEM, build_county
from tests.issuing import signed
from tests.test_document_plans import approved_plan

ISSUED = """query($first: Int!) { documents(first: $first, filter: {state: ISSUED}) { edges { node {
  issueNumber issuedOn issuedBy { name } issueDeadline { article }
  distribution { kind organ department { name } }
  planEntry { title quarter plan { year state } leadDepartment { name } }
  planException { kind note recordedBy { name } }
} } } }"""
PLANS = "{ documentPlans { year entries { title leadDepartment { name } plan { year } } approvedBy { name } } }"
SERIES = "{ issueSeries { prefix genre department { name } } }"


async def _plan_of(sessions, county, year: int, entries: int) -> None:
    async with sessions() as session, session.begin():
        plan = await document_plans.create_plan(session, county_id=county.id, year=year, official_id=None,
                                                actor=SYSTEM)
        for quarter in range(1, entries + 1):
            await document_plans.add_entry(session, plan=plan, actor=SYSTEM, fields=document_plans.EntryFields(
                title=f"第{quarter}季度计划发文", issuer=Issuer.GOVERNMENT_OFFICE, quarter=quarter,
                lead_department_id=county.departments["教育局"]))


async def _department_series(sessions, county, name: str, prefix: str) -> None:
    async with sessions() as session, session.begin():
        await issuing.add_series(session, county_id=county.id, actor=SYSTEM, department_id=county.departments[name],
                                 spec=issuing.SeriesSpec(issuer=Issuer.DEPARTMENT, genre="*", prefix=prefix,
                                                         article="县级数据"))


async def test_issued_documents_plans_and_series_cost_the_same_for_a_short_and_a_long_list(api, sessions):
    county = await build_county(sessions, code="lulong", rule_set=RuleSet.LULONG_2018)
    entries = await approved_plan(sessions, county, ("关于印发城乡环境整治工作方案的通知", Issuer.COUNTY_GOVERNMENT))
    entry = int(from_base64(entries["关于印发城乡环境整治工作方案的通知"])[1])
    await _plan_of(sessions, county, 2020, 1)
    await _department_series(sessions, county, "财政局", "卢财")
    token = await api.login(county.account("DIR"), PASSWORD)
    few_plans, few_series = await api.call(PLANS, token=token), await api.call(SERIES, token=token)
    await _plan_of(sessions, county, 2019, 3)
    await _department_series(sessions, county, "教育局", "卢教")
    await _department_series(sessions, county, "司法局", "卢司")

    async def in_plan(session, draft):
        await document_plans.link_entry(session, document_id=draft.id, entry_id=entry,
                                        official_id=county.officials["EDU"], actor=SYSTEM)

    async def required_by_the_city(session, draft):
        await document_plans.record_exception(session, document_id=draft.id,
                                              kind=PlanException.PROVINCE_CITY_DOCUMENT, note="市政府文件要求",
                                              official_id=county.officials["EDU"], actor=SYSTEM)

    tables = SigningTables()
    for n in range(6):
        document = await signed(sessions, county, title=f"关于第{n}批整治项目的通知",
                                prepare=in_plan if n % 2 else required_by_the_city)
        async with sessions() as session, session.begin():
            await issuing.issue(session, document_id=int(from_base64(document)[1]), official_id=county.officials["DIR"],
                                tables=tables, actor=SYSTEM, distribution=[
                                    Recipient(DistributionKind.MAIN, department_id=county.departments["财政局"]),
                                    Recipient(DistributionKind.MAIN, department_id=county.departments[
                                        "交通运输局" if n % 2 else "城关镇"]),
                                    Recipient(DistributionKind.COPY, organ="市人民政府办公室")])

    short, long = [await api.call(ISSUED, {"first": first}, token=token) for first in (2, 6)]
    assert not short.errors and not long.errors
    nodes = [edge["node"] for edge in long.data["documents"]["edges"]]
    assert len(nodes) == 6 and all(len(node["distribution"]) == 3 for node in nodes)
    assert {(bool(n["planEntry"]), bool(n["planException"])) for n in nodes} == {(True, False), (False, True)}
    assert short.sql_statements == long.sql_statements

    plans, series = await api.call(PLANS, token=token), await api.call(SERIES, token=token)
    assert not plans.errors and not series.errors
    assert [len(p["entries"]) for p in plans.data["documentPlans"]] == [1, 1, 3]
    assert len(series.data["issueSeries"]) == 5
    assert (plans.sql_statements, series.sql_statements) == (few_plans.sql_statements, few_series.sql_statements)
