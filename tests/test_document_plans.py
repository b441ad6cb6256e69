"""The yearly document plan (年度发文计划, 003 §62): "对未列入县政府年度发文计划的事项，一般不予发文。确需发文的，要从严
把关并按照一事一报的原则向县政府报批。除省、市文件、县政府常务会议、县政府主要领导明确要求发文之外，县政府或县政府办公室
一般不予发文。"

The office drafts the plan and the magistrate approves it (the access policy's row; the seed names no approver).
Once a year's plan is approved, a county- or office-named document of that year outside it, with none of the
three exceptions, is UNPLANNED (derived, never input), and only lulong's signing table adds the magistrate's
one-by-one approval for it. Both engines.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from strawberry.relay import from_base64, to_base64

from db.models import AuditEvent
from db.models_duties import Duty
from db.models_issuing import DocumentPlan, DocumentPlanEntry
from domain.document_plans import PlanState
from domain.documents import Issuer, Route
from domain.errors import DomainError, ErrorCode
from domain.roster import AbsenceReason, RuleSet
from policies import AccessControl
from services import document_plans, roster
from services.document_plans import EntryFields, PlanStandingNow
from tests.county import PASSWORD, SYSTEM, County, build_county
from tests.meetings import CST
from tests.test_meetings_signing_gate import CHAIN, decision_of, draft, to_signature
from tests.test_roster_admin import refused_writing_nothing

YEAR = dt.datetime.now(CST).year
PLAN = ("id year state returnedReason approvedRoute approvedBy { code } approvedOnBehalfOf { code } "
        "entries { id title issuer quarter leadDepartment { name } }")
_PAYLOADS = {"DocumentPlanPayload": f"plan {{ {PLAN} }}",
             "DocumentPlanEntryPayload": f"entry {{ id title }} plan {{ {PLAN} }}",
             "DocumentPayload": "document { id planEntry { id title } planException { kind note recordedBy { code } } "
                                "predictedChain { action assignees { official { code } } rules { rule article } } }"}
_MUTATIONS = {
    "createDocumentPlan": ("CreateDocumentPlanInput", "DocumentPlanPayload"),
    "addDocumentPlanEntry": ("AddPlanEntryInput", "DocumentPlanEntryPayload"),
    "submitDocumentPlan": ("DocumentPlanInput", "DocumentPlanPayload"),
    "approveDocumentPlan": ("DocumentPlanInput", "DocumentPlanPayload"),
    "returnDocumentPlan": ("ReturnDocumentPlanInput", "DocumentPlanPayload"),
    "linkDocumentToPlanEntry": ("LinkDocumentToPlanEntryInput", "DocumentPayload"),
    "recordPlanException": ("RecordPlanExceptionInput", "DocumentPayload"),
}
PREDICT = """query($id: ID!) { node(id: $id) { ... on Document { predictedChain { action
  assignees { official { code } } rules { rule article } } } } }"""


async def plan_mutation(api, county: County, who: str, name: str, **input) -> dict:
    input_type, payload = _MUTATIONS[name]
    token = await api.login(county.admin if who == "admin" else county.account(who), PASSWORD)
    query = (f"mutation($input: {input_type}!) {{ {name}(input: $input) {{ __typename "
             f"... on {payload} {{ {_PAYLOADS[payload]} }} ... on MutationError {{ code field message }} }} }}")
    return (await api.ok(query, {"input": input}, token=token))[name]


async def refused(api, sessions, county: County, who: str, name: str, expect: tuple[str, str], **input) -> dict:
    return await refused_writing_nothing(sessions, lambda: plan_mutation(api, county, who, name, **input), expect)


async def open_duties(sessions, plan_id: int) -> list[tuple[int, str, Route | None]]:
    async with sessions() as session:
        return [(d.official_id, d.task, d.settled_route, d.settled_at is None) for d in (await session.execute(
            select(Duty).where(Duty.subject_id == plan_id).order_by(Duty.id))).scalars()]


async def approved_plan(sessions, county: County, *entries: tuple[str, Issuer], year: int = YEAR) -> dict[str, str]:
    """The year's plan with these entries, approved by the magistrate in person: each entry's global id by title."""
    async with sessions() as session, session.begin():
        plan = await document_plans.create_plan(session, county_id=county.id, year=year,
                                                official_id=county.officials["DIR"], actor=SYSTEM)
        rows = [await document_plans.add_entry(session, plan=plan, actor=SYSTEM, fields=EntryFields(
            title=title, issuer=issuer, lead_department_id=None, quarter=2)) for title, issuer in entries]
        await document_plans.submit_plan(session, plan=plan, access=AccessControl(), actor=SYSTEM)
        await document_plans.approve_plan(session, plan=plan, actor=SYSTEM, standing=PlanStandingNow(
            county.officials["MAG"], None, Route.DIRECT, "magistrate"))
    return {row.title: to_base64("DocumentPlanEntry", row.id) for row in rows}


async def chain_of(api, county: County, document: str) -> list[tuple[str, list[str]]]:
    steps = (await api.ok(PREDICT, {"id": document}, token=await api.login(county.admin, PASSWORD)))["node"][
        "predictedChain"]
    return [(s["action"], [a["official"]["code"] for a in s["assignees"]]) for s in steps]


async def test_the_office_drafts_the_plan_and_the_magistrate_or_whoever_presides_for_him_approves_it(api, sessions):
    county = await build_county(sessions, code="lulong", rule_set=RuleSet.LULONG_2018)
    await refused(api, sessions, county, "VM1", "createDocumentPlan", ("FORBIDDEN", "countyId"), year=YEAR)
    plan = (await plan_mutation(api, county, "DIR", "createDocumentPlan", year=YEAR))["plan"]
    assert (plan["year"], plan["state"], plan["entries"]) == (YEAR, "DRAFT", [])
    await refused(api, sessions, county, "admin", "createDocumentPlan", ("DUPLICATE", "year"), year=YEAR)
    await refused(api, sessions, county, "DIR", "submitDocumentPlan", ("INVALID", "planId"), planId=plan["id"])
    entry = {"title": "关于印发城乡环境整治工作方案的通知", "issuer": "COUNTY_GOVERNMENT", "quarter": 2,
             "leadDepartmentId": county.department("交通运输局")}
    await refused(api, sessions, county, "DIR", "addDocumentPlanEntry", ("INVALID", "quarter"), planId=plan["id"],
                  entry={**entry, "quarter": 5})
    await refused(api, sessions, county, "DIR", "addDocumentPlanEntry", ("INVALID", "issuer"), planId=plan["id"],
                  entry={**entry, "issuer": "DEPARTMENT"})
    added = (await plan_mutation(api, county, "DIR", "addDocumentPlanEntry", planId=plan["id"], entry=entry))["plan"]
    assert [(e["title"], e["quarter"], e["leadDepartment"]["name"]) for e in added["entries"]] == [
        ("关于印发城乡环境整治工作方案的通知", 2, "交通运输局")]

    submitted = (await plan_mutation(api, county, "DIR", "submitDocumentPlan", planId=plan["id"]))["plan"]
    assert submitted["state"] == "SUBMITTED"
    plan_id = int(from_base64(plan["id"])[1])
    assert await open_duties(sessions, plan_id) == [(county.officials["MAG"], "approve", None, True)]
    await refused(api, sessions, county, "DIR", "approveDocumentPlan", ("FORBIDDEN", "planId"), planId=plan["id"])
    await refused(api, sessions, county, "MAG", "returnDocumentPlan", ("OPINION_REQUIRED", "reason"),
                  planId=plan["id"], reason=" ")
    returned = (await plan_mutation(api, county, "MAG", "returnDocumentPlan", planId=plan["id"],
                                    reason="请补充第四季度的发文计划。"))["plan"]
    assert (returned["state"], returned["returnedReason"]) == ("DRAFT", "请补充第四季度的发文计划。")
    await plan_mutation(api, county, "DIR", "addDocumentPlanEntry", planId=plan["id"], entry={
        "title": "关于做好冬季安全生产工作的通知", "issuer": "GOVERNMENT_OFFICE", "quarter": 4})
    await plan_mutation(api, county, "DIR", "submitDocumentPlan", planId=plan["id"])

    # The magistrate is away: the executive vice magistrate presides and approves in his place.
    now = dt.datetime.now(dt.timezone.utc)
    async with sessions() as session, session.begin():
        await roster.record_absence(session, official_id=county.officials["MAG"], starts_at=now - dt.timedelta(hours=1),
                                    ends_at=now + dt.timedelta(days=3), reason=AbsenceReason.BUSINESS_TRIP,
                                    actor=SYSTEM)
    await refused(api, sessions, county, "VM1", "approveDocumentPlan", ("FORBIDDEN", "planId"), planId=plan["id"])
    approved = (await plan_mutation(api, county, "EVM", "approveDocumentPlan", planId=plan["id"]))["plan"]
    assert (approved["state"], approved["approvedBy"], approved["approvedOnBehalfOf"], approved["approvedRoute"]) == (
        "APPROVED", {"code": "EVM"}, {"code": "MAG"}, "PRESIDING")
    assert [e["title"] for e in approved["entries"]] == ["关于印发城乡环境整治工作方案的通知", "关于做好冬季安全生产工作的通知"]
    duties = await open_duties(sessions, plan_id)
    assert [(task, route, open_) for _, task, route, open_ in duties] == [
        ("approve", Route.DIRECT, False), ("approve", Route.PRESIDING, False)]
    # Approved, the plan no longer changes.
    await refused(api, sessions, county, "DIR", "addDocumentPlanEntry", ("WRONG_STATE", "planId"),
                  planId=plan["id"], entry=entry)
    async with sessions() as session:
        actions = (await session.execute(select(AuditEvent.action).where(AuditEvent.entity.like("document_plan%"))
                                         .order_by(AuditEvent.id))).scalars().all()
        approval = (await session.execute(select(AuditEvent).where(AuditEvent.action == "document_plan.approve")
                                          )).scalar_one()
    assert actions == ["document_plan.create", "document_plan.add_entry", "document_plan.submit",
                       "document_plan.return", "document_plan.add_entry", "document_plan.submit",
                       "document_plan.approve"]
    assert (approval.after["by"], approval.after["on_behalf_of"], approval.after["route"]) == (
        county.officials["EVM"], county.officials["MAG"], "presiding")


async def test_lulong_a_document_outside_the_approved_plan_goes_to_the_magistrate_one_by_one(api, sessions):
    county = await build_county(sessions, code="lulong", rule_set=RuleSet.LULONG_2018)
    unplanned = (await draft(api, county, title="关于开展城区占道经营专项整治的通知"))["document"]["id"]
    # No approved plan for the year: nothing is unplanned, the county's documents are not stopped.
    assert await chain_of(api, county, unplanned) == [("OFFICE_REVIEW", ["DIR"]), ("SIGN", ["EVM"])]
    entries = await approved_plan(sessions, county, ("关于印发城乡环境整治工作方案的通知", Issuer.COUNTY_GOVERNMENT),
                                  ("关于做好冬季安全生产工作的通知", Issuer.GOVERNMENT_OFFICE))

    # Outside the approved plan, no exception: reported one by one, the magistrate approves (003 §62).
    assert await chain_of(api, county, unplanned) == [
        ("OFFICE_REVIEW", ["DIR"]), ("UNPLANNED_APPROVAL", ["MAG"]), ("SIGN", ["EVM"])]
    steps = (await api.ok(PREDICT, {"id": unplanned}, token=await api.login(county.admin, PASSWORD)))["node"][
        "predictedChain"]
    assert steps[1]["rules"] == [{"rule": "L-62-plan", "article": "003 §62"}]
    assert await to_signature(api, county, unplanned) == "EVM"  # the magistrate approved on the way
    chain = (await api.ok(CHAIN, {"id": unplanned}, token=await api.login(county.admin, PASSWORD)))["node"]["chain"]
    assert [(s["action"], s["state"], s["assignments"][0]["assignee"]["code"]) for s in chain] == [
        ("OFFICE_REVIEW", "DONE", "DIR"), ("UNPLANNED_APPROVAL", "DONE", "MAG"), ("SIGN", "ACTIVE", "EVM")]

    # In the plan: the drafter links the entry, and the chain is the usual one.
    planned = (await draft(api, county, title="关于印发城乡环境整治工作方案的通知"))["document"]["id"]
    await refused(api, sessions, county, "EDU", "linkDocumentToPlanEntry", ("FORBIDDEN", "documentId"),
                  documentId=planned, entryId=entries["关于印发城乡环境整治工作方案的通知"])
    await refused(api, sessions, county, "FIN", "linkDocumentToPlanEntry", ("INVALID", "entryId"),
                  documentId=planned, entryId=entries["关于做好冬季安全生产工作的通知"])
    # Drafted this year, it answers to this year's plan: last year's entry does not take it out of its reach.
    last_year = await approved_plan(sessions, county, ("关于印发城乡环境整治工作方案的通知", Issuer.COUNTY_GOVERNMENT),
                                    year=YEAR - 1)
    refusal = await refused(api, sessions, county, "FIN", "linkDocumentToPlanEntry", ("INVALID", "entryId"),
                            documentId=planned, entryId=last_year["关于印发城乡环境整治工作方案的通知"])
    assert f"{YEAR - 1} plan" in refusal["message"] and "003 §62" in refusal["message"]
    linked = (await plan_mutation(api, county, "FIN", "linkDocumentToPlanEntry", documentId=planned,
                                  entryId=entries["关于印发城乡环境整治工作方案的通知"]))["document"]
    assert linked["planEntry"]["title"] == "关于印发城乡环境整治工作方案的通知"
    assert [s["action"] for s in linked["predictedChain"]] == ["OFFICE_REVIEW", "SIGN"]

    # The exceptions: a province or city document (the drafter names it), the principal leader's explicit
    # request (the magistrate himself), a decision of the standing meeting (linked).
    city = (await draft(api, county, title="关于转发市政府防汛工作意见的通知"))["document"]["id"]
    await refused(api, sessions, county, "FIN", "recordPlanException", ("OPINION_REQUIRED", "note"),
                  documentId=city, kind="PROVINCE_CITY_DOCUMENT")
    excepted = (await plan_mutation(api, county, "FIN", "recordPlanException", documentId=city,
                                    kind="PROVINCE_CITY_DOCUMENT", note="市政府办公室〔2026〕12号通知要求"))["document"]
    assert excepted["planException"] == {"kind": "PROVINCE_CITY_DOCUMENT", "note": "市政府办公室〔2026〕12号通知要求",
                                         "recordedBy": {"code": "FIN"}}
    assert [s["action"] for s in excepted["predictedChain"]] == ["OFFICE_REVIEW", "SIGN"]
    asked = (await draft(api, county, title="关于加强城市供水保障的通知"))["document"]["id"]
    await refused(api, sessions, county, "FIN", "recordPlanException", ("FORBIDDEN", "kind"), documentId=asked,
                  kind="PRINCIPAL_LEADER_REQUEST")
    requested = (await plan_mutation(api, county, "MAG", "recordPlanException", documentId=asked,
                                     kind="PRINCIPAL_LEADER_REQUEST"))["document"]
    assert requested["planException"]["recordedBy"] == {"code": "MAG"}
    assert [s["action"] for s in requested["predictedChain"]] == ["OFFICE_REVIEW", "SIGN"]
    decided = (await draft(api, county, title="关于城区道路改造的通知", decisionId=await decision_of(
        api, sessions, county, present=["MAG", "EVM", "VM1", "VM2"])))["document"]["id"]
    assert "UNPLANNED_APPROVAL" not in [action for action, _ in await chain_of(api, county, decided)]

    # When the magistrate signs the document himself, his signature is the approval: he is not asked twice.
    major = (await draft(api, county, title="关于全县重大项目建设的通知", flags=["MAJOR"]))["document"]["id"]
    assert await chain_of(api, county, major) == [("OFFICE_REVIEW", ["DIR"]), ("SIGN", ["MAG"])]

    # A department's own document is not the county government's to plan.
    own = (await draft(api, county, title="关于财政资金绩效评价的报告", issuer="DEPARTMENT", genre="REPORT",
                       direction="UPWARD_CITY"))["document"]["id"]
    assert await chain_of(api, county, own) == [("SIGN", ["FIN"])]
    await refused(api, sessions, county, "FIN", "linkDocumentToPlanEntry", ("INVALID", "documentId"),
                  documentId=own, entryId=entries["关于印发城乡环境整治工作方案的通知"])


async def test_yanjins_table_has_no_one_by_one_approval_so_an_unplanned_document_routes_as_before(api, sessions):
    county = await build_county(sessions)
    await approved_plan(sessions, county, ("关于印发城乡环境整治工作方案的通知", Issuer.COUNTY_GOVERNMENT))
    unplanned = (await draft(api, county, title="关于开展城区占道经营专项整治的通知"))["document"]["id"]
    assert await chain_of(api, county, unplanned) == [("OFFICE_REVIEW", ["DIR"]), ("SIGN", ["EVM"])]


async def test_a_plan_approved_meanwhile_is_not_returned_by_a_second_approver_who_read_it_before(
        sessions, database_url):
    """Two approvers at once (the magistrate, and whoever presides for him): the second, queued behind the first's
    county lock, decides on the plan as the first left it, not as it read it before the lock."""
    if database_url.startswith("sqlite"):
        pytest.skip("a SQLite transaction is the only writer from its first read: it never reads a stale plan")
    county = await build_county(sessions, code="lulong", rule_set=RuleSet.LULONG_2018)
    async with sessions() as session, session.begin():
        plan = await document_plans.create_plan(session, county_id=county.id, year=YEAR,
                                                official_id=county.officials["DIR"], actor=SYSTEM)
        entry = await document_plans.add_entry(session, plan=plan, actor=SYSTEM, fields=EntryFields(
            title="关于做好冬季安全生产工作的通知", issuer=Issuer.GOVERNMENT_OFFICE, lead_department_id=None, quarter=4))
        await document_plans.submit_plan(session, plan=plan, access=AccessControl(), actor=SYSTEM)
        plan_id, entry_id = plan.id, entry.id
    magistrate = PlanStandingNow(county.officials["MAG"], None, Route.DIRECT, "magistrate")
    async with sessions() as late, late.begin():
        seen, seen_entry = await late.get(DocumentPlan, plan_id), await late.get(DocumentPlanEntry, entry_id)
        async with sessions() as first, first.begin():
            await document_plans.approve_plan(first, plan=await first.get(DocumentPlan, plan_id), standing=magistrate,
                                              actor=SYSTEM)
        with pytest.raises(DomainError) as refusal:
            await document_plans.return_plan(late, plan=seen, standing=magistrate, reason="再议。", actor=SYSTEM)
        assert refusal.value.code == ErrorCode.WRONG_STATE and "approved" in refusal.value.message
        with pytest.raises(DomainError) as entry_refusal:
            await document_plans.remove_entry(late, entry=seen_entry, actor=SYSTEM)
        assert entry_refusal.value.code == ErrorCode.WRONG_STATE
    async with sessions() as session:
        approved = await session.get(DocumentPlan, plan_id)
        assert (approved.state, approved.returned_reason) == (PlanState.APPROVED, None)
        assert await document_plans.entries_of(session, plan_id) != []
