"""The yearly document plan through GraphQL: thin over services.document_plans."""

from __future__ import annotations

from typing import Annotated

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.types import Info

from db import models, models_issuing
from domain.document_plans import PlanException
from domain.errors import DomainError, ErrorCode
from resolvers.context import Context, decode_id
from resolvers.documents import DocumentResult, _after_change, _document, _official_id
from resolvers.lookup import find, find_optional
from resolvers.mutations import _mutate
from schema.document_plans import (
    AddPlanEntryInput,
    CreateDocumentPlanInput,
    DocumentPlan,
    DocumentPlanEntry,
    DocumentPlanEntryPayload,
    DocumentPlanInput,
    DocumentPlanPayload,
    LinkDocumentToPlanEntryInput,
    PlanEntryInput,
    RecordPlanExceptionInput,
    RemovePlanEntryInput,
    ReturnDocumentPlanInput,
    UpdatePlanEntryInput,
)
from schema.mutations import MutationError
from schema.types import CountyArg
from services import document_plans as service
from services.document_plans import PlanAct

DocumentPlanResult = Annotated[DocumentPlanPayload | MutationError, strawberry.union(
    "DocumentPlanResult", description="DocumentPlanPayload when it worked; MutationError when it changed nothing.")]
DocumentPlanEntryResult = Annotated[DocumentPlanEntryPayload | MutationError, strawberry.union(
    "DocumentPlanEntryResult",
    description="DocumentPlanEntryPayload when it worked; MutationError when it changed nothing.")]


def _arg(description: str):
    return strawberry.argument(description=description)


async def _may(session: AsyncSession, ctx: Context, county_id: int, act: PlanAct, field: str,
               cover: bool = False) -> service.PlanStandingNow:
    return await service.standing_for(session, access=ctx.access, principal=ctx.require_principal(),
                                      county_id=county_id, act=act, field=field, cover=cover)


async def _plan(session: AsyncSession, ctx: Context, global_id, act: PlanAct,
                cover: bool = False) -> tuple[models_issuing.DocumentPlan, service.PlanStandingNow]:
    plan = await find(session, ctx, models_issuing.DocumentPlan, global_id, "planId")
    return plan, await _may(session, ctx, plan.county_id, act, "planId", cover)


async def _entry_fields(session: AsyncSession, ctx: Context, entry: PlanEntryInput,
                        county_id: int) -> service.EntryFields:
    return service.EntryFields(
        title=entry.title, issuer=entry.issuer, quarter=entry.quarter,
        lead_department_id=await find_optional(session, ctx, models.Department, entry.lead_department_id,
                                               "leadDepartmentId", county_id=county_id))


def _plan_payload(plan: models_issuing.DocumentPlan) -> DocumentPlanPayload:
    return DocumentPlanPayload(plan=DocumentPlan.from_row(plan))


@strawberry.type
class DocumentPlanQueries:
    @strawberry.field(description="The county's yearly document plans (003 §62), latest year first.")
    async def document_plans(self, info: Info, county_id: CountyArg = None) -> list[DocumentPlan]:
        ctx: Context = info.context
        county = ctx.readable_county(decode_id(county_id, "County", "countyId") if county_id else None)
        return [DocumentPlan.from_row(row) for row in await service.plans_of(await ctx.session(), county_id=county)]


@strawberry.type
class DocumentPlanMutations:
    @strawberry.mutation(description="Start the county's document plan for a year: the government office (or the "
                                     "county's administrator).")
    async def create_document_plan(self, info: Info, input: Annotated[
            CreateDocumentPlanInput, _arg("The year and the county.")]) -> DocumentPlanResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            principal = ctx.require_principal()
            if input.county_id is None:
                if principal.county_id is None:
                    raise DomainError(ErrorCode.INVALID, "Name the county: this account belongs to none.",
                                      field="countyId")
                county_id = principal.county_id
            else:
                county_id = (await find(session, ctx, models.County, input.county_id, "countyId")).id
            standing = await _may(session, ctx, county_id, PlanAct.DRAFT, "countyId")
            plan = await service.create_plan(session, county_id=county_id, year=input.year,
                                             official_id=standing.official_id, actor=ctx.actor)
            return _plan_payload(plan)

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Add a document to a draft plan: the government office.")
    async def add_document_plan_entry(self, info: Info, input: Annotated[
            AddPlanEntryInput, _arg("The plan and the entry.")]) -> DocumentPlanEntryResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            plan, _ = await _plan(session, ctx, input.plan_id, PlanAct.DRAFT)
            fields = await _entry_fields(session, ctx, input.entry, plan.county_id)
            entry = await service.add_entry(session, plan=plan, fields=fields, actor=ctx.actor)
            return DocumentPlanEntryPayload(entry=DocumentPlanEntry.from_row(entry), plan=DocumentPlan.from_row(plan))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Change an entry of a draft plan: the government office.")
    async def update_document_plan_entry(self, info: Info, input: Annotated[
            UpdatePlanEntryInput, _arg("The entry and its new columns.")]) -> DocumentPlanEntryResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            entry = await find(session, ctx, models_issuing.DocumentPlanEntry, input.entry_id, "entryId")
            await _may(session, ctx, entry.county_id, PlanAct.DRAFT, "entryId")
            fields = await _entry_fields(session, ctx, input.entry, entry.county_id)
            entry = await service.update_entry(session, entry=entry, fields=fields, actor=ctx.actor)
            plan = await session.get(models_issuing.DocumentPlan, entry.plan_id)
            return DocumentPlanEntryPayload(entry=DocumentPlanEntry.from_row(entry), plan=DocumentPlan.from_row(plan))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Remove an entry of a draft plan: the government office.")
    async def remove_document_plan_entry(self, info: Info, input: Annotated[
            RemovePlanEntryInput, _arg("The entry.")]) -> DocumentPlanResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            entry = await find(session, ctx, models_issuing.DocumentPlanEntry, input.entry_id, "entryId")
            await _may(session, ctx, entry.county_id, PlanAct.DRAFT, "entryId")
            return _plan_payload(await service.remove_entry(session, entry=entry, actor=ctx.actor))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Send a draft plan for approval: the government office; the approver gets a "
                                     "duty to approve it.")
    async def submit_document_plan(self, info: Info, input: Annotated[
            DocumentPlanInput, _arg("The draft plan.")]) -> DocumentPlanResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            plan, _ = await _plan(session, ctx, input.plan_id, PlanAct.DRAFT)
            return _plan_payload(await service.submit_plan(session, plan=plan, access=ctx.access, actor=ctx.actor))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Approve a submitted plan: the approver the access policy names (the "
                                     "magistrate), or whoever covers for them now. From then on the year's county- "
                                     "and office-named documents outside it are UNPLANNED.")
    async def approve_document_plan(self, info: Info, input: Annotated[
            DocumentPlanInput, _arg("The submitted plan.")]) -> DocumentPlanResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            plan, standing = await _plan(session, ctx, input.plan_id, PlanAct.APPROVE, cover=True)
            return _plan_payload(await service.approve_plan(session, plan=plan, standing=standing, actor=ctx.actor))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Send a submitted plan back to the office, saying why: the approver.")
    async def return_document_plan(self, info: Info, input: Annotated[
            ReturnDocumentPlanInput, _arg("The submitted plan and why.")]) -> DocumentPlanResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            plan, standing = await _plan(session, ctx, input.plan_id, PlanAct.APPROVE, cover=True)
            return _plan_payload(await service.return_plan(session, plan=plan, standing=standing,
                                                           reason=input.reason, actor=ctx.actor))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="The drafter places a draft in the yearly plan: the entry it executes of the "
                                     "approved plan for the year it was drafted in, or none (clearing any exception "
                                     "too).")
    async def link_document_to_plan_entry(self, info: Info, input: Annotated[
            LinkDocumentToPlanEntryInput, _arg("The document and the entry.")]) -> DocumentResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            me = _official_id(ctx)
            document = await _document(session, ctx, input.document_id)
            entry_id = await find_optional(session, ctx, models_issuing.DocumentPlanEntry, input.entry_id,
                                           "entryId", county_id=document.county_id)
            await service.link_entry(session, document_id=document.id, entry_id=entry_id, official_id=me,
                                     actor=ctx.actor)
            return await _after_change(session, document.id)

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Record why a document outside the yearly plan is issued anyway (003 §62): a "
                                     "province or city document requires it (the drafter), or the principal leader "
                                     "asked for it (that leader, in person). A standing-meeting decision needs no "
                                     "record: link the decision.")
    async def record_plan_exception(self, info: Info, input: Annotated[
            RecordPlanExceptionInput, _arg("The document, the exception and its note.")]) -> DocumentResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            me = _official_id(ctx)
            document = await _document(session, ctx, input.document_id)
            if input.kind == PlanException.PRINCIPAL_LEADER_REQUEST:
                await _may(session, ctx, document.county_id, PlanAct.REQUEST, "kind")
            await service.record_exception(session, document_id=document.id, kind=input.kind, note=input.note,
                                           official_id=me, actor=ctx.actor)
            return await _after_change(session, document.id)

        return await _mutate(ctx, change)
