"""GraphQL types for documents, their approval chains, the inbox and circulation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, ClassVar

import strawberry
from strawberry import relay
from strawberry.types import Info

from db import models, models_issuing
from domain import documents as d
from domain.deadlines import CountedFrom, SecondLapse
from domain.submission import Addressee
from resolvers.loaders import now_or_later
from schema.labels import labelled_enum
from schema.types import CoverResolution, Department, Official, CountyNode
from schema.validation import row_id

if TYPE_CHECKING:
    from schema.document_plans import DocumentPlanEntry, PlanExceptionRecord
    from schema.issuing import Recipient
    from schema.meetings_decisions import MeetingDecision

IssuerEnum = labelled_enum(d.Issuer, name="Issuer", description="In whose name (名义) the document goes out.")
GenreEnum = labelled_enum(d.Genre, name="Genre", description="The kind of document (文种).")
DirectionEnum = labelled_enum(d.Direction, name="Direction", description="To whom the document goes (行文方向).")
MeetingEnum = labelled_enum(d.Meeting, name="MeetingKind", description="For minutes: which meeting they record.")
FlagEnum = labelled_enum(d.Flag, name="DocumentFlag",
                         description="A property of the content that the signing table routes on.")
ClassificationEnum = labelled_enum(d.Classification, name="Classification",
                                   description="Security classification (密级); a classified document is seen only "
                                               "by those on its chain and the government office.")
AddresseeEnum = labelled_enum(Addressee, name="Addressee",
                              description="A main addressee (主送机关) of a request or report sent up by a department "
                                          "or township.")
DocumentStateEnum = labelled_enum(d.DocumentState, name="DocumentState", description="Where a document stands.")
StepStateEnum = labelled_enum(d.StepState, name="StepState", description="Where a step of the chain stands.")
AssignmentStateEnum = labelled_enum(d.AssignmentState, name="AssignmentState",
                                    description="What the assignee of a step did.")
ActionEnum = labelled_enum(d.Action, name="StepAction", description="A kind of step on the approval chain.")
ChainRoleEnum = labelled_enum(d.ChainRole, name="ChainRole",
                              description="An office a signing-table row names; resolved to people per document.")
RouteEnum = labelled_enum(d.Route, name="ActionRoute",
                          description="In person (DIRECT) or covering for someone, and by which rule.")
EventKindEnum = labelled_enum(d.EventKind, name="DocumentEventKind",
                              description="What a line of a document's history records.")
CountedFromEnum = labelled_enum(CountedFrom, name="DeadlineCountedFrom",
                                description="Where a step's time limit counts its working days from.")
SecondLapseEnum = labelled_enum(SecondLapse, name="DeadlineSecondLapse",
                                description="What happens when a step is still unanswered after the reminder.")


def _official(info: Info, official_id: int | None) -> Official | None:
    """The official now if this request has read the row (an awaitable otherwise: see ``now_or_later``)."""
    if official_id is None:
        return None
    return now_or_later(info.context.loaders.official, official_id, Official.from_row)


@strawberry.type(description="A row of the county's signing table that put a step on the chain.")
class RuleCitation:
    rule: str = strawberry.field(description="The row's rule code, e.g. Y-5-ab.")
    article: str = strawberry.field(description="The article the row comes from, e.g. 001 §32 (see docs/DOMAIN.md).")


@strawberry.type(description="A file attached to a document (its metadata; the content is stored elsewhere).")
class Attachment:
    name: str = strawberry.field(description="The file name.")
    media_type: str = strawberry.field(description="The media type, e.g. application/pdf.")
    size_bytes: int = strawberry.field(description="The size in bytes.")
    sha256: str = strawberry.field(description="The SHA-256 digest of the content, in hex.")


@strawberry.type(description="Who a step waits for, by office; once acted, who acted, for whom and how.")
class StepAssignment(relay.Node):
    id: relay.NodeID[int]
    role: ChainRoleEnum = strawberry.field(description="The office the step waits for.")
    state: AssignmentStateEnum = strawberry.field(description="What the assignee did.")
    route: RouteEnum | None = strawberry.field(description="How whoever acted came to act: in person, or by which "
                                                           "cover; null until acted.")
    opinion: str | None = strawberry.field(description="The clear opinion recorded with name and date.")
    acted_at: dt.datetime | None = strawberry.field(description="When it was acted on; null until then.")
    assignee_id: strawberry.Private[int]
    acted_by_id: strawberry.Private[int | None]
    step_id: strawberry.Private[int]

    @classmethod
    def from_row(cls, row: models.StepAssignment) -> StepAssignment:
        return cls(id=row.id, role=row.role, state=row.state,
                   route=row.route, opinion=row.opinion,
                   acted_at=row.acted_at, assignee_id=row.assignee_id, acted_by_id=row.acted_by_id,
                   step_id=row.step_id)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids, required: bool = False):
        from resolvers.documents import rows_of_visible_documents

        rows = await rows_of_visible_documents(info, models.StepAssignment, node_ids)
        return [cls.from_row(row) if row else None for row in rows]

    @strawberry.field(description="The holder of the office the step waits for.")
    def assignee(self, info: Info) -> Official:
        return _official(info, self.assignee_id)

    @strawberry.field(description="Who acted: the assignee or whoever covered for them; null until acted.")
    def acted_by(self, info: Info) -> Official | None:
        return _official(info, self.acted_by_id)

    @strawberry.field(description="Set when someone acted for the assignee (cover).")
    def on_behalf_of(self, info: Info) -> Official | None:
        if self.acted_by_id is None or self.acted_by_id == self.assignee_id:
            return None
        return _official(info, self.assignee_id)


@strawberry.type(description="The time limit 时限 on a step, in working days, from the county's deadline table "
                             "(each row cites its article).")
class Deadline:
    working_days: int = strawberry.field(description="The limit in working days.")
    counted_from: CountedFromEnum = strawberry.field(
        description="Where the working days count from (before the meeting, for MEETING).")
    after_second_lapse: SecondLapseEnum = strawberry.field(
        description="What happens when the step is still unanswered after the reminder.")
    article: str = strawberry.field(description="The article that sets the limit, e.g. 001 §30.")
    problem: str | None = strawberry.field(description="Why there is no due time, e.g. a year with no "
                                                       "holiday data yet.")


def _deadline(limit: dict | None) -> Deadline | None:
    """A time limit as a step or a document stores it (services.deadlines, services.issuing)."""
    if not limit:
        return None
    return Deadline(working_days=limit["working_days"], counted_from=CountedFrom(limit["counted_from"]),
                    after_second_lapse=SecondLapse(limit["second_lapse"]), article=limit["article"],
                    problem=limit.get("problem"))


@strawberry.type(description="A step of a document's approval chain 审批流程: review, co-signing 会签, signing 签发 …, with"
                             " who it waits for and its time limit.")
class ChainStep(relay.Node):
    id: relay.NodeID[int]
    position: int = strawberry.field(description="Place on the chain, 1 first.")
    action: ActionEnum = strawberry.field(description="What kind of step it is.")
    state: StepStateEnum = strawberry.field(description="Where the step stands.")
    alternatives: bool = strawberry.field(description="Any one assignee completes the step (signing).")
    rules: list[RuleCitation] = strawberry.field(description="The signing-table rows that put the step on the chain.")
    activated_at: dt.datetime | None = strawberry.field(description="When it started waiting for its assignees; "
                                                                    "null while earlier steps run.")
    completed_at: dt.datetime | None = strawberry.field(description="When it was completed; null until then.")
    due_at: dt.datetime | None = strawberry.field(description="When the time limit runs out; null without a limit, "
                                                              "or before the step is active.")
    deadline: Deadline | None = strawberry.field(description="The time limit from the county's deadline table; null"
                                                             " when none applies.")

    @classmethod
    def from_row(cls, row: models.ChainStep) -> ChainStep:
        return cls(id=row.id, position=row.position, action=row.action,
                   state=row.state, alternatives=row.alternatives,
                   rules=[RuleCitation(rule=r["rule"], article=r["article"]) for r in row.rules],
                   activated_at=row.activated_at, completed_at=row.completed_at, due_at=row.due_at,
                   deadline=_deadline(row.deadline))

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids, required: bool = False):
        from resolvers.documents import rows_of_visible_documents

        rows = await rows_of_visible_documents(info, models.ChainStep, node_ids)
        return [cls.from_row(row) if row else None for row in rows]

    @strawberry.field(description="Active and past its due time.")
    def overdue(self) -> bool:
        return (self.state == d.StepState.ACTIVE and self.due_at is not None
                and self.due_at < models.utcnow())

    @strawberry.field(description="Every assignee acts, in any order (a group).")
    def parallel(self, info: Info) -> bool:
        return now_or_later(info.context.loaders.assignments_of_step, self.id,
                            lambda rows: not self.alternatives and len(rows) > 1)

    @strawberry.field(description="Who the step waits for, one assignment per person, and what each did.")
    def assignments(self, info: Info) -> list[StepAssignment]:
        return now_or_later(info.context.loaders.assignments_of_step, self.id,
                            lambda rows: [StepAssignment.from_row(r) for r in rows])


@strawberry.type(description="A line of the document's history.")
class DocumentEvent:
    kind: EventKindEnum = strawberry.field(description="What happened.")
    route: RouteEnum | None = strawberry.field(description="How the actor came to act, for acts on a step; null "
                                                           "otherwise.")
    opinion: str | None = strawberry.field(description="The opinion, reasons or note given; null when none.")
    at: dt.datetime = strawberry.field(description="When it happened.")
    undone: bool = strawberry.field(description="Later withdrawn or returned past.")
    actor_id: strawberry.Private[int | None]
    on_behalf_of_id: strawberry.Private[int | None]

    @strawberry.field(description="Who did it; null for the system (e.g. a lapsed time limit).")
    def actor(self, info: Info) -> Official | None:
        return _official(info, self.actor_id)

    @strawberry.field(description="For whom, when the actor covered for someone; else null.")
    def on_behalf_of(self, info: Info) -> Official | None:
        return _official(info, self.on_behalf_of_id)


@strawberry.type(description="Someone a predicted step will wait for, and who would act if it reached them now.")
class PredictedAssignee:
    role: ChainRoleEnum = strawberry.field(description="The office the step would wait for.")
    official_id: strawberry.Private[int]
    acting_now: CoverResolution = strawberry.field(description="Who would act for them if the step reached them "
                                                               "now, and why.")

    @strawberry.field(description="The holder of that office now.")
    def official(self, info: Info) -> Official:
        return _official(info, self.official_id)


@strawberry.type(description="A step the county's table gives the document, before it is submitted.")
class PredictedStep:
    position: int = strawberry.field(description="Place on the chain, 1 first.")
    action: ActionEnum = strawberry.field(description="What kind of step it would be.")
    alternatives: bool = strawberry.field(description="Any one assignee would complete the step (signing).")
    parallel: bool = strawberry.field(description="Every assignee would act, in any order (a group).")
    rules: list[RuleCitation] = strawberry.field(description="The signing-table rows that give the step.")
    assignees: list[PredictedAssignee] = strawberry.field(description="Who the step would wait for.")


@strawberry.type(description="An official document 公文 on its way from draft to signing 签发 and issuing 印发: what decides its route "
                             "(issuer, genre, direction, flags, departments) and its approval chain.")
class Document(CountyNode, relay.Node):
    model: ClassVar[type] = models.Document
    id: relay.NodeID[int]
    title: str = strawberry.field(description="The title 标题.")
    body: str = strawberry.field(description="The text 正文.")
    issuer: IssuerEnum = strawberry.field(description="In whose name it goes out (名义).")
    genre: GenreEnum = strawberry.field(description="The kind of document (文种).")
    direction: DirectionEnum = strawberry.field(description="To whom it goes (行文方向).")
    meeting: MeetingEnum = strawberry.field(description="For minutes: the meeting they record; NONE otherwise.")
    flags: list[FlagEnum] = strawberry.field(description="Properties of the content the signing table routes on, "
                                                         "e.g. NORMATIVE, as drafted; MEETING_DECIDED and "
                                                         "UNDECIDED_COLLECTIVE follow from the decision and the "
                                                         "catalogue, UNPLANNED from the yearly document plan (see "
                                                         "decision, planEntry, planException, explain).")
    matter_code: str | None = strawberry.field(description="The collective-matter catalogue code of its matter "
                                                           "(三重一大); null when none.")
    amount_wan: Decimal | None = strawberry.field(description="The amount it concerns, in 万元, counted against the "
                                                              "matter's threshold; null when none.")
    urgent: bool = strawberry.field(description="An urgent document 急件 (it has the URGENT flag).")
    classification: ClassificationEnum = strawberry.field(description="Security classification (密级).")
    state: DocumentStateEnum = strawberry.field(description="Where it stands.")
    requested_matters: list[str] = strawberry.field(description="The matters a request asks for; exactly one for a "
                                                                "request (一文一事), none for a report.")
    standing_meeting_on: dt.date | None = strawberry.field(
        description="The day of the standing meeting it goes to; review limits count back from it. Null otherwise.")
    leader_assigned: bool = strawberry.field(description="The leader assigned this matter, so it may be addressed "
                                                         "to them personally.")
    departmental_matter: bool = strawberry.field(description="Within the lead department's own remit (issued by the"
                                                             " department, not in the government's name).")
    attachments: list[Attachment] = strawberry.field(description="Attached files.")
    created_at: dt.datetime = strawberry.field(description="When the draft was started.")
    submitted_at: dt.datetime | None = strawberry.field(description="When it was last submitted 报送; null while a "
                                                                    "draft.")
    signed_at: dt.datetime | None = strawberry.field(description="When it was signed 签发; null until then.")
    county_id: strawberry.Private[int]
    lead_department_id: strawberry.Private[int | None]
    drafted_by_id: strawberry.Private[int]
    addressed_to_id: strawberry.Private[int | None]
    meeting_chair_id: strawberry.Private[int | None]
    decision_id: strawberry.Private[int | None]
    row: strawberry.Private[models.Document]

    @classmethod
    def from_row(cls, row: models.Document) -> Document:
        return cls(
            id=row.id, title=row.title, body=row.body, issuer=row.issuer, genre=row.genre, direction=row.direction,
            meeting=row.meeting, flags=[d.Flag(f) for f in row.flags], urgent=row.urgent,
            classification=row.classification, state=row.state, requested_matters=list(row.requested_matters),
            standing_meeting_on=row.standing_meeting_on,
            leader_assigned=row.leader_assigned, departmental_matter=row.departmental_matter,
            attachments=[Attachment(name=a["name"], media_type=a["media_type"], size_bytes=a["size_bytes"],
                                    sha256=a["sha256"]) for a in row.attachments],
            created_at=row.created_at, submitted_at=row.submitted_at, signed_at=row.signed_at,
            county_id=row.county_id, lead_department_id=row.lead_department_id, drafted_by_id=row.drafted_by_id,
            addressed_to_id=row.addressed_to_id, meeting_chair_id=row.meeting_chair_id,
            matter_code=row.matter_code, amount_wan=row.amount_wan, decision_id=row.decision_id, row=row,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids, required: bool = False):
        from resolvers.documents import visible_documents

        return await visible_documents(info, [row_id(i) for i in node_ids])

    @strawberry.field(description="The lead department 主办单位; null when none.")
    def lead_department(self, info: Info) -> Department | None:
        if self.lead_department_id is None:
            return None
        return now_or_later(info.context.loaders.department, self.lead_department_id, Department.from_row)

    @strawberry.field(description="Co-sponsoring departments 协办单位, who co-sign.")
    async def co_sponsors(self, info: Info) -> list[Department]:
        ids = await info.context.loaders.co_sponsors_of_document.load(self.id)
        return [Department.from_row(row) for row in await info.context.loaders.department.load_many(ids)]

    @strawberry.field(description="The drafter 拟稿人.")
    def drafted_by(self, info: Info) -> Official:
        return _official(info, self.drafted_by_id)

    @strawberry.field(description="Set when the sender addressed a leader personally.")
    def addressed_to(self, info: Info) -> Official | None:
        return _official(info, self.addressed_to_id)

    @strawberry.field(description="A request or report sent up: the main addressees (主送机关) its drafter named; "
                                  "empty when none was named (one to the county government means it).")
    async def addressees(self, info: Info) -> list[AddresseeEnum]:
        return await info.context.loaders.addressees_of_document.load(self.id)

    @strawberry.field(description="The meeting decision it executes (决定事项); null when none is linked.")
    async def decision(self, info: Info) -> Annotated[
            MeetingDecision, strawberry.lazy("schema.meetings_decisions")] | None:
        from schema.meetings_decisions import MeetingDecision

        if self.decision_id is None:
            return None
        return MeetingDecision.from_row(await info.context.loaders.rows(models.MeetingDecision).load(self.decision_id))

    @strawberry.field(description="Its 发文字号 once issued, e.g. 延政〔2026〕73号; null until then.")
    def issue_number(self) -> str | None:
        return self.row.issue_number

    @strawberry.field(description="The date on the issued document (成文日期); null until issued.")
    def issued_on(self) -> dt.date | None:
        return self.row.issued_on

    @strawberry.field(description="When it was issued 印发; null until then.")
    def issued_at(self) -> dt.datetime | None:
        return self.row.issued_at

    @strawberry.field(description="Who issued it (or acted for whoever the signing table names, see history); null "
                                  "until issued.")
    def issued_by(self, info: Info) -> Official | None:
        return _official(info, self.row.issued_by_id)

    @strawberry.field(description="When it is due to be issued, counted from its signature or its meeting (001 "
                                  "§22); null without a limit.")
    def issue_due_at(self) -> dt.datetime | None:
        return self.row.issue_due_at

    @strawberry.field(description="The time limit on issuing from the county's deadline table; null when none "
                                  "applies.")
    def issue_deadline(self) -> Deadline | None:
        return _deadline(self.row.issue_deadline)

    @strawberry.field(description="Its distribution list (主送, 抄送) once issued; empty until then.")
    async def distribution(self, info: Info) -> list[Annotated[Recipient, strawberry.lazy("schema.issuing")]]:
        from schema.issuing import Recipient

        return [Recipient.from_row(row) for row in await info.context.loaders.recipients_of_document.load(self.id)]

    @strawberry.field(description="The entry of the yearly document plan it executes (003 §62); null when none.")
    async def plan_entry(self, info: Info) -> Annotated[
            DocumentPlanEntry, strawberry.lazy("schema.document_plans")] | None:
        from schema.document_plans import DocumentPlanEntry

        if self.row.plan_entry_id is None:
            return None
        return DocumentPlanEntry.from_row(
            await info.context.loaders.rows(models_issuing.DocumentPlanEntry).load(self.row.plan_entry_id))

    @strawberry.field(description="The exception recorded for issuing it outside the yearly document plan (003 "
                                  "§62), with who and when; null when none.")
    def plan_exception(self) -> Annotated[PlanExceptionRecord, strawberry.lazy("schema.document_plans")] | None:
        from schema.document_plans import PlanExceptionRecord

        return PlanExceptionRecord.of(self.row)

    @strawberry.field(description="The current round's approval chain, in order.")
    def chain(self, info: Info) -> list[ChainStep]:
        return now_or_later(info.context.loaders.steps_of_document, (self.id, self.row.round),
                            lambda steps: [ChainStep.from_row(step) for step in steps])

    @strawberry.field(description="Going to the standing meeting: were the reviews that count back from it "
                                  "done in time (lulong-2018: no legality review in time, not tabled, 003 §61)? "
                                  "Null when no limit counts back from a meeting.")
    async def tableable(self, info: Info) -> bool | None:
        steps = await info.context.loaders.steps_of_document.load((self.id, self.row.round))
        limited = [s for s in steps if s.deadline and s.deadline.get("counted_from") == CountedFrom.MEETING]
        if not limited:
            return None
        return all(s.state == d.StepState.DONE and s.due_at is not None and s.completed_at <= s.due_at
                   for s in limited)

    @strawberry.field(description="Everything done on the document, oldest first.")
    async def history(self, info: Info) -> list[DocumentEvent]:
        rows = await info.context.loaders.events_of_document.load(self.id)
        return [DocumentEvent(kind=d.EventKind(r.kind), route=r.route, opinion=r.opinion, at=r.at, undone=r.undone,
                              actor_id=r.actor_id, on_behalf_of_id=r.on_behalf_of_id) for r in rows]

    @strawberry.field(description="The chain the county's signing table gives this document now, "
                                  "with who would act and why — before submission, or to compare.")
    async def predicted_chain(self, info: Info) -> list[PredictedStep]:
        from resolvers.documents import predicted_chain

        return await predicted_chain(info, self.row)


@strawberry.type(description="Something waiting for you, or for someone you cover for right now.")
class InboxItem:
    assignment: StepAssignment = strawberry.field(description="The assignment waiting.")
    document: Document = strawberry.field(description="The document it belongs to.")
    route: RouteEnum = strawberry.field(description="DIRECT when it is yours; else how you came to cover.")
    step_row_id: strawberry.Private[int]
    on_behalf_of_id: strawberry.Private[int | None]

    @strawberry.field(description="The step the assignment belongs to.")
    def step(self, info: Info) -> ChainStep:
        return now_or_later(info.context.loaders.rows(models.ChainStep), self.step_row_id, ChainStep.from_row)

    @strawberry.field(description="Whose item it is when you act by cover.")
    def on_behalf_of(self, info: Info) -> Official | None:
        return _official(info, self.on_behalf_of_id)


@strawberry.type(description="Whether an official may take an action on a document now, and why.")
class Explanation:
    allowed: bool = strawberry.field(description="May the official take the action now.")
    reason: str = strawberry.field(description="Why, in a sentence.")
    route: RouteEnum | None = strawberry.field(description="How the official would act: in person, or by which "
                                                           "cover; null when not allowed.")
    rule: RuleCitation | None = strawberry.field(description="The signing-table row that decided; null when none "
                                                             "matched.")
    on_behalf_of_id: strawberry.Private[int | None]

    @strawberry.field(description="For whom the official would act, when by cover; else null.")
    def on_behalf_of(self, info: Info) -> Official | None:
        return _official(info, self.on_behalf_of_id)


# ---------------------------------------------------------------- inputs and payloads


@strawberry.input(description="A file to attach: its metadata.")
class AttachmentInput:
    name: str = strawberry.field(description="The file name.")
    media_type: str = strawberry.field(description="The media type, e.g. application/pdf.")
    size_bytes: int = strawberry.field(description="The size in bytes.")
    sha256: str = strawberry.field(description="The SHA-256 digest of the content, in hex.")


@strawberry.input(description="A draft's content and routing attributes.")
class DraftInput:
    title: str = strawberry.field(description="The title 标题.")
    issuer: IssuerEnum = strawberry.field(description="In whose name it goes out (名义).")
    genre: GenreEnum = strawberry.field(description="The kind of document (文种).")
    direction: DirectionEnum = strawberry.field(description="To whom it goes (行文方向).")
    lead_department_id: relay.GlobalID | None = strawberry.field(
        default=None, description="The lead department 主办单位.")
    body: str = strawberry.field(default="", description="The text 正文.")
    meeting: MeetingEnum = strawberry.field(
        default=d.Meeting.NONE, description="For minutes: the meeting they record.")
    flags: list[FlagEnum] = strawberry.field(
        default_factory=list, description="Properties of the content the signing table routes on.")
    classification: ClassificationEnum = strawberry.field(
        default=d.Classification.NONE, description="Security classification (密级).")
    co_sponsor_ids: list[relay.GlobalID] = strawberry.field(
        default_factory=list, description="Co-sponsoring departments 协办单位; they co-sign.")
    requested_matters: list[str] = strawberry.field(
        default_factory=list, description="A request carries exactly one; a report none.")
    addressed_to_id: relay.GlobalID | None = strawberry.field(
        default=None, description="A leader the sender addressed personally (normally refused; sent to the county "
                                  "government it enters the office's flow, recorded as addressed to them, 000 §44).")
    addressees: list[AddresseeEnum] = strawberry.field(
        default_factory=list, description="A request or report sent up: its main addressee (主送机关). One, and not "
                                          "above the county government (不得多头报文、越级行文, 001 §28); none given to "
                                          "the county government means it.")
    leader_assigned: bool = strawberry.field(default=False, description="The leader assigned this matter.")
    departmental_matter: bool = strawberry.field(default=False,
                                                 description="Within the department's own remit.")
    meeting_chair_id: relay.GlobalID | None = strawberry.field(
        default=None, description="For minutes: who chaired the meeting.")
    standing_meeting_on: dt.date | None = strawberry.field(
        default=None, description="The standing meeting it goes to; review limits count back from it.")
    attachments: list[AttachmentInput] = strawberry.field(default_factory=list, description="Files to attach.")
    decision_id: relay.GlobalID | None = strawberry.field(
        default=None, description="The passed meeting decision that stands which it executes; MEETING_DECIDED "
                                  "follows from it (never set that flag by hand).")
    matter_code: str | None = strawberry.field(
        default=None, description="Its matter's code in the county's collective-matter catalogue (三重一大).")
    amount_wan: Decimal | None = strawberry.field(
        default=None, description="The amount, in 万元; needed when the matter goes to its body from a threshold.")


@strawberry.input(description="A draft or returned document to change, and its new content.")
class UpdateDraftInput:
    document_id: relay.GlobalID = strawberry.field(description="The document to change.")
    draft: DraftInput = strawberry.field(description="The whole new content; it replaces the old.")


@strawberry.input(description="The document to act on.")
class DocumentInput:
    document_id: relay.GlobalID = strawberry.field(description="The document.")


@strawberry.input(description="Approve the step waiting for you.")
class ApproveInput:
    document_id: relay.GlobalID = strawberry.field(description="The document.")
    opinion: str | None = strawberry.field(default=None, description="Your clear opinion, recorded with your name "
                                                                     "and the date; required unless circled.")
    circled: bool = strawberry.field(default=False, description="圈阅: read (reports) or agreed (requests).")
    on_behalf_of_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Whose item, when you cover for several people at once.")


@strawberry.input(description="Co-sign or review with a dissent.")
class DissentInput:
    document_id: relay.GlobalID = strawberry.field(description="The document.")
    reasons: str = strawberry.field(description="Why you disagree; required.")
    on_behalf_of_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Whose item, when you cover for several people at once.")


@strawberry.input(description="Sign (签发) or countersign (补签).")
class SignInput:
    document_id: relay.GlobalID = strawberry.field(description="The document.")
    opinion: str | None = strawberry.field(default=None, description="An opinion recorded with the signature, if "
                                                                     "any.")
    on_behalf_of_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Whose item, when you cover for several people at once.")


@strawberry.input(description="Issue an urgent document on the unreachable signer's oral consent.")
class SignUrgentlyInput:
    document_id: relay.GlobalID = strawberry.field(description="The urgent document.")
    consent_note: str = strawberry.field(description="Whose oral consent, given when.")


@strawberry.input(description="Send a document back.")
class ReturnDocumentInput:
    document_id: relay.GlobalID = strawberry.field(description="The document.")
    reason: str = strawberry.field(description="Why it goes back; the drafter or the step's assignees see it.")
    to_step: int | None = strawberry.field(default=None, description="A step position; the drafter when null.")


@strawberry.input(description="Move a waiting assignment to another official.")
class ReassignInput:
    assignment_id: relay.GlobalID = strawberry.field(description="The waiting assignment (StepAssignment.id).")
    to_official_id: relay.GlobalID = strawberry.field(description="The serving official of the same county who "
                                                                  "takes it over.")
    reason: str = strawberry.field(description="Why it is reassigned; required.")


@strawberry.type(description="The document after the change.")
class DocumentPayload:
    document: Document = strawberry.field(description="The document as it now stands.")


@strawberry.type(description="The assignment acted on, and its document.")
class AssignmentPayload:
    assignment: StepAssignment = strawberry.field(description="The assignment as it now stands.")
    document: Document = strawberry.field(description="The document as it now stands.")


# ---------------------------------------------------------------- circulation (阅批)


@strawberry.type(description="A leader an incoming document is circulated to, and what they did.")
class CirculationReader:
    position: int = strawberry.field(description="Place in rank order.")
    reached_at: dt.datetime | None = strawberry.field(description="When it reached this leader.")
    read_at: dt.datetime | None = strawberry.field(description="When they marked it read; null until then.")
    instruction: str | None = strawberry.field(description="Their instruction (批示), if they gave one.")
    official_id: strawberry.Private[int]

    @strawberry.field(description="The leader.")
    def official(self, info: Info) -> Official:
        return _official(info, self.official_id)


@strawberry.type(description="An instruction relayed to a leader who had read before it was given.")
class InstructionRelay:
    instruction: str = strawberry.field(description="The instruction (批示).")
    at: dt.datetime = strawberry.field(description="When it was relayed.")
    from_official_id: strawberry.Private[int]
    to_official_id: strawberry.Private[int]
    circulation_id: strawberry.Private[int]

    @strawberry.field(name="from", description="The leader who gave the instruction.")
    def from_official(self, info: Info) -> Official:
        return _official(info, self.from_official_id)

    @strawberry.field(name="to", description="The leader who had read before it was given.")
    def to_official(self, info: Info) -> Official:
        return _official(info, self.to_official_id)


@strawberry.type(description="An incoming document circulated to leaders for reading and instructions.")
class Circulation(relay.Node):
    id: relay.NodeID[int]
    title: str = strawberry.field(description="The incoming document's title.")
    source: str = strawberry.field(description="Who sent it, e.g. the city government.")
    urgent: bool = strawberry.field(description="Urgent: goes to all readers at once.")
    read_only: bool = strawberry.field(description="For reading only (阅知): goes to all readers at once.")
    parallel: bool = strawberry.field(description="All at once (urgent or read-only); else in rank order.")
    classification: ClassificationEnum = strawberry.field(description="Security classification (密级).")
    readers: list[CirculationReader] = strawberry.field(description="The leaders it goes to, in rank order.")
    relays: list[InstructionRelay] = strawberry.field(description="Instructions relayed to leaders who had read "
                                                                  "before they were given.")

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids, required: bool = False):
        from resolvers.circulation import visible_circulations

        return await visible_circulations(info, [row_id(i) for i in node_ids])


@strawberry.input(description="An incoming document to circulate (阅批).")
class StartCirculationInput:
    title: str = strawberry.field(description="The incoming document's title.")
    source: str = strawberry.field(description="Who sent it.")
    reader_ids: list[relay.GlobalID] = strawberry.field(description="The leaders to read it; it goes to them in "
                                                                    "rank order.")
    urgent: bool = strawberry.field(default=False, description="Urgent: to all readers at once.")
    read_only: bool = strawberry.field(default=False, description="For reading only (阅知): to all readers at once.")
    classification: ClassificationEnum = strawberry.field(
        default=d.Classification.NONE, description="Security classification (密级).")


@strawberry.input(description="Mark a circulated document read.")
class MarkReadInput:
    circulation_id: relay.GlobalID = strawberry.field(description="The circulation.")
    instruction: str | None = strawberry.field(default=None, description="An instruction (批示), if any.")


@strawberry.type(description="The circulation after the change.")
class CirculationPayload:
    circulation: Circulation = strawberry.field(description="The circulation as it now stands.")
