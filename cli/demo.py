"""The demo county: db/demo_county.yaml imported by `roster import`'s code, plus its county and sign-ins.

The file is a roster file with one extra ``demo`` section: the county to create, the shared password,
the accounts, and who is away on a business trip (dated at seeding time, so it is current for a few
days; ``seed-demo --reset`` seeds it afresh). What the demo shows is read back from the database
(``describe_demo``), so the story told is always the one the data gives now.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from importlib import resources

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from cli.demo_documents import seed_documents
from cli.demo_meetings import describe_meetings, seed_meetings
from cli.demo_issuing import describe_issuing, seed_issuing
from cli.demo_incoming_requests import describe_incoming_requests, seed_incoming_requests
from cli.demo_proposals import describe_proposals, seed_proposals
from cli.demo_supervision import describe_supervision, seed_supervision
from cli.roster_formats import load_yaml, parse_document
from cli.roster_sync import import_roster
from db.models import Absence, Account, Base, ChainStep, County, Document, Official, StepAssignment, utcnow
from domain.cover import BASIS, who_acts_for
from domain.errors import DomainError, ErrorCode
from domain.roster import LOCAL_TZ, AccountRole, RuleSet, local_date
from services import audit, auth, inbox, tenancy
from services import documents as document_service
from services.cover import roster_at
from services.signing_rules import SigningTables

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


@dataclass(frozen=True)
class DemoStory:
    """What the demo county shows now, read from its data."""

    county: County
    password: str
    sign_ins: list[SignIn]
    away: list[str]
    documents: list[str]
    meetings: list[str]
    issuing: list[str] = field(default_factory=list)
    incoming_requests: list[str] = field(default_factory=list)
    supervision: list[str] = field(default_factory=list)
    proposals: list[str] = field(default_factory=list)


def _business_trip_dates(today: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """From yesterday morning to three days on: under way whenever the demo is seeded."""
    return (dt.datetime.combine(today - dt.timedelta(days=1), dt.time(8, 30), LOCAL_TZ),
            dt.datetime.combine(today + dt.timedelta(days=3), dt.time(18, 0), LOCAL_TZ))


def demo_file() -> dict:
    return load_yaml(DEMO_FILE.read_text(encoding="utf-8"))


async def demo_county(session: AsyncSession) -> County | None:
    return (await session.execute(
        select(County).where(County.code == demo_file()["demo"]["county"]["code"]))).scalar_one_or_none()


async def seed_demo(session: AsyncSession, *, actor: audit.Actor) -> Seeded:
    document = demo_file()
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

    officials = dict((await session.execute(
        select(Official.code, Official.id).where(Official.county_id == county.id))).all())
    for account in demo["accounts"]:
        role = AccountRole(account["role"])
        system_wide = role == AccountRole.SYSTEM_ADMIN
        # The system administrator outlives a reset of the demo county.
        if system_wide and (await session.execute(
                select(Account.id).where(Account.username == account["username"]))).first():
            continue
        await auth.create_account(session, username=account["username"], password=demo["password"], role=role,
                                  county_id=None if system_wide else county.id,
                                  official_id=officials.get(account.get("official")), actor=actor)
    await seed_documents(session, county_id=county.id, actor=actor)
    await seed_meetings(session, county_id=county.id, actor=actor)
    await seed_issuing(session, county_id=county.id, actor=actor)
    await seed_incoming_requests(session, county_id=county.id, actor=actor)
    await seed_supervision(session, county_id=county.id, actor=actor)
    await seed_proposals(session, county_id=county.id, actor=actor)
    return Seeded(county, len(result.changes))


async def remove_demo_county(session: AsyncSession, *, county: County, actor: audit.Actor) -> None:
    """Delete the demo county and everything in it (its audit trail too), recorded on the system trail.

    Only for the demo: a real county's records are never deleted.
    """
    county_id = county.id
    for table in reversed(Base.metadata.sorted_tables):
        if "county_id" in table.c:
            await session.execute(delete(table).where(table.c.county_id == county_id))
            continue
        # Rows of tables without a county (tokens, co-sponsors…) go with the county's row they hang on.
        for key in table.foreign_keys:
            parent = key.column.table
            if "county_id" in parent.c:
                owned = select(key.column).where(parent.c.county_id == county_id)
                await session.execute(delete(table).where(key.parent.in_(owned)))
                break
    await session.execute(delete(County).where(County.id == county_id))
    await audit.record(session, county_id=None, actor=actor, action="county.demo_reset", entity="county",
                       entity_id=county_id, before={"code": county.code, "name": county.name})


async def describe_demo(session: AsyncSession, *, county: County, at: dt.datetime) -> DemoStory:
    """Sign-ins, who is away now and who acts, and where each document stands — all from the data."""
    names = {official_id: f"{name} ({code})" for official_id, code, name in await session.execute(
        select(Official.id, Official.code, Official.name).where(Official.county_id == county.id))}
    accounts = (await session.execute(
        select(Account).where((Account.county_id == county.id) | (Account.role == AccountRole.SYSTEM_ADMIN),
                              Account.active.is_(True))
        .order_by(Account.role, Account.id))).scalars().all()
    sign_ins = [SignIn(a.username, a.role, names.get(a.official_id)) for a in accounts]

    roster = await roster_at(session, county_id=county.id, at=at)
    away = []
    for absence in (await session.execute(
            select(Absence).where(Absence.county_id == county.id, Absence.cancelled_at.is_(None),
                                  Absence.starts_at <= at, Absence.ends_at > at)
            .order_by(Absence.starts_at))).scalars():
        cover = who_acts_for(absence.official_id, roster)
        acting = (f"{names[cover.actor]} acts for them ({BASIS[cover.hops[-1].reason]})"
                  if cover.actor is not None and cover.hops else "nobody acts for them")
        away.append(f"{names[absence.official_id]} is away until "
                    f"{absence.ends_at.astimezone(LOCAL_TZ):%Y-%m-%d %H:%M}; {acting}.")

    tables = SigningTables()
    standing = []
    for document in (await session.execute(
            select(Document).where(Document.county_id == county.id).order_by(Document.id))).scalars():
        line = f"{document.title}: {document.state.value}"
        # The inbox's own definition of "waiting", so the story matches what the leaders see.
        waiting = (await session.execute(
            inbox.waiting(county_id=county.id, assignee_ids=None)
            .where(StepAssignment.document_id == document.id)
            .with_only_columns(StepAssignment.assignee_id, ChainStep.action)
            .order_by(StepAssignment.id))).all()
        for assignee_id, action in waiting:
            line += f"; waits for {names[assignee_id]} to {action.value}"
            cover = who_acts_for(assignee_id, roster)
            if cover.actor not in (None, assignee_id):
                verdict = await document_service.explain(session, document_id=document.id, official_id=cover.actor,
                                                         action=action, tables=tables, at=at)
                line += (f" — away; {names[cover.actor]} "
                         + ("may act now" if verdict.allowed else f"may not act for them: {verdict.reason}"))
        standing.append(line)
    demo = demo_file()["demo"]
    return DemoStory(county, demo["password"], sign_ins, away, standing,
                     await describe_meetings(session, county_id=county.id),
                     issuing=await describe_issuing(session, county_id=county.id),
                     incoming_requests=await describe_incoming_requests(session, county_id=county.id),
                     supervision=await describe_supervision(session, county_id=county.id),
                     proposals=await describe_proposals(session, county_id=county.id))
