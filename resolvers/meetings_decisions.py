"""Decisions through GraphQL: thin over services.meetings_decisions; ids found through resolvers.lookup.find."""

from __future__ import annotations

from typing import Annotated

import strawberry
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay
from strawberry.types import Info

from db import models
from domain.meetings_decisions import DecisionState
from resolvers.context import Context, decode_id
from resolvers.documents import DocumentResult, _after_change, _document, _official_id
from resolvers.lookup import find, find_ids, find_optional
from resolvers.meetings import arg, may
from resolvers.mutations import _mutate
from schema.meetings_decisions import (
    AdoptDecisionInput,
    DecisionInput,
    DecisionReasonInput,
    DecisionStateEnum,
    LinkDocumentToDecisionInput,
    MeetingDecision,
    MeetingDecisionPayload,
    MeetingDecisionResult,
)
from schema.types import CountyArg
from services import meetings_access, meetings_decisions
from services.meetings_access import MeetingAction


async def _decision(session: AsyncSession, ctx: Context, global_id: relay.GlobalID) -> models.MeetingDecision:
    """The decision, if the caller may record it: the government office or the meeting's chair."""
    decision = await find(session, ctx, models.MeetingDecision, global_id, "decisionId")
    await may(session, ctx, await session.get(models.Meeting, decision.meeting_id), MeetingAction.RECORD_DECISION,
              "decisionId")
    return decision


@strawberry.type
class MeetingDecisionQueries:
    @strawberry.field(description="The county's decisions, latest first; of one meeting, or in one state, when "
                                  "given.")
    async def meeting_decisions(
            self, info: Info, county_id: CountyArg = None,
            meeting_id: Annotated[relay.GlobalID | None, arg("Only this meeting's decisions.")] = None,
            state: Annotated[DecisionStateEnum | None, arg("Only decisions in this state.")] = None,
    ) -> list[MeetingDecision]:
        ctx: Context = info.context
        county = ctx.readable_county(decode_id(county_id, "County", "countyId") if county_id else None)
        stmt = select(models.MeetingDecision).where(models.MeetingDecision.county_id == county)
        if meeting_id is not None:
            stmt = stmt.where(models.MeetingDecision.meeting_id == decode_id(meeting_id, "Meeting", "meetingId"))
        if state is not None:
            stmt = stmt.where(models.MeetingDecision.state == state)
        rows = list((await (await ctx.session()).execute(
            stmt.order_by(models.MeetingDecision.adopted_at.desc(), models.MeetingDecision.id.desc()))).scalars())
        ctx.loaders.prime(models.MeetingDecision, rows)
        return [MeetingDecision.from_row(r) for r in rows]


def _move(to: DecisionState, description: str):
    async def resolve(self, info: Info, input: Annotated[DecisionInput, arg("The decision.")],
                      ) -> MeetingDecisionResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            decision = await _decision(session, ctx, input.decision_id)
            return MeetingDecisionPayload(decision=MeetingDecision.from_row(
                await meetings_decisions.move(session, decision=decision, to=to, actor=ctx.actor)))

        return await _mutate(ctx, change)

    return strawberry.mutation(resolver=resolve, description=description)


@strawberry.type
class MeetingDecisionMutations:
    @strawberry.mutation(description="Record the decision on a decided item: outcome, text, reasons, who carries it "
                                      "out by when and how it is supervised (三重一大 二(五); 002 细则 §12). The office "
                                      "or the meeting's chair records it.")
    async def adopt_decision(self, info: Info, input: Annotated[AdoptDecisionInput, arg("The decision.")],
                             ) -> MeetingDecisionResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            item = await find(session, ctx, models.AgendaItem, input.item_id, "itemId")
            meeting = await session.get(models.Meeting, item.meeting_id) if item.meeting_id is not None else None
            await meetings_access.require(session, access=ctx.access, principal=ctx.require_principal(),
                                          county_id=item.county_id, action=MeetingAction.RECORD_DECISION,
                                          field="itemId", meeting=meeting)
            fields = meetings_decisions.DecisionFields(
                outcome=input.outcome, text=input.text, reasons=input.reasons,
                responsible_department_ids=await find_ids(session, ctx, models.Department,
                                                          input.responsible_department_ids,
                                                          "responsibleDepartmentIds", county_id=item.county_id),
                responsible_person_id=await find_optional(session, ctx, models.Official, input.responsible_person_id,
                                                          "responsiblePersonId", county_id=item.county_id),
                deadline_on=input.deadline_on, deadline_working_days=input.deadline_working_days,
                supervision=input.supervision, publishable=input.publishable,
                report_to_party_committee=input.report_to_party_committee)
            decision = await meetings_decisions.adopt(session, item=item, fields=fields, actor=ctx.actor)
            return MeetingDecisionPayload(decision=MeetingDecision.from_row(decision))

        return await _mutate(ctx, change)

    start_decision_execution = _move(DecisionState.IN_EXECUTION, "Start carrying the decision out.")
    complete_decision = _move(DecisionState.DONE, "Record the decision carried out.")

    @strawberry.mutation(description="Suspend the decision's execution, saying why (三重一大 二(八)); it then "
                                      "authorises no document.")
    async def suspend_decision(self, info: Info, input: Annotated[DecisionReasonInput, arg("The suspension.")],
                               ) -> MeetingDecisionResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            decision = await _decision(session, ctx, input.decision_id)
            return MeetingDecisionPayload(decision=MeetingDecision.from_row(await meetings_decisions.move(
                session, decision=decision, to=DecisionState.SUSPENDED, actor=ctx.actor, reason=input.reason)))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Put a major change of the decision before its body (三重一大 二(七); 002 细则 "
                                      "§11): an item on the body's next meeting; the decision is CHANGE_PENDING, "
                                      "authorising nothing new, until the body decides that item.")
    async def propose_decision_change(self, info: Info, input: Annotated[DecisionReasonInput, arg("The change.")],
                                      ) -> MeetingDecisionResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            decision = await _decision(session, ctx, input.decision_id)
            return MeetingDecisionPayload(decision=MeetingDecision.from_row(await meetings_decisions.propose_change(
                session, decision=decision, reason=input.reason, actor=ctx.actor)))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Link your draft (or returned document) to the passed decision it executes; "
                                      "its MEETING_DECIDED flag follows from the link.")
    async def link_document_to_decision(self, info: Info, input: Annotated[
            LinkDocumentToDecisionInput, arg("The document and the decision.")]) -> DocumentResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            me = _official_id(ctx)
            document = await _document(session, ctx, input.document_id)
            decision = await find(session, ctx, models.MeetingDecision, input.decision_id, "decisionId",
                                  county_id=document.county_id)
            await meetings_decisions.link_document(session, document_id=document.id, decision_id=decision.id,
                                                   official_id=me, actor=ctx.actor)
            return await _after_change(session, document.id)

        return await _mutate(ctx, change)
