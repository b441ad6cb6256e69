"""Proposals through GraphQL: thin over services.proposals; ids found through resolvers.lookup.find.

The government office's desk (its staff, or the county's administrator; the access policy's ``proposals``
rows) registers, assigns, links to meetings and closes; acceptance, contacts and the reply are checked by the
service against the lead unit's principal and the handler, in person or by cover.
"""

from __future__ import annotations

from typing import Annotated

import strawberry
from sqlalchemy import exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay
from strawberry.types import Info

from db import models
from db.models_proposals import Proposal as ProposalRow, ProposalCoUnit
from domain.errors import DomainError, ErrorCode, TopLevelCode
from resolvers.context import Context, decode_id, public_error
from resolvers.lookup import find, find_ids
from resolvers.meetings import arg
from resolvers.mutations import _mutate, _writable_county
from resolvers.pagination import After, Before, Last, PageSize, paginate
from schema.proposals import (
    AcceptProposalInput,
    AssignProposalInput,
    LogProposalContactInput,
    Proposal,
    ProposalFilter,
    ProposalInput,
    ProposalPayload,
    ProposalResult,
    ProposalTimeLimit,
    ProposalTimeLimitsPayload,
    ProposalTimeLimitsResult,
    PublishProposalReplyInput,
    PutProposalOnAgendaInput,
    RegisterProposalInput,
    ReplyToProposalInput,
    SetProposalTimeLimitInput,
)
from schema.types import Connection, CountyArg
from services import meetings_access, proposals

_OFFICE_DESK = ("proposals", "manage")
_OFFICE_ONLY = ("Only the government office registers, assigns, puts before meetings and closes proposals "
                "(000 §56(四)(五)).")


async def _holds_office_desk(session: AsyncSession, ctx: Context, county_id: int) -> bool:
    """The government office's staff (their standing), or an account whose role holds the desk."""
    principal = ctx.require_principal()
    held = await meetings_access.standings(session, county_id=county_id, official_id=principal.official_id)
    return any(ctx.access.allows(role=role, home_county_id=principal.county_id, target_county_id=county_id,
                                 obj=_OFFICE_DESK[0], act=_OFFICE_DESK[1])
               for role in (principal.role.value, *sorted(s.value for s in held)))


async def _office_desk(session: AsyncSession, ctx: Context, county_id: int, field: str) -> None:
    if not await _holds_office_desk(session, ctx, county_id):
        raise DomainError(ErrorCode.FORBIDDEN, _OFFICE_ONLY, field=field)


async def _proposal(session: AsyncSession, ctx: Context, global_id: relay.GlobalID) -> ProposalRow:
    return await find(session, ctx, ProposalRow, global_id, "proposalId")


def _payload(row: ProposalRow) -> ProposalPayload:
    return ProposalPayload(proposal=Proposal.from_row(row))


def _filter_id(global_id: relay.GlobalID, type_name: str) -> int:
    try:
        return decode_id(global_id, type_name, "unitId")
    except DomainError as error:
        raise public_error(TopLevelCode.BAD_USER_INPUT, error.message) from None


@strawberry.type
class ProposalQueries:
    @strawberry.field(description="The county's bills, suggestions and proposals, latest registered first.")
    async def proposals(self, info: Info, county_id: CountyArg = None,
                        filter: Annotated[ProposalFilter | None, arg("Which ones; all when omitted.")] = None,
                        first: PageSize = None, after: After = None, last: Last = None,
                        before: Before = None) -> Connection[Proposal]:
        ctx: Context = info.context
        county = ctx.readable_county(decode_id(county_id, "County", "countyId") if county_id else None)
        stmt = select(ProposalRow).where(ProposalRow.county_id == county)
        filter = filter or ProposalFilter()
        if filter.kind is not None:
            stmt = stmt.where(ProposalRow.kind == filter.kind)
        if filter.session is not None:
            stmt = stmt.where(ProposalRow.session == filter.session.strip())
        if filter.states is not None:
            stmt = stmt.where(ProposalRow.state.in_(filter.states))
        if filter.unit_id is not None:
            unit = _filter_id(filter.unit_id, "Department")
            stmt = stmt.where(or_(ProposalRow.lead_department_id == unit, exists().where(
                ProposalCoUnit.proposal_id == ProposalRow.id, ProposalCoUnit.department_id == unit)))
        if filter.overdue:
            stmt = stmt.where(ProposalRow.due_at < models.utcnow())
        return await paginate(await ctx.session(), stmt, order=[ProposalRow.registered_at, ProposalRow.id],
                              descending=True, first=first, after=after, last=last, before=before,
                              to_node=Proposal.from_row)

    @strawberry.field(description="The county's time limits for handling proposals, in the order of the handling.")
    async def proposal_time_limits(self, info: Info, county_id: CountyArg = None) -> list[ProposalTimeLimit]:
        ctx: Context = info.context
        county = ctx.readable_county(decode_id(county_id, "County", "countyId") if county_id else None)
        rows = await proposals.time_limits_of(await ctx.session(), county_id=county)
        return [ProposalTimeLimit.from_row(r) for r in rows]


@strawberry.type
class ProposalMutations:
    @strawberry.mutation(description="Register a bill, suggestion or proposal handed over after the two sessions "
                                      "(the government office). Its assignment clock starts.")
    async def register_proposal(self, info: Info, input: Annotated[RegisterProposalInput, arg("The proposal.")],
                                ) -> ProposalResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            principal = ctx.require_principal()
            if input.county_id is None and principal.county_id is None:
                raise DomainError(ErrorCode.INVALID, "Name the county: this account belongs to none.",
                                  field="countyId")
            county_id = (principal.county_id if input.county_id is None
                         else (await find(session, ctx, models.County, input.county_id, "countyId")).id)
            await _office_desk(session, ctx, county_id, "countyId")
            fields = proposals.ProposalFields(
                kind=input.kind, session=input.session, number=input.number, proposers=input.proposers,
                title=input.title, content=input.content, received_on=input.received_on, category=input.category)
            return _payload(await proposals.register(session, county_id=county_id, fields=fields,
                                                     official_id=principal.official_id, actor=ctx.actor))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Assign the proposal to its lead unit and co-units (交办, 000 §56(五)); it "
                                      "becomes a supervision item (000 §56(四)) and waits for the lead unit's "
                                      "principal to accept it. The government office's.")
    async def assign_proposal(self, info: Info, input: Annotated[AssignProposalInput, arg("The assignment.")],
                              ) -> ProposalResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            proposal = await _proposal(session, ctx, input.proposal_id)
            await _office_desk(session, ctx, proposal.county_id, "proposalId")
            lead = await find(session, ctx, models.Department, input.lead_department_id, "leadDepartmentId",
                              county_id=proposal.county_id)
            co_units = await find_ids(session, ctx, models.Department, input.co_department_ids, "coDepartmentIds",
                                      county_id=proposal.county_id)
            return _payload(await proposals.assign(
                session, proposal=proposal, lead_department_id=lead.id, co_department_ids=co_units,
                official_id=ctx.require_principal().official_id, actor=ctx.actor))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Accept the proposal for the lead unit and name its handler: the unit's "
                                      "principal, or whoever covers them now (000 §56(一)); anyone else is FORBIDDEN.")
    async def accept_proposal(self, info: Info, input: Annotated[AcceptProposalInput, arg("The acceptance.")],
                              ) -> ProposalResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            proposal = await _proposal(session, ctx, input.proposal_id)
            handler = await find(session, ctx, models.Official, input.handler_id, "handlerId",
                                 county_id=proposal.county_id)
            return _payload(await proposals.accept(session, proposal=proposal, handler_id=handler.id,
                                                   official_id=ctx.require_principal().official_id, actor=ctx.actor))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Log a contact with the proposer (001 §14): the handler or the responsible "
                                      "principal, or whoever covers them now. The first puts the proposal IN_PROGRESS.")
    async def log_proposal_contact(self, info: Info, input: Annotated[LogProposalContactInput, arg("The contact.")],
                                   ) -> ProposalResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            proposal = await _proposal(session, ctx, input.proposal_id)
            await proposals.log_contact(session, proposal=proposal, official_id=ctx.require_principal().official_id,
                                        contacted_on=input.contacted_on, way=input.way, person=input.person,
                                        summary=input.summary, actor=ctx.actor)
            return _payload(proposal)

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Reply (000 §56(二)): the outcome and its explanation, drafted as the lead unit's "
                                      "letter to the people's congress or the CPPCC and submitted at once to the chain "
                                      "the county's signing table gives it. Its signature makes the proposal REPLIED. "
                                      "A returned or withdrawn reply is redrafted here.")
    async def reply_to_proposal(self, info: Info, input: Annotated[ReplyToProposalInput, arg("The reply.")],
                                ) -> ProposalResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            proposal = await _proposal(session, ctx, input.proposal_id)
            return _payload(await proposals.draft_reply(
                session, proposal=proposal, official_id=ctx.require_principal().official_id, outcome=input.outcome,
                explanation=input.explanation, text=input.text, tables=ctx.tables, actor=ctx.actor))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Record the published result: when and where (001 §14; 003 §30). The lead unit "
                                      "(handler or principal, or their cover), or the government office for it.")
    async def publish_proposal_reply(self, info: Info, input: Annotated[
            PublishProposalReplyInput, arg("The publication.")]) -> ProposalResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            proposal = await _proposal(session, ctx, input.proposal_id)
            return _payload(await proposals.publish(
                session, proposal=proposal, official_id=ctx.require_principal().official_id,
                as_office=await _holds_office_desk(session, ctx, proposal.county_id),
                published_on=input.published_on, where=input.where, actor=ctx.actor))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Close a proposal whose result is published. The government office's.")
    async def close_proposal(self, info: Info, input: Annotated[ProposalInput, arg("The proposal.")],
                             ) -> ProposalResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            proposal = await _proposal(session, ctx, input.proposal_id)
            await _office_desk(session, ctx, proposal.county_id, "proposalId")
            return _payload(await proposals.close(session, proposal=proposal,
                                                  official_id=ctx.require_principal().official_id, actor=ctx.actor))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Put an important proposal before a magistrate's office or topical meeting "
                                      "(000 §56(三)): link the agenda item the office put through the agenda "
                                      "pipeline. The government office's.")
    async def put_proposal_on_agenda(self, info: Info, input: Annotated[
            PutProposalOnAgendaInput, arg("The proposal and the item.")]) -> ProposalResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            proposal = await _proposal(session, ctx, input.proposal_id)
            await _office_desk(session, ctx, proposal.county_id, "proposalId")
            item = await find(session, ctx, models.AgendaItem, input.item_id, "itemId", county_id=proposal.county_id)
            return _payload(await proposals.put_on_agenda(
                session, proposal=proposal, item=item, official_id=ctx.require_principal().official_id,
                actor=ctx.actor))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Set (or, with no working days, remove) your county's time limit for one step "
                                      "of handling proposals (county administrator); clocks already running keep "
                                      "their due time.")
    async def set_proposal_time_limit(self, info: Info, input: Annotated[
            SetProposalTimeLimitInput, arg("The limit.")]) -> ProposalTimeLimitsResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            county_id = await _writable_county(session, ctx, input.county_id, "proposal_time_limits")
            rows = await proposals.set_time_limit(session, county_id=county_id, step=input.step,
                                                  working_days=input.working_days, article=input.article,
                                                  actor=ctx.actor)
            return ProposalTimeLimitsPayload(time_limits=[ProposalTimeLimit.from_row(r) for r in rows])

        return await _mutate(ctx, change)
