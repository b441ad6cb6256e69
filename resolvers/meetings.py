"""Meetings through GraphQL: thin over services.meetings; ids found through resolvers.lookup.find."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from sqlalchemy import Select, exists, select
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay
from strawberry.types import Info

from db import models
from domain.errors import DomainError, ErrorCode, TopLevelCode, words
from domain.meetings import MeetingState, VoteRoute
from domain.roster import LOCAL_TZ, local_date
from resolvers.context import Context, decode_id, public_error
from resolvers.lookup import find, find_optional
from resolvers.mutations import _mutate, _writable_county
from resolvers.pagination import After, Before, Last, PageSize, paginate
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
    MeetingFilter,
    MeetingInput,
    MeetingOrder,
    MeetingPayload,
    MeetingResult,
    RecordAttendanceInput,
    ScheduleMeetingInput,
    SendMeetingNoticeInput,
    UpdateMeetingBodyInput,
    WrittenOpinionInput,
)
from schema.lists import OrderDirection
from schema.types import Connection, CountyArg
from services import meetings, meetings_access
from services.meetings_access import MeetingAction


async def may(session: AsyncSession, ctx: Context, meeting: models.Meeting, action: MeetingAction,
              field: str) -> None:
    """The access policy's meeting rows: the office runs meetings, the chair the sitting, members vote."""
    await meetings_access.require(session, access=ctx.access, principal=ctx.require_principal(),
                                  county_id=meeting.county_id, action=action, field=field, meeting=meeting)


async def _meeting(session: AsyncSession, ctx: Context, global_id: relay.GlobalID,
                   action: MeetingAction) -> models.Meeting:
    meeting = await find(session, ctx, models.Meeting, global_id, "meetingId")
    await may(session, ctx, meeting, action, "meetingId")
    return meeting


async def _item(session: AsyncSession, ctx: Context, global_id: relay.GlobalID,
                action: MeetingAction) -> models.AgendaItem:
    item = await find(session, ctx, models.AgendaItem, global_id, "itemId")
    if item.meeting_id is None:
        raise DomainError(ErrorCode.NOT_ON_NOTICE, f"“{item.title}” is {words(item.state)} and on no meeting yet: the "
                          "office schedules it and a notice lists it first (002 细则 §6(三)).", field="itemId")
    await may(session, ctx, await session.get(models.Meeting, item.meeting_id), action, "itemId")
    return item


def arg(description: str):
    """A described GraphQL argument (every public element has a description)."""
    return strawberry.argument(description=description)


@strawberry.type
class MeetingQueries:
    @strawberry.field(description="The county's meeting bodies.")
    async def meeting_bodies(self, info: Info, county_id: CountyArg = None) -> list[MeetingBody]:
        ctx: Context = info.context
        county = ctx.readable_county(decode_id(county_id, "County", "countyId") if county_id else None)
        return [MeetingBody.from_row(b) for b in await meetings.bodies_of(await ctx.session(), county_id=county)]

    @strawberry.field(description="The county's meetings, latest first unless orderBy says otherwise.")
    async def meetings(self, info: Info, county_id: CountyArg = None,
                       filter: Annotated[MeetingFilter | None, arg("Which meetings; all when omitted.")] = None,
                       order_by: Annotated[MeetingOrder | None, arg(
                           "The order; latest first (SCHEDULED_AT, DESC) when omitted.")] = None,
                       first: PageSize = None, after: After = None, last: Last = None,
                       before: Before = None) -> Connection[Meeting]:
        ctx: Context = info.context
        county = ctx.readable_county(_query_id(county_id, "County") if county_id else None)
        stmt = _filtered(select(models.Meeting).where(models.Meeting.county_id == county), filter or MeetingFilter())
        order_by = order_by or MeetingOrder()
        return await paginate(await ctx.session(), stmt, order=[models.Meeting.scheduled_at, models.Meeting.id],
                              descending=order_by.direction == OrderDirection.DESC, first=first, after=after,
                              last=last, before=before, to_node=Meeting.from_row)

    @strawberry.field(description="Your meetings from today on, soonest first: those you are a member of or attend "
                                  "(列席, as a substitute or an AB partner), cancelled ones left out. Each meeting's "
                                  "myAttendance is your own row.")
    async def my_meetings(self, info: Info, first: PageSize = None, after: After = None, last: Last = None,
                          before: Before = None) -> Connection[Meeting]:
        ctx: Context = info.context
        county = ctx.readable_county(None)
        me = ctx.require_principal().official_id
        if me is None:
            raise public_error(TopLevelCode.FORBIDDEN, "This account is not an official's; it attends no meetings.")
        today = local_date(models.utcnow())
        stmt = select(models.Meeting).where(
            models.Meeting.county_id == county, models.Meeting.state != MeetingState.CANCELLED,
            models.Meeting.scheduled_at >= _start_of(today),
            exists().where(models.MeetingAttendance.meeting_id == models.Meeting.id,
                           models.MeetingAttendance.official_id == me))
        return await paginate(await ctx.session(), stmt, order=[models.Meeting.scheduled_at, models.Meeting.id],
                              first=first, after=after, last=last, before=before, to_node=Meeting.from_row)


def _start_of(day: dt.date) -> dt.datetime:
    """The instant the county's day begins: dates in filters are the county's (Asia/Shanghai)."""
    return dt.datetime.combine(day, dt.time(), tzinfo=LOCAL_TZ)


def _query_id(global_id: relay.GlobalID, type_name: str) -> int:
    try:
        return decode_id(global_id, type_name, "id")
    except DomainError as error:
        raise public_error(TopLevelCode.BAD_USER_INPUT, error.message) from None


def _filtered(stmt: Select, filter: MeetingFilter) -> Select:
    meeting = models.Meeting
    if filter.scheduled_from is not None:
        stmt = stmt.where(meeting.scheduled_at >= _start_of(filter.scheduled_from))
    if filter.scheduled_to is not None:
        stmt = stmt.where(meeting.scheduled_at < _start_of(filter.scheduled_to + dt.timedelta(days=1)))
    if filter.body_id is not None:
        stmt = stmt.where(meeting.body_id == _query_id(filter.body_id, "MeetingBody"))
    if filter.states is not None:
        stmt = stmt.where(meeting.state.in_(filter.states))
    return stmt


def _meeting_mutation(to: MeetingState, action: MeetingAction, description: str):
    async def resolve(self, info: Info, input: Annotated[MeetingInput, arg("The meeting.")]) -> MeetingResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            meeting = await _meeting(session, ctx, input.meeting_id, action)
            return MeetingPayload(meeting=Meeting.from_row(
                await meetings.move(session, meeting=meeting, to=to, actor=ctx.actor)))

        return await _mutate(ctx, change)

    return strawberry.mutation(resolver=resolve, description=description)


def _item_mutation(step, action: MeetingAction, description: str):
    async def resolve(self, info: Info, input: Annotated[AgendaItemInput, arg("The item.")]) -> AgendaItemResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            item = await _item(session, ctx, input.item_id, action)
            return AgendaItemPayload(item=AgendaItem.from_row(await step(session, item=item, actor=ctx.actor)))

        return await _mutate(ctx, change)

    return strawberry.mutation(resolver=resolve, description=description)


@strawberry.type
class MeetingMutations:
    @strawberry.mutation(description="Add a meeting body to your county, e.g. a party group following 002.")
    async def add_meeting_body(self, info: Info, input: Annotated[AddMeetingBodyInput, arg("The body.")],
                               ) -> MeetingBodyResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            county_id = await _writable_county(session, ctx, input.county_id, "meeting_bodies")
            body = await meetings.add_body(session, county_id=county_id, spec=input.body.spec(), actor=ctx.actor)
            return MeetingBodyPayload(meeting_body=MeetingBody.from_row(body))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Change a meeting body's rules; meetings already held keep their records.")
    async def update_meeting_body(self, info: Info, input: Annotated[UpdateMeetingBodyInput, arg("The change.")],
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
    async def schedule_meeting(self, info: Info, input: Annotated[ScheduleMeetingInput, arg("The meeting.")],
                               ) -> MeetingResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            body = await find(session, ctx, models.MeetingBody, input.body_id, "bodyId")
            await meetings_access.require(session, access=ctx.access, principal=ctx.require_principal(),
                                          county_id=body.county_id, action=MeetingAction.SCHEDULE, field="bodyId")
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
    async def send_meeting_notice(self, info: Info, input: Annotated[SendMeetingNoticeInput, arg("The notice.")],
                                  ) -> MeetingResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            meeting = await _meeting(session, ctx, input.meeting_id, MeetingAction.SEND_NOTICE)
            return MeetingPayload(meeting=Meeting.from_row(await meetings.move(
                session, meeting=meeting, to=MeetingState.NOTICE_SENT, actor=ctx.actor,
                notice_sent_at=input.sent_at)))

        return await _mutate(ctx, change)

    open_meeting = _meeting_mutation(MeetingState.IN_SESSION, MeetingAction.OPEN_MEETING,
                                     "Open the meeting (after its notice); the chair's.")
    close_meeting = _meeting_mutation(MeetingState.CLOSED, MeetingAction.CLOSE_MEETING,
                                      "Close the meeting; no item may still be open. The chair's.")
    cancel_meeting = _meeting_mutation(MeetingState.CANCELLED, MeetingAction.CANCEL_MEETING,
                                       "Call the meeting off before it opens; its number stays taken. The "
                                       "office's; everyone at the meeting hears of it.")

    @strawberry.mutation(description="Record a member present, on leave or absent; or a substitute, AB partner or "
                                     "列席 attendee.")
    async def record_attendance(self, info: Info, input: Annotated[RecordAttendanceInput, arg("The attendance.")],
                                ) -> MeetingResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            meeting = await _meeting(session, ctx, input.meeting_id, MeetingAction.RECORD_ATTENDANCE)
            official = await find(session, ctx, models.Official, input.official_id, "officialId",
                                  county_id=meeting.county_id)
            for_official = await find_optional(session, ctx, models.Official, input.for_official_id, "forOfficialId",
                                               county_id=meeting.county_id)
            granted_by = await find_optional(session, ctx, models.Official, input.leave_granted_by_id,
                                             "leaveGrantedById", county_id=meeting.county_id)
            await meetings.record_attendance(session, meeting=meeting, official_id=official.id, status=input.status,
                                             kind=input.kind, for_official_id=for_official, actor=ctx.actor,
                                             leave_granted_by_id=granted_by)
            return MeetingPayload(meeting=Meeting.from_row(meeting))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="List an item for a meeting.")
    async def add_agenda_item(self, info: Info, input: Annotated[AddAgendaItemInput, arg("The item.")],
                              ) -> AgendaItemResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            meeting = await _meeting(session, ctx, input.meeting_id, MeetingAction.ADD_ITEM)
            in_charge = await find_optional(session, ctx, models.Official, input.member_in_charge_id,
                                            "memberInChargeId", county_id=meeting.county_id)
            item = await meetings.add_item(session, meeting=meeting, title=input.title,
                                           is_personnel=input.is_personnel, member_in_charge_id=in_charge,
                                           actor=ctx.actor)
            return AgendaItemPayload(item=AgendaItem.from_row(item))

        return await _mutate(ctx, change)

    open_agenda_item = _item_mutation(meetings.open_item, MeetingAction.OPEN_ITEM,
                                      "Take an item up; the quorum is checked (002 细则 §5). The chair's.")
    put_to_vote = _item_mutation(meetings.start_vote, MeetingAction.PUT_TO_VOTE,
                                 "Put an item to a named vote; the quorum is checked again. The chair's.")
    close_vote = _item_mutation(meetings.close_vote, MeetingAction.CLOSE_VOTE,
                                "Declare the computed result: passed when FOR is more than half of the members who "
                                "should attend (002 细则 §6(六)). The chair's.")
    defer_agenda_item = _item_mutation(meetings.defer, MeetingAction.DEFER_ITEM,
                                       "Hold a close vote over to the body's next meeting (002 细则 §6(五)). The "
                                       "chair's.")

    @strawberry.mutation(description="Record the chair's conclusion on an item of a chair-decides body.")
    async def record_conclusion(self, info: Info, input: Annotated[ConclusionInput, arg("The conclusion.")],
                                ) -> AgendaItemResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            item = await _item(session, ctx, input.item_id, MeetingAction.RECORD_CONCLUSION)
            return AgendaItemPayload(item=AgendaItem.from_row(await meetings.record_conclusion(
                session, item=item, conclusion=input.conclusion, actor=ctx.actor)))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Vote on an item put to the vote: yourself, or a member as the office records "
                                     "it.")
    async def cast_vote(self, info: Info, input: Annotated[CastVoteInput, arg("The vote.")]) -> AgendaItemResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            item = await find(session, ctx, models.AgendaItem, input.item_id, "itemId")
            meeting = await session.get(models.Meeting, item.meeting_id)
            me = ctx.require_principal().official_id
            if input.member_id is None:
                if me is None:
                    raise DomainError(ErrorCode.NOT_A_MEMBER, "This account is no official: name the member "
                                      "voting.", field="memberId")
                voter = me
            else:
                voter = (await find(session, ctx, models.Official, input.member_id, "memberId",
                                    county_id=item.county_id)).id
            on_behalf = voter != me
            await may(session, ctx, meeting, MeetingAction.RECORD_VOTE if on_behalf else MeetingAction.CAST_VOTE,
                      "memberId" if on_behalf else "itemId")
            await meetings.cast_vote(session, item=item, official_id=voter, choice=input.choice, actor=ctx.actor,
                                     route=VoteRoute.SHOW_OF_HANDS if on_behalf else VoteRoute.IN_PERSON,
                                     recorded_by_id=me if on_behalf else None)
            return AgendaItemPayload(item=AgendaItem.from_row(item))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Record an absent member's written opinion on an item (002 细则 §6(四)).")
    async def record_written_opinion(self, info: Info, input: Annotated[WrittenOpinionInput, arg("The opinion.")],
                                     ) -> AgendaItemResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            item = await find(session, ctx, models.AgendaItem, input.item_id, "itemId")
            member = await find(session, ctx, models.Official, input.member_id, "memberId", county_id=item.county_id)
            own = member.id == ctx.require_principal().official_id
            await may(session, ctx, await session.get(models.Meeting, item.meeting_id),
                      MeetingAction.GIVE_WRITTEN_OPINION if own else MeetingAction.RECORD_WRITTEN_OPINION,
                      "itemId" if own else "memberId")
            await meetings.record_written_opinion(session, item=item, official_id=member.id, stance=input.stance,
                                                  text=input.text, actor=ctx.actor)
            return AgendaItemPayload(item=AgendaItem.from_row(item))

        return await _mutate(ctx, change)
