"""Decisions (决定事项) a meeting takes on its items, and when they authorise documents: rules without a database.

A decision records what the chair declared on a decided item (三重一大 二(五): 通过、不予通过、修改、搁置或者
再次讨论), who carries it out by when (002 细则 §12), and moves through its execution; a major change goes
back to the body (三重一大 二(七); 细则 §11).
"""

from __future__ import annotations

import enum

from domain.meetings import Outcome


class DecisionOutcome(str, enum.Enum):
    PASSED = "passed"
    NOT_PASSED = "not_passed"
    MODIFIED = "modified"  # passed with changes the meeting made
    SHELVED = "shelved"
    REDISCUSS = "rediscuss"


class DecisionState(str, enum.Enum):
    ADOPTED = "adopted"
    IN_EXECUTION = "in_execution"
    CHANGE_PENDING = "change_pending"  # a major change is before the body again
    DONE = "done"
    SUSPENDED = "suspended"
    SUPERSEDED = "superseded"  # the body decided a change: the new decision replaces this one


_MOVES = {
    DecisionState.ADOPTED: {DecisionState.IN_EXECUTION, DecisionState.SUSPENDED, DecisionState.CHANGE_PENDING},
    DecisionState.IN_EXECUTION: {DecisionState.DONE, DecisionState.SUSPENDED, DecisionState.CHANGE_PENDING},
    DecisionState.CHANGE_PENDING: set(),  # only the body's decision on the change moves it on
    DecisionState.DONE: set(),
    DecisionState.SUSPENDED: set(),
    DecisionState.SUPERSEDED: set(),
}

# Outcomes that let the matter go ahead: the documents executing it may be signed.
AUTHORISING_OUTCOMES = frozenset({DecisionOutcome.PASSED, DecisionOutcome.MODIFIED})
# States in which a decision stands: suspended, superseded or under change, it authorises nothing new.
STANDING_STATES = frozenset({DecisionState.ADOPTED, DecisionState.IN_EXECUTION, DecisionState.DONE})


def can_move(current: DecisionState, target: DecisionState) -> bool:
    return target in _MOVES[current]


def authorises(outcome: DecisionOutcome, state: DecisionState) -> bool:
    """Does the decision authorise documents that execute it?"""
    return outcome in AUTHORISING_OUTCOMES and state in STANDING_STATES


def outcome_problem(item_outcome: Outcome, outcome: DecisionOutcome) -> str | None:
    """Why ``outcome`` cannot be recorded on an item decided ``item_outcome``; None when it can.

    In a chair-decides body the chair's conclusion is the decision (000 §6; 001 §5), so any outcome stands.
    Where members voted, the result binds (002 细则 §6(六)): a passed vote is recorded passed or modified, a
    vote that did not pass is recorded not passed, for the record, and authorises nothing.
    """
    if item_outcome == Outcome.CHAIR_CONCLUDED:
        return None
    allowed = AUTHORISING_OUTCOMES if item_outcome == Outcome.PASSED else {DecisionOutcome.NOT_PASSED}
    if outcome in allowed:
        return None
    return (f"The vote {'passed' if item_outcome == Outcome.PASSED else 'did not pass'}: the majority binds "
            f"(002 细则 §6(六)), so the decision is {' or '.join(sorted(o.value.replace('_', ' ') for o in allowed))}.")
