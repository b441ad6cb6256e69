"""Each rule set's meeting bodies, as data: policies/meetings/<rule set>.csv, the article beside each row.

A new county gets a copy of its rule set's rows (services.meetings.install_bodies); its administrator
edits the copy, and every edit passes the same checks as the shipped rows (``BodySpec.checked``).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, fields, replace
from functools import cache

from domain.meetings import BodyKind, DecisionMode, MemberRole, Threshold
from domain.roster import RuleSet
from policies import POLICY_DIR

COLUMNS = ("kind", "name", "members", "attendees", "chair_role", "entrusted_chair_roles", "decision_mode", "quorum",
           "personnel_quorum", "member_in_charge_must_attend", "pass_rule", "deferral_margin", "notice_lead_days",
           "minutes_series", "ab_partner_counts", "recused_leave_denominator", "minutes_draft_days",
           "minutes_sign_days", "minutes_clock_article", "article")


class InvalidBody(ValueError):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


@dataclass(frozen=True)
class BodySpec:
    kind: BodyKind
    name: str
    members: tuple[MemberRole, ...]
    attendees: tuple[str, ...]
    chair_role: MemberRole
    entrusted_chair_roles: tuple[MemberRole, ...]
    decision_mode: DecisionMode
    quorum: str
    personnel_quorum: str
    member_in_charge_must_attend: bool
    pass_rule: str
    deferral_margin: int
    notice_lead_days: int
    minutes_series: str
    ab_partner_counts: bool
    # 002 人事 §23 says who recuses, not how the count treats them: county data, default yes.
    recused_leave_denominator: bool
    # Working days from the meeting's end to the minutes' draft and signature (003 §46); None: no clock.
    minutes_draft_days: int | None
    minutes_sign_days: int | None
    minutes_clock_article: str
    article: str

    def checked(self) -> BodySpec:
        """The spec with its text trimmed, or InvalidBody naming the column at fault."""
        spec = replace(self, name=self.name.strip(), minutes_series=self.minutes_series.strip(),
                       article=self.article.strip(), attendees=tuple(a.strip() for a in self.attendees if a.strip()),
                       quorum=self.quorum.strip(), personnel_quorum=self.personnel_quorum.strip(),
                       pass_rule=self.pass_rule.strip(), minutes_clock_article=self.minutes_clock_article.strip())
        for column in ("name", "minutes_series", "article"):
            if not getattr(spec, column):
                raise InvalidBody(column, f"A meeting body needs its {column.replace('_', ' ')}.")
        if not spec.members:
            raise InvalidBody("members", "A meeting body needs at least one member role.")
        if spec.chair_role not in spec.members:
            raise InvalidBody("chair_role", "The chair's role must be one of the body's member roles.")
        for column in ("quorum", "personnel_quorum", "pass_rule"):
            try:
                threshold = Threshold.parse(getattr(spec, column))
            except ValueError as error:
                raise InvalidBody(column, str(error)) from None
            if threshold is None and column == "pass_rule":
                raise InvalidBody(column, "A pass rule needs a threshold, e.g. >1/2 (002 细则 §6(六)).")
        if spec.deferral_margin < 0:
            raise InvalidBody("deferral_margin", "The deferral margin is a number of votes, 0 or more.")
        if not 0 <= spec.notice_lead_days <= 30:
            raise InvalidBody("notice_lead_days", "The notice lead time is 0 to 30 working days.")
        for column in ("minutes_draft_days", "minutes_sign_days"):
            days = getattr(spec, column)
            if days is not None and not 0 <= days <= 30:
                raise InvalidBody(column, "A minutes clock is 0 to 30 working days, or none.")
        if (spec.minutes_draft_days is not None and spec.minutes_sign_days is not None
                and spec.minutes_draft_days > spec.minutes_sign_days):
            raise InvalidBody("minutes_sign_days", "The minutes are signed after they are drafted: the signing clock "
                                                   "cannot be shorter than the drafting one.")
        clocked = spec.minutes_draft_days is not None or spec.minutes_sign_days is not None
        if clocked and not spec.minutes_clock_article:
            raise InvalidBody("minutes_clock_article", "A minutes clock names the article that sets it, e.g. 003 §46.")
        return spec


def _roles(text: str) -> tuple[MemberRole, ...]:
    return () if text.strip() == "-" else tuple(MemberRole(r.strip()) for r in text.split("|"))


def _days(text: str) -> int | None:
    return None if text == "-" else int(text)


def _flag(text: str) -> bool:
    if text not in ("yes", "no"):
        raise ValueError(f"“{text}” is not yes or no.")
    return text == "yes"


def parse_row(values: list[str]) -> BodySpec:
    row = dict(zip(COLUMNS, (v.strip() for v in values), strict=True))
    return BodySpec(
        kind=BodyKind(row["kind"]), name=row["name"], members=_roles(row["members"]),
        attendees=() if row["attendees"] == "-" else tuple(row["attendees"].split("|")),
        chair_role=MemberRole(row["chair_role"]), entrusted_chair_roles=_roles(row["entrusted_chair_roles"]),
        decision_mode=DecisionMode(row["decision_mode"]), quorum=row["quorum"],
        personnel_quorum=row["personnel_quorum"],
        member_in_charge_must_attend=_flag(row["member_in_charge_must_attend"]), pass_rule=row["pass_rule"],
        deferral_margin=int(row["deferral_margin"]), notice_lead_days=int(row["notice_lead_days"]),
        minutes_series=row["minutes_series"], ab_partner_counts=_flag(row["ab_partner_counts"]),
        recused_leave_denominator=_flag(row["recused_leave_denominator"]),
        minutes_draft_days=_days(row["minutes_draft_days"]), minutes_sign_days=_days(row["minutes_sign_days"]),
        minutes_clock_article="" if row["minutes_clock_article"] == "-" else row["minutes_clock_article"],
        article=row["article"],
    ).checked()


@cache
def read_bodies(rule_set: RuleSet) -> tuple[BodySpec, ...]:
    """The rule set's shipped bodies; a typo fails loudly at start rather than never matching."""
    with (POLICY_DIR / "meetings" / f"{rule_set.value}.csv").open(encoding="utf-8") as handle:
        return tuple(parse_row(line) for line in csv.reader(handle, skipinitialspace=True)
                     if line and not line[0].lstrip().startswith("#"))


SPEC_FIELDS = tuple(f.name for f in fields(BodySpec))


def stored_rules(spec: BodySpec) -> dict:
    """The spec's columns other than kind and name, as a county's ``meeting_bodies.rules`` stores them."""
    values = {}
    for name in SPEC_FIELDS:
        value = getattr(spec, name)
        if name in ("kind", "name"):
            continue
        if isinstance(value, tuple):
            value = [getattr(v, "value", v) for v in value]
        values[name] = getattr(value, "value", value)
    return values


def spec_from(kind: str, name: str, rules: dict) -> BodySpec:
    """A stored body back as a spec (the inverse of ``stored_rules``)."""
    return BodySpec(
        kind=BodyKind(kind), name=name, members=tuple(MemberRole(r) for r in rules["members"]),
        attendees=tuple(rules["attendees"]), chair_role=MemberRole(rules["chair_role"]),
        entrusted_chair_roles=tuple(MemberRole(r) for r in rules["entrusted_chair_roles"]),
        decision_mode=DecisionMode(rules["decision_mode"]), quorum=rules["quorum"],
        personnel_quorum=rules["personnel_quorum"], member_in_charge_must_attend=rules["member_in_charge_must_attend"],
        pass_rule=rules["pass_rule"], deferral_margin=rules["deferral_margin"],
        notice_lead_days=rules["notice_lead_days"], minutes_series=rules["minutes_series"],
        ab_partner_counts=rules["ab_partner_counts"], recused_leave_denominator=rules["recused_leave_denominator"],
        minutes_draft_days=rules["minutes_draft_days"], minutes_sign_days=rules["minutes_sign_days"],
        minutes_clock_article=rules["minutes_clock_article"], article=rules["article"],
    )
