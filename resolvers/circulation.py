"""Circulating incoming documents to leaders (阅批) in GraphQL."""

from __future__ import annotations

from typing import Annotated

import strawberry
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay
from strawberry.types import Info

from db import models
from resolvers.context import Context, decode_id
from resolvers.documents import _official_id
from resolvers.lookup import find, find_ids
from resolvers.mutations import _mutate
from schema import documents as s
from schema.mutations import MutationError
from services import circulation as service

CirculationResult = Annotated[s.CirculationPayload | MutationError, strawberry.union(
    "CirculationResult", description="CirculationPayload when it worked; MutationError when it changed nothing.")]


async def _circulation(session, circulation: models.Circulation) -> s.Circulation:
    readers = await service.readers_of(session, circulation.id)
    relays = (await session.execute(select(models.InstructionRelay)
                                    .where(models.InstructionRelay.circulation_id == circulation.id)
                                    .order_by(models.InstructionRelay.id))).scalars()
    return s.Circulation(
        id=circulation.id, title=circulation.title, source=circulation.source,
        urgent=circulation.urgent, read_only=circulation.read_only, parallel=service.is_parallel(circulation),
        classification=circulation.classification,
        readers=[s.CirculationReader(position=r.position, reached_at=r.reached_at, read_at=r.read_at,
                                     instruction=r.instruction, official_id=r.official_id) for r in readers],
        relays=[s.InstructionRelay(instruction=r.instruction, at=r.at, from_official_id=r.from_official_id,
                                   to_official_id=r.to_official_id, circulation_id=r.circulation_id) for r in relays],
    )


async def visible_circulations(info: Info, ids: list[int | None]) -> list[s.Circulation | None]:
    """The circulations by id, None where missing, another county's, or not yours to read."""
    ctx: Context = info.context
    session = await ctx.session()
    found = []
    for circulation_id in ids:
        row = await session.get(models.Circulation, circulation_id) if circulation_id is not None else None
        visible = row is not None and ctx.can_read(row.county_id) and await service.can_see(
            session, circulation=row, official_id=ctx.principal.official_id, at=models.utcnow())
        found.append(await _circulation(session, row) if visible else None)
    return found


@strawberry.type
class CirculationQueries:
    @strawberry.field(description="Incoming documents that have reached you and that you have not read yet.")
    async def reading_queue(self, info: Info) -> list[s.Circulation]:
        ctx: Context = info.context
        county_id = ctx.readable_county(None)
        me = ctx.require_principal().official_id
        if me is None:
            return []  # an account that is not an official's is nobody's reader
        session = await ctx.session()
        rows = (await session.execute(
            select(models.Circulation)
            .join(models.CirculationReader, models.CirculationReader.circulation_id == models.Circulation.id)
            .where(models.Circulation.county_id == county_id, models.CirculationReader.official_id == me,
                   models.CirculationReader.reached_at.is_not(None), models.CirculationReader.read_at.is_(None))
            .order_by(models.Circulation.urgent.desc(), models.Circulation.id))).scalars()
        return [await _circulation(session, row) for row in rows]

    @strawberry.field(description="A circulation you read or, for the office, any.")
    async def circulation(self, info: Info, id: Annotated[relay.GlobalID, strawberry.argument(
            description="The circulation.")]) -> s.Circulation | None:
        ctx: Context = info.context
        county_id = ctx.readable_county(None)
        session = await ctx.session()
        row = await session.get(models.Circulation, decode_id(id, "Circulation", "id"))
        if row is None or row.county_id != county_id or not await service.can_see(
                session, circulation=row, official_id=ctx.principal.official_id, at=models.utcnow()):
            return None
        return await _circulation(session, row)

    @strawberry.field(description="Instructions relayed to you after you had read.")
    async def instructions_relayed_to_me(self, info: Info) -> list[s.InstructionRelay]:
        ctx: Context = info.context
        ctx.readable_county(None)
        me = ctx.require_principal().official_id
        if me is None:
            return []
        session = await ctx.session()
        rows = (await session.execute(select(models.InstructionRelay).where(
            models.InstructionRelay.to_official_id == me)
            .order_by(models.InstructionRelay.id))).scalars()
        return [s.InstructionRelay(instruction=r.instruction, at=r.at, from_official_id=r.from_official_id,
                                   to_official_id=r.to_official_id, circulation_id=r.circulation_id) for r in rows]


@strawberry.type
class CirculationMutations:
    @strawberry.mutation(description="The office circulates an incoming document to leaders, in rank order.")
    async def start_circulation(self, info: Info, input: Annotated[
            s.StartCirculationInput, strawberry.argument(description="The incoming document and its readers.")],
    ) -> CirculationResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            me = _official_id(ctx)
            county_id = ctx.require_principal().county_id
            readers = await find_ids(session, ctx, models.Official, input.reader_ids, "readerIds", county_id=county_id)
            row = await service.start(session, county_id=county_id, started_by_id=me,
                                      title=input.title, source=input.source, reader_ids=readers,
                                      urgent=input.urgent, read_only=input.read_only,
                                      classification=input.classification, actor=ctx.actor)
            return s.CirculationPayload(circulation=await _circulation(session, row))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Mark read, with an instruction (批示) if you give one.")
    async def mark_read(self, info: Info, input: Annotated[
            s.MarkReadInput, strawberry.argument(description="The circulation, and your instruction if any.")],
    ) -> CirculationResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            me = _official_id(ctx)
            row = await find(session, ctx, models.Circulation, input.circulation_id, "circulationId")
            await service.mark_read(session, circulation_id=row.id, official_id=me, instruction=input.instruction,
                                    actor=ctx.actor)
            return s.CirculationPayload(circulation=await _circulation(session, row))

        return await _mutate(ctx, change)
