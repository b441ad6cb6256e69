"""Approval chains planned from a signing-authority table (docs/DOMAIN.md §3.2).

The table is consulted through a ``decide`` function; this module only orders what it allows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from domain.documents import CHAIN_ORDER, GROUP_ROLES, Action, ChainRole, DocumentFacts, Route
from domain.errors import words


@dataclass(frozen=True)
class RuleRef:
    """The table row that decided: its rule id, the article it cites, its priority and effect."""

    rule: str
    article: str
    priority: int
    effect: str


@dataclass(frozen=True)
class Decision:
    allowed: bool
    rule: RuleRef | None


Decide = Callable[[DocumentFacts, Route, Action, ChainRole], Decision]


@dataclass(frozen=True)
class PlannedStep:
    """A step by office. ``alternatives``: any one role may act (signing); otherwise every role acts."""

    action: Action
    roles: tuple[ChainRole, ...]
    rules: tuple[RuleRef, ...]
    alternatives: bool

    @property
    def parallel(self) -> bool:
        return not self.alternatives and (len(self.roles) > 1 or self.roles[0] in GROUP_ROLES)


class NoSigningRule(Exception):
    """The county's table names nobody who may sign such a document."""


def plan_chain(facts: DocumentFacts, decide: Decide) -> list[PlannedStep]:
    steps: list[PlannedStep] = []
    for action in CHAIN_ORDER:
        allowed = [(role, decision.rule) for role in ChainRole
                   if (decision := decide(facts, Route.DIRECT, action, role)).allowed]
        if allowed:
            steps.append(PlannedStep(action=action, roles=tuple(role for role, _ in allowed),
                                     rules=tuple(dict.fromkeys(rule for _, rule in allowed)),
                                     alternatives=action == Action.SIGN))
    if not steps or steps[-1].action != Action.SIGN:
        raise NoSigningRule("No row of this county's signing table says who signs such a document.")
    return steps


@dataclass(frozen=True)
class StaffedStep:
    """A planned step with the people who hold the offices it names: (role, official id) pairs."""

    plan: PlannedStep
    assignees: tuple[tuple[ChainRole, int], ...]


class UnstaffedRole(Exception):
    def __init__(self, role: ChainRole) -> None:
        super().__init__(f"Nobody holds the office the chain needs: the {words(role)}.")
        self.role = role


def staff_chain(plan: list[PlannedStep], holders: Callable[[ChainRole], list[int]]) -> list[StaffedStep]:
    """Put people on each step, without asking anyone twice.

    A reviewer who will certainly sign (the only possible signer) only signs; someone already on an
    earlier step is not asked again (the VM in charge co-reviewing a cross-portfolio document is not
    asked to review it again).
    A group with no members (no co-sponsors) drops out; a missing single office is an error.
    """
    signers = {official for role in plan[-1].roles for official in holders(role)}
    if not signers:
        raise UnstaffedRole(plan[-1].roles[0])
    certain_signer = next(iter(signers)) if len(signers) == 1 else None
    staffed: list[StaffedStep] = []
    asked: set[int] = set()
    for step in plan:
        assignees: list[tuple[ChainRole, int]] = []
        for role in step.roles:
            people = holders(role)
            if not people and role not in GROUP_ROLES and not step.alternatives:
                raise UnstaffedRole(role)
            for official in people:
                if step.action != Action.SIGN and official in (asked | {certain_signer}):
                    continue
                if all(official != o for _, o in assignees):
                    assignees.append((role, official))
        asked.update(o for _, o in assignees)
        if assignees:
            staffed.append(StaffedStep(plan=step, assignees=tuple(assignees)))
    return staffed
