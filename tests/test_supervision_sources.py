"""Where supervision items come from: a leader's instruction on a circulated document (003 §53; 000 §48), a
meeting decision with a responsible unit — on its own as the decision is recorded (003 §46; 002 细则 §12) — and
the requests and proposals systems through services.supervision.open_item; both engines.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from strawberry.relay import to_base64

from db.models import Document, utcnow
from domain.documents import Classification
from domain.errors import DomainError, ErrorCode
from domain.roster import local_date
from domain.supervision import ItemState, SourceKind
from services import circulation, supervision, tenancy
from tests.county import PASSWORD, SYSTEM, County, build_county, submit_notices
from tests.supervision import ITEM, item, known_years, refused, succeed
from tests.test_meetings_decisions import concluded
from tests.test_meetings_decisions import succeed as adopt

TODAY = local_date(utcnow())
LATER = TODAY + dt.timedelta(days=60)


@pytest.fixture
async def county(sessions) -> County:
    return await build_county(sessions)


@pytest.fixture
async def admin(api, county) -> str:
    return await api.login(county.admin, PASSWORD)


@pytest.fixture
async def office(api, county) -> str:
    return await api.login(county.account("DIR"), PASSWORD)


async def items_of(api, token: str) -> list[dict]:
    data = await api.ok(f"{{ supervisionItems {{ edges {{ node {{ {ITEM} }} }} }} }}", token=token)
    return [edge["node"] for edge in data["supervisionItems"]["edges"]]


async def test_the_office_opens_an_item_from_the_magistrates_instruction_on_a_circulated_document(
        api, sessions, county, office):
    async with sessions() as session, session.begin():
        read = await circulation.start(session, county_id=county.id, started_by_id=county.officials["DIR"],
                                       title="市政府关于加快农村供水保障的通知", source="市政府办公室",
                                       reader_ids=[county.officials[c] for c in ("MAG", "EVM")], urgent=True,
                                       read_only=False, classification=Classification.NONE, actor=SYSTEM)
        await circulation.mark_read(session, circulation_id=read.id, official_id=county.officials["MAG"],
                                    instruction="请财政局牵头，十日内拿出方案。", actor=SYSTEM)
        await circulation.mark_read(session, circulation_id=read.id, official_id=county.officials["EVM"], actor=SYSTEM)
    circulation_gid = to_base64("Circulation", read.id)
    common = {"circulationId": circulation_gid, "leadDepartmentId": county.department("财政局"),
              "deadline": {"dueOn": LATER}}
    # A leader who read without an instruction gave nothing to supervise; a non-reader is no source at all.
    await refused(api, sessions, office, "openSupervisionItemFromInstruction", expect=("INVALID", "leaderId"),
                  leaderId=county.official("EVM"), **common)
    await refused(api, sessions, office, "openSupervisionItemFromInstruction", expect=("NOT_FOUND", "leaderId"),
                  leaderId=county.official("VM1"), **common)
    await refused(api, sessions, await api.login(county.account("FIN"), PASSWORD),
                  "openSupervisionItemFromInstruction", expect=("NOT_ENTITLED", "circulationId"),
                  leaderId=county.official("MAG"), **common)
    opened = await succeed(api, office, "openSupervisionItemFromInstruction", leaderId=county.official("MAG"),
                           **common)
    assert (opened["sourceKind"], opened["sourceId"], opened["state"]) == ("CIRCULATION_INSTRUCTION", circulation_gid,
                                                                           "ASSIGNED")
    assert opened["instruction"] == "请财政局牵头，十日内拿出方案。" and opened["instructedBy"]["code"] == "MAG"
    assert opened["openedBy"]["code"] == "DIR" and opened["instructedOn"] == TODAY.isoformat()
    async with sessions() as session:
        (reader,) = [r for r in await circulation.readers_of(session, read.id)
                     if r.official_id == county.officials["MAG"]]
        (row,) = await supervision.items_from(session, source_kind=SourceKind.CIRCULATION_INSTRUCTION,
                                              source_id=reader.id)
    assert row.number == opened["number"]


async def test_a_decision_with_a_responsible_unit_opens_an_item_at_once_and_one_without_opens_none(
        api, sessions, county, admin, office):
    _, item_gid = await concluded(sessions, county, title="关于城乡供水一体化项目资金安排的议题")
    decision = await adopt(api, admin, "adoptDecision", itemId=item_gid, outcome="PASSED",
                           text="同意安排城乡供水一体化项目资金300万元。",
                           responsibleDepartmentIds=[county.department("财政局"), county.department("教育局")],
                           responsiblePersonId=county.official("FIN"), deadlineWorkingDays=7)
    (opened,) = await items_of(api, office)
    assert (opened["sourceKind"], opened["sourceId"]) == ("MEETING_DECISION", decision["id"])
    # The decision's own deadline: seven working days from the meeting's end (the decisions tests count them).
    assert opened["dueOn"] == decision["dueOn"] == "2026-10-12" and opened["state"] == "ASSIGNED"
    assert opened["leadDepartment"]["name"] == "财政局" and [d["name"] for d in opened["coDepartments"]] == ["教育局"]
    assert opened["instructedBy"]["code"] == "MAG" and opened["responsibleOfficial"]["code"] == "FIN"
    assert opened["openedBy"] is None and opened["overdue"]  # Oct 12 has passed: it is owed already

    _, plain = await concluded(sessions, county, title="关于听取防汛工作汇报的议题")
    await adopt(api, admin, "adoptDecision", itemId=plain, outcome="PASSED", text="听取汇报。")
    assert len(await items_of(api, office)) == 1


async def test_the_request_and_proposal_systems_open_items_and_report_results_through_the_service(
        api, sessions, county, office):
    await known_years(sessions, county, TODAY.year, TODAY.year + 1)
    async with sessions() as session, session.begin():
        await tenancy.lock_county(session, county.id)
        request_item = await supervision.open_item(
            session, county_id=county.id, source_kind=SourceKind.INCOMING_REQUEST, source_id=41,
            instruction="同意，请教育局抓紧办理。", instructed_by_id=county.officials["VM1"], instructed_on=TODAY,
            lead_department_id=county.departments["教育局"], due_on=LATER, opened_by_id=county.officials["DIR"],
            actor=SYSTEM)
        proposal_item = await supervision.open_item(
            session, county_id=county.id, source_kind=SourceKind.PROPOSAL, source_id=7,
            instruction="关于改善城区学校周边交通的建议", instructed_by_id=None, instructed_on=TODAY,
            lead_department_id=county.departments["交通运输局"], co_department_ids=[county.departments["教育局"]],
            opened_by_id=None, actor=SYSTEM)
    assert request_item.state == ItemState.ASSIGNED
    # Named no deadline: the county's default class gives it one, 15 working days on.
    assert (proposal_item.state, proposal_item.working_days) == (ItemState.ASSIGNED, 15)
    async with sessions() as session, session.begin():
        with pytest.raises(DomainError) as refusal:
            await supervision.report_result(session, item_id=request_item.id, official_id=county.officials["EDU"],
                                            text="已办结。", actor=SYSTEM)
        assert refusal.value.code == ErrorCode.WRONG_STATE  # accepted first
    async with sessions() as session, session.begin():
        await supervision.accept(session, item_id=request_item.id, official_id=county.officials["EDU"], actor=SYSTEM)
    # A result carried by a document needs the document signed, and the county's own.
    await submit_notices(sessions, county, 1)
    lulong = await build_county(sessions, code="lulong")
    await submit_notices(sessions, lulong, 1)
    async with sessions() as session:
        unsigned, theirs = (await session.execute(select(Document.id).order_by(Document.id))).scalars().all()
    for document_id, code in ((unsigned, ErrorCode.WRONG_STATE), (theirs, ErrorCode.NOT_FOUND)):
        async with sessions() as session, session.begin():
            with pytest.raises(DomainError) as refusal:
                await supervision.report_result(session, item_id=request_item.id, actor=SYSTEM, text="已办结。",
                                                official_id=county.officials["EDU"], through_document_id=document_id)
            assert (refusal.value.code, refusal.value.field) == (code, "documentId")
    async with sessions() as session, session.begin():
        done = await supervision.report_result(session, item_id=request_item.id, official_id=county.officials["EDU"],
                                               text="已办结。", actor=SYSTEM)
        assert done.state == ItemState.RESULT_REPORTED
    async with sessions() as session:
        assert [i.id for i in await supervision.items_from(session, source_kind=SourceKind.INCOMING_REQUEST,
                                                           source_id=41)] == [request_item.id]
        assert [i.id for i in await supervision.items_from(session, source_kind=SourceKind.PROPOSAL,
                                                           source_id=7)] == [proposal_item.id]
        assert await supervision.items_from(session, source_kind=SourceKind.PROPOSAL, source_id=41) == []
    # Through the API each item names its source by that system's type.
    shown = await item(api, office, to_base64("SupervisionItem", request_item.id))
    assert (shown["sourceKind"], shown["sourceId"]) == ("INCOMING_REQUEST", to_base64("IncomingRequest", 41))
