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
from domain.errors import DomainError
from resolvers.context import decode_id, public_error
from resolvers.pagination import paginate
from schema.documents import Document
from schema.types import (
    AbPair,
    Absence,
    Account,
    Connection,
    County,
    CoverResolution,
    Department,
    DepartmentKindEnum,
    Entrustment,
    Official,
    Position,
    RoleEnum,
    day_or_today,
)
from services import cover as cover_service

_NODE_TYPES = {t.__name__ for t in (County, Department, Official, Position, AbPair, Absence, Entrustment, Document)}
PageSize = Annotated[int | None, strawberry.argument(description="Page size, at most 100.")]


def _county_arg(info: Info, county_id: relay.GlobalID | None) -> int:
    try:
        requested = decode_id(county_id, "County", "countyId") if county_id is not None else None
    except DomainError as error:
        raise public_error("BAD_USER_INPUT", error.message) from None
    return info.context.readable_county(requested)


def _id_arg(global_id: relay.GlobalID, type_name: str, field: str) -> int:
    try:
        return decode_id(global_id, type_name, field)
    except DomainError as error:
        raise public_error("BAD_USER_INPUT", error.message) from None


@strawberry.input
class OfficialFilter:
    name_contains: str | None = None
    role: RoleEnum | None = strawberry.field(default=None, description="Holding this role on the day `on`.")
    department_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Holding a position in this department on the day `on`."
    )
    include_retired: bool = False


@strawberry.input
class DepartmentFilter:
    name_contains: str | None = None
    kind: DepartmentKindEnum | None = None


@strawberry.type
class Query:
    @strawberry.field(description="Any record by its global id; null when missing or not yours to read.")
    async def node(self, info: Info, id: relay.GlobalID) -> relay.Node | None:
        info.context.require_principal()
        if id.type_name not in _NODE_TYPES:
            return None
        return await id.resolve_node(info, required=False)

    @strawberry.field(description="The signed-in account.")
    async def me(self, info: Info) -> Account:
        principal = info.context.require_principal()
        return Account(id=relay.GlobalID("Account", str(principal.account_id)), username=principal.username,
                       role=principal.role, county_id=principal.county_id, official_id=principal.official_id)

    @strawberry.field(description="Counties this account may read: its own, or all for system administrators.")
    async def counties(self, info: Info, first: PageSize = None, after: str | None = None) -> Connection[County]:
        ctx = info.context
        principal = ctx.require_principal()
        stmt = select(models.County)
        if not ctx.is_system_admin:
            stmt = stmt.where(models.County.id == principal.county_id)
        return await paginate(await ctx.session(), stmt, order=[models.County.code, models.County.id],
                              first=first, after=after, to_node=County.from_row)

    @strawberry.field(description="A county: the caller's own when no id is given.")
    async def county(self, info: Info, id: relay.GlobalID | None = None) -> County | None:
        county_id = _county_arg(info, id)
        row = await info.context.loaders.county.load(county_id)
        return County.from_row(row) if row else None

    @strawberry.field
    async def departments(self, info: Info, county_id: relay.GlobalID | None = None,
                          filter: DepartmentFilter | None = None, first: PageSize = None,
                          after: str | None = None) -> Connection[Department]:
        county = _county_arg(info, county_id)
        stmt = select(models.Department).where(models.Department.county_id == county)
        if filter is not None:
            if filter.name_contains:
                stmt = stmt.where(models.Department.name.contains(filter.name_contains, autoescape=True))
            if filter.kind is not None:
                stmt = stmt.where(models.Department.kind == filter.kind)
        return await paginate(await info.context.session(), stmt, order=[models.Department.name, models.Department.id],
                              first=first, after=after, to_node=Department.from_row)

    @strawberry.field(description="Officials in rank order (排序).")
    async def officials(self, info: Info, county_id: relay.GlobalID | None = None,
                        filter: OfficialFilter | None = None, on: dt.date | None = None,
                        first: PageSize = None, after: str | None = None) -> Connection[Official]:
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
        return await paginate(await info.context.session(), stmt,
                              order=[models.Official.rank_order, models.Official.id],
                              first=first, after=after, to_node=Official.from_row)

    @strawberry.field(description="AB partner pairs in force on the day.")
    async def ab_pairs(self, info: Info, county_id: relay.GlobalID | None = None, on: dt.date | None = None,
                       first: PageSize = None, after: str | None = None) -> Connection[AbPair]:
        county = _county_arg(info, county_id)
        stmt = select(models.AbPair).where(models.AbPair.county_id == county, held_on(models.AbPair, day_or_today(on)))
        return await paginate(await info.context.session(), stmt, order=[models.AbPair.id], first=first,
                              after=after, to_node=AbPair.from_row)

    @strawberry.field(description="Reported absences overlapping [from, to), latest start first.")
    async def absences(self, info: Info, county_id: relay.GlobalID | None = None,
                       official_id: relay.GlobalID | None = None,
                       from_: Annotated[dt.datetime | None, strawberry.argument(name="from")] = None,
                       to: dt.datetime | None = None,
                       include_cancelled: bool = False, first: PageSize = None,
                       after: str | None = None) -> Connection[Absence]:
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
                              order=[models.Absence.starts_at, models.Absence.id],
                              first=first, after=after, to_node=Absence.from_row)

    @strawberry.field(description="Entrustments by the magistrate, by start time.")
    async def entrustments(self, info: Info, county_id: relay.GlobalID | None = None,
                           include_cancelled: bool = False, first: PageSize = None,
                           after: str | None = None) -> Connection[Entrustment]:
        county = _county_arg(info, county_id)
        stmt = select(models.Entrustment).where(models.Entrustment.county_id == county)
        if not include_cancelled:
            stmt = stmt.where(models.Entrustment.cancelled_at.is_(None))
        return await paginate(await info.context.session(), stmt,
                              order=[models.Entrustment.starts_at, models.Entrustment.id],
                              first=first, after=after, to_node=Entrustment.from_row)

    @strawberry.field(description="Who acts for the official at the instant (now when omitted), with the reasons.")
    async def who_acts_for(self, info: Info, official_id: relay.GlobalID,
                           at: dt.datetime | None = None) -> CoverResolution:
        ctx = info.context
        ctx.require_principal()
        target = await ctx.loaders.official.load(_id_arg(official_id, "Official", "officialId"))
        if target is None or not ctx.can_read(target.county_id):
            raise public_error("NOT_FOUND", "No such official.")
        at = at if at is not None else models.utcnow()
        if at.tzinfo is None:
            raise public_error("BAD_USER_INPUT", "Give 'at' with its UTC offset.")
        cover = await cover_service.cover_for(await ctx.session(), official_id=target.id, at=at)
        return CoverResolution.from_cover(cover, at)
