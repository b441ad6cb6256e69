"""Issuing through GraphQL: issueDocument, and the county's 发文字号 series for its administrator."""

from __future__ import annotations

from typing import Annotated

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.types import Info

from db import models, models_issuing
from domain.issuing import Recipient as RecipientValue
from resolvers.context import Context, decode_id
from resolvers.documents import DocumentResult, _after_change, _document, _official_id
from resolvers.lookup import find, find_optional
from resolvers.mutations import _mutate, _writable_county
from schema.issuing import (
    AddIssueSeriesInput,
    IssueDocumentInput,
    IssueSeries,
    IssueSeriesPayload,
    RemoveIssueSeriesInput,
    RemoveIssueSeriesPayload,
    UpdateIssueSeriesInput,
)
from schema.mutations import MutationError
from schema.types import CountyArg
from services import issuing

IssueSeriesResult = Annotated[IssueSeriesPayload | MutationError, strawberry.union(
    "IssueSeriesResult", description="IssueSeriesPayload when it worked; MutationError when it changed nothing.")]
RemoveIssueSeriesResult = Annotated[RemoveIssueSeriesPayload | MutationError, strawberry.union(
    "RemoveIssueSeriesResult",
    description="RemoveIssueSeriesPayload when it worked; MutationError when it changed nothing.")]

# The access policy's object for the county's series (policies/access_policy.csv).
_SERIES = "issue_series"


@strawberry.type
class IssuingQueries:
    @strawberry.field(description="The county's 发文字号 series, in the order they were added.")
    async def issue_series(self, info: Info, county_id: CountyArg = None) -> list[IssueSeries]:
        ctx: Context = info.context
        county = ctx.readable_county(decode_id(county_id, "County", "countyId") if county_id else None)
        return [IssueSeries.from_row(row) for row in await issuing.series_of(await ctx.session(), county_id=county)]


async def _series(session: AsyncSession, ctx: Context, input_id) -> models_issuing.IssueSeries:
    series = await find(session, ctx, models_issuing.IssueSeries, input_id, "id")
    ctx.require(series.county_id, _SERIES, "write", field="id")
    return series


@strawberry.type
class IssuingMutations:
    @strawberry.mutation(description="Number and issue 印发 a signed document: it takes the next 发文字号 of its "
                                     "series (minutes keep the number their body's series gave them at signing), "
                                     "its date and its distribution list, SIGNED → ISSUED (a document sent up to "
                                     "the county government has it as its 主送 and enters its incoming flow). Who "
                                     "may is rows of the county's signing table (action ISSUE), in person or "
                                     "covering for them.")
    async def issue_document(self, info: Info, input: Annotated[
            IssueDocumentInput, strawberry.argument(description="The document, its distribution list and date.")],
    ) -> DocumentResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            me = _official_id(ctx)
            document = await _document(session, ctx, input.document_id)
            recipients = [RecipientValue(kind=r.kind, organ=r.organ, department_id=await find_optional(
                session, ctx, models.Department, r.department_id, "departmentId", county_id=document.county_id))
                for r in input.distribution]
            await issuing.issue(session, document_id=document.id, official_id=me, distribution=recipients,
                                issued_on=input.issued_on, tables=ctx.tables, actor=ctx.actor)
            return await _after_change(session, document.id)

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Add a 发文字号 series to the county, e.g. a department's own (issuer DEPARTMENT, "
                                     "naming the department). County administrators.")
    async def add_issue_series(self, info: Info, input: Annotated[
            AddIssueSeriesInput, strawberry.argument(description="The series and its county.")]) -> IssueSeriesResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            county_id = await _writable_county(session, ctx, input.county_id, _SERIES)
            department_id = await find_optional(session, ctx, models.Department, input.series.department_id,
                                                "departmentId", county_id=county_id)
            row = await issuing.add_series(session, county_id=county_id, spec=input.series.spec(),
                                           department_id=department_id, actor=ctx.actor)
            return IssueSeriesPayload(issue_series=IssueSeries.from_row(row))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Change a series; a new prefix starts its own count, numbers already given "
                                     "keep theirs. County administrators.")
    async def update_issue_series(self, info: Info, input: Annotated[
            UpdateIssueSeriesInput, strawberry.argument(description="The series and its new columns.")],
    ) -> IssueSeriesResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            series = await _series(session, ctx, input.id)
            department_id = await find_optional(session, ctx, models.Department, input.series.department_id,
                                                "departmentId", county_id=series.county_id)
            row = await issuing.update_series(session, series=series, spec=input.series.spec(),
                                              department_id=department_id, actor=ctx.actor)
            return IssueSeriesPayload(issue_series=IssueSeries.from_row(row))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Remove a series; numbers already given keep theirs and are never given "
                                     "again. County administrators.")
    async def remove_issue_series(self, info: Info, input: Annotated[
            RemoveIssueSeriesInput, strawberry.argument(description="The series.")]) -> RemoveIssueSeriesResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            series = await _series(session, ctx, input.id)
            removed = await issuing.remove_series(session, series=series, actor=ctx.actor)
            return RemoveIssueSeriesPayload(removed_id=strawberry.relay.GlobalID("IssueSeries", str(removed)))

        return await _mutate(ctx, change)
