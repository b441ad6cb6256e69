"""The relation register, recusals, minutes and emergency decisions through GraphQL: thin over the services.

The register is sensitive (002 人事 §18): only the account that manages the roster and the discipline
inspector see it; to anyone else a relation answers like a missing one and the list is empty.
"""

from __future__ import annotations

from typing import Annotated

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay
from strawberry.types import Info

from db import models
from domain.errors import DomainError, ErrorCode
from domain.meetings_recusal import PersonConcerned, RecusalReason
from domain.roster import local_date
from resolvers.context import Context, decode_id
from resolvers.documents import DocumentResult
from resolvers.lookup import find, find_optional
from resolvers.meetings import arg
from resolvers.mutations import _mutate
from schema import documents as document_types
from schema.meetings import AgendaItem, AgendaItemPayload, AgendaItemResult
from schema.meetings_records import (
    AddOfficialRelationInput,
    DraftMinutesInput,
    EmergencyDecision,
    EmergencyDecisionPayload,
    EmergencyDecisionResult,
    EmergencyStateEnum,
    OfficialRelation,
    OfficialRelationPayload,
    OfficialRelationResult,
    RecordEmergencyDecisionInput,
    RecuseInput,
    RemoveOfficialRelationInput,
    RemoveOfficialRelationPayload,
    RemoveOfficialRelationResult,
    SetPersonsConcernedInput,
)
from schema.types import CountyArg
from services import meetings_access, meetings_emergency, meetings_minutes, meetings_recusal
from services.meetings_access import MeetingAction


def _today():
    return local_date(models.utcnow())


async def may_see_register(ctx: Context, county_id: int) -> bool:
    """For reads: see ``_keeps_register``."""
    return ctx.principal is not None and await _keeps_register(await ctx.session(), ctx, county_id)


async def _keeps_register(session: AsyncSession, ctx: Context, county_id: int) -> bool:
    """The roster's administrator, or the county's discipline inspector (纪检/监察)."""
    principal = ctx.require_principal()
    if ctx.allows(county_id, "roster", "write"):
        return True
    return principal.county_id == county_id and await meetings_recusal.is_inspector(
        session, county_id=county_id, official_id=principal.official_id, day=_today())


async def _permission(session: AsyncSession, ctx: Context, action: MeetingAction, county_id: int,
                      meeting_id: int | None) -> meetings_access.Permission:
    """The access policy's meeting rows (services.meetings_access), as the other meeting mutations ask them."""
    meeting = await session.get(models.Meeting, meeting_id) if meeting_id is not None else None
    return await meetings_access.permission(session, access=ctx.access, principal=ctx.require_principal(),
                                            county_id=county_id, action=action, meeting=meeting)


async def _require(session: AsyncSession, ctx: Context, action: MeetingAction, county_id: int,
                   meeting_id: int | None, field: str) -> None:
    meeting = await session.get(models.Meeting, meeting_id) if meeting_id is not None else None
    await meetings_access.require(session, access=ctx.access, principal=ctx.require_principal(),
                                  county_id=county_id, action=action, field=field, meeting=meeting)


async def _relation(session: AsyncSession, ctx: Context, global_id: relay.GlobalID) -> models.OfficialRelation:
    relation = await session.get(models.OfficialRelation, decode_id(global_id, "OfficialRelation", "id"))
    if relation is None or not await _keeps_register(session, ctx, relation.county_id):
        raise DomainError(ErrorCode.NOT_FOUND, "No such relation.", field="id")
    return relation


@strawberry.type
class MeetingRecordQueries:
    @strawberry.field(description="The relation register (002 人事 §18), of one official when officialId is given. "
                                  "Only the roster's administrator and the discipline inspector see it; anyone else "
                                  "gets an empty list.")
    async def official_relations(self, info: Info, county_id: CountyArg = None,
                                 official_id: Annotated[relay.GlobalID | None,
                                                        arg("Only this official's relations, either side.")] = None,
                                 ) -> list[OfficialRelation]:
        ctx: Context = info.context
        county = ctx.readable_county(decode_id(county_id, "County", "countyId") if county_id else None)
        if not await may_see_register(ctx, county):
            return []
        official = decode_id(official_id, "Official", "officialId") if official_id else None
        rows = await meetings_recusal.relations_of(await ctx.session(), county_id=county, official_id=official)
        return [OfficialRelation.from_row(r) for r in rows]

    @strawberry.field(description="The county's emergency decisions (临机处置), latest first; of one body or in one "
                                  "state when given.")
    async def emergency_decisions(self, info: Info, county_id: CountyArg = None,
                                  body_id: Annotated[relay.GlobalID | None, arg("Only this body's.")] = None,
                                  state: Annotated[EmergencyStateEnum | None, arg("Only in this state.")] = None,
                                  ) -> list[EmergencyDecision]:
        ctx: Context = info.context
        county = ctx.readable_county(decode_id(county_id, "County", "countyId") if county_id else None)
        body = decode_id(body_id, "MeetingBody", "bodyId") if body_id else None
        rows = await meetings_emergency.decisions_of(await ctx.session(), county_id=county, body_id=body, state=state)
        return [EmergencyDecision.from_row(r) for r in rows]


@strawberry.type
class MeetingRecordMutations:
    @strawberry.mutation(description="Record an official's relative in the register (002 人事 §18): the roster's "
                                     "administrator or the discipline inspector.")
    async def add_official_relation(self, info: Info, input: Annotated[AddOfficialRelationInput, arg("The relation.")],
                                    ) -> OfficialRelationResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            official = await find(session, ctx, models.Official, input.official_id, "officialId")
            if not await _keeps_register(session, ctx, official.county_id):
                raise DomainError(ErrorCode.FORBIDDEN, "Only the roster's administrator and the discipline inspector "
                                  "keep the relation register.", field="officialId")
            relative = await find_optional(session, ctx, models.Official, input.relative_id, "relativeId",
                                           county_id=official.county_id)
            relation = await meetings_recusal.add_relation(
                session, county_id=official.county_id, official_id=official.id, kind=input.kind, relative_id=relative,
                relative_name=input.relative_name, note=input.note, actor=ctx.actor)
            return OfficialRelationPayload(relation=OfficialRelation.from_row(relation))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Take a relation off the register; recusals already made keep their record.")
    async def remove_official_relation(self, info: Info, input: Annotated[RemoveOfficialRelationInput,
                                                                          arg("The relation.")],
                                       ) -> RemoveOfficialRelationResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            relation = await _relation(session, ctx, input.id)
            await meetings_recusal.remove_relation(session, relation=relation, actor=ctx.actor)
            return RemoveOfficialRelationPayload(removed_id=input.id)

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Recuse from an item (002 人事 §23): a member declares it for themselves; the "
                                     "office or the discipline inspector raises it for a member, saying why.")
    async def recuse_from_item(self, info: Info, input: Annotated[RecuseInput, arg("The recusal.")],
                               ) -> AgendaItemResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            item = await find(session, ctx, models.AgendaItem, input.item_id, "itemId")
            me = ctx.require_principal().official_id
            member = (await find(session, ctx, models.Official, input.member_id, "memberId", county_id=item.county_id)
                      ).id if input.member_id is not None else me
            if member is None:
                raise DomainError(ErrorCode.NOT_A_MEMBER, "This account is no official: name the member to recuse.",
                                  field="memberId")
            if member == me:
                reason = RecusalReason.DECLARED
            elif (await _permission(session, ctx, MeetingAction.RAISE_RECUSAL, item.county_id, item.meeting_id)
                  ).allowed:
                reason = RecusalReason.RAISED_BY_OFFICE
            elif await meetings_recusal.is_inspector(session, county_id=item.county_id, official_id=me, day=_today()):
                reason = RecusalReason.RAISED_BY_INSPECTOR
            else:
                raise DomainError(ErrorCode.FORBIDDEN, "A member declares their own recusal; the office or the "
                                  "discipline inspector raises one for a member (002 人事 §23).", field="memberId")
            await meetings_recusal.recuse(session, item=item, official_id=member, reason=reason, note=input.note,
                                          actor=ctx.actor)
            return AgendaItemPayload(item=AgendaItem.from_row(item))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Say whom a personnel item is about; members concerned or related to one in the "
                                     "register are recused when it is taken up, or at once if it is open (002 人事 "
                                     "§23). The office.")
    async def set_persons_concerned(self, info: Info, input: Annotated[SetPersonsConcernedInput,
                                                                       arg("The persons.")]) -> AgendaItemResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            item = await find(session, ctx, models.AgendaItem, input.item_id, "itemId")
            await _require(session, ctx, MeetingAction.LIST_PERSONS_CONCERNED, item.county_id, item.meeting_id,
                           "itemId")
            persons = []
            for person in input.persons:
                official = await find_optional(session, ctx, models.Official, person.official_id, "officialId",
                                               county_id=item.county_id)
                persons.append(PersonConcerned(name=person.name, official_id=official))
            item = await meetings_recusal.set_persons_concerned(session, item=item, persons=persons, actor=ctx.actor)
            return AgendaItemPayload(item=AgendaItem.from_row(item))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Draft the minutes of a closed meeting (002 细则 §6(七); 001 §22; 003 §46): a "
                                     "minutes document, its text generated from the record, routed by the county's "
                                     "signing table; numbered in the body's yearly series when signed.")
    async def draft_minutes(self, info: Info, input: Annotated[DraftMinutesInput, arg("The meeting.")],
                            ) -> DocumentResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            meeting = await find(session, ctx, models.Meeting, input.meeting_id, "meetingId")
            await _require(session, ctx, MeetingAction.DRAFT_MINUTES, meeting.county_id, meeting.id, "meetingId")
            drafter = await find_optional(session, ctx, models.Official, input.drafter_id, "drafterId",
                                          county_id=meeting.county_id) or ctx.require_principal().official_id
            if drafter is None:
                raise DomainError(ErrorCode.INVALID, "This account is no official: name the office's official who "
                                  "drafts the minutes.", field="drafterId")
            document = await meetings_minutes.draft_minutes(session, meeting=meeting, drafted_by_id=drafter,
                                                            actor=ctx.actor)
            return document_types.DocumentPayload(document=document_types.Document.from_row(document))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Record an emergency decision (临机处置, 000 §7; 002 细则 §17) by a member of the "
                                     "body: its report goes on the body's next meeting.")
    async def record_emergency_decision(self, info: Info, input: Annotated[RecordEmergencyDecisionInput,
                                                                           arg("The decision.")],
                                        ) -> EmergencyDecisionResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            body = await find(session, ctx, models.MeetingBody, input.body_id, "bodyId")
            me = ctx.require_principal().official_id
            decider = await find_optional(session, ctx, models.Official, input.decided_by_id, "decidedById",
                                          county_id=body.county_id) or me
            if decider is None:
                raise DomainError(ErrorCode.INVALID, "This account is no official: name who decided.",
                                  field="decidedById")
            if decider != me and not await meetings_access.holds_office_desk(
                    session, access=ctx.access, principal=ctx.require_principal(), county_id=body.county_id):
                raise DomainError(ErrorCode.FORBIDDEN, "A member records their own emergency decision; the office "
                                  "records one for them.", field="decidedById")
            decision = await meetings_emergency.record_decision(
                session, body=body, decided_by_id=decider, decided_at=input.decided_at, matter=input.matter,
                reasons=input.reasons, actor=ctx.actor)
            return EmergencyDecisionPayload(emergency_decision=EmergencyDecision.from_row(decision))

        return await _mutate(ctx, change)
