"""The demo county: db/demo_county.yaml imported by `roster import`'s code, plus its county and sign-ins.

The file is a roster file with one extra ``demo`` section: the county to create, the shared password,
the accounts, and who is away on a business trip (dated at seeding time so it is always current).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib import resources

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from cli.demo_documents import seed_documents
from cli.roster_formats import load_yaml, parse_document
from cli.roster_sync import import_roster
from db.models import County, Official, utcnow
from domain.errors import DomainError, ErrorCode
from domain.roster import LOCAL_TZ, AccountRole, RuleSet, local_date
from services import audit, auth, tenancy

DEMO_FILE = resources.files("db").joinpath("demo_county.yaml")


@dataclass(frozen=True)
class SignIn:
    username: str
    role: AccountRole
    official: str | None


@dataclass(frozen=True)
class Seeded:
    county: County
    changes: int
    password: str
    sign_ins: list[SignIn]
    business_trip: str
    documents: dict[str, str]


def _business_trip_dates(today: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """From yesterday morning to three days on: under way whenever the demo is seeded."""
    return (dt.datetime.combine(today - dt.timedelta(days=1), dt.time(8, 30), LOCAL_TZ),
            dt.datetime.combine(today + dt.timedelta(days=3), dt.time(18, 0), LOCAL_TZ))


async def seed_demo(session: AsyncSession, *, actor: audit.Actor) -> Seeded:
    document = load_yaml(DEMO_FILE.read_text(encoding="utf-8"))
    demo = document.pop("demo")
    county = await tenancy.create_county(session, code=demo["county"]["code"], name=demo["county"]["name"],
                                         rule_set=RuleSet(demo["county"]["rule_set"]), actor=actor)
    starts_at, ends_at = _business_trip_dates(local_date(utcnow()))
    trip = {**demo["business_trip"], "starts_at": starts_at, "ends_at": ends_at, "reason": "business_trip"}
    document.setdefault("absences", []).append(trip)

    result = await import_roster(session, county_id=county.id, roster_file=parse_document(document), actor=actor)
    if result.problems:
        raise DomainError(ErrorCode.INVALID, "The demo roster does not import:\n  "
                          + "\n  ".join(str(problem) for problem in result.problems))

    officials = {
        code: (official_id, name)
        for code, official_id, name in await session.execute(
            select(Official.code, Official.id, Official.name).where(Official.county_id == county.id)
        )
    }
    sign_ins = []
    for account in demo["accounts"]:
        role = AccountRole(account["role"])
        official_id, official_name = officials[account["official"]] if "official" in account else (None, None)
        await auth.create_account(session, username=account["username"], password=demo["password"], role=role,
                                  county_id=None if role == AccountRole.SYSTEM_ADMIN else county.id,
                                  official_id=official_id, actor=actor)
        sign_ins.append(SignIn(account["username"], role,
                               f"{official_name} ({account['official']})" if official_id else None))
    traveller = officials[trip["official"]][1]
    documents = await seed_documents(session, county_id=county.id, actor=actor)
    return Seeded(county, len(result.changes), demo["password"], sign_ins,
                  f"{traveller} ({trip['official']}) is on a business trip until {ends_at:%Y-%m-%d %H:%M}; "
                  "whoActsFor shows who acts meanwhile.", documents)
