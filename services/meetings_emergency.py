"""Emergency decisions (临机处置): recorded with their reasons, reported to the body at its next meeting.

"来不及召开会议而又必须及时处理的紧急或突发性重大事件,由分管副县长…协调处理后,及时向县长报告" (000 §7);
"党组成员可临机处置,事后应及时向领导集体报告" (002 细则 §17). Recording one puts a report item on the body's
next meeting (services.meetings_agenda.place_on_next_meeting). The decision is REPORTED when a meeting takes
that item up; when the meeting closes without doing so it is OVERDUE and the report goes on the next meeting.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import AgendaItem, EmergencyDecision, Meeting, MeetingBody, Official, utcnow
from domain.errors import DomainError, ErrorCode
from domain.meetings import ItemState
from domain.meetings_agenda import ItemKind
from domain.meetings_emergency import EMERGENCY_ARTICLES, EmergencyState, report_title
from domain.roster import local_date
# Module imports: services.meetings calls back here as items are taken up and meetings close.
from services import audit, meetings, meetings_agenda, tenancy

# A meeting has taken a report up once the item was opened, whatever came after.
_TAKEN_UP = frozenset({ItemState.OPEN, ItemState.VOTING, ItemState.DECIDED, ItemState.DEFERRED})


async def record_decision(session: AsyncSession, *, body: MeetingBody, decided_by_id: int, decided_at: dt.datetime,
                          matter: str, reasons: str, actor: audit.Actor) -> EmergencyDecision:
    """A member of the body decided on the spot; the report goes on the body's next meeting (000 §7; 细则 §17)."""
    await tenancy.lock_county(session, body.county_id)
    matter, reasons = matter.strip(), reasons.strip()
    if not matter:
        raise DomainError(ErrorCode.INVALID, "Name the matter decided.", field="matter")
    if not reasons:
        raise DomainError(ErrorCode.INVALID, "Say why it could not wait for a meeting (来不及召开会议, 000 §7; "
                          "002 细则 §17).", field="reasons")
    if decided_at.tzinfo is None or decided_at > utcnow():
        raise DomainError(ErrorCode.INVALID, "When it was decided: a past moment with its time zone.",
                          field="decidedAt")
    decider = await session.get(Official, decided_by_id)
    if decider is None or decider.county_id != body.county_id:
        raise DomainError(ErrorCode.NOT_FOUND, "No such official.", field="decidedById")
    spec = meetings.spec_of(body)
    held = await meetings.roles_on(session, county_id=body.county_id, day=local_date(decided_at))
    if not held.get(decider.id, set()) & set(spec.members):
        raise DomainError(ErrorCode.NOT_A_MEMBER, f"Only a member of {spec.name} decides on the spot and reports to "
                          f"it afterwards ({EMERGENCY_ARTICLES}); {decider.name} was not one on "
                          f"{local_date(decided_at)}.", field="decidedById")
    decision = EmergencyDecision(county_id=body.county_id, body_id=body.id, decided_by_id=decider.id,
                                 decided_at=decided_at, matter=matter, reasons=reasons,
                                 state=EmergencyState.REPORT_DUE, recorded_by_account_id=actor.account_id)
    session.add(decision)
    await session.flush()
    item = await meetings_agenda.place_on_next_meeting(session, body_id=body.id, title=report_title(matter),
                                                       kind=ItemKind.REPORT, actor=actor, after=decided_at,
                                                       proposer_id=decider.id)
    decision.report_item_id = item.id
    await session.flush()
    await audit.record(session, county_id=body.county_id, actor=actor, action="emergency_decision.record",
                       entity="emergency_decision", entity_id=decision.id, after=audit.as_record(decision))
    return decision


async def decisions_of(session: AsyncSession, *, county_id: int, body_id: int | None = None,
                       state: EmergencyState | None = None) -> list[EmergencyDecision]:
    stmt = select(EmergencyDecision).where(EmergencyDecision.county_id == county_id)
    if body_id is not None:
        stmt = stmt.where(EmergencyDecision.body_id == body_id)
    if state is not None:
        stmt = stmt.where(EmergencyDecision.state == state)
    return list((await session.execute(stmt.order_by(EmergencyDecision.decided_at.desc(),
                                                     EmergencyDecision.id.desc()))).scalars())


async def _reporting_on(session: AsyncSession, item_ids: list[int]) -> list[EmergencyDecision]:
    if not item_ids:
        return []
    return list((await session.execute(select(EmergencyDecision).where(
        EmergencyDecision.report_item_id.in_(item_ids),
        EmergencyDecision.state.in_([EmergencyState.REPORT_DUE, EmergencyState.OVERDUE]))
        .order_by(EmergencyDecision.id))).scalars())


async def _moved(session: AsyncSession, decision: EmergencyDecision, before: EmergencyState, action: str,
                 actor: audit.Actor, **after) -> None:
    await session.flush()
    await audit.record(session, county_id=decision.county_id, actor=actor, action=f"emergency_decision.{action}",
                       entity="emergency_decision", entity_id=decision.id, before={"state": before.value},
                       after={"state": decision.state.value, **after})


async def item_taken_up(session: AsyncSession, *, item: AgendaItem, actor: audit.Actor) -> None:
    """The meeting took the report up: the decision is reported. Under the caller's county lock."""
    for decision in await _reporting_on(session, [item.id]):
        before = decision.state
        decision.state, decision.reported_at = EmergencyState.REPORTED, utcnow()
        await _moved(session, decision, before, "reported", actor, item_id=item.id)


async def meeting_closed(session: AsyncSession, *, meeting: Meeting, actor: audit.Actor) -> None:
    """Reports the meeting did not take up are overdue, and go on the body's next meeting."""
    items = {i.id: i for i in (await session.execute(select(AgendaItem).where(
        AgendaItem.meeting_id == meeting.id))).scalars()}
    for decision in await _reporting_on(session, list(items)):
        item = items[decision.report_item_id]
        if item.state in _TAKEN_UP:
            continue
        carried = await meetings_agenda.place_on_next_meeting(
            session, body_id=decision.body_id, title=item.title, kind=ItemKind.REPORT, actor=actor,
            deferred_from_id=item.id, after=meeting.scheduled_at, proposer_id=decision.decided_by_id)
        before = decision.state
        decision.state, decision.report_item_id = EmergencyState.OVERDUE, carried.id
        await _moved(session, decision, before, "overdue", actor, missed_item_id=item.id, carried_item_id=carried.id)
