"""Each rule set's supervision data (督查), as data: policies/supervision/<rule set>.csv.

One ``series`` row gives the prefix of the item numbers (督 in 督〔2026〕37号); ``class`` rows give the deadline
classes (办理时限): working days to the result, when the sweeper reminds and when it escalates, and which class
an item gets when its source names none. No seed sets these numbers, so each rule set ships documented defaults,
the county's choice; "-" is a number the county leaves unset (the office then gives each item its deadline, and
no reminder or escalation follows without one). A new county gets a copy (services.supervision.install_rules);
its administrator edits the copy, and every edit passes the same checks as the shipped rows
(``ClassSpec.checked``, ``checked_prefix``).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, replace
from functools import cache

from domain.roster import RuleSet
from policies import POLICY_DIR

CLASS_COLUMNS = ("code", "name", "working_days", "remind_before_days", "escalate_after_days", "default", "article")
_CODE = re.compile(r"[a-z][a-z0-9_]*")
# A typo guard: a result owed more than a working year out is no deadline.
MAX_WORKING_DAYS = 250
MAX_PREFIX = 20


class InvalidSupervisionRule(ValueError):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


@dataclass(frozen=True)
class ClassSpec:
    code: str
    name: str
    working_days: int | None
    remind_before_days: int | None
    escalate_after_days: int | None
    default: bool
    article: str

    def checked(self) -> ClassSpec:
        """The spec with its text trimmed, or InvalidSupervisionRule naming the column at fault."""
        spec = replace(self, code=self.code.strip(), name=self.name.strip(), article=self.article.strip())
        if not _CODE.fullmatch(spec.code) or len(spec.code) > 40:
            raise InvalidSupervisionRule("code", "A deadline class's code is lowercase letters, digits and "
                                                 "underscores, starting with a letter, e.g. urgent.")
        for column in ("name", "article"):
            if not getattr(spec, column):
                raise InvalidSupervisionRule(column, f"A deadline class needs its {column}.")
        if spec.working_days is not None and not 1 <= spec.working_days <= MAX_WORKING_DAYS:
            raise InvalidSupervisionRule("working_days", f"A deadline is 1 to {MAX_WORKING_DAYS} working days, or "
                                                         "none: the office gives each item its deadline.")
        for column in ("remind_before_days", "escalate_after_days"):
            value = getattr(spec, column)
            if value is not None and not 0 <= value <= MAX_WORKING_DAYS:
                raise InvalidSupervisionRule(column, f"A reminder or escalation lapse is 0 to {MAX_WORKING_DAYS} "
                                                     "working days, or none: no reminder or escalation.")
        if (spec.working_days is not None and spec.remind_before_days is not None
                and spec.remind_before_days >= spec.working_days):
            raise InvalidSupervisionRule("remind_before_days", "A reminder comes before the deadline passes, not "
                                                               "before the item was delivered.")
        return spec


def checked_prefix(prefix: str) -> str:
    prefix = prefix.strip()
    if not prefix or len(prefix) > MAX_PREFIX or any(c in prefix for c in "〔〕号 "):
        raise InvalidSupervisionRule("prefix", f"A number prefix is 1 to {MAX_PREFIX} characters without spaces, "
                                               "brackets or 号, e.g. 督 for 督〔2026〕37号.")
    return prefix


@dataclass(frozen=True)
class SupervisionRules:
    prefix: str
    prefix_article: str
    classes: tuple[ClassSpec, ...]


def _optional_int(text: str) -> int | None:
    return None if text == "-" else int(text)


def parse_class(values: list[str]) -> ClassSpec:
    row = dict(zip(CLASS_COLUMNS, (v.strip() for v in values), strict=True))
    if row["default"] not in ("yes", "no"):
        raise ValueError(f"“{row['default']}” is not yes or no.")
    return ClassSpec(code=row["code"], name=row["name"], working_days=_optional_int(row["working_days"]),
                     remind_before_days=_optional_int(row["remind_before_days"]),
                     escalate_after_days=_optional_int(row["escalate_after_days"]), default=row["default"] == "yes",
                     article=row["article"]).checked()


@cache
def read_rules(rule_set: RuleSet) -> SupervisionRules:
    """The rule set's shipped data; a typo fails loudly at start rather than never matching."""
    series, classes = [], []
    with (POLICY_DIR / "supervision" / f"{rule_set.value}.csv").open(encoding="utf-8") as handle:
        for line in csv.reader(handle, skipinitialspace=True):
            if not line or line[0].lstrip().startswith("#"):
                continue
            kind, *values = (v.strip() for v in line)
            if kind == "series":
                prefix, article = values
                series.append((checked_prefix(prefix), article))
            elif kind == "class":
                classes.append(parse_class(values))
            else:
                raise ValueError(f"{rule_set.value}: “{kind}” is neither series nor class.")
    if len(series) != 1 or sum(spec.default for spec in classes) != 1:
        raise ValueError(f"{rule_set.value}: one series row and one default class.")
    if len({spec.code for spec in classes}) != len(classes):
        raise ValueError(f"{rule_set.value}: a deadline class code appears twice.")
    return SupervisionRules(prefix=series[0][0], prefix_article=series[0][1], classes=tuple(classes))


def stored_class(spec: ClassSpec) -> dict:
    """The spec as the columns of ``supervision_deadline_classes`` (without id and county)."""
    return {"code": spec.code, "name": spec.name, "working_days": spec.working_days,
            "remind_before_days": spec.remind_before_days, "escalate_after_days": spec.escalate_after_days,
            "is_default": spec.default, "article": spec.article}
