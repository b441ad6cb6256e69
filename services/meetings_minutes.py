"""Minutes of a meeting: drafted by the office once it closes, routed and signed as any document, numbered at
signing in the body's yearly series, and watched by the sweeper against the body's minutes clocks.

Drafting goes through services.documents (so the county's signing table routes it: the meeting kind is the
body's, the meeting's chair is the document's). The number is taken when the signature lands, inside the
signing transaction, which already holds the county's lock (services.documents.lock_document): two minutes
signed at the same instant queue there and get consecutive numbers.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import (
    AgendaItem,
    Department,
    Document,
    Meeting,
    MeetingBody,
    MeetingVote,
    MinutesReminder,
    Official,
    WrittenOpinion,
    utcnow,
)
from domain.calendar import CalendarUnknown
from domain.documents import Direction, DocumentState, Flag, Genre, Issuer, Meeting as DocumentMeeting
from domain.errors import DomainError, ErrorCode, words
from domain.meetings import AttendanceStatus, AttendeeKind, ItemState, MeetingState, MemberRole, Outcome, VoteChoice
from domain.meetings import meeting_title
from domain.meetings_minutes import ItemRecord, MeetingRecord, minutes_text, minutes_number
from domain.meetings_recusal import RecusalReason, item_base
from domain.roster import LOCAL_TZ, DepartmentKind, local_date
# Module imports: services.documents calls back into this module when minutes are signed.
from services import audit, documents, meetings, meetings_recusal, tenancy
from services.calendar import calendar_for

SWEEPER = audit.Actor(account_id=None, request_id="sweeper")

_CHOICE = {VoteChoice.FOR: "赞成", VoteChoice.AGAINST: "反对", VoteChoice.ABSTAIN: "弃权"}
_OUTCOME = {Outcome.PASSED: "通过", Outcome.NOT_PASSED: "未通过", Outcome.CHAIR_CONCLUDED: "按主持人结论决定"}
_ITEM_STATE = {ItemState.OPEN: "已审议", ItemState.VOTING: "表决中", ItemState.DECIDED: "已决定",
               ItemState.DEFERRED: "暂缓表决，提交下次会议"}
_REASON = {RecusalReason.DECLARED: "本人申请", RecusalReason.RAISED_BY_OFFICE: "办公室提出",
           RecusalReason.RAISED_BY_INSPECTOR: "纪检监察提出", RecusalReason.AUTOMATIC: "亲属关系"}


def number_of(meeting: Meeting, body: MeetingBody) -> str | None:
    """"常务会议纪要〔2026〕12号", once the minutes are signed."""
    if meeting.minutes_seq is None:
        return None
    return minutes_number(meetings.spec_of(body).minutes_series, meeting.minutes_year, meeting.minutes_seq)


async def minutes_of(session: AsyncSession, meeting_id: int) -> Document | None:
    return await session.scalar(select(Document).where(Document.minutes_of_meeting_id == meeting_id))


# ---------------------------------------------------------------- drafting


async def draft_minutes(session: AsyncSession, *, meeting: Meeting, drafted_by_id: int,
                        actor: audit.Actor) -> Document:
    """The office drafts the minutes of a closed meeting (001 §22; 003 §46), its text generated from the record."""
    await tenancy.lock_county(session, meeting.county_id)
    await session.refresh(meeting)
    if meeting.state != MeetingState.CLOSED:
        raise DomainError(ErrorCode.WRONG_STATE, f"Minutes are drafted once the meeting has closed; it is "
                          f"{words(meeting.state)} (002 细则 §6(七)).", field="meetingId")
    drafted = await minutes_of(session, meeting.id)
    if drafted is not None:
        raise DomainError(ErrorCode.DUPLICATE, f"The meeting's minutes are drafted already (“{drafted.title}”): one "
                          "minutes document per meeting; a returned one is revised and submitted again.",
                          field="meetingId")
    today = local_date(utcnow())
    if drafted_by_id not in await documents.office_staff(session, meeting.county_id, today):
        raise DomainError(ErrorCode.FORBIDDEN, "The government office drafts the minutes (001 §22; 003 §46).",
                          field="drafterId")
    office = await session.scalar(select(Department.id).where(Department.county_id == meeting.county_id,
                                                              Department.kind == DepartmentKind.GOVERNMENT_OFFICE))
    body = await session.get(MeetingBody, meeting.body_id)
    try:
        kind = DocumentMeeting(body.kind.value)
    except ValueError:
        raise DomainError(ErrorCode.UNROUTABLE, f"The signing table has no minutes of a {words(body.kind)} meeting.",
                          field="meetingId") from None
    held = await meetings.roles_on(session, county_id=meeting.county_id, day=local_date(meeting.scheduled_at))
    chaired_by_vm = MemberRole.MAGISTRATE not in held.get(meeting.chair_id, set())
    title = meeting_title(meeting.year, meeting.seq, body.name)
    fields = documents.DraftFields(
        title=f"{title}纪要", issuer=Issuer.COUNTY_GOVERNMENT, genre=Genre.MINUTES, direction=Direction.DOWNWARD,
        lead_department_id=office, body=minutes_text(await _record(session, meeting, title)), meeting=kind,
        flags=[Flag.CHAIRED_BY_VM] if chaired_by_vm else [], meeting_chair_id=meeting.chair_id)
    document = await documents.create_draft(session, drafted_by_id=drafted_by_id, fields=fields, actor=actor)
    document.minutes_of_meeting_id = meeting.id
    await session.flush()
    await audit.record(session, county_id=meeting.county_id, actor=actor, action="meeting.minutes_drafted",
                       entity="meeting", entity_id=meeting.id, after={"document_id": document.id})
    return document


async def _record(session: AsyncSession, meeting: Meeting, title: str) -> MeetingRecord:
    attendance = await meetings.attendance_of(session, meeting.id)
    items = list((await session.execute(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id)
                                        .order_by(AgendaItem.id))).scalars())
    item_ids = [i.id for i in items]
    votes = list((await session.execute(select(MeetingVote).where(MeetingVote.item_id.in_(item_ids))
                                        .order_by(MeetingVote.id))).scalars())
    opinions = list((await session.execute(select(WrittenOpinion).where(WrittenOpinion.item_id.in_(item_ids))
                                           .order_by(WrittenOpinion.id))).scalars())
    recusals = {i.id: await meetings_recusal.recusals_of(session, i.id) for i in items}
    wanted = ({meeting.chair_id} | {a.official_id for a in attendance} | {v.official_id for v in votes}
              | {o.official_id for o in opinions})
    name = dict((await session.execute(select(Official.id, Official.name).where(Official.id.in_(wanted)))).all())
    members = [a for a in attendance if a.kind == AttendeeKind.MEMBER]

    def status(wanted_status: AttendanceStatus) -> list[str]:
        return [name[a.official_id] for a in members if a.status == wanted_status]

    body = await session.get(MeetingBody, meeting.body_id)
    rules = meetings.rules_of(body)
    records = []
    for item in items:
        recused = frozenset(r.official_id for r in recusals[item.id])
        item_votes = [v for v in votes if v.item_id == item.id]
        base = item_base((a.official_id for a in members), recused, rules)
        counted = await meetings.tally(session, item, len(base), recused)
        records.append(ItemRecord(
            title=item.title, state=_ITEM_STATE.get(item.state, "未审议"), conclusion=item.conclusion,
            outcome=_OUTCOME.get(item.outcome) if item.outcome else None,
            votes=[(name[v.official_id], _CHOICE[v.choice]) for v in item_votes],
            tally=(f"赞成{counted.for_}票，反对{counted.against}票，弃权{counted.abstain}票，应到会{counted.should_attend}人"
                   if item_votes else None),
            recusals=[f"{name.get(r.official_id, '')}（{_REASON[r.reason]}）" for r in recusals[item.id]],
            written_opinions=[f"{name[o.official_id]}（{_CHOICE[o.stance]}）：{o.text}"
                              for o in opinions if o.item_id == item.id]))
    held = (meeting.started_at or meeting.scheduled_at).astimezone(LOCAL_TZ)
    return MeetingRecord(
        title=title, held=f"{held:%Y年%m月%d日 %H:%M}", place=meeting.place, chair=name[meeting.chair_id],
        present=status(AttendanceStatus.PRESENT), on_leave=status(AttendanceStatus.ON_LEAVE),
        absent=status(AttendanceStatus.ABSENT),
        others=[f"{name[a.official_id]}（{_ATTENDEE[a.kind]}）" for a in attendance if a.kind != AttendeeKind.MEMBER],
        items=records)


_ATTENDEE = {AttendeeKind.SUBSTITUTE: "代会", AttendeeKind.AB_PARTNER: "AB角", AttendeeKind.ATTENDING: "列席"}


# ---------------------------------------------------------------- signing


async def minutes_signed(session: AsyncSession, *, document: Document, at: dt.datetime,
                         actor: audit.Actor) -> None:
    """Once minutes are signed: number them in their body's yearly series, the meeting MINUTES_SIGNED.

    Called by services.documents after every signature, inside its transaction, under the county's lock.
    """
    if document.minutes_of_meeting_id is None or document.state != DocumentState.SIGNED:
        return
    meeting = await session.get(Meeting, document.minutes_of_meeting_id)
    if meeting.minutes_seq is not None:
        return
    year = at.astimezone(LOCAL_TZ).year
    last = await session.scalar(select(func.max(Meeting.minutes_seq)).where(Meeting.body_id == meeting.body_id,
                                                                            Meeting.minutes_year == year))
    before = meeting.state
    meeting.minutes_year, meeting.minutes_seq = year, (last or 0) + 1
    meeting.state = MeetingState.MINUTES_SIGNED
    await session.flush()
    body = await session.get(MeetingBody, meeting.body_id)
    await audit.record(session, county_id=meeting.county_id, actor=actor,
                       action="meeting.minutes_signed", entity="meeting", entity_id=meeting.id,
                       before={"state": before.value},
                       after={"state": meeting.state.value, "document_id": document.id,
                              "number": number_of(meeting, body)})


# ---------------------------------------------------------------- clocks (003 §46)


def _clocks(body: MeetingBody) -> list[tuple[str, int]]:
    spec = meetings.spec_of(body)
    return [(clock, days) for clock, days in (("draft", spec.minutes_draft_days), ("sign", spec.minutes_sign_days))
            if days is not None]


async def minutes_due(session: AsyncSession, *, meeting: Meeting, body: MeetingBody) -> dict[str, dt.datetime]:
    """When the minutes are due, by clock ("draft": submitted for review, "sign": signed), counted in working
    days from the meeting's end; a clock whose count runs into an unentered year has no due time yet."""
    if meeting.ended_at is None:
        return {}
    calendar = await calendar_for(session, county_id=meeting.county_id)
    due = {}
    for clock, days in _clocks(body):
        try:
            due[clock] = calendar.due_after(meeting.ended_at, days)
        except CalendarUnknown:
            continue
    return due


async def remind_late_minutes(session: AsyncSession, now: dt.datetime) -> int:
    """The sweeper's part: one reminder per closed meeting and lapsed minutes clock, recorded and audited."""
    rows = (await session.execute(
        select(Meeting, MeetingBody).join(MeetingBody, MeetingBody.id == Meeting.body_id)
        .where(Meeting.state == MeetingState.CLOSED, Meeting.ended_at.is_not(None),
               ~exists().where(MinutesReminder.meeting_id == Meeting.id, MinutesReminder.clock == "sign"))
        .order_by(Meeting.id))).all()
    sent = 0
    for meeting, body in rows:
        due = await minutes_due(session, meeting=meeting, body=body)
        if not due or all(at >= now for at in due.values()):
            continue
        await tenancy.lock_county(session, meeting.county_id)  # before the insert, as every writer does
        document = await minutes_of(session, meeting.id)
        done = {"draft": document is not None and document.submitted_at is not None}
        reminded = set((await session.execute(select(MinutesReminder.clock)
                                              .where(MinutesReminder.meeting_id == meeting.id))).scalars())
        for clock, due_at in due.items():
            if due_at >= now or done.get(clock) or clock in reminded:
                continue
            session.add(MinutesReminder(county_id=meeting.county_id, meeting_id=meeting.id, clock=clock,
                                        due_at=due_at, sent_at=now))
            await session.flush()
            article = meetings.spec_of(body).minutes_clock_article
            what = "送审稿未按时拟出" if clock == "draft" else "会议纪要未按时签发"
            await audit.record(session, county_id=meeting.county_id, actor=SWEEPER, action="meeting.minutes_reminded",
                               entity="meeting", entity_id=meeting.id,
                               after={"clock": clock, "due_at": due_at.isoformat(),
                                      "note": f"办公室催办：{what}（{article}）"})
            sent += 1
    return sent
