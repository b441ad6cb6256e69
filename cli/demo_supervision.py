"""Supervision (督查) for the demo county, made through the same services as the API.

The county works with its rule set's documented deadline numbers (15 working days to the result, reminded 3
before, escalated 5 after: the county's choice, since 001 §37 names "13710" without defining it); the magistrate's
instruction to the education bureau is overdue, reminded and escalated to the vice magistrate in charge. An item
the meetings demo's decision opened on its own is told too. Days are counted on the working calendar back from the
day of seeding; nothing is seeded when the calendar does not know those weeks.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Department, Official, utcnow
from db.models_supervision import SupervisionItem, SupervisionLapse
from domain.roster import local_date
from domain.supervision import LapseKind, SourceKind, overdue
from services import audit, supervision, tenancy
from services.calendar import calendar_for

# The weeks before today the story's days fall in (twenty-one working days back, at most).
_SPAN = dt.timedelta(days=60)


async def _unknown_years(session: AsyncSession, county_id: int) -> list[int]:
    calendar = await calendar_for(session, county_id=county_id)
    today = local_date(utcnow())
    return sorted(year for year in {(today - _SPAN).year, today.year} if not calendar.knows(year))


async def seed_supervision(session: AsyncSession, *, county_id: int, actor: audit.Actor) -> None:
    """An item overdue long enough to be reminded and escalated."""
    if await _unknown_years(session, county_id):
        return
    officials = dict((await session.execute(
        select(Official.code, Official.id).where(Official.county_id == county_id))).all())
    departments = dict((await session.execute(
        select(Department.name, Department.id).where(Department.county_id == county_id))).all())
    calendar = await calendar_for(session, county_id=county_id)
    today = local_date(utcnow())
    await tenancy.lock_county(session, county_id)
    # Instructed 21 working days ago; its last day, the general class's 15 working days on, was six days ago.
    item = await supervision.open_item(
        session, county_id=county_id, source_kind=SourceKind.MANUAL, source_id=None,
        instruction="请县教育局会同县卫健委，对全县中小学食堂食品安全开展一次全面排查，整改结果报县政府。",
        instructed_by_id=officials["MAG"], instructed_on=calendar.working_days_before(today, 21),
        lead_department_id=departments["教育局"], co_department_ids=[departments["卫生健康委员会"]],
        responsible_official_id=officials["EDU-D1"], due_on=calendar.working_days_before(today, 6),
        opened_by_id=officials["DIR"], actor=actor)
    await supervision.accept(session, item_id=item.id, official_id=officials["EDU"], actor=actor)
    # What the next sweep would send: the reminder three working days before, the escalation five after.
    await supervision.remind_and_escalate(session, utcnow())


async def describe_supervision(session: AsyncSession, *, county_id: int) -> list[str]:
    """Each item with its unit, state, deadline, source, reminders and escalations — read from the data."""
    items = list((await session.execute(select(SupervisionItem).where(SupervisionItem.county_id == county_id)
                                        .order_by(SupervisionItem.year, SupervisionItem.seq))).scalars())
    if not items:
        missing = await _unknown_years(session, county_id)
        return [f"None seeded: the working calendar for {', '.join(map(str, missing))} is not entered, and "
                "supervision deadlines count working days on it." if missing else "None."]
    names = dict((await session.execute(select(Official.id, Official.name)
                                        .where(Official.county_id == county_id))).all())
    units = dict((await session.execute(select(Department.id, Department.name)
                                        .where(Department.county_id == county_id))).all())
    today = local_date(utcnow())
    lines = []
    for item in items:
        due = f"due {item.due_on.isoformat()}" if item.due_on else f"waiting: {item.waiting_reason}"
        late = ", OVERDUE" if overdue(item.state, item.due_on, today) else ""
        lines.append(f"{item.number} {units[item.lead_department_id]} ({item.source_kind.value}): "
                     f"{item.state.value}, {due}{late} — {item.instruction}")
        for lapse in (await session.execute(select(SupervisionLapse).where(SupervisionLapse.item_id == item.id)
                                            .order_by(SupervisionLapse.id))).scalars():
            what = "reminded" if lapse.kind == LapseKind.REMINDER else "escalated to"
            lines.append(f"    {what} {', '.join(names[o] for o in lapse.official_ids)}")
    return lines
