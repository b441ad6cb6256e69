"""A meeting's news in its people's inboxes: notices, cancellations, and agenda items whose turn is theirs.

Events go through services.events like a document's (delivered once the change commits), each to one
official: every member and attendee of the meeting and its chair; or whoever's turn an item is now —
the VM in charge coordinates a proposed item (000 §42; 003 §45), the government office checks a
coordinated one (002 三重一大 二(三)), the body's chair accepts a checked one (000 §42; 002 细则 §6(一)).
"""

from __future__ import annotations

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import AgendaItem, Meeting, MeetingAttendance, MeetingBody, PortfolioAssignment, utcnow
from db.periods import held_on
from domain.meetings import ItemState
from domain.roster import local_date
from services import events
from services.events import InboxEvent, MeetingEventKind


async def people_of(session: AsyncSession, meeting: Meeting) -> list[int]:
    """Everyone the meeting concerns: its members and attendees (列席, substitutes, AB partners) and its chair."""
    attending = (await session.execute(select(MeetingAttendance.official_id)
                                       .where(MeetingAttendance.meeting_id == meeting.id))).scalars()
    return sorted({*attending, meeting.chair_id})


async def _tell(session: AsyncSession, county_id: int, kind: MeetingEventKind, official_ids, *,
                meeting_id: int | None, item_id: int | None = None, note: str = "") -> None:
    at = utcnow()
    for official_id in official_ids:
        await events.publish(session, InboxEvent(kind=kind, county_id=county_id, official_id=official_id,
                                                 document_id=None, step_id=None, at=at, note=note,
                                                 meeting_id=meeting_id, item_id=item_id))


async def notice_sent(session: AsyncSession, *, meeting: Meeting, supplementary: bool = False,
                      note: str = "") -> None:
    """The notice (or a supplementary notice) went out: everyone at the meeting hears of it (002 细则 §6(三))."""
    kind = MeetingEventKind.SUPPLEMENTARY_NOTICE if supplementary else MeetingEventKind.NOTICE
    await _tell(session, meeting.county_id, kind, await people_of(session, meeting), meeting_id=meeting.id,
                note=note)


async def cancelled(session: AsyncSession, *, meeting: Meeting) -> None:
    await _tell(session, meeting.county_id, MeetingEventKind.CANCELLED, await people_of(session, meeting),
                meeting_id=meeting.id)


# ---------------------------------------------------------------- whose turn an item is


# Imported in the functions below: services.meetings imports this module, and services.documents (through
# its deadlines and calendar) imports services.tenancy, which imports services.meetings.


async def _office_staff(session: AsyncSession, county_id: int) -> set[int]:
    from services.documents import office_staff

    return await office_staff(session, county_id, local_date(utcnow()))


async def _chair_bodies(session: AsyncSession, county_id: int, official_id: int) -> list[int]:
    """The bodies whose chair role the official holds today (they accept its checked items)."""
    from services.meetings import bodies_of, roles_on, spec_of

    held = (await roles_on(session, county_id=county_id, day=local_date(utcnow()))).get(official_id, set())
    return [body.id for body in await bodies_of(session, county_id=county_id) if spec_of(body).chair_role in held]


def _coordinates(official_id: int, today) -> object:
    """A proposed item the official coordinates: they are the VM in charge of its sponsoring department, or,
    where no VM is in charge of it, the member in charge the proposer named (services.meetings_agenda.coordinate)."""
    in_charge = select(PortfolioAssignment.department_id).where(held_on(PortfolioAssignment, today))
    return and_(AgendaItem.state == ItemState.PROPOSED, or_(
        AgendaItem.sponsor_department_id.in_(in_charge.where(PortfolioAssignment.official_id == official_id)),
        and_(AgendaItem.member_in_charge_id == official_id,
             or_(AgendaItem.sponsor_department_id.is_(None), AgendaItem.sponsor_department_id.not_in(in_charge)))))


async def awaiting(session: AsyncSession, *, county_id: int, official_id: int):
    """The condition on AgendaItem: items waiting for the official to coordinate, check or accept them."""
    turns = [_coordinates(official_id, local_date(utcnow()))]
    if official_id in await _office_staff(session, county_id):
        turns.append(AgendaItem.state == ItemState.COORDINATED)
    chairing = await _chair_bodies(session, county_id, official_id)
    if chairing:
        turns.append(and_(AgendaItem.state == ItemState.CHECKED, AgendaItem.body_id.in_(chairing)))
    return and_(AgendaItem.county_id == county_id, or_(*turns))


async def whose_turn(session: AsyncSession, item: AgendaItem) -> set[int]:
    """Who the item waits for now; nobody once it is accepted (the office schedules it with the meeting)."""
    today = local_date(utcnow())
    if item.state == ItemState.PROPOSED:
        vm = None
        if item.sponsor_department_id is not None:
            vm = await session.scalar(select(PortfolioAssignment.official_id).where(
                PortfolioAssignment.department_id == item.sponsor_department_id,
                held_on(PortfolioAssignment, today)).limit(1))
        vm = vm or item.member_in_charge_id
        return {vm} if vm is not None else set()
    if item.state == ItemState.COORDINATED:
        return await _office_staff(session, item.county_id)
    if item.state == ItemState.CHECKED:
        from services.meetings import roles_on, spec_of

        chair_role = spec_of(await session.get(MeetingBody, item.body_id)).chair_role
        return {official for official, roles in (await roles_on(session, county_id=item.county_id, day=today)).items()
                if chair_role in roles}
    return set()


async def item_moved(session: AsyncSession, *, item: AgendaItem) -> None:
    """Call after an item was proposed or changed state: whoever's turn it is now hears of it."""
    await _tell(session, item.county_id, MeetingEventKind.ITEM_AWAITS, sorted(await whose_turn(session, item)),
                meeting_id=item.meeting_id, item_id=item.id)
