"""A deputy's suggestion from its receipt to its published result, and every refusal on the way.

In the words of 000 §27, §56(一)–(五), 001 §14 and 003 §30: the office registers and assigns, the lead unit's
principal accepts and names the handler, the handler talks with the proposer and replies, the principal signs
the reply letter, the result is published and the office closes it. Both engines.
"""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from sqlalchemy import select
from strawberry.relay import from_base64, to_base64

from db.models import Account, AuditEvent, MeetingBody
from db.models_duties import Duty
from db.models_proposals import Proposal
from db.models_supervision import SupervisionItem
from domain.documents import Route
from domain.duties import SubjectKind
from domain.meetings import BodyKind
from domain.proposals import ProposalKind
from domain.roster import AbsenceReason, AccountRole, DepartmentKind, Role, RuleSet, local_date
from domain.supervision import ItemState, SourceKind
from services import calendar as calendar_service, meetings, proposals, roster, tenancy
from tests.county import PASSWORD, SYSTEM, TERM_START, County, build_county
from tests.test_roster_admin import refused_writing_nothing

SESSION = "县十八届人大三次会议"
PROPOSAL = ("id kind session number designation proposers title content category state receivedOn assignedAt "
            "acceptedAt outcome explanation repliedAt publishedOn publishedWhere closedAt dueStep dueAt dueArticle "
            "dueProblem overdue leadUnit { name } coUnits { name } responsiblePrincipal { code } handler { code } "
            "replyDocument { id title state genre direction issuer } agendaItem { id title } "
            "contacts { contactedOn way person summary route recordedBy { code } onBehalfOf { code } } "
            "history { kind note route actor { code } onBehalfOf { code } }")
_INPUTS = {
    "registerProposal": "RegisterProposalInput", "assignProposal": "AssignProposalInput",
    "acceptProposal": "AcceptProposalInput", "logProposalContact": "LogProposalContactInput",
    "replyToProposal": "ReplyToProposalInput", "publishProposalReply": "PublishProposalReplyInput",
    "closeProposal": "ProposalInput", "putProposalOnAgenda": "PutProposalOnAgendaInput",
}


def today() -> dt.date:
    return local_date(dt.datetime.now(dt.timezone.utc))


async def mutate(api, token: str, mutation: str, /, **input) -> dict:
    query = (f"mutation($input: {_INPUTS[mutation]}!) {{ {mutation}(input: $input) {{ __typename "
             f"... on MutationError {{ code field message }} "
             f"... on ProposalPayload {{ proposal {{ {PROPOSAL} }} }} }} }}")
    values = {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in input.items()}
    return (await api.ok(query, {"input": values}, token=token))[mutation]


async def succeed(api, token: str, mutation: str, /, **input) -> dict:
    result = await mutate(api, token, mutation, **input)
    assert result["__typename"] == "ProposalPayload", result
    return result["proposal"]


async def refused(api, sessions, token: str, mutation: str, /, *, expect: tuple[str, str | None], **input) -> dict:
    """A refusal with ``expect`` (code, field) that writes nothing anywhere."""
    return await refused_writing_nothing(sessions, lambda: mutate(api, token, mutation, **input), expect)


async def enter_years(sessions, county: County, *years: int) -> None:
    """The county's administrator enters years the calendar package does not know (a clock must never guess)."""
    async with sessions() as session, session.begin():
        calendar = await calendar_service.calendar_for(session, county_id=county.id)
        for year in years:
            if not calendar.knows(year):
                await calendar_service.enter_year(session, county_id=county.id, year=year,
                                                  holidays=[(dt.date(year, 1, 1), "元旦")], workdays=[],
                                                  source="国务院办公厅关于放假安排的通知", actor=SYSTEM)


async def registered(api, office: str, *, number: int = 12, kind: str = "NPC_SUGGESTION", session: str = SESSION,
                     title: str = "关于加快城区公共停车场建设的建议") -> dict:
    return await succeed(api, office, "registerProposal", kind=kind, session=session, number=number,
                         proposers="张明、李华", title=title, content="城区停车难，建议规划建设公共停车场。",
                         category="城乡建设", receivedOn=today())


async def assigned(api, county: County, office: str, **register) -> dict:
    proposal = await registered(api, office, **register)
    return await succeed(api, office, "assignProposal", proposalId=proposal["id"],
                         leadDepartmentId=county.department("财政局"),
                         coDepartmentIds=[county.department("交通运输局")])


async def in_progress(api, county: County, office: str, principal: str, handler: str, **register) -> dict:
    proposal = await assigned(api, county, office, **register)
    await succeed(api, principal, "acceptProposal", proposalId=proposal["id"], handlerId=county.official("FIN2"))
    return await succeed(api, handler, "logProposalContact", proposalId=proposal["id"], contactedOn=today(),
                         way="VISIT", person="张明", summary="登门听取意见，代表希望优先解决老城区停车难。")


@pytest.fixture
async def county(sessions) -> County:
    county = await build_county(sessions)
    await enter_years(sessions, county, today().year, today().year + 1)
    return county


class SignIns:
    """Tokens by staff code ("admin": the county administrator), signed in on first use: a sign-in costs a hash."""

    def __init__(self, api, county: County) -> None:
        self.api, self.county, self.tokens = api, county, {}

    async def __call__(self, code: str) -> str:
        if code not in self.tokens:
            account = self.county.admin if code == "admin" else self.county.account(code)
            self.tokens[code] = await self.api.login(account, PASSWORD)
        return self.tokens[code]


@pytest.fixture
def tokens(api, county) -> SignIns:
    """DDIR1: the office's deputy director; DIR its director; FIN the finance bureau's principal, FIN2 its deputy
    (the handler); EDU the education bureau's principal."""
    return SignIns(api, county)


async def open_duties(sessions, proposal_gid: str) -> list[tuple[str, int]]:
    async with sessions() as session:
        rows = await session.execute(select(Duty.task, Duty.official_id).where(
            Duty.subject_kind == SubjectKind.PROPOSAL, Duty.subject_id == _row(proposal_gid),
            Duty.settled_at.is_(None)).order_by(Duty.id))
        return [tuple(r) for r in rows]


def _row(gid: str) -> int:
    return int(from_base64(gid)[1])


async def supervision_of(sessions, proposal_gid: str) -> SupervisionItem:
    async with sessions() as session:
        return await session.scalar(select(SupervisionItem).where(
            SupervisionItem.source_kind == SourceKind.PROPOSAL, SupervisionItem.source_id == _row(proposal_gid)))


SIGN = ("mutation($input: SignInput!) { signDocument(input: $input) { __typename "
        "... on MutationError { code field message } } }")


# ---------------------------------------------------------------- the whole way


async def test_a_suggestion_goes_from_receipt_through_its_signed_reply_to_its_published_result(
        api, sessions, county, tokens):
    office, fin, handler = await tokens("DDIR1"), await tokens("FIN"), await tokens("FIN2")

    # The office registers it (its deputy director, for the desk); the director holds the duty to assign it.
    proposal = await registered(api, office)
    assert (proposal["designation"], proposal["state"], proposal["dueStep"]) == (
        "县十八届人大三次会议第12号建议", "RECEIVED", "ASSIGN")
    assert proposal["dueAt"] and proposal["dueArticle"] == "001 §14"
    assert await open_duties(sessions, proposal["id"]) == [("assign", county.officials["DIR"])]

    # Assigned (交办, 000 §56(五)): a supervision item (000 §56(四)); the finance bureau's principal is to accept.
    proposal = await succeed(api, office, "assignProposal", proposalId=proposal["id"],
                             leadDepartmentId=county.department("财政局"),
                             coDepartmentIds=[county.department("交通运输局")])
    assert (proposal["state"], proposal["leadUnit"], proposal["coUnits"], proposal["dueStep"]) == (
        "ASSIGNED", {"name": "财政局"}, [{"name": "交通运输局"}], "ACCEPT")
    assert await open_duties(sessions, proposal["id"]) == [("accept", county.officials["FIN"])]
    item = await supervision_of(sessions, proposal["id"])
    assert (item.state, item.lead_department_id) == (ItemState.ASSIGNED, county.departments["财政局"])

    # The principal accepts, answers for it and names the handler (000 §56(一)); the item is accepted with it.
    proposal = await succeed(api, fin, "acceptProposal", proposalId=proposal["id"],
                             handlerId=county.official("FIN2"))
    assert (proposal["state"], proposal["responsiblePrincipal"], proposal["handler"], proposal["dueStep"]) == (
        "ACCEPTED", {"code": "FIN"}, {"code": "FIN2"}, "REPLY")
    assert await open_duties(sessions, proposal["id"]) == [("reply", county.officials["FIN2"])]
    assert (await supervision_of(sessions, proposal["id"])).state == ItemState.ACCEPTED

    # No reply before talking with the proposer (001 §14).
    await refused(api, sessions, handler, "replyToProposal", expect=("WRONG_STATE", "proposalId"),
                  proposalId=proposal["id"], outcome="PLANNED", explanation="已列入2027年城建计划。")
    proposal = await succeed(api, handler, "logProposalContact", proposalId=proposal["id"], contactedOn=today(),
                             way="VISIT", person="张明", summary="登门听取意见。")
    assert proposal["state"] == "IN_PROGRESS"
    assert proposal["contacts"] == [{"contactedOn": today().isoformat(), "way": "VISIT", "person": "张明",
                                     "summary": "登门听取意见。", "route": "DIRECT", "recordedBy": {"code": "FIN2"},
                                     "onBehalfOf": None}]

    # A reply says what became of the matter, and explains it (000 §56(二)).
    missing = await refused(api, sessions, handler, "replyToProposal", expect=("INVALID", "outcome"),
                            proposalId=proposal["id"], explanation="已列入计划。")
    assert "000 §56(二)" in missing["message"]
    await refused(api, sessions, handler, "replyToProposal", expect=("INVALID", "explanation"),
                  proposalId=proposal["id"], outcome="CANNOT_SOLVE", explanation="  ")
    # Publishing comes after the signed reply.
    await refused(api, sessions, handler, "publishProposalReply", expect=("WRONG_STATE", "proposalId"),
                  proposalId=proposal["id"], publishedOn=today(), where="县政府门户网站")

    proposal = await succeed(api, handler, "replyToProposal", proposalId=proposal["id"], outcome="PLANNED",
                             explanation="已列入2027年城区停车设施建设计划，年底前新建停车场两处。")
    reply = proposal["replyDocument"]
    assert (reply["title"], reply["state"], reply["genre"], reply["direction"], reply["issuer"]) == (
        "关于县十八届人大三次会议第12号建议的答复", "IN_PROGRESS", "LETTER", "UPWARD_NPC", "DEPARTMENT")
    assert (proposal["state"], proposal["outcome"]) == ("IN_PROGRESS", "PLANNED")
    assert await open_duties(sessions, proposal["id"]) == []

    # The signing table routes the reply to the unit's principal (Y-14-reply, 001 §14); the signature replies.
    signed = await api.ok(SIGN, {"input": {"documentId": reply["id"]}}, token=fin)
    assert signed["signDocument"]["__typename"] != "MutationError", signed
    proposal = await node(api, fin, proposal["id"])
    assert (proposal["state"], proposal["dueStep"], proposal["dueArticle"]) == ("REPLIED", "PUBLISH", "001 §14")
    assert proposal["repliedAt"] and proposal["replyDocument"]["state"] == "SIGNED"
    item = await supervision_of(sessions, proposal["id"])
    assert item.state == ItemState.RESULT_REPORTED
    assert await open_duties(sessions, proposal["id"]) == [("publish", county.officials["FIN2"])]

    # Published (001 §14; 003 §30): when and where; then the office closes it.
    proposal = await succeed(api, handler, "publishProposalReply", proposalId=proposal["id"], publishedOn=today(),
                             where="县政府门户网站“建议提案办理”专栏")
    assert (proposal["state"], proposal["publishedWhere"], proposal["dueStep"]) == (
        "PUBLISHED", "县政府门户网站“建议提案办理”专栏", None)
    await refused(api, sessions, handler, "closeProposal", expect=("FORBIDDEN", "proposalId"),
                  proposalId=proposal["id"])
    proposal = await succeed(api, await tokens("DIR"), "closeProposal", proposalId=proposal["id"])
    assert proposal["state"] == "CLOSED" and proposal["closedAt"]
    assert [line["kind"] for line in proposal["history"]] == [
        "REGISTERED", "ASSIGNED", "ACCEPTED", "REPLY_DRAFTED", "REPLIED", "PUBLISHED", "CLOSED"]
    assert proposal["history"][4]["actor"] == {"code": "FIN"}  # who signed the reply

    async with sessions() as session:
        actions = list((await session.execute(select(AuditEvent.action).where(
            AuditEvent.entity == "proposal", AuditEvent.entity_id == _row(proposal["id"])).order_by(
            AuditEvent.seq))).scalars())
    assert actions == ["proposal.register", "proposal.assign", "proposal.accept", "proposal.draft_reply",
                       "proposal.replied", "proposal.publish", "proposal.close"]


async def node(api, token: str, gid: str) -> dict:
    data = await api.ok(f"query($id: ID!) {{ node(id: $id) {{ ... on Proposal {{ {PROPOSAL} }} }} }}", {"id": gid},
                        token=token)
    return data["node"]


async def housing_bureau(sessions, county: County) -> None:
    """The housing bureau (住房和城乡建设局): its principal HOU, its deputy HOU2, and HOU3, who is to succeed HOU;
    each with a sign-in."""
    async with sessions() as session, session.begin():
        unit = await roster.create_department(session, county_id=county.id, name="住房和城乡建设局",
                                              kind=DepartmentKind.WORKING, actor=SYSTEM)
        county.departments["住房和城乡建设局"] = unit.id
        admin = await session.scalar(select(Account).where(Account.username == county.admin))
        for code, name, rank, role in (("HOU", "孙局长", 14, Role.DEPARTMENT_PRINCIPAL),
                                       ("HOU2", "钱副局长", 15, Role.DEPARTMENT_DEPUTY), ("HOU3", "李局长", 16, None)):
            official = await roster.add_official(session, county_id=county.id, code=code, name=name, rank_order=rank,
                                                 actor=SYSTEM)
            county.officials[code] = official.id
            if role is not None:
                await roster.appoint(session, official_id=official.id, role=role, department_id=unit.id,
                                     effective_from=TERM_START, actor=SYSTEM)
            session.add(Account(username=county.account(code), password_hash=admin.password_hash,
                                role=AccountRole.OFFICIAL, county_id=county.id, official_id=official.id))


async def test_a_reply_signed_by_the_principal_appointed_after_acceptance_replies_and_reports_to_supervision(
        api, sessions, county, tokens):
    """The table routes the reply to whoever heads the unit when it is submitted; its signature is the unit's
    result (000 §56(四)), whoever accepted the proposal before."""
    await housing_bureau(sessions, county)
    proposal = await registered(api, await tokens("DDIR1"), title="关于加快老旧小区加装电梯的建议")
    await succeed(api, await tokens("DDIR1"), "assignProposal", proposalId=proposal["id"],
                  leadDepartmentId=county.department("住房和城乡建设局"))
    await succeed(api, await tokens("HOU"), "acceptProposal", proposalId=proposal["id"],
                  handlerId=county.official("HOU2"))
    handler = await tokens("HOU2")
    await succeed(api, handler, "logProposalContact", proposalId=proposal["id"], contactedOn=today(),
                  way="PHONE", person="张明", summary="电话沟通加装电梯补贴方案。")
    # 孙局长 is succeeded by 李局长 today: the unit's principal is now one who never accepted the proposal.
    async with sessions() as session, session.begin():
        await roster.set_principal(session, department_id=county.departments["住房和城乡建设局"],
                                   official_id=county.officials["HOU3"], effective_from=today(), actor=SYSTEM)
    proposal = await succeed(api, handler, "replyToProposal", proposalId=proposal["id"], outcome="SOLVED",
                             explanation="已出台老旧小区加装电梯补贴办法，每部补贴10万元。")
    reply = proposal["replyDocument"]

    signed = await api.ok(SIGN, {"input": {"documentId": reply["id"]}}, token=await tokens("HOU3"))
    assert signed["signDocument"]["__typename"] != "MutationError", signed
    proposal = await node(api, handler, proposal["id"])
    assert proposal["state"] == "REPLIED" and proposal["history"][-1]["actor"] == {"code": "HOU3"}
    item = await supervision_of(sessions, proposal["id"])
    assert item.state == ItemState.RESULT_REPORTED
    shown = (await api.ok("query($id: ID!) { node(id: $id) { ... on SupervisionItem { entries { kind text "
                          "official { code } onBehalfOf { code } document { id title state } } } } }",
                          {"id": to_base64("SupervisionItem", item.id)}, token=handler))["node"]
    (result,) = shown["entries"]
    assert (result["kind"], result["official"], result["onBehalfOf"]) == ("RESULT", {"code": "HOU3"}, None)
    assert result["document"] == {"id": reply["id"], "title": reply["title"], "state": "SIGNED"}
    async with sessions() as session:
        report_duty = await session.scalar(select(Duty).where(Duty.subject_kind == SubjectKind.SUPERVISION_ITEM,
                                                              Duty.subject_id == item.id, Duty.task == "report"))
    # 孙局长's duty to report is done: by his successor's signature, not as his cover.
    assert (report_duty.official_id, report_duty.settled_by_id, report_duty.settled_route) == (
        county.officials["HOU"], county.officials["HOU3"], None)


# ---------------------------------------------------------------- who may act


async def test_only_the_lead_units_principal_or_their_cover_accepts_and_the_cover_is_recorded(
        api, sessions, county, tokens):
    proposal = await assigned(api, county, await tokens("DDIR1"))
    # Another unit's principal, and the office itself, are refused with the rule.
    edu = await tokens("EDU")
    forbidden = await refused(api, sessions, edu, "acceptProposal", expect=("FORBIDDEN", "proposalId"),
                              proposalId=proposal["id"], handlerId=county.official("FIN2"))
    assert "财政局" in forbidden["message"] and "000 §56(一)" in forbidden["message"]
    await refused(api, sessions, await tokens("DIR"), "acceptProposal", expect=("FORBIDDEN", "proposalId"),
                  proposalId=proposal["id"], handlerId=county.official("FIN2"))
    await refused(api, sessions, await tokens("admin"), "acceptProposal", expect=("FORBIDDEN", "proposalId"),
                  proposalId=proposal["id"], handlerId=county.official("FIN2"))
    # The handler is the lead unit's own.
    await refused(api, sessions, await tokens("FIN"), "acceptProposal", expect=("INVALID", "handlerId"),
                  proposalId=proposal["id"], handlerId=county.official("EDU"))

    # The principal is away: the deputy first in rank covers, and acts for them on the record.
    now = dt.datetime.now(dt.timezone.utc)
    async with sessions() as session, session.begin():
        await roster.record_absence(session, official_id=county.officials["FIN"], starts_at=now - dt.timedelta(hours=1),
                                    ends_at=now + dt.timedelta(days=2), reason=AbsenceReason.BUSINESS_TRIP,
                                    actor=SYSTEM)
    proposal = await succeed(api, await tokens("FIN2"), "acceptProposal", proposalId=proposal["id"],
                             handlerId=county.official("FIN2"))
    assert proposal["responsiblePrincipal"] == {"code": "FIN"}
    accepted = proposal["history"][-1]
    assert (accepted["kind"], accepted["actor"], accepted["onBehalfOf"], accepted["route"]) == (
        "ACCEPTED", {"code": "FIN2"}, {"code": "FIN"}, "DEPUTY")
    async with sessions() as session:
        duty = await session.scalar(select(Duty).where(Duty.subject_kind == SubjectKind.PROPOSAL,
                                                       Duty.task == "accept"))
        audit = await session.scalar(select(AuditEvent).where(AuditEvent.action == "proposal.accept"))
    assert (duty.settled_by_id, duty.settled_route) == (county.officials["FIN2"], Route.DEPUTY)
    assert (audit.after["acted_by"], audit.after["on_behalf_of"], audit.after["route"]) == (
        county.officials["FIN2"], county.officials["FIN"], "deputy")


async def test_the_office_registers_and_assigns_and_nothing_is_written_on_a_refusal(api, sessions, county, tokens):
    office, fin = await tokens("DDIR1"), await tokens("FIN")
    forbidden = await refused(api, sessions, fin, "registerProposal", expect=("FORBIDDEN", "countyId"),
                              kind="CPPCC_PROPOSAL", session="县政协十一届三次会议", number=3, proposers="王芳",
                              title="关于发展乡村旅游的提案", content="……", receivedOn=today())
    assert "000 §56" in forbidden["message"]
    proposal = await registered(api, office)
    await refused(api, sessions, office, "registerProposal", expect=("DUPLICATE", "number"), kind="NPC_SUGGESTION",
                  session=SESSION, number=12, proposers="赵强", title="又一件", content="……", receivedOn=today())
    await refused(api, sessions, office, "registerProposal", expect=("INVALID", "receivedOn"), kind="NPC_BILL",
                  session=SESSION, number=1, proposers="赵强", title="议案", content="……",
                  receivedOn=today() + dt.timedelta(days=1))
    await refused(api, sessions, office, "assignProposal", expect=("INVALID", "coDepartmentIds"),
                  proposalId=proposal["id"], leadDepartmentId=county.department("财政局"),
                  coDepartmentIds=[county.department("财政局")])
    await refused(api, sessions, fin, "assignProposal", expect=("FORBIDDEN", "proposalId"),
                  proposalId=proposal["id"], leadDepartmentId=county.department("财政局"))
    # The county administrator keeps the office's desk.
    proposal = await succeed(api, await tokens("admin"), "assignProposal", proposalId=proposal["id"],
                             leadDepartmentId=county.department("教育局"))
    await refused(api, sessions, office, "assignProposal", expect=("WRONG_STATE", "proposalId"),
                  proposalId=proposal["id"], leadDepartmentId=county.department("财政局"))

    # Another county's proposal answers exactly like a missing one.
    async with sessions() as session, session.begin():
        there = await tenancy.create_county(session, code="lulong", name="卢龙县", rule_set=RuleSet.LULONG_2018,
                                            actor=SYSTEM)
        fields = proposals.ProposalFields(kind=ProposalKind.NPC_SUGGESTION, session=SESSION, number=7,
                                          proposers="孙磊", title="关于农村饮水的建议", content="……",
                                          received_on=today())
        theirs = {"id": to_base64("Proposal", (await proposals.register(
            session, county_id=there.id, fields=fields, official_id=None, actor=SYSTEM)).id)}
    missing = await refused(api, sessions, office, "assignProposal", expect=("NOT_FOUND", "proposalId"),
                            proposalId=to_base64("Proposal", 999_999), leadDepartmentId=county.department("财政局"))
    foreign = await refused(api, sessions, office, "assignProposal", expect=("NOT_FOUND", "proposalId"),
                            proposalId=theirs["id"], leadDepartmentId=county.department("财政局"))
    assert foreign["message"] == missing["message"]
    assert await node(api, office, theirs["id"]) is None


async def test_an_important_proposal_goes_before_a_magistrates_office_meeting_not_the_standing_meeting(
        api, sessions, county, tokens):
    office = await tokens("DDIR1")
    proposal = await assigned(api, county, office)
    async with sessions() as session, session.begin():
        bodies = {b.kind: b for b in (await session.execute(select(MeetingBody).where(
            MeetingBody.county_id == county.id))).scalars()}
        at = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=7)
        items = {}
        for kind in (BodyKind.STANDING, BodyKind.MAGISTRATE_OFFICE):
            meeting = await meetings.schedule(session, body=bodies[kind], scheduled_at=at, place="县政府第一会议室",
                                              chair_id=county.officials["MAG"], entrusted_by_id=None,
                                              ad_hoc_approved_by_id=None, actor=SYSTEM)
            item = await meetings.add_item(session, meeting=meeting, title="研究城区停车场建设议题",
                                           is_personnel=False, member_in_charge_id=None, actor=SYSTEM)
            items[kind] = to_base64("AgendaItem", item.id)
    wrong = await refused(api, sessions, office, "putProposalOnAgenda", expect=("WRONG_BODY", "itemId"),
                          proposalId=proposal["id"], itemId=items[BodyKind.STANDING])
    assert "000 §56(三)" in wrong["message"]
    await refused(api, sessions, await tokens("FIN"), "putProposalOnAgenda", expect=("FORBIDDEN", "proposalId"),
                  proposalId=proposal["id"], itemId=items[BodyKind.MAGISTRATE_OFFICE])
    proposal = await succeed(api, office, "putProposalOnAgenda", proposalId=proposal["id"],
                             itemId=items[BodyKind.MAGISTRATE_OFFICE])
    assert proposal["agendaItem"] == {"id": items[BodyKind.MAGISTRATE_OFFICE], "title": "研究城区停车场建设议题"}
    assert proposal["history"][-1]["kind"] == "PUT_ON_AGENDA"


async def test_a_cppcc_proposals_reply_goes_to_the_cppcc_and_a_returned_reply_is_redrafted(
        api, sessions, county, tokens):
    fin, handler = await tokens("FIN"), await tokens("FIN2")
    proposal = await in_progress(api, county, await tokens("DDIR1"), fin, handler, kind="CPPCC_PROPOSAL",
                                 session="县政协十一届三次会议", number=5, title="关于规范城区停车收费的提案")
    proposal = await succeed(api, handler, "replyToProposal", proposalId=proposal["id"], outcome="SOLVED",
                             explanation="已出台停车收费管理办法。")
    assert (proposal["replyDocument"]["direction"], proposal["replyDocument"]["title"]) == (
        "UPWARD_CPPCC", "关于县政协十一届三次会议第5号提案的答复")
    # In the chain, the reply is not redrafted.
    await refused(api, sessions, handler, "replyToProposal", expect=("WRONG_STATE", "proposalId"),
                  proposalId=proposal["id"], outcome="SOLVED", explanation="改。")
    returned = await api.ok("mutation($input: ReturnDocumentInput!) { returnDocument(input: $input) { __typename "
                            "... on MutationError { code message } } }",
                            {"input": {"documentId": proposal["replyDocument"]["id"], "reason": "请补充办理时限。"}},
                            token=fin)
    assert returned["returnDocument"]["__typename"] != "MutationError", returned
    proposal = await succeed(api, handler, "replyToProposal", proposalId=proposal["id"], outcome="PLANNED",
                             explanation="收费管理办法将于明年3月底前出台。")
    assert (proposal["outcome"], proposal["replyDocument"]["state"]) == ("PLANNED", "IN_PROGRESS")
    async with sessions() as session:
        row = await session.get(Proposal, _row(proposal["id"]))
    assert row.explanation == "收费管理办法将于明年3月底前出台。"


async def test_two_office_staff_assigning_at_once_assign_it_once(api, sessions, county, tokens):
    proposal = await registered(api, await tokens("DDIR1"))
    office = [await tokens(code) for code in ("DDIR1", "DDIR2")]
    results = await asyncio.gather(*(
        mutate(api, token, "assignProposal", proposalId=proposal["id"], leadDepartmentId=county.department("财政局"))
        for token in office))
    assert sorted(r["__typename"] for r in results) == ["MutationError", "ProposalPayload"]
    assert next(r for r in results if r["__typename"] == "MutationError")["code"] == "WRONG_STATE"
    async with sessions() as session:
        items = (await session.execute(select(SupervisionItem.id).where(
            SupervisionItem.source_kind == SourceKind.PROPOSAL,
            SupervisionItem.source_id == _row(proposal["id"])))).all()
    assert len(items) == 1
