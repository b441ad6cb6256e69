"""The power catalogue through GraphQL: thin over services.powers; ids found through resolvers.lookup.find.

The government office's desk (its staff, or the county's administrator; the access policy's ``powers`` rows)
drafts, records the reviews, approves, publishes, amends and revokes. Anyone who reads the county reads its
catalogue, drafts included; the public side will read services.powers.published_powers only.
"""

from __future__ import annotations

from typing import Annotated

import strawberry
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay
from strawberry.types import Info

from db import models
from db.models_powers import Power as PowerRow, PowerVersion as PowerVersionRow
from domain import powers_flowchart
from domain.powers_flowchart import DrawnStep, Edge
from domain.errors import DomainError, ErrorCode
from policies.deadlines import deadline_rules
from resolvers.context import Context, decode_id
from resolvers.lookup import find
from resolvers.meetings import arg
from resolvers.mutations import _mutate
from resolvers.pagination import After, Before, Last, PageSize, paginate
from schema.powers import (
    ApprovePowerInput,
    CreatePowerInput,
    DrawPowerFlowchartInput,
    EditPowerDraftInput,
    FlowchartStep,
    Power,
    PowerFieldsInput,
    PowerInput,
    PowerPayload,
    PowerResult,
    PowerStateEnum,
    RecordPowerReviewInput,
    SetPowerRiskPointsInput,
    SigningFlowchart,
)
from schema.types import Connection, CountyArg
from services import meetings_access, powers
from services.signing_rules import rows_of

_DESK = ("powers", "manage")
_DESK_ONLY = "Only the government office keeps the county's power catalogue (004 一)."


async def _desk(session: AsyncSession, ctx: Context, county_id: int, field: str) -> None:
    """The government office's staff (their standing), or an account whose role holds the desk."""
    principal = ctx.require_principal()
    held = await meetings_access.standings(session, county_id=county_id, official_id=principal.official_id)
    if not any(ctx.access.allows(role=role, home_county_id=principal.county_id, target_county_id=county_id,
                                 obj=_DESK[0], act=_DESK[1])
               for role in (principal.role.value, *sorted(s.value for s in held))):
        raise DomainError(ErrorCode.FORBIDDEN, _DESK_ONLY, field=field)


async def _power(session: AsyncSession, ctx: Context, global_id: relay.GlobalID) -> PowerRow:
    power = await find(session, ctx, PowerRow, global_id, "powerId")
    await _desk(session, ctx, power.county_id, "powerId")
    return power


def _fields(given: PowerFieldsInput) -> powers.VersionFields:
    return powers.VersionFields(
        name=given.name, category=given.category, legal_basis=given.legal_basis, conditions=given.conditions,
        output=given.output, time_limit_days=given.time_limit_days, fee=given.fee, fee_basis=given.fee_basis,
        responsible_post=given.responsible_post, complaint_channel=given.complaint_channel)


def _payload(row: PowerRow) -> PowerPayload:
    return PowerPayload(power=Power.from_row(row))


@strawberry.type
class PowerQueries:
    @strawberry.field(description="The county's power catalogue, by code; every power, whatever its newest version's "
                                  "state, unless narrowed by state.")
    async def powers(self, info: Info, county_id: CountyArg = None,
                     states: Annotated[list[PowerStateEnum] | None,
                                       arg("Only powers with a version in one of these states.")] = None,
                     first: PageSize = None, after: After = None, last: Last = None,
                     before: Before = None) -> Connection[Power]:
        ctx: Context = info.context
        county = ctx.readable_county(decode_id(county_id, "County", "countyId") if county_id else None)
        stmt = select(PowerRow).where(PowerRow.county_id == county)
        if states is not None:
            stmt = stmt.where(PowerRow.id.in_(select(PowerVersionRow.power_id).where(
                PowerVersionRow.county_id == county, PowerVersionRow.state.in_(states))))
        return await paginate(await ctx.session(), stmt, order=[PowerRow.code, PowerRow.id], descending=False,
                              first=first, after=after, last=last, before=before, to_node=Power.from_row)

    @strawberry.field(description="The document-signing power's flowchart (公文签发流程图), generated from the county's "
                                  "live signing table and its deadline table, with its Mermaid source.")
    async def signing_flowchart(self, info: Info, county_id: CountyArg = None) -> SigningFlowchart:
        ctx: Context = info.context
        county = ctx.readable_county(decode_id(county_id, "County", "countyId") if county_id else None)
        session = await ctx.session()
        rule_set = (await session.get(models.County, county)).rule_set
        steps = powers_flowchart.signing_steps([row.values for row in await rows_of(session, county_id=county)],
                                               deadline_rules(rule_set))
        return SigningFlowchart(steps=[FlowchartStep.from_step(s) for s in steps],
                                mermaid=powers_flowchart.signing_mermaid(steps, "公文签发"))


@strawberry.type
class PowerMutations:
    @strawberry.mutation(description="Enter a new power with its first draft (the government office). A code another "
                                     "holder already holds is entered and flagged as an overlap.")
    async def create_power(self, info: Info, input: Annotated[CreatePowerInput, arg("The power.")]) -> PowerResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            principal = ctx.require_principal()
            if input.county_id is None and principal.county_id is None:
                raise DomainError(ErrorCode.INVALID, "Name the county: this account belongs to none.",
                                  field="countyId")
            county_id = (principal.county_id if input.county_id is None
                         else (await find(session, ctx, models.County, input.county_id, "countyId")).id)
            await _desk(session, ctx, county_id, "countyId")
            body = department = None
            if input.holder_body_id is not None:
                body = (await find(session, ctx, models.MeetingBody, input.holder_body_id, "holderBodyId",
                                   county_id=county_id)).id
            if input.holder_department_id is not None:
                department = (await find(session, ctx, models.Department, input.holder_department_id,
                                         "holderDepartmentId", county_id=county_id)).id
            holder = powers.Holder(kind=input.holder_kind, body_id=body, role=input.holder_role,
                                   department_id=department)
            return _payload(await powers.create(session, county_id=county_id, code=input.code, holder=holder,
                                                fields=_fields(input.fields), actor=ctx.actor))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Rewrite the power's draft (the government office); a version under review or "
                                     "later is not edited.")
    async def edit_power_draft(self, info: Info, input: Annotated[EditPowerDraftInput, arg("The draft.")],
                               ) -> PowerResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            power = await _power(session, ctx, input.power_id)
            return _payload(await powers.edit(session, power=power, fields=_fields(input.fields), actor=ctx.actor))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Draw the draft's flowchart (004 二): ordered steps, each with its actor and time "
                                     "limit in working days (required), requirements and ways on.")
    async def draw_power_flowchart(self, info: Info, input: Annotated[DrawPowerFlowchartInput,
                                                                      arg("The flowchart.")]) -> PowerResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            steps = [DrawnStep(key=s.key, actor=s.actor, conditions=s.conditions, time_limit_days=s.time_limit_days,
                               requirements=s.requirements, next=tuple(Edge(e.to, e.label) for e in s.next))
                     for s in input.steps]
            return _payload(await powers.draw_flowchart(session, power=await _power(session, ctx, input.power_id),
                                                        steps=steps, actor=ctx.actor))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Set the risk points (廉政风险点, 004 三) of the version being prepared: on the power "
                                     "or on a step of its flowchart. Publication refuses one without a level or a "
                                     "control.")
    async def set_power_risk_points(self, info: Info, input: Annotated[SetPowerRiskPointsInput,
                                                                       arg("The risk points.")]) -> PowerResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            points = [powers.RiskPointFields(
                category=r.category, description=r.description, owner=r.owner, level=r.level, harm=r.harm,
                controls=[(c.kind, c.description) for c in r.controls], step_key=r.step_key, review_on=r.review_on)
                for r in input.risk_points]
            return _payload(await powers.set_risk_points(session, power=await _power(session, ctx, input.power_id),
                                                         points=points, actor=ctx.actor))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Send the draft to the establishment office and the legal office (004 一); every "
                                     "element of the entry must be stated.")
    async def submit_power_for_review(self, info: Info, input: Annotated[PowerInput, arg("The power.")],
                                      ) -> PowerResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            return _payload(await powers.submit(session, power=await _power(session, ctx, input.power_id),
                                                actor=ctx.actor))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Record a review office's written opinion on the version under review (the "
                                     "government office records it as received). One that does not agree sends the "
                                     "version back to draft.")
    async def record_power_review(self, info: Info, input: Annotated[RecordPowerReviewInput, arg("The review.")],
                                  ) -> PowerResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            power = await _power(session, ctx, input.power_id)
            department = None
            if input.department_id is not None:
                department = await find(session, ctx, models.Department, input.department_id, "departmentId",
                                        county_id=power.county_id)
            return _payload(await powers.record_review(
                session, power=power, office=input.office, reviewer=input.reviewer, department=department,
                agreed=input.agreed, opinion=input.opinion, account_id=ctx.require_principal().account_id,
                actor=ctx.actor))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Approve the version under review once both review offices agreed to it, "
                                     "optionally citing the meeting decision that approved it.")
    async def approve_power(self, info: Info, input: Annotated[ApprovePowerInput, arg("The approval.")],
                            ) -> PowerResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            power = await _power(session, ctx, input.power_id)
            decision = None
            if input.decision_id is not None:
                decision = await find(session, ctx, models.MeetingDecision, input.decision_id, "decisionId",
                                      county_id=power.county_id)
            return _payload(await powers.approve(session, power=power, decision=decision, actor=ctx.actor))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Publish the approved version: it comes into force, and the version it replaces "
                                     "becomes AMENDED.")
    async def publish_power(self, info: Info, input: Annotated[PowerInput, arg("The power.")]) -> PowerResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            return _payload(await powers.publish(session, power=await _power(session, ctx, input.power_id),
                                                 actor=ctx.actor))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Open a new version of a power in force: a draft copied from it. The version in "
                                     "force stays in force until the new one is published.")
    async def amend_power(self, info: Info, input: Annotated[PowerInput, arg("The power.")]) -> PowerResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            return _payload(await powers.amend(session, power=await _power(session, ctx, input.power_id),
                                               actor=ctx.actor))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Revoke a power in force that has no open version; it leaves the published "
                                     "catalogue.")
    async def revoke_power(self, info: Info, input: Annotated[PowerInput, arg("The power.")]) -> PowerResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            return _payload(await powers.revoke(session, power=await _power(session, ctx, input.power_id),
                                                actor=ctx.actor))

        return await _mutate(ctx, change)
