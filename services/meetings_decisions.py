"""Decisions (决定事项) on decided items, their execution, and the documents they authorise.

Every use case is one transaction that takes the county's lock first. A document executes the decision it
links to; its MEETING_DECIDED flag follows from that link, and a document on a catalogue matter that needs a
collective decision, without a standing decision of that matter's body, carries UNDECIDED_COLLECTIVE, which
each rule set's signing table refuses at signing (002 细则 §2; 000 §7, §16; 001 §18; 003 §7, §24).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import (
    AgendaItem,
    Department,
    Document,
    Meeting,
    MeetingBody,
    MeetingDecision,
    Official,
    utcnow,
)
from domain.calendar import CalendarUnknown, WorkingCalendar
from domain.documents import DocumentState, Flag
from domain.errors import DomainError, ErrorCode, words
from domain.meetings import BodyKind, ItemState, meeting_title
from domain.meetings_agenda import ItemKind, needs_collective_decision
from domain.meetings_decisions import DecisionOutcome, DecisionState, authorises, can_move, outcome_problem
from domain.roster import local_date
# Module imports: services.documents and services.deadlines import this module.
from services import audit, documents, meetings_agenda, meetings_matters, tenancy

# How long a decision's deadline may run, in working days from the meeting's end.
MAX_DEADLINE_WORKING_DAYS = 250
# What documents.amount_wan holds: 14 digits, two of them decimals.
MAX_AMOUNT_WAN = Decimal(10) ** 12


@dataclass
class DecisionFields:
    outcome: DecisionOutcome
    text: str
    reasons: str = ""
    responsible_department_ids: Sequence[int] = ()
    responsible_person_id: int | None = None
    deadline_on: dt.date | None = None
    deadline_working_days: int | None = None
    supervision: str = ""
    publishable: bool = False
    report_to_party_committee: bool = False


def due_on(decision: MeetingDecision, meeting: Meeting, calendar: WorkingCalendar) -> dt.date | None:
    """The day the decision is due: its fixed day, or N working days from the meeting's end (None until it
    ended). Raises domain.calendar.CalendarUnknown when the count runs into a year nobody has entered."""
    if decision.deadline_on is not None:
        return decision.deadline_on
    if decision.deadline_working_days is None or meeting.ended_at is None:
        return None
    return local_date(calendar.due_after(meeting.ended_at, decision.deadline_working_days)) - dt.timedelta(days=1)


# ---------------------------------------------------------------- adopting a decision


async def _check_fields(session: AsyncSession, county_id: int, meeting: Meeting, fields: DecisionFields) -> None:
    if not fields.text.strip():
        raise DomainError(ErrorCode.INVALID, "A decision needs its text, as the minutes record it.", field="text")
    departments = list(dict.fromkeys(fields.responsible_department_ids))
    found = set((await session.execute(select(Department.id).where(
        Department.id.in_(departments), Department.county_id == county_id))).scalars())
    if any(d not in found for d in departments):
        raise DomainError(ErrorCode.NOT_FOUND, "No such department.", field="responsibleDepartmentIds")
    if fields.responsible_person_id is not None:
        person = await session.get(Official, fields.responsible_person_id)
        if person is None or person.county_id != county_id:
            raise DomainError(ErrorCode.NOT_FOUND, "No such official.", field="responsiblePersonId")
    if fields.deadline_on is not None and fields.deadline_working_days is not None:
        raise DomainError(ErrorCode.INVALID, "Give the deadline as a day or as working days from the meeting's "
                          "end, not both.", field="deadlineWorkingDays")
    if fields.deadline_on is not None and fields.deadline_on < local_date(meeting.scheduled_at):
        raise DomainError(ErrorCode.INVALID, "The deadline cannot fall before the meeting.", field="deadlineOn")
    if fields.deadline_working_days is not None and not 1 <= fields.deadline_working_days <= MAX_DEADLINE_WORKING_DAYS:
        raise DomainError(ErrorCode.INVALID, f"A deadline is 1 to {MAX_DEADLINE_WORKING_DAYS} working days from the "
                          "meeting's end.", field="deadlineWorkingDays")


async def adopt(session: AsyncSession, *, item: AgendaItem, fields: DecisionFields,
                actor: audit.Actor) -> MeetingDecision:
    """Record the decision on a decided item (三重一大 二(五)), and who carries it out by when (002 细则 §12)."""
    await tenancy.lock_county(session, item.county_id)
    await session.refresh(item)
    if item.state != ItemState.DECIDED:
        raise DomainError(ErrorCode.WRONG_STATE, f"“{item.title}” is {words(item.state)}: a decision is recorded "
                          "on a decided item.", field="itemId")
    if await session.scalar(select(MeetingDecision.id).where(MeetingDecision.item_id == item.id)):
        raise DomainError(ErrorCode.DUPLICATE, f"The decision on “{item.title}” is on record already.",
                          field="itemId")
    problem = outcome_problem(item.outcome, fields.outcome)
    if problem:
        raise DomainError(ErrorCode.OUTCOME_BOUND_BY_VOTE, problem, field="outcome")
    meeting = await session.get(Meeting, item.meeting_id)
    await _check_fields(session, item.county_id, meeting, fields)
    decision = MeetingDecision(
        county_id=item.county_id, meeting_id=meeting.id, item_id=item.id, outcome=fields.outcome,
        state=DecisionState.ADOPTED, text=fields.text.strip(), reasons=fields.reasons.strip(),
        responsible_department_ids=list(dict.fromkeys(fields.responsible_department_ids)),
        responsible_person_id=fields.responsible_person_id, deadline_on=fields.deadline_on,
        deadline_working_days=fields.deadline_working_days, supervision=fields.supervision.strip(),
        publishable=fields.publishable, report_to_party_committee=fields.report_to_party_committee,
        adopted_at=utcnow())
    session.add(decision)
    await session.flush()
    await audit.record(session, county_id=item.county_id, actor=actor, action="meeting_decision.adopt",
                       entity="meeting_decision", entity_id=decision.id, after=audit.as_record(decision))
    await _settle_change(session, item, decision, actor)
    await _supervise(session, decision, meeting, actor)
    # Imported here: services.disclosure acts on documents, whose services import this module.
    from services import disclosure

    await disclosure.on_decision_adopted(session, decision=decision, title=item.title, actor=actor)
    return decision


async def _supervise(session: AsyncSession, decision: MeetingDecision, meeting: Meeting, actor: audit.Actor) -> None:
    """A passed decision with a responsible unit becomes a supervision item at once (003 §46; 002 细则 §12): the
    first unit leads, the others co-operate; its deadline is the decision's."""
    if not decision.responsible_department_ids or not authorises(decision.outcome, decision.state):
        return
    # Imported here: services.supervision reaches services.documents, which imports this module.
    from domain.supervision import SourceKind
    from services import supervision
    from services.calendar import calendar_for

    lead, *co = decision.responsible_department_ids
    # Working days run from the meeting's end; a decision recorded in session counts from its recording.
    fixed = decision.deadline_on
    if fixed is None and decision.deadline_working_days is not None and meeting.ended_at is not None:
        calendar = await calendar_for(session, county_id=decision.county_id)
        try:
            fixed = due_on(decision, meeting, calendar)
        except CalendarUnknown:
            fixed = None
    await supervision.open_item(
        session, county_id=decision.county_id, source_kind=SourceKind.MEETING_DECISION, source_id=decision.id,
        instruction=decision.text, instructed_by_id=meeting.chair_id, instructed_on=local_date(decision.adopted_at),
        lead_department_id=lead, co_department_ids=co, responsible_official_id=decision.responsible_person_id,
        working_days=None if fixed is not None else decision.deadline_working_days, due_on=fixed,
        opened_by_id=None, actor=actor)


async def _settle_change(session: AsyncSession, item: AgendaItem, decision: MeetingDecision,
                         actor: audit.Actor) -> None:
    """The body decided a change it was asked for: the changed decision replaces the old one; otherwise the old
    one stands as it was (三重一大 二(七); 002 细则 §11)."""
    pending = await session.scalar(select(MeetingDecision).where(
        MeetingDecision.change_item_id == item.id, MeetingDecision.state == DecisionState.CHANGE_PENDING))
    if pending is None:
        return
    before = {"state": pending.state.value}
    if authorises(decision.outcome, decision.state):
        pending.state, pending.superseded_by_id = DecisionState.SUPERSEDED, decision.id
    else:
        pending.state = pending.state_before_change
    pending.state_before_change = None
    await session.flush()
    await audit.record(session, county_id=pending.county_id, actor=actor, action="meeting_decision.change_decided",
                       entity="meeting_decision", entity_id=pending.id, before=before,
                       after={"state": pending.state.value, "by_decision_id": decision.id})


# ---------------------------------------------------------------- execution


async def _locked(session: AsyncSession, decision: MeetingDecision) -> MeetingDecision:
    await tenancy.lock_county(session, decision.county_id)
    await session.refresh(decision)
    return decision


def _require_move(decision: MeetingDecision, to: DecisionState) -> None:
    if not can_move(decision.state, to):
        raise DomainError(ErrorCode.WRONG_STATE, f"The decision is {words(decision.state)}; it cannot become "
                          f"{words(to)}.", field="decisionId")


async def move(session: AsyncSession, *, decision: MeetingDecision, to: DecisionState, actor: audit.Actor,
               reason: str | None = None) -> MeetingDecision:
    """Start executing, complete or suspend a decision; a suspension says why (三重一大 二(八))."""
    decision = await _locked(session, decision)
    _require_move(decision, to)
    reason = (reason or "").strip()
    if to == DecisionState.SUSPENDED:
        if not reason:
            raise DomainError(ErrorCode.INVALID, "Say why the decision is suspended (三重一大 二(八)).", field="reason")
        decision.suspension_reason = reason
    before = decision.state
    decision.state = to
    await session.flush()
    await audit.record(session, county_id=decision.county_id, actor=actor, action=f"meeting_decision.{to.value}",
                       entity="meeting_decision", entity_id=decision.id, before={"state": before.value},
                       after={"state": to.value, **({"reason": reason} if reason else {})})
    return decision


async def propose_change(session: AsyncSession, *, decision: MeetingDecision, reason: str, actor: audit.Actor,
                         at: dt.datetime | None = None) -> MeetingDecision:
    """A major change goes back to the body (三重一大 二(七); 002 细则 §11): an item on its next meeting after
    ``at`` (now); the decision waits, authorising nothing new, until the body decides it."""
    decision = await _locked(session, decision)
    _require_move(decision, DecisionState.CHANGE_PENDING)
    reason = reason.strip()
    if not reason:
        raise DomainError(ErrorCode.INVALID, "Say what changes and why.", field="reason")
    meeting = await session.get(Meeting, decision.meeting_id)
    item = await session.get(AgendaItem, decision.item_id)
    change = await meetings_agenda.place_on_next_meeting(
        session, body_id=meeting.body_id, title=f"关于调整“{item.title}”决定事项的议题", kind=ItemKind.DECISION,
        actor=actor, after=at, matter_id=item.matter_id, member_in_charge_id=item.member_in_charge_id)
    before = decision.state
    decision.state, decision.state_before_change = DecisionState.CHANGE_PENDING, before
    decision.change_item_id, decision.change_reason = change.id, reason
    await session.flush()
    await audit.record(session, county_id=decision.county_id, actor=actor, action="meeting_decision.propose_change",
                       entity="meeting_decision", entity_id=decision.id, before={"state": before.value},
                       after={"state": decision.state.value, "change_item_id": change.id, "reason": reason})
    return decision


# ---------------------------------------------------------------- documents


async def authorising_decision(session: AsyncSession, *, county_id: int, decision_id: int,
                               field: str = "decisionId") -> MeetingDecision:
    """The county's decision, if it authorises documents now; another county's answers like a missing one."""
    decision = await session.get(MeetingDecision, decision_id)
    if decision is None or decision.county_id != county_id:
        raise DomainError(ErrorCode.NOT_FOUND, "No such meeting decision.", field=field)
    if not authorises(decision.outcome, decision.state):
        raise DomainError(ErrorCode.DECISION_NOT_AUTHORISING, f"The decision is {words(decision.outcome)} and "
                          f"{words(decision.state)}: only a passed decision that stands (not suspended, superseded "
                          "or under change) authorises documents.", field=field)
    return decision


async def check_draft_links(session: AsyncSession, *, county_id: int, decision_id: int | None,
                            matter_code: str | None, amount_wan: Decimal | None) -> None:
    """A draft's decision, catalogue matter and amount, as drafting and editing take them."""
    if decision_id is not None:
        await authorising_decision(session, county_id=county_id, decision_id=decision_id)
    if amount_wan is not None and not (0 <= amount_wan < MAX_AMOUNT_WAN and amount_wan == round(amount_wan, 2)):
        raise DomainError(ErrorCode.INVALID, f"An amount in 万元 is 0 or more, below {MAX_AMOUNT_WAN}, to two decimal "
                          "places.", field="amountWan")
    matter_code = (matter_code or "").strip() or None
    if matter_code is None:
        if amount_wan is not None:
            raise DomainError(ErrorCode.INVALID, "An amount counts against a catalogue matter: give its code.",
                              field="matterCode")
        return
    matter = await meetings_matters.matter(session, county_id=county_id, code=matter_code)
    if matter is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"The county's catalogue has no matter “{matter_code}”.",
                          field="matterCode")
    if matter.threshold_wan is not None and amount_wan is None:
        raise DomainError(ErrorCode.INVALID, f"“{matter.name}” goes to the body from {matter.threshold_wan}万元 on "
                          f"({matter.article}): give the amount.", field="amountWan")


async def link_document(session: AsyncSession, *, document_id: int, decision_id: int, official_id: int,
                        actor: audit.Actor) -> Document:
    """The drafter links a draft (or a returned document) to the decision it executes."""
    document = await documents.lock_document(session, document_id)
    if official_id != document.drafted_by_id:
        raise DomainError(ErrorCode.FORBIDDEN, "Only the drafter links a draft to a decision.", field="documentId")
    if document.state not in (DocumentState.DRAFT, DocumentState.RETURNED):
        raise DomainError(ErrorCode.WRONG_STATE, f"The document is {words(document.state)}: only drafts and "
                          "returned documents are linked.", field="documentId")
    decision = await authorising_decision(session, county_id=document.county_id, decision_id=decision_id)
    before = {"decision_id": document.decision_id}
    document.decision_id = decision.id
    await session.flush()
    await audit.record(session, county_id=document.county_id, actor=actor, action="document.link_decision",
                       entity="document", entity_id=document.id, before=before, after={"decision_id": decision.id})
    return document


async def _decision_with_body(session, decision_id: int | None):
    if decision_id is None:
        return None
    return (await session.execute(
        select(MeetingDecision, Meeting, MeetingBody).join(Meeting, Meeting.id == MeetingDecision.meeting_id)
        .join(MeetingBody, MeetingBody.id == Meeting.body_id).where(MeetingDecision.id == decision_id))).first()


async def decision_flags(session, document: Document) -> frozenset[Flag]:
    """The flags that follow from the document's decision, catalogue matter and place in the yearly document plan
    (services.document_plans), as they stand now."""
    found = await _decision_with_body(session, document.decision_id)
    standing = found is not None and authorises(found[0].outcome, found[0].state)
    flags = {Flag.MEETING_DECIDED} if standing else set()
    if document.matter_code is not None:
        matter = await meetings_matters.matter(session, county_id=document.county_id, code=document.matter_code)
        if (matter is not None and needs_collective_decision(matter, document.amount_wan)
                and not (standing and found[2].kind == matter.body_kind)):
            flags.add(Flag.UNDECIDED_COLLECTIVE)
    # Imported here: services.document_plans reaches services.documents' names, which import this module.
    from services import document_plans

    # A standing-meeting decision is one of the plan's exceptions (003 §62).
    if await document_plans.unplanned(session, document,
                                      standing_meeting_decision=standing and found[2].kind == BodyKind.STANDING):
        flags.add(Flag.UNPLANNED)
    return frozenset(flags)


async def basis_of(session, document: Document) -> dict:
    """The decision a signature rests on, for its audit record: its id and the meeting's title."""
    found = await _decision_with_body(session, document.decision_id)
    if found is None:
        return {}
    decision, meeting, body = found
    return {"decision_id": decision.id, "decision_meeting": meeting_title(meeting.year, meeting.seq, body.name)}


async def deciding_meeting_end(session, document: Document) -> dt.datetime | None:
    """When the meeting that took the document's decision ended; None without one, or before it ends."""
    if document.decision_id is None:
        return None
    return (await session.execute(select(Meeting.ended_at).join(
        MeetingDecision, MeetingDecision.meeting_id == Meeting.id).where(
        MeetingDecision.id == document.decision_id))).scalar_one()

