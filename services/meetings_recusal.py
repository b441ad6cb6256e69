"""The relation register and recusal from agenda items (002 人事 §18, §23).

The register is sensitive: who sees it is decided by the resolvers (resolvers.meetings_records); here
each use case is one transaction under the county lock, audited. An item's persons concerned are checked
against the register when the item is taken up, or when a person is added to an item already open, and
every member concerned or related is recused automatically.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import AgendaItem, Department, Meeting, MeetingRecusal, Official, OfficialRelation, Position
from db.periods import held_on
from domain.errors import DomainError, ErrorCode, words
from domain.meetings import AttendeeKind, ItemState, MeetingState
from domain.meetings_recusal import (
    RECUSAL_ARTICLE,
    PersonConcerned,
    RecusalReason,
    Relation,
    RelationKind,
    automatic_recusals,
)
from domain.roster import DepartmentKind
# Module imports: services.meetings imports this module to recuse members as an item is taken up.
from services import audit, meetings, tenancy

# Once the vote has started, or the item is done with, the list of who votes is fixed.
_SETTLED = frozenset({ItemState.VOTING, ItemState.DECIDED, ItemState.DEFERRED})


# ---------------------------------------------------------------- who may read the register


async def is_inspector(session: AsyncSession, *, county_id: int, official_id: int | None, day: dt.date) -> bool:
    """The discipline inspector: an official holding a post in the county's supervision body (纪检/监察) on ``day``."""
    if official_id is None:
        return False
    found = await session.execute(
        select(Position.id).join(Department, Department.id == Position.department_id)
        .where(Position.county_id == county_id, Position.official_id == official_id,
               Department.kind == DepartmentKind.SUPERVISION, held_on(Position, day)).limit(1))
    return found.first() is not None


# ---------------------------------------------------------------- the register


async def relations_of(session: AsyncSession, *, county_id: int,
                       official_id: int | None = None) -> list[OfficialRelation]:
    stmt = select(OfficialRelation).where(OfficialRelation.county_id == county_id)
    if official_id is not None:
        stmt = stmt.where(or_(OfficialRelation.official_id == official_id, OfficialRelation.relative_id == official_id))
    return list((await session.execute(stmt.order_by(OfficialRelation.id))).scalars())


async def _county_official(session: AsyncSession, official_id: int, county_id: int, field: str) -> Official:
    official = await session.get(Official, official_id)
    if official is None or official.county_id != county_id:
        raise DomainError(ErrorCode.NOT_FOUND, "No such official.", field=field)
    return official


async def add_relation(session: AsyncSession, *, county_id: int, official_id: int, kind: RelationKind,
                       relative_id: int | None, relative_name: str | None, note: str,
                       actor: audit.Actor) -> OfficialRelation:
    """Record an official's relative: another official of the county, or a person named outside the roster."""
    await tenancy.lock_county(session, county_id)
    official = await _county_official(session, official_id, county_id, "officialId")
    relative_name = (relative_name or "").strip() or None
    if (relative_id is None) == (relative_name is None):
        raise DomainError(ErrorCode.INVALID, "Name the relative: an official of the county, or a person outside the "
                          "roster by name — one of the two.", field="relativeName")
    if relative_id is not None:
        relative = await _county_official(session, relative_id, county_id, "relativeId")
        if relative.id == official.id:
            raise DomainError(ErrorCode.INVALID, "An official is not their own relative.", field="relativeId")
        same = or_(and_(OfficialRelation.official_id == official.id, OfficialRelation.relative_id == relative.id),
                   and_(OfficialRelation.official_id == relative.id, OfficialRelation.relative_id == official.id))
    else:
        same = and_(OfficialRelation.official_id == official.id, OfficialRelation.relative_name == relative_name)
    if await session.scalar(select(OfficialRelation.id).where(same).limit(1)) is not None:
        raise DomainError(ErrorCode.DUPLICATE, "The register already holds this relation.",
                          field="relativeId" if relative_id is not None else "relativeName")
    relation = OfficialRelation(county_id=county_id, official_id=official.id, relative_id=relative_id,
                                relative_name=relative_name, kind=kind, note=note.strip(),
                                recorded_by_account_id=actor.account_id)
    session.add(relation)
    await session.flush()
    await audit.record(session, county_id=county_id, actor=actor, action="official_relation.add",
                       entity="official_relation", entity_id=relation.id, after=audit.as_record(relation))
    return relation


async def remove_relation(session: AsyncSession, *, relation: OfficialRelation, actor: audit.Actor) -> None:
    """Take a relation off the register; recusals already made keep their own copy of it."""
    await tenancy.lock_county(session, relation.county_id)
    before = audit.as_record(relation)
    await session.delete(relation)
    await session.flush()
    await audit.record(session, county_id=relation.county_id, actor=actor, action="official_relation.remove",
                       entity="official_relation", entity_id=before["id"], before=before)


# ---------------------------------------------------------------- recusal


async def recusals_of(session: AsyncSession, item_id: int) -> list[MeetingRecusal]:
    return list((await session.execute(select(MeetingRecusal).where(MeetingRecusal.item_id == item_id)
                                       .order_by(MeetingRecusal.id))).scalars())


def persons_of(item: AgendaItem) -> list[PersonConcerned]:
    return [PersonConcerned(name=p["name"], official_id=p.get("official_id")) for p in item.persons_concerned or []]


async def _meeting_of(session: AsyncSession, item: AgendaItem) -> Meeting:
    meeting = await session.get(Meeting, item.meeting_id) if item.meeting_id is not None else None
    if meeting is None or meeting.state in (MeetingState.CLOSED, MeetingState.MINUTES_SIGNED,
                                            MeetingState.CANCELLED):
        raise DomainError(ErrorCode.WRONG_STATE, f"“{item.title}” is on no meeting still to be held or sitting.",
                          field="itemId")
    return meeting


def _not_settled(item: AgendaItem) -> None:
    if item.state in _SETTLED or item.state == ItemState.WITHDRAWN:
        raise DomainError(ErrorCode.WRONG_STATE, f"“{item.title}” is {words(item.state)}: who takes part in it is "
                          "settled.", field="itemId")


async def recuse(session: AsyncSession, *, item: AgendaItem, official_id: int, reason: RecusalReason, note: str,
                 actor: audit.Actor) -> MeetingRecusal:
    """A member declares a recusal, or the office or the discipline inspector raises one (002 人事 §23)."""
    await tenancy.lock_county(session, item.county_id)
    await session.refresh(item)
    _not_settled(item)
    meeting = await _meeting_of(session, item)
    members = {r.official_id for r in await meetings.attendance_of(session, meeting.id)
               if r.kind == AttendeeKind.MEMBER}
    if official_id not in members:
        raise DomainError(ErrorCode.NOT_A_MEMBER, "Only a member of the meeting recuses from its items.",
                          field="memberId")
    if await session.scalar(select(MeetingRecusal.id).where(MeetingRecusal.item_id == item.id,
                                                            MeetingRecusal.official_id == official_id)):
        raise DomainError(ErrorCode.DUPLICATE, "This member has recused from the item already.", field="memberId")
    note = note.strip()
    if reason != RecusalReason.DECLARED and not note:
        raise DomainError(ErrorCode.INVALID, "Say why the member is to recuse (002 人事 §23).", field="note")
    return await _add(session, item, official_id, reason, note, actor)


async def _add(session: AsyncSession, item: AgendaItem, official_id: int, reason: RecusalReason, note: str,
               actor: audit.Actor, *, kind: RelationKind | None = None,
               concerning: str | None = None) -> MeetingRecusal:
    recusal = MeetingRecusal(county_id=item.county_id, item_id=item.id, official_id=official_id, reason=reason,
                             relation_kind=kind, concerning=concerning, note=note,
                             raised_by_account_id=actor.account_id)
    session.add(recusal)
    await session.flush()
    await audit.record(session, county_id=item.county_id, actor=actor, action="meeting_recusal.add",
                       entity="meeting_recusal", entity_id=recusal.id, after=audit.as_record(recusal))
    return recusal


async def recuse_persons_concerned(session: AsyncSession, *, ctx: meetings.ItemContext,
                                   actor: audit.Actor) -> meetings.ItemContext:
    """Recuse every member who is a person concerned or related to one in the register (002 人事 §23).

    Runs under the caller's county lock, as the item is taken up or a person is added to an open item.
    """
    persons = persons_of(ctx.item)
    if not persons:
        return ctx
    relations = [Relation(r.official_id, r.kind, r.relative_id, r.relative_name)
                 for r in await relations_of(session, county_id=ctx.item.county_id)]
    due = [r for r in automatic_recusals(ctx.members, persons, relations) if r.member_id not in ctx.recused]
    for recusal in due:
        why = ("is a person concerned" if recusal.kind is None
               else f"is related to {recusal.concerning} ({words(recusal.kind)})")
        await _add(session, ctx.item, recusal.member_id, RecusalReason.AUTOMATIC,
                   f"The member {why}: recused ({RECUSAL_ARTICLE}).", actor, kind=recusal.kind,
                   concerning=recusal.concerning)
    return dataclasses.replace(ctx, recused=ctx.recused | {r.member_id for r in due})


async def set_persons_concerned(session: AsyncSession, *, item: AgendaItem, persons: Sequence[PersonConcerned],
                                actor: audit.Actor) -> AgendaItem:
    """Whom the item is about; members concerned are recused at once if the item is already open."""
    await tenancy.lock_county(session, item.county_id)
    await session.refresh(item)
    _not_settled(item)
    listed: list[dict] = []
    for person in persons:
        if person.official_id is not None:
            official = await _county_official(session, person.official_id, item.county_id, "officialId")
            entry = {"official_id": official.id, "name": official.name}
        else:
            name = person.name.strip()
            if not name:
                raise DomainError(ErrorCode.INVALID, "A person concerned is an official or a name.", field="persons")
            entry = {"official_id": None, "name": name}
        if entry not in listed:
            listed.append(entry)
    before = list(item.persons_concerned or [])
    item.persons_concerned = listed
    await session.flush()
    await audit.record(session, county_id=item.county_id, actor=actor, action="agenda_item.persons_concerned",
                       entity="agenda_item", entity_id=item.id, before={"persons_concerned": before},
                       after={"persons_concerned": listed})
    if item.state == ItemState.OPEN:
        await recuse_persons_concerned(session, ctx=await meetings.item_context(session, item), actor=actor)
    return item
