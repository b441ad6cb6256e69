"""The county roster's vocabulary and the rules that need no database."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from zoneinfo import ZoneInfo


class RuleSet(str, enum.Enum):
    GENERIC_2022 = "generic-2022"
    YANJIN_2023 = "yanjin-2023"
    LULONG_2018 = "lulong-2018"


class DepartmentKind(str, enum.Enum):
    WORKING = "working"
    GOVERNMENT_OFFICE = "government_office"
    JUSTICE = "justice"
    AUDIT = "audit"
    SUPERVISION = "supervision"
    TOWNSHIP = "township"
    SUBDISTRICT = "subdistrict"
    DEVELOPMENT_ZONE = "development_zone"


class Role(str, enum.Enum):
    """A position an official holds. The office director is the principal of the government office."""

    MAGISTRATE = "magistrate"
    EXECUTIVE_VICE_MAGISTRATE = "executive_vice_magistrate"
    VICE_MAGISTRATE = "vice_magistrate"
    DEPARTMENT_PRINCIPAL = "department_principal"
    DEPARTMENT_DEPUTY = "department_deputy"


# Roles held by one person at a time: county-wide, or per department.
SOLE_COUNTY_ROLES = frozenset({Role.MAGISTRATE, Role.EXECUTIVE_VICE_MAGISTRATE})
DEPARTMENT_ROLES = frozenset({Role.DEPARTMENT_PRINCIPAL, Role.DEPARTMENT_DEPUTY})
# The executive VM is one of the vice magistrates (docs/DOMAIN.md §2): portfolios and AB pairs apply to both.
VICE_MAGISTRATE_ROLES = frozenset({Role.EXECUTIVE_VICE_MAGISTRATE, Role.VICE_MAGISTRATE})
# When someone holds several positions, the first of these is the capacity others cover.
ROLE_PRECEDENCE = (
    Role.MAGISTRATE,
    Role.EXECUTIVE_VICE_MAGISTRATE,
    Role.VICE_MAGISTRATE,
    Role.DEPARTMENT_PRINCIPAL,
    Role.DEPARTMENT_DEPUTY,
)


class AbsenceReason(str, enum.Enum):
    BUSINESS_TRIP = "business_trip"
    LEAVE = "leave"
    STUDY = "study"
    ABROAD = "abroad"
    OTHER = "other"


class AccountRole(str, enum.Enum):
    OFFICIAL = "official"
    COUNTY_ADMIN = "county_admin"
    SYSTEM_ADMIN = "system_admin"


def find_cover_cycle(named_acting: Mapping[int, int], start: int) -> list[int] | None:
    """Follow 'X names Y as acting' edges from ``start``; return the cycle if one closes.

    Edges are the named acting persons of absences that overlap in time, so a cycle means
    everyone on it is away at once with nobody left to act.
    """
    path = [start]
    seen = {start}
    current = start
    while current in named_acting:
        current = named_acting[current]
        if current in seen:
            return path[path.index(current):] + [current]
        path.append(current)
        seen.add(current)
    return None


LOCAL_TZ = ZoneInfo("Asia/Shanghai")


def local_date(at: dt.datetime) -> dt.date:
    """Positions and portfolios change on calendar days in China's time zone."""
    return at.astimezone(LOCAL_TZ).date()
