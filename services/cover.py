"""Loads the roster in force at an instant and asks domain.cover who acts for whom."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import literal, null, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from db.periods import held_on
from db.models import AbPair, Absence, Entrustment, Official, Position
from domain.cover import AwayReport, Cover, Holding, RosterAt, who_acts_for
from domain.errors import DomainError, ErrorCode
from domain.roster import LOCAL_TZ, local_date


async def roster_at(session: AsyncSession, *, county_id: int, at: dt.datetime) -> RosterAt:
    roster, _ = await roster_until_next_change(session, county_id=county_id, at=at)
    return roster


async def roster_until_next_change(session: AsyncSession, *, county_id: int,
                                   at: dt.datetime) -> tuple[RosterAt, dt.datetime]:
    """The roster in force at ``at``, and when it next changes by what is on record now.

    The next change is the first absence or entrustment to begin or end after ``at``, or local
    midnight, when dated holdings (positions, AB pairs) may change. Two statements: absences and
    entrustments not yet over, then, only if someone is away now, the positions and AB pairs held.
    """
    on = local_date(at)
    not_over = (
        select(literal("away").label("kind"), Absence.id, Absence.official_id, Absence.acting_official_id,
               Absence.starts_at, Absence.ends_at)
        .where(Absence.county_id == county_id, Absence.cancelled_at.is_(None), Absence.ends_at > at)
    )
    entrusted_not_over = (
        select(literal("entrusted"), null(), Entrustment.entrusted_id, null(), Entrustment.starts_at,
               Entrustment.ends_at)
        .where(Entrustment.county_id == county_id, Entrustment.cancelled_at.is_(None), Entrustment.ends_at > at)
    )
    next_change = dt.datetime.combine(on + dt.timedelta(days=1), dt.time(), LOCAL_TZ).astimezone(dt.timezone.utc)
    away: dict[int, AwayReport] = {}
    entrusted_id = None
    for kind, absence_id, official_id, acting_id, starts_at, ends_at in await session.execute(
            union_all(not_over, entrusted_not_over)):
        if starts_at > at:
            next_change = min(next_change, starts_at)
            continue
        next_change = min(next_change, ends_at)
        if kind == "away":
            away[official_id] = AwayReport(absence_id, official_id, acting_id)
        else:
            entrusted_id = official_id
    if not away:
        # Nobody is away: cover never comes into it, so the rest of the roster is not needed.
        return RosterAt(holdings=(), away={}, ab_partner={}), next_change
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
    roster = RosterAt(holdings=tuple(holdings), away=away, ab_partner=ab_partner,
                      entrusted_by_magistrate=entrusted_id)
    return roster, next_change


@dataclass(frozen=True)
class _CachedRoster:
    version: int
    valid_from: dt.datetime
    valid_until: dt.datetime
    roster: RosterAt


class RosterCache:
    """Each county's roster in force now, kept by a server process for the inbox's cover lookup.

    An entry serves while the county's ``roster_version`` (bumped in the transaction of every roster
    change, read with the sign-in on each request, so in every process) is the one it was read under,
    and until the next change already on record (``roster_until_next_change``). Keyed by county id:
    counties are never deleted, so an id never names another county (the tests, which empty the
    database between scenarios, clear the cache).
    """

    def __init__(self) -> None:
        self._entries: dict[int, _CachedRoster] = {}

    def clear(self) -> None:
        self._entries.clear()

    async def roster_now(self, session: AsyncSession, *, county_id: int, version: int | None,
                         at: dt.datetime) -> RosterAt:
        if version is None:
            return await roster_at(session, county_id=county_id, at=at)
        entry = self._entries.get(county_id)
        if entry is not None and entry.version == version and entry.valid_from <= at < entry.valid_until:
            return entry.roster
        roster, valid_until = await roster_until_next_change(session, county_id=county_id, at=at)
        self._entries[county_id] = _CachedRoster(version, at, valid_until, roster)
        return roster


async def cover_for(session: AsyncSession, *, official_id: int, at: dt.datetime) -> Cover:
    official = await session.get(Official, official_id)
    if official is None:
        raise DomainError(ErrorCode.NOT_FOUND, "No such official.", field="officialId")
    if at.tzinfo is None:
        raise DomainError(ErrorCode.INVALID, "Give the time with its UTC offset.", field="at")
    return who_acts_for(official.id, await roster_at(session, county_id=official.county_id, at=at))
