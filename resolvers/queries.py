"""Read side of the API. Every root field needs a signed-in caller and reads one county at a time."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from sqlalchemy import select
from strawberry import relay
from strawberry.types import Info

from db import models
from db.periods import held_on
from domain.errors import DomainError, TopLevelCode
from resolvers.context import decode_id, public_error
from resolvers.pagination import After, Before, Last, PageSize, paginate
from resolvers.governance import SigningRuleRow
from schema.disclosure import Disclosure
from schema.documents import ChainStep, Circulation, Document, StepAssignment
from schema.duties import Duty
from schema.incoming_requests import IncomingRequest
from schema.meetings import AgendaItem, Meeting, MeetingBody
from schema.meetings_decisions import MeetingDecision
from schema.proposals import Proposal
from schema.supervision import SupervisionItem
from schema.lists import OfficialOrder, OfficialOrderField, OrderDirection
from schema.types import (
    AbPair,
    Absence,
    Account,
    ApiToken,
    Connection,
    County,
    CountyArg,
    CoverResolution,
    Department,
    DepartmentKindEnum,
    Entrustment,
    Official,
    OnDate,
    Position,
    RoleEnum,
    day_or_today,
)
from services import cover as cover_service

# Every type with a global id, by the type name the id carries.
_NODE_TYPES = {t.__strawberry_definition__.name: t for t in (
    County, Department, Official, Position, AbPair, Absence, Entrustment, Account, Document, ChainStep,
    StepAssignment, Circulation, SigningRuleRow, ApiToken, MeetingBody, Meeting, AgendaItem, MeetingDecision, Duty,
    Proposal, SupervisionItem, IncomingRequest, Disclosure)}
MAX_NODES = 100


async def _nodes(info: Info, ids: list[relay.GlobalID]) -> list:
    """Each id's record, or None; one batch per type. An id of no node type answers like a missing one."""
    info.context.require_principal()
    found: list = [None] * len(ids)
    by_type: dict[str, list[int]] = {}
    for index, global_id in enumerate(ids):
        if global_id.type_name in _NODE_TYPES:
            by_type.setdefault(global_id.type_name, []).append(index)
    for type_name, indexes in by_type.items():
        records = await _NODE_TYPES[type_name].resolve_nodes(
            info=info, node_ids=[ids[i].node_id for i in indexes], required=False)
        for index, record in zip(indexes, records, strict=True):
            found[index] = record
    return found


def _county_arg(info: Info, county_id: relay.GlobalID | None) -> int:
    try:
        requested = decode_id(county_id, "County", "countyId") if county_id is not None else None
    except DomainError as error:
        raise public_error(TopLevelCode.BAD_USER_INPUT, error.message) from None
    return info.context.readable_county(requested)


def _id_arg(global_id: relay.GlobalID, type_name: str, field: str) -> int:
    try:
        return decode_id(global_id, type_name, field)
    except DomainError as error:
        raise public_error(TopLevelCode.BAD_USER_INPUT, error.message) from None


IncludeCancelled = Annotated[bool, strawberry.argument(description="Also the cancelled ones.")]


@strawberry.input(description="Which officials to list.")
class OfficialFilter:
    name_contains: str | None = strawberry.field(default=None, description="Part of the name.")
    role: RoleEnum | None = strawberry.field(default=None, description="Holding this role on the day `on`.")
    department_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Holding a position in this department on the day `on`."
    )
    include_retired: bool = strawberry.field(default=False, description="Also those retired by the day `on`.")


@strawberry.input(description="Which departments to list.")
class DepartmentFilter:
    name_contains: str | None = strawberry.field(default=None, description="Part of the name.")
    kind: DepartmentKindEnum | None = strawberry.field(default=None, description="Only departments of this kind.")


@strawberry.type
class Query:
    @strawberry.field(description="Any record by its global id; null when missing or not yours to read.")
    async def node(self, info: Info, id: Annotated[relay.GlobalID, strawberry.argument(
            description="A global id any list or record gave you.")]) -> relay.Node | None:
        [found] = await _nodes(info, [id])
        return found

    @strawberry.field(description=f"Records by their global ids, in the order asked (at most {MAX_NODES}); null "
                                  "for each one missing or not yours to read.")
    async def nodes(self, info: Info, ids: Annotated[list[relay.GlobalID], strawberry.argument(
            description="Global ids any lists or records gave you, of any types.")]) -> list[relay.Node | None]:
        if len(ids) > MAX_NODES:
            raise public_error(TopLevelCode.BAD_USER_INPUT, f"Ask for at most {MAX_NODES} ids at once.")
        return await _nodes(info, ids)

    @strawberry.field(description="The signed-in account.")
    async def me(self, info: Info) -> Account:
        principal = info.context.require_principal()
        return Account(id=principal.account_id, username=principal.username,
                       role=principal.role, county_id=principal.county_id, official_id=principal.official_id)

    @strawberry.field(description="Counties this account may read: its own, or all for system administrators.")
    async def counties(self, info: Info, first: PageSize = None, after: After = None, last: Last = None,
                       before: Before = None) -> Connection[County]:
        ctx = info.context
        principal = ctx.require_principal()
        stmt = select(models.County)
        if not ctx.is_system_admin:
            stmt = stmt.where(models.County.id == principal.county_id)
        return await paginate(await ctx.session(), stmt, order=[models.County.code, models.County.id],
                              first=first, after=after, last=last, before=before, to_node=County.from_row)

    @strawberry.field(description="A county: the caller's own when no id is given.")
    async def county(self, info: Info, id: Annotated[relay.GlobalID | None, strawberry.argument(
            description="The county; your own when omitted.")] = None) -> County | None:
        county_id = _county_arg(info, id)
        row = await info.context.loaders.county.load(county_id)
        return County.from_row(row) if row else None

    @strawberry.field(description="Departments of the county, by name.")
    async def departments(self, info: Info, county_id: CountyArg = None,
                          filter: Annotated[DepartmentFilter | None, strawberry.argument(
                              description="Which departments; all when omitted.")] = None, first: PageSize = None, after: After = None,
                          last: Last = None, before: Before = None) -> Connection[Department]:
        county = _county_arg(info, county_id)
        stmt = select(models.Department).where(models.Department.county_id == county)
        if filter is not None:
            if filter.name_contains:
                stmt = stmt.where(models.Department.name.contains(filter.name_contains, autoescape=True))
            if filter.kind is not None:
                stmt = stmt.where(models.Department.kind == filter.kind)
        return await paginate(await info.context.session(), stmt, order=[models.Department.name, models.Department.id],
                              first=first, after=after, last=last, before=before, to_node=Department.from_row)

    @strawberry.field(description="Officials in rank order (排序) unless orderBy says otherwise.")
    async def officials(self, info: Info, county_id: CountyArg = None,
                        filter: Annotated[OfficialFilter | None, strawberry.argument(
                            description="Which officials; those serving on the day when omitted.")] = None, on: OnDate = None,
                        order_by: Annotated[OfficialOrder | None, strawberry.argument(
                            description="The order; rank order (RANK, ASC) when omitted.")] = None,
                        first: PageSize = None, after: After = None, last: Last = None,
                        before: Before = None) -> Connection[Official]:
        county = _county_arg(info, county_id)
        day = day_or_today(on)
        stmt = select(models.Official).where(models.Official.county_id == county)
        filter = filter or OfficialFilter()
        if not filter.include_retired:
            stmt = stmt.where((models.Official.retired_on.is_(None)) | (models.Official.retired_on > day))
        if filter.name_contains:
            stmt = stmt.where(models.Official.name.contains(filter.name_contains, autoescape=True))
        if filter.role is not None or filter.department_id is not None:
            holding = select(models.Position.official_id).where(held_on(models.Position, day))
            if filter.role is not None:
                holding = holding.where(models.Position.role == filter.role)
            if filter.department_id is not None:
                holding = holding.where(
                    models.Position.department_id == _id_arg(filter.department_id, "Department", "departmentId")
                )
            stmt = stmt.where(models.Official.id.in_(holding))
        order_by = order_by or OfficialOrder()
        key = {OfficialOrderField.RANK: models.Official.rank_order,
               OfficialOrderField.NAME: models.Official.name}[order_by.field]
        return await paginate(await info.context.session(), stmt, order=[key, models.Official.id],
                              descending=order_by.direction == OrderDirection.DESC,
                              first=first, after=after, last=last, before=before, to_node=Official.from_row)

    @strawberry.field(description="AB partner pairs in force on the day.")
    async def ab_pairs(self, info: Info, county_id: CountyArg = None, on: OnDate = None,
                       first: PageSize = None, after: After = None, last: Last = None,
                       before: Before = None) -> Connection[AbPair]:
        county = _county_arg(info, county_id)
        stmt = select(models.AbPair).where(models.AbPair.county_id == county, held_on(models.AbPair, day_or_today(on)))
        return await paginate(await info.context.session(), stmt, order=[models.AbPair.id], first=first,
                              after=after, last=last, before=before, to_node=AbPair.from_row)

    @strawberry.field(description="Reported absences overlapping [from, to), latest start first.")
    async def absences(self, info: Info, county_id: CountyArg = None,
                       official_id: Annotated[relay.GlobalID | None, strawberry.argument(
                           description="Only this official's absences.")] = None,
                       from_: Annotated[dt.datetime | None, strawberry.argument(
                           name="from", description="Only those ending after this instant.")] = None,
                       to: Annotated[dt.datetime | None, strawberry.argument(
                           description="Only those starting before this instant.")] = None,
                       include_cancelled: IncludeCancelled = False, first: PageSize = None, after: After = None,
                       last: Last = None, before: Before = None) -> Connection[Absence]:
        county = _county_arg(info, county_id)
        stmt = select(models.Absence).where(models.Absence.county_id == county)
        if official_id is not None:
            stmt = stmt.where(models.Absence.official_id == _id_arg(official_id, "Official", "officialId"))
        if from_ is not None:
            stmt = stmt.where(models.Absence.ends_at > from_)
        if to is not None:
            stmt = stmt.where(models.Absence.starts_at < to)
        if not include_cancelled:
            stmt = stmt.where(models.Absence.cancelled_at.is_(None))
        return await paginate(await info.context.session(), stmt,
                              order=[models.Absence.starts_at, models.Absence.id], descending=True,
                              first=first, after=after, last=last, before=before, to_node=Absence.from_row)

    @strawberry.field(description="Entrustments by the magistrate, by start time.")
    async def entrustments(self, info: Info, county_id: CountyArg = None,
                           include_cancelled: IncludeCancelled = False, first: PageSize = None, after: After = None,
                           last: Last = None, before: Before = None) -> Connection[Entrustment]:
        county = _county_arg(info, county_id)
        stmt = select(models.Entrustment).where(models.Entrustment.county_id == county)
        if not include_cancelled:
            stmt = stmt.where(models.Entrustment.cancelled_at.is_(None))
        return await paginate(await info.context.session(), stmt,
                              order=[models.Entrustment.starts_at, models.Entrustment.id],
                              first=first, after=after, last=last, before=before, to_node=Entrustment.from_row)

    @strawberry.field(description="Who acts for the official at the instant (now when omitted), with the reasons.")
    async def who_acts_for(
            self, info: Info,
            official_id: Annotated[relay.GlobalID, strawberry.argument(description="The official asked about.")],
            at: Annotated[dt.datetime | None, strawberry.argument(
                description="The instant, with its UTC offset; now when omitted.")] = None) -> CoverResolution:
        ctx = info.context
        ctx.require_principal()
        target = await ctx.loaders.official.load(_id_arg(official_id, "Official", "officialId"))
        if target is None or not ctx.can_read(target.county_id):
            raise public_error(TopLevelCode.NOT_FOUND, "No such official.")
        at = at if at is not None else models.utcnow()
        if at.tzinfo is None:
            raise public_error(TopLevelCode.BAD_USER_INPUT, "Give 'at' with its UTC offset.")
        cover = await cover_service.cover_for(await ctx.session(), official_id=target.id, at=at)
        return CoverResolution.from_cover(cover, at)
