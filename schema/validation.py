"""Input checks at the GraphQL edge: ids in the id columns' range, strings free of control characters.

What passes here can still be refused by a mutation (a string too long for its column comes back as a
typed TOO_LONG error, see db/checks.py); what fails here never reaches a resolver.
"""

from __future__ import annotations

from collections.abc import Iterator

from graphql import ExecutionResult, GraphQLError, Node, visit
from graphql.language import ArgumentNode, ObjectFieldNode, StringValueNode, VariableDefinitionNode, Visitor
from strawberry.extensions import SchemaExtension

from domain.errors import TopLevelCode
from domain.text import CONTROL_CHARACTER

# Ids are BIGINT on PostgreSQL and 64-bit INTEGER on SQLite; the drivers refuse larger numbers outright.
MAX_ROW_ID = 2**63 - 1
# Ids start at 1, so 0 names no row: an id outside the range is looked up as 0 and answers like a missing one.
NO_ROW = 0



def row_id(node_id: str) -> int | None:
    """The row id in a global id's node id: None when it is no integer, NO_ROW when out of the ids' range."""
    try:
        number = int(node_id)
    except ValueError:
        return None
    return number if 1 <= number <= MAX_ROW_ID else NO_ROW


def control_character_error(argument: str, value: str) -> GraphQLError | None:
    """A BAD_USER_INPUT error naming ``argument`` if ``value`` holds a control character."""
    found = CONTROL_CHARACTER.search(value)
    if found is None:
        return None
    return GraphQLError(
        f"Argument '{argument}' contains the control character U+{ord(found.group()):04X}; "
        "text may hold tab, line feed and carriage return but no other control characters.",
        extensions={"code": TopLevelCode.BAD_USER_INPUT.value, "argument": argument},
    )


def _strings_in(value: object, path: str) -> Iterator[tuple[str, str]]:
    """(path, string) for every string in a JSON variable value, e.g. ('$input.coSponsorIds[1]', '…')."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings_in(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings_in(item, f"{path}[{index}]")


class _StringLiterals(Visitor):
    """Collects (argument path, value) for every string literal in a document."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str]] = []

    def enter_string_value(self, node: StringValueNode, _key, parent, _path, ancestors) -> None:
        names = []
        for ancestor in (*ancestors, parent):
            if isinstance(ancestor, (ArgumentNode, ObjectFieldNode)):
                names.append(ancestor.name.value)
            elif isinstance(ancestor, VariableDefinitionNode):
                names.append(f"${ancestor.variable.name.value}")
        self.found.append((".".join(names), node.value))


def _string_literals(document: Node) -> list[tuple[str, str]]:
    literals = _StringLiterals()
    visit(document, literals)
    return literals.found


class RefuseControlCharacters(SchemaExtension):
    """Refuse an operation whose arguments (variables or literals) hold a control character; nothing runs."""

    def on_execute(self):
        context = self.execution_context
        strings = [found for name, value in (context.variables or {}).items()
                   for found in _strings_in(value, f"${name}")]
        # A control character can only enter a literal through a \u escape (the lexer refuses raw ones),
        # so documents without one, nearly all of them, are not walked.
        if context.query is None or "\\u" in context.query:
            strings += _string_literals(context.graphql_document)
        for argument, text in strings:
            error = control_character_error(argument, text)
            if error is not None:
                # A result set before execution is returned as it is: no resolver runs.
                context.result = ExecutionResult(data=None, errors=[error])
                break
        yield
