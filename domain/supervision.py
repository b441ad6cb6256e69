"""Supervision (督查): a leader's instruction or a decision, numbered by the supervision office and tracked to
its result (000 §36, §48; 001 §37; 003 §38, §46, §53; 002 细则 §12, 局规则 §25, §35).

The supervision office (督查室, staff of the government office) numbers an item 督〔2026〕N号 and delivers it to
the lead unit (送达承办单位); the unit's principal accepts it, the unit reports progress and then its result
within the set time, and the office verifies the result and closes the item or reopens it with its reason.
Pure rules: no database, no GraphQL.
"""

from __future__ import annotations

import datetime as dt
import enum

from domain.roster import LOCAL_TZ


class SourceKind(str, enum.Enum):
    """Where an item comes from: the source id names a row of that system (none for MANUAL)."""

    MANUAL = "manual"                                   # by hand (督查室; a higher authority's assignment)
    CIRCULATION_INSTRUCTION = "circulation_instruction"  # a leader's instruction on a circulated document
    INCOMING_REQUEST = "incoming_request"               # a leader's instruction on a request sent up
    MEETING_DECISION = "meeting_decision"               # a decision with a responsible unit
    PROPOSAL = "proposal"                               # an NPC suggestion or CPPCC proposal


class ItemState(str, enum.Enum):
    REGISTERED = "registered"            # numbered; not yet delivered (its deadline is not fixed yet)
    ASSIGNED = "assigned"                # delivered to the lead unit (送达承办单位)
    ACCEPTED = "accepted"                # the lead unit's principal took it on
    IN_PROGRESS = "in_progress"          # progress reported
    RESULT_REPORTED = "result_reported"  # the unit reported its result (办理结果反馈)
    CLOSED = "closed"                    # the supervision office verified the result
    REOPENED = "reopened"                # the office found the result wanting; the unit works on


class EntryKind(str, enum.Enum):
    PROGRESS = "progress"
    RESULT = "result"
    REOPENED = "reopened"
    CLOSED = "closed"


class LapseKind(str, enum.Enum):
    REMINDER = "reminder"      # to the responsible person and the lead unit's principal
    ESCALATION = "escalation"  # to the vice magistrate in charge of the lead unit (000 §36)


class Step(str, enum.Enum):
    """What moves an item, by whom (services.supervision checks the who)."""

    ASSIGN = "assign"                  # the supervision office delivers it with its deadline
    ACCEPT = "accept"                  # the lead unit's principal, or whoever covers them
    REPORT_PROGRESS = "report_progress"
    REPORT_RESULT = "report_result"
    CLOSE = "close"                    # the supervision office, verifying the result
    REOPEN = "reopen"                  # the supervision office, with the reason


_MOVES: dict[Step, tuple[frozenset[ItemState], ItemState]] = {
    Step.ASSIGN: (frozenset({ItemState.REGISTERED}), ItemState.ASSIGNED),
    Step.ACCEPT: (frozenset({ItemState.ASSIGNED}), ItemState.ACCEPTED),
    Step.REPORT_PROGRESS: (frozenset({ItemState.ACCEPTED, ItemState.IN_PROGRESS, ItemState.REOPENED}),
                           ItemState.IN_PROGRESS),
    Step.REPORT_RESULT: (frozenset({ItemState.ACCEPTED, ItemState.IN_PROGRESS, ItemState.REOPENED}),
                         ItemState.RESULT_REPORTED),
    Step.CLOSE: (frozenset({ItemState.RESULT_REPORTED}), ItemState.CLOSED),
    Step.REOPEN: (frozenset({ItemState.RESULT_REPORTED}), ItemState.REOPENED),
}

# The unit still owes its result: these items fall overdue, get reminded and escalated.
OWED = frozenset({ItemState.ASSIGNED, ItemState.ACCEPTED, ItemState.IN_PROGRESS, ItemState.REOPENED})


def target(state: ItemState, step: Step) -> ItemState | None:
    """The state ``step`` leads to from ``state``; None when the step does not apply there."""
    sources, to = _MOVES[step]
    return to if state in sources else None


def refusal(state: ItemState, step: Step) -> str:
    """Why ``step`` does not apply in ``state``, in the rule's words."""
    if step == Step.CLOSE and state in OWED:
        return ("The unit has reported no result to verify: an item is closed on its result report, verified by "
                "the supervision office (000 §48).")
    if step == Step.ACCEPT:
        return "Only an item delivered to its lead unit and not yet accepted is accepted (000 §48)."
    if step in (Step.REPORT_PROGRESS, Step.REPORT_RESULT):
        if state == ItemState.ASSIGNED:
            return "The lead unit's principal accepts the item before the unit reports on it (000 §48)."
        return f"An item that is {state.value.replace('_', ' ')} takes no report."
    if step == Step.ASSIGN:
        return "The item has been delivered to its lead unit already."
    if step == Step.CLOSE:
        return f"An item that is {state.value.replace('_', ' ')} is not closed."
    return "Only a reported result is reopened (000 §48)."


def number(prefix: str, year: int, seq: int) -> str:
    """督〔2026〕37号: the county's prefix, the year and the item's place in it."""
    return f"{prefix}〔{year}〕{seq}号"


def end_of(day: dt.date) -> dt.datetime:
    """24:00 local of ``day``, in UTC: an item due on ``day`` falls overdue then."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=LOCAL_TZ).astimezone(dt.timezone.utc)


def lapse_at(calendar, kind: LapseKind, *, due_on: dt.date, days: int) -> dt.datetime:
    """When the sweeper reminds (``days`` working days before the deadline passes; 0: as it passes) or escalates
    (``days`` working days after it passed). Raises CalendarUnknown for a year nobody has entered."""
    if kind == LapseKind.REMINDER:
        return end_of(calendar.working_days_before(due_on, days))
    return calendar.due_after(dt.datetime.combine(due_on, dt.time(12), tzinfo=LOCAL_TZ), days)


def overdue(state: ItemState, due_on: dt.date | None, today: dt.date) -> bool:
    """Still owed and past its last day."""
    return state in OWED and due_on is not None and today > due_on


def closed_late(due_on: dt.date | None, reported_on: dt.date | None) -> bool:
    """A closed item counts late when its accepted result came after its last day."""
    return due_on is not None and reported_on is not None and reported_on > due_on
