"""Who acts for an absent official, and why (docs/DOMAIN.md §2).

The caller supplies the roster as it stands at one instant; this module decides.
Each duty has its own line of candidates, because the duty passes on, not the person:
when the magistrate and the executive VM are both away, the magistrate's duties go to the
entrusted VM, not to the executive VM's AB partner.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field

from domain.roster import ROLE_PRECEDENCE, VICE_MAGISTRATE_ROLES, Role


class CoverReason(str, enum.Enum):
    NAMED_IN_ABSENCE_REPORT = "named_in_absence_report"
    PRESIDING_FOR_MAGISTRATE = "presiding_for_magistrate"
    ENTRUSTED_BY_MAGISTRATE = "entrusted_by_magistrate"
    AB_PARTNER = "ab_partner"
    ESCALATED_TO_MAGISTRATE = "escalated_to_magistrate"
    DESIGNATED_DEPUTY = "designated_deputy"
    ESCALATED_TO_PRINCIPAL = "escalated_to_principal"


BASIS = {
    CoverReason.NAMED_IN_ABSENCE_REPORT: "002 leave-reporting notice: the report names the acting person",
    CoverReason.PRESIDING_FOR_MAGISTRATE: "000 §6; 001 §5; 003 §10: the executive VM presides when the magistrate is away",
    CoverReason.ENTRUSTED_BY_MAGISTRATE: "000 §6: magistrate and executive VM both away, the VM the magistrate entrusts presides",
    CoverReason.AB_PARTNER: "000 §6; 001 §5; 003 §66: the AB partner acts for an absent vice magistrate",
    CoverReason.ESCALATED_TO_MAGISTRATE: "001 §43: a VM's absence is reported to the magistrate, who takes the work when the AB partner is away too",
    CoverReason.DESIGNATED_DEPUTY: "002 leave notice §4.1: the deputy designated by rank order acts for the principal",
    CoverReason.ESCALATED_TO_PRINCIPAL: "a deputy's work returns to the department principal",
}


class HopOutcome(str, enum.Enum):
    ACTS = "acts"
    ABSENT = "absent"


@dataclass(frozen=True)
class Holding:
    official_id: int
    role: Role
    department_id: int | None = None
    deputy_rank: int | None = None


@dataclass(frozen=True)
class AwayReport:
    absence_id: int
    official_id: int
    acting_official_id: int | None = None


@dataclass(frozen=True)
class RosterAt:
    """The roster in force at one instant."""

    holdings: tuple[Holding, ...]
    away: Mapping[int, AwayReport]
    ab_partner: Mapping[int, int]
    entrusted_by_magistrate: int | None = None

    def is_away(self, official_id: int) -> bool:
        return official_id in self.away

    def holders(self, role: Role, department_id: int | None = None) -> list[Holding]:
        return [
            h
            for h in self.holdings
            if h.role == role and (department_id is None or h.department_id == department_id)
        ]

    def sole_holder(self, role: Role) -> int | None:
        found = self.holders(role)
        return found[0].official_id if found else None

    def capacity(self, official_id: int) -> Holding | None:
        held = [h for h in self.holdings if h.official_id == official_id]
        held.sort(key=lambda h: ROLE_PRECEDENCE.index(h.role))
        return held[0] if held else None


@dataclass(frozen=True)
class Hop:
    on_behalf_of: int
    candidate: int
    reason: CoverReason
    outcome: HopOutcome

    @property
    def basis(self) -> str:
        return BASIS[self.reason]


@dataclass(frozen=True)
class Cover:
    """``actor`` is who acts; ``None`` when nobody in the line of cover is present."""

    target: int
    actor: int | None
    hops: tuple[Hop, ...] = field(default_factory=tuple)


def who_acts_for(official_id: int, roster: RosterAt) -> Cover:
    actor, hops = _resolve(official_id, roster, visited={official_id})
    return Cover(target=official_id, actor=actor, hops=tuple(hops))


def _resolve(official_id: int, roster: RosterAt, visited: set[int]) -> tuple[int | None, list[Hop]]:
    if not roster.is_away(official_id):
        return official_id, []
    hops: list[Hop] = []
    for candidate, reason in _line_of_cover(official_id, roster):
        if candidate in visited:
            continue
        visited.add(candidate)
        if not roster.is_away(candidate):
            hops.append(Hop(official_id, candidate, reason, HopOutcome.ACTS))
            return candidate, hops
        hops.append(Hop(official_id, candidate, reason, HopOutcome.ABSENT))
        if reason in _ESCALATIONS:
            # The superior is away too: their own line of cover takes the work.
            actor, further = _resolve(candidate, roster, visited)
            hops.extend(further)
            if actor is not None:
                return actor, hops
    return None, hops


_ESCALATIONS = frozenset({CoverReason.ESCALATED_TO_MAGISTRATE, CoverReason.ESCALATED_TO_PRINCIPAL})


def _line_of_cover(official_id: int, roster: RosterAt) -> list[tuple[int, CoverReason]]:
    line: list[tuple[int, CoverReason]] = []
    named = roster.away[official_id].acting_official_id
    if named is not None:
        line.append((named, CoverReason.NAMED_IN_ABSENCE_REPORT))
    capacity = roster.capacity(official_id)
    if capacity is None:
        return line
    if capacity.role == Role.MAGISTRATE:
        executive = roster.sole_holder(Role.EXECUTIVE_VICE_MAGISTRATE)
        if executive is not None:
            line.append((executive, CoverReason.PRESIDING_FOR_MAGISTRATE))
        if roster.entrusted_by_magistrate is not None:
            line.append((roster.entrusted_by_magistrate, CoverReason.ENTRUSTED_BY_MAGISTRATE))
    elif capacity.role in VICE_MAGISTRATE_ROLES:
        partner = roster.ab_partner.get(official_id)
        if partner is not None:
            line.append((partner, CoverReason.AB_PARTNER))
        magistrate = roster.sole_holder(Role.MAGISTRATE)
        if magistrate is not None:
            line.append((magistrate, CoverReason.ESCALATED_TO_MAGISTRATE))
    elif capacity.role == Role.DEPARTMENT_PRINCIPAL:
        deputies = roster.holders(Role.DEPARTMENT_DEPUTY, capacity.department_id)
        deputies.sort(key=lambda h: (h.deputy_rank if h.deputy_rank is not None else 1 << 30, h.official_id))
        line.extend((d.official_id, CoverReason.DESIGNATED_DEPUTY) for d in deputies)
    elif capacity.role == Role.DEPARTMENT_DEPUTY:
        line.extend(
            (p.official_id, CoverReason.ESCALATED_TO_PRINCIPAL)
            for p in roster.holders(Role.DEPARTMENT_PRINCIPAL, capacity.department_id)
        )
    return line
