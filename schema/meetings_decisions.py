"""GraphQL types of decisions (决定事项): what a meeting decided on an item, its execution, its documents."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, ClassVar

import strawberry
from strawberry import relay
from strawberry.types import Info

from db import models
from domain import meetings_decisions as md
from domain.calendar import CalendarUnknown
from schema.documents import Document
from schema.labels import labelled_enum
from schema.meetings import AgendaItem, Meeting, OutcomeEnum
from schema.mutations import MutationError
from schema.types import CountyNode, Department, Official
from services import meetings_decisions

DecisionOutcomeEnum = labelled_enum(md.DecisionOutcome, name="MeetingDecisionOutcome",
                                    description="What the chair declared on the item (三重一大 二(五)).")
DecisionStateEnum = labelled_enum(md.DecisionState, name="MeetingDecisionState",
                                  description="Where a decision's execution stands: adopted → in execution → done, "
                                              "or suspended; a major change puts it before the body again.")


@strawberry.type(description="A decision (决定事项) a meeting took on an item: what, why, who carries it out by when "
                             "(002 细则 §12), and the documents that execute it.")
class MeetingDecision(CountyNode, relay.Node):
    model: ClassVar[type] = models.MeetingDecision
    id: relay.NodeID[int]
    outcome: DecisionOutcomeEnum = strawberry.field(description="Passed, not passed, modified, shelved or to be "
                                                                "discussed again.")
    state: DecisionStateEnum = strawberry.field(description="Where its execution stands.")
    text: str = strawberry.field(description="The decision, as the minutes record it.")
    reasons: str = strawberry.field(description="Its reasons.")
    deadline_on: dt.date | None = strawberry.field(description="A fixed day it is due; null when counted in working "
                                                               "days or when there is none.")
    deadline_working_days: int | None = strawberry.field(description="Working days from the meeting's end it is due "
                                                                     "in; null when a fixed day or none.")
    supervision: str = strawberry.field(description="How its execution is supervised (督办, 002 细则 §12).")
    publishable: bool = strawberry.field(description="To be made public (000 §24; 001 §22; 003 §28).")
    report_to_party_committee: bool = strawberry.field(description="To be reported to the county party committee "
                                                                   "(001 §23; 003 §64).")
    adopted_at: dt.datetime = strawberry.field(description="When it was recorded.")
    change_reason: str | None = strawberry.field(description="The major change put before the body; null when none "
                                                             "was.")
    suspension_reason: str | None = strawberry.field(description="Why it was suspended; null unless it was.")
    authorises_documents: bool = strawberry.field(description="Passed (or modified) and standing: documents "
                                                              "executing it may be linked and signed.")
    meeting_id: strawberry.Private[int]
    item_id: strawberry.Private[int]
    county_id: strawberry.Private[int]
    department_ids: strawberry.Private[list[int]]
    responsible_person_id: strawberry.Private[int | None]
    change_item_id: strawberry.Private[int | None]
    superseded_by_id: strawberry.Private[int | None]
    row: strawberry.Private[models.MeetingDecision]

    @classmethod
    def from_row(cls, row: models.MeetingDecision) -> MeetingDecision:
        return cls(id=row.id, outcome=row.outcome, state=row.state, text=row.text, reasons=row.reasons,
                   deadline_on=row.deadline_on, deadline_working_days=row.deadline_working_days,
                   supervision=row.supervision, publishable=row.publishable,
                   report_to_party_committee=row.report_to_party_committee, adopted_at=row.adopted_at,
                   change_reason=row.change_reason, suspension_reason=row.suspension_reason,
                   authorises_documents=md.authorises(row.outcome, row.state), meeting_id=row.meeting_id,
                   item_id=row.item_id, county_id=row.county_id, department_ids=list(row.responsible_department_ids),
                   responsible_person_id=row.responsible_person_id, change_item_id=row.change_item_id,
                   superseded_by_id=row.superseded_by_id, row=row)


    @strawberry.field(description="The meeting that took it.")
    async def meeting(self, info: Info) -> Meeting:
        return Meeting.from_row(await info.context.loaders.rows(models.Meeting).load(self.meeting_id))

    @strawberry.field(description="The item it was taken on.")
    async def item(self, info: Info) -> AgendaItem:
        return AgendaItem.from_row(await info.context.loaders.rows(models.AgendaItem).load(self.item_id))

    @strawberry.field(description="The item's own result: the computed vote, or the chair's conclusion in a "
                                  "chair-decides body.")
    async def vote_result(self, info: Info) -> OutcomeEnum | None:
        return (await info.context.loaders.rows(models.AgendaItem).load(self.item_id)).outcome

    @strawberry.field(description="The departments responsible for carrying it out.")
    async def responsible_departments(self, info: Info) -> list[Department]:
        rows = await info.context.loaders.department.load_many(self.department_ids)
        return [Department.from_row(r) for r in rows if r is not None]

    @strawberry.field(description="The person responsible; null when none was named.")
    async def responsible_person(self, info: Info) -> Official | None:
        if self.responsible_person_id is None:
            return None
        return Official.from_row(await info.context.loaders.official.load(self.responsible_person_id))

    @strawberry.field(description="The day it is due: the fixed day, or the working days counted from the meeting's "
                                  "end on the county's calendar; null before the meeting ends, without a deadline, or "
                                  "when the count runs into a year nobody has entered.")
    async def due_on(self, info: Info) -> dt.date | None:
        meeting = await info.context.loaders.rows(models.Meeting).load(self.meeting_id)
        if self.deadline_working_days is not None and meeting.ended_at is not None:
            calendar = await info.context.loaders.calendar_of_county.load(self.county_id)
        else:
            calendar = None
        try:
            return meetings_decisions.due_on(self.row, meeting, calendar)
        except CalendarUnknown:
            return None

    @strawberry.field(description="The item placed on the body's next meeting for a major change; null when none.")
    async def change_item(self, info: Info) -> AgendaItem | None:
        if self.change_item_id is None:
            return None
        return AgendaItem.from_row(await info.context.loaders.rows(models.AgendaItem).load(self.change_item_id))

    @strawberry.field(description="The decision that replaced it after a change; null unless superseded.")
    async def superseded_by(self, info: Info) -> MeetingDecision | None:
        if self.superseded_by_id is None:
            return None
        return MeetingDecision.from_row(
            await info.context.loaders.rows(models.MeetingDecision).load(self.superseded_by_id))

    @strawberry.field(description="The documents that execute it, those you may see, oldest first.")
    async def documents(self, info: Info) -> list[Document]:
        from resolvers.documents import visible_documents

        ids = await info.context.loaders.documents_of_decision.load(self.id)
        return [d for d in await visible_documents(info, ids) if d is not None]


# ---------------------------------------------------------------- inputs and payloads


@strawberry.input(description="The decision on a decided item.")
class AdoptDecisionInput:
    item_id: relay.GlobalID = strawberry.field(description="The decided item.")
    outcome: DecisionOutcomeEnum = strawberry.field(
        description="What the chair declared. Where members voted the result binds (002 细则 §6(六)): PASSED or "
                    "MODIFIED on a passed vote, NOT_PASSED on one that did not pass.")
    text: str = strawberry.field(description="The decision, as the minutes record it.")
    reasons: str = strawberry.field(default="", description="Its reasons.")
    responsible_department_ids: list[relay.GlobalID] = strawberry.field(
        default_factory=list, description="The departments responsible for carrying it out.")
    responsible_person_id: relay.GlobalID | None = strawberry.field(default=None,
                                                                    description="The person responsible.")
    deadline_on: dt.date | None = strawberry.field(default=None, description="A fixed day it is due.")
    deadline_working_days: int | None = strawberry.field(
        default=None, description="Or: working days from the meeting's end (1–250); not with deadlineOn.")
    supervision: str = strawberry.field(default="", description="How its execution is supervised (督办).")
    publishable: bool = strawberry.field(default=False, description="To be made public (000 §24; 001 §22).")
    report_to_party_committee: bool = strawberry.field(default=False, description="To be reported to the county "
                                                                                  "party committee (001 §23).")


@strawberry.input(description="A decision to move on.")
class DecisionInput:
    decision_id: relay.GlobalID = strawberry.field(description="The decision.")


@strawberry.input(description="A decision to suspend or to put before its body again, and why.")
class DecisionReasonInput:
    decision_id: relay.GlobalID = strawberry.field(description="The decision.")
    reason: str = strawberry.field(description="Why: the suspension's grounds, or the major change proposed.")


@strawberry.input(description="A draft and the decision it executes.")
class LinkDocumentToDecisionInput:
    document_id: relay.GlobalID = strawberry.field(description="Your draft or returned document.")
    decision_id: relay.GlobalID = strawberry.field(description="The passed decision that stands which it executes.")


@strawberry.type(description="The decision changed.")
class MeetingDecisionPayload:
    decision: MeetingDecision = strawberry.field(description="The decision.")


MeetingDecisionResult = Annotated[MeetingDecisionPayload | MutationError, strawberry.union(
    "MeetingDecisionResult", description="MeetingDecisionPayload when it worked; MutationError when it changed "
                                         "nothing.")]
