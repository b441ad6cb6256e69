"""Each rule set's proactive-disclosure limits, as data: policies/disclosure/<rule set>.csv, the article on each row.

The seeds say 及时公开 without a number for documents and decisions (000 §51, §24; 001 §16, §22; 003 §28–29;
002 政务公开 §13.2 leaves it "XX"): 20 working days, the national regulation's limit that 001 §16 invokes, is the
documented default. A new county gets a copy (services.disclosure.install_limits); its administrator edits it.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, replace
from functools import cache

from domain.disclosure import MAX_LIMIT_DAYS, DisclosureSource
from domain.roster import RuleSet
from policies import POLICY_DIR

COLUMNS = ("source", "working_days", "article")


class InvalidLimit(ValueError):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


@dataclass(frozen=True)
class LimitSpec:
    source: DisclosureSource
    working_days: int
    article: str

    def checked(self) -> LimitSpec:
        """The spec with its article trimmed, or InvalidLimit naming the column at fault."""
        spec = replace(self, article=self.article.strip())
        if not 1 <= spec.working_days <= MAX_LIMIT_DAYS:
            raise InvalidLimit("working_days", f"A disclosure limit is 1 to {MAX_LIMIT_DAYS} working days.")
        if not spec.article:
            raise InvalidLimit("article", "A disclosure limit names the article it rests on, e.g. 000 §51.")
        return spec


def parse_row(values: list[str]) -> LimitSpec:
    row = dict(zip(COLUMNS, (v.strip() for v in values), strict=True))
    return LimitSpec(source=DisclosureSource(row["source"]), working_days=int(row["working_days"]),
                     article=row["article"]).checked()


@cache
def read_limits(rule_set: RuleSet) -> tuple[LimitSpec, ...]:
    """The rule set's shipped limits; a typo fails loudly at start rather than never matching."""
    with (POLICY_DIR / "disclosure" / f"{rule_set.value}.csv").open(encoding="utf-8") as handle:
        specs = tuple(parse_row(line) for line in csv.reader(handle, skipinitialspace=True)
                      if line and not line[0].lstrip().startswith("#"))
    sources = [spec.source for spec in specs]
    if len(sources) != len(set(sources)):
        raise ValueError(f"{rule_set.value}: a disclosure source has two limits.")
    return specs
