"""Signing-authority tables: one small Casbin enforcer per county table.

The same ``SigningTable.decide`` answers both "may this official sign now?" (gating a mutation)
and "which steps does this document need?" (building its chain), so the rules exist once, as data.
"""

from __future__ import annotations

import ast
import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import casbin

from domain.chains import Decision, RuleRef
from domain.documents import Action, ChainRole, DocumentFacts, Flag, Genre, Direction, Issuer, Meeting, Route, Span
from domain.roster import RuleSet

POLICY_DIR = Path(__file__).parent
MODEL_PATH = POLICY_DIR / "signing_model.conf"
TABLE_DIR = POLICY_DIR / "signing"
COLUMNS = ("priority", "issuer", "genre", "direction", "meeting", "flag", "span", "route", "action", "role",
           "eft", "rule", "article")

# Each pattern column and the vocabulary its values come from.
_VOCABULARY = {
    "issuer": {e.value for e in Issuer},
    "genre": {e.value for e in Genre},
    "direction": {e.value for e in Direction},
    "meeting": {e.value for e in Meeting},
    "flag": {e.value for e in Flag},
    "span": {e.value for e in Span},
    "route": {e.value for e in Route},
    "role": {e.value for e in ChainRole},
}


class InvalidRow(ValueError):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


@lru_cache(maxsize=4096)
def _alternatives(pattern: str) -> tuple[bool, frozenset[str]]:
    """(negated, values) for a pattern; ``*`` is (True, {}) — 'anything but nothing'."""
    if pattern == "*":
        return True, frozenset()
    if pattern.startswith("!"):
        return True, frozenset(pattern[1:].split("|"))
    return False, frozenset(pattern.split("|"))


def one_of(value: str, pattern: str) -> bool:
    negated, values = _alternatives(pattern)
    return (value not in values) if negated else (value in values)


def has_flags(flags: str, pattern: str) -> bool:
    """``flags`` is the document's comma-joined flags; the pattern names one of them (or ``!`` none)."""
    if pattern == "*":
        return True
    negated, wanted = _alternatives(pattern)
    present = not wanted.isdisjoint(flags.split(",")) if flags else False
    return not present if negated else present


def validate_row(row: Sequence[str]) -> list[str]:
    """A policy row, stripped and checked; raises InvalidRow naming the column at fault."""
    if len(row) != len(COLUMNS):
        raise InvalidRow("row", f"A row has {len(COLUMNS)} columns ({', '.join(COLUMNS)}); got {len(row)}.")
    cleaned = [value.strip() for value in row]
    values = dict(zip(COLUMNS, cleaned, strict=True))
    if not values["priority"].isdigit():
        raise InvalidRow("priority", "Priority is a whole number; lower runs first.")
    for column, vocabulary in _VOCABULARY.items():
        pattern = values[column]
        if pattern == "*":
            continue
        alternatives = pattern[1:] if pattern.startswith("!") else pattern
        unknown = [v for v in alternatives.split("|") if v not in vocabulary]
        if unknown or not alternatives:
            raise InvalidRow(column, f"Unknown {column} {', '.join(unknown) or repr(pattern)}; "
                                     f"known: {', '.join(sorted(vocabulary))}.")
    if values["action"] not in {a.value for a in Action}:
        raise InvalidRow("action", f"Unknown action {values['action']!r}.")
    if values["eft"] not in ("allow", "deny"):
        raise InvalidRow("eft", "The effect is allow or deny.")
    if not values["rule"]:
        raise InvalidRow("rule", "Name the rule the row belongs to.")
    if not values["article"]:
        raise InvalidRow("article", "Cite the article the row comes from.")
    if any("," in v for v in cleaned):
        raise InvalidRow("row", "Values cannot contain commas.")
    return cleaned


def read_table_file(rule_set: RuleSet) -> list[list[str]]:
    """The shipped table of a rule set, from policies/signing/<rule set>.csv."""
    rows = []
    with (TABLE_DIR / f"{rule_set.value}.csv").open(encoding="utf-8") as handle:
        for line in csv.reader(handle, skipinitialspace=True):
            if not line or line[0].lstrip().startswith("#"):
                continue
            if line[0].strip() != "p":
                raise InvalidRow("row", f"Unexpected line in the {rule_set.value} table: {line!r}")
            rows.append(validate_row(line[1:]))
    return rows


# What the matcher may contain: comparisons joined by and/or/not, request and policy names, constants,
# and calls of the functions registered with add_function.
_MATCHER_NODES = (ast.Expression, ast.BoolOp, ast.And, ast.Or, ast.UnaryOp, ast.Not, ast.Compare, ast.Eq,
                  ast.NotEq, ast.Call, ast.Name, ast.Load, ast.Constant)


class _CompiledMatcher:
    """The model's matcher, compiled once to Python bytecode.

    pycasbin's simpleeval walks the matcher's syntax tree for every row it scans (5–7 µs a row);
    bytecode runs it in under one. Only the model file's matcher is compiled — rows are data, the
    names it reads — and only the node kinds above are accepted in it.
    """

    def __init__(self, expr: str, functions: dict) -> None:
        tree = ast.parse(expr.strip(), mode="eval")
        for node in ast.walk(tree):
            if not isinstance(node, _MATCHER_NODES) or (
                    isinstance(node, ast.Call) and not (isinstance(node.func, ast.Name) and node.func.id in functions)):
                raise ValueError(f"unsupported in the signing matcher: {ast.dump(node)[:80]}")
        self._code = compile(tree, "<signing matcher>", "eval")
        self._globals = {"__builtins__": {}, **functions}

    def eval(self, names: dict) -> bool:
        return eval(self._code, self._globals, names)  # noqa: S307 - the model's own matcher, checked above


@lru_cache(maxsize=8)
def _compiled_matcher(expr: str, functions: tuple[tuple[str, object], ...]) -> _CompiledMatcher:
    # pycasbin's own rewriting (&& → and, || → or, ! → not), then ours. Stateless, so every enforcer in
    # the process shares it: thousands of counties' tables compile the one matcher once.
    rewritten = casbin.Enforcer._get_expression(expr, dict(functions)).expr
    return _CompiledMatcher(rewritten, dict(functions))


class _Enforcer(casbin.Enforcer):
    """pycasbin parses the matcher text again on every enforce(); ours never changes, so compile it once."""

    def _get_expression(self, expr, functions=None):
        return _compiled_matcher(expr, tuple(sorted((functions or {}).items())))


@dataclass(frozen=True)
class _Request:
    facts: DocumentFacts
    route: Route
    action: Action
    role: ChainRole


class SigningTable:
    """One county's table. Immutable: a changed table is a new SigningTable (and a fresh cache).

    Rows are split into one small enforcer per action: the matcher's first test is the action, so
    a request never needs the other actions' rows, and each enforce() scans a handful of rows.
    """

    def __init__(self, rows: Iterable[Sequence[str]]) -> None:
        self.rows = [validate_row(row) for row in rows]
        self._enforcers: dict[str, casbin.Enforcer] = {}
        action_column = COLUMNS.index("action")
        for action in {row[action_column] for row in self.rows}:
            enforcer = _Enforcer(str(MODEL_PATH))
            enforcer.add_function("oneOf", one_of)
            enforcer.add_function("hasFlags", has_flags)
            enforcer.add_policies([row for row in self.rows if row[action_column] == action])
            enforcer.model.sort_policies_by_priority()
            self._enforcers[action] = enforcer
        self._decide_cached = lru_cache(maxsize=8192)(self._decide)

    @property
    def content_key(self) -> tuple[tuple[str, ...], ...]:
        """Equal for equal tables, so counties with the same rows can share one loaded table."""
        return tuple(sorted(tuple(row) for row in self.rows))

    def decide(self, facts: DocumentFacts, route: Route, action: Action, role: ChainRole) -> Decision:
        return self._decide_cached(_Request(facts, route, action, role))

    def _decide(self, request: _Request) -> Decision:
        enforcer = self._enforcers.get(request.action.value)
        if enforcer is None:
            return Decision(allowed=False, rule=None)
        facts = request.facts
        allowed, row = enforcer.enforce_ex(
            facts.issuer.value, facts.genre.value, facts.direction.value, facts.meeting.value,
            facts.flag_string(), facts.span.value, request.route.value, request.action.value, request.role.value,
        )
        if not row:
            return Decision(allowed=False, rule=None)
        values = dict(zip(COLUMNS, row, strict=True))
        return Decision(allowed=allowed, rule=RuleRef(rule=values["rule"], article=values["article"],
                                                      priority=int(values["priority"]), effect=values["eft"]))
