"""GraphQL types for documents, their approval chains, the inbox and circulation."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

import strawberry
from strawberry import relay
from strawberry.types import Info

from db import models
from domain import documents as d
from resolvers.loaders import now_or_later
from schema.types import CoverResolution, Department, Official, _RosterNode
from schema.validation import row_id

IssuerEnum = strawberry.enum(d.Issuer, name="Issuer", description="In whose name (名义) the document goes out.")
GenreEnum = strawberry.enum(d.Genre, name="Genre", description="文种.")
DirectionEnum = strawberry.enum(d.Direction, name="Direction")
MeetingEnum = strawberry.enum(d.Meeting, name="MeetingKind")
FlagEnum = strawberry.enum(d.Flag, name="DocumentFlag")
ClassificationEnum = strawberry.enum(d.Classification, name="Classification", description="密级.")
DocumentStateEnum = strawberry.enum(d.DocumentState, name="DocumentState")
StepStateEnum = strawberry.enum(d.StepState, name="StepState")
AssignmentStateEnum = strawberry.enum(d.AssignmentState, name="AssignmentState")
ActionEnum = strawberry.enum(d.Action, name="StepAction")
ChainRoleEnum = strawberry.enum(d.ChainRole, name="ChainRole",
                                description="An office a signing-table row names; resolved to people per document.")
RouteEnum = strawberry.enum(d.Route, name="ActionRoute",
                            description="In person (DIRECT) or covering for someone, and by which rule.")


def _official(info: Info, official_id: int | None) -> Official | None:
    """The official now if this request has read the row (an awaitable otherwise: see ``now_or_later``)."""
    if official_id is None:
        return None
    return now_or_later(info.context.loaders.official, official_id, Official.from_row)


@strawberry.type(description="A row of the county's signing table that put a step on the chain.")
class RuleCitation:
    rule: str
    article: str


@strawberry.type
class Attachment:
    name: str
    media_type: str
    size_bytes: int
    sha256: str


@strawberry.type(description="Who a step waits for, by office; once acted, who acted, for whom and how.")
class StepAssignment:
    # Not a Node: an assignment is only reachable through its document, which checks classification.
    id: relay.GlobalID
    role: ChainRoleEnum
    state: AssignmentStateEnum
    route: RouteEnum | None
    opinion: str | None = strawberry.field(description="The clear opinion recorded with name and date.")
    acted_at: dt.datetime | None
    assignee_id: strawberry.Private[int]
    acted_by_id: strawberry.Private[int | None]
    step_id: strawberry.Private[int]

    @classmethod
    def from_row(cls, row: models.StepAssignment) -> StepAssignment:
        return cls(id=relay.GlobalID("StepAssignment", str(row.id)), role=row.role, state=row.state,
                   route=row.route, opinion=row.opinion,
                   acted_at=row.acted_at, assignee_id=row.assignee_id, acted_by_id=row.acted_by_id,
                   step_id=row.step_id)

    @strawberry.field(description="The holder of the office the step waits for.")
    def assignee(self, info: Info) -> Official:
        return _official(info, self.assignee_id)

    @strawberry.field
    def acted_by(self, info: Info) -> Official | None:
        return _official(info, self.acted_by_id)

    @strawberry.field(description="Set when someone acted for the assignee (cover).")
    def on_behalf_of(self, info: Info) -> Official | None:
        if self.acted_by_id is None or self.acted_by_id == self.assignee_id:
            return None
        return _official(info, self.assignee_id)


@strawberry.type(description="The time limit 时限 on a step, in working days, from the county's deadline table (each row cites its article).")
class Deadline:
    working_days: int
    counted_from: str = strawberry.field(description="activation, submission, or meeting (days before it).")
    after_second_lapse: str = strawberry.field(description="remind_again or deemed_no_objection.")
    article: str
    problem: str | None = strawberry.field(description="Why there is no due time, e.g. a year with no "
                                                       "holiday data yet.")


@strawberry.type
class ChainStep:
    id: relay.GlobalID
    position: int
    action: ActionEnum
    state: StepStateEnum
    alternatives: bool = strawberry.field(description="Any one assignee completes the step (signing).")
    rules: list[RuleCitation]
    activated_at: dt.datetime | None
    completed_at: dt.datetime | None
    due_at: dt.datetime | None
    deadline: Deadline | None
    row_id: strawberry.Private[int]

    @classmethod
    def from_row(cls, row: models.ChainStep) -> ChainStep:
        limit = row.deadline
        return cls(id=relay.GlobalID("ChainStep", str(row.id)), position=row.position, action=row.action,
                   state=row.state, alternatives=row.alternatives,
                   rules=[RuleCitation(rule=r["rule"], article=r["article"]) for r in row.rules],
                   activated_at=row.activated_at, completed_at=row.completed_at, due_at=row.due_at,
                   deadline=Deadline(working_days=limit["working_days"], counted_from=limit["counted_from"],
                                     after_second_lapse=limit["second_lapse"], article=limit["article"],
                                     problem=limit.get("problem")) if limit else None,
                   row_id=row.id)

    @strawberry.field(description="Active and past its due time.")
    def overdue(self) -> bool:
        return (self.state == d.StepState.ACTIVE and self.due_at is not None
                and self.due_at < models.utcnow())

    @strawberry.field(description="Every assignee acts, in any order (a group).")
    def parallel(self, info: Info) -> bool:
        return now_or_later(info.context.loaders.assignments_of_step, self.row_id,
                            lambda rows: not self.alternatives and len(rows) > 1)

    @strawberry.field
    def assignments(self, info: Info) -> list[StepAssignment]:
        return now_or_later(info.context.loaders.assignments_of_step, self.row_id,
                            lambda rows: [StepAssignment.from_row(r) for r in rows])


@strawberry.type(description="A line of the document's history.")
class DocumentEvent:
    kind: str
    route: RouteEnum | None
    opinion: str | None
    at: dt.datetime
    undone: bool = strawberry.field(description="Later withdrawn or returned past.")
    actor_id: strawberry.Private[int | None]
    on_behalf_of_id: strawberry.Private[int | None]

    @strawberry.field
    def actor(self, info: Info) -> Official | None:
        return _official(info, self.actor_id)

    @strawberry.field
    def on_behalf_of(self, info: Info) -> Official | None:
        return _official(info, self.on_behalf_of_id)


@strawberry.type(description="Someone a predicted step will wait for, and who would act if it reached them now.")
class PredictedAssignee:
    role: ChainRoleEnum
    official_id: strawberry.Private[int]
    acting_now: CoverResolution

    @strawberry.field
    def official(self, info: Info) -> Official:
        return _official(info, self.official_id)


@strawberry.type(description="A step the county's table gives the document, before it is submitted.")
class PredictedStep:
    position: int
    action: ActionEnum
    alternatives: bool
    parallel: bool
    rules: list[RuleCitation]
    assignees: list[PredictedAssignee]


@strawberry.type
class Document(_RosterNode, relay.Node):
    model: ClassVar[type] = models.Document
    id: relay.NodeID[int]
    title: str
    body: str
    issuer: IssuerEnum
    genre: GenreEnum
    direction: DirectionEnum
    meeting: MeetingEnum
    flags: list[FlagEnum]
    urgent: bool
    classification: ClassificationEnum
    state: DocumentStateEnum
    requested_matters: list[str]
    standing_meeting_on: dt.date | None
    leader_assigned: bool
    departmental_matter: bool
    attachments: list[Attachment]
    created_at: dt.datetime
    submitted_at: dt.datetime | None
    signed_at: dt.datetime | None
    county_id: strawberry.Private[int]
    lead_department_id: strawberry.Private[int | None]
    drafted_by_id: strawberry.Private[int]
    addressed_to_id: strawberry.Private[int | None]
    meeting_chair_id: strawberry.Private[int | None]
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
            addressed_to_id=row.addressed_to_id, meeting_chair_id=row.meeting_chair_id, row=row,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids, required: bool = False):
        from resolvers.documents import visible_documents

        return await visible_documents(info, [row_id(i) for i in node_ids])

    @strawberry.field
    def lead_department(self, info: Info) -> Department | None:
        if self.lead_department_id is None:
            return None
        return now_or_later(info.context.loaders.department, self.lead_department_id, Department.from_row)

    @strawberry.field
    async def co_sponsors(self, info: Info) -> list[Department]:
        ids = await info.context.loaders.co_sponsors_of_document.load(self.id)
        return [Department.from_row(row) for row in await info.context.loaders.department.load_many(ids)]

    @strawberry.field
    def drafted_by(self, info: Info) -> Official:
        return _official(info, self.drafted_by_id)

    @strawberry.field(description="Set when the sender addressed a leader personally.")
    def addressed_to(self, info: Info) -> Official | None:
        return _official(info, self.addressed_to_id)

    @strawberry.field(description="The current round's approval chain, in order.")
    def chain(self, info: Info) -> list[ChainStep]:
        return now_or_later(info.context.loaders.steps_of_document, (self.id, self.row.round),
                            lambda steps: [ChainStep.from_row(step) for step in steps])

    @strawberry.field(description="Going to the standing meeting: were the reviews that count back from it "
                                  "done in time (lulong-2018: no legality review in time, not tabled, 003 §61)? "
                                  "Null when no limit counts back from a meeting.")
    async def tableable(self, info: Info) -> bool | None:
        steps = await info.context.loaders.steps_of_document.load((self.id, self.row.round))
        limited = [s for s in steps if s.deadline and s.deadline.get("counted_from") == "meeting"]
        if not limited:
            return None
        return all(s.state == d.StepState.DONE and s.due_at is not None and s.completed_at <= s.due_at
                   for s in limited)

    @strawberry.field(description="Everything done on the document, oldest first.")
    async def history(self, info: Info) -> list[DocumentEvent]:
        rows = await info.context.loaders.events_of_document.load(self.id)
        return [DocumentEvent(kind=r.kind, route=r.route, opinion=r.opinion, at=r.at, undone=r.undone,
                              actor_id=r.actor_id, on_behalf_of_id=r.on_behalf_of_id) for r in rows]

    @strawberry.field(description="The chain the county's signing table gives this document now, "
                                  "with who would act and why — before submission, or to compare.")
    async def predicted_chain(self, info: Info) -> list[PredictedStep]:
        from resolvers.documents import predicted_chain

        return await predicted_chain(info, self.row)


@strawberry.type(description="Something waiting for you, or for someone you cover for right now.")
class InboxItem:
    assignment: StepAssignment
    document: Document
    route: RouteEnum = strawberry.field(description="DIRECT when it is yours; else how you came to cover.")
    step_row_id: strawberry.Private[int]
    on_behalf_of_id: strawberry.Private[int | None]

    @strawberry.field
    def step(self, info: Info) -> ChainStep:
        return now_or_later(info.context.loaders.rows(models.ChainStep), self.step_row_id, ChainStep.from_row)

    @strawberry.field(description="Whose item it is when you act by cover.")
    def on_behalf_of(self, info: Info) -> Official | None:
        return _official(info, self.on_behalf_of_id)


@strawberry.type(description="Whether an official may take an action on a document now, and why.")
class Explanation:
    allowed: bool
    reason: str
    route: RouteEnum | None
    rule: RuleCitation | None
    on_behalf_of_id: strawberry.Private[int | None]

    @strawberry.field
    def on_behalf_of(self, info: Info) -> Official | None:
        return _official(info, self.on_behalf_of_id)


# ---------------------------------------------------------------- inputs and payloads


@strawberry.input
class AttachmentInput:
    name: str
    media_type: str
    size_bytes: int
    sha256: str


@strawberry.input(description="A draft's content and routing attributes.")
class DraftInput:
    title: str
    issuer: IssuerEnum
    genre: GenreEnum
    direction: DirectionEnum
    lead_department_id: relay.GlobalID | None = None
    body: str = ""
    meeting: MeetingEnum = d.Meeting.NONE
    flags: list[FlagEnum] = strawberry.field(default_factory=list)
    classification: ClassificationEnum = d.Classification.NONE
    co_sponsor_ids: list[relay.GlobalID] = strawberry.field(default_factory=list)
    requested_matters: list[str] = strawberry.field(
        default_factory=list, description="A request carries exactly one; a report none.")
    addressed_to_id: relay.GlobalID | None = strawberry.field(
        default=None, description="A leader the sender addressed personally (normally refused).")
    leader_assigned: bool = strawberry.field(default=False, description="The leader assigned this matter.")
    departmental_matter: bool = strawberry.field(default=False,
                                                 description="Within the department's own remit.")
    meeting_chair_id: relay.GlobalID | None = None
    standing_meeting_on: dt.date | None = strawberry.field(
        default=None, description="The standing meeting it goes to; review limits count back from it.")
    attachments: list[AttachmentInput] = strawberry.field(default_factory=list)


@strawberry.input
class UpdateDraftInput:
    document_id: relay.GlobalID
    draft: DraftInput


@strawberry.input
class DocumentInput:
    document_id: relay.GlobalID


@strawberry.input
class ApproveInput:
    document_id: relay.GlobalID
    opinion: str | None = None
    circled: bool = strawberry.field(default=False, description="圈阅: read (reports) or agreed (requests).")
    on_behalf_of_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Whose item, when you cover for several people at once.")


@strawberry.input
class DissentInput:
    document_id: relay.GlobalID
    reasons: str
    on_behalf_of_id: relay.GlobalID | None = None


@strawberry.input
class SignInput:
    document_id: relay.GlobalID
    opinion: str | None = None
    on_behalf_of_id: relay.GlobalID | None = None


@strawberry.input
class SignUrgentlyInput:
    document_id: relay.GlobalID
    consent_note: str = strawberry.field(description="Whose oral consent, given when.")


@strawberry.input
class ReturnDocumentInput:
    document_id: relay.GlobalID
    reason: str
    to_step: int | None = strawberry.field(default=None, description="A step position; the drafter when null.")


@strawberry.input
class ReassignInput:
    assignment_id: relay.GlobalID
    to_official_id: relay.GlobalID
    reason: str


@strawberry.type
class DocumentPayload:
    document: Document


@strawberry.type
class AssignmentPayload:
    assignment: StepAssignment
    document: Document


# ---------------------------------------------------------------- circulation (阅批)


@strawberry.type
class CirculationReader:
    position: int = strawberry.field(description="Place in rank order.")
    reached_at: dt.datetime | None = strawberry.field(description="When it reached this leader.")
    read_at: dt.datetime | None
    instruction: str | None
    official_id: strawberry.Private[int]

    @strawberry.field
    def official(self, info: Info) -> Official:
        return _official(info, self.official_id)


@strawberry.type(description="An instruction relayed to a leader who had read before it was given.")
class InstructionRelay:
    instruction: str
    at: dt.datetime
    from_official_id: strawberry.Private[int]
    to_official_id: strawberry.Private[int]
    circulation_id: strawberry.Private[int]

    @strawberry.field(name="from")
    def from_official(self, info: Info) -> Official:
        return _official(info, self.from_official_id)

    @strawberry.field(name="to")
    def to_official(self, info: Info) -> Official:
        return _official(info, self.to_official_id)


@strawberry.type(description="An incoming document circulated to leaders for reading and instructions.")
class Circulation:
    id: relay.GlobalID
    title: str
    source: str
    urgent: bool
    read_only: bool
    parallel: bool = strawberry.field(description="All at once (urgent or read-only); else in rank order.")
    classification: ClassificationEnum
    readers: list[CirculationReader]
    relays: list[InstructionRelay]


@strawberry.input
class StartCirculationInput:
    title: str
    source: str
    reader_ids: list[relay.GlobalID]
    urgent: bool = False
    read_only: bool = False
    classification: ClassificationEnum = d.Classification.NONE


@strawberry.input
class MarkReadInput:
    circulation_id: relay.GlobalID
    instruction: str | None = strawberry.field(default=None, description="An instruction (批示), if any.")


@strawberry.type
class CirculationPayload:
    circulation: Circulation
