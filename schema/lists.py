"""How lists are ordered and filtered: the `orderBy` and `filter` arguments of the connections."""

from __future__ import annotations

import datetime as dt
import enum

import strawberry
from strawberry import relay

from schema.documents import DocumentStateEnum, GenreEnum, IssuerEnum
from schema.labels import labelled_enum


class OrderDirection(enum.Enum):
    ASC = "asc"
    DESC = "desc"


class DocumentOrderField(enum.Enum):
    CREATED_AT = "created_at"
    TITLE = "title"


class OfficialOrderField(enum.Enum):
    RANK = "rank"
    NAME = "name"


class InboxOrderField(enum.Enum):
    RECEIVED = "received"
    DUE_AT = "due_at"


labelled_enum(OrderDirection, name="OrderDirection",
              description="Which way a list runs on its order field; ties go by id the same way.")
labelled_enum(DocumentOrderField, name="DocumentOrderField", description="What the documents list is ordered by.")
labelled_enum(OfficialOrderField, name="OfficialOrderField", description="What the officials list is ordered by.")
labelled_enum(InboxOrderField, name="InboxOrderField", description="What the inbox is ordered by.")


@strawberry.input(description="The order of the documents list: newest first unless asked otherwise.")
class DocumentOrder:
    field: DocumentOrderField = strawberry.field(default=DocumentOrderField.CREATED_AT,
                                                 description="The field to order by.")
    direction: OrderDirection = strawberry.field(default=OrderDirection.DESC, description="Which way.")


@strawberry.input(description="The order of the officials list: rank order unless asked otherwise.")
class OfficialOrder:
    field: OfficialOrderField = strawberry.field(default=OfficialOrderField.RANK,
                                                 description="The field to order by.")
    direction: OrderDirection = strawberry.field(default=OrderDirection.ASC, description="Which way.")


@strawberry.input(description="The order of the inbox: longest waiting first unless asked otherwise.")
class InboxOrder:
    field: InboxOrderField = strawberry.field(default=InboxOrderField.RECEIVED,
                                              description="The field to order by.")
    direction: OrderDirection = strawberry.field(default=OrderDirection.ASC, description="Which way.")


@strawberry.input(description="Narrows the documents list; every condition given must hold (AND).")
class DocumentFilter:
    title_contains: str | None = strawberry.field(
        default=None, description="Text the title contains, taken literally (% and _ are not wildcards).")
    created_from: dt.date | None = strawberry.field(
        default=None, description="Started on or after this day (Asia/Shanghai).")
    created_to: dt.date | None = strawberry.field(
        default=None, description="Started on or before this day (Asia/Shanghai), the day included.")
    department_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Led by this department (主办单位).")
    genre: GenreEnum | None = strawberry.field(default=None, description="Of this genre (文种).")
    state: DocumentStateEnum | None = strawberry.field(default=None, description="In this state.")
    issuer: IssuerEnum | None = strawberry.field(default=None, description="Issued in this name (名义).")
    urgent: bool | None = strawberry.field(default=None, description="Urgent (true) or not urgent (false).")
    overdue: bool = strawberry.field(
        default=False, description="Only documents whose current step is past its due time.")
    issue_number: str | None = strawberry.field(
        default=None, description="Issued with exactly this 发文字号, e.g. 延政〔2026〕73号.")
    issue_year: int | None = strawberry.field(default=None, description="Issued with a number of this year.")
