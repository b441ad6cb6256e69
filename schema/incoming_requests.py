"""GraphQL types of the county government's incoming flow (收文): requests and reports sent up, their handling and
history, and the county's settings for it."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, ClassVar

import strawberry
from strawberry import relay
from strawberry.types import Info

from db import models, models_incoming
from domain import documents as d
from domain import incoming_requests as ir
from resolvers.loaders import now_or_later
from schema.documents import ChainRoleEnum, Document, FlagEnum, IssuerEnum, RouteEnum, RuleCitation
from schema.labels import labelled_enum
from schema.mutations import MutationError
from schema.types import CountyNode, Department, Official
from schema.validation import row_id

if TYPE_CHECKING:
    from schema.supervision import SupervisionItem

IncomingRequestStateEnum = labelled_enum(ir.RequestState, name="IncomingRequestState",
                                         description="Where a request sent up to the county government stands: "
                                                     "received → registered → handling proposed → with a leader → "
                                                     "instructed → replied → closed.")
IncomingRequestEventKindEnum = labelled_enum(ir.EventKind, name="IncomingRequestEventKind",
                                             description="What a line of an incoming request's history records.")


def _official(info: Info, official_id: int | None) -> Official | None:
    if official_id is None:
        return None
    return now_or_later(info.context.loaders.official, official_id, Official.from_row)


@strawberry.type(description="The limit on the county's handling, from receipt to the leader's instruction (000 §51).")
class HandlingLimit:
    working_days: int = strawberry.field(description="Working days, on the county's calendar.")
    article: str = strawberry.field(description="The article that sets it.")
    problem: str | None = strawberry.field(description="Why no due time could be counted (a year nobody has entered "
                                                       "in the calendar); null when it was.")


@strawberry.type(description="A line of an incoming request's history: who did what, for whom, by which route.")
class IncomingRequestEvent:
    kind: IncomingRequestEventKindEnum = strawberry.field(description="What happened.")
    at: dt.datetime = strawberry.field(description="When.")
    note: str | None = strawberry.field(description="The number given, the proposal, the instruction, the reply's "
                                                    "title, the reminder; null when nothing more is said.")
    route: RouteEnum | None = strawberry.field(description="How the actor acted: DIRECT, or the cover route; null for "
                                                           "what no one did by hand (receipt, the reminder).")
    actor_id: strawberry.Private[int | None]
    on_behalf_of_id: strawberry.Private[int | None]
    leader_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, row: models_incoming.IncomingRequestEvent) -> IncomingRequestEvent:
        return cls(kind=row.kind, at=row.at, note=row.note, route=row.route, actor_id=row.actor_id,
                   on_behalf_of_id=row.on_behalf_of_id, leader_id=row.leader_id)

    @strawberry.field(description="Who acted; null for what no one did by hand.")
    def actor(self, info: Info) -> Official | None:
        return _official(info, self.actor_id)

    @strawberry.field(description="Whom the actor covered for; null when acting in person.")
    def on_behalf_of(self, info: Info) -> Official | None:
        return _official(info, self.on_behalf_of_id)

    @strawberry.field(description="The leader it went to (proposed, presented, passed on to, instructing) or was "
                                  "addressed to personally; null otherwise.")
    def leader(self, info: Info) -> Official | None:
        return _official(info, self.leader_id)


@strawberry.type(description="A request or report a department or township sent up to the county government (收文): "
                             "signed in by the government office with its incoming number, handled, presented to the "
                             "leader the county's signing table names, instructed on and answered.")
class IncomingRequest(CountyNode, relay.Node):
    model: ClassVar[type] = models_incoming.IncomingRequest
    id: relay.NodeID[int]
    state: IncomingRequestStateEnum = strawberry.field(description="Where it stands.")
    number: str | None = strawberry.field(description="Its incoming number, e.g. 收〔2026〕12号: per county and year, "
                                                      "without gaps; null until it is signed in.")
    received_at: dt.datetime = strawberry.field(description="When it reached the office (it was issued).")
    registered_at: dt.datetime | None = strawberry.field(description="When it was signed in; null before.")
    due_at: dt.datetime | None = strawberry.field(description="When the handling is due, to the instruction; null "
                                                              "where no limit applies or none could be counted.")
    proposal: str | None = strawberry.field(description="The office's proposal (拟办意见); null before.")
    proposed_at: dt.datetime | None = strawberry.field(description="When the office proposed its handling.")
    presented_at: dt.datetime | None = strawberry.field(description="When it was presented to the leader (呈批).")
    leader_role: ChainRoleEnum | None = strawberry.field(description="The role the leader it is with holds toward it, "
                                                                     "as the signing table names it; null before the "
                                                                     "proposal.")
    instruction: str | None = strawberry.field(description="The leader's instruction (批示); null before.")
    instructed_on: dt.date | None = strawberry.field(description="The full date of the instruction (000 §48).")
    instructed_at: dt.datetime | None = strawberry.field(description="When the instruction was recorded.")
    closed_at: dt.datetime | None = strawberry.field(description="When it was closed (办结).")
    county_id: strawberry.Private[int]
    row: strawberry.Private[models_incoming.IncomingRequest]

    @classmethod
    def from_row(cls, row: models_incoming.IncomingRequest) -> IncomingRequest:
        return cls(id=row.id, state=row.state, number=row.number, received_at=row.received_at,
                   registered_at=row.registered_at, due_at=row.due_at, proposal=row.proposal,
                   proposed_at=row.proposed_at, presented_at=row.presented_at, leader_role=row.leader_role,
                   instruction=row.instruction, instructed_on=row.instructed_on, instructed_at=row.instructed_at,
                   closed_at=row.closed_at, county_id=row.county_id, row=row)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids, required: bool = False):
        from resolvers.incoming_requests import visible_requests

        return await visible_requests(info, [row_id(i) for i in node_ids])

    @strawberry.field(description="Still without its instruction and past its due time.")
    def overdue(self) -> bool:
        return (self.row.state in ir.HANDLING_STATES and self.row.due_at is not None
                and self.row.due_at < models.utcnow())

    @strawberry.field(description="The limit on its handling; null where the county's rules set none or the matter "
                                  "is exempt (重要而特殊的事项, 000 §51).")
    def limit(self) -> HandlingLimit | None:
        deadline = self.row.deadline
        if deadline is None:
            return None
        return HandlingLimit(working_days=deadline["working_days"], article=deadline["article"],
                             problem=deadline.get("problem"))

    @strawberry.field(description="The signing-table row that sent it to its leader; null before the proposal.")
    def routing_rule(self) -> RuleCitation | None:
        if self.row.routing_rule is None:
            return None
        return RuleCitation(rule=self.row.routing_rule, article=self.row.routing_article)

    @strawberry.field(description="The request or report as issued by its sender.")
    def document(self, info: Info) -> Document:
        # Whoever sees the request reads what it asks: a leader it was presented to too, though not on the
        # document's own chain (services.incoming_requests.can_see).
        return now_or_later(info.context.loaders.rows(models.Document), self.row.document_id, Document.from_row)

    @strawberry.field(description="The department or township that sent it.")
    def sending_unit(self, info: Info) -> Department:
        return now_or_later(info.context.loaders.department, self.row.sending_department_id, Department.from_row)

    @strawberry.field(description="The leader its sender addressed personally; it entered the office's flow all the "
                                  "same (000 §44). Null when it was addressed to the county government.")
    def addressed_to(self, info: Info) -> Official | None:
        return _official(info, self.row.addressed_to_id)

    @strawberry.field(description="The leader it is with, or goes to once presented; null before the proposal.")
    def leader(self, info: Info) -> Official | None:
        return _official(info, self.row.leader_id)

    @strawberry.field(description="Who gave the instruction (in person or covering for the leader: see history).")
    def instructed_by(self, info: Info) -> Official | None:
        return _official(info, self.row.instructed_by_id)

    @strawberry.field(description="The reply (批复) linked to it; null before, or if you may not see it.")
    async def reply(self, info: Info) -> Document | None:
        from resolvers.documents import visible_documents

        if self.row.reply_document_id is None:
            return None
        return (await visible_documents(info, [self.row.reply_document_id]))[0]

    @strawberry.field(description="Everything done on it, oldest first.")
    async def history(self, info: Info) -> list[IncomingRequestEvent]:
        events = info.context.loaders.children(models_incoming.IncomingRequestEvent,
                                               models_incoming.IncomingRequestEvent.request_id)
        return [IncomingRequestEvent.from_row(row) for row in await events.load(self.id)]

    @strawberry.field(description="The supervision items (督办) opened on its instruction.")
    async def supervision_items(self, info: Info) -> list[Annotated[SupervisionItem,
                                                                   strawberry.lazy("schema.supervision")]]:
        from resolvers.incoming_requests import supervision_items_of

        return await supervision_items_of(info, self.id)


@strawberry.type(description="The county's settings for its incoming flow, copied from its rule set when it was "
                             "created; its administrator edits them.")
class IncomingRequestRules:
    number_prefix: str = strawberry.field(description="The prefix of incoming numbers (收 in 收〔2026〕12号).")
    number_article: str = strawberry.field(description="The article the register rests on.")
    handling_working_days: int | None = strawberry.field(description="Working days from receipt to the instruction; "
                                                                     "null where the county's rules set none.")
    handling_exempt_flags: list[FlagEnum] = strawberry.field(description="Matters the limit does not bind "
                                                                         "(重要而特殊的事项, 000 §51).")
    handling_article: str | None = strawberry.field(description="The article that sets the limit; null without one.")

    @classmethod
    def from_rules(cls, rules: ir.IncomingRules) -> IncomingRequestRules:
        return cls(number_prefix=rules.number_prefix, number_article=rules.number_article,
                   handling_working_days=rules.handling_working_days,
                   handling_exempt_flags=sorted(rules.handling_exempt_flags, key=lambda f: f.value),
                   handling_article=rules.handling_article)


# ---------------------------------------------------------------- filters, inputs and payloads


@strawberry.input(description="Which incoming requests; every condition given must hold.")
class IncomingRequestFilter:
    states: list[IncomingRequestStateEnum] | None = strawberry.field(default=None,
                                                                     description="Only requests in these states.")
    sending_unit_id: relay.GlobalID | None = strawberry.field(default=None,
                                                              description="Only those this department or township "
                                                                          "sent.")
    registered: bool | None = strawberry.field(default=None, description="True: only those signed in (the incoming "
                                                                         "register); false: only those not yet.")
    waiting: bool | None = strawberry.field(default=None, description="True: only those still without the leader's "
                                                                      "instruction; false: only those instructed.")
    overdue: bool | None = strawberry.field(default=None, description="True: only those without an instruction past "
                                                                      "their due time; false: only the others.")


@strawberry.input(description="An incoming request to act on.")
class IncomingRequestInput:
    request_id: relay.GlobalID = strawberry.field(description="The incoming request.")


@strawberry.input(description="The office's proposal on an incoming request.")
class ProposeHandlingInput:
    request_id: relay.GlobalID = strawberry.field(description="The registered request.")
    opinion: str = strawberry.field(description="How the office proposes to handle it (拟办意见, 001 §31).")


@strawberry.input(description="A leader passes a request on to another leader (转请, 001 §31).")
class PassOnInput:
    request_id: relay.GlobalID = strawberry.field(description="The request with you (or with whom you cover).")
    to_official_id: relay.GlobalID = strawberry.field(description="The leader to pass it to: one the county's signing "
                                                                  "table lets instruct on it.")
    note: str = strawberry.field(default="", description="Why, or what to look at.")


@strawberry.input(description="Follow the instruction up as a supervision item (督办, 000 §48).")
class SuperviseInput:
    lead_department_id: relay.GlobalID = strawberry.field(description="The unit that carries it out (承办单位).")
    co_department_ids: list[relay.GlobalID] = strawberry.field(default_factory=list,
                                                               description="Units that help (协办单位).")
    responsible_official_id: relay.GlobalID | None = strawberry.field(default=None,
                                                                      description="The person responsible.")
    working_days: int | None = strawberry.field(default=None, description="Working days to its result; the county's "
                                                                          "default class when omitted.")


@strawberry.input(description="The leader's instruction on a request.")
class InstructInput:
    request_id: relay.GlobalID = strawberry.field(description="The request with you (or with whom you cover).")
    opinion: str = strawberry.field(description="A clear opinion on what it asks (明确的处理意见, 000 §48): not "
                                                "merely 阅 or 研究.")
    supervise: SuperviseInput | None = strawberry.field(default=None, description="Also open a supervision item on "
                                                                                  "the instruction.")


@strawberry.input(description="The reply (批复) to an instructed request, drafted as a document of its own.")
class DraftReplyInput:
    request_id: relay.GlobalID = strawberry.field(description="The instructed request.")
    title: str = strawberry.field(description="The reply's title, e.g. 关于同意……的批复.")
    body: str = strawberry.field(default="", description="Its text.")
    issuer: IssuerEnum = strawberry.field(default=d.Issuer.COUNTY_GOVERNMENT,
                                          description="COUNTY_GOVERNMENT (批复) or GOVERNMENT_OFFICE (复函).")


@strawberry.input(description="A reply drafted on its own, to link to an instructed request.")
class LinkReplyInput:
    request_id: relay.GlobalID = strawberry.field(description="The instructed request.")
    document_id: relay.GlobalID = strawberry.field(description="The reply: a document of genre REPLY.")


@strawberry.input(description="The county's settings for its incoming flow; each replaces the one it names.")
class UpdateIncomingRequestRulesInput:
    county_id: relay.GlobalID | None = strawberry.field(default=None, description="The county; your own when "
                                                                                  "omitted.")
    number_prefix: str = strawberry.field(description="The prefix of incoming numbers; the year's count goes on "
                                                      "under a new one.")
    number_article: str = strawberry.field(description="The article the register rests on.")
    handling_working_days: int | None = strawberry.field(default=None,
                                                         description="Working days from receipt to the instruction "
                                                                     "(1–60); null for none.")
    handling_exempt_flags: list[FlagEnum] = strawberry.field(default_factory=list,
                                                             description="Matters the limit does not bind.")
    handling_article: str | None = strawberry.field(default=None, description="The article that sets the limit; "
                                                                              "needed with one.")


@strawberry.type(description="The incoming request changed.")
class IncomingRequestPayload:
    request: IncomingRequest = strawberry.field(description="The request.")


@strawberry.type(description="The reply drafted and linked.")
class DraftReplyPayload:
    request: IncomingRequest = strawberry.field(description="The request, now replied.")
    reply: Document = strawberry.field(description="The reply's draft: its drafter submits it to its chain.")


@strawberry.type(description="The county's settings changed.")
class IncomingRequestRulesPayload:
    rules: IncomingRequestRules = strawberry.field(description="The settings now.")


IncomingRequestResult = Annotated[IncomingRequestPayload | MutationError, strawberry.union(
    "IncomingRequestResult", description="IncomingRequestPayload when it worked; MutationError when it changed "
                                         "nothing.")]
DraftReplyResult = Annotated[DraftReplyPayload | MutationError, strawberry.union(
    "DraftReplyResult", description="DraftReplyPayload when it worked; MutationError when it changed nothing.")]
IncomingRequestRulesResult = Annotated[IncomingRequestRulesPayload | MutationError, strawberry.union(
    "IncomingRequestRulesResult", description="IncomingRequestRulesPayload when it worked; MutationError when it "
                                              "changed nothing.")]
