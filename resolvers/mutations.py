"""Mutations: decode ids, check the caller may act on that county, call one service in one transaction."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay
from strawberry.types import Info

from db import models
from domain.errors import DomainError, ErrorCode
from resolvers.context import Context
from resolvers.lookup import find, find_ids, find_optional
from schema import mutations as m
from schema.types import AbPair, Absence, Account, County, Department, Entrustment, Official, Position
from services import auth, roster, tenancy

T = TypeVar("T")


async def _mutate(ctx: Context, change: Callable[[AsyncSession], Awaitable[T]]) -> T | m.MutationError:
    ctx.require_principal()
    try:
        async with ctx.transaction() as session:
            return await change(session)
    except DomainError as error:
        return m.MutationError(code=error.code, field=error.field, message=error.message)


async def _owned(session: AsyncSession, ctx: Context, model, global_id: relay.GlobalID, field: str):
    """The row behind an id (resolvers.lookup.find), once the caller may change its county's roster."""
    row = await find(session, ctx, model, global_id, field)
    ctx.require(row.county_id, "roster", "write", field=field)
    return row


async def _writable_county(session: AsyncSession, ctx: Context, county_id: relay.GlobalID | None,
                           obj: str = "roster") -> int:
    """The county a write goes to (the one named, or the caller's own), if the caller may write ``obj`` there."""
    principal = ctx.require_principal()
    if county_id is None:
        if principal.county_id is None:
            raise DomainError(ErrorCode.INVALID, "Name the county: this account belongs to none.", field="countyId")
        chosen = principal.county_id
    else:
        chosen = (await find(session, ctx, models.County, county_id, "countyId")).id
    ctx.require(chosen, obj, "write", field="countyId")
    return chosen


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Sign in; the only operation open to anonymous callers.")
    async def login(self, info: Info,
                    username: Annotated[str, strawberry.argument(description="The account's username.")],
                    password: Annotated[str, strawberry.argument(description="Its password.")]) -> m.LoginResult:
        ctx: Context = info.context
        # Sign-in writes (its throttle's counts): give back the read connection first, as transaction() does.
        await ctx.close()
        try:
            token, expires_at, principal = await auth.sign_in(
                ctx.sessions, throttle=ctx.sign_in_throttle, username=username, password=password,
                address=ctx.client_address, secret_key=ctx.settings.secret_key,
                lifetime=ctx.settings.access_token_lifetime,
            )
        except DomainError as error:
            return m.MutationError(code=error.code, field=error.field, message=error.message,
                                   retry_after_seconds=getattr(error, "retry_after_seconds", None))
        account = Account(id=principal.account_id, username=principal.username,
                          role=principal.role, county_id=principal.county_id, official_id=principal.official_id)
        return m.LoginSuccess(token=token, expires_at=expires_at, account=account)

    @strawberry.mutation(description="System administrators only.")
    async def create_county(self, info: Info, input: Annotated[
            m.CreateCountyInput, strawberry.argument(description="The county to create.")]) -> m.CountyResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            ctx.require(None, "county", "create")
            row = await tenancy.create_county(session, code=input.code, name=input.name, rule_set=input.rule_set,
                                              actor=ctx.actor)
            return m.CountyPayload(county=County.from_row(row))

        return await _mutate(ctx, change)

    # -- officials

    @strawberry.mutation(description="Add an official to the county's roster.")
    async def add_official(self, info: Info, input: Annotated[
            m.AddOfficialInput, strawberry.argument(description="The official to add.")]) -> m.OfficialResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            county_id = await _writable_county(session, ctx, input.county_id)
            row = await roster.add_official(session, county_id=county_id, code=input.code, name=input.name,
                                            rank_order=input.rank_order, actor=ctx.actor)
            return m.OfficialPayload(official=Official.from_row(row))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Change an official's staff code, name or rank order.")
    async def update_official(self, info: Info, input: Annotated[
            m.UpdateOfficialInput, strawberry.argument(description="The official and what to change.")],
    ) -> m.OfficialResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            official = await _owned(session, ctx, models.Official, input.id, "id")
            row = await roster.update_official(session, official_id=official.id, code=input.code, name=input.name,
                                               rank_order=input.rank_order, actor=ctx.actor)
            return m.OfficialPayload(official=Official.from_row(row))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Retire an official: every position, portfolio and AB pair ends that day.")
    async def retire_official(self, info: Info, input: Annotated[
            m.RetireOfficialInput, strawberry.argument(description="The official and the day.")]) -> m.OfficialResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            official = await _owned(session, ctx, models.Official, input.id, "id")
            row = await roster.retire_official(session, official_id=official.id, retired_on=input.retired_on,
                                               actor=ctx.actor)
            return m.OfficialPayload(official=Official.from_row(row))

        return await _mutate(ctx, change)

    # -- positions

    @strawberry.mutation(description="Appoint an official to a position from a day.")
    async def appoint_to_position(self, info: Info, input: Annotated[
            m.AppointInput, strawberry.argument(description="Who, to which position, from when.")],
    ) -> m.PositionResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            official = await _owned(session, ctx, models.Official, input.official_id, "officialId")
            department_id = await find_optional(session, ctx, models.Department, input.department_id,
                                                "departmentId", county_id=official.county_id)
            row = await roster.appoint(session, official_id=official.id, role=input.role,
                                       department_id=department_id, deputy_rank=input.deputy_rank,
                                       effective_from=input.effective_from,
                                       replace_incumbent=input.replace_incumbent, actor=ctx.actor)
            return m.PositionPayload(position=Position.from_row(row))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="End a position on a day.")
    async def remove_from_position(self, info: Info, input: Annotated[
            m.RemoveFromPositionInput, strawberry.argument(description="The position; its first day no longer held.")],
    ) -> m.PositionResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            position = await _owned(session, ctx, models.Position, input.position_id, "positionId")
            row = await roster.end_position(session, position_id=position.id, effective_to=input.effective_to,
                                            actor=ctx.actor)
            return m.PositionPayload(position=Position.from_row(row))

        return await _mutate(ctx, change)

    # -- departments

    @strawberry.mutation(description="Create a department in the county.")
    async def create_department(self, info: Info, input: Annotated[
            m.CreateDepartmentInput, strawberry.argument(description="The department to create.")],
    ) -> m.DepartmentResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            county_id = await _writable_county(session, ctx, input.county_id)
            row = await roster.create_department(session, county_id=county_id, name=input.name, kind=input.kind,
                                                 actor=ctx.actor)
            return m.DepartmentPayload(department=Department.from_row(row))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Rename a department.")
    async def rename_department(self, info: Info, input: Annotated[
            m.RenameDepartmentInput, strawberry.argument(description="The department and its new name.")],
    ) -> m.DepartmentResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            department = await _owned(session, ctx, models.Department, input.id, "id")
            row = await roster.rename_department(session, department_id=department.id, name=input.name,
                                                 actor=ctx.actor)
            return m.DepartmentPayload(department=Department.from_row(row))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Appoint the department's principal; the previous one's term ends that day.")
    async def set_department_principal(self, info: Info, input: Annotated[
            m.SetDepartmentPrincipalInput, strawberry.argument(description="Department, new principal, first day.")],
    ) -> m.PositionResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            department = await _owned(session, ctx, models.Department, input.department_id, "departmentId")
            principal = await find(session, ctx, models.Official, input.official_id, "officialId",
                                   county_id=department.county_id)
            row = await roster.set_principal(session, department_id=department.id, official_id=principal.id,
                                             effective_from=input.effective_from, actor=ctx.actor)
            return m.PositionPayload(position=Position.from_row(row))

        return await _mutate(ctx, change)

    # -- portfolios and AB pairs

    @strawberry.mutation(description="Set a vice magistrate's whole portfolio (分管) from a day.")
    async def set_portfolio(self, info: Info, input: Annotated[
            m.SetPortfolioInput, strawberry.argument(description="The vice magistrate, the departments, from when.")],
    ) -> m.PortfolioResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            official = await _owned(session, ctx, models.Official, input.official_id, "officialId")
            department_ids = await find_ids(session, ctx, models.Department, input.department_ids, "departmentIds",
                                            county_id=official.county_id)
            rows = await roster.set_portfolio(session, official_id=official.id, department_ids=department_ids,
                                              effective_from=input.effective_from, actor=ctx.actor)
            departments = [await session.get(models.Department, row.department_id) for row in rows]
            return m.PortfolioPayload(official=Official.from_row(official),
                                      departments=[Department.from_row(d) for d in departments])

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Pair two vice magistrates as AB partners (AB角) from a day.")
    async def pair_ab_partners(self, info: Info, input: Annotated[
            m.PairAbPartnersInput, strawberry.argument(description="The two vice magistrates and from when.")],
    ) -> m.AbPairResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            a = await _owned(session, ctx, models.Official, input.official_a_id, "officialAId")
            b = await find(session, ctx, models.Official, input.official_b_id, "officialBId", county_id=a.county_id)
            row = await roster.pair_ab_partners(session, official_a_id=a.id, official_b_id=b.id,
                                                effective_from=input.effective_from, actor=ctx.actor)
            return m.AbPairPayload(ab_pair=AbPair.from_row(row))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="End an AB pair on a day.")
    async def end_ab_pair(self, info: Info, input: Annotated[
            m.EndAbPairInput, strawberry.argument(description="The pair and from when it no longer holds.")],
    ) -> m.AbPairResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            pair = await _owned(session, ctx, models.AbPair, input.pair_id, "pairId")
            row = await roster.end_ab_pair(session, pair_id=pair.id, effective_to=input.effective_to,
                                           actor=ctx.actor)
            return m.AbPairPayload(ab_pair=AbPair.from_row(row))

        return await _mutate(ctx, change)

    # -- absences and entrustments

    @strawberry.mutation(description="Record a reported trip, leave or study period (请销假).")
    async def record_absence(self, info: Info, input: Annotated[
            m.RecordAbsenceInput, strawberry.argument(description="Who is away, when and why.")]) -> m.AbsenceResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            official = await _owned(session, ctx, models.Official, input.official_id, "officialId")
            acting_id = await find_optional(session, ctx, models.Official, input.acting_official_id,
                                            "actingOfficialId", county_id=official.county_id)
            row = await roster.record_absence(session, official_id=official.id, starts_at=input.starts_at,
                                              ends_at=input.ends_at, reason=input.reason, note=input.note,
                                              acting_official_id=acting_id, actor=ctx.actor)
            return m.AbsencePayload(absence=Absence.from_row(row))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Cancel a recorded absence; duties no longer pass on for it.")
    async def cancel_absence(self, info: Info, input: Annotated[
            m.CancelAbsenceInput, strawberry.argument(description="The absence to cancel.")]) -> m.AbsenceResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            absence = await _owned(session, ctx, models.Absence, input.absence_id, "absenceId")
            row = await roster.cancel_absence(session, absence_id=absence.id, actor=ctx.actor)
            return m.AbsencePayload(absence=Absence.from_row(row))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="The magistrate entrusts a VM to preside when he and the executive VM are away.")
    async def record_entrustment(self, info: Info, input: Annotated[
            m.RecordEntrustmentInput, strawberry.argument(description="The vice magistrate entrusted, and when.")],
    ) -> m.EntrustmentResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            entrusted = await _owned(session, ctx, models.Official, input.entrusted_id, "entrustedId")
            row = await roster.record_entrustment(session, entrusted_id=entrusted.id, starts_at=input.starts_at,
                                                  ends_at=input.ends_at, note=input.note, actor=ctx.actor)
            return m.EntrustmentPayload(entrustment=Entrustment.from_row(row))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Cancel an entrustment.")
    async def cancel_entrustment(self, info: Info, input: Annotated[
            m.CancelEntrustmentInput, strawberry.argument(description="The entrustment to cancel.")],
    ) -> m.EntrustmentResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            entrustment = await _owned(session, ctx, models.Entrustment, input.entrustment_id, "entrustmentId")
            row = await roster.cancel_entrustment(session, entrustment_id=entrustment.id, actor=ctx.actor)
            return m.EntrustmentPayload(entrustment=Entrustment.from_row(row))

        return await _mutate(ctx, change)

    # -- API tokens

    @strawberry.mutation(description="A long-lived token for admin scripts, shown once.")
    async def create_api_token(self, info: Info, input: Annotated[
            m.CreateApiTokenInput, strawberry.argument(description="What the token is for, and for which account.")],
    ) -> m.ApiTokenCreatedResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            if input.account_id is None:
                account = await session.get(models.Account, ctx.require_principal().account_id)
            else:
                account = await find(session, ctx, models.Account, input.account_id, "accountId")
            ctx.require(account.county_id, "token", "manage", field="accountId")
            token, row = await auth.create_api_token(session, account_id=account.id, name=input.name,
                                                     expires_in_days=input.expires_in_days, scope=input.scope,
                                                     actor=ctx.actor)
            return m.ApiTokenCreated(token=token, api_token=m.ApiToken.from_row(row))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Revoke an API token; it stops working at once.")
    async def revoke_api_token(self, info: Info, input: Annotated[
            m.RevokeApiTokenInput, strawberry.argument(description="The token to revoke.")]) -> m.ApiTokenResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            token = await find(session, ctx, models.ApiToken, input.id, "id")
            account = await session.get(models.Account, token.account_id)
            ctx.require(account.county_id, "token", "manage", field="id")
            row = await auth.revoke_api_token(session, token_id=token.id, actor=ctx.actor)
            return m.ApiTokenPayload(api_token=m.ApiToken.from_row(row))

        return await _mutate(ctx, change)
