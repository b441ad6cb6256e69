"""Proactive disclosure through GraphQL: thin over services.disclosure; ids found through resolvers.lookup.find.

Who may publish or approve an exemption is the service's rule (the government office's staff; the office director
or the magistrate); the county administrator edits the limits (the access policy's ``disclosure_limits`` rows).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay
from strawberry.types import Info

from db import models
from db.models_disclosure import Disclosure as DisclosureRow
from domain.disclosure import DisclosureState, period_bounds
from domain.errors import TopLevelCode
from resolvers.context import Context, decode_id, public_error
from resolvers.lookup import find
from resolvers.meetings import arg
from resolvers.mutations import _mutate, _writable_county
from resolvers.pagination import After, Before, Last, PageSize, paginate
from schema.disclosure import (
    Disclosure,
    DisclosureFilter,
    DisclosureLimit,
    DisclosureLimitsPayload,
    DisclosureLimitsResult,
    DisclosurePayload,
    DisclosureReport,
    DisclosureResult,
    ExemptDisclosureInput,
    PublishDisclosureInput,
    ReportPeriodEnum,
    SetDisclosureLimitInput,
)
from schema.types import Connection, CountyArg
from services import disclosure


async def _record(session: AsyncSession, ctx: Context, global_id: relay.GlobalID) -> DisclosureRow:
    return await find(session, ctx, DisclosureRow, global_id, "disclosureId")


def _county(ctx: Context, county_id) -> int:
    return ctx.readable_county(decode_id(county_id, "County", "countyId") if county_id else None)


@strawberry.type
class DisclosureQueries:
    @strawberry.field(description="The county's proactive-disclosure records, latest first.")
    async def disclosures(self, info: Info, county_id: CountyArg = None,
                          filter: Annotated[DisclosureFilter | None, arg("Which ones; all when omitted.")] = None,
                          first: PageSize = None, after: After = None, last: Last = None,
                          before: Before = None) -> Connection[Disclosure]:
        ctx: Context = info.context
        stmt = select(DisclosureRow).where(DisclosureRow.county_id == _county(ctx, county_id))
        filter = filter or DisclosureFilter()
        if filter.states is not None:
            stmt = stmt.where(DisclosureRow.state.in_(filter.states))
        if filter.sources is not None:
            stmt = stmt.where(DisclosureRow.source.in_(filter.sources))
        if filter.overdue:
            stmt = stmt.where(DisclosureRow.state == DisclosureState.PENDING, DisclosureRow.due_at < models.utcnow())
        return await paginate(await ctx.session(), stmt, order=[DisclosureRow.created_at, DisclosureRow.id],
                              descending=True, first=first, after=after, last=last, before=before,
                              to_node=Disclosure.from_row)

    @strawberry.field(description="The county's limits for publishing each kind of item.")
    async def disclosure_limits(self, info: Info, county_id: CountyArg = None) -> list[DisclosureLimit]:
        ctx: Context = info.context
        rows = await disclosure.limits_of(await ctx.session(), county_id=_county(ctx, county_id))
        return [DisclosureLimit.from_row(r) for r in rows]

    @strawberry.field(description="A month's, half-year's or year's disclosure figures (004 六2).")
    async def disclosure_report(self, info: Info, period: Annotated[ReportPeriodEnum, arg("The kind of period.")],
                                year: Annotated[int, arg("The year.")],
                                number: Annotated[int, arg("The month (1–12) or the half (1–2); ignored for a "
                                                           "year.")] = 1,
                                county_id: CountyArg = None) -> DisclosureReport:
        ctx: Context = info.context
        county = _county(ctx, county_id)
        try:
            starts_on, ends_after = period_bounds(period, year, number)
        except ValueError as error:
            raise public_error(TopLevelCode.BAD_USER_INPUT, str(error)) from None
        figures = await disclosure.report(await ctx.session(), county_id=county, period=period, year=year,
                                          number=number)
        return DisclosureReport(period=period, starts_on=starts_on, ends_on=ends_after - dt.timedelta(days=1),
                                created=figures.created, published_on_time=figures.published_on_time,
                                published_late=figures.published_late, overdue=figures.overdue,
                                exempted=figures.exempted)


@strawberry.type
class DisclosureMutations:
    @strawberry.mutation(description="Record that an item was published: the day and where. A disclosure officer's "
                                      "(the government office's staff); it settles their duty.")
    async def publish_disclosure(self, info: Info, input: Annotated[PublishDisclosureInput, arg("The publication.")],
                                 ) -> DisclosureResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            record = await _record(session, ctx, input.disclosure_id)
            return DisclosurePayload(disclosure=Disclosure.from_row(await disclosure.publish(
                session, record=record, official_id=ctx.require_principal().official_id,
                published_on=input.published_on, where=input.where, actor=ctx.actor)))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Exempt an item from publication on a ground of 002 政务公开 §9, with the reason: "
                                      "the caller approves (the office director or the magistrate) what a disclosure "
                                      "officer asked; nobody approves their own request.")
    async def exempt_disclosure(self, info: Info, input: Annotated[ExemptDisclosureInput, arg("The exemption.")],
                                ) -> DisclosureResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            record = await _record(session, ctx, input.disclosure_id)
            requester = await find(session, ctx, models.Official, input.requested_by_id, "requestedById",
                                   county_id=record.county_id)
            return DisclosurePayload(disclosure=Disclosure.from_row(await disclosure.exempt(
                session, record=record, approver_id=ctx.require_principal().official_id,
                requested_by_id=requester.id, exemption=input.exemption, reason=input.reason, actor=ctx.actor)))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Set (or, with no working days, remove) your county's limit for publishing one "
                                      "kind of item (county administrator); records already made keep their due "
                                      "time.")
    async def set_disclosure_limit(self, info: Info, input: Annotated[SetDisclosureLimitInput, arg("The limit.")],
                                   ) -> DisclosureLimitsResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            county_id = await _writable_county(session, ctx, input.county_id, "disclosure_limits")
            rows = await disclosure.set_limit(session, county_id=county_id, source=input.source,
                                              working_days=input.working_days, article=input.article,
                                              actor=ctx.actor)
            return DisclosureLimitsPayload(limits=[DisclosureLimit.from_row(r) for r in rows])

        return await _mutate(ctx, change)
