"""Meetings through GraphQL: thin over services.meetings; ids found through resolvers.lookup.find."""

from __future__ import annotations

from typing import Annotated

import strawberry
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay
from strawberry.types import Info

from db import models
from domain.errors import DomainError, ErrorCode
from domain.meetings import MeetingState
from resolvers.context import Context, decode_id
from resolvers.lookup import find, find_optional
from resolvers.mutations import _mutate, _writable_county
from schema.meetings import (
    AddAgendaItemInput,
    AddMeetingBodyInput,
    AgendaItem,
    AgendaItemInput,
    AgendaItemPayload,
    AgendaItemResult,
    CastVoteInput,
    ConclusionInput,
    Meeting,
    MeetingBody,
    MeetingBodyPayload,
    MeetingBodyResult,
    MeetingInput,
    MeetingPayload,
    MeetingResult,
    RecordAttendanceInput,
    ScheduleMeetingInput,
    SendMeetingNoticeInput,
    UpdateMeetingBodyInput,
    WrittenOpinionInput,
)
from schema.types import CountyArg
from services import meetings


def _may_run(ctx: Context, meeting: models.Meeting, field: str) -> None:
    """The office (an administrator for now) runs every meeting; a meeting's chair runs their own."""
    principal = ctx.require_principal()
    if principal.official_id is not None and principal.official_id == meeting.chair_id:
        return
    ctx.require(meeting.county_id, "meetings", "manage", field=field)


async def _meeting(session: AsyncSession, ctx: Context, global_id: relay.GlobalID) -> models.Meeting:
    meeting = await find(session, ctx, models.Meeting, global_id, "meetingId")
    _may_run(ctx, meeting, "meetingId")
    return meeting


async def _item(session: AsyncSession, ctx: Context, global_id: relay.GlobalID) -> models.AgendaItem:
    item = await find(session, ctx, models.AgendaItem, global_id, "itemId")
    _may_run(ctx, await session.get(models.Meeting, item.meeting_id), "itemId")
    return item


def _arg(description: str):
    return strawberry.argument(description=description)


@strawberry.type
class MeetingQueries:
    @strawberry.field(description="The county's meeting bodies.")
    async def meeting_bodies(self, info: Info, county_id: CountyArg = None) -> list[MeetingBody]:
        ctx: Context = info.context
        county = ctx.readable_county(decode_id(county_id, "County", "countyId") if county_id else None)
        return [MeetingBody.from_row(b) for b in await meetings.bodies_of(await ctx.session(), county_id=county)]

    @strawberry.field(description="The county's meetings, latest first; of one body when bodyId is given.")
    async def meetings(self, info: Info, county_id: CountyArg = None,
                       body_id: Annotated[relay.GlobalID | None, _arg("Only this body's meetings.")] = None,
                       ) -> list[Meeting]:
        ctx: Context = info.context
        county = ctx.readable_county(decode_id(county_id, "County", "countyId") if county_id else None)
        stmt = select(models.Meeting).where(models.Meeting.county_id == county)
        if body_id is not None:
            stmt = stmt.where(models.Meeting.body_id == decode_id(body_id, "MeetingBody", "bodyId"))
        rows = (await (await ctx.session()).execute(
            stmt.order_by(models.Meeting.scheduled_at.desc(), models.Meeting.id.desc()))).scalars()
        return [Meeting.from_row(r) for r in rows]


def _meeting_mutation(to: MeetingState, description: str):
    async def resolve(self, info: Info, input: Annotated[MeetingInput, _arg("The meeting.")]) -> MeetingResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            meeting = await _meeting(session, ctx, input.meeting_id)
            return MeetingPayload(meeting=Meeting.from_row(
                await meetings.move(session, meeting=meeting, to=to, actor=ctx.actor)))

        return await _mutate(ctx, change)

    return strawberry.mutation(resolver=resolve, description=description)


def _item_mutation(step, description: str):
    async def resolve(self, info: Info, input: Annotated[AgendaItemInput, _arg("The item.")]) -> AgendaItemResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            item = await _item(session, ctx, input.item_id)
            return AgendaItemPayload(item=AgendaItem.from_row(await step(session, item=item, actor=ctx.actor)))

        return await _mutate(ctx, change)

    return strawberry.mutation(resolver=resolve, description=description)


@strawberry.type
class MeetingMutations:
    @strawberry.mutation(description="Add a meeting body to your county, e.g. a party group following 002.")
    async def add_meeting_body(self, info: Info, input: Annotated[AddMeetingBodyInput, _arg("The body.")],
                               ) -> MeetingBodyResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            county_id = await _writable_county(session, ctx, input.county_id, "meeting_bodies")
            body = await meetings.add_body(session, county_id=county_id, spec=input.body.spec(), actor=ctx.actor)
            return MeetingBodyPayload(meeting_body=MeetingBody.from_row(body))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Change a meeting body's rules; meetings already held keep their records.")
    async def update_meeting_body(self, info: Info, input: Annotated[UpdateMeetingBodyInput, _arg("The change.")],
                                  ) -> MeetingBodyResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            body = await find(session, ctx, models.MeetingBody, input.id, "id")
            ctx.require(body.county_id, "meeting_bodies", "write", field="id")
            body = await meetings.update_body(session, body=body, spec=input.body.spec(), actor=ctx.actor)
            return MeetingBodyPayload(meeting_body=MeetingBody.from_row(body))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Schedule a meeting: numbered in its body's year, its members listed as the "
                                     "roster stands on the day.")
    async def schedule_meeting(self, info: Info, input: Annotated[ScheduleMeetingInput, _arg("The meeting.")],
                               ) -> MeetingResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            body = await find(session, ctx, models.MeetingBody, input.body_id, "bodyId")
            ctx.require(body.county_id, "meetings", "manage", field="bodyId")
            chair = await find(session, ctx, models.Official, input.chair_id, "chairId", county_id=body.county_id)
            meeting = await meetings.schedule(
                session, body=body, scheduled_at=input.scheduled_at, place=input.place, chair_id=chair.id,
                entrusted_by_id=await find_optional(session, ctx, models.Official, input.entrusted_by_id,
                                                    "entrustedById", county_id=body.county_id),
                ad_hoc_approved_by_id=await find_optional(session, ctx, models.Official, input.ad_hoc_approved_by_id,
                                                          "adHocApprovedById", county_id=body.county_id),
                actor=ctx.actor)
            return MeetingPayload(meeting=Meeting.from_row(meeting))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Record that the notice went to the members: at least the body's notice lead "
                                     "time in working days before the meeting (002 细则 §6(三)), or NOTICE_TOO_LATE.")
    async def send_meeting_notice(self, info: Info, input: Annotated[SendMeetingNoticeInput, _arg("The notice.")],
                                  ) -> MeetingResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            meeting = await _meeting(session, ctx, input.meeting_id)
            return MeetingPayload(meeting=Meeting.from_row(await meetings.move(
                session, meeting=meeting, to=MeetingState.NOTICE_SENT, actor=ctx.actor,
                notice_sent_at=input.sent_at)))

        return await _mutate(ctx, change)

    open_meeting = _meeting_mutation(MeetingState.IN_SESSION, "Open the meeting (after its notice).")
    close_meeting = _meeting_mutation(MeetingState.CLOSED, "Close the meeting; no item may still be open.")
    cancel_meeting = _meeting_mutation(MeetingState.CANCELLED, "Call the meeting off before it opens; its number "
                                                               "stays taken.")

    @strawberry.mutation(description="Record a member present, on leave or absent; or a substitute, AB partner or "
                                     "列席 attendee.")
    async def record_attendance(self, info: Info, input: Annotated[RecordAttendanceInput, _arg("The attendance.")],
                                ) -> MeetingResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            meeting = await _meeting(session, ctx, input.meeting_id)
            official = await find(session, ctx, models.Official, input.official_id, "officialId",
                                  county_id=meeting.county_id)
            for_official = await find_optional(session, ctx, models.Official, input.for_official_id, "forOfficialId",
                                               county_id=meeting.county_id)
            await meetings.record_attendance(session, meeting=meeting, official_id=official.id, status=input.status,
                                             kind=input.kind, for_official_id=for_official, actor=ctx.actor)
            return MeetingPayload(meeting=Meeting.from_row(meeting))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="List an item for a meeting.")
    async def add_agenda_item(self, info: Info, input: Annotated[AddAgendaItemInput, _arg("The item.")],
                              ) -> AgendaItemResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            meeting = await _meeting(session, ctx, input.meeting_id)
            in_charge = await find_optional(session, ctx, models.Official, input.member_in_charge_id,
                                            "memberInChargeId", county_id=meeting.county_id)
            item = await meetings.add_item(session, meeting=meeting, title=input.title,
                                           is_personnel=input.is_personnel, member_in_charge_id=in_charge,
                                           actor=ctx.actor)
            return AgendaItemPayload(item=AgendaItem.from_row(item))

        return await _mutate(ctx, change)

    open_agenda_item = _item_mutation(meetings.open_item, "Take an item up; the quorum is checked (002 细则 §5).")
    put_to_vote = _item_mutation(meetings.start_vote, "Put an item to a named vote; the quorum is checked again.")
    close_vote = _item_mutation(meetings.close_vote, "Declare the computed result: passed when FOR is more than half "
                                                     "of the members who should attend (002 细则 §6(六)).")
    defer_agenda_item = _item_mutation(meetings.defer, "Hold a close vote over to the body's next meeting "
                                                       "(002 细则 §6(五)).")

    @strawberry.mutation(description="Record the chair's conclusion on an item of a chair-decides body.")
    async def record_conclusion(self, info: Info, input: Annotated[ConclusionInput, _arg("The conclusion.")],
                                ) -> AgendaItemResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            item = await _item(session, ctx, input.item_id)
            return AgendaItemPayload(item=AgendaItem.from_row(await meetings.record_conclusion(
                session, item=item, conclusion=input.conclusion, actor=ctx.actor)))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Vote on an item put to the vote: yourself, or a member as the office records "
                                     "it.")
    async def cast_vote(self, info: Info, input: Annotated[CastVoteInput, _arg("The vote.")]) -> AgendaItemResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            item = await find(session, ctx, models.AgendaItem, input.item_id, "itemId")
            if input.member_id is None:
                voter = ctx.require_principal().official_id
                if voter is None:
                    raise DomainError(ErrorCode.NOT_A_MEMBER, "This account is no official: name the member "
                                      "voting.", field="memberId")
            else:
                voter = (await find(session, ctx, models.Official, input.member_id, "memberId",
                                    county_id=item.county_id)).id
                ctx.require(item.county_id, "meetings", "manage", field="memberId")
            await meetings.cast_vote(session, item=item, official_id=voter, choice=input.choice, actor=ctx.actor)
            return AgendaItemPayload(item=AgendaItem.from_row(item))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Record an absent member's written opinion on an item (002 细则 §6(四)).")
    async def record_written_opinion(self, info: Info, input: Annotated[WrittenOpinionInput, _arg("The opinion.")],
                                     ) -> AgendaItemResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            item = await _item(session, ctx, input.item_id)
            member = await find(session, ctx, models.Official, input.member_id, "memberId", county_id=item.county_id)
            await meetings.record_written_opinion(session, item=item, official_id=member.id, stance=input.stance,
                                                  text=input.text, actor=ctx.actor)
            return AgendaItemPayload(item=AgendaItem.from_row(item))

        return await _mutate(ctx, change)
