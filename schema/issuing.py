"""GraphQL types for issuing (印发): the county's 发文字号 series and an issued document's distribution list."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

import strawberry
from strawberry import relay
from strawberry.types import Info

from db import models_issuing
from domain.documents import Genre
from domain.issuing import ANY_GENRE, DistributionKind
from policies.issuing import SeriesSpec
from resolvers.loaders import now_or_later
from schema.documents import GenreEnum, IssuerEnum
from schema.labels import labelled_enum
from schema.types import CountyNode, Department

DistributionKindEnum = labelled_enum(DistributionKind, name="DistributionKind",
                                     description="How a recipient gets an issued document: 主送 or 抄送.")


def _department(info: Info, department_id: int | None) -> Department | None:
    if department_id is None:
        return None
    return now_or_later(info.context.loaders.department, department_id, Department.from_row)


@strawberry.type(description="A county's 发文字号 series: the prefix an issuer's documents of a genre take "
                             "(「prefix〔year〕N号」, numbered without gaps per prefix and year), copied from its rule "
                             "set's table and edited by the county's administrator.")
class IssueSeries(CountyNode, relay.Node):
    model: ClassVar[type] = models_issuing.IssueSeries
    id: relay.NodeID[int]
    issuer: IssuerEnum = strawberry.field(description="Whose documents take it.")
    genre: GenreEnum | None = strawberry.field(description="Of which genre; null: any genre the issuer has no "
                                                           "series of its own for.")
    prefix: str = strawberry.field(description="The prefix, e.g. 延政 of 延政〔2023〕73号.")
    article: str = strawberry.field(description="The article or header the series comes from.")
    department_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, row: models_issuing.IssueSeries) -> IssueSeries:
        return cls(id=row.id, issuer=row.issuer, genre=None if row.genre == ANY_GENRE else Genre(row.genre),
                   prefix=row.prefix, article=row.article, department_id=row.department_id)

    @strawberry.field(description="For a department's own series: the department; null otherwise.")
    def department(self, info: Info) -> Department | None:
        return _department(info, self.department_id)


@strawberry.type(description="A recipient on an issued document's distribution list.")
class Recipient:
    kind: DistributionKindEnum = strawberry.field(description="主送 (MAIN) or 抄送 (COPY).")
    organ: str | None = strawberry.field(description="An organ outside the county's roster, in words (e.g. "
                                                     "市人民政府); null for a department.")
    department_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, row: models_issuing.DocumentRecipient) -> Recipient:
        return cls(kind=row.kind, organ=row.organ, department_id=row.department_id)

    @strawberry.field(description="A department of the county; null for an outside organ.")
    def department(self, info: Info) -> Department | None:
        return _department(info, self.department_id)


@strawberry.input(description="A recipient: a department of the county or an outside organ in words, not both.")
class RecipientInput:
    kind: DistributionKindEnum = strawberry.field(description="主送 (MAIN) or 抄送 (COPY).")
    department_id: relay.GlobalID | None = strawberry.field(default=None, description="A department of the county.")
    organ: str | None = strawberry.field(default=None, description="An organ outside the roster, e.g. 市人民政府.")


@strawberry.input(description="Number and issue a signed document.")
class IssueDocumentInput:
    document_id: relay.GlobalID = strawberry.field(description="The signed document.")
    distribution: list[RecipientInput] = strawberry.field(
        description="Its distribution list: at least one main recipient (a request exactly one). A document sent up "
                    "to the county government has its addressee as its one main recipient: leave 主送 out and it is "
                    "filled in (县人民政府), or name the county government; anything else is refused (明确一个主送机关, "
                    "002 局规则 §36).")
    issued_on: dt.date | None = strawberry.field(default=None, description="The date on the document (成文日期), "
                                                                           "from its signature to today; today when "
                                                                           "omitted.")


@strawberry.input(description="A series' columns.")
class IssueSeriesInput:
    issuer: IssuerEnum = strawberry.field(description="Whose documents take it.")
    prefix: str = strawberry.field(description="The prefix, e.g. 延交.")
    article: str = strawberry.field(description="The article or header it comes from.")
    genre: GenreEnum | None = strawberry.field(default=None, description="Of which genre; any when omitted.")
    department_id: relay.GlobalID | None = strawberry.field(
        default=None, description="For a department's own series (issuer DEPARTMENT): the department.")

    def spec(self) -> SeriesSpec:
        return SeriesSpec(issuer=self.issuer, genre=self.genre.value if self.genre else ANY_GENRE,
                          prefix=self.prefix, article=self.article)


@strawberry.input(description="A series to add to a county.")
class AddIssueSeriesInput:
    series: IssueSeriesInput = strawberry.field(description="The series.")
    county_id: relay.GlobalID | None = strawberry.field(default=None, description="The county; your own when "
                                                                                  "omitted.")


@strawberry.input(description="A series to change; numbers already given keep theirs.")
class UpdateIssueSeriesInput:
    id: relay.GlobalID = strawberry.field(description="The series.")
    series: IssueSeriesInput = strawberry.field(description="Its new columns; they replace the old.")


@strawberry.input(description="A series to remove; numbers already given keep theirs.")
class RemoveIssueSeriesInput:
    id: relay.GlobalID = strawberry.field(description="The series.")


@strawberry.type(description="The series after the change.")
class IssueSeriesPayload:
    issue_series: IssueSeries = strawberry.field(description="The series as it now stands.")


@strawberry.type(description="The series was removed.")
class RemoveIssueSeriesPayload:
    removed_id: relay.GlobalID = strawberry.field(description="The removed series' id.")
