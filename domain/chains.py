"""Approval chains planned from a signing-authority table (SPEC §2.2).

The table is consulted through a ``decide`` function; this module only orders what it allows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from domain.documents import CHAIN_ORDER, GROUP_ROLES, Action, ChainRole, DocumentFacts, Route


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
