"""Flowcharts (流程图, 004 二) generated from the rules the system enforces, and their Mermaid source. Pure.

The document-signing power's flowchart is read off the county's live signing table and its rule set's deadline
table, so it cannot drift from what routing does: one step per chain action that some row allows, in chain
order, its actors the allowing rows (role, the conditions the row matches, rule and article), its time limit the
deadline table's; a step only some documents take gets a labelled branch around it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from domain.deadlines import DeadlineRule
from domain.documents import CHAIN_ORDER, Action

# The signing table's condition columns, in the order a condition is written.
_CONDITION_COLUMNS = ("issuer", "genre", "direction", "meeting", "flag", "span", "route")
_COLUMNS = ("priority", *_CONDITION_COLUMNS, "action", "role", "eft", "rule", "article")
# The steps of the signing power: the chain, then issuing (印发).
SIGNING_ACTIONS = (*CHAIN_ORDER, Action.URGENT_SIGN, Action.COUNTERSIGN, Action.ISSUE)


@dataclass(frozen=True)
class Actor:
    role: str
    conditions: str  # "" when the row allows whatever the document
    rule: str
    article: str


@dataclass(frozen=True)
class Edge:
    to: str  # a step's key, or END
    label: str  # "" for the plain way on


@dataclass(frozen=True)
class Step:
    key: str
    action: Action
    actors: tuple[Actor, ...]
    conditions: str  # "" when every document takes the step
    rules: str  # the rules that put a document on the step
    time_limit_days: int | None  # None: the deadline table sets no limit for this step
    time_limit_article: str
    next: tuple[Edge, ...]


# Mermaid reserves "end"; the final node is "done".
END = "done"


def _conditions(values: dict[str, str]) -> str:
    return " ∧ ".join(f"{column}={values[column]}" for column in _CONDITION_COLUMNS if values[column] != "*")


def signing_steps(rows: Sequence[Sequence[str]], deadlines: Sequence[DeadlineRule]) -> list[Step]:
    """The signing power's steps from the county's signing-table rows and its deadline rules."""
    allowing: dict[Action, list[Actor]] = {}
    for row in sorted(rows, key=lambda r: int(r[0])):
        values = dict(zip(_COLUMNS, (str(v).strip() for v in row), strict=True))
        if values["eft"] != "allow":
            continue
        action = Action(values["action"])
        if action in SIGNING_ACTIONS:
            allowing.setdefault(action, []).append(Actor(values["role"], _conditions(values), values["rule"],
                                                         values["article"]))
    present = [action for action in SIGNING_ACTIONS if action in allowing]
    conditions = {action: "" if any(not a.conditions for a in allowing[action])
                  else " ∨ ".join(dict.fromkeys(a.conditions for a in allowing[action])) for action in present}
    rules = {action: ", ".join(dict.fromkeys(a.rule for a in allowing[action])) for action in present}
    steps = []
    for index, action in enumerate(present):
        edges, later = [], present[index + 1:]
        for following in later:
            edges.append(Edge(following.value, f"if {rules[following]}" if conditions[following] else ""))
            if not conditions[following]:
                break
        else:
            edges.append(Edge(END, ""))
        if len(edges) > 1:
            edges[-1] = Edge(edges[-1].to, "otherwise")
        limit = next((rule for rule in deadlines if rule.action == action), None)
        steps.append(Step(
            key=action.value, action=action, actors=tuple(allowing[action]), conditions=conditions[action],
            rules=rules[action],
            time_limit_days=limit.working_days if limit else None,
            time_limit_article=_limit_words(limit) if limit else "", next=tuple(edges)))
    return steps


def _limit_words(rule: DeadlineRule) -> str:
    when = " ∧ ".join(f"{name}={value}" for name, value in (("genre", rule.genre), ("flag", rule.flag))
                      if value != "*")
    return f"{rule.article}, from {rule.counted_from.value}" + (f", when {when}" if when else "")


def _quoted(text: str) -> str:
    """Mermaid label text inside double quotes: quotes become an entity, line breaks a <br/>."""
    return text.replace('"', "#quot;").replace("\n", "<br/>")


def mermaid(title: str, nodes: Sequence[tuple[str, str, Sequence[Edge]]]) -> str:
    """Mermaid flowchart source: a start node, one node per (key, text, ways on), labelled edges, a done node."""
    lines = ["flowchart TD", f'  start(["{_quoted(title)}"])']
    lines += [f'  {key}["{_quoted(text)}"]' for key, text, _ in nodes]
    lines.append(f'  {END}(["done"])')
    lines.append(f"  start --> {nodes[0][0] if nodes else END}")
    for key, _, edges in nodes:
        for edge in edges:
            arrow = f'-->|"{_quoted(edge.label)}"|' if edge.label else "-->"
            lines.append(f"  {key} {arrow} {edge.to}")
    return "\n".join(lines) + "\n"


def signing_mermaid(steps: Sequence[Step], title: str) -> str:
    """The signing flowchart's nodes: the action, the offices that may act, the time limit."""
    return mermaid(title, [(step.key, "\n".join((
        step.action.value, " / ".join(dict.fromkeys(a.role for a in step.actors)),
        f"{step.time_limit_days} working days" if step.time_limit_days is not None else "no time limit")), step.next)
        for step in steps])


# ---------------------------------------------------------------- a power's own flowchart, as the office draws it

_KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")
_RESERVED_KEYS = frozenset({"start", END, "end", "graph", "flowchart", "subgraph", "style", "class", "click"})
MAX_STEPS = 50


@dataclass(frozen=True)
class DrawnStep:
    """A step of a power's flowchart: who acts, when, in how many working days, on what, and where it goes on."""

    key: str
    actor: str
    conditions: str
    time_limit_days: int | None
    requirements: str
    next: tuple[Edge, ...]


def drawn_problem(steps: Sequence[DrawnStep]) -> tuple[str, str] | None:
    """(field, why) when a drawn flowchart cannot be kept; None when it can (004 二)."""
    if not steps:
        return "steps", "A flowchart has at least one step (004 二)."
    if len(steps) > MAX_STEPS:
        return "steps", f"A flowchart has at most {MAX_STEPS} steps."
    keys = [step.key for step in steps]
    for step in steps:
        if not _KEY.fullmatch(step.key) or step.key in _RESERVED_KEYS:
            return "key", (f"Step key {step.key!r}: lower-case letters, digits and _, starting with a letter, not a "
                           "Mermaid keyword.")
        if not step.actor.strip():
            return "actor", f"Step {step.key} names who acts (004 二)."
        if step.time_limit_days is None:
            return "timeLimitDays", f"Step {step.key} states its time limit in working days (004 二 办理时限)."
        if not 1 <= step.time_limit_days <= 365:
            return "timeLimitDays", f"Step {step.key}: a time limit is 1 to 365 working days."
        for edge in step.next:
            if edge.to not in keys and edge.to != END:
                return "next", f"Step {step.key} goes on to {edge.to!r}, which is no step (nor {END!r})."
    if len(set(keys)) != len(keys):
        return "key", "Each step of a flowchart has its own key."
    return None


def drawn_mermaid(steps: Sequence[DrawnStep], title: str) -> str:
    """A drawn flowchart's nodes: who acts, the time limit; a step with no way on goes to done."""
    return mermaid(title, [(step.key, f"{step.actor}\n{step.time_limit_days} working days",
                            step.next or (Edge(END, ""),)) for step in steps])
