"""GraphQL types of NPC bills and suggestions and CPPCC proposals: the proposal, its contacts, history and limits."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, ClassVar

import strawberry
from strawberry import relay
from strawberry.types import Info

from db import models_proposals as mp
from db.models import AgendaItem as AgendaItemRow, utcnow
from domain import proposals as p
from schema.documents import Document, RouteEnum
from schema.labels import labelled_enum
from schema.meetings import AgendaItem
from schema.mutations import MutationError
from schema.types import CountyNode, Department, Official, official_by_id

ProposalKindEnum = labelled_enum(p.ProposalKind, name="ProposalKind",
                                 description="A deputy's bill (议案), a deputy's suggestion, criticism or opinion (建议) "
                                             "or a CPPCC member's proposal (提案).")
ProposalStateEnum = labelled_enum(p.ProposalState, name="ProposalState",
                                  description="Where a proposal's handling stands: received → assigned → accepted → in "
                                              "progress → replied → published → closed.")
ReplyOutcomeEnum = labelled_enum(p.ReplyOutcome, name="ProposalReplyOutcome",
                                 description="What the reply says became of the matter (000 §56(二)).")
ContactWayEnum = labelled_enum(p.ContactWay, name="ProposalContactWay",
                               description="How the unit talked with the proposer (001 §14).")
LimitStepEnum = labelled_enum(p.LimitStep, name="ProposalLimitStep",
                              description="A step of a proposal's handling that runs against the county's time limit.")
EventKindEnum = labelled_enum(p.EventKind, name="ProposalEventKind", description="A line of a proposal's history.")


@strawberry.type(description="The county's time limit for one step of handling proposals, in working days (county "
                             "data: the seeds say 限时办结 without a number). No limit, no clock.")
class ProposalTimeLimit:
    step: LimitStepEnum = strawberry.field(description="The step.")
    working_days: int = strawberry.field(description="Working days the step may take.")
    article: str = strawberry.field(description="The article the limit rests on.")

    @strawberry.field(description="When the count starts: the proposal's receipt (ASSIGN), its assignment (ACCEPT, "
                                  "REPLY) or the reply's signature (PUBLISH).")
    def counted_from(self) -> str:
        return {p.LimitStep.ASSIGN: "received", p.LimitStep.ACCEPT: "assigned", p.LimitStep.REPLY: "assigned",
                p.LimitStep.PUBLISH: "replied"}[self.step]

    @classmethod
    def from_row(cls, row: mp.ProposalTimeLimit) -> ProposalTimeLimit:
        return cls(step=row.step, working_days=row.working_days, article=row.article)


@strawberry.type(description="A contact with the proposer (001 §14 加强与代表委员沟通).")
class ProposalContact:
    contacted_on: dt.date = strawberry.field(description="The day of the contact.")
    way: ContactWayEnum = strawberry.field(description="How.")
    person: str = strawberry.field(description="Whom the unit talked with.")
    summary: str = strawberry.field(description="What was said.")
    recorded_at: dt.datetime = strawberry.field(description="When it was logged.")
    route: RouteEnum | None = strawberry.field(description="DIRECT when the handler or principal logged it in person; "
                                                           "else how the one who logged it covered for them.")
    recorded_by_id: strawberry.Private[int]
    on_behalf_of_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, row: mp.ProposalContact) -> ProposalContact:
        return cls(contacted_on=row.contacted_on, way=row.way, person=row.person, summary=row.summary,
                   recorded_at=row.recorded_at, route=row.route, recorded_by_id=row.recorded_by_id,
                   on_behalf_of_id=row.on_behalf_of_id)

    @strawberry.field(description="Who logged it.")
    async def recorded_by(self, info: Info) -> Official:
        return await official_by_id(info, self.recorded_by_id)

    @strawberry.field(description="Whom they covered for; null when they acted for themselves.")
    async def on_behalf_of(self, info: Info) -> Official | None:
        return await official_by_id(info, self.on_behalf_of_id)


@strawberry.type(description="A line of a proposal's history: who did what, for whom, by which route.")
class ProposalEvent:
    kind: EventKindEnum = strawberry.field(description="What happened.")
    at: dt.datetime = strawberry.field(description="When.")
    note: str = strawberry.field(description="Details: the handler named, the outcome, where it was published, the "
                                             "reminder's words.")
    route: RouteEnum | None = strawberry.field(description="How the actor came to act; null when the office's desk or "
                                                           "the system acted.")
    actor_id: strawberry.Private[int | None]
    on_behalf_of_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, row: mp.ProposalEvent) -> ProposalEvent:
        return cls(kind=row.kind, at=row.at, note=row.note, route=row.route, actor_id=row.actor_id,
                   on_behalf_of_id=row.on_behalf_of_id)

    @strawberry.field(description="Who acted; null for the system or an account without an official.")
    async def actor(self, info: Info) -> Official | None:
        return await official_by_id(info, self.actor_id)

    @strawberry.field(description="Whom the actor covered for; null when they acted for themselves.")
    async def on_behalf_of(self, info: Info) -> Official | None:
        return await official_by_id(info, self.on_behalf_of_id)


@strawberry.type(description="A deputy's bill or suggestion (人大代表议案、建议) or a CPPCC member's proposal (政协委员提案), "
                             "from its receipt to its published result.")
class Proposal(CountyNode, relay.Node):
    model: ClassVar[type] = mp.Proposal
    id: relay.NodeID[int]
    kind: ProposalKindEnum = strawberry.field(description="Bill, suggestion or proposal.")
    session: str = strawberry.field(description="The session it came from, e.g. 县十八届人大三次会议.")
    number: int = strawberry.field(description="Its number in the session's series of its kind.")
    designation: str = strawberry.field(description="How it is cited: 县十八届人大三次会议第12号建议.")
    proposers: str = strawberry.field(description="The deputies or members who put it forward.")
    title: str = strawberry.field(description="Its title.")
    content: str = strawberry.field(description="What it asks.")
    category: str = strawberry.field(description="The office's category for it, e.g. 城乡建设; empty when none.")
    state: ProposalStateEnum = strawberry.field(description="Where its handling stands.")
    received_on: dt.date = strawberry.field(description="The day the office received it.")
    registered_at: dt.datetime = strawberry.field(description="When the office registered it.")
    assigned_at: dt.datetime | None = strawberry.field(description="When it was assigned (交办); null before.")
    accepted_at: dt.datetime | None = strawberry.field(description="When the lead unit accepted it; null before.")
    outcome: ReplyOutcomeEnum | None = strawberry.field(description="What the reply says; null before a reply is "
                                                                    "drafted.")
    explanation: str | None = strawberry.field(description="The reply's explanation (000 §56(二)); null before.")
    replied_at: dt.datetime | None = strawberry.field(description="When the reply was signed; null before.")
    published_on: dt.date | None = strawberry.field(description="The day the result was published; null before.")
    published_where: str | None = strawberry.field(description="Where it was published; null before.")
    closed_at: dt.datetime | None = strawberry.field(description="When the office closed it; null before.")
    due_step: LimitStepEnum | None = strawberry.field(description="The step whose time limit runs now; null when "
                                                                  "none does (no limit for it, or closed).")
    due_at: dt.datetime | None = strawberry.field(description="When that step is due; null without a limit or while "
                                                              "the working calendar lacks the year (dueProblem).")
    due_article: str | None = strawberry.field(description="The article of the limit that runs.")
    due_problem: str | None = strawberry.field(description="Why a running limit has no due time; null otherwise.")
    overdue: bool = strawberry.field(description="The step under way is past its due time.")
    county_id: strawberry.Private[int]
    lead_department_id: strawberry.Private[int | None]
    responsible_principal_id: strawberry.Private[int | None]
    handler_id: strawberry.Private[int | None]
    reply_document_id: strawberry.Private[int | None]
    agenda_item_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, row: mp.Proposal) -> Proposal:
        return cls(id=row.id, kind=row.kind, session=row.session, number=row.number,
                   designation=p.designation(row.kind, row.session, row.number), proposers=row.proposers,
                   title=row.title, content=row.content, category=row.category, state=row.state,
                   received_on=row.received_on, registered_at=row.registered_at, assigned_at=row.assigned_at,
                   accepted_at=row.accepted_at, outcome=row.outcome, explanation=row.explanation,
                   replied_at=row.replied_at, published_on=row.published_on, published_where=row.published_where,
                   closed_at=row.closed_at, due_step=row.due_step, due_at=row.due_at, due_article=row.due_article,
                   due_problem=row.due_problem, overdue=row.due_at is not None and row.due_at < utcnow(),
                   county_id=row.county_id, lead_department_id=row.lead_department_id,
                   responsible_principal_id=row.responsible_principal_id, handler_id=row.handler_id,
                   reply_document_id=row.reply_document_id, agenda_item_id=row.agenda_item_id)

    @strawberry.field(description="The lead unit (主办单位) it was assigned to; null before.")
    async def lead_unit(self, info: Info) -> Department | None:
        if self.lead_department_id is None:
            return None
        return Department.from_row(await info.context.loaders.department.load(self.lead_department_id))

    @strawberry.field(description="The co-units (协办单位) it was assigned to.")
    async def co_units(self, info: Info) -> list[Department]:
        rows = await info.context.loaders.children(mp.ProposalCoUnit, mp.ProposalCoUnit.proposal_id).load(self.id)
        departments = await info.context.loaders.department.load_many([row.department_id for row in rows])
        return [Department.from_row(d) for d in departments]

    @strawberry.field(description="The lead unit's principal who answers for it (000 §56(一)); null before "
                                  "acceptance.")
    async def responsible_principal(self, info: Info) -> Official | None:
        return await official_by_id(info, self.responsible_principal_id)

    @strawberry.field(description="The handler (承办人) the principal named; null before acceptance.")
    async def handler(self, info: Info) -> Official | None:
        return await official_by_id(info, self.handler_id)

    @strawberry.field(description="The reply letter, routed by the county's signing table; null before it is drafted.")
    async def reply_document(self, info: Info) -> Document | None:
        if self.reply_document_id is None:
            return None
        from resolvers.documents import visible_documents

        return (await visible_documents(info, [self.reply_document_id]))[0]

    @strawberry.field(description="The agenda item of the magistrate's office or topical meeting it was put before "
                                  "(000 §56(三)); null when none.")
    async def agenda_item(self, info: Info) -> AgendaItem | None:
        if self.agenda_item_id is None:
            return None
        return AgendaItem.from_row(await info.context.loaders.rows(AgendaItemRow).load(self.agenda_item_id))

    @strawberry.field(description="The contacts with the proposer, oldest logged first.")
    async def contacts(self, info: Info) -> list[ProposalContact]:
        rows = await info.context.loaders.children(mp.ProposalContact, mp.ProposalContact.proposal_id).load(self.id)
        return [ProposalContact.from_row(r) for r in rows]

    @strawberry.field(description="Its history, oldest first.")
    async def history(self, info: Info) -> list[ProposalEvent]:
        rows = await info.context.loaders.children(mp.ProposalEvent, mp.ProposalEvent.proposal_id).load(self.id)
        return [ProposalEvent.from_row(r) for r in rows]


# ---------------------------------------------------------------- inputs and payloads


@strawberry.input(description="A bill, suggestion or proposal the office registers.")
class RegisterProposalInput:
    kind: ProposalKindEnum = strawberry.field(description="Bill, suggestion or proposal.")
    session: str = strawberry.field(description="The session, e.g. 县十八届人大三次会议.")
    number: int = strawberry.field(description="Its number in the session's series of its kind (1 or more).")
    proposers: str = strawberry.field(description="The deputies or members, as the session lists them.")
    title: str = strawberry.field(description="Its title.")
    content: str = strawberry.field(description="What it asks.")
    received_on: dt.date = strawberry.field(description="The day the office received it (today or earlier).")
    category: str = strawberry.field(default="", description="The office's category, e.g. 城乡建设.")
    county_id: relay.GlobalID | None = strawberry.field(default=None, description="The county; yours when omitted.")


@strawberry.input(description="The proposal's assignment (交办) to a lead unit and co-units (000 §56(五)).")
class AssignProposalInput:
    proposal_id: relay.GlobalID = strawberry.field(description="The received proposal.")
    lead_department_id: relay.GlobalID = strawberry.field(description="The lead unit (主办单位).")
    co_department_ids: list[relay.GlobalID] = strawberry.field(default_factory=list,
                                                               description="The co-units (协办单位).")


@strawberry.input(description="The lead unit's acceptance: its principal answers for the proposal and names the "
                              "handler (000 §56(一)).")
class AcceptProposalInput:
    proposal_id: relay.GlobalID = strawberry.field(description="The assigned proposal.")
    handler_id: relay.GlobalID = strawberry.field(description="The handler (承办人), who holds a post in the lead unit.")


@strawberry.input(description="A contact with the proposer (001 §14).")
class LogProposalContactInput:
    proposal_id: relay.GlobalID = strawberry.field(description="The accepted proposal.")
    contacted_on: dt.date = strawberry.field(description="The day (from the acceptance to today).")
    way: ContactWayEnum = strawberry.field(description="How.")
    person: str = strawberry.field(description="Whom the unit talked with.")
    summary: str = strawberry.field(description="What was said.")


@strawberry.input(description="The reply (000 §56(二)): drafted as the lead unit's letter and submitted to its chain.")
class ReplyToProposalInput:
    proposal_id: relay.GlobalID = strawberry.field(description="The proposal being handled.")
    outcome: ReplyOutcomeEnum | None = strawberry.field(
        default=None, description="Solved, planned or cannot be solved; required (a reply without one is refused, "
                                  "naming 000 §56(二)).")
    explanation: str = strawberry.field(default="", description="How it was solved, which plan takes it up and when, "
                                                                "or why it cannot be solved; required.")
    text: str = strawberry.field(default="", description="The letter's body; the explanation, addressed to the "
                                                         "proposers, when empty.")


@strawberry.input(description="Where and when the result was published (001 §14; 003 §30).")
class PublishProposalReplyInput:
    proposal_id: relay.GlobalID = strawberry.field(description="The replied proposal.")
    published_on: dt.date = strawberry.field(description="The day (from the reply to today).")
    where: str = strawberry.field(description="Where, e.g. 县政府门户网站“建议提案办理”专栏.")


@strawberry.input(description="A proposal.")
class ProposalInput:
    proposal_id: relay.GlobalID = strawberry.field(description="The proposal.")


@strawberry.input(description="An important proposal and the agenda item that puts it before a magistrate's office "
                              "or topical meeting (000 §56(三)).")
class PutProposalOnAgendaInput:
    proposal_id: relay.GlobalID = strawberry.field(description="The proposal being handled.")
    item_id: relay.GlobalID = strawberry.field(description="The agenda item, of a magistrate's office or topical "
                                                           "meeting body.")


@strawberry.input(description="The county's time limit for one step; no working days removes it.")
class SetProposalTimeLimitInput:
    step: LimitStepEnum = strawberry.field(description="The step.")
    working_days: int | None = strawberry.field(description="1 to 250 working days; null removes the limit.")
    article: str = strawberry.field(default="", description="The article it rests on, e.g. 001 §14; required with "
                                                            "working days.")
    county_id: relay.GlobalID | None = strawberry.field(default=None, description="The county; yours when omitted.")


@strawberry.input(description="Narrows the proposals list; every condition given must hold (AND).")
class ProposalFilter:
    kind: ProposalKindEnum | None = strawberry.field(default=None, description="Of this kind.")
    session: str | None = strawberry.field(default=None, description="From this session, exactly as registered.")
    states: list[ProposalStateEnum] | None = strawberry.field(default=None, description="In one of these states.")
    unit_id: relay.GlobalID | None = strawberry.field(default=None,
                                                      description="Assigned to this department, as lead or co-unit.")
    overdue: bool = strawberry.field(default=False, description="Only those whose step under way is past its due "
                                                                "time.")


@strawberry.type(description="The proposal changed.")
class ProposalPayload:
    proposal: Proposal = strawberry.field(description="The proposal.")


@strawberry.type(description="The county's time limits for proposals, as they now stand.")
class ProposalTimeLimitsPayload:
    time_limits: list[ProposalTimeLimit] = strawberry.field(description="Every step's limit, in the order of the "
                                                                        "handling.")


ProposalResult = Annotated[ProposalPayload | MutationError, strawberry.union(
    "ProposalResult", description="ProposalPayload when it worked; MutationError when it changed nothing.")]
ProposalTimeLimitsResult = Annotated[ProposalTimeLimitsPayload | MutationError, strawberry.union(
    "ProposalTimeLimitsResult", description="ProposalTimeLimitsPayload when it worked; MutationError when it changed "
                                            "nothing.")]
