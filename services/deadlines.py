"""Due times on chain steps, the office's reminders, and deemed no objection (docs/DOMAIN.md §4).

A step's clock starts when the step becomes active, from the county's rule set (policies/deadlines)
and its working calendar. The sweeper finds lapses: at the first the office's reminder is recorded
and sent; at the second, where the rule set says so, the assignment is closed as *deemed no
objection* — recorded as that, never as a signature. Exactly once per lapse, whatever the number of
server processes: a PostgreSQL advisory lock lets one sweep at a time, and a unique (assignment,
lapse) row makes a repeat impossible. A sweeper that was down catches up on its next run.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy import exists, select, text

from db.models import ChainStep, County, Document, Official, Reminder, StepAssignment
from domain.calendar import CalendarUnknown
from domain.deadlines import CountedFrom, SecondLapse, deadline_for
from domain.documents import AssignmentState, DocumentState, Flag, StepState
from domain.roster import LOCAL_TZ, local_date
from policies.deadlines import deadline_rules
from services import audit, documents, handover, meetings_decisions, tenancy
from services.calendar import calendar_for, unknown_year
from services.events import InboxEvent, InboxEventKind, publish

log = logging.getLogger("qianfa.sweeper")
# Any fixed 64-bit number, the same in every process: "the deadline sweeper is running".
SWEEP_LOCK = 0x71616E6661_01
SWEEPER = audit.Actor(account_id=None, request_id="sweeper")


async def start_clock(session, *, document: Document, step: ChainStep, at: dt.datetime) -> None:
    """Set the step's due time as it becomes active (or clear it when no limit applies)."""
    county = await session.get(County, document.county_id)
    rule = deadline_for(deadline_rules(county.rule_set), action=step.action, genre=document.genre,
                        flags=frozenset(Flag(f) for f in document.flags)
                        | await meetings_decisions.decision_flags(session, document))
    if rule is None:
        step.due_at, step.deadline = None, None
        return
    deadline = {"working_days": rule.working_days, "counted_from": rule.counted_from.value,
                "second_lapse": rule.second_lapse.value, "article": rule.article}
    calendar = await calendar_for(session, county_id=document.county_id)
    due = None
    try:
        if rule.counted_from == CountedFrom.ACTIVATION:
            due = calendar.due_after(at, rule.working_days)
        elif rule.counted_from == CountedFrom.SUBMISSION:
            due = calendar.due_after(document.submitted_at or at, rule.working_days)
        elif rule.counted_from == CountedFrom.MEETING_END:
            ended = await meetings_decisions.deciding_meeting_end(session, document)
            if ended is not None:
                due = calendar.due_after(ended, rule.working_days)
            else:
                deadline["problem"] = "The meeting that took the decision has not ended: the limit counts from its end."
        elif document.standing_meeting_on is not None:
            review_by = calendar.working_days_before(document.standing_meeting_on, rule.working_days)
            due = calendar.due_after(dt.datetime.combine(review_by, dt.time(12), LOCAL_TZ), 0)
        else:
            deadline["problem"] = "No standing meeting date: the limit counts back from it."
    except CalendarUnknown as unknown:
        # No guessing from weekends: the step shows why it has no due time until the year is entered.
        deadline["problem"] = unknown_year(unknown).message
    step.due_at, step.deadline = due, deadline


@dataclass(frozen=True)
class SweepReport:
    reminded: int = 0
    deemed: int = 0
    handed_over: int = 0  # waiting work of officials whose retirement took effect
    minutes_reminded: int = 0  # closed meetings whose minutes are late (services.meetings_minutes)
    proposals_reminded: int = 0  # proposals past a step's time limit (services.proposals)
    issues_reminded: int = 0  # signed documents late for issuing (services.issuing)
    supervision_reminded: int = 0  # supervision items past their reminder lapse (services.supervision)
    supervision_escalated: int = 0  # ... and past their escalation lapse, told to the VM in charge
    incoming_reminded: int = 0  # requests sent up still without an instruction past their limit (000 §51)
    disclosures_reminded: int = 0  # pending disclosures past their due time (services.disclosure)
    busy: bool = False  # another process was sweeping


async def sweep(sessions, *, now: dt.datetime | None = None) -> SweepReport:
    now = now or dt.datetime.now(dt.timezone.utc)
    async with sessions() as session, session.begin():
        if session.bind.dialect.name == "postgresql":
            got = (await session.execute(text("SELECT pg_try_advisory_xact_lock(:key)"),
                                         {"key": SWEEP_LOCK})).scalar_one()
            if not got:
                return SweepReport(busy=True)
        handed_over = await _hand_over_retired_work(session, now)
        reminded = await _first_lapses(session, now)
        second_reminders, deemed = await _second_lapses(session, now)
        # Imported here: services.meetings_minutes imports the document services, which import this module.
        from services import disclosure, incoming_requests, issuing, meetings_minutes, proposals, supervision

        minutes_reminded = await meetings_minutes.remind_late_minutes(session, now)
        issues_reminded = await issuing.remind_late_issues(session, now)
        proposals_reminded = await proposals.remind_overdue(session, now)
        supervision_reminded, supervision_escalated = await supervision.remind_and_escalate(session, now)
        incoming_reminded = await incoming_requests.remind_overdue(session, now, SWEEPER)
        disclosures_reminded = await disclosure.remind_overdue(session, now, SWEEPER)
    return SweepReport(reminded=reminded + second_reminders, deemed=deemed, handed_over=handed_over,
                       minutes_reminded=minutes_reminded, issues_reminded=issues_reminded,
                       proposals_reminded=proposals_reminded,
                       supervision_reminded=supervision_reminded, supervision_escalated=supervision_escalated,
                       incoming_reminded=incoming_reminded, disclosures_reminded=disclosures_reminded)


async def _hand_over_retired_work(session, now: dt.datetime) -> int:
    """A retirement dated ahead takes effect on its day: the retiree's waiting work moves then."""
    county_ids = (await session.execute(
        select(StepAssignment.county_id).distinct()
        .join(Official, Official.id == StepAssignment.assignee_id)
        .join(Document, Document.id == StepAssignment.document_id)
        .where(StepAssignment.state == AssignmentState.WAITING, Official.retired_on <= local_date(now),
               Document.state.in_([DocumentState.IN_PROGRESS, DocumentState.SIGNED])))).scalars().all()
    moved = 0
    for county_id in sorted(county_ids):
        await tenancy.lock_county(session, county_id)  # the roster lock hand-overs run under
        moved += await handover.hand_over_retired_work(session, county_id=county_id, at=now, actor=SWEEPER)
    return moved


def _live(stmt):
    return (stmt.join(ChainStep, ChainStep.id == StepAssignment.step_id)
            .join(Document, Document.id == StepAssignment.document_id)
            .where(StepAssignment.state == AssignmentState.WAITING, ChainStep.state == StepState.ACTIVE,
                   ChainStep.round == Document.round,
                   Document.state.in_([DocumentState.IN_PROGRESS, DocumentState.SIGNED])))


async def _first_lapses(session, now: dt.datetime) -> int:
    rows = (await session.execute(_live(select(StepAssignment, ChainStep, Document)).where(
        ChainStep.due_at < now,
        ~exists().where(Reminder.assignment_id == StepAssignment.id),
    ).order_by(StepAssignment.id))).all()
    for assignment, step, document in rows:
        calendar = await calendar_for(session, county_id=document.county_id)
        try:
            again = calendar.due_after(now, step.deadline["working_days"])
        except CalendarUnknown:
            again = None  # the reminder stands; its own lapse waits until the year is entered
        session.add(Reminder(county_id=document.county_id, assignment_id=assignment.id, document_id=document.id,
                             lapse=1, outcome="reminded", due_at=again or step.due_at, sent_at=now))
        await _record(session, document, step, assignment, "reminded", now,
                      f"办公室催办：已逾期（{step.deadline['article']}）", InboxEventKind.REMINDER)
    return len(rows)


async def _second_lapses(session, now: dt.datetime) -> tuple[int, int]:
    first = Reminder.__table__.alias("first_reminder")
    rows = (await session.execute(_live(select(StepAssignment, ChainStep, Document)).join(
        first, (first.c.assignment_id == StepAssignment.id) & (first.c.lapse == 1)).where(
        first.c.due_at < now,
        ~exists().where(Reminder.assignment_id == StepAssignment.id, Reminder.lapse == 2),
    ).order_by(StepAssignment.id))).all()
    reminded = deemed = 0
    for assignment, step, document in rows:
        article = step.deadline["article"]
        if step.deadline["second_lapse"] == SecondLapse.DEEMED_NO_OBJECTION.value:
            document = await documents.lock_document(session, document.id)
            assignment.state = AssignmentState.DEEMED_NO_OBJECTION
            assignment.opinion = f"逾期仍未反馈，视为无不同意见（{article}）"
            assignment.acted_at = now
            session.add(Reminder(county_id=document.county_id, assignment_id=assignment.id,
                                 document_id=document.id, lapse=2, outcome="deemed_no_objection", due_at=now,
                                 sent_at=now))
            await _record(session, document, step, assignment, "deemed_no_objection", now, assignment.opinion,
                          InboxEventKind.DEEMED_CONSENT)
            await documents.advance(session, document, await documents.current_steps(session, document), step, now)
            deemed += 1
        else:
            session.add(Reminder(county_id=document.county_id, assignment_id=assignment.id,
                                 document_id=document.id, lapse=2, outcome="reminded_again", due_at=now,
                                 sent_at=now))
            await _record(session, document, step, assignment, "reminded_again", now,
                          f"办公室再次催办：逾期未反馈（{article}）", InboxEventKind.REMINDER)
            reminded += 1
    return reminded, deemed


async def _record(session, document: Document, step: ChainStep, assignment: StepAssignment, kind: str,
                  now: dt.datetime, note: str, event: InboxEventKind) -> None:
    await session.flush()
    await documents.record_event(session, document, kind, actor_id=None, at=now, step=step, assignment=assignment,
                                 on_behalf_of_id=None, opinion=note)
    await audit.record(session, county_id=document.county_id, actor=SWEEPER, action=f"deadline.{kind}",
                       entity="step_assignment", entity_id=assignment.id,
                       after={"document_id": document.id, "assignee_id": assignment.assignee_id, "note": note})
    await publish(session, InboxEvent(kind=event, county_id=document.county_id,
                                      official_id=assignment.assignee_id,
                                      document_id=document.id, step_id=step.id, at=now, note=note))


async def run_sweeper(sessions, *, every_seconds: float) -> None:
    """The server's background sweeper: at once on start (catching up), then every ``every_seconds``."""
    while True:
        try:
            report = await sweep(sessions)
            if report.reminded or report.deemed or report.handed_over:
                log.info("deadline sweep", extra={"reminded": report.reminded, "deemed": report.deemed,
                                                  "handed_over": report.handed_over})
        except Exception:  # noqa: BLE001 - a failed sweep is retried on the next tick; nothing was written
            log.exception("deadline sweep failed")
        await asyncio.sleep(every_seconds)
