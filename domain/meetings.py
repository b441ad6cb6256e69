"""Meetings and collective decisions (三重一大): the rules that need no database.

Quorum, the pass rule, the deferral test, a meeting's numbered title and its states. The numbers
(fractions, margins, lead times) are each body's data (policies/meetings/<rule set>.csv), never
constants here.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from domain.calendar import WorkingCalendar
from domain.roster import local_date


class BodyKind(str, enum.Enum):
    PLENARY = "plenary"
    STANDING = "standing"
    MAGISTRATE_OFFICE = "magistrate_office"
    TOPICAL = "topical"
    PARTY_GROUP = "party_group"


class MemberRole(str, enum.Enum):
    """Who sits on a body, by position; resolved against the roster on the meeting's day."""

    MAGISTRATE = "magistrate"
    EXECUTIVE_VICE_MAGISTRATE = "executive_vice_magistrate"
    VICE_MAGISTRATE = "vice_magistrate"
    OFFICE_DIRECTOR = "office_director"
    DEPARTMENT_PRINCIPAL = "department_principal"


class DecisionMode(str, enum.Enum):
    CHAIR_DECIDES = "chair_decides"  # 县长负责制: the chair's conclusion is the decision (000 §6, 001 §5)
    NAMED_VOTE = "named_vote"  # item by item, every member's vote on record (002 细则 §6(五))


class MeetingState(str, enum.Enum):
    PLANNED = "planned"
    NOTICE_SENT = "notice_sent"
    IN_SESSION = "in_session"
    CLOSED = "closed"
    MINUTES_SIGNED = "minutes_signed"  # its minutes signed and numbered (002 细则 §6(七))
    CANCELLED = "cancelled"


class AttendeeKind(str, enum.Enum):
    MEMBER = "member"
    SUBSTITUTE = "substitute"  # sent for an absent member (001 §24); never counts toward quorum
    AB_PARTNER = "ab_partner"  # attends for an absent VM (001 §5); counts only where the body says so
    ATTENDING = "attending"  # 列席; never counts
    OBSERVER = "observer"  # 旁听 (003 §42; 004 二(五)5): watches; never counts, never speaks to the vote


class AttendanceStatus(str, enum.Enum):
    EXPECTED = "expected"
    PRESENT = "present"
    ON_LEAVE = "on_leave"
    ABSENT = "absent"


class ItemState(str, enum.Enum):
    """The agenda pipeline (domain.meetings_agenda), then the meeting's handling of the item."""

    PROPOSED = "proposed"
    COORDINATED = "coordinated"  # by the VM in charge (000 §42; 003 §45)
    CHECKED = "checked"  # the office's completeness check (002 三重一大 二(三))
    ACCEPTED = "accepted"  # by the body's chair (000 §42; 003 §45; 002 细则 §6(一))
    SCHEDULED = "scheduled"  # on a meeting of the body, not yet on a notice
    NOTICED = "noticed"  # listed on a notice sent in time (002 细则 §6(三))
    WITHDRAWN = "withdrawn"
    OPEN = "open"
    VOTING = "voting"
    DECIDED = "decided"
    DEFERRED = "deferred"


class VoteChoice(str, enum.Enum):
    FOR = "for"
    AGAINST = "against"
    ABSTAIN = "abstain"


class VoteRoute(str, enum.Enum):
    """How a vote came onto the record: cast by the member, or a show of hands the office recorded for them."""

    IN_PERSON = "in_person"
    SHOW_OF_HANDS = "show_of_hands"


class Outcome(str, enum.Enum):
    PASSED = "passed"
    NOT_PASSED = "not_passed"
    CHAIR_CONCLUDED = "chair_concluded"


_TRANSITIONS = {
    MeetingState.PLANNED: {MeetingState.NOTICE_SENT, MeetingState.CANCELLED},
    MeetingState.NOTICE_SENT: {MeetingState.IN_SESSION, MeetingState.CANCELLED},
    MeetingState.IN_SESSION: {MeetingState.CLOSED},
    MeetingState.CLOSED: {MeetingState.MINUTES_SIGNED},
    MeetingState.MINUTES_SIGNED: set(),
    MeetingState.CANCELLED: set(),
}


def can_move(current: MeetingState, target: MeetingState) -> bool:
    return target in _TRANSITIONS[current]


_THRESHOLD = re.compile(r"(>=|>)\s*(\d+)\s*/\s*(\d+)")


@dataclass(frozen=True)
class Threshold:
    """"More than" or "at least" a fraction: ">1/2" (超过半数), ">=2/3" (三分之二以上)."""

    strict: bool
    fraction: Fraction

    @classmethod
    def parse(cls, text: str) -> Threshold | None:
        """None for "-" (no threshold); ValueError for anything else that is not one."""
        text = text.strip()
        if text == "-":
            return None
        match = _THRESHOLD.fullmatch(text)
        if not match or int(match[3]) == 0 or not 0 < Fraction(int(match[2]), int(match[3])) <= 1:
            raise ValueError(f"“{text}” is not a threshold: write >1/2, >=2/3 or - for none.")
        return cls(match[1] == ">", Fraction(int(match[2]), int(match[3])))

    def met(self, count: int, of: int) -> bool:
        share = Fraction(count, of) if of else Fraction(0)
        return share > self.fraction if self.strict else share >= self.fraction

    def __str__(self) -> str:
        return f"{'>' if self.strict else '>='}{self.fraction.numerator}/{self.fraction.denominator}"

    def words(self) -> str:
        return f"{'more than' if self.strict else 'at least'} {self.fraction.numerator}/{self.fraction.denominator}"


@dataclass(frozen=True)
class BodyRules:
    name: str
    decision_mode: DecisionMode
    quorum: Threshold | None
    personnel_quorum: Threshold | None
    member_in_charge_must_attend: bool
    pass_rule: Threshold
    deferral_margin: int
    ab_partner_counts: bool
    article: str
    # A recused member leaves the item's quorum base and 应到会 (county data; the seeds are silent).
    recused_leave_denominator: bool = True


def meeting_title(year: int, seq: int, body_name: str) -> str:
    """"2026年第12次县政府常务会议" (002 局规则 §22)."""
    return f"{year}年第{seq}次{body_name}"


def latest_notice_day(calendar: WorkingCalendar, *, scheduled_at: dt.datetime, lead_days: int) -> dt.date:
    """The last day the notice may go out: ``lead_days`` working days before the meeting's day (细则 §6(三)
    "须至少提前1个工作日"). Raises CalendarUnknown when the count runs into a year nobody has entered."""
    return calendar.working_days_before(local_date(scheduled_at), lead_days)


def quorum_problem(rules: BodyRules, *, members: int, present: Iterable[int], is_personnel: bool,
                   member_in_charge: int | None) -> str | None:
    """Why the meeting may not take up the item now, naming the rule; None when it may (细则 §5; 003 §42)."""
    present = set(present)
    threshold = rules.personnel_quorum if is_personnel else rules.quorum
    if threshold is not None and not threshold.met(len(present), members):
        kind = "a personnel item" if is_personnel else "an item"
        return (f"Quorum not met: {rules.name} takes up {kind} with {threshold.words()} of its {members} members "
                f"present ({rules.article}); {len(present)} are.")
    if rules.member_in_charge_must_attend and member_in_charge is not None and member_in_charge not in present:
        return f"Quorum not met: the member in charge of the item must attend ({rules.article})."
    return None


@dataclass(frozen=True)
class Tally:
    for_: int
    against: int
    abstain: int
    should_attend: int
    # Absent members' written opinions: shown, used for the deferral test, never counted (细则 §6(四)(五)).
    written_for: int = 0
    written_against: int = 0

    @classmethod
    def count(cls, votes: Iterable[VoteChoice], written: Iterable[VoteChoice], should_attend: int) -> Tally:
        """The members' votes and the absent members' written stances, counted."""
        votes, written = list(votes), list(written)
        return cls(for_=votes.count(VoteChoice.FOR), against=votes.count(VoteChoice.AGAINST),
                   abstain=votes.count(VoteChoice.ABSTAIN), should_attend=should_attend,
                   written_for=written.count(VoteChoice.FOR), written_against=written.count(VoteChoice.AGAINST))

    def outcome(self, pass_rule: Threshold) -> Outcome:
        """FOR must exceed the pass share of the members who should attend (应到会, 细则 §6(六))."""
        return Outcome.PASSED if pass_rule.met(self.for_, self.should_attend) else Outcome.NOT_PASSED

    def is_close(self, margin: int) -> bool:
        """Supporters and opponents, written opinions included, within the body's margin (细则 §6(五))."""
        return abs((self.for_ + self.written_for) - (self.against + self.written_against)) <= margin
