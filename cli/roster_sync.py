"""Applying a roster file to a county, and reading a county's roster back out.

Every change goes through ``services.roster``, so validation and the audit trail are the API's.
The caller owns the transaction and rolls it back when there are problems or on a dry run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from cli.roster_formats import (
    AbPairEntry,
    AbsenceEntry,
    DepartmentEntry,
    OfficialEntry,
    PortfolioEntry,
    PositionEntry,
    Problem,
    RosterFile,
)
from db.models import AbPair, Absence, AuditEvent, Department, Official, PortfolioAssignment, Position, utcnow
from db.periods import overlapping
from domain.errors import DomainError, ErrorCode
from domain.roster import LOCAL_TZ, DepartmentKind, local_date
from services import audit, roster
from services.tenancy import lock_county

_Entry = TypeVar("_Entry")


@dataclass
class ImportResult:
    problems: list[Problem]
    changes: list[str]


async def import_roster(session: AsyncSession, *, county_id: int, roster_file: RosterFile,
                        actor: audit.Actor) -> ImportResult:
    """Apply every entry it can, each in its own savepoint, and report every problem and change."""
    # Taken before any savepoint, so rolling one back cannot release it.
    await lock_county(session, county_id)
    last_seq = await _last_audit_seq(session, county_id)
    importer = _Importer(session, county_id, roster_file, actor)
    await importer.run()
    return ImportResult(importer.problems, await describe_changes(session, county_id=county_id, after_seq=last_seq))


class _Importer:
    def __init__(self, session: AsyncSession, county_id: int, roster_file: RosterFile, actor: audit.Actor) -> None:
        self.session = session
        self.county_id = county_id
        self.file = roster_file
        self.actor = actor
        self.today = local_date(utcnow())
        self.problems = list(roster_file.problems)
        # Entries that depend on one that failed are skipped: its problem is already reported.
        self.failed_departments = set(roster_file.unreadable_departments)
        self.failed_officials = set(roster_file.unreadable_officials)
        self.departments: dict[str, tuple[int, DepartmentKind]] = {}
        self.official_ids: dict[str, int] = {}

    async def run(self) -> None:
        rows = await self.session.execute(
            select(Department.name, Department.id, Department.kind).where(Department.county_id == self.county_id)
        )
        self.departments = {name: (department_id, kind) for name, department_id, kind in rows}
        rows = await self.session.execute(
            select(Official.code, Official.id).where(Official.county_id == self.county_id)
        )
        self.official_ids = dict(rows.all())

        for department in self.file.departments:
            if not await self._attempt(department, self._department):
                self.failed_departments.add(department.name)
        for official in self.file.officials:
            if not await self._attempt(official, self._official):
                self.failed_officials.add(official.code)
        for position in self.file.positions:
            if self._can_apply([position.official], [position.department]):
                await self._attempt(position, self._position)
        for portfolio in self.file.portfolios:
            if self._can_apply([portfolio.official], portfolio.departments):
                await self._attempt(portfolio, self._portfolio)
        for pair in self.file.ab_pairs:
            if self._can_apply([pair.a, pair.b], []):
                await self._attempt(pair, self._ab_pair)
        for absence in self.file.absences:
            if self._can_apply([absence.official, absence.acting], []):
                await self._attempt(absence, self._absence)

    def _can_apply(self, official_codes, department_names) -> bool:
        return self.failed_officials.isdisjoint(official_codes) and self.failed_departments.isdisjoint(department_names)

    async def _attempt(self, entry: _Entry, apply: Callable[[_Entry], Awaitable[None]]) -> bool:
        try:
            async with self.session.begin_nested():
                await apply(entry)
        except DomainError as error:
            self.problems.append(self.file.problem_from(entry.where, error))
            return False
        return True

    def _official_id(self, code: str, field: str) -> int:
        if code not in self.official_ids:
            raise DomainError(ErrorCode.NOT_FOUND, f"No official with staff code {code!r} in the county or the file.",
                              field=field)
        return self.official_ids[code]

    def _department_id(self, name: str, field: str) -> int:
        if name not in self.departments:
            raise DomainError(ErrorCode.NOT_FOUND, f"No department named {name!r} in the county or the file.",
                              field=field)
        return self.departments[name][0]

    async def _department(self, entry: DepartmentEntry) -> None:
        if entry.name in self.departments:
            kind = self.departments[entry.name][1]
            if kind != entry.kind:
                raise DomainError(ErrorCode.INVALID, f"{entry.name} is a {kind.value} department; "
                                  "import does not change a department's kind.", field="kind")
            return
        department = await roster.create_department(self.session, county_id=self.county_id, name=entry.name,
                                                    kind=entry.kind, actor=self.actor)
        self.departments[department.name] = (department.id, department.kind)

    async def _official(self, entry: OfficialEntry) -> None:
        if entry.code not in self.official_ids:
            official = await roster.add_official(self.session, county_id=self.county_id, code=entry.code,
                                                 name=entry.name, rank_order=entry.rank_order, actor=self.actor)
            self.official_ids[official.code] = official.id
            return
        official_id = self.official_ids[entry.code]
        current = (
            await self.session.execute(select(Official.name, Official.rank_order).where(Official.id == official_id))
        ).one()
        if tuple(current) != (entry.name, entry.rank_order):
            await roster.update_official(self.session, official_id=official_id, name=entry.name,
                                         rank_order=entry.rank_order, actor=self.actor)

    async def _position(self, entry: PositionEntry) -> None:
        official_id = self._official_id(entry.official, "officialId")
        department_id = self._department_id(entry.department, "departmentId") if entry.department else None
        held = (
            await self.session.execute(
                select(Position.effective_to, Position.deputy_rank).where(
                    Position.official_id == official_id,
                    Position.role == entry.role,
                    Position.department_id.is_(None) if department_id is None
                    else Position.department_id == department_id,
                    Position.effective_from == entry.effective_from,
                )
            )
        ).first()
        if held is None:
            await roster.appoint(self.session, official_id=official_id, role=entry.role,
                                 department_id=department_id, deputy_rank=entry.deputy_rank,
                                 effective_from=entry.effective_from, actor=self.actor)
            return
        if held.effective_to is not None and held.effective_to <= self.today:
            raise DomainError(ErrorCode.ALREADY_ENDED, f"This position ended on {held.effective_to}; "
                              "import does not reopen positions.", field="effectiveFrom")
        if entry.deputy_rank is not None and entry.deputy_rank != held.deputy_rank:
            raise DomainError(ErrorCode.INVALID, f"The deputy rank is {held.deputy_rank} in the roster; "
                              "import does not change deputy ranks.", field="deputyRank")

    async def _portfolio(self, entry: PortfolioEntry) -> None:
        # An unchanged portfolio writes nothing, so this stays idempotent.
        await roster.set_portfolio(
            self.session, official_id=self._official_id(entry.official, "officialId"),
            department_ids=[self._department_id(name, "departmentIds") for name in entry.departments],
            effective_from=entry.effective_from, actor=self.actor,
        )

    async def _ab_pair(self, entry: AbPairEntry) -> None:
        a, b = self._official_id(entry.a, "officialAId"), self._official_id(entry.b, "officialBId")
        in_force = await self.session.execute(
            select(AbPair.id).where(
                or_(and_(AbPair.official_a_id == a, AbPair.official_b_id == b),
                    and_(AbPair.official_a_id == b, AbPair.official_b_id == a)),
                overlapping(AbPair, max(entry.effective_from, self.today), None),
            )
        )
        if in_force.first() is None:
            await roster.pair_ab_partners(self.session, official_a_id=a, official_b_id=b,
                                          effective_from=entry.effective_from, actor=self.actor)

    async def _absence(self, entry: AbsenceEntry) -> None:
        official_id = self._official_id(entry.official, "officialId")
        acting_id = self._official_id(entry.acting, "actingOfficialId") if entry.acting else None
        recorded = await self.session.execute(
            select(Absence.id).where(Absence.official_id == official_id, Absence.starts_at == entry.starts_at,
                                     Absence.ends_at == entry.ends_at, Absence.cancelled_at.is_(None))
        )
        if recorded.first() is None:
            await roster.record_absence(self.session, official_id=official_id, starts_at=entry.starts_at,
                                        ends_at=entry.ends_at, reason=entry.reason, note=entry.note,
                                        acting_official_id=acting_id, actor=self.actor)


# ---------------------------------------------------------------- what changed


async def _last_audit_seq(session: AsyncSession, county_id: int) -> int:
    last = await session.execute(select(func.max(AuditEvent.seq)).where(AuditEvent.county_id == county_id))
    return last.scalar_one() or 0


async def describe_changes(session: AsyncSession, *, county_id: int, after_seq: int) -> list[str]:
    """One line per audit event the county got after ``after_seq`` (the county lock keeps others out)."""
    events = (
        await session.execute(
            select(AuditEvent).where(AuditEvent.county_id == county_id, AuditEvent.seq > after_seq)
            .order_by(AuditEvent.seq)
        )
    ).scalars().all()
    codes = dict((await session.execute(select(Official.id, Official.code).where(Official.county_id == county_id))).all())
    names = dict(
        (await session.execute(select(Department.id, Department.name).where(Department.county_id == county_id))).all()
    )
    return [_describe(event, codes, names) for event in events]


def _local_time(iso: str) -> str:
    return dt.datetime.fromisoformat(iso).astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M")


def _describe(event: AuditEvent, codes: dict[int, str], names: dict[int, str]) -> str:
    before, after = event.before or {}, event.after or {}
    match event.action:
        case "department.create":
            return f"+ department {after['name']} ({after['kind']})"
        case "official.add":
            return f"+ official {after['code']} {after['name']}, rank {after['rank_order']}"
        case "official.update":
            changed = [f"{key} {before[key]} → {after[key]}" for key in ("code", "name", "rank_order")
                       if before[key] != after[key]]
            return f"~ official {after['code']}: {', '.join(changed)}"
        case "position.appoint":
            where = f" of {names[after['department_id']]}" if after["department_id"] else ""
            rank = f" (deputy rank {after['deputy_rank']})" if after["deputy_rank"] else ""
            return f"+ {codes[after['official_id']]} {after['role']}{where}{rank} from {after['effective_from']}"
        case "portfolio.assign":
            return (f"+ portfolio: {codes[after['official_id']]} in charge of {names[after['department_id']]} "
                    f"from {after['effective_from']}")
        case "portfolio.end":
            row = after or before
            until = f" from {after['effective_to']}" if after else " (its assignment had not begun: removed)"
            return f"- portfolio: {codes[row['official_id']]} no longer in charge of {names[row['department_id']]}{until}"
        case "ab_pair.create":
            return (f"+ AB pair {codes[after['official_a_id']]} ⇄ {codes[after['official_b_id']]} "
                    f"from {after['effective_from']}")
        case "absence.record":
            acting = f", {codes[after['acting_official_id']]} acts" if after["acting_official_id"] else ""
            return (f"+ absence: {codes[after['official_id']]} away {_local_time(after['starts_at'])} to "
                    f"{_local_time(after['ends_at'])} ({after['reason']}){acting}")
    return f"{event.action} {event.entity} {event.entity_id}"


# ---------------------------------------------------------------- export


async def export_roster(session: AsyncSession, *, county_id: int) -> RosterFile:
    """The county's current roster, in the order an import of it recreates the same ids in."""
    today = local_date(utcnow())
    departments = (
        await session.execute(select(Department).where(Department.county_id == county_id).order_by(Department.id))
    ).scalars().all()
    names = {department.id: department.name for department in departments}
    everyone = (
        await session.execute(
            select(Official).where(Official.county_id == county_id).order_by(Official.rank_order, Official.code)
        )
    ).scalars().all()
    codes = {official.id: official.code for official in everyone}
    officials = [official for official in everyone if official.retired_on is None or official.retired_on > today]
    rank_of = {official.id: index for index, official in enumerate(officials)}
    serving = list(rank_of)
    positions = (
        await session.execute(
            select(Position).where(Position.county_id == county_id, Position.official_id.in_(serving),
                                   overlapping(Position, today, None))
            .order_by(Position.effective_from, Position.id)
        )
    ).scalars().all()
    portfolio_rows = (
        await session.execute(
            select(PortfolioAssignment).where(PortfolioAssignment.county_id == county_id,
                                              PortfolioAssignment.official_id.in_(serving),
                                              overlapping(PortfolioAssignment, today, None))
            .order_by(PortfolioAssignment.department_id)
        )
    ).scalars().all()
    pairs = (
        await session.execute(
            select(AbPair).where(AbPair.county_id == county_id, overlapping(AbPair, today, None)).order_by(AbPair.id)
        )
    ).scalars().all()
    absences = (
        await session.execute(
            select(Absence).where(Absence.county_id == county_id, Absence.cancelled_at.is_(None),
                                  Absence.ends_at > utcnow(), Absence.official_id.in_(serving))
            .order_by(Absence.starts_at, Absence.id)
        )
    ).scalars().all()

    portfolios: dict[int, list[PortfolioAssignment]] = {}
    for row in portfolio_rows:
        portfolios.setdefault(row.official_id, []).append(row)
    return RosterFile(
        departments=[DepartmentEntry(department.name, department.kind) for department in departments],
        officials=[OfficialEntry(official.code, official.name, official.rank_order) for official in officials],
        positions=[
            PositionEntry(codes[p.official_id], p.role, names.get(p.department_id), p.deputy_rank, p.effective_from)
            for p in positions
        ],
        # One entry per portfolio, dated from its latest assignment: the day it took its current shape.
        portfolios=[
            PortfolioEntry(codes[official_id], tuple(names[row.department_id] for row in rows),
                           max(row.effective_from for row in rows))
            for official_id, rows in sorted(portfolios.items(), key=lambda item: rank_of[item[0]])
        ],
        ab_pairs=[AbPairEntry(codes[p.official_a_id], codes[p.official_b_id], p.effective_from) for p in pairs],
        absences=[
            AbsenceEntry(codes[a.official_id], a.starts_at, a.ends_at, a.reason,
                         codes.get(a.acting_official_id), a.note)
            for a in absences
        ],
    )
