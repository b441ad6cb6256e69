"""GraphQL types of proactive disclosure 主动公开: the record, the county's limits and the period report."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, ClassVar

import strawberry
from strawberry import relay
from strawberry.types import Info

from db import models_disclosure as md
from db.models import utcnow
from domain import disclosure as d
from schema.labels import labelled_enum
from schema.mutations import MutationError
from schema.types import CountyNode, Official, official_by_id

DisclosureSourceEnum = labelled_enum(d.DisclosureSource, name="DisclosureSource",
                                     description="What made the record: an issued document, a publishable meeting "
                                                 "decision or a proposal's published result.")
DisclosureStateEnum = labelled_enum(d.DisclosureState, name="DisclosureState",
                                    description="Pending → published (when, where) or exempted (why, approved by "
                                                "whom).")
ExemptionEnum = labelled_enum(d.Exemption, name="DisclosureExemption",
                              description="The ground on which an item is not published (002 政务公开 §9).")
ReportPeriodEnum = labelled_enum(d.ReportPeriod, name="DisclosureReportPeriod",
                                 description="The period a report covers (004 六2).")

_SOURCE_TYPES = {d.DisclosureSource.DOCUMENT: "Document", d.DisclosureSource.DECISION: "MeetingDecision",
                 d.DisclosureSource.PROPOSAL_REPLY: "Proposal"}


@strawberry.type(description="The county's limit for publishing one kind of item, in working days from its issue "
                             "or adoption (county data: the seeds say 及时 without a number; 20 is the documented "
                             "default). No limit, no due time.")
class DisclosureLimit:
    source: DisclosureSourceEnum = strawberry.field(description="The kind of item.")
    working_days: int = strawberry.field(description="Working days it may wait.")
    article: str = strawberry.field(description="The article the limit rests on.")

    @classmethod
    def from_row(cls, row: md.DisclosureLimit) -> DisclosureLimit:
        return cls(source=row.source, working_days=row.working_days, article=row.article)


@strawberry.type(description="An item the county is to publish proactively (主动公开, 000 §51, §24; 001 §16, §22; "
                             "003 §28–29), and whether it was. A classified document never has one.")
class Disclosure(CountyNode, relay.Node):
    model: ClassVar[type] = md.Disclosure
    id: relay.NodeID[int]
    source: DisclosureSourceEnum = strawberry.field(description="What made the record.")
    source_id: relay.GlobalID = strawberry.field(description="The document, meeting decision or proposal.")
    title: str = strawberry.field(description="The item's title.")
    state: DisclosureStateEnum = strawberry.field(description="Where it stands.")
    created_at: dt.datetime = strawberry.field(description="When the item was issued or adopted.")
    due_at: dt.datetime | None = strawberry.field(description="When it is due to be published; null without a "
                                                              "limit or while the calendar lacks the year "
                                                              "(dueProblem).")
    due_article: str | None = strawberry.field(description="The article of the limit.")
    due_problem: str | None = strawberry.field(description="Why a record has no due time; null otherwise.")
    published_on: dt.date | None = strawberry.field(description="The day it was published; null before.")
    published_where: str | None = strawberry.field(description="Where it was published (an address or the "
                                                                "gazette); null before.")
    exemption: ExemptionEnum | None = strawberry.field(description="The ground of the exemption; null unless "
                                                                   "exempted.")
    exemption_reason: str | None = strawberry.field(description="Why it is exempted; null unless exempted.")
    overdue: bool = strawberry.field(description="Still pending past its due time.")
    county_id: strawberry.Private[int]
    published_by_id: strawberry.Private[int | None]
    exemption_requested_by_id: strawberry.Private[int | None]
    exemption_approved_by_id: strawberry.Private[int | None]

    @strawberry.field(description="The disclosure officer who recorded the publication; null before.")
    async def published_by(self, info: Info) -> Official | None:
        return await official_by_id(info, self.published_by_id)

    @strawberry.field(description="The disclosure officer who asked for the exemption; null unless exempted.")
    async def exemption_requested_by(self, info: Info) -> Official | None:
        return await official_by_id(info, self.exemption_requested_by_id)

    @strawberry.field(description="Who approved the exemption (the office director or the magistrate); null unless "
                                  "exempted.")
    async def exemption_approved_by(self, info: Info) -> Official | None:
        return await official_by_id(info, self.exemption_approved_by_id)

    @classmethod
    def from_row(cls, row: md.Disclosure) -> Disclosure:
        return cls(id=row.id, source=row.source, source_id=relay.GlobalID(_SOURCE_TYPES[row.source],
                                                                          str(row.source_id)),
                   title=row.title, state=row.state, created_at=row.created_at, due_at=row.due_at,
                   due_article=row.due_article, due_problem=row.due_problem, published_on=row.published_on,
                   published_where=row.published_where, exemption=row.exemption,
                   exemption_reason=row.exemption_reason,
                   overdue=row.state == d.DisclosureState.PENDING and row.due_at is not None
                   and row.due_at < utcnow(),
                   county_id=row.county_id, published_by_id=row.published_by_id,
                   exemption_requested_by_id=row.exemption_requested_by_id,
                   exemption_approved_by_id=row.exemption_approved_by_id)


@strawberry.type(description="A period's disclosure figures (004 六2). Classified documents have no record and are "
                             "never counted.")
class DisclosureReport:
    period: ReportPeriodEnum = strawberry.field(description="The kind of period.")
    starts_on: dt.date = strawberry.field(description="Its first day.")
    ends_on: dt.date = strawberry.field(description="Its last day.")
    created: int = strawberry.field(description="Records made in the period.")
    published_on_time: int = strawberry.field(description="Published in the period, by the due day.")
    published_late: int = strawberry.field(description="Published in the period, after the due day.")
    overdue: int = strawberry.field(description="Still pending past the due day at the period's end (or today).")
    exempted: int = strawberry.field(description="Exempted in the period.")


@strawberry.input(description="Which disclosure records; all when every field is omitted.")
class DisclosureFilter:
    states: list[DisclosureStateEnum] | None = strawberry.field(default=None, description="In one of these states.")
    sources: list[DisclosureSourceEnum] | None = strawberry.field(default=None,
                                                                  description="Made by one of these kinds of item.")
    overdue: bool = strawberry.field(default=False, description="Only those still pending past their due time.")


@strawberry.input(description="Record that an item was published.")
class PublishDisclosureInput:
    disclosure_id: relay.GlobalID = strawberry.field(description="The record.")
    published_on: dt.date = strawberry.field(description="The day it was published.")
    where: str = strawberry.field(description="Where: the portal address, the gazette issue (000 §25).")


@strawberry.input(description="Exempt an item from publication: asked by a disclosure officer, approved by the "
                              "caller (the office director or the magistrate).")
class ExemptDisclosureInput:
    disclosure_id: relay.GlobalID = strawberry.field(description="The record.")
    exemption: ExemptionEnum = strawberry.field(description="The ground (002 政务公开 §9).")
    reason: str = strawberry.field(description="Why the ground applies.")
    requested_by_id: relay.GlobalID = strawberry.field(description="The disclosure officer who asked for it; not the "
                                                                   "approver.")


@strawberry.input(description="Set or remove the county's limit for one kind of item.")
class SetDisclosureLimitInput:
    county_id: relay.GlobalID | None = strawberry.field(default=None, description="The county; yours when omitted.")
    source: DisclosureSourceEnum = strawberry.field(description="The kind of item.")
    working_days: int | None = strawberry.field(default=None, description="1 to 60 working days; omitted removes "
                                                                          "the limit.")
    article: str = strawberry.field(default="", description="The article the limit rests on.")


@strawberry.type(description="The disclosure record after the change.")
class DisclosurePayload:
    disclosure: Disclosure = strawberry.field(description="The record.")


@strawberry.type(description="The county's disclosure limits, as they now stand.")
class DisclosureLimitsPayload:
    limits: list[DisclosureLimit] = strawberry.field(description="Every kind's limit.")


DisclosureResult = Annotated[DisclosurePayload | MutationError, strawberry.union(
    "DisclosureResult", description="DisclosurePayload when it worked; MutationError when it changed nothing.")]
DisclosureLimitsResult = Annotated[DisclosureLimitsPayload | MutationError, strawberry.union(
    "DisclosureLimitsResult", description="DisclosureLimitsPayload when it worked; MutationError when it changed "
                                          "nothing.")]
