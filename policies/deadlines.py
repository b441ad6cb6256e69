"""Each rule set's time limits, as data: policies/deadlines/<rule set>.csv, the article beside each row."""

from __future__ import annotations

import csv
from functools import cache

from domain.deadlines import CountedFrom, DeadlineRule, SecondLapse
from domain.documents import Action, Flag, Genre
from domain.roster import RuleSet
from policies import POLICY_DIR


@cache
def deadline_rules(rule_set: RuleSet) -> tuple[DeadlineRule, ...]:
    rules = []
    with (POLICY_DIR / "deadlines" / f"{rule_set.value}.csv").open(encoding="utf-8") as handle:
        for line in csv.reader(handle, skipinitialspace=True):
            if not line or line[0].lstrip().startswith("#"):
                continue
            action, genre, flag, days, counted_from, second_lapse, article = (v.strip() for v in line)
            # Fail loudly at start on a typo rather than never matching.
            if genre != "*":
                Genre(genre)
            if flag != "*":
                Flag(flag)
            rules.append(DeadlineRule(Action(action), genre, flag, int(days), CountedFrom(counted_from),
                                      SecondLapse(second_lapse), article))
    return tuple(rules)
