"""Requests sent up to the county government (收文): the government office's handling of a department's or
township's request or report, from its receipt to the leader's instruction and the reply (docs/DOMAIN.md §3.5).

The office signs it in with an incoming number (签收, 000 §44), proposes its handling (拟办, 001 §22, §31),
presents it to the leader the county's signing table names — the vice magistrate in charge of the sending
unit by division, a major matter to the magistrate (001 §31; 003 §56) — who may pass it on to another leader
(转请, 001 §31) and gives a clear opinion with name and full date (批示, 000 §48; 003 §57); a reply (批复) is a
document of its own, routed by the signing table like any other. Pure rules: no database, no GraphQL.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from domain.chains import RuleRef
from domain.documents import Action, ChainRole, Flag, Genre
from domain.errors import DomainError, ErrorCode, words


class RequestState(str, enum.Enum):
    RECEIVED = "received"                    # issued by the sending unit, at the office's door
    REGISTERED = "registered"                # signed in with its incoming number (签收)
    HANDLING_PROPOSED = "handling_proposed"  # the office's proposal written (拟办)
    WITH_LEADER = "with_leader"              # presented to a leader for instruction (呈批)
    INSTRUCTED = "instructed"                # the leader's instruction given (批示)
    REPLIED = "replied"                      # a reply (批复) drafted and linked
    CLOSED = "closed"                        # handled to the end (办结)


# Before the instruction the county's handling runs against its time limit (000 §51).
HANDLING_STATES = frozenset({RequestState.RECEIVED, RequestState.REGISTERED, RequestState.HANDLING_PROPOSED,
                             RequestState.WITH_LEADER})


class Step(str, enum.Enum):
    """What moves a request, and which action of the signing table says who does it."""

    REGISTER = "register"
    PROPOSE = "propose"
    PRESENT = "present"
    PASS_ON = "pass_on"
    INSTRUCT = "instruct"
    REPLY = "reply"
    CLOSE = "close"

    @property
    def action(self) -> Action:
        return _ACTION[self]


# The office's handling (办理) — proposing, presenting, replying, closing — is one action of the table.
_ACTION = {
    Step.REGISTER: Action.REGISTER,
    Step.PROPOSE: Action.PROPOSE_HANDLING,
    Step.PRESENT: Action.PROPOSE_HANDLING,
    Step.PASS_ON: Action.PASS_ON,
    Step.INSTRUCT: Action.INSTRUCT,
    Step.REPLY: Action.PROPOSE_HANDLING,
    Step.CLOSE: Action.PROPOSE_HANDLING,
}

_MOVES: dict[Step, tuple[frozenset[RequestState], RequestState]] = {
    Step.REGISTER: (frozenset({RequestState.RECEIVED}), RequestState.REGISTERED),
    Step.PROPOSE: (frozenset({RequestState.REGISTERED}), RequestState.HANDLING_PROPOSED),
    Step.PRESENT: (frozenset({RequestState.HANDLING_PROPOSED}), RequestState.WITH_LEADER),
    Step.PASS_ON: (frozenset({RequestState.WITH_LEADER}), RequestState.WITH_LEADER),
    Step.INSTRUCT: (frozenset({RequestState.WITH_LEADER}), RequestState.INSTRUCTED),
    Step.REPLY: (frozenset({RequestState.INSTRUCTED}), RequestState.REPLIED),
    # An instruction carried out by forwarding it (转办, 003 §56) needs no reply of its own.
    Step.CLOSE: (frozenset({RequestState.INSTRUCTED, RequestState.REPLIED}), RequestState.CLOSED),
}


def next_state(state: RequestState, step: Step) -> RequestState:
    """The state ``step`` leads to, or WRONG_STATE naming where the request stands."""
    allowed, to = _MOVES[step]
    if state not in allowed:
        raise DomainError(ErrorCode.WRONG_STATE, f"The request is {words(state)}: it cannot be "
                          f"{_DONE[step]} now.", field="requestId")
    return to


_DONE = {Step.REGISTER: "registered", Step.PROPOSE: "given a proposal", Step.PRESENT: "presented to a leader",
         Step.PASS_ON: "passed on", Step.INSTRUCT: "instructed on", Step.REPLY: "given a reply",
         Step.CLOSE: "closed"}


class EventKind(str, enum.Enum):
    """What a line of a request's history records."""

    RECEIVED = "received"
    # Addressed to a leader personally: taken into the office's flow all the same (000 §44).
    RE_ENTERED = "re_entered"
    REGISTERED = "registered"
    HANDLING_PROPOSED = "handling_proposed"
    PRESENTED = "presented"
    PASSED_ON = "passed_on"
    INSTRUCTED = "instructed"
    SUPERVISION_OPENED = "supervision_opened"
    REPLY_DRAFTED = "reply_drafted"
    REPLY_LINKED = "reply_linked"
    CLOSED = "closed"
    REMINDED = "reminded"


# ---------------------------------------------------------------- routing by the signing table


Allowed = Sequence[tuple[ChainRole, RuleRef]]


def presented_to(allowed: Allowed, holders: Callable[[ChainRole], list[int]]) -> tuple[ChainRole, int, RuleRef] | None:
    """The leader a request goes to: of the rows that allow the instruction, the first (by priority) whose role
    somebody holds — the vice magistrate by division before those it may be passed on to; a major matter's row
    names only the magistrate. None when nobody holds any of the roles."""
    for rule in sorted({rule for _, rule in allowed}, key=lambda r: r.priority):
        for role, row in allowed:
            if row == rule and (people := holders(role)):
                return role, people[0], rule
    return None


# ---------------------------------------------------------------- the leader's instruction


# Words that only acknowledge a request or put it off decide nothing: a request needs a clear opinion
# (明确的处理意见, 000 §48; 003 §57). A report may simply be read (圈阅表示已阅知, 003 §57).
_VAGUE = frozenset({"阅", "已阅", "圈阅", "悉", "已悉", "知悉", "收悉", "知道了", "研究", "请研究", "再研究", "酌处",
                    "酌办", "请酌处", "请酌办", "酌情处理", "看看", "再议"})
_PUNCTUATION = re.compile(r"[\s。，,.！!、；;：:？?…\"“”'‘’]+")


def checked_instruction(text: str, genre: Genre) -> str:
    opinion = text.strip()
    if not opinion:
        raise DomainError(ErrorCode.OPINION_REQUIRED, "The instruction records the leader's opinion (批示, 000 §48; "
                          "003 §57).", field="opinion")
    if genre == Genre.REQUEST and _PUNCTUATION.sub("", opinion) in _VAGUE:
        raise DomainError(ErrorCode.UNCLEAR_OPINION, f"“{opinion}” decides nothing: a request needs a clear opinion "
                          "on what it asks (签署明确的处理意见, 000 §48; 003 §57), e.g. 同意 or what is to be done.",
                          field="opinion")
    return opinion


# ---------------------------------------------------------------- the county's rules, as data


@dataclass(frozen=True)
class Limit:
    """How long the county's handling may take, from receipt to the leader's instruction."""

    working_days: int
    article: str


@dataclass(frozen=True)
class IncomingRules:
    """One county's settings for its incoming flow (policies/incoming_requests/<rule set>.csv, copied per county)."""

    number_prefix: str
    number_article: str
    handling_working_days: int | None = None
    # Matters the limit does not bind: 重要而特殊的事项 (000 §51).
    handling_exempt_flags: frozenset[Flag] = frozenset()
    handling_article: str | None = None

    def limit_for(self, flags: Iterable[Flag]) -> Limit | None:
        if self.handling_working_days is None or self.handling_exempt_flags & set(flags):
            return None
        return Limit(self.handling_working_days, self.handling_article or "")


SETTINGS = ("number_prefix", "handling_working_days", "handling_exempt_flag")
MAX_PREFIX = 40
MAX_WORKING_DAYS = 60


def rules_from(rows: Iterable[tuple[str, str, str]]) -> IncomingRules:
    """The settings of a policy file's rows (setting, value, article); raises DomainError naming the fault."""
    found: dict[str, tuple[str, str]] = {}
    exempt: set[Flag] = set()
    for setting, value, article in rows:
        if setting not in SETTINGS:
            raise DomainError(ErrorCode.INVALID, f"Unknown setting {setting!r}; known: {', '.join(SETTINGS)}.",
                              field="setting")
        if setting == "handling_exempt_flag":
            exempt.add(checked_flag(value))
        found[setting] = (value, article)
    prefix, number_article = found.get("number_prefix", ("", ""))
    days, handling_article = found.get("handling_working_days", (None, None))
    return checked_rules(IncomingRules(number_prefix=prefix, number_article=number_article,
                                       handling_working_days=None if days is None else int(days),
                                       handling_exempt_flags=frozenset(exempt), handling_article=handling_article))


def checked_rules(rules: IncomingRules) -> IncomingRules:
    """The settings trimmed, or DomainError naming the one at fault: every setting cites its article."""
    number_article = rules.number_article.strip()
    if not number_article:
        raise DomainError(ErrorCode.INVALID, "Cite the article the incoming register rests on, e.g. 000 §44.",
                          field="numberArticle")
    days = rules.handling_working_days
    handling_article = (rules.handling_article or "").strip() or None
    if days is not None:
        checked_days(days)
        if handling_article is None:
            raise DomainError(ErrorCode.INVALID, "Cite the article that sets the handling limit, e.g. 000 §51.",
                              field="handlingArticle")
    return IncomingRules(number_prefix=checked_prefix(rules.number_prefix), number_article=number_article,
                         handling_working_days=days, handling_exempt_flags=frozenset(rules.handling_exempt_flags),
                         handling_article=handling_article if days is not None else None)


def checked_prefix(prefix: str) -> str:
    text = prefix.strip()
    if not text or len(text) > MAX_PREFIX or any(c in text for c in "〔〕[]()（）") or text[-1].isdigit():
        raise DomainError(ErrorCode.INVALID, f"The prefix is the part before 〔year〕, 1 to {MAX_PREFIX} characters, "
                          "e.g. 收 of 收〔2026〕12号.", field="numberPrefix")
    return text


def checked_days(days: int) -> int:
    if not 1 <= days <= MAX_WORKING_DAYS:
        raise DomainError(ErrorCode.INVALID, f"A handling limit is 1 to {MAX_WORKING_DAYS} working days.",
                          field="handlingWorkingDays")
    return days


def checked_flag(value: str) -> Flag:
    try:
        return Flag(value.strip())
    except ValueError:
        raise DomainError(ErrorCode.INVALID, f"Unknown document flag {value!r}.", field="handlingExemptFlags") from None

