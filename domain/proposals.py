"""NPC deputies' bills and suggestions, CPPCC members' proposals (议案、建议、提案): rules without a database.

After the two sessions the government office breaks the proposals down and assigns each to a lead unit and
co-units (000 §56(五)); the lead unit's principal answers for it in person and names the handler (000 §56(一));
the unit talks with the proposer (001 §14), replies with what was solved, what is planned, or why it cannot be
solved (000 §56(二)), and publishes the result (001 §14; 003 §30). Each step runs against the county's time
limit (限时办结: the seeds set no number, so the limits are county data).
"""

from __future__ import annotations

import enum

from domain.documents import Direction


class ProposalKind(str, enum.Enum):
    NPC_BILL = "npc_bill"              # 人大代表议案
    NPC_SUGGESTION = "npc_suggestion"  # 人大代表建议、批评和意见
    CPPCC_PROPOSAL = "cppcc_proposal"  # 政协委员提案


# What each kind is called in a number and a reply's title: 第12号建议.
KIND_NOUN = {ProposalKind.NPC_BILL: "议案", ProposalKind.NPC_SUGGESTION: "建议", ProposalKind.CPPCC_PROPOSAL: "提案"}


class ProposalState(str, enum.Enum):
    RECEIVED = "received"        # registered by the office
    ASSIGNED = "assigned"        # assigned to its lead unit (交办, 000 §56(五))
    ACCEPTED = "accepted"        # the lead unit's principal took it on and named the handler (000 §56(一))
    IN_PROGRESS = "in_progress"  # the unit has been in touch with the proposer (001 §14)
    REPLIED = "replied"          # the reply is signed (000 §56(二))
    PUBLISHED = "published"      # the result is public (001 §14; 003 §30)
    CLOSED = "closed"


_MOVES = {
    ProposalState.RECEIVED: ProposalState.ASSIGNED,
    ProposalState.ASSIGNED: ProposalState.ACCEPTED,
    ProposalState.ACCEPTED: ProposalState.IN_PROGRESS,
    ProposalState.IN_PROGRESS: ProposalState.REPLIED,
    ProposalState.REPLIED: ProposalState.PUBLISHED,
    ProposalState.PUBLISHED: ProposalState.CLOSED,
}


def can_move(current: ProposalState, target: ProposalState) -> bool:
    return _MOVES.get(current) == target


class ReplyOutcome(str, enum.Enum):
    """What the reply says (000 §56(二))."""

    SOLVED = "solved"              # 已解决
    PLANNED = "planned"            # 列入计划、规划逐步解决
    CANNOT_SOLVE = "cannot_solve"  # 确属不能解决，如实说明情况


class ContactWay(str, enum.Enum):
    """How the unit talked with the proposer (001 §14 加强与代表委员沟通)."""

    VISIT = "visit"        # 登门走访
    MEETING = "meeting"    # 座谈、面商
    PHONE = "phone"        # 电话
    LETTER = "letter"      # 书面
    INSPECTION = "inspection"  # 邀请视察、调研


class EventKind(str, enum.Enum):
    """A line of a proposal's history."""

    REGISTERED = "registered"
    ASSIGNED = "assigned"
    ACCEPTED = "accepted"
    REPLY_DRAFTED = "reply_drafted"
    REPLIED = "replied"
    PUBLISHED = "published"
    CLOSED = "closed"
    PUT_ON_AGENDA = "put_on_agenda"
    REMINDED = "reminded"


class LimitStep(str, enum.Enum):
    """A step that runs against the county's time limit, and the moment its count starts."""

    ASSIGN = "assign"    # the office assigns it, counted from its receipt (000 §56(五))
    ACCEPT = "accept"    # the lead unit accepts it, counted from its assignment (000 §56(一))
    REPLY = "reply"      # the reply is signed, counted from its assignment (限时办结)
    PUBLISH = "publish"  # the result is published, counted from the reply (001 §14; 003 §30)


# The step whose clock runs while the proposal is in a state.
CLOCK_OF_STATE = {
    ProposalState.RECEIVED: LimitStep.ASSIGN,
    ProposalState.ASSIGNED: LimitStep.ACCEPT,
    ProposalState.ACCEPTED: LimitStep.REPLY,
    ProposalState.IN_PROGRESS: LimitStep.REPLY,
    ProposalState.REPLIED: LimitStep.PUBLISH,
}

# The longest limit a county may set, in working days (about a year).
MAX_LIMIT_DAYS = 250


def reply_direction(kind: ProposalKind) -> Direction:
    """Whom a reply goes to, as the signing table reads it: the people's congress or the CPPCC."""
    return Direction.UPWARD_CPPCC if kind == ProposalKind.CPPCC_PROPOSAL else Direction.UPWARD_NPC


def designation(kind: ProposalKind, session: str, number: int) -> str:
    """县十八届人大三次会议第12号建议."""
    return f"{session}第{number}号{KIND_NOUN[kind]}"


def reply_title(kind: ProposalKind, session: str, number: int) -> str:
    """The reply letter's title: 关于县十八届人大三次会议第12号建议的答复."""
    return f"关于{designation(kind, session, number)}的答复"


def reply_problem(outcome: ReplyOutcome | None, explanation: str) -> tuple[str, str] | None:
    """(field, why) when a reply cannot be made as given; None when it can (000 §56(二))."""
    if outcome is None:
        return ("outcome", "A reply says what became of the matter: solved, planned for a later solution, or "
                           "cannot be solved (000 §56(二)).")
    if not explanation.strip():
        why = {ReplyOutcome.SOLVED: "how it was solved",
               ReplyOutcome.PLANNED: "which plan it is in and when it will be solved",
               ReplyOutcome.CANNOT_SOLVE: "why, truthfully (如实说明情况)"}[outcome]
        return ("explanation", f"A reply explains {why} (000 §56(二)).")
    return None
