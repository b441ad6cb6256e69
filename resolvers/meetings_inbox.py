"""Meetings for the person at the desk: live meeting events, items waiting for them, and may-I-do-this-now.

explainMeetingAction asks the access policy (services.meetings_access, as the mutations do) and then runs
the service's own use case in a transaction it rolls back: the answer comes from the same checks a
mutation would meet (state, notice in time, quorum, decision mode, membership, …), never from a copy.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from sqlalchemy import select
from strawberry import relay
from strawberry.types import Info

from db import models
from domain import meetings as m
from domain.errors import DomainError, ErrorCode, TopLevelCode
from resolvers.context import Context, decode_id, public_error
from resolvers.pagination import After, Before, Last, PageSize, paginate
from schema.documents import RuleCitation
from schema.labels import labelled_enum
from schema.meetings import AgendaItem, Meeting
from schema.mutations import ErrorCodeEnum
from schema.types import Connection
from services import meetings, meetings_access, meetings_inbox, meetings_minutes
from services.events import InboxEvent as Event
from services.events import MeetingEventKind
from services.meetings_access import MeetingAction

MeetingEventKindEnum = labelled_enum(MeetingEventKind, name="MeetingEventKind",
                                     description="What happened at a meeting of yours, or to an item of yours.")
MeetingActionEnum = labelled_enum(MeetingAction, name="MeetingAction",
                                  description="Something done to a meeting or one of its items.")


@strawberry.type(description="News of a meeting you are at, or of an agenda item whose turn is yours.")
class MeetingEvent:
    kind: MeetingEventKindEnum = strawberry.field(description="What happened.")
    meeting: Meeting | None = strawberry.field(description="The meeting; null for an item not yet on one.")
    item: AgendaItem | None = strawberry.field(description="The item now waiting for you; null for a meeting's "
                                                           "news.")
    at: dt.datetime = strawberry.field(description="When it happened.")
    note: str = strawberry.field(description="A word from the office with it; else empty.")


async def meeting_event(info: Info, event: Event) -> MeetingEvent | None:
    """The event with its meeting and item read afresh; None when they are gone."""
    session = await info.context.session()
    meeting = await session.get(models.Meeting, event.meeting_id) if event.meeting_id is not None else None
    item = await session.get(models.AgendaItem, event.item_id) if event.item_id is not None else None
    if (event.meeting_id is not None and meeting is None) or (event.item_id is not None and item is None):
        return None
    return MeetingEvent(kind=event.kind, meeting=Meeting.from_row(meeting) if meeting else None,
                        item=AgendaItem.from_row(item) if item else None, at=event.at, note=event.note)


@strawberry.type(description="Members present against the body's threshold for the item (002 细则 §5).")
class QuorumStatus:
    members: int = strawberry.field(description="The meeting's members (the quorum's base).")
    present: int = strawberry.field(description="Members present who count toward quorum.")
    threshold: str = strawberry.field(description="The body's threshold for this kind of item: '>1/2', '>=2/3', "
                                                  "or '-' for none.")
    met: bool = strawberry.field(description="The threshold is met (the member in charge's presence aside).")


@strawberry.type(description="Whether you may take a meeting action now, and why not.")
class MeetingExplanation:
    allowed: bool = strawberry.field(description="You may do it now.")
    reason: str = strawberry.field(description="Why, in a sentence naming the rule and article.")
    code: ErrorCodeEnum | None = strawberry.field(description="The error the mutation would answer; null when "
                                                              "allowed.")
    rule: RuleCitation = strawberry.field(description="The access rule for the action (who may) and its article.")
    quorum: QuorumStatus | None = strawberry.field(description="For an item on a meeting: the quorum as it "
                                                               "stands.")


_EXPLAINED = "(explain)"  # the text of a dry run's conclusion or opinion: only whether it may be recorded

# The use case each action runs, as the mutation calls it (given the meeting, the item and who asks).
_RUNS = {
    MeetingAction.SEND_NOTICE: lambda s, mt, it, me, a: meetings.move(s, meeting=mt, to=m.MeetingState.NOTICE_SENT,
                                                                      actor=a),
    MeetingAction.CANCEL_MEETING: lambda s, mt, it, me, a: meetings.move(s, meeting=mt, to=m.MeetingState.CANCELLED,
                                                                         actor=a),
    MeetingAction.OPEN_MEETING: lambda s, mt, it, me, a: meetings.move(s, meeting=mt, to=m.MeetingState.IN_SESSION,
                                                                       actor=a),
    MeetingAction.CLOSE_MEETING: lambda s, mt, it, me, a: meetings.move(s, meeting=mt, to=m.MeetingState.CLOSED,
                                                                        actor=a),
    MeetingAction.OPEN_ITEM: lambda s, mt, it, me, a: meetings.open_item(s, item=it, actor=a),
    MeetingAction.PUT_TO_VOTE: lambda s, mt, it, me, a: meetings.start_vote(s, item=it, actor=a),
    MeetingAction.CLOSE_VOTE: lambda s, mt, it, me, a: meetings.close_vote(s, item=it, actor=a),
    MeetingAction.DEFER_ITEM: lambda s, mt, it, me, a: meetings.defer(s, item=it, actor=a),
    MeetingAction.RECORD_CONCLUSION: lambda s, mt, it, me, a: meetings.record_conclusion(
        s, item=it, conclusion=_EXPLAINED, actor=a),
    MeetingAction.CAST_VOTE: lambda s, mt, it, me, a: meetings.cast_vote(s, item=it, official_id=me,
                                                                         choice=m.VoteChoice.ABSTAIN, actor=a),
    MeetingAction.GIVE_WRITTEN_OPINION: lambda s, mt, it, me, a: meetings.record_written_opinion(
        s, item=it, official_id=me, stance=m.VoteChoice.ABSTAIN, text=_EXPLAINED, actor=a),
    MeetingAction.DRAFT_MINUTES: lambda s, mt, it, me, a: meetings_minutes.draft_minutes(
        s, meeting=mt, drafted_by_id=me, actor=a),
}
_ON_ITEMS = {MeetingAction.OPEN_ITEM, MeetingAction.PUT_TO_VOTE, MeetingAction.CLOSE_VOTE, MeetingAction.DEFER_ITEM,
             MeetingAction.RECORD_CONCLUSION, MeetingAction.CAST_VOTE, MeetingAction.GIVE_WRITTEN_OPINION,
             MeetingAction.RECORD_VOTE, MeetingAction.RECORD_WRITTEN_OPINION, MeetingAction.RECORD_DECISION,
             MeetingAction.LIST_PERSONS_CONCERNED, MeetingAction.RAISE_RECUSAL}


async def _dry_run(ctx: Context, action: MeetingAction, meeting_id: int | None, item_id: int | None,
                   me: int | None) -> DomainError | None:
    """The use case's refusal, if any, from a transaction rolled back whatever happens (nothing is written or
    published)."""
    async with ctx.sessions() as session:
        transaction = await session.begin()
        try:
            meeting = await session.get(models.Meeting, meeting_id) if meeting_id is not None else None
            item = await session.get(models.AgendaItem, item_id) if item_id is not None else None
            await _RUNS[action](session, meeting, item, me, ctx.actor)
        except DomainError as error:
            return error
        finally:
            await transaction.rollback()
    return None


async def _quorum(session, item: models.AgendaItem) -> QuorumStatus | None:
    if item.meeting_id is None:
        return None
    context = await meetings.item_context(session, item)
    threshold = context.rules.personnel_quorum if item.is_personnel else context.rules.quorum
    members = len(context.base)
    present = len(meetings.present_for_quorum(context.attendance, context.rules) - context.recused)
    return QuorumStatus(members=members, present=present, threshold=str(threshold) if threshold else "-",
                        met=threshold is None or threshold.met(present, members))


def _query_id(global_id: relay.GlobalID, type_name: str) -> int:
    try:
        return decode_id(global_id, type_name, "id")
    except DomainError as error:
        raise public_error(TopLevelCode.BAD_USER_INPUT, error.message) from None


def _readable(ctx: Context, row):
    if row is None or not ctx.can_read(row.county_id):
        return None
    return row


@strawberry.type
class MeetingInboxQueries:
    @strawberry.field(description="Agenda items waiting for you, longest waiting first: proposed items you are the "
                                  "VM in charge of (to coordinate), coordinated items when you are in the "
                                  "government office (to check), checked items of bodies you chair (to accept).")
    async def agenda_items_awaiting_me(self, info: Info, first: PageSize = None, after: After = None,
                                       last: Last = None, before: Before = None) -> Connection[AgendaItem]:
        ctx: Context = info.context
        county = ctx.readable_county(None)
        me = ctx.require_principal().official_id
        if me is None:
            raise public_error(TopLevelCode.FORBIDDEN, "This account is not an official's; nothing waits for it.")
        session = await ctx.session()
        stmt = select(models.AgendaItem).where(
            await meetings_inbox.awaiting(session, county_id=county, official_id=me))
        return await paginate(session, stmt, order=[models.AgendaItem.proposed_at, models.AgendaItem.id],
                              first=first, after=after, last=last, before=before, to_node=AgendaItem.from_row)

    @strawberry.field(description="May you take this action on the meeting or item now? Who may (the rule and "
                                  "article), and when you may not, why: the meeting's or item's state, the notice, "
                                  "the quorum, the decision mode, membership — the mutation's own checks, run "
                                  "without writing anything.")
    async def explain_meeting_action(
            self, info: Info,
            action: Annotated[MeetingActionEnum, strawberry.argument(description="The action to ask about.")],
            meeting_id: Annotated[relay.GlobalID | None, strawberry.argument(
                description="The meeting, for a meeting's action.")] = None,
            item_id: Annotated[relay.GlobalID | None, strawberry.argument(
                description="The item, for an item's action.")] = None) -> MeetingExplanation:
        ctx: Context = info.context
        principal = ctx.require_principal()
        session = await ctx.session()
        on_item = action in _ON_ITEMS
        if (item_id if on_item else meeting_id) is None or (meeting_id if on_item else item_id) is not None:
            wanted = "an item (itemId)" if on_item else "a meeting (meetingId)"
            raise public_error(TopLevelCode.BAD_USER_INPUT, f"Ask about {wanted} for this action, and only that.")
        item = None
        if on_item:
            item = _readable(ctx, await ctx.loaders.rows(models.AgendaItem).load(_query_id(item_id, "AgendaItem")))
            if item is None:
                raise public_error(TopLevelCode.NOT_FOUND, "No such agenda item.")
            meeting = (await ctx.loaders.rows(models.Meeting).load(item.meeting_id)
                       if item.meeting_id is not None else None)
        else:
            meeting = _readable(ctx, await ctx.loaders.rows(models.Meeting).load(_query_id(meeting_id, "Meeting")))
            if meeting is None:
                raise public_error(TopLevelCode.NOT_FOUND, "No such meeting.")
        county_id = item.county_id if item is not None else meeting.county_id
        granted = await meetings_access.permission(session, access=ctx.access, principal=principal,
                                                   county_id=county_id, action=action, meeting=meeting)
        quorum = await _quorum(session, item) if item is not None else None
        rule = RuleCitation(rule=granted.rule.rule, article=granted.rule.article)
        if not granted.allowed:
            return MeetingExplanation(allowed=False, reason=granted.reason, code=ErrorCode.FORBIDDEN, rule=rule,
                                      quorum=quorum)
        if action not in _RUNS:
            return MeetingExplanation(allowed=True, reason=granted.reason + " What you record is checked when you "
                                      "record it.", code=None, rule=rule, quorum=quorum)
        await ctx.close()  # a request holds one connection at a time (Context.transaction)
        refusal = await _dry_run(ctx, action, meeting.id if meeting else None, item.id if item else None,
                                 principal.official_id)
        if refusal is not None:
            return MeetingExplanation(allowed=False, reason=refusal.message, code=refusal.code, rule=rule,
                                      quorum=quorum)
        return MeetingExplanation(allowed=True, reason=granted.reason, code=None, rule=rule, quorum=quorum)
