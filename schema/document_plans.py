"""GraphQL types for the yearly document plan (年度发文计划, 003 §62)."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

import strawberry
from strawberry import relay
from strawberry.types import Info

from db import models, models_issuing
from domain.document_plans import PlanException, PlanState
from resolvers.loaders import now_or_later
from schema.documents import IssuerEnum, RouteEnum
from schema.labels import labelled_enum
from schema.types import CountyNode, Department, Official

PlanStateEnum = labelled_enum(PlanState, name="DocumentPlanState", description="Where a yearly document plan stands.")
PlanExceptionEnum = labelled_enum(PlanException, name="PlanException",
                                  description="Why a document outside the yearly plan is issued anyway (003 §62).")


def _official(info: Info, official_id: int | None) -> Official | None:
    if official_id is None:
        return None
    return now_or_later(info.context.loaders.official, official_id, Official.from_row)


@strawberry.type(description="A document the yearly plan foresees.")
class DocumentPlanEntry(CountyNode, relay.Node):
    model: ClassVar[type] = models_issuing.DocumentPlanEntry
    id: relay.NodeID[int]
    title: str = strawberry.field(description="The planned document's title.")
    issuer: IssuerEnum = strawberry.field(description="In whose name it goes out: the county government or its "
                                                      "office.")
    quarter: int = strawberry.field(description="The quarter it is planned for, 1 to 4.")
    plan_id: strawberry.Private[int]
    lead_department_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, row: models_issuing.DocumentPlanEntry) -> DocumentPlanEntry:
        return cls(id=row.id, title=row.title, issuer=row.issuer, quarter=row.quarter, plan_id=row.plan_id,
                   lead_department_id=row.lead_department_id)

    @strawberry.field(description="The department that drafts it; null when none is named.")
    def lead_department(self, info: Info) -> Department | None:
        if self.lead_department_id is None:
            return None
        return now_or_later(info.context.loaders.department, self.lead_department_id, Department.from_row)

    @strawberry.field(description="The plan it belongs to.")
    def plan(self, info: Info) -> DocumentPlan:
        return now_or_later(info.context.loaders.rows(models_issuing.DocumentPlan), self.plan_id,
                            DocumentPlan.from_row)


@strawberry.type(description="The county government's document plan for one year (年度发文计划, 003 §62): drafted by "
                             "the office, approved (the access policy says by whom: the magistrate). Once one is "
                             "approved, a county- or office-named document of that year outside it, with no "
                             "exception recorded, is UNPLANNED.")
class DocumentPlan(CountyNode, relay.Node):
    model: ClassVar[type] = models_issuing.DocumentPlan
    id: relay.NodeID[int]
    year: int = strawberry.field(description="The year it plans.")
    state: PlanStateEnum = strawberry.field(description="Where it stands.")
    submitted_at: dt.datetime | None = strawberry.field(description="When it was last sent for approval.")
    approved_at: dt.datetime | None = strawberry.field(description="When it was approved; null until then.")
    approved_route: RouteEnum | None = strawberry.field(description="How the approver came to approve: in person, "
                                                                    "or by which cover; null until approved.")
    returned_reason: str | None = strawberry.field(description="Why the approver sent it back; null unless it "
                                                               "was.")
    drafted_by_id: strawberry.Private[int | None]
    approved_by_id: strawberry.Private[int | None]
    approved_for_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, row: models_issuing.DocumentPlan) -> DocumentPlan:
        return cls(id=row.id, year=row.year, state=row.state, submitted_at=row.submitted_at,
                   approved_at=row.approved_at, approved_route=row.approved_route,
                   returned_reason=row.returned_reason, drafted_by_id=row.drafted_by_id,
                   approved_by_id=row.approved_by_id, approved_for_id=row.approved_for_id)

    @strawberry.field(description="The office's official who started it; null when the county's administrator did.")
    def drafted_by(self, info: Info) -> Official | None:
        return _official(info, self.drafted_by_id)

    @strawberry.field(description="Who approved it; null until approved.")
    def approved_by(self, info: Info) -> Official | None:
        return _official(info, self.approved_by_id)

    @strawberry.field(description="For whom the approver acted, when covering; else null.")
    def approved_on_behalf_of(self, info: Info) -> Official | None:
        return _official(info, self.approved_for_id)

    @strawberry.field(description="The documents it plans, in the order they were added.")
    async def entries(self, info: Info) -> list[DocumentPlanEntry]:
        return [DocumentPlanEntry.from_row(row) for row in await info.context.loaders.entries_of_plan.load(self.id)]


@strawberry.type(description="An exception recorded for a document outside the yearly plan (003 §62).")
class PlanExceptionRecord:
    kind: PlanExceptionEnum = strawberry.field(description="Which exception.")
    note: str | None = strawberry.field(description="The province or city document, or the request, in words.")
    recorded_at: dt.datetime = strawberry.field(description="When it was recorded.")
    recorded_by_id: strawberry.Private[int]

    @classmethod
    def of(cls, document: models.Document) -> PlanExceptionRecord | None:
        if document.plan_exception is None:
            return None
        return cls(kind=document.plan_exception, note=document.plan_exception_note,
                   recorded_at=document.plan_exception_at, recorded_by_id=document.plan_exception_by_id)

    @strawberry.field(description="Who recorded it: the drafter, or the principal leader who asked for it.")
    def recorded_by(self, info: Info) -> Official:
        return _official(info, self.recorded_by_id)


@strawberry.input(description="A plan to start.")
class CreateDocumentPlanInput:
    year: int = strawberry.field(description="The year it plans.")
    county_id: relay.GlobalID | None = strawberry.field(default=None, description="The county; your own when "
                                                                                  "omitted.")


@strawberry.input(description="An entry's columns.")
class PlanEntryInput:
    title: str = strawberry.field(description="The planned document's title.")
    issuer: IssuerEnum = strawberry.field(description="The county government or its office.")
    quarter: int = strawberry.field(description="The quarter it is planned for, 1 to 4.")
    lead_department_id: relay.GlobalID | None = strawberry.field(default=None,
                                                                 description="The department that drafts it.")


@strawberry.input(description="An entry to add to a draft plan.")
class AddPlanEntryInput:
    plan_id: relay.GlobalID = strawberry.field(description="The draft plan.")
    entry: PlanEntryInput = strawberry.field(description="The entry.")


@strawberry.input(description="An entry of a draft plan to change.")
class UpdatePlanEntryInput:
    entry_id: relay.GlobalID = strawberry.field(description="The entry.")
    entry: PlanEntryInput = strawberry.field(description="Its new columns; they replace the old.")


@strawberry.input(description="An entry of a draft plan to remove.")
class RemovePlanEntryInput:
    entry_id: relay.GlobalID = strawberry.field(description="The entry.")


@strawberry.input(description="The plan to act on.")
class DocumentPlanInput:
    plan_id: relay.GlobalID = strawberry.field(description="The plan.")


@strawberry.input(description="Send a submitted plan back to the office.")
class ReturnDocumentPlanInput:
    plan_id: relay.GlobalID = strawberry.field(description="The submitted plan.")
    reason: str = strawberry.field(description="Why it goes back; required.")


@strawberry.input(description="Place a draft in the yearly plan: the entry it executes, or none.")
class LinkDocumentToPlanEntryInput:
    document_id: relay.GlobalID = strawberry.field(description="The draft or returned document.")
    entry_id: relay.GlobalID | None = strawberry.field(
        default=None, description="An entry of the county's approved plan; null clears the entry and any exception.")


@strawberry.input(description="Record why a document outside the plan is issued anyway (003 §62).")
class RecordPlanExceptionInput:
    document_id: relay.GlobalID = strawberry.field(description="The draft or returned document.")
    kind: PlanExceptionEnum = strawberry.field(
        description="PROVINCE_CITY_DOCUMENT (the drafter, naming it) or PRINCIPAL_LEADER_REQUEST (the principal "
                    "leader, in person).")
    note: str = strawberry.field(default="", description="The province or city document; for a request, optional.")


@strawberry.type(description="The plan after the change.")
class DocumentPlanPayload:
    plan: DocumentPlan = strawberry.field(description="The plan as it now stands.")


@strawberry.type(description="The entry after the change, and its plan.")
class DocumentPlanEntryPayload:
    entry: DocumentPlanEntry = strawberry.field(description="The entry as it now stands.")
    plan: DocumentPlan = strawberry.field(description="Its plan.")
