"""The agenda pipeline (议题): propose → coordinate → check → accept → schedule → notice, with materials.

Each step is one transaction that takes the county's lock first and is audited. Who may act is checked on
the roster of the day the step happens (services.meetings.roles_on).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import (
    AgendaItem,
    AgendaItemMaterial,
    CollectiveMatter,
    Department,
    Meeting,
    MeetingBody,
    Official,
    PortfolioAssignment,
    Position,
    utcnow,
)
from db.periods import held_on
from domain.calendar import CalendarUnknown
from domain.errors import DomainError, ErrorCode, words
from domain.meetings import BodyKind, ItemState, MeetingState, MemberRole
from domain.meetings_agenda import (
    STEP_FROM,
    ItemKind,
    MaterialKind,
    ConsultationState,
    consultation_state,
    missing_materials,
)
from domain.roster import Role, local_date
from services import audit, meetings, meetings_inbox, meetings_matters, tenancy

_PROPOSERS = {MemberRole.DEPARTMENT_PRINCIPAL, MemberRole.VICE_MAGISTRATE, MemberRole.MAGISTRATE}


def _today() -> dt.date:
    return local_date(utcnow())


async def _recorded(session: AsyncSession, item: AgendaItem, action: str, actor: audit.Actor,
                    before: dict | None, **after) -> AgendaItem:
    await session.flush()
    await audit.record(session, county_id=item.county_id, actor=actor, action=f"agenda_item.{action}",
                       entity="agenda_item", entity_id=item.id, before=before,
                       after={"state": item.state.value, **after})
    await meetings_inbox.item_moved(session, item=item)  # whoever's turn it is now hears of it
    return item


def _require_step(item: AgendaItem, step: str) -> None:
    if item.state not in STEP_FROM[step]:
        allowed = " or ".join(words(s) for s in STEP_FROM[step])
        raise DomainError(ErrorCode.WRONG_STATE, f"“{item.title}” is {words(item.state)}; only an item that is "
                          f"{allowed} can be {_PAST[step]} (000 §42; 003 §45).", field="itemId")


_PAST = {"coordinate": "coordinated", "check": "checked", "accept": "accepted", "schedule": "scheduled",
         "withdraw": "withdrawn"}


async def _locked_item(session: AsyncSession, item: AgendaItem) -> MeetingBody:
    await tenancy.lock_county(session, item.county_id)
    await session.refresh(item)
    return await session.get(MeetingBody, item.body_id)


async def _department(session: AsyncSession, department_id: int | None, county_id: int) -> Department | None:
    if department_id is None:
        return None
    department = await session.get(Department, department_id)
    if department is None or department.county_id != county_id:
        raise DomainError(ErrorCode.NOT_FOUND, "No such department.", field="sponsorDepartmentId")
    return department


async def _principal_of(session: AsyncSession, official_id: int, day: dt.date) -> set[int]:
    """The departments the official heads on ``day``."""
    rows = await session.execute(select(Position.department_id).where(
        Position.official_id == official_id, Position.role == Role.DEPARTMENT_PRINCIPAL, held_on(Position, day)))
    return {department_id for (department_id,) in rows}


# ---------------------------------------------------------------- propose


async def propose(session: AsyncSession, *, body: MeetingBody, title: str, kind: ItemKind, proposer_id: int,
                  matter_code: str | None = None, sponsor_department_id: int | None = None,
                  member_in_charge_id: int | None = None, actor: audit.Actor) -> AgendaItem:
    """An item proposed to a body by a department principal or a VM (000 §42; 003 §45), or by any member of a
    party group (002 细则 §6(一)); a department principal proposes for their own department."""
    await tenancy.lock_county(session, body.county_id)
    title = title.strip()
    if not title:
        raise DomainError(ErrorCode.INVALID, "An item needs a title.", field="title")
    day = _today()
    held = await meetings.roles_on(session, county_id=body.county_id, day=day)
    proposer = await meetings._official(session, proposer_id, body.county_id, "proposerId")
    spec = meetings.spec_of(body)
    roles = held.get(proposer.id, set())
    party_member = body.kind == BodyKind.PARTY_GROUP and bool(roles & set(spec.members))
    if not (roles & _PROPOSERS or party_member):
        raise DomainError(ErrorCode.NOT_ENTITLED, f"{proposer.name} may not propose items to {body.name}: "
                          "items come from department principals or vice magistrates (000 §42; 003 §45), or from a "
                          "party group's members (002 细则 §6(一)).", field="proposerId")
    sponsor = await _department(session, sponsor_department_id, body.county_id)
    headed = await _principal_of(session, proposer.id, day)
    if headed and not (roles & {MemberRole.VICE_MAGISTRATE, MemberRole.MAGISTRATE}) and not party_member:
        if sponsor is None:
            sponsor = await session.get(Department, min(headed))
        elif sponsor.id not in headed:
            raise DomainError(ErrorCode.NOT_ENTITLED, f"{proposer.name} proposes for their own "
                              "department (000 §42).", field="sponsorDepartmentId")
    matter = None
    if matter_code is not None:
        matter = await meetings_matters.matter(session, county_id=body.county_id, code=matter_code.strip())
        if matter is None:
            raise DomainError(ErrorCode.NOT_FOUND, f"The county's catalogue has no matter “{matter_code}”.",
                              field="matterCode")
        if matter.body_kind != body.kind:
            raise DomainError(ErrorCode.WRONG_BODY, f"“{matter.name}” goes to a {words(matter.body_kind)} body, not "
                              f"to {body.name} ({matter.article}).", field="bodyId")
    in_charge = await meetings._official(session, member_in_charge_id, body.county_id, "memberInChargeId")
    item = AgendaItem(county_id=body.county_id, body_id=body.id, title=title, kind=kind,
                      matter_id=matter.id if matter else None, sponsor_department_id=sponsor.id if sponsor else None,
                      proposer_id=proposer.id, member_in_charge_id=in_charge.id if in_charge else None,
                      is_personnel=kind == ItemKind.PERSONNEL or bool(matter and matter.personnel),
                      state=ItemState.PROPOSED)
    session.add(item)
    await session.flush()
    await audit.record(session, county_id=item.county_id, actor=actor, action="agenda_item.propose",
                       entity="agenda_item", entity_id=item.id, after=audit.as_record(item))
    await meetings_inbox.item_moved(session, item=item)  # the VM in charge hears of it
    return item


# ---------------------------------------------------------------- coordinate, check, accept


async def _vm_in_charge(session: AsyncSession, department_id: int, day: dt.date) -> int | None:
    return await session.scalar(select(PortfolioAssignment.official_id).where(
        PortfolioAssignment.department_id == department_id, held_on(PortfolioAssignment, day)).limit(1))


async def coordinate(session: AsyncSession, *, item: AgendaItem, official_id: int,
                     actor: audit.Actor) -> AgendaItem:
    """The VM in charge of the sponsoring department coordinates (协调、审核) the item (000 §42; 003 §45)."""
    await _locked_item(session, item)
    _require_step(item, "coordinate")
    day = _today()
    official = await meetings._official(session, official_id, item.county_id, "itemId")
    held = await meetings.roles_on(session, county_id=item.county_id, day=day)
    if MemberRole.VICE_MAGISTRATE not in held.get(official.id, set()):
        raise DomainError(ErrorCode.NOT_ENTITLED, f"{official.name} is no vice magistrate: the vice "
                          "magistrate in charge coordinates an item (000 §42; 003 §45).", field="itemId")
    # The VM whose portfolio holds the sponsoring department; else the member in charge the proposer named.
    in_charge = await _vm_in_charge(session, item.sponsor_department_id, day) if item.sponsor_department_id else None
    in_charge = in_charge or item.member_in_charge_id
    if in_charge is not None and in_charge != official.id:
        vm = await session.get(Official, in_charge)
        raise DomainError(ErrorCode.NOT_ENTITLED, f"{vm.name} is in charge of the item and coordinates it "
                          "(000 §42; 003 §45).", field="itemId")
    before = {"state": item.state.value}
    item.state, item.coordinated_by_id = ItemState.COORDINATED, official.id
    return await _recorded(session, item, "coordinate", actor, before, coordinated_by_id=official.id)


async def materials_of(session: AsyncSession, item_id: int) -> list[AgendaItemMaterial]:
    result = await session.execute(select(AgendaItemMaterial).where(AgendaItemMaterial.item_id == item_id)
                                   .order_by(AgendaItemMaterial.id))
    return list(result.scalars())


async def check(session: AsyncSession, *, item: AgendaItem, official_id: int | None,
                actor: audit.Actor) -> AgendaItem:
    """The office's completeness check (符合性审查): the materials the item's matter requires are there, two
    options where options are required, and no consultation still awaits its reply (002 三重一大 二(一)–(三))."""
    await _locked_item(session, item)
    _require_step(item, "check")
    matter = await session.get(CollectiveMatter, item.matter_id) if item.matter_id else None
    materials = await materials_of(session, item.id)
    if matter is not None:
        required = meetings_matters.required_materials(matter)
        missing = missing_materials(required, (m.kind for m in materials))
        if missing:
            lacking = ", ".join(words(k) for k in missing)
            raise DomainError(ErrorCode.MATERIALS_MISSING, f"“{item.title}” lacks: {lacking} — {matter.name} needs "
                              f"them ({matter.article}; 002 三重一大 二(三)).", field="itemId")
        if MaterialKind.OPTIONS in required and sum(m.kind == MaterialKind.OPTIONS for m in materials) < 2:
            raise DomainError(ErrorCode.MATERIALS_MISSING, f"“{item.title}” needs two or more options to choose "
                              f"from ({matter.article}; 002 三重一大 二(一)).", field="itemId")
    today = _today()
    for material in materials:
        if material.kind == MaterialKind.CONSULTATION_REPLY and consultation_state(
                reply=material.reply, reply_by=material.reply_by, today=today) == ConsultationState.AWAITING:
            raise DomainError(ErrorCode.MATERIALS_MISSING, f"{material.consulted_unit} has until "
                              f"{material.reply_by} to reply on “{item.title}”; after that its silence counts as "
                              "consent (002 三重一大 二(二)).", field="itemId")
    before = {"state": item.state.value}
    item.state, item.checked_by_id = ItemState.CHECKED, official_id
    return await _recorded(session, item, "check", actor, before, checked_by_id=official_id)


async def accept(session: AsyncSession, *, item: AgendaItem, official_id: int, actor: audit.Actor) -> AgendaItem:
    """The body's chair decides that the item goes to the body (报县长确定, 000 §42; 003 §45; 书记决定是否上会,
    002 细则 §6(一))."""
    body = await _locked_item(session, item)
    _require_step(item, "accept")
    spec = meetings.spec_of(body)
    official = await meetings._official(session, official_id, item.county_id, "itemId")
    held = await meetings.roles_on(session, county_id=item.county_id, day=_today())
    if spec.chair_role not in held.get(official.id, set()):
        raise DomainError(ErrorCode.NOT_ENTITLED, f"The {words(spec.chair_role)}, who chairs {body.name}, "
                          "decides which items go to it (000 §42; 003 §45; 002 细则 §6(一)).", field="itemId")
    before = {"state": item.state.value}
    item.state, item.accepted_by_id = ItemState.ACCEPTED, official.id
    return await _recorded(session, item, "accept", actor, before, accepted_by_id=official.id)


# ---------------------------------------------------------------- schedule, withdraw


async def _legality_review_in_time(session: AsyncSession, item: AgendaItem, meeting: Meeting) -> None:
    """003 §61: a normative draft goes to legality review the matter's lead time in working days before the
    meeting; the day it was sent is on its legality opinion."""
    matter = await session.get(CollectiveMatter, item.matter_id) if item.matter_id else None
    if matter is None or matter.legality_review_lead_days is None:
        return
    from services.calendar import calendar_for, unknown_year

    calendar = await calendar_for(session, county_id=item.county_id)
    try:
        latest = calendar.working_days_before(local_date(meeting.scheduled_at), matter.legality_review_lead_days)
    except CalendarUnknown as unknown:
        raise DomainError(ErrorCode.CALENDAR_UNKNOWN, unknown_year(unknown).message, field="meetingId") from None
    sent = [m.sent_for_review_on for m in await materials_of(session, item.id)
            if m.kind == MaterialKind.LEGALITY_OPINION and m.sent_for_review_on is not None]
    if not sent or min(sent) > latest:
        when = f"it went on {min(sent)}" if sent else "no legality opinion records when it went"
        raise DomainError(ErrorCode.LEGALITY_REVIEW_TOO_LATE, f"“{matter.name}” goes to the legal office for legality "
                          f"review at least {matter.legality_review_lead_days} working days before the meeting of "
                          f"{local_date(meeting.scheduled_at)}, by {latest} ({matter.article}); {when}.",
                          field="meetingId")


async def _schedule_on(session: AsyncSession, item: AgendaItem, meeting: Meeting) -> None:
    item.state, item.meeting_id, item.next_meeting_after = ItemState.SCHEDULED, meeting.id, None


async def schedule(session: AsyncSession, *, item: AgendaItem, meeting: Meeting, actor: audit.Actor) -> AgendaItem:
    """The office puts an accepted item on a meeting of its body that has not sat yet; a meeting whose notice
    has gone out lists it on a further notice (002 细则 §6(三))."""
    await _locked_item(session, item)
    await session.refresh(meeting)
    _require_step(item, "schedule")
    if meeting.body_id != item.body_id:
        raise DomainError(ErrorCode.WRONG_BODY, "The item was proposed to another body.", field="meetingId")
    if meeting.state not in (MeetingState.PLANNED, MeetingState.NOTICE_SENT):
        raise DomainError(ErrorCode.WRONG_STATE, f"The meeting is {words(meeting.state)}: items go on a meeting "
                          "before it sits (002 细则 §6(三)).", field="meetingId")
    await _legality_review_in_time(session, item, meeting)
    before = {"state": item.state.value}
    await _schedule_on(session, item, meeting)
    return await _recorded(session, item, "schedule", actor, before, meeting_id=meeting.id)


async def withdraw(session: AsyncSession, *, item: AgendaItem, official_id: int | None,
                   actor: audit.Actor) -> AgendaItem:
    """The proposer takes the item back before a notice lists it."""
    await _locked_item(session, item)
    if official_id is None or official_id != item.proposer_id:
        raise DomainError(ErrorCode.NOT_ENTITLED, "Only the item's proposer withdraws it.", field="itemId")
    _require_step(item, "withdraw")
    before = {"state": item.state.value}
    item.state = ItemState.WITHDRAWN
    return await _recorded(session, item, "withdraw", actor, before)


# ---------------------------------------------------------------- the notice and the next meeting


async def notice_items(session: AsyncSession, *, meeting: Meeting, sent_at: dt.datetime) -> list[int]:
    """The meeting's scheduled items go on the notice going out now (002 细则 §6(三)); their ids."""
    items = list((await session.execute(select(AgendaItem).where(
        AgendaItem.meeting_id == meeting.id, AgendaItem.state == ItemState.SCHEDULED).order_by(AgendaItem.id)))
        .scalars())
    for item in items:
        item.state, item.noticed_at = ItemState.NOTICED, sent_at
    await session.flush()
    return [item.id for item in items]


async def _next_meeting(session: AsyncSession, body_id: int, after: dt.datetime) -> Meeting | None:
    return await session.scalar(select(Meeting).where(
        Meeting.body_id == body_id, Meeting.state.in_([MeetingState.PLANNED, MeetingState.NOTICE_SENT]),
        Meeting.scheduled_at > after).order_by(Meeting.scheduled_at, Meeting.id).limit(1))


async def place_on_next_meeting(session: AsyncSession, *, body_id: int, title: str, kind: ItemKind,
                                actor: audit.Actor, deferred_from_id: int | None = None,
                                after: dt.datetime | None = None, **fields) -> AgendaItem:
    """An accepted item for the body's next meeting (PLANNED or NOTICE_SENT, the earliest after ``after``, now by
    default): scheduled on it, or left accepted until the body's next meeting is scheduled.

    ``fields``: further AgendaItem columns (matter_id, sponsor_department_id, proposer_id, accepted_by_id,
    member_in_charge_id, is_personnel). Runs in the caller's transaction, which holds the county's lock."""
    body = await session.get(MeetingBody, body_id)
    await tenancy.lock_county(session, body.county_id)
    after = after or utcnow()
    if "is_personnel" not in fields:
        matter = await session.get(CollectiveMatter, fields["matter_id"]) if fields.get("matter_id") else None
        fields["is_personnel"] = kind == ItemKind.PERSONNEL or bool(matter and matter.personnel)
    item = AgendaItem(county_id=body.county_id, body_id=body.id, title=title.strip(), kind=kind,
                      deferred_from_id=deferred_from_id, state=ItemState.ACCEPTED, next_meeting_after=after, **fields)
    session.add(item)
    meeting = await _next_meeting(session, body.id, after)
    if meeting is not None:
        await _schedule_on(session, item, meeting)
    await session.flush()
    await audit.record(session, county_id=item.county_id, actor=actor, action="agenda_item.place_on_next_meeting",
                       entity="agenda_item", entity_id=item.id, after=audit.as_record(item))
    return item


async def carry_to(session: AsyncSession, *, meeting: Meeting) -> list[int]:
    """A newly scheduled meeting takes the items waiting for the body's next meeting; their ids."""
    items = list((await session.execute(select(AgendaItem).where(
        AgendaItem.body_id == meeting.body_id, AgendaItem.state == ItemState.ACCEPTED,
        AgendaItem.next_meeting_after.is_not(None), AgendaItem.next_meeting_after < meeting.scheduled_at)
        .order_by(AgendaItem.id))).scalars())
    for item in items:
        await _schedule_on(session, item, meeting)
    await session.flush()
    return [item.id for item in items]


# ---------------------------------------------------------------- materials


_SHA256 = frozenset("0123456789abcdef")


async def add_material(session: AsyncSession, *, item: AgendaItem, kind: MaterialKind, title: str,
                       file_name: str | None = None, file_size: int | None = None, file_sha256: str | None = None,
                       sent_for_review_on: dt.date | None = None, consulted_unit: str | None = None,
                       sent_on: dt.date | None = None, reply_by: dt.date | None = None,
                       actor: audit.Actor) -> AgendaItemMaterial:
    """A material for the item, before the office's check or while the item waits for its meeting."""
    await _locked_item(session, item)
    if item.state not in (ItemState.PROPOSED, ItemState.COORDINATED, ItemState.CHECKED, ItemState.ACCEPTED,
                          ItemState.SCHEDULED, ItemState.NOTICED):
        raise DomainError(ErrorCode.WRONG_STATE, f"“{item.title}” is {words(item.state)}.", field="itemId")
    title = title.strip()
    if not title:
        raise DomainError(ErrorCode.INVALID, "A material needs a title.", field="title")
    if file_sha256 is not None:
        file_sha256 = file_sha256.strip().lower()
        if len(file_sha256) != 64 or not set(file_sha256) <= _SHA256:
            raise DomainError(ErrorCode.INVALID, "A SHA-256 is 64 hexadecimal digits.", field="fileSha256")
    if file_size is not None and file_size < 0:
        raise DomainError(ErrorCode.INVALID, "A file's size is 0 bytes or more.", field="fileSize")
    if (sent_for_review_on is not None) != (kind == MaterialKind.LEGALITY_OPINION):
        raise DomainError(ErrorCode.INVALID, "A legality opinion records the day the draft went to the legal office "
                          "(003 §61), and only a legality opinion does.", field="sentForReviewOn")
    if kind == MaterialKind.CONSULTATION_REPLY:
        consulted_unit = (consulted_unit or "").strip()
        if not consulted_unit:
            raise DomainError(ErrorCode.INVALID, "Name the unit consulted (002 三重一大 二(二)).", field="consultedUnit")
        if sent_on is None or reply_by is None or reply_by < sent_on:
            raise DomainError(ErrorCode.INVALID, "A consultation records when it was sent and the reply-by day, "
                              "not before it (002 三重一大 二(二)).", field="replyBy")
    elif consulted_unit is not None or sent_on is not None or reply_by is not None:
        raise DomainError(ErrorCode.INVALID, "Only a consultation names a unit, a sent day and a reply-by day.",
                          field="consultedUnit")
    material = AgendaItemMaterial(county_id=item.county_id, item_id=item.id, kind=kind, title=title,
                                  file_name=(file_name or "").strip() or None, file_size=file_size,
                                  file_sha256=file_sha256, sent_for_review_on=sent_for_review_on,
                                  consulted_unit=consulted_unit, sent_on=sent_on, reply_by=reply_by)
    session.add(material)
    await session.flush()
    await audit.record(session, county_id=item.county_id, actor=actor, action="agenda_material.add",
                       entity="agenda_item_material", entity_id=material.id, after=audit.as_record(material))
    return material


async def record_reply(session: AsyncSession, *, material: AgendaItemMaterial, reply: str, replied_on: dt.date,
                       actor: audit.Actor) -> AgendaItemMaterial:
    """The consulted unit's written reply (按时反馈书面意见, 002 三重一大 二(二))."""
    await tenancy.lock_county(session, material.county_id)
    await session.refresh(material)
    if material.kind != MaterialKind.CONSULTATION_REPLY:
        raise DomainError(ErrorCode.INVALID, "Only a consultation gets a reply.", field="materialId")
    if material.reply is not None:
        raise DomainError(ErrorCode.DUPLICATE, "The unit's reply is on record already.", field="materialId")
    reply = reply.strip()
    if not reply:
        raise DomainError(ErrorCode.INVALID, "Record the reply's text.", field="reply")
    if replied_on > material.reply_by:
        raise DomainError(ErrorCode.INVALID, f"The reply was due by {material.reply_by}: after that the unit is deemed "
                          "to consent (未按时反馈意见视为同意, 002 三重一大 二(二)).", field="repliedOn")
    if replied_on < material.sent_on:
        raise DomainError(ErrorCode.INVALID, "A reply comes after the consultation was sent.", field="repliedOn")
    before = audit.as_record(material)
    material.reply, material.replied_on = reply, replied_on
    await session.flush()
    await audit.record(session, county_id=material.county_id, actor=actor, action="agenda_material.reply",
                       entity="agenda_item_material", entity_id=material.id, before=before,
                       after=audit.as_record(material))
    return material


async def queue_of(session: AsyncSession, *, body_id: int, states: list[ItemState] | None) -> list[AgendaItem]:
    stmt = select(AgendaItem).where(AgendaItem.body_id == body_id)
    if states:
        stmt = stmt.where(AgendaItem.state.in_(states))
    return list((await session.execute(stmt.order_by(AgendaItem.proposed_at, AgendaItem.id))).scalars())



async def unschedule(session: AsyncSession, *, meeting: Meeting) -> list[int]:
    """A cancelled meeting's items wait, accepted, for the office to schedule them again; their ids."""
    items = list((await session.execute(select(AgendaItem).where(
        AgendaItem.meeting_id == meeting.id, AgendaItem.state.in_([ItemState.SCHEDULED, ItemState.NOTICED]))
        .order_by(AgendaItem.id))).scalars())
    for item in items:
        item.state, item.meeting_id, item.noticed_at = ItemState.ACCEPTED, None, None
    await session.flush()
    return [item.id for item in items]
