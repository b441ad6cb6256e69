"""Loads the roster in force at an instant and asks domain.cover who acts for whom."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import literal, null, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from db.periods import held_on
from db.models import AbPair, Absence, Entrustment, Official, Position
from domain.cover import AwayReport, Cover, Holding, RosterAt, who_acts_for
from domain.errors import DomainError, ErrorCode
from domain.roster import local_date


async def roster_at(session: AsyncSession, *, county_id: int, at: dt.datetime) -> RosterAt:
    """In two statements (the inbox runs this on every request): who is away and whom the magistrate
    entrusted; then, only if someone is away, the positions held and the AB pairs."""
    on = local_date(at)
    absent = (
        select(literal("away").label("kind"), Absence.id, Absence.official_id, Absence.acting_official_id)
        .where(Absence.county_id == county_id, Absence.cancelled_at.is_(None), Absence.starts_at <= at,
               Absence.ends_at > at)
    )
    entrusted = (
        select(literal("entrusted"), null(), Entrustment.entrusted_id, null())
        .where(Entrustment.county_id == county_id, Entrustment.cancelled_at.is_(None), Entrustment.starts_at <= at,
               Entrustment.ends_at > at)
    )
    away: dict[int, AwayReport] = {}
    entrusted_id = None
    for kind, absence_id, official_id, acting_id in await session.execute(union_all(absent, entrusted)):
        if kind == "away":
            away[official_id] = AwayReport(absence_id, official_id, acting_id)
        else:
            entrusted_id = official_id
    if not away:
        # Nobody is away: cover never comes into it, so the rest of the roster is not needed.
        return RosterAt(holdings=(), away={}, ab_partner={})
    held = (
        select(Position.official_id, Position.role, Position.department_id, Position.deputy_rank,
               null().label("partner_id"))
        .where(Position.county_id == county_id, held_on(Position, on))
    )
    paired = (
        select(AbPair.official_a_id, null(), null(), null(), AbPair.official_b_id)
        .where(AbPair.county_id == county_id, held_on(AbPair, on))
    )
    holdings: list[Holding] = []
    ab_partner: dict[int, int] = {}
    for official_id, role, department_id, deputy_rank, partner_id in await session.execute(union_all(held, paired)):
        if partner_id is None:
            holdings.append(Holding(official_id, role, department_id, deputy_rank))
        else:
            ab_partner[official_id] = partner_id
            ab_partner[partner_id] = official_id
    return RosterAt(holdings=tuple(holdings), away=away, ab_partner=ab_partner, entrusted_by_magistrate=entrusted_id)


async def cover_for(session: AsyncSession, *, official_id: int, at: dt.datetime) -> Cover:
    official = await session.get(Official, official_id)
    if official is None:
        raise DomainError(ErrorCode.NOT_FOUND, "No such official.", field="officialId")
    if at.tzinfo is None:
        raise DomainError(ErrorCode.INVALID, "Give the time with its UTC offset.", field="at")
    return who_acts_for(official.id, await roster_at(session, county_id=official.county_id, at=at))
