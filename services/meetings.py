"""Meetings and collective decisions: bodies, meetings, attendance, items and named votes.

Every use case is one transaction that takes the county's lock first (services.tenancy.lock_county,
the order services.audit.lock_trail keeps), so meeting numbers and votes are safe under concurrency.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import (
    AbPair,
    AgendaItem,
    Department,
    Meeting,
    MeetingAttendance,
    MeetingBody,
    MeetingRecusal,
    MeetingVote,
    Official,
    Position,
    WrittenOpinion,
    utcnow,
)
from db.periods import held_on
from domain.calendar import CalendarUnknown
from domain.errors import DomainError, ErrorCode, words
from domain.meetings import (
    AttendanceStatus,
    AttendeeKind,
    BodyRules,
    DecisionMode,
    ItemState,
    MeetingState,
    MemberRole,
    Outcome,
    Tally,
    Threshold,
    VoteChoice,
    VoteRoute,
    can_move,
    latest_notice_day,
    meeting_title,
    quorum_problem,
)
from domain.meetings_agenda import ItemKind
from domain.meetings_recusal import RECUSAL_ARTICLE, item_base
from domain.roster import LOCAL_TZ, DepartmentKind, Role, RuleSet, local_date
from policies.meetings import BodySpec, InvalidBody, read_bodies, spec_from, stored_rules
# Module import (not names): tenancy imports this module to install a new county's bodies.
from services import audit, meetings_inbox, tenancy
# Module import: services.meetings_agenda imports this module.
from services import meetings_agenda
# Module imports: services.meetings_recusal and services.meetings_emergency import this module.
from services import meetings_emergency, meetings_recusal

# Department principals who sit on the plenary (各部门的主任、局长, 000 §38): the government's own
# departments, not the townships'.
_GOVERNMENT_DEPARTMENTS = frozenset(set(DepartmentKind) - {DepartmentKind.TOWNSHIP, DepartmentKind.SUBDISTRICT,
                                                           DepartmentKind.DEVELOPMENT_ZONE})


# ---------------------------------------------------------------- bodies


def spec_of(body: MeetingBody) -> BodySpec:
    return spec_from(body.kind.value, body.name, body.rules)


def rules_of(body: MeetingBody) -> BodyRules:
    spec = spec_of(body)
    return BodyRules(name=spec.name, decision_mode=spec.decision_mode, quorum=Threshold.parse(spec.quorum),
                     personnel_quorum=Threshold.parse(spec.personnel_quorum),
                     member_in_charge_must_attend=spec.member_in_charge_must_attend,
                     pass_rule=Threshold.parse(spec.pass_rule), deferral_margin=spec.deferral_margin,
                     ab_partner_counts=spec.ab_partner_counts, article=spec.article,
                     recused_leave_denominator=spec.recused_leave_denominator)


def _audited(body: MeetingBody) -> dict:
    return {"kind": body.kind.value, "name": body.name, **body.rules}


async def install_bodies(session: AsyncSession, *, county_id: int, rule_set: RuleSet) -> None:
    """Give a new county its rule set's shipped bodies."""
    session.add_all(MeetingBody(county_id=county_id, kind=spec.kind, name=spec.name, rules=stored_rules(spec))
                    for spec in read_bodies(rule_set))
    await session.flush()


async def bodies_of(session: AsyncSession, *, county_id: int) -> list[MeetingBody]:
    result = await session.execute(select(MeetingBody).where(MeetingBody.county_id == county_id)
                                   .order_by(MeetingBody.id))
    return list(result.scalars())


def _checked(spec: BodySpec) -> BodySpec:
    try:
        return spec.checked()
    except InvalidBody as error:
        raise DomainError(ErrorCode.INVALID, str(error), field=_camel(error.column)) from None


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


async def _unique_name(session: AsyncSession, county_id: int, name: str, except_id: int | None = None) -> None:
    taken = await session.scalar(select(MeetingBody.id).where(MeetingBody.county_id == county_id,
                                                              MeetingBody.name == name))
    if taken is not None and taken != except_id:
        raise DomainError(ErrorCode.DUPLICATE, f"The county already has a body named “{name}”.", field="name")


async def add_body(session: AsyncSession, *, county_id: int, spec: BodySpec, actor: audit.Actor) -> MeetingBody:
    await tenancy.lock_county(session, county_id)
    spec = _checked(spec)
    await _unique_name(session, county_id, spec.name)
    body = MeetingBody(county_id=county_id, kind=spec.kind, name=spec.name, rules=stored_rules(spec))
    session.add(body)
    await session.flush()
    await audit.record(session, county_id=county_id, actor=actor, action="meeting_body.add", entity="meeting_body",
                       entity_id=body.id, after=_audited(body))
    return body


async def update_body(session: AsyncSession, *, body: MeetingBody, spec: BodySpec,
                      actor: audit.Actor) -> MeetingBody:
    await tenancy.lock_county(session, body.county_id)
    spec = _checked(spec)
    await _unique_name(session, body.county_id, spec.name, except_id=body.id)
    before = _audited(body)
    body.kind, body.name, body.rules = spec.kind, spec.name, stored_rules(spec)
    await session.flush()
    await audit.record(session, county_id=body.county_id, actor=actor, action="meeting_body.update",
                       entity="meeting_body", entity_id=body.id, before=before, after=_audited(body))
    return body


# ---------------------------------------------------------------- who holds a member role


async def roles_on(session: AsyncSession, *, county_id: int, day: dt.date) -> dict[int, set[MemberRole]]:
    """Each serving official's member roles on ``day``."""
    rows = await session.execute(
        select(Position.official_id, Position.role, Department.kind)
        .join(Official, Official.id == Position.official_id)
        .outerjoin(Department, Department.id == Position.department_id)
        .where(Position.county_id == county_id, held_on(Position, day),
               (Official.retired_on.is_(None)) | (Official.retired_on > day))
    )
    held: dict[int, set[MemberRole]] = {}
    for official_id, role, department_kind in rows:
        roles = held.setdefault(official_id, set())
        if role == Role.MAGISTRATE:
            roles.add(MemberRole.MAGISTRATE)
        elif role == Role.EXECUTIVE_VICE_MAGISTRATE:
            roles |= {MemberRole.EXECUTIVE_VICE_MAGISTRATE, MemberRole.VICE_MAGISTRATE}
        elif role == Role.VICE_MAGISTRATE:
            roles.add(MemberRole.VICE_MAGISTRATE)
        elif role == Role.DEPARTMENT_PRINCIPAL and department_kind in _GOVERNMENT_DEPARTMENTS:
            roles.add(MemberRole.DEPARTMENT_PRINCIPAL)
            if department_kind == DepartmentKind.GOVERNMENT_OFFICE:
                roles.add(MemberRole.OFFICE_DIRECTOR)
    return held


async def _official(session: AsyncSession, official_id: int | None, county_id: int, field: str) -> Official | None:
    if official_id is None:
        return None
    official = await session.get(Official, official_id)
    if official is None or official.county_id != county_id:
        raise DomainError(ErrorCode.NOT_FOUND, "No such official.", field=field)
    return official


def _holds(held: dict[int, set[MemberRole]], official: Official, roles) -> bool:
    return bool(held.get(official.id, set()) & set(roles))


# ---------------------------------------------------------------- meetings


async def schedule(session: AsyncSession, *, body: MeetingBody, scheduled_at: dt.datetime, place: str,
                   chair_id: int, entrusted_by_id: int | None, ad_hoc_approved_by_id: int | None,
                   actor: audit.Actor) -> Meeting:
    """Number the meeting in its body's year and list its members as they stand on the day."""
    await tenancy.lock_county(session, body.county_id)
    spec, day = spec_of(body), local_date(scheduled_at)
    place = place.strip()
    if not place:
        raise DomainError(ErrorCode.INVALID, "A meeting needs a place.", field="place")
    held = await roles_on(session, county_id=body.county_id, day=day)
    chair = await _official(session, chair_id, body.county_id, "chairId")
    entrusting = await _official(session, entrusted_by_id, body.county_id, "entrustedById")
    approver = await _official(session, ad_hoc_approved_by_id, body.county_id, "adHocApprovedById")
    if entrusting is None:
        if not _holds(held, chair, [spec.chair_role]):
            raise DomainError(ErrorCode.INVALID, f"{chair.name} is not {words(spec.chair_role)} on {day}: "
                              f"{spec.name} is chaired by the {words(spec.chair_role)} ({spec.article}), or by "
                              "someone they entrust.", field="chairId")
    else:
        if not _holds(held, entrusting, [spec.chair_role]):
            raise DomainError(ErrorCode.INVALID, f"Only the {words(spec.chair_role)} entrusts the chair of "
                              f"{spec.name} ({spec.article}).", field="entrustedById")
        if not _holds(held, chair, spec.entrusted_chair_roles):
            allowed = ", ".join(words(r) for r in spec.entrusted_chair_roles) or "nobody"
            raise DomainError(ErrorCode.INVALID, f"{spec.name} may be chaired on entrustment by: {allowed} "
                              f"({spec.article}).", field="chairId")
    if approver is not None and not _holds(held, approver, [spec.chair_role]):
        raise DomainError(ErrorCode.INVALID, f"An ad hoc {spec.name} is approved by the {words(spec.chair_role)} "
                          "(003 §42, §48).", field="adHocApprovedById")
    year = scheduled_at.astimezone(LOCAL_TZ).year
    last = await session.scalar(select(func.max(Meeting.seq)).where(Meeting.body_id == body.id, Meeting.year == year))
    meeting = Meeting(county_id=body.county_id, body_id=body.id, year=year, seq=(last or 0) + 1,
                      scheduled_at=scheduled_at, place=place, chair_id=chair.id,
                      entrusted_by_id=entrusting.id if entrusting else None,
                      ad_hoc_approved_by_id=approver.id if approver else None, state=MeetingState.PLANNED)
    session.add(meeting)
    await session.flush()
    members = sorted(official_id for official_id, roles in held.items() if roles & set(spec.members))
    session.add_all(MeetingAttendance(county_id=body.county_id, meeting_id=meeting.id, official_id=official_id,
                                      kind=AttendeeKind.MEMBER, status=AttendanceStatus.EXPECTED)
                    for official_id in members)
    await session.flush()
    # Deferred items and reports waiting for the body's next meeting go on this one.
    carried = await meetings_agenda.carry_to(session, meeting=meeting)
    await audit.record(session, county_id=body.county_id, actor=actor, action="meeting.schedule", entity="meeting",
                       entity_id=meeting.id, after={**audit.as_record(meeting), "members": members,
                                                    "title": meeting_title(year, meeting.seq, body.name),
                                                    "carried_items": carried})
    return meeting


_STAMPS = {MeetingState.NOTICE_SENT: "notice_sent_at", MeetingState.IN_SESSION: "started_at",
           MeetingState.CLOSED: "ended_at"}


async def move(session: AsyncSession, *, meeting: Meeting, to: MeetingState, actor: audit.Actor,
               notice_sent_at: dt.datetime | None = None) -> Meeting:
    """Send the notice, open, close or cancel: planned → notice sent → in session → closed; or cancelled.

    ``notice_sent_at``: when a notice sent by hand or by telephone went out (细则 §6(三)), if before now.
    """
    await tenancy.lock_county(session, meeting.county_id)
    await session.refresh(meeting)
    if to == MeetingState.NOTICE_SENT and meeting.state == MeetingState.NOTICE_SENT:
        return await _supplementary_notice(session, meeting, notice_sent_at, actor)
    if not can_move(meeting.state, to):
        raise DomainError(ErrorCode.WRONG_STATE, f"A meeting that is {words(meeting.state)} cannot become "
                          f"{words(to)}.", field="meetingId")
    if to == MeetingState.NOTICE_SENT:
        notice_sent_at = await _notice_in_time(session, meeting, notice_sent_at)
    if to == MeetingState.CLOSED:
        pending = await session.scalar(select(AgendaItem.title).where(
            AgendaItem.meeting_id == meeting.id, AgendaItem.state.in_([ItemState.OPEN, ItemState.VOTING])).limit(1))
        if pending is not None:
            raise DomainError(ErrorCode.WRONG_STATE, f"“{pending}” is still before the meeting: decide or defer "
                              "it first.", field="meetingId")
    before = meeting.state
    meeting.state = to
    if to in _STAMPS:
        setattr(meeting, _STAMPS[to], notice_sent_at if to == MeetingState.NOTICE_SENT else utcnow())
    items = {}
    if to == MeetingState.NOTICE_SENT:
        items = {"noticed_items": await meetings_agenda.notice_items(session, meeting=meeting, sent_at=notice_sent_at)}
    elif to == MeetingState.CANCELLED:
        items = {"items_back_to_accepted": await meetings_agenda.unschedule(session, meeting=meeting)}
    await session.flush()
    await audit.record(session, county_id=meeting.county_id, actor=actor, action=f"meeting.{to.value}",
                       entity="meeting", entity_id=meeting.id, before={"state": before.value},
                       after={"state": to.value, **items})
    if to == MeetingState.NOTICE_SENT:
        await meetings_inbox.notice_sent(session, meeting=meeting)
    elif to == MeetingState.CANCELLED:
        await meetings_inbox.cancelled(session, meeting=meeting)
    if to == MeetingState.CLOSED:
        await meetings_emergency.meeting_closed(session, meeting=meeting, actor=actor)
    return meeting


async def _supplementary_notice(session: AsyncSession, meeting: Meeting, given: dt.datetime | None,
                                actor: audit.Actor) -> Meeting:
    """A further notice listing the items scheduled since the notice went out, itself in time (002 细则 §6(三))."""
    sent_at = await _notice_in_time(session, meeting, given)
    noticed = await meetings_agenda.notice_items(session, meeting=meeting, sent_at=sent_at)
    if not noticed:
        raise DomainError(ErrorCode.WRONG_STATE, "The notice has gone out and no item was scheduled since: there is "
                          "nothing for a further notice to list.", field="meetingId")
    await audit.record(session, county_id=meeting.county_id, actor=actor, action="meeting.supplementary_notice",
                       entity="meeting", entity_id=meeting.id, after={"sent_at": sent_at, "noticed_items": noticed})
    await meetings_inbox.notice_sent(session, meeting=meeting, supplementary=True)
    return meeting


async def _notice_in_time(session: AsyncSession, meeting: Meeting, given: dt.datetime | None) -> dt.datetime:
    """When the notice went out, if in time. A late notice is refused, not recorded as late: the seed's "须至少提前" admits no exception, only other
    ways to deliver it in time (002 细则 §6(三)); the office reschedules the meeting instead."""
    now = utcnow()
    if given is not None and (given.tzinfo is None or given > now):
        raise DomainError(ErrorCode.INVALID, "When the notice went out: a past moment with its time zone.",
                          field="sentAt")
    sent_at = given or now
    # Imported here: services.calendar imports tenancy by name, and tenancy imports this module.
    from services.calendar import calendar_for, unknown_year

    body = await session.get(MeetingBody, meeting.body_id)
    spec = spec_of(body)
    calendar = await calendar_for(session, county_id=meeting.county_id)
    try:
        latest = latest_notice_day(calendar, scheduled_at=meeting.scheduled_at, lead_days=spec.notice_lead_days)
    except CalendarUnknown as unknown:
        raise DomainError(ErrorCode.CALENDAR_UNKNOWN, unknown_year(unknown).message, field="meetingId") from None
    if local_date(sent_at) > latest or sent_at > meeting.scheduled_at:
        raise DomainError(ErrorCode.NOTICE_TOO_LATE, f"The notice of a meeting of {spec.name} on "
                          f"{local_date(meeting.scheduled_at)} goes out at least {spec.notice_lead_days} working "
                          f"day(s) before it, by {latest} at the latest ({spec.article}; 002 细则 §6(三)); it is "
                          f"{local_date(sent_at)}.", field="sentAt" if given else "meetingId")
    return sent_at


async def attendance_of(session: AsyncSession, meeting_id: int) -> list[MeetingAttendance]:
    result = await session.execute(select(MeetingAttendance).where(MeetingAttendance.meeting_id == meeting_id)
                                   .order_by(MeetingAttendance.id))
    return list(result.scalars())


def _open_for_business(meeting: Meeting, field: str) -> None:
    if meeting.state in (MeetingState.CLOSED, MeetingState.CANCELLED):
        raise DomainError(ErrorCode.WRONG_STATE, f"The meeting is {words(meeting.state)}.", field=field)


async def record_attendance(session: AsyncSession, *, meeting: Meeting, official_id: int, status: AttendanceStatus,
                            kind: AttendeeKind | None, for_official_id: int | None, actor: audit.Actor,
                            leave_granted_by_id: int | None = None) -> MeetingAttendance:
    """A member's presence, leave (and who granted it) or absence; or a substitute, AB partner, 列席 attendee or
    observer joining."""
    await tenancy.lock_county(session, meeting.county_id)
    await session.refresh(meeting)
    _open_for_business(meeting, "meetingId")
    official = await _official(session, official_id, meeting.county_id, "officialId")
    rows = {row.official_id: row for row in await attendance_of(session, meeting.id)}
    row = rows.get(official.id)
    before = audit.as_record(row) if row else None
    granted_by = await _leave_granter(session, meeting, leave_granted_by_id, status)
    if row is not None and row.kind == AttendeeKind.MEMBER:
        if kind not in (None, AttendeeKind.MEMBER) or for_official_id is not None:
            raise DomainError(ErrorCode.INVALID, f"{official.name} is a member of this meeting, not a "
                              f"{words(kind)}.", field="kind")
        row.status, row.leave_granted_by_id = status, granted_by
    else:
        if kind in (None, AttendeeKind.MEMBER):
            raise DomainError(ErrorCode.NOT_A_MEMBER, f"{official.name} is not a member of this meeting; record "
                              "them as a substitute, an AB partner, an attendee (列席) or an observer (旁听).",
                              field="officialId")
        if granted_by is not None:
            raise DomainError(ErrorCode.INVALID, "Leave from a meeting is granted to its members (001 §24; 003 §52).",
                              field="leaveGrantedById")
        stands_for = None
        if kind in (AttendeeKind.SUBSTITUTE, AttendeeKind.AB_PARTNER):
            target = await _official(session, for_official_id, meeting.county_id, "forOfficialId")
            member = rows.get(target.id) if target else None
            if member is None or member.kind != AttendeeKind.MEMBER:
                raise DomainError(ErrorCode.INVALID, f"A {words(kind)} attends for an absent member of the meeting "
                                  "(001 §5, §24).", field="forOfficialId")
            if kind == AttendeeKind.AB_PARTNER and not await _ab_partners(session, official.id, target.id,
                                                                          local_date(meeting.scheduled_at)):
                raise DomainError(ErrorCode.INVALID, f"{official.name} is not {target.name}'s AB partner on the "
                                  "meeting's day (001 §5).", field="forOfficialId")
            stands_for = target.id
        elif for_official_id is not None:
            raise DomainError(ErrorCode.INVALID, "Only a substitute or an AB partner attends for someone.",
                              field="forOfficialId")
        if row is None:
            row = MeetingAttendance(county_id=meeting.county_id, meeting_id=meeting.id, official_id=official.id,
                                    kind=kind, status=status, for_official_id=stands_for)
            session.add(row)
        else:
            row.kind, row.status, row.for_official_id = kind, status, stands_for
    await session.flush()
    await audit.record(session, county_id=meeting.county_id, actor=actor, action="meeting.attendance",
                       entity="meeting_attendance", entity_id=row.id, before=before, after=audit.as_record(row))
    return row


async def _leave_granter(session: AsyncSession, meeting: Meeting, granter_id: int | None,
                        status: AttendanceStatus) -> int | None:
    """Who granted a member leave: the meeting's chair, or whoever holds the body's chair role on the day (001 §24
    the magistrate; 003 §52 the chairing leader)."""
    if granter_id is None:
        return None
    if status != AttendanceStatus.ON_LEAVE:
        raise DomainError(ErrorCode.INVALID, "Only leave is granted: say who granted it when the status is on leave.",
                          field="leaveGrantedById")
    granter = await _official(session, granter_id, meeting.county_id, "leaveGrantedById")
    body = await session.get(MeetingBody, meeting.body_id)
    spec = spec_of(body)
    held = await roles_on(session, county_id=meeting.county_id, day=local_date(meeting.scheduled_at))
    if granter.id != meeting.chair_id and not _holds(held, granter, [spec.chair_role]):
        raise DomainError(ErrorCode.NOT_ENTITLED, f"Leave from {spec.name} is granted by the {words(spec.chair_role)} "
                          "or the meeting's chair (001 §24; 003 §52).", field="leaveGrantedById")
    return granter.id


async def _ab_partners(session: AsyncSession, a: int, b: int, day: dt.date) -> bool:
    pair = await session.scalar(select(AbPair.id).where(
        or_(and_(AbPair.official_a_id == a, AbPair.official_b_id == b),
            and_(AbPair.official_a_id == b, AbPair.official_b_id == a)), held_on(AbPair, day)).limit(1))
    return pair is not None


def present_for_quorum(rows: list[MeetingAttendance], rules: BodyRules) -> set[int]:
    """Members present; an AB partner present stands for their absent member only where the body says so."""
    present = {r.official_id for r in rows if r.kind == AttendeeKind.MEMBER and r.status == AttendanceStatus.PRESENT}
    if rules.ab_partner_counts:
        present |= {r.for_official_id for r in rows
                    if r.kind == AttendeeKind.AB_PARTNER and r.status == AttendanceStatus.PRESENT}
    return present


# ---------------------------------------------------------------- items and votes


@dataclass(frozen=True)
class ItemContext:
    item: AgendaItem
    meeting: Meeting
    body: MeetingBody
    rules: BodyRules
    attendance: list[MeetingAttendance]
    recused: frozenset[int] = frozenset()  # members recused from this item (002 人事 §23)

    @property
    def members(self) -> dict[int, MeetingAttendance]:
        return {r.official_id: r for r in self.attendance if r.kind == AttendeeKind.MEMBER}

    @property
    def base(self) -> set[int]:
        """The members the item's quorum and pass rule count (应到会), recusals applied as the body says."""
        return item_base(self.members, self.recused, self.rules)


async def item_context(session: AsyncSession, item: AgendaItem) -> ItemContext:
    meeting = await session.get(Meeting, item.meeting_id)
    body = await session.get(MeetingBody, meeting.body_id)
    recused = await session.execute(select(MeetingRecusal.official_id).where(MeetingRecusal.item_id == item.id))
    return ItemContext(item, meeting, body, rules_of(body), await attendance_of(session, meeting.id),
                       frozenset(recused.scalars()))


async def _locked(session: AsyncSession, item: AgendaItem) -> ItemContext:
    await tenancy.lock_county(session, item.county_id)
    await session.refresh(item)
    return await item_context(session, item)


def _require_item_state(item: AgendaItem, *states: ItemState) -> None:
    if item.state not in states:
        raise DomainError(ErrorCode.WRONG_STATE, f"“{item.title}” is {words(item.state)}.", field="itemId")


def _require_quorum(ctx: ItemContext) -> None:
    problem = quorum_problem(ctx.rules, members=len(ctx.base),
                             present=present_for_quorum(ctx.attendance, ctx.rules) - ctx.recused,
                             is_personnel=ctx.item.is_personnel, member_in_charge=ctx.item.member_in_charge_id)
    if problem:
        raise DomainError(ErrorCode.QUORUM_NOT_MET, problem, field="itemId")


async def add_item(session: AsyncSession, *, meeting: Meeting, title: str, is_personnel: bool,
                   member_in_charge_id: int | None, actor: audit.Actor) -> AgendaItem:
    """The office's shortcut for an item the chair puts on the meeting: accepted and scheduled at once; it is
    taken up only once a notice sent in time lists it (002 细则 §6(三))."""
    await tenancy.lock_county(session, meeting.county_id)
    await session.refresh(meeting)
    _open_for_business(meeting, "meetingId")
    if meeting.state == MeetingState.IN_SESSION:
        raise DomainError(ErrorCode.NOT_ON_NOTICE, "The meeting is sitting: it discusses only the items its notice "
                          "listed, no ad hoc motions (不许临时动议, 002 细则 §6(一)(三); 000 §42).", field="meetingId")
    title = title.strip()
    if not title:
        raise DomainError(ErrorCode.INVALID, "An item needs a title.", field="title")
    in_charge = await _official(session, member_in_charge_id, meeting.county_id, "memberInChargeId")
    if in_charge is not None:
        members = {r.official_id for r in await attendance_of(session, meeting.id) if r.kind == AttendeeKind.MEMBER}
        if in_charge.id not in members:
            raise DomainError(ErrorCode.NOT_A_MEMBER, f"{in_charge.name} is not a member of this meeting.",
                              field="memberInChargeId")
    item = AgendaItem(county_id=meeting.county_id, body_id=meeting.body_id, meeting_id=meeting.id, title=title,
                      kind=ItemKind.PERSONNEL if is_personnel else ItemKind.DECISION, is_personnel=is_personnel,
                      accepted_by_id=meeting.chair_id, member_in_charge_id=in_charge.id if in_charge else None,
                      state=ItemState.SCHEDULED)
    session.add(item)
    await session.flush()
    await audit.record(session, county_id=meeting.county_id, actor=actor, action="agenda_item.add",
                       entity="agenda_item", entity_id=item.id, after=audit.as_record(item))
    return item


async def _item_moved(session: AsyncSession, ctx: ItemContext, action: str, before: ItemState,
                      actor: audit.Actor, **after) -> AgendaItem:
    await session.flush()
    await audit.record(session, county_id=ctx.item.county_id, actor=actor, action=f"agenda_item.{action}",
                       entity="agenda_item", entity_id=ctx.item.id, before={"state": before.value},
                       after={"state": ctx.item.state.value, **after})
    return ctx.item


async def open_item(session: AsyncSession, *, item: AgendaItem, actor: audit.Actor) -> AgendaItem:
    """Take the item up: the meeting is in session and has its quorum (细则 §5; 003 §42)."""
    ctx = await _locked(session, item)
    if item.state in (ItemState.SCHEDULED, ItemState.ACCEPTED):
        raise DomainError(ErrorCode.NOT_ON_NOTICE, f"“{item.title}” was on no notice sent in time: the meeting "
                          "discusses the items its notice listed, no ad hoc motions; send a further notice in time "
                          "(002 细则 §6(三)).", field="itemId")
    _require_item_state(item, ItemState.NOTICED)
    if ctx.meeting.state != MeetingState.IN_SESSION:
        raise DomainError(ErrorCode.WRONG_STATE, f"The meeting is {words(ctx.meeting.state)}, not in session.",
                          field="itemId")
    # Members concerned leave before the quorum is counted (002 人事 §23); a refusal rolls them back too.
    ctx = await meetings_recusal.recuse_persons_concerned(session, ctx=ctx, actor=actor)
    _require_quorum(ctx)
    item.state = ItemState.OPEN
    await meetings_emergency.item_taken_up(session, item=item, actor=actor)
    return await _item_moved(session, ctx, "open", ItemState.NOTICED, actor)


def _require_not_recused(ctx: ItemContext, official_id: int, what: str) -> None:
    if official_id in ctx.recused:
        raise DomainError(ErrorCode.RECUSED, f"This member has recused from “{ctx.item.title}” and does not {what} "
                          f"on it ({RECUSAL_ARTICLE}).", field="memberId")


def _require_mode(ctx: ItemContext, mode: DecisionMode) -> None:
    if ctx.rules.decision_mode != mode:
        what = ("the chair decides: record the chair's conclusion" if mode == DecisionMode.NAMED_VOTE
                else "its members vote by name")
        raise DomainError(ErrorCode.DECISION_MODE, f"In {ctx.rules.name} {what} ({ctx.rules.article}).",
                          field="itemId")


async def start_vote(session: AsyncSession, *, item: AgendaItem, actor: audit.Actor) -> AgendaItem:
    """Put the item to a named vote, the quorum checked again (细则 §5, §6(五))."""
    ctx = await _locked(session, item)
    _require_item_state(item, ItemState.OPEN)
    _require_mode(ctx, DecisionMode.NAMED_VOTE)
    _require_quorum(ctx)
    item.state = ItemState.VOTING
    return await _item_moved(session, ctx, "put_to_vote", ItemState.OPEN, actor)


async def cast_vote(session: AsyncSession, *, item: AgendaItem, official_id: int, choice: VoteChoice,
                    actor: audit.Actor, route: VoteRoute = VoteRoute.IN_PERSON,
                    recorded_by_id: int | None = None) -> MeetingVote:
    """The member's vote; or, by SHOW_OF_HANDS, the office recording it for them (``recorded_by_id`` its official)."""
    ctx = await _locked(session, item)
    member = ctx.members.get(official_id)
    if member is None:
        raise DomainError(ErrorCode.NOT_A_MEMBER, f"Only members of {ctx.rules.name} vote ({ctx.rules.article}).",
                          field="memberId")
    _require_item_state(item, ItemState.VOTING)
    _require_not_recused(ctx, official_id, "vote")
    if member.status != AttendanceStatus.PRESENT:
        raise DomainError(ErrorCode.NOT_PRESENT, "Only members present vote; an absent member may give a written "
                          "opinion, which is never counted (002 细则 §6(四)(五)).", field="memberId")
    if await session.scalar(select(MeetingVote.id).where(MeetingVote.item_id == item.id,
                                                         MeetingVote.official_id == official_id)):
        raise DomainError(ErrorCode.ALREADY_VOTED, "This member has voted on the item already.", field="memberId")
    vote = MeetingVote(county_id=item.county_id, item_id=item.id, official_id=official_id, choice=choice,
                       route=route, recorded_by_id=recorded_by_id)
    session.add(vote)
    await session.flush()
    await audit.record(session, county_id=item.county_id, actor=actor, action="meeting_vote.cast",
                       entity="meeting_vote", entity_id=vote.id, after=audit.as_record(vote))
    return vote


async def record_written_opinion(session: AsyncSession, *, item: AgendaItem, official_id: int, stance: VoteChoice,
                                 text: str, actor: audit.Actor) -> WrittenOpinion:
    """An absent member's written view (细则 §6(四)): shown, weighed for deferral, never a vote."""
    ctx = await _locked(session, item)
    member = ctx.members.get(official_id)
    if member is None:
        raise DomainError(ErrorCode.NOT_A_MEMBER, f"Only members of {ctx.rules.name} give written opinions.",
                          field="memberId")
    _require_item_state(item, ItemState.SCHEDULED, ItemState.NOTICED, ItemState.OPEN, ItemState.VOTING)
    _require_not_recused(ctx, official_id, "give a written opinion")
    if member.status == AttendanceStatus.PRESENT:
        raise DomainError(ErrorCode.INVALID, "A member present speaks and votes at the meeting; written opinions "
                          "are for members who cannot attend (002 细则 §6(四)).", field="memberId")
    text = text.strip()
    if not text:
        raise DomainError(ErrorCode.INVALID, "A written opinion needs its text.", field="text")
    if await session.scalar(select(WrittenOpinion.id).where(WrittenOpinion.item_id == item.id,
                                                            WrittenOpinion.official_id == official_id)):
        raise DomainError(ErrorCode.DUPLICATE, "This member's written opinion on the item is on record already.",
                          field="memberId")
    opinion = WrittenOpinion(county_id=item.county_id, item_id=item.id, official_id=official_id, stance=stance,
                             text=text)
    session.add(opinion)
    await session.flush()
    await audit.record(session, county_id=item.county_id, actor=actor, action="written_opinion.record",
                       entity="written_opinion", entity_id=opinion.id, after=audit.as_record(opinion))
    return opinion


async def tally(session: AsyncSession, item: AgendaItem, members: int,
                recused: frozenset[int] = frozenset()) -> Tally:
    """The item's votes against ``members`` who should attend; a recused member's opinion is never counted."""
    votes = list((await session.execute(select(MeetingVote.choice).where(
        MeetingVote.item_id == item.id, MeetingVote.official_id.not_in(recused)))).scalars())
    written = list((await session.execute(select(WrittenOpinion.stance).where(
        WrittenOpinion.item_id == item.id, WrittenOpinion.official_id.not_in(recused)))).scalars())
    return Tally.count(votes, written, members)


async def close_vote(session: AsyncSession, *, item: AgendaItem, actor: audit.Actor) -> AgendaItem:
    """Declare the computed result: passed when FOR is more than half of the members who should attend (§6(六))."""
    ctx = await _locked(session, item)
    _require_item_state(item, ItemState.VOTING)
    counted = await tally(session, item, len(ctx.base), ctx.recused)
    item.state, item.outcome, item.decided_at = ItemState.DECIDED, counted.outcome(ctx.rules.pass_rule), utcnow()
    return await _item_moved(session, ctx, "decide", ItemState.VOTING, actor, outcome=item.outcome.value,
                             tally=[counted.for_, counted.against, counted.abstain, counted.should_attend])


async def defer(session: AsyncSession, *, item: AgendaItem, actor: audit.Actor) -> AgendaItem:
    """The chair holds a close vote over to the next meeting (细则 §6(五)); written opinions weigh here."""
    ctx = await _locked(session, item)
    _require_item_state(item, ItemState.VOTING)
    counted = await tally(session, item, len(ctx.base), ctx.recused)
    if not counted.is_close(ctx.rules.deferral_margin):
        raise DomainError(ErrorCode.NOT_CLOSE, f"For and against (written opinions included) differ by more than "
                          f"{ctx.rules.deferral_margin}: the vote is not close, so it is not deferred "
                          "(002 细则 §6(五)).", field="itemId")
    item.state = ItemState.DEFERRED
    # 留待下次会议讨论 (细则 §6(五)): the body's next meeting after this one takes it up again.
    again = await meetings_agenda.place_on_next_meeting(
        session, body_id=ctx.body.id, title=item.title, kind=item.kind, actor=actor, deferred_from_id=item.id,
        after=ctx.meeting.scheduled_at, matter_id=item.matter_id, sponsor_department_id=item.sponsor_department_id,
        proposer_id=item.proposer_id, accepted_by_id=ctx.meeting.chair_id, is_personnel=item.is_personnel,
        member_in_charge_id=item.member_in_charge_id)
    return await _item_moved(session, ctx, "defer", ItemState.VOTING, actor, continued_as=again.id)


async def record_conclusion(session: AsyncSession, *, item: AgendaItem, conclusion: str,
                            actor: audit.Actor) -> AgendaItem:
    """In a chair-decides body the chair's conclusion is the decision (县长负责制, 000 §6; 001 §5)."""
    ctx = await _locked(session, item)
    _require_item_state(item, ItemState.OPEN)
    _require_mode(ctx, DecisionMode.CHAIR_DECIDES)
    conclusion = conclusion.strip()
    if not conclusion:
        raise DomainError(ErrorCode.INVALID, "Record the chair's conclusion.", field="conclusion")
    item.state, item.outcome, item.conclusion, item.decided_at = (ItemState.DECIDED, Outcome.CHAIR_CONCLUDED,
                                                                  conclusion, utcnow())
    return await _item_moved(session, ctx, "conclude", ItemState.OPEN, actor, conclusion=conclusion)
