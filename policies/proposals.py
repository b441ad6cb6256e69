"""Each rule set's time limits for proposals, as data: policies/proposals/<rule set>.csv, the article on each row.

The seeds say 限时办结 without a number (000 §56; 001 §14; 003 §30): the shipped numbers are documented
defaults. A new county gets a copy (services.proposals.install_time_limits); its administrator edits the copy,
and every edit passes the same checks as the shipped rows (``LimitSpec.checked``).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, replace
from functools import cache

from domain.proposals import MAX_LIMIT_DAYS, LimitStep
from domain.roster import RuleSet
from policies import POLICY_DIR

COLUMNS = ("step", "working_days", "article")


class InvalidLimit(ValueError):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


@dataclass(frozen=True)
class LimitSpec:
    step: LimitStep
    working_days: int
    article: str

    def checked(self) -> LimitSpec:
        """The spec with its article trimmed, or InvalidLimit naming the column at fault."""
        spec = replace(self, article=self.article.strip())
        if not 1 <= spec.working_days <= MAX_LIMIT_DAYS:
            raise InvalidLimit("working_days", f"A time limit is 1 to {MAX_LIMIT_DAYS} working days.")
        if not spec.article:
            raise InvalidLimit("article", "A time limit names the article it rests on, e.g. 001 §14.")
        return spec


def parse_row(values: list[str]) -> LimitSpec:
    row = dict(zip(COLUMNS, (v.strip() for v in values), strict=True))
    return LimitSpec(step=LimitStep(row["step"]), working_days=int(row["working_days"]),
                     article=row["article"]).checked()


@cache
def read_limits(rule_set: RuleSet) -> tuple[LimitSpec, ...]:
    """The rule set's shipped limits; a typo fails loudly at start rather than never matching."""
    with (POLICY_DIR / "proposals" / f"{rule_set.value}.csv").open(encoding="utf-8") as handle:
        specs = tuple(parse_row(line) for line in csv.reader(handle, skipinitialspace=True)
                      if line and not line[0].lstrip().startswith("#"))
    steps = [spec.step for spec in specs]
    if len(steps) != len(set(steps)):
        raise ValueError(f"{rule_set.value}: a proposal step has two time limits.")
    return specs
