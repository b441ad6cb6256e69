"""Loads the roster in force at an instant and asks domain.cover who acts for whom."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.periods import held_on
from db.models import AbPair, Absence, Entrustment, Official, Position
from domain.cover import AwayReport, Cover, Holding, RosterAt, who_acts_for
from domain.errors import DomainError, ErrorCode
from domain.roster import local_date


async def roster_at(session: AsyncSession, *, county_id: int, at: dt.datetime) -> RosterAt:
    on = local_date(at)
    away = (
        await session.execute(
            select(Absence.id, Absence.official_id, Absence.acting_official_id).where(
                Absence.county_id == county_id,
                Absence.cancelled_at.is_(None),
                Absence.starts_at <= at,
                Absence.ends_at > at,
            )
        )
    ).all()
    if not away:
        # Nobody is away: cover never comes into it, so the rest of the roster is not needed.
        return RosterAt(holdings=(), away={}, ab_partner={})
    holdings = (
        await session.execute(
            select(Position.official_id, Position.role, Position.department_id, Position.deputy_rank).where(
                Position.county_id == county_id, held_on(Position, on)
            )
        )
    ).all()
    pairs = (
        await session.execute(
            select(AbPair.official_a_id, AbPair.official_b_id).where(
                AbPair.county_id == county_id, held_on(AbPair, on)
            )
        )
    ).all()
    entrusted = (
        await session.execute(
            select(Entrustment.entrusted_id).where(
                Entrustment.county_id == county_id,
                Entrustment.cancelled_at.is_(None),
                Entrustment.starts_at <= at,
                Entrustment.ends_at > at,
            )
        )
    ).scalar_one_or_none()
    ab_partner: dict[int, int] = {}
    for a, b in pairs:
        ab_partner[a] = b
        ab_partner[b] = a
    return RosterAt(
        holdings=tuple(Holding(*row) for row in holdings),
        away={row.official_id: AwayReport(row.id, row.official_id, row.acting_official_id) for row in away},
        ab_partner=ab_partner,
        entrusted_by_magistrate=entrusted,
    )


async def cover_for(session: AsyncSession, *, official_id: int, at: dt.datetime) -> Cover:
    official = await session.get(Official, official_id)
    if official is None:
        raise DomainError(ErrorCode.NOT_FOUND, "No such official.", field="officialId")
    if at.tzinfo is None:
        raise DomainError(ErrorCode.INVALID, "Give the time with its UTC offset.", field="at")
    return who_acts_for(official.id, await roster_at(session, county_id=official.county_id, at=at))
