"""The Chinese labels apps display for enum values (schema/labels.py holds them)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from domain.errors import TopLevelCode
from resolvers.context import public_error
from schema.labels import ENUM_LABELS


@strawberry.type(description="How an app displays one enum value: its Chinese label 中文名称.")
class EnumLabel:
    enum: str = strawberry.field(description="The enum's name in this schema, e.g. DocumentState.")
    value: str = strawberry.field(description="The value as the API spells it, e.g. IN_PROGRESS.")
    label: str = strawberry.field(description="The Chinese label to display, e.g. 办理中.")
    description: str = strawberry.field(description="What the value means, in English.")


@strawberry.type
class LabelQueries:
    @strawberry.field(description="The Chinese label of every value of the enums named (of every enum when "
                                  "omitted), enum by enum in the order asked.")
    def enum_labels(self, info: Info, enums: Annotated[list[str] | None, strawberry.argument(
            description="Enum names, e.g. [\"DocumentState\", \"StepAction\"]; every enum when omitted.")] = None,
                    ) -> list[EnumLabel]:
        info.context.require_principal()
        names = list(ENUM_LABELS) if enums is None else enums
        unknown = [name for name in names if name not in ENUM_LABELS]
        if unknown:
            raise public_error(TopLevelCode.BAD_USER_INPUT,
                               f"No enum is named {', '.join(repr(name) for name in unknown)}.")
        return [EnumLabel(enum=name, value=value, label=entry.label, description=entry.description)
                for name in dict.fromkeys(names) for value, entry in ENUM_LABELS[name].items()]
