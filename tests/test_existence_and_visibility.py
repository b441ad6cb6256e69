"""No answer tells a caller that a record exists when they may not see it.

Another county's record, a classified document off the caller's chain (or a classified circulation
they do not read), and an id that names nothing get the same error — code, field and message — from
every mutation that takes an id. An account without an official (the county administrator) is on no
chain: it sees no classified document, listed, counted or by id.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx
import pytest
from graphql import GraphQLInputObjectType, GraphQLList, GraphQLNonNull, GraphQLScalarType
from sqlalchemy import func, select
from strawberry.relay import to_base64

from cli.demo import demo_file, seed_demo
from db.engine import session_factory
from db.models import Account, AuditEvent, Base, SigningRule, StepAssignment
from db.models_disclosure import Disclosure
from domain.disclosure import DisclosureSource
from domain.documents import Classification, Direction, Genre, Issuer
from domain.meetings import BodyKind, MeetingState
from domain.meetings_agenda import MaterialKind
from domain.meetings_decisions import DecisionOutcome
from domain.meetings_recusal import RelationKind
from domain.powers import HolderKind
from domain.proposals import ProposalKind
from domain.roster import AbsenceReason
from domain.supervision import SourceKind
from schema import build_schema
from services import (
    auth,
    circulation,
    document_plans,
    documents,
    issuing,
    meetings,
    meetings_agenda,
    meetings_decisions,
    meetings_matters,
    meetings_recusal,
    powers,
    proposals,
    roster,
    supervision,
    tenancy,
)
from services.signing_rules import SigningTables
from tests.api import Api
from tests.county import PASSWORD, SYSTEM, County, build_county, create_system_admin
from tests.incoming_requests import sent_up

CST = dt.timezone(dt.timedelta(hours=8))
DAY = dt.date(2025, 3, 1)
MONDAY_9AM = dt.datetime(2025, 3, 3, 9, 0, tzinfo=CST)
NO_SUCH_ROW = 999_999


# ---------------------------------------------------------------- two counties, and what each caller may not see


@dataclass
class World:
    """Yanjin, where the callers work, and Lulong next door.

    ``foreign`` holds a Lulong record of each type; ``hidden`` a Yanjin record of the type that the
    callers of the cases below may not see.
    """

    here: County
    foreign: dict[str, str]
    hidden: dict[str, str]
    in_flow: str  # a Yanjin notice waiting for the office director's review: everyone in Yanjin sees it
    waiting: str  # its waiting assignment
    fin_draft: str  # a draft the finance bureau's principal is writing
    body: str  # a Yanjin meeting body
    meeting: str  # a planned Yanjin meeting its magistrate chairs
    item: str  # an item listed for it
    decided_item: str  # an item a Yanjin meeting decided
    decision: str  # the decision on it
    proposal: str  # a suggestion the Yanjin office registered
    supervision_item: str  # a Yanjin supervision item
    instructed: str  # a Yanjin circulation its magistrate read with an instruction
    issue_series: str  # a Yanjin 发文字号 series
    plan: str  # a draft Yanjin yearly document plan
    plan_entry: str  # an entry of it
    incoming_request: str  # a township's request sent up to the Yanjin government, not yet signed in
    power: str  # a Yanjin power in the catalogue, drafted
    disclosure: str  # the disclosure record of the Yanjin decision
    api: Api | None = None
    sessions: object = None
    tokens: dict[str, str] = field(default_factory=dict)

    async def token(self, caller: str) -> str:
        """``caller``: "admin" (Yanjin's county administrator) or an official's staff code."""
        if caller not in self.tokens:
            account = self.here.admin if caller == "admin" else self.here.account(caller)
            self.tokens[caller] = await self.api.login(account, PASSWORD)
        return self.tokens[caller]


def gid(type_name: str, row_id: int) -> str:
    return to_base64(type_name, row_id)


async def _notice(session, county: County, drafter: str, tables: SigningTables, *, submit: bool = True,
                  classification: Classification = Classification.NONE) -> int:
    fields = documents.DraftFields(title="关于加强校园安全管理的通知", issuer=Issuer.COUNTY_GOVERNMENT,
                                   genre=Genre.NOTICE, direction=Direction.DOWNWARD,
                                   lead_department_id=county.departments["教育局"], classification=classification)
    draft = await documents.create_draft(session, drafted_by_id=county.officials[drafter], fields=fields,
                                         actor=SYSTEM)
    if submit:
        await documents.submit(session, document_id=draft.id, official_id=county.officials[drafter], tables=tables,
                               actor=SYSTEM)
    return draft.id


async def _decision(session, county: County) -> tuple[int, int]:
    """A magistrate's office meeting that concluded on an item, and its decision: the item's and decision's ids."""
    body = next(b for b in await meetings.bodies_of(session, county_id=county.id)
                if b.kind == BodyKind.MAGISTRATE_OFFICE)
    meeting = await meetings.schedule(session, body=body, scheduled_at=MONDAY_9AM, place="县长办公室",
                                      chair_id=county.officials["MAG"], entrusted_by_id=None,
                                      ad_hoc_approved_by_id=None, actor=SYSTEM)
    item = await meetings.add_item(session, meeting=meeting, title="关于城区道路改造的议题", is_personnel=False,
                                   member_in_charge_id=None, actor=SYSTEM)
    await meetings.move(session, meeting=meeting, to=MeetingState.NOTICE_SENT, actor=SYSTEM,
                        notice_sent_at=MONDAY_9AM - dt.timedelta(days=7))
    await meetings.move(session, meeting=meeting, to=MeetingState.IN_SESSION, actor=SYSTEM)
    await meetings.open_item(session, item=item, actor=SYSTEM)
    await meetings.record_conclusion(session, item=item, conclusion="同意", actor=SYSTEM)
    decision = await meetings_decisions.adopt(session, item=item, actor=SYSTEM, fields=meetings_decisions.DecisionFields(
        outcome=DecisionOutcome.PASSED, text="同意", publishable=True))
    return item.id, decision.id


async def _disclosure(session, decision_id: int) -> int:
    """The disclosure record the publishable decision made."""
    return await session.scalar(select(Disclosure.id).where(Disclosure.source == DisclosureSource.DECISION,
                                                            Disclosure.source_id == decision_id))


async def _proposal(session, county: County) -> int:
    """A deputy's suggestion the county's office registered."""
    fields = proposals.ProposalFields(kind=ProposalKind.NPC_SUGGESTION, session="县十八届人大三次会议", number=1,
                                      proposers="张明", title="关于城区停车的建议", content="建设停车场。",
                                      received_on=DAY)
    return (await proposals.register(session, county_id=county.id, fields=fields, official_id=None,
                                     actor=SYSTEM)).id


async def _power(session, county: County) -> int:
    """A draft power of the county's catalogue, held by its finance bureau."""
    holder = powers.Holder(kind=HolderKind.DEPARTMENT, department_id=county.departments["财政局"])
    return (await powers.create(session, county_id=county.id, code="330217001", holder=holder,
                                fields=powers.VersionFields(name="政府采购方式变更审批"), actor=SYSTEM)).id


async def _supervision_item(session, county: County) -> int:
    """An item the county's supervision office registered for the finance bureau."""
    await tenancy.lock_county(session, county.id)
    return (await supervision.open_item(
        session, county_id=county.id, source_kind=SourceKind.MANUAL, source_id=None, instruction="落实防汛物资。",
        instructed_by_id=None, instructed_on=DAY, lead_department_id=county.departments["财政局"],
        opened_by_id=None, actor=SYSTEM)).id


async def _plan_entry(session, county: County) -> tuple[int, int]:
    """A county's draft document plan with one entry: the plan's and the entry's ids."""
    plan = await document_plans.create_plan(session, county_id=county.id, year=2025, official_id=None, actor=SYSTEM)
    entry = await document_plans.add_entry(session, plan=plan, actor=SYSTEM, fields=document_plans.EntryFields(
        title="关于印发城乡环境整治工作方案的通知", issuer=Issuer.COUNTY_GOVERNMENT, lead_department_id=None, quarter=2))
    return plan.id, entry.id


async def _waiting_assignment(session, document_id: int) -> int:
    return await session.scalar(select(StepAssignment.id).where(StepAssignment.document_id == document_id)
                                .order_by(StepAssignment.id).limit(1))


async def _wipe(engine) -> None:
    async with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            await connection.execute(table.delete())


@pytest.fixture(scope="module")
async def world(engine, app) -> World:
    """Built once for the module: every test here is refused and writes nothing (each one checks)."""
    sessions = session_factory(engine)
    built = await _build_world(sessions)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://qianfa.test") as client:
        built.api, built.sessions = Api(client), sessions
        yield built
    app.state.tables.forget_all()
    app.state.rosters.clear()
    await _wipe(engine)


async def _build_world(sessions) -> World:
    here = await build_county(sessions, code="yanjin")
    there = await build_county(sessions, code="lulong")
    root = await create_system_admin(sessions)
    # Requests sent up to each county's government; Yanjin's secret one the finance bureau has nothing to do with.
    their_request = await sent_up(sessions, there, at=MONDAY_9AM)
    here_request = await sent_up(sessions, here, at=MONDAY_9AM)
    secret_request = await sent_up(sessions, here, "关于城关镇涉密事项的请示", at=MONDAY_9AM,
                                   classification=Classification.SECRET)
    tables = SigningTables()
    async with sessions() as session, session.begin():
        # Lulong's records, one of each type an id can name.
        their_document = await _notice(session, there, "EDU", tables)
        their_circulation = await circulation.start(
            session, county_id=there.id, started_by_id=there.officials["DIR"], title="市政府关于防汛的通知",
            source="市政府办公室", reader_ids=[there.officials["MAG"]], urgent=False, read_only=False,
            classification=Classification.NONE, actor=SYSTEM)
        absence = await roster.record_absence(
            session, official_id=there.officials["VM1"], starts_at=MONDAY_9AM,
            ends_at=MONDAY_9AM + dt.timedelta(days=1), reason=AbsenceReason.LEAVE, actor=SYSTEM)
        entrustment = await roster.record_entrustment(
            session, entrusted_id=there.officials["VM3"], starts_at=MONDAY_9AM,
            ends_at=MONDAY_9AM + dt.timedelta(days=1), actor=SYSTEM)
        their_admin = await session.scalar(select(Account.id).where(Account.username == there.admin))
        _, their_token = await auth.create_api_token(session, account_id=their_admin, name="lulong sync",
                                                     actor=SYSTEM)
        their_rule = await session.scalar(select(SigningRule.id).where(SigningRule.county_id == there.id).limit(1))
        their_body = (await meetings.bodies_of(session, county_id=there.id))[0]
        their_meeting = await meetings.schedule(
            session, body=their_body, scheduled_at=MONDAY_9AM, place="会议室", chair_id=there.officials["MAG"],
            entrusted_by_id=None, ad_hoc_approved_by_id=None, actor=SYSTEM)
        their_item = await meetings.add_item(session, meeting=their_meeting, title="议题", is_personnel=False,
                                             member_in_charge_id=None, actor=SYSTEM)
        their_material = await meetings_agenda.add_material(session, item=their_item, kind=MaterialKind.REQUEST,
                                                            title="请示", actor=SYSTEM)
        their_matter = (await meetings_matters.matters_of(session, county_id=there.id))[0]
        their_relation = await meetings_recusal.add_relation(
            session, county_id=there.id, official_id=there.officials["EDU"], kind=RelationKind.SPOUSE,
            relative_id=there.officials["TWN"], relative_name=None, note="", actor=SYSTEM)
        here_body = (await meetings.bodies_of(session, county_id=here.id))[0]
        here_meeting = await meetings.schedule(
            session, body=here_body, scheduled_at=MONDAY_9AM, place="会议室", chair_id=here.officials["MAG"],
            entrusted_by_id=None, ad_hoc_approved_by_id=None, actor=SYSTEM)
        here_item = await meetings.add_item(session, meeting=here_meeting, title="议题", is_personnel=False,
                                            member_in_charge_id=None, actor=SYSTEM)

        _, their_decision = await _decision(session, there)
        decided_item, decision = await _decision(session, here)
        their_proposal = await _proposal(session, there)
        here_proposal = await _proposal(session, here)
        their_supervision_item = await _supervision_item(session, there)
        their_power, here_power = await _power(session, there), await _power(session, here)
        here_supervision_item = await _supervision_item(session, here)
        instructed = await circulation.start(
            session, county_id=here.id, started_by_id=here.officials["DIR"], title="市政府关于防汛的通知",
            source="市政府办公室", reader_ids=[here.officials["MAG"]], urgent=False, read_only=False,
            classification=Classification.NONE, actor=SYSTEM)
        await circulation.mark_read(session, circulation_id=instructed.id, official_id=here.officials["MAG"],
                                    instruction="请财政局落实。", actor=SYSTEM)

        # Yanjin's hidden records: a secret notice on which the finance bureau has no step, a classified
        # circulation it does not read, the system administrator's account and token.
        secret = await _notice(session, here, "EDU", tables, classification=Classification.SECRET)
        classified = await circulation.start(
            session, county_id=here.id, started_by_id=here.officials["DIR"], title="市委关于人事调整的通知",
            source="市委办公室", reader_ids=[here.officials["MAG"], here.officials["EVM"]], urgent=False,
            read_only=False, classification=Classification.SECRET, actor=SYSTEM)
        root_account = await session.scalar(select(Account.id).where(Account.username == root))
        _, root_token = await auth.create_api_token(session, account_id=root_account, name="root sync", actor=SYSTEM)

        their_plan, their_entry = await _plan_entry(session, there)
        here_plan, here_entry = await _plan_entry(session, here)
        their_series = (await issuing.series_of(session, county_id=there.id))[0].id
        here_series = (await issuing.series_of(session, county_id=here.id))[0].id

        in_flow = await _notice(session, here, "EDU", tables)
        fin_draft = await _notice(session, here, "FIN", tables, submit=False)
        return World(
            here=here,
            foreign={
                "County": there.gid, "Official": there.official("VM1"), "Department": there.department("财政局"),
                "Position": there.position("FIN"), "AbPair": gid("AbPair", there.ab_pairs["VM2-VM3"]),
                "Absence": gid("Absence", absence.id), "Entrustment": gid("Entrustment", entrustment.id),
                "Account": gid("Account", their_admin), "ApiToken": gid("ApiToken", their_token.id),
                "SigningRule": gid("SigningRule", their_rule), "Document": gid("Document", their_document),
                "StepAssignment": gid("StepAssignment", await _waiting_assignment(session, their_document)),
                "Circulation": gid("Circulation", their_circulation.id),
                "MeetingBody": gid("MeetingBody", their_body.id), "Meeting": gid("Meeting", their_meeting.id),
                "AgendaItem": gid("AgendaItem", their_item.id),
                "AgendaItemMaterial": gid("AgendaItemMaterial", their_material.id),
                "CollectiveMatter": gid("CollectiveMatter", their_matter.id),
                "OfficialRelation": gid("OfficialRelation", their_relation.id),
                "MeetingDecision": gid("MeetingDecision", their_decision),
                "Proposal": gid("Proposal", their_proposal),
                "SupervisionItem": gid("SupervisionItem", their_supervision_item),
                "IssueSeries": gid("IssueSeries", their_series), "DocumentPlan": gid("DocumentPlan", their_plan),
                "DocumentPlanEntry": gid("DocumentPlanEntry", their_entry),
                "IncomingRequest": their_request,
                "Power": gid("Power", their_power),
                "Disclosure": gid("Disclosure", await _disclosure(session, their_decision)),
            },
            hidden={
                "Document": gid("Document", secret),
                "StepAssignment": gid("StepAssignment", await _waiting_assignment(session, secret)),
                "Circulation": gid("Circulation", classified.id),
                "Account": gid("Account", root_account), "ApiToken": gid("ApiToken", root_token.id),
                "IncomingRequest": secret_request,
            },
            in_flow=gid("Document", in_flow),
            waiting=gid("StepAssignment", await _waiting_assignment(session, in_flow)),
            fin_draft=gid("Document", fin_draft),
            body=gid("MeetingBody", here_body.id),
            meeting=gid("Meeting", here_meeting.id),
            item=gid("AgendaItem", here_item.id),
            decided_item=gid("AgendaItem", decided_item),
            decision=gid("MeetingDecision", decision),
            proposal=gid("Proposal", here_proposal),
            supervision_item=gid("SupervisionItem", here_supervision_item),
            instructed=gid("Circulation", instructed.id),
            issue_series=gid("IssueSeries", here_series),
            plan=gid("DocumentPlan", here_plan),
            plan_entry=gid("DocumentPlanEntry", here_entry),
            incoming_request=here_request,
            power=gid("Power", here_power),
            disclosure=gid("Disclosure", await _disclosure(session, decision)),
        )


# ---------------------------------------------------------------- every mutation that takes an id


def _draft(**ids) -> dict:
    return {"title": "关于财政资金监管的通知", "issuer": "COUNTY_GOVERNMENT", "genre": "NOTICE",
            "direction": "DOWNWARD", **ids}


_WEEK_OFF = {"startsAt": MONDAY_9AM.isoformat(), "endsAt": (MONDAY_9AM + dt.timedelta(days=1)).isoformat()}
_RULE = {"priority": 1, "action": "SIGN", "role": "magistrate", "effect": "allow", "rule": "X-1", "article": "§1"}


@dataclass(frozen=True)
class Case:
    """One id argument of one mutation: ``input`` builds the mutation's input with ``bad`` in that place."""

    mutation: str
    path: str  # the input field holding the id, dotted when nested
    type_name: str
    caller: str  # "admin" (Yanjin's county administrator) or an official's staff code
    input: Callable[[World, str], dict]

    @property
    def field(self) -> str:
        return self.path.rsplit(".", 1)[-1]


def _roster(mutation, path, type_name, input):
    return Case(mutation, path, type_name, "admin", input)


def _document_case(mutation, input, caller="FIN"):
    return Case(mutation, "documentId", "Document", caller, lambda w, bad: {"documentId": bad, **input})


def _on_behalf(mutation, input):
    return Case(mutation, "onBehalfOfId", "Official", "FIN",
                lambda w, bad: {"documentId": w.in_flow, "onBehalfOfId": bad, **input})


def _draft_id(mutation, name, type_name, value):
    if mutation == "createDraft":
        return Case(mutation, name, type_name, "FIN", lambda w, bad: _draft(**{name: value(bad)}))
    return Case(mutation, f"draft.{name}", type_name, "FIN",
                lambda w, bad: {"documentId": w.fin_draft, "draft": _draft(**{name: value(bad)})})


_BODY = {"kind": "PARTY_GROUP", "name": "县政府党组会议", "members": ["MAGISTRATE"], "chairRole": "MAGISTRATE",
         "decisionMode": "NAMED_VOTE", "minutesSeries": "党组会议纪要", "article": "002 细则 §5"}


def _meeting_cases() -> list[Case]:
    """Meetings: the administrator runs them; ids of another county's body, meeting, item or official."""
    schedule = {"scheduledAt": MONDAY_9AM.isoformat(), "place": "会议室"}
    cases = [
        _roster("addMeetingBody", "countyId", "County", lambda w, bad: {"body": _BODY, "countyId": bad}),
        _roster("updateMeetingBody", "id", "MeetingBody", lambda w, bad: {"id": bad, "body": _BODY}),
        _roster("scheduleMeeting", "bodyId", "MeetingBody", lambda w, bad: {
            "bodyId": bad, "chairId": w.here.official("MAG"), **schedule}),
        *(_roster("scheduleMeeting", name, "Official", lambda w, bad, name=name: {
            "bodyId": w.body, "chairId": w.here.official("MAG"), **schedule, name: bad})
          for name in ("chairId", "entrustedById", "adHocApprovedById")),
        *(_roster(name, "meetingId", "Meeting", lambda w, bad: {"meetingId": bad})
          for name in ("sendMeetingNotice", "openMeeting", "closeMeeting", "cancelMeeting")),
        _roster("recordAttendance", "meetingId", "Meeting", lambda w, bad: {
            "meetingId": bad, "officialId": w.here.official("MAG"), "status": "PRESENT"}),
        _roster("recordAttendance", "officialId", "Official", lambda w, bad: {
            "meetingId": w.meeting, "officialId": bad, "status": "PRESENT"}),
        _roster("recordAttendance", "forOfficialId", "Official", lambda w, bad: {
            "meetingId": w.meeting, "officialId": w.here.official("DDIR1"), "status": "PRESENT",
            "kind": "SUBSTITUTE", "forOfficialId": bad}),
        _roster("recordAttendance", "leaveGrantedById", "Official", lambda w, bad: {
            "meetingId": w.meeting, "officialId": w.here.official("VM1"), "status": "ON_LEAVE",
            "leaveGrantedById": bad}),
        _roster("addAgendaItem", "meetingId", "Meeting", lambda w, bad: {"meetingId": bad, "title": "议题"}),
        _roster("addAgendaItem", "memberInChargeId", "Official", lambda w, bad: {
            "meetingId": w.meeting, "title": "议题", "memberInChargeId": bad}),
        *(_roster(name, "itemId", "AgendaItem", lambda w, bad: {"itemId": bad})
          for name in ("openAgendaItem", "putToVote", "closeVote", "deferAgendaItem")),
        _roster("recordConclusion", "itemId", "AgendaItem", lambda w, bad: {"itemId": bad, "conclusion": "同意"}),
        _roster("castVote", "itemId", "AgendaItem", lambda w, bad: {"itemId": bad, "choice": "FOR"}),
        _roster("castVote", "memberId", "Official", lambda w, bad: {"itemId": w.item, "choice": "FOR",
                                                                    "memberId": bad}),
        _roster("recordWrittenOpinion", "itemId", "AgendaItem", lambda w, bad: {
            "itemId": bad, "memberId": w.here.official("MAG"), "stance": "FOR", "text": "同意"}),
        _roster("recordWrittenOpinion", "memberId", "Official", lambda w, bad: {
            "itemId": w.item, "memberId": bad, "stance": "FOR", "text": "同意"}),
        *_meeting_record_cases(),
        *_decision_cases(),
        *_agenda_cases(),
        *_proposal_cases(),
        *_supervision_cases(),
        *_issuing_cases(),
        *_incoming_request_cases(),
        *_power_cases(),
        *_disclosure_cases(),
    ]
    return cases


def _disclosure_cases() -> list[Case]:
    """Proactive disclosure: the office director publishes and approves exemptions; ids of another county's record
    or officer."""
    return [
        Case("publishDisclosure", "disclosureId", "Disclosure", "DIR", lambda w, bad: {
            "disclosureId": bad, "publishedOn": DAY.isoformat(), "where": "门户网站"}),
        Case("exemptDisclosure", "disclosureId", "Disclosure", "DIR", lambda w, bad: {
            "disclosureId": bad, "exemption": "PRIVACY", "reason": "含个人信息。",
            "requestedById": w.here.official("DDIR1")}),
        Case("exemptDisclosure", "requestedById", "Official", "DIR", lambda w, bad: {
            "disclosureId": w.disclosure, "exemption": "PRIVACY", "reason": "含个人信息。", "requestedById": bad}),
        _roster("setDisclosureLimit", "countyId", "County", lambda w, bad: {
            "countyId": bad, "source": "DOCUMENT", "workingDays": 20, "article": "001 §16"}),
    ]


def _power_cases() -> list[Case]:
    """The power catalogue: the administrator keeps the office's desk; ids of another county's power, holder,
    reviewing department or approving decision."""
    def power(mutation: str, **input) -> Case:
        return _roster(mutation, "powerId", "Power", lambda w, bad: {"powerId": bad, **input})

    def create(name: str, type_name: str, **input) -> Case:
        return _roster("createPower", name, type_name, lambda w, bad: {
            "code": "330217009", "fields": {"name": "审批"}, **input, name: bad})

    return [
        create("countyId", "County", holderKind="POSITION_ROLE", holderRole="MAGISTRATE"),
        create("holderBodyId", "MeetingBody", holderKind="BODY"),
        create("holderDepartmentId", "Department", holderKind="DEPARTMENT"),
        power("editPowerDraft", fields={"name": "审批"}),
        power("drawPowerFlowchart", steps=[{"key": "accept", "actor": "窗口", "timeLimitDays": 1}]),
        power("setPowerRiskPoints", riskPoints=[]),
        *(power(name) for name in ("submitPowerForReview", "publishPower", "amendPower", "revokePower")),
        power("recordPowerReview", office="ESTABLISHMENT", reviewer="县委编办", agreed=True),
        _roster("recordPowerReview", "departmentId", "Department", lambda w, bad: {
            "powerId": w.power, "office": "LEGAL", "reviewer": "司法局", "agreed": True, "departmentId": bad}),
        power("approvePower"),
        _roster("approvePower", "decisionId", "MeetingDecision", lambda w, bad: {"powerId": w.power,
                                                                                 "decisionId": bad}),
    ]


def _incoming_request_cases() -> list[Case]:
    """Requests sent up: asked by the finance bureau's principal, who sees the unclassified ones, not the secret one;
    the other ids beside a Yanjin request; the administrator edits the county's settings."""
    def request(mutation: str, **input) -> Case:
        return Case(mutation, "requestId", "IncomingRequest", "FIN", lambda w, bad: {"requestId": bad, **input})

    def beside(mutation: str, path: str, type_name: str, input: Callable[[World, str], dict]) -> Case:
        return Case(mutation, path, type_name, "FIN", lambda w, bad: {"requestId": w.incoming_request,
                                                                      **input(w, bad)})

    def supervise(w: World, **ids) -> dict:
        return {"opinion": "同意。", "supervise": {"leadDepartmentId": w.here.department("财政局"), **ids}}

    return [
        *(request(name) for name in ("registerIncomingRequest", "presentIncomingRequest", "closeIncomingRequest")),
        request("proposeIncomingRequestHandling", opinion="拟请领导阅示。"),
        request("passOnIncomingRequest", toOfficialId=gid("Official", NO_SUCH_ROW)),
        beside("passOnIncomingRequest", "toOfficialId", "Official", lambda w, bad: {"toOfficialId": bad}),
        request("instructIncomingRequest", opinion="同意。"),
        beside("instructIncomingRequest", "supervise.leadDepartmentId", "Department", lambda w, bad: {
            "opinion": "同意。", "supervise": {"leadDepartmentId": bad}}),
        beside("instructIncomingRequest", "supervise.coDepartmentIds", "Department",
               lambda w, bad: supervise(w, coDepartmentIds=[bad])),
        beside("instructIncomingRequest", "supervise.responsibleOfficialId", "Official",
               lambda w, bad: supervise(w, responsibleOfficialId=bad)),
        request("draftIncomingRequestReply", title="批复"),
        request("linkIncomingRequestReply", documentId=gid("Document", NO_SUCH_ROW)),
        beside("linkIncomingRequestReply", "documentId", "Document", lambda w, bad: {"documentId": bad}),
        _roster("updateIncomingRequestRules", "countyId", "County", lambda w, bad: {
            "numberPrefix": "收", "numberArticle": "001 §31", "countyId": bad}),
    ]


def _issuing_cases() -> list[Case]:
    """Issuing and the yearly plan: the office issues and drafts (here the administrator, or the director); the
    administrator edits the series; the drafter places a draft in the plan."""
    series = {"issuer": "DEPARTMENT", "prefix": "延财", "article": "县级数据"}
    entry = {"title": "关于印发工作方案的通知", "issuer": "COUNTY_GOVERNMENT", "quarter": 1}
    return [
        Case("issueDocument", "documentId", "Document", "FIN", lambda w, bad: {
            "documentId": bad, "distribution": [{"kind": "MAIN", "organ": "市人民政府"}]}),
        Case("issueDocument", "distribution.departmentId", "Department", "FIN", lambda w, bad: {
            "documentId": w.in_flow, "distribution": [{"kind": "MAIN", "departmentId": bad}]}),
        _roster("addIssueSeries", "countyId", "County", lambda w, bad: {
            "series": {**series, "departmentId": w.here.department("财政局")}, "countyId": bad}),
        _roster("addIssueSeries", "series.departmentId", "Department", lambda w, bad: {
            "series": {**series, "departmentId": bad}}),
        _roster("updateIssueSeries", "id", "IssueSeries", lambda w, bad: {
            "id": bad, "series": {**series, "departmentId": w.here.department("财政局")}}),
        _roster("updateIssueSeries", "series.departmentId", "Department", lambda w, bad: {
            "id": w.issue_series, "series": {**series, "departmentId": bad}}),
        _roster("removeIssueSeries", "id", "IssueSeries", lambda w, bad: {"id": bad}),
        _roster("createDocumentPlan", "countyId", "County", lambda w, bad: {"year": 2027, "countyId": bad}),
        _roster("addDocumentPlanEntry", "planId", "DocumentPlan", lambda w, bad: {"planId": bad, "entry": entry}),
        _roster("addDocumentPlanEntry", "entry.leadDepartmentId", "Department", lambda w, bad: {
            "planId": w.plan, "entry": {**entry, "leadDepartmentId": bad}}),
        _roster("updateDocumentPlanEntry", "entryId", "DocumentPlanEntry", lambda w, bad: {
            "entryId": bad, "entry": entry}),
        _roster("updateDocumentPlanEntry", "entry.leadDepartmentId", "Department", lambda w, bad: {
            "entryId": w.plan_entry, "entry": {**entry, "leadDepartmentId": bad}}),
        _roster("removeDocumentPlanEntry", "entryId", "DocumentPlanEntry", lambda w, bad: {"entryId": bad}),
        *(_roster(name, "planId", "DocumentPlan", lambda w, bad: {"planId": bad})
          for name in ("submitDocumentPlan", "approveDocumentPlan")),
        _roster("returnDocumentPlan", "planId", "DocumentPlan", lambda w, bad: {"planId": bad, "reason": "补充"}),
        Case("linkDocumentToPlanEntry", "documentId", "Document", "FIN", lambda w, bad: {
            "documentId": bad, "entryId": w.plan_entry}),
        Case("linkDocumentToPlanEntry", "entryId", "DocumentPlanEntry", "FIN", lambda w, bad: {
            "documentId": w.fin_draft, "entryId": bad}),
        Case("recordPlanException", "documentId", "Document", "FIN", lambda w, bad: {
            "documentId": bad, "kind": "PROVINCE_CITY_DOCUMENT", "note": "市政府文件"}),
    ]


def _supervision_cases() -> list[Case]:
    """Supervision: the office (its director) opens, delivers, closes and reopens; the unit's principal accepts and
    reports; the administrator edits the county's data; a circulation is the finance bureau's to name here."""
    opened = {"instruction": "落实", "instructedOn": DAY.isoformat()}

    def from_instruction(w: World, **ids) -> dict:
        return {"circulationId": w.instructed, "leaderId": w.here.official("MAG"),
                "leadDepartmentId": w.here.department("财政局"), **ids}

    return [
        Case("openSupervisionItem", "countyId", "County", "DIR", lambda w, bad: {
            **opened, "leadDepartmentId": w.here.department("财政局"), "countyId": bad}),
        Case("openSupervisionItem", "leadDepartmentId", "Department", "DIR", lambda w, bad: {
            **opened, "leadDepartmentId": bad}),
        *(Case("openSupervisionItem", name, type_name, "DIR", lambda w, bad, name=name, many=many: {
            **opened, "leadDepartmentId": w.here.department("财政局"), name: [bad] if many else bad})
          for name, type_name, many in (("coDepartmentIds", "Department", True), ("instructedById", "Official", False),
                                        ("responsibleOfficialId", "Official", False))),
        Case("openSupervisionItemFromInstruction", "circulationId", "Circulation", "FIN", lambda w, bad: {
            **from_instruction(w), "circulationId": bad}),
        *(Case("openSupervisionItemFromInstruction", name, type_name, "DIR", lambda w, bad, name=name, many=many:
               from_instruction(w, **{name: [bad] if many else bad}))
          for name, type_name, many in (("leaderId", "Official", False), ("leadDepartmentId", "Department", False),
                                        ("coDepartmentIds", "Department", True),
                                        ("responsibleOfficialId", "Official", False))),
        Case("assignSupervisionItem", "supervisionItemId", "SupervisionItem", "DIR", lambda w, bad: {
            "supervisionItemId": bad}),
        Case("acceptSupervisionItem", "supervisionItemId", "SupervisionItem", "FIN", lambda w, bad: {
            "supervisionItemId": bad}),
        *(Case(name, "supervisionItemId", "SupervisionItem", caller, lambda w, bad: {"supervisionItemId": bad,
                                                                                    "text": "情况"})
          for name, caller in (("reportSupervisionProgress", "FIN"), ("reportSupervisionResult", "FIN"),
                               ("closeSupervisionItem", "DIR"), ("reopenSupervisionItem", "DIR"))),
        _roster("putSupervisionDeadlineClass", "countyId", "County", lambda w, bad: {
            "code": "general", "name": "一般", "default": True, "article": "001 §37", "countyId": bad}),
        _roster("setSupervisionPrefix", "countyId", "County", lambda w, bad: {
            "prefix": "督", "article": "000 §48", "countyId": bad}),
    ]


def _proposal_cases() -> list[Case]:
    """Proposals: the administrator keeps the office's desk; ids of another county's proposal, unit or person."""
    register = {"kind": "NPC_SUGGESTION", "session": "县十八届人大三次会议", "number": 2, "proposers": "张明",
                "title": "建议", "content": "……", "receivedOn": DAY.isoformat()}
    return [
        _roster("registerProposal", "countyId", "County", lambda w, bad: {**register, "countyId": bad}),
        _roster("setProposalTimeLimit", "countyId", "County", lambda w, bad: {
            "step": "REPLY", "workingDays": 30, "article": "001 §14", "countyId": bad}),
        _roster("assignProposal", "proposalId", "Proposal", lambda w, bad: {
            "proposalId": bad, "leadDepartmentId": w.here.department("财政局")}),
        _roster("assignProposal", "leadDepartmentId", "Department", lambda w, bad: {
            "proposalId": w.proposal, "leadDepartmentId": bad}),
        _roster("assignProposal", "coDepartmentIds", "Department", lambda w, bad: {
            "proposalId": w.proposal, "leadDepartmentId": w.here.department("财政局"), "coDepartmentIds": [bad]}),
        _roster("acceptProposal", "proposalId", "Proposal", lambda w, bad: {
            "proposalId": bad, "handlerId": w.here.official("FIN2")}),
        _roster("acceptProposal", "handlerId", "Official", lambda w, bad: {"proposalId": w.proposal, "handlerId": bad}),
        _roster("logProposalContact", "proposalId", "Proposal", lambda w, bad: {
            "proposalId": bad, "contactedOn": DAY.isoformat(), "way": "PHONE", "person": "张明", "summary": "沟通"}),
        _roster("replyToProposal", "proposalId", "Proposal", lambda w, bad: {
            "proposalId": bad, "outcome": "SOLVED", "explanation": "已解决"}),
        _roster("publishProposalReply", "proposalId", "Proposal", lambda w, bad: {
            "proposalId": bad, "publishedOn": DAY.isoformat(), "where": "门户网站"}),
        _roster("closeProposal", "proposalId", "Proposal", lambda w, bad: {"proposalId": bad}),
        _roster("putProposalOnAgenda", "proposalId", "Proposal", lambda w, bad: {"proposalId": bad, "itemId": w.item}),
        _roster("putProposalOnAgenda", "itemId", "AgendaItem", lambda w, bad: {"proposalId": w.proposal,
                                                                               "itemId": bad}),
    ]


def _agenda_cases() -> list[Case]:
    """The agenda pipeline and the matter catalogue: the administrator records each step for an official."""
    matter = {"code": "state_assets", "name": "国有资产处置", "bodyKind": "STANDING", "article": "002 三重一大 一(一)5"}
    propose = {"title": "议题"}
    return [
        _roster("addCollectiveMatter", "countyId", "County", lambda w, bad: {"matter": matter, "countyId": bad}),
        _roster("updateCollectiveMatter", "id", "CollectiveMatter", lambda w, bad: {"id": bad, "matter": matter}),
        _roster("proposeAgendaItem", "bodyId", "MeetingBody", lambda w, bad: {
            "bodyId": bad, "proposerId": w.here.official("FIN"), **propose}),
        *(_roster("proposeAgendaItem", name, type_name, lambda w, bad, name=name: {
            "bodyId": w.body, "proposerId": w.here.official("FIN"), **propose, name: bad})
          for name, type_name in (("proposerId", "Official"), ("sponsorDepartmentId", "Department"),
                                  ("memberInChargeId", "Official"))),
        *(_roster(name, "itemId", "AgendaItem", lambda w, bad: {"itemId": bad})
          for name in ("coordinateAgendaItem", "checkAgendaItem", "acceptAgendaItem", "withdrawAgendaItem")),
        *(_roster(name, "officialId", "Official", lambda w, bad: {"itemId": w.item, "officialId": bad})
          for name in ("coordinateAgendaItem", "acceptAgendaItem")),
        _roster("scheduleAgendaItem", "itemId", "AgendaItem", lambda w, bad: {"itemId": bad, "meetingId": w.meeting}),
        _roster("scheduleAgendaItem", "meetingId", "Meeting", lambda w, bad: {"itemId": w.item, "meetingId": bad}),
        _roster("addAgendaMaterial", "itemId", "AgendaItem", lambda w, bad: {
            "itemId": bad, "kind": "REQUEST", "title": "请示"}),
        _roster("recordConsultationReply", "materialId", "AgendaItemMaterial", lambda w, bad: {
            "materialId": bad, "reply": "同意", "repliedOn": "2026-03-02"}),
    ]


def _decision_cases() -> list[Case]:
    """Decisions: recorded and moved by the office (here the administrator); linked by the drafter."""
    adopt = {"outcome": "PASSED", "text": "同意"}
    return [
        _roster("adoptDecision", "itemId", "AgendaItem", lambda w, bad: {"itemId": bad, **adopt}),
        _roster("adoptDecision", "responsibleDepartmentIds", "Department", lambda w, bad: {
            "itemId": w.decided_item, "responsibleDepartmentIds": [bad], **adopt}),
        _roster("adoptDecision", "responsiblePersonId", "Official", lambda w, bad: {
            "itemId": w.decided_item, "responsiblePersonId": bad, **adopt}),
        *(_roster(name, "decisionId", "MeetingDecision", lambda w, bad: {"decisionId": bad})
          for name in ("startDecisionExecution", "completeDecision")),
        *(_roster(name, "decisionId", "MeetingDecision", lambda w, bad: {"decisionId": bad, "reason": "调整"})
          for name in ("suspendDecision", "proposeDecisionChange")),
        Case("linkDocumentToDecision", "documentId", "Document", "FIN", lambda w, bad: {
            "documentId": bad, "decisionId": w.decision}),
        Case("linkDocumentToDecision", "decisionId", "MeetingDecision", "FIN", lambda w, bad: {
            "documentId": w.fin_draft, "decisionId": bad}),
    ]


def _meeting_record_cases() -> list[Case]:
    """The relation register, recusals, minutes and emergency decisions (the office's, here the administrator)."""
    flood = {"decidedAt": MONDAY_9AM.isoformat(), "matter": "防汛", "reasons": "来不及召开会议"}
    return [
        _roster("addOfficialRelation", "officialId", "Official", lambda w, bad: {
            "officialId": bad, "kind": "SPOUSE", "relativeName": "某某"}),
        _roster("addOfficialRelation", "relativeId", "Official", lambda w, bad: {
            "officialId": w.here.official("EDU"), "kind": "SPOUSE", "relativeId": bad}),
        _roster("removeOfficialRelation", "id", "OfficialRelation", lambda w, bad: {"id": bad}),
        _roster("recuseFromItem", "itemId", "AgendaItem", lambda w, bad: {
            "itemId": bad, "memberId": w.here.official("VM1"), "note": "亲属"}),
        _roster("recuseFromItem", "memberId", "Official", lambda w, bad: {
            "itemId": w.item, "memberId": bad, "note": "亲属"}),
        _roster("setPersonsConcerned", "itemId", "AgendaItem", lambda w, bad: {"itemId": bad, "persons": []}),
        _roster("setPersonsConcerned", "persons.officialId", "Official", lambda w, bad: {
            "itemId": w.item, "persons": [{"officialId": bad}]}),
        _roster("draftMinutes", "meetingId", "Meeting", lambda w, bad: {"meetingId": bad}),
        _roster("draftMinutes", "drafterId", "Official", lambda w, bad: {"meetingId": w.meeting, "drafterId": bad}),
        _roster("recordEmergencyDecision", "bodyId", "MeetingBody", lambda w, bad: {"bodyId": bad, **flood}),
        _roster("recordEmergencyDecision", "decidedById", "Official", lambda w, bad: {
            "bodyId": w.body, "decidedById": bad, **flood}),
    ]


CASES = [
    _roster("addOfficial", "countyId", "County", lambda w, bad: {"code": "AUD", "name": "孙局长", "rankOrder": 14,
                                                                 "countyId": bad}),
    _roster("updateOfficial", "id", "Official", lambda w, bad: {"id": bad, "name": "改名"}),
    _roster("retireOfficial", "id", "Official", lambda w, bad: {"id": bad, "retiredOn": DAY.isoformat()}),
    _roster("appointToPosition", "officialId", "Official", lambda w, bad: {
        "officialId": bad, "role": "DEPARTMENT_DEPUTY", "departmentId": w.here.department("财政局"),
        "effectiveFrom": DAY.isoformat()}),
    _roster("appointToPosition", "departmentId", "Department", lambda w, bad: {
        "officialId": w.here.official("EDU"), "role": "DEPARTMENT_DEPUTY", "departmentId": bad,
        "effectiveFrom": DAY.isoformat()}),
    _roster("removeFromPosition", "positionId", "Position", lambda w, bad: {"positionId": bad,
                                                                             "effectiveTo": DAY.isoformat()}),
    _roster("createDepartment", "countyId", "County", lambda w, bad: {"name": "审计局", "kind": "AUDIT",
                                                                      "countyId": bad}),
    _roster("renameDepartment", "id", "Department", lambda w, bad: {"id": bad, "name": "改名"}),
    _roster("setDepartmentPrincipal", "departmentId", "Department", lambda w, bad: {
        "departmentId": bad, "officialId": w.here.official("FIN2"), "effectiveFrom": DAY.isoformat()}),
    _roster("setDepartmentPrincipal", "officialId", "Official", lambda w, bad: {
        "departmentId": w.here.department("财政局"), "officialId": bad, "effectiveFrom": DAY.isoformat()}),
    _roster("setPortfolio", "officialId", "Official", lambda w, bad: {"officialId": bad, "departmentIds": [],
                                                                      "effectiveFrom": DAY.isoformat()}),
    _roster("setPortfolio", "departmentIds", "Department", lambda w, bad: {
        "officialId": w.here.official("VM1"), "departmentIds": [bad], "effectiveFrom": DAY.isoformat()}),
    _roster("pairAbPartners", "officialAId", "Official", lambda w, bad: {
        "officialAId": bad, "officialBId": w.here.official("VM1"), "effectiveFrom": DAY.isoformat()}),
    _roster("pairAbPartners", "officialBId", "Official", lambda w, bad: {
        "officialAId": w.here.official("VM1"), "officialBId": bad, "effectiveFrom": DAY.isoformat()}),
    _roster("endAbPair", "pairId", "AbPair", lambda w, bad: {"pairId": bad, "effectiveTo": DAY.isoformat()}),
    _roster("recordAbsence", "officialId", "Official", lambda w, bad: {"officialId": bad, "reason": "LEAVE",
                                                                       **_WEEK_OFF}),
    _roster("recordAbsence", "actingOfficialId", "Official", lambda w, bad: {
        "officialId": w.here.official("VM2"), "actingOfficialId": bad, "reason": "LEAVE", **_WEEK_OFF}),
    _roster("cancelAbsence", "absenceId", "Absence", lambda w, bad: {"absenceId": bad}),
    _roster("recordEntrustment", "entrustedId", "Official", lambda w, bad: {"entrustedId": bad, **_WEEK_OFF}),
    _roster("cancelEntrustment", "entrustmentId", "Entrustment", lambda w, bad: {"entrustmentId": bad}),
    _roster("createApiToken", "accountId", "Account", lambda w, bad: {"name": "sync", "accountId": bad}),
    _roster("revokeApiToken", "id", "ApiToken", lambda w, bad: {"id": bad}),
    _roster("disableAccount", "id", "Account", lambda w, bad: {"id": bad}),
    _roster("enableAccount", "id", "Account", lambda w, bad: {"id": bad}),
    _roster("createAccount", "countyId", "County", lambda w, bad: {
        "username": "clerk.new", "password": "a long enough passphrase", "role": "COUNTY_ADMIN", "countyId": bad}),
    _roster("createAccount", "officialId", "Official", lambda w, bad: {
        "username": "clerk.new", "password": "a long enough passphrase", "role": "OFFICIAL", "officialId": bad}),
    _roster("resetPassword", "accountId", "Account", lambda w, bad: {"accountId": bad,
                                                                     "newPassword": "a long enough passphrase"}),
    _roster("addSigningRule", "countyId", "County", lambda w, bad: {**_RULE, "countyId": bad}),
    _roster("removeSigningRule", "id", "SigningRule", lambda w, bad: {"id": bad}),
    _roster("enterCalendarYear", "countyId", "County", lambda w, bad: {
        "year": 2027, "holidays": [], "workdays": [], "source": "国办发明电〔2026〕1号", "countyId": bad}),
    _roster("setCalendarDay", "countyId", "County", lambda w, bad: {"day": "2026-06-18", "workday": False,
                                                                    "name": "县庆", "countyId": bad}),
    _roster("removeCalendarDay", "countyId", "County", lambda w, bad: {"day": "2026-06-18", "countyId": bad}),
    *(_draft_id(mutation, name, type_name, value)
      for mutation in ("createDraft", "updateDraft")
      for name, type_name, value in (("leadDepartmentId", "Department", lambda bad: bad),
                                     ("coSponsorIds", "Department", lambda bad: [bad]),
                                     ("addressedToId", "Official", lambda bad: bad),
                                     ("meetingChairId", "Official", lambda bad: bad),
                                     ("decisionId", "MeetingDecision", lambda bad: bad))),
    Case("updateDraft", "documentId", "Document", "FIN", lambda w, bad: {"documentId": bad, "draft": _draft()}),
    _document_case("submitDocument", {}),
    _document_case("approveStep", {"opinion": "同意"}),
    _document_case("dissent", {"reasons": "不同意"}),
    _document_case("signDocument", {}),
    _document_case("signUrgently", {"consentNote": "县长电话同意"}),
    _document_case("returnDocument", {"reason": "请补充材料"}),
    _document_case("withdraw", {}),
    _on_behalf("approveStep", {"opinion": "同意"}),
    _on_behalf("dissent", {"reasons": "不同意"}),
    _on_behalf("signDocument", {}),
    Case("reassignStep", "assignmentId", "StepAssignment", "FIN", lambda w, bad: {
        "assignmentId": bad, "toOfficialId": w.here.official("DDIR1"), "reason": "出差"}),
    Case("reassignStep", "toOfficialId", "Official", "DIR", lambda w, bad: {
        "assignmentId": w.waiting, "toOfficialId": bad, "reason": "出差"}),
    Case("startCirculation", "readerIds", "Official", "DIR", lambda w, bad: {
        "title": "市政府关于防汛的通知", "source": "市政府办公室", "readerIds": [bad]}),
    Case("markRead", "circulationId", "Circulation", "FIN", lambda w, bad: {"circulationId": bad}),
    *_meeting_cases(),
]


def _id_paths(input_type, prefix: str = "") -> set[str]:
    """Every input field, however nested, that holds an ID or a list of them."""
    paths = set()
    for name, input_field in input_type.fields.items():
        named = input_field.type
        while isinstance(named, (GraphQLNonNull, GraphQLList)):
            named = named.of_type
        if isinstance(named, GraphQLScalarType) and named.name == "ID":
            paths.add(prefix + name)
        elif isinstance(named, GraphQLInputObjectType):
            paths |= _id_paths(named, f"{prefix}{name}.")
    return paths


@pytest.fixture(scope="session")
def id_arguments(settings) -> dict[str, str]:
    """Every mutation's id arguments ("mutation.path"), each with the name of the mutation's input type."""
    taking = {}
    for name, mutation in build_schema(settings)._schema.mutation_type.fields.items():
        for argument_name, argument in mutation.args.items():
            input_type = argument.type.of_type if isinstance(argument.type, GraphQLNonNull) else argument.type
            if isinstance(input_type, GraphQLInputObjectType):
                taking |= {f"{name}.{path}": input_type.name for path in _id_paths(input_type)}
            else:
                assert input_type.name != "ID", f"{name}({argument_name}:) is an id outside an input"
    return taking


def test_every_id_of_every_mutation_is_checked_below(id_arguments):
    assert {f"{c.mutation}.{c.path}" for c in CASES} == set(id_arguments)


async def _attempt(api, id_arguments, case: Case, token: str, world: World, bad: str) -> dict:
    input_type = id_arguments[f"{case.mutation}.{case.path}"]
    query = f"""mutation($input: {input_type}!) {{ {case.mutation}(input: $input) {{
      __typename ... on MutationError {{ code field message }} }} }}"""
    return (await api.ok(query, {"input": case.input(world, bad)}, token=token))[case.mutation]


async def _audit_events(sessions) -> int:
    async with sessions() as session:
        return await session.scalar(select(func.count()).select_from(AuditEvent))


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.mutation}.{c.path}")
async def test_another_countys_record_or_a_hidden_one_answers_like_a_missing_one(world, id_arguments, case):
    token = await world.token(case.caller)
    attempts = {"missing": gid(case.type_name, NO_SUCH_ROW), "another county's": world.foreign[case.type_name]}
    if case.type_name in world.hidden:
        attempts["hidden"] = world.hidden[case.type_name]
    before = await _audit_events(world.sessions)

    answers = {kind: await _attempt(world.api, id_arguments, case, token, world, bad)
               for kind, bad in attempts.items()}

    missing = answers["missing"]
    assert (missing["__typename"], missing["code"], missing["field"]) == ("MutationError", "NOT_FOUND", case.field)
    assert all(answer == missing for answer in answers.values()), answers
    assert await _audit_events(world.sessions) == before


# ---------------------------------------------------------------- accounts without an official, node(id:) on a county

DOCUMENTS = "{ documents(first:100){ edges{ node{ title classification body } } } }"
COUNTED = "{ documents(first:100){ totalCount edges{ node{ id title classification } } } }"
NODE = "query($id: ID!) { node(id: $id) { __typename ... on Document { title } ... on County { code } } }"
EXPLAIN = """query($id: ID!, $who: ID!) {
  explain(documentId: $id, action: OFFICE_REVIEW, officialId: $who) { allowed } }"""


async def test_an_account_without_an_official_sees_no_classified_record_anywhere(world):
    api, admin = world.api, await world.token("admin")
    secret, classified = world.hidden["Document"], world.hidden["Circulation"]

    sent_up = (await api.ok("query($id: ID!) { node(id: $id) { ... on IncomingRequest { document { id } } } }",
                            {"id": world.incoming_request}, token=admin))["node"]["document"]["id"]
    listed = (await api.ok(COUNTED, token=admin))["documents"]
    assert [edge["node"]["id"] for edge in listed["edges"]] == [world.fin_draft, world.in_flow, sent_up]  # newest first
    assert listed["totalCount"] == 3
    requests = (await api.ok("{ incomingRequests { totalCount nodes { id } } }", token=admin))["incomingRequests"]
    assert (requests["nodes"], requests["totalCount"]) == ([{"id": world.incoming_request}], 1)
    assert (await api.ok(NODE, {"id": world.hidden["IncomingRequest"]}, token=admin))["node"] is None
    assert (await api.ok(NODE, {"id": secret}, token=admin))["node"] is None
    explained = await api.call(EXPLAIN, {"id": secret, "who": world.here.official("DIR")}, token=admin)
    assert explained.error_codes == ["NOT_FOUND"]
    assert (await api.ok("query($id: ID!) { circulation(id: $id) { title } }", {"id": classified},
                         token=admin))["circulation"] is None
    assert (await api.ok("{ readingQueue { title } instructionsRelayedToMe { instruction } }", token=admin)) == {
        "readingQueue": [], "instructionsRelayedToMe": []}
    # The office sees the whole flow: the township's secret request too, and the request it sent up.
    assert (await api.ok(COUNTED, token=await world.token("DIR")))["documents"]["totalCount"] == 5
    assert (await api.ok("{ incomingRequests { totalCount } }", token=await world.token("DIR"))
            )["incomingRequests"]["totalCount"] == 2


async def test_node_on_a_county_id_answers_for_the_callers_county_and_null_for_any_other(world):
    admin = await world.token("admin")
    answers = [await world.api.call(NODE, {"id": county}, token=admin)
               for county in (world.here.gid, world.foreign["County"], gid("County", NO_SUCH_ROW))]
    assert [answer.errors for answer in answers] == [None, None, None]
    assert [answer.data["node"] for answer in answers] == [{"__typename": "County", "code": "yanjin"}, None, None]


# Last: ``sessions`` empties the database after it, the module's shared world included.
async def test_the_county_administrator_of_the_demo_county_is_not_listed_its_secret_document(api, sessions):
    async with sessions() as session, session.begin():
        await seed_demo(session, actor=SYSTEM)
    password = demo_file()["demo"]["password"]
    admin = await api.login("admin.qingxi", password)

    listed = (await api.ok(DOCUMENTS, token=admin))["documents"]["edges"]

    assert listed, "the demo county's public documents are listed"
    assert all(edge["node"]["classification"] == "NONE" for edge in listed)
    assert "关于干部任免的通知（内部）" not in [edge["node"]["title"] for edge in listed]
    counted = (await api.ok(COUNTED, token=admin))["documents"]
    assert counted["totalCount"] == len(counted["edges"]) == len(listed)
    # The office sees the whole flow: the secret notice is there, and node(id:) agrees with the list.
    office = (await api.ok(COUNTED, token=await api.login("dir.qingxi", password)))["documents"]
    secret = next(edge["node"] for edge in office["edges"] if edge["node"]["title"] == "关于干部任免的通知（内部）")
    assert office["totalCount"] == counted["totalCount"] + 1
    assert (await api.ok(NODE, {"id": secret["id"]}, token=admin))["node"] is None
