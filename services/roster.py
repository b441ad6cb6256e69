"""Roster changes for county administrators.

Each function validates everything before it writes, holds the county's write lock for the whole
transaction (so two administrators cannot interleave checks and writes), and appends an audit event.
The caller owns the transaction: on DomainError it rolls back and nothing is written.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.periods import held_on, overlapping
from db.models import (
    AbPair,
    Absence,
    County,
    Department,
    Entrustment,
    Official,
    PortfolioAssignment,
    Position,
    utcnow,
)
from domain.errors import DomainError, ErrorCode, words
from domain.roster import (
    DEPARTMENT_ROLES,
    SOLE_COUNTY_ROLES,
    VICE_MAGISTRATE_ROLES,
    AbsenceReason,
    DepartmentKind,
    Role,
    find_cover_cycle,
    local_date,
)
from services import audit, handover
from services.tenancy import lock_county

# An official holds at most one of these at a time (the executive VM is a VM already).
_COUNTY_LEADER_ROLES = frozenset({Role.MAGISTRATE, *VICE_MAGISTRATE_ROLES})


# ---------------------------------------------------------------- lookups


async def _lock_roster(session: AsyncSession, county_id: int) -> None:
    """Serialise the county's writers, and tell cached cover lookups (services.cover) the roster changed."""
    county = await lock_county(session, county_id)
    county.roster_version = County.roster_version + 1


async def _official(session: AsyncSession, official_id: int, field: str, county_id: int | None = None) -> Official:
    official = await session.get(Official, official_id)
    # Another county's official answers like a missing one: no answer may tell that it exists.
    if official is None or (county_id is not None and official.county_id != county_id):
        raise DomainError(ErrorCode.NOT_FOUND, "No such official.", field=field)
    return official


async def _department(session: AsyncSession, department_id: int, field: str, county_id: int) -> Department:
    department = await session.get(Department, department_id)
    if department is None or department.county_id != county_id:
        raise DomainError(ErrorCode.NOT_FOUND, "No such department.", field=field)
    return department


def _require_serving(official: Official, on: dt.date, field: str) -> None:
    if official.retired_on is not None and official.retired_on <= on:
        raise DomainError(ErrorCode.RETIRED, f"{official.name} retired on {official.retired_on}.", field=field)


async def _roles_on(session: AsyncSession, official_id: int, on: dt.date) -> set[Role]:
    rows = await session.execute(
        select(Position.role).where(Position.official_id == official_id, held_on(Position, on))
    )
    return set(rows.scalars())


async def _require_vice_magistrate(session: AsyncSession, official: Official, on: dt.date,
                                   field: str) -> dt.date | None:
    """Returns the day that vice-magistrate term ends (None while open).

    Portfolios and AB pairs hang on the term and end with it (``_end_vice_magistrate_duties``), so
    those set up after the term's end was recorded must end that day too.
    """
    ends = (
        await session.execute(
            select(Position.effective_to).where(
                Position.official_id == official.id,
                Position.role.in_(VICE_MAGISTRATE_ROLES),
                held_on(Position, on),
            )
        )
    ).scalars().all()
    if not ends:
        raise DomainError(
            ErrorCode.NOT_A_VICE_MAGISTRATE, f"{official.name} is not a vice magistrate on {on}.", field=field
        )
    # One county-leader role at a time (appoint), so one term.
    return ends[0]


# ---------------------------------------------------------------- officials


async def add_official(session: AsyncSession, *, county_id: int, code: str, name: str, rank_order: int,
                       actor: audit.Actor) -> Official:
    await _lock_roster(session, county_id)
    code, name = code.strip(), name.strip()
    if not code:
        raise DomainError(ErrorCode.INVALID, "A staff code is required.", field="code")
    if not name:
        raise DomainError(ErrorCode.INVALID, "A name is required.", field="name")
    if rank_order < 1:
        raise DomainError(ErrorCode.INVALID, "Rank order starts at 1.", field="rankOrder")
    await _require_unique_code(session, county_id, code)
    official = Official(county_id=county_id, code=code, name=name, rank_order=rank_order)
    session.add(official)
    await session.flush()
    await audit.record(session, county_id=county_id, actor=actor, action="official.add", entity="official",
                       entity_id=official.id, after=audit.as_record(official))
    return official


async def _require_unique_code(session: AsyncSession, county_id: int, code: str) -> None:
    taken = await session.execute(select(Official.id).where(Official.county_id == county_id, Official.code == code))
    if taken.first():
        raise DomainError(ErrorCode.DUPLICATE, f"The staff code “{code}” is already used in this county.", field="code")


async def update_official(session: AsyncSession, *, official_id: int, actor: audit.Actor, code: str | None = None,
                          name: str | None = None, rank_order: int | None = None) -> Official:
    official = await _official(session, official_id, "id")
    await _lock_roster(session, official.county_id)
    before = audit.as_record(official)
    if code is not None and code.strip() != official.code:
        if not code.strip():
            raise DomainError(ErrorCode.INVALID, "A staff code is required.", field="code")
        await _require_unique_code(session, official.county_id, code.strip())
        official.code = code.strip()
    if name is not None:
        if not name.strip():
            raise DomainError(ErrorCode.INVALID, "A name is required.", field="name")
        official.name = name.strip()
    if rank_order is not None:
        if rank_order < 1:
            raise DomainError(ErrorCode.INVALID, "Rank order starts at 1.", field="rankOrder")
        official.rank_order = rank_order
    await session.flush()
    await audit.record(session, county_id=official.county_id, actor=actor, action="official.update",
                       entity="official", entity_id=official.id, before=before, after=audit.as_record(official))
    return official


async def retire_official(session: AsyncSession, *, official_id: int, retired_on: dt.date,
                          actor: audit.Actor) -> Official:
    """Ends every position, portfolio and AB pair the official holds on ``retired_on``."""
    official = await _official(session, official_id, "id")
    await _lock_roster(session, official.county_id)
    if official.retired_on is not None:
        raise DomainError(ErrorCode.ALREADY_ENDED, f"{official.name} already retired.", field="id")
    open_positions = (
        await session.execute(
            select(Position).where(Position.official_id == official.id, overlapping(Position, retired_on, None))
        )
    ).scalars().all()
    for position in open_positions:
        await _end_position(session, position, retired_on, actor, field="retiredOn")
    before = audit.as_record(official)
    official.retired_on = retired_on
    await session.flush()
    await audit.record(session, county_id=official.county_id, actor=actor, action="official.retire",
                       entity="official", entity_id=official.id, before=before, after=audit.as_record(official))
    await _hand_over_if_in_force(session, official.county_id, retired_on, actor)
    return official


# ---------------------------------------------------------------- positions


async def appoint(session: AsyncSession, *, official_id: int, role: Role, effective_from: dt.date,
                  actor: audit.Actor, department_id: int | None = None, deputy_rank: int | None = None,
                  replace_incumbent: bool = False) -> Position:
    """Appoint to a position from ``effective_from``.

    A sole position (magistrate, executive VM, a department's principal) that is occupied is refused
    unless ``replace_incumbent``: then the incumbent's holding ends the day the successor starts.
    """
    official = await _official(session, official_id, "officialId")
    county_id = official.county_id
    await _lock_roster(session, county_id)
    if official.retired_on is not None:
        # Not only once retired: a position runs until further notice, so given to someone due to retire
        # it would outlast the retirement that ended all his others.
        raise DomainError(ErrorCode.RETIRED, f"{official.name} retires on {official.retired_on}.",
                          field="officialId")

    if role in DEPARTMENT_ROLES:
        if department_id is None:
            raise DomainError(ErrorCode.INVALID, f"A {words(role)} position needs a department.", field="departmentId")
        await _department(session, department_id, "departmentId", county_id)
    elif department_id is not None:
        raise DomainError(ErrorCode.INVALID, f"A {words(role)} is county-wide; give no department.",
                          field="departmentId")
    if deputy_rank is not None and role != Role.DEPARTMENT_DEPUTY:
        raise DomainError(ErrorCode.INVALID, "Only deputies have a deputy rank.", field="deputyRank")
    if deputy_rank is not None and deputy_rank < 1:
        raise DomainError(ErrorCode.INVALID, "Deputy rank starts at 1.", field="deputyRank")

    held = (
        await session.execute(
            select(Position).where(Position.official_id == official.id, overlapping(Position, effective_from, None))
        )
    ).scalars().all()
    for holding in held:
        if holding.role == role and holding.department_id == department_id:
            raise DomainError(ErrorCode.DUPLICATE, f"{official.name} already holds this position.", field="role")
        if role in _COUNTY_LEADER_ROLES and holding.role in _COUNTY_LEADER_ROLES:
            raise DomainError(
                ErrorCode.INVALID,
                f"{official.name} is already {words(holding.role)}; end that position first.",
                field="role",
            )

    if role in SOLE_COUNTY_ROLES or role == Role.DEPARTMENT_PRINCIPAL:
        same_post = select(Position).where(
            Position.county_id == county_id, Position.role == role, overlapping(Position, effective_from, None)
        )
        if department_id is not None:
            same_post = same_post.where(Position.department_id == department_id)
        incumbents = (await session.execute(same_post)).scalars().all()
        for incumbent in incumbents:
            if not replace_incumbent:
                raise DomainError(ErrorCode.POSITION_OCCUPIED,
                                  f"The {words(role)} position is held; the successor must replace the incumbent.",
                                  field="role")
            if incumbent.effective_from >= effective_from:
                raise DomainError(ErrorCode.POSITION_OCCUPIED,
                                  "The incumbent's term starts on or after that date; pick a later date.",
                                  field="effectiveFrom")
            await _end_position(session, incumbent, effective_from, actor, successor_starts=effective_from)

    if role == Role.DEPARTMENT_DEPUTY and deputy_rank is None:
        ranks = await session.execute(
            select(Position.deputy_rank).where(
                Position.department_id == department_id,
                Position.role == Role.DEPARTMENT_DEPUTY,
                held_on(Position, effective_from),
            )
        )
        deputy_rank = max((r for r in ranks.scalars() if r is not None), default=0) + 1

    position = Position(county_id=county_id, official_id=official.id, role=role, department_id=department_id,
                        deputy_rank=deputy_rank, effective_from=effective_from)
    session.add(position)
    await session.flush()
    await audit.record(session, county_id=county_id, actor=actor, action="position.appoint", entity="position",
                       entity_id=position.id, after=audit.as_record(position))
    await _hand_over_if_in_force(session, county_id, effective_from, actor)
    return position


async def _hand_over_if_in_force(session: AsyncSession, county_id: int, from_day: dt.date,
                                 actor: audit.Actor) -> None:
    """A change in force today may give retired officials' waiting work a holder (services.handover)."""
    now = utcnow()
    if from_day <= local_date(now):
        await handover.hand_over_retired_work(session, county_id=county_id, at=now, actor=actor)


async def end_position(session: AsyncSession, *, position_id: int, effective_to: dt.date,
                       actor: audit.Actor) -> Position:
    position = await session.get(Position, position_id)
    if position is None:
        raise DomainError(ErrorCode.NOT_FOUND, "No such position.", field="positionId")
    await _lock_roster(session, position.county_id)
    await _end_position(session, position, effective_to, actor)
    return position


async def _end_position(session: AsyncSession, position: Position, effective_to: dt.date, actor: audit.Actor,
                        successor_starts: dt.date | None = None, *, field: str = "effectiveTo") -> None:
    """``field`` is the input that set ``effective_to`` (retiring ends positions on ``retiredOn``)."""
    if position.effective_to is not None and position.effective_to <= effective_to:
        raise DomainError(ErrorCode.ALREADY_ENDED, f"This position already ended on {position.effective_to}.",
                          field=field)
    if effective_to <= position.effective_from:
        raise DomainError(ErrorCode.PERIOD_INVALID,
                          f"A position held from {position.effective_from} must end after that day.",
                          field=field)
    if position.role == Role.MAGISTRATE and successor_starts != effective_to:
        successor = await session.execute(
            select(Position.id).where(
                Position.county_id == position.county_id,
                Position.role == Role.MAGISTRATE,
                Position.id != position.id,
                held_on(Position, effective_to),
            )
        )
        if successor.first() is None:
            raise DomainError(ErrorCode.MAGISTRATE_REQUIRED,
                              "The county would have no magistrate: appoint a successor first.",
                              field=field)
    before = audit.as_record(position)
    position.effective_to = effective_to
    await session.flush()
    await audit.record(session, county_id=position.county_id, actor=actor, action="position.end",
                       entity="position", entity_id=position.id, before=before, after=audit.as_record(position))
    if position.role in VICE_MAGISTRATE_ROLES and not (
        await _roles_on(session, position.official_id, effective_to)
    ) & VICE_MAGISTRATE_ROLES:
        await _end_vice_magistrate_duties(session, position.official_id, effective_to, actor)


async def _end_vice_magistrate_duties(session: AsyncSession, official_id: int, on: dt.date,
                                      actor: audit.Actor) -> None:
    """A VM who stops being one leaves their portfolio and AB pair on the same day."""
    portfolio = (
        await session.execute(
            select(PortfolioAssignment).where(
                PortfolioAssignment.official_id == official_id, overlapping(PortfolioAssignment, on, None)
            )
        )
    ).scalars().all()
    for row in portfolio:
        await _end_period(session, row, on, actor, "portfolio.end", "portfolio_assignment")
    pairs = (
        await session.execute(
            select(AbPair).where(
                or_(AbPair.official_a_id == official_id, AbPair.official_b_id == official_id),
                overlapping(AbPair, on, None),
            )
        )
    ).scalars().all()
    for pair in pairs:
        await _end_period(session, pair, on, actor, "ab_pair.end", "ab_pair")


async def _end_period(session: AsyncSession, row, on: dt.date, actor: audit.Actor, action: str, entity: str) -> None:
    """End a dated row on ``on``; a row that would not have started by then is removed instead."""
    before = audit.as_record(row)
    if row.effective_from >= on:
        await session.delete(row)
        after = None
    else:
        row.effective_to = on
        after = audit.as_record(row)
    await session.flush()
    await audit.record(session, county_id=row.county_id, actor=actor, action=action, entity=entity,
                       entity_id=row.id, before=before, after=after)


# ---------------------------------------------------------------- departments


async def create_department(session: AsyncSession, *, county_id: int, name: str, kind: DepartmentKind,
                            actor: audit.Actor) -> Department:
    await _lock_roster(session, county_id)
    name = await _unique_department_name(session, county_id, name)
    department = Department(county_id=county_id, name=name, kind=kind)
    session.add(department)
    await session.flush()
    await audit.record(session, county_id=county_id, actor=actor, action="department.create", entity="department",
                       entity_id=department.id, after=audit.as_record(department))
    return department


async def rename_department(session: AsyncSession, *, department_id: int, name: str,
                            actor: audit.Actor) -> Department:
    department = await session.get(Department, department_id)
    if department is None:
        raise DomainError(ErrorCode.NOT_FOUND, "No such department.", field="id")
    await _lock_roster(session, department.county_id)
    before = audit.as_record(department)
    department.name = await _unique_department_name(session, department.county_id, name, department.id)
    await session.flush()
    await audit.record(session, county_id=department.county_id, actor=actor, action="department.rename",
                       entity="department", entity_id=department.id, before=before,
                       after=audit.as_record(department))
    return department


async def _unique_department_name(session: AsyncSession, county_id: int, name: str,
                                  except_id: int | None = None) -> str:
    name = name.strip()
    if not name:
        raise DomainError(ErrorCode.INVALID, "A department needs a name.", field="name")
    clash = await session.execute(
        select(Department.id).where(Department.county_id == county_id, Department.name == name,
                                    Department.id != (except_id or 0))
    )
    if clash.first():
        raise DomainError(ErrorCode.DUPLICATE, f"There is already a department named “{name}”.", field="name")
    return name


async def set_principal(session: AsyncSession, *, department_id: int, official_id: int, effective_from: dt.date,
                        actor: audit.Actor) -> Position:
    department = await session.get(Department, department_id)
    if department is None:
        raise DomainError(ErrorCode.NOT_FOUND, "No such department.", field="departmentId")
    # The department fixes the county. Left to appoint, an official of another county would lock his
    # county and be reported as the department's fault.
    await _official(session, official_id, "officialId", county_id=department.county_id)
    return await appoint(session, official_id=official_id, role=Role.DEPARTMENT_PRINCIPAL,
                         department_id=department_id, effective_from=effective_from, actor=actor,
                         replace_incumbent=True)


# ---------------------------------------------------------------- portfolios and AB pairs


async def set_portfolio(session: AsyncSession, *, official_id: int, department_ids: Sequence[int],
                        effective_from: dt.date, actor: audit.Actor) -> list[PortfolioAssignment]:
    """Make the VM's portfolio exactly ``department_ids`` from ``effective_from``."""
    official = await _official(session, official_id, "officialId")
    county_id = official.county_id
    await _lock_roster(session, county_id)
    _require_serving(official, effective_from, "officialId")
    until = await _require_vice_magistrate(session, official, effective_from, "officialId")
    wanted = list(dict.fromkeys(department_ids))
    for department_id in wanted:
        await _department(session, department_id, "departmentIds", county_id)

    taken = (
        await session.execute(
            select(PortfolioAssignment, Official.name)
            .join(Official, Official.id == PortfolioAssignment.official_id)
            .where(
                PortfolioAssignment.department_id.in_(wanted),
                PortfolioAssignment.official_id != official.id,
                overlapping(PortfolioAssignment, effective_from, until),
            )
        )
    ).first()
    if taken is not None:
        department = await session.get(Department, taken[0].department_id)
        raise DomainError(ErrorCode.DEPARTMENT_ALREADY_IN_PORTFOLIO,
                          f"{department.name} is in {taken[1]}'s portfolio; take it out of that portfolio first.",
                          field="departmentIds")

    current = (
        await session.execute(
            select(PortfolioAssignment).where(
                PortfolioAssignment.official_id == official.id,
                overlapping(PortfolioAssignment, effective_from, until),
            )
        )
    ).scalars().all()
    # A row is kept only if it already says "this department from that day to the term's end"; any other
    # (starting later, or ending early) would leave days uncovered, so it is ended and the period rewritten.
    kept = [
        row for row in current
        if row.department_id in wanted and row.effective_from <= effective_from and row.effective_to == until
    ]
    for row in current:
        if row not in kept:
            await _end_period(session, row, effective_from, actor, "portfolio.end", "portfolio_assignment")
    kept_departments = {row.department_id for row in kept}
    for department_id in wanted:
        if department_id in kept_departments:
            continue
        row = PortfolioAssignment(county_id=county_id, official_id=official.id, department_id=department_id,
                                  effective_from=effective_from, effective_to=until)
        session.add(row)
        await session.flush()
        await audit.record(session, county_id=county_id, actor=actor, action="portfolio.assign",
                           entity="portfolio_assignment", entity_id=row.id, after=audit.as_record(row))
    result = await session.execute(
        select(PortfolioAssignment).where(
            PortfolioAssignment.official_id == official.id, held_on(PortfolioAssignment, effective_from)
        )
    )
    return list(result.scalars())


async def pair_ab_partners(session: AsyncSession, *, official_a_id: int, official_b_id: int,
                           effective_from: dt.date, actor: audit.Actor) -> AbPair:
    a = await _official(session, official_a_id, "officialAId")
    await _lock_roster(session, a.county_id)
    if official_b_id == official_a_id:
        raise DomainError(ErrorCode.ACTING_FOR_SELF, "An official cannot be their own AB partner.",
                          field="officialBId")
    b = await _official(session, official_b_id, "officialBId", county_id=a.county_id)
    term_ends = []
    for official, field in ((a, "officialAId"), (b, "officialBId")):
        _require_serving(official, effective_from, field)
        term_ends.append(await _require_vice_magistrate(session, official, effective_from, field))
    # The pair ends when the first of the two stops being a vice magistrate.
    until = min((end for end in term_ends if end is not None), default=None)
    for official, field in ((a, "officialAId"), (b, "officialBId")):
        paired = await session.execute(
            select(AbPair.id).where(
                or_(AbPair.official_a_id == official.id, AbPair.official_b_id == official.id),
                overlapping(AbPair, effective_from, until),
            )
        )
        if paired.first():
            raise DomainError(ErrorCode.ALREADY_PAIRED, f"{official.name} already has an AB partner.", field=field)
    pair = AbPair(county_id=a.county_id, official_a_id=a.id, official_b_id=b.id, effective_from=effective_from,
                  effective_to=until)
    session.add(pair)
    await session.flush()
    await audit.record(session, county_id=a.county_id, actor=actor, action="ab_pair.create", entity="ab_pair",
                       entity_id=pair.id, after=audit.as_record(pair))
    return pair


async def end_ab_pair(session: AsyncSession, *, pair_id: int, effective_to: dt.date, actor: audit.Actor) -> AbPair:
    pair = await session.get(AbPair, pair_id)
    if pair is None:
        raise DomainError(ErrorCode.NOT_FOUND, "No such AB pair.", field="pairId")
    await _lock_roster(session, pair.county_id)
    if pair.effective_to is not None and pair.effective_to <= effective_to:
        raise DomainError(ErrorCode.ALREADY_ENDED, f"This pair already ended on {pair.effective_to}.",
                          field="effectiveTo")
    if effective_to <= pair.effective_from:
        raise DomainError(ErrorCode.PERIOD_INVALID, "The pair must end after it started.", field="effectiveTo")
    await _end_period(session, pair, effective_to, actor, "ab_pair.end", "ab_pair")
    return pair


# ---------------------------------------------------------------- absences and entrustments


def _require_period(starts_at: dt.datetime, ends_at: dt.datetime) -> None:
    for value, field in ((starts_at, "startsAt"), (ends_at, "endsAt")):
        if value.tzinfo is None:
            raise DomainError(ErrorCode.INVALID, "Give the time with its UTC offset.", field=field)
    if ends_at <= starts_at:
        raise DomainError(ErrorCode.PERIOD_INVALID, "An absence must end after it starts.", field="endsAt")


def _live_between(model, starts_at: dt.datetime, ends_at: dt.datetime):
    return model.cancelled_at.is_(None) & (model.starts_at < ends_at) & (model.ends_at > starts_at)


async def record_absence(session: AsyncSession, *, official_id: int, starts_at: dt.datetime, ends_at: dt.datetime,
                         reason: AbsenceReason, actor: audit.Actor, note: str = "",
                         acting_official_id: int | None = None) -> Absence:
    official = await _official(session, official_id, "officialId")
    await _lock_roster(session, official.county_id)
    _require_period(starts_at, ends_at)
    _require_serving(official, local_date(starts_at), "officialId")
    if acting_official_id is not None:
        if acting_official_id == official.id:
            raise DomainError(ErrorCode.ACTING_FOR_SELF, "An official cannot act for themself.",
                              field="actingOfficialId")
        acting = await _official(session, acting_official_id, "actingOfficialId", county_id=official.county_id)
        _require_serving(acting, local_date(starts_at), "actingOfficialId")

    clash = (
        await session.execute(
            select(Absence).where(Absence.official_id == official.id, _live_between(Absence, starts_at, ends_at))
        )
    ).scalars().first()
    if clash is not None:
        raise DomainError(ErrorCode.ABSENCE_OVERLAP,
                          f"{official.name} is already reported away from {clash.starts_at:%Y-%m-%d %H:%M} "
                          f"to {clash.ends_at:%Y-%m-%d %H:%M} UTC.", field="startsAt")

    if acting_official_id is not None:
        await _require_no_cover_cycle(session, official, acting_official_id, starts_at, ends_at)

    absence = Absence(county_id=official.county_id, official_id=official.id, starts_at=starts_at, ends_at=ends_at,
                      reason=reason, note=note.strip(), acting_official_id=acting_official_id)
    session.add(absence)
    await session.flush()
    await audit.record(session, county_id=official.county_id, actor=actor, action="absence.record",
                       entity="absence", entity_id=absence.id, after=audit.as_record(absence))
    return absence


async def _require_no_cover_cycle(session: AsyncSession, official: Official, acting_official_id: int,
                                  starts_at: dt.datetime, ends_at: dt.datetime) -> None:
    """Refuse if at some moment of the absence everyone on a chain of named acting persons is away.

    Checked between consecutive period boundaries, not over the whole absence at once: an official may have
    several absences in it naming different people, and absences that each overlap this one need not overlap
    each other.
    """
    others = (
        await session.execute(
            select(Absence.official_id, Absence.acting_official_id, Absence.starts_at, Absence.ends_at).where(
                Absence.county_id == official.county_id,
                Absence.acting_official_id.is_not(None),
                _live_between(Absence, starts_at, ends_at),
            )
        )
    ).all()
    inner = {at for row in others for at in (row.starts_at, row.ends_at) if starts_at < at < ends_at}
    for moment_from, moment_to in itertools.pairwise(sorted({starts_at, ends_at, *inner})):
        named = {
            row.official_id: row.acting_official_id
            for row in others
            if row.starts_at < moment_to and row.ends_at > moment_from
        }
        named[official.id] = acting_official_id
        if find_cover_cycle(named, official.id) is not None:
            raise DomainError(ErrorCode.COVER_CYCLE,
                              "Those named to act for each other would all be away at once.",
                              field="actingOfficialId")


async def cancel_absence(session: AsyncSession, *, absence_id: int, actor: audit.Actor) -> Absence:
    return await _cancel(session, Absence, absence_id, field="absenceId", actor=actor)


async def _cancel(session: AsyncSession, model, row_id: int, *, field: str, actor: audit.Actor):
    """Cancel an absence or entrustment: kept, marked cancelled, no longer in force."""
    entity = model.__tablename__[:-1]
    row = await session.get(model, row_id)
    if row is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"No such {entity}.", field=field)
    await _lock_roster(session, row.county_id)
    if row.cancelled_at is not None:
        raise DomainError(ErrorCode.ALREADY_ENDED, f"This {entity} is already cancelled.", field=field)
    before = audit.as_record(row)
    row.cancelled_at = utcnow()
    await session.flush()
    await audit.record(session, county_id=row.county_id, actor=actor, action=f"{entity}.cancel", entity=entity,
                       entity_id=row.id, before=before, after=audit.as_record(row))
    return row


async def record_entrustment(session: AsyncSession, *, entrusted_id: int, starts_at: dt.datetime,
                             ends_at: dt.datetime, actor: audit.Actor, note: str = "") -> Entrustment:
    """The magistrate names the VM who presides when he and the executive VM are both away (000 §6)."""
    entrusted = await _official(session, entrusted_id, "entrustedId")
    county_id = entrusted.county_id
    await _lock_roster(session, county_id)
    _require_period(starts_at, ends_at)
    on = local_date(starts_at)
    _require_serving(entrusted, on, "entrustedId")
    await _require_vice_magistrate(session, entrusted, on, "entrustedId")
    magistrate_id = (
        await session.execute(
            select(Position.official_id).where(
                Position.county_id == county_id, Position.role == Role.MAGISTRATE, held_on(Position, on)
            )
        )
    ).scalar_one_or_none()
    if magistrate_id is None:
        raise DomainError(ErrorCode.MAGISTRATE_REQUIRED, "There is no magistrate to entrust anyone.",
                          field="startsAt")
    clash = await session.execute(
        select(Entrustment.id).where(Entrustment.county_id == county_id,
                                     _live_between(Entrustment, starts_at, ends_at))
    )
    if clash.first():
        raise DomainError(ErrorCode.DUPLICATE, "Another entrustment covers part of that period.", field="startsAt")
    entrustment = Entrustment(county_id=county_id, entrusting_id=magistrate_id, entrusted_id=entrusted.id,
                              starts_at=starts_at, ends_at=ends_at, note=note.strip())
    session.add(entrustment)
    await session.flush()
    await audit.record(session, county_id=county_id, actor=actor, action="entrustment.record",
                       entity="entrustment", entity_id=entrustment.id, after=audit.as_record(entrustment))
    return entrustment


async def cancel_entrustment(session: AsyncSession, *, entrustment_id: int, actor: audit.Actor) -> Entrustment:
    return await _cancel(session, Entrustment, entrustment_id, field="entrustmentId", actor=actor)
