"""Time limits on chain steps (docs/DOMAIN.md §4): which row of a rule set's deadline table applies to a step."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

from domain.documents import Action, Flag, Genre


class CountedFrom(str, enum.Enum):
    ACTIVATION = "activation"  # the step reached the person
    SUBMISSION = "submission"  # the document entered the flow
    MEETING = "meeting"  # so many working days *before* the standing meeting
    MEETING_END = "meeting_end"  # from the end of the meeting that took the document's decision


class SecondLapse(str, enum.Enum):
    REMIND_AGAIN = "remind_again"
    # "逾期仍未反馈的，视为无不同意见" — recorded as such, never as a signature.
    DEEMED_NO_OBJECTION = "deemed_no_objection"


@dataclass(frozen=True)
class DeadlineRule:
    action: Action
    genre: str
    flag: str
    working_days: int
    counted_from: CountedFrom
    second_lapse: SecondLapse
    article: str

    def applies(self, action: Action, genre: Genre, flags: frozenset[Flag]) -> bool:
        return (self.action == action and self.genre in ("*", genre.value)
                and (self.flag == "*" or Flag(self.flag) in flags))


def deadline_for(rules: Sequence[DeadlineRule], *, action: Action, genre: Genre,
                 flags: frozenset[Flag]) -> DeadlineRule | None:
    return next((rule for rule in rules if rule.applies(action, genre, flags)), None)
