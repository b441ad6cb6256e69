"""The agenda pipeline and the collective-matter catalogue through GraphQL: thin over services.meetings_agenda
and services.meetings_matters; ids found through resolvers.lookup.find."""

from __future__ import annotations

from typing import Annotated

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay
from strawberry.types import Info

from db import models
from domain.errors import DomainError, ErrorCode
from resolvers.context import Context, decode_id
from resolvers.lookup import find, find_optional
from resolvers.meetings import arg
from resolvers.mutations import _mutate, _writable_county
from schema.meetings import AgendaItem, AgendaItemInput, AgendaItemPayload, AgendaItemResult, ItemStateEnum
from schema.meetings_agenda import (
    AddAgendaMaterialInput,
    AddCollectiveMatterInput,
    AgendaItemMaterial,
    AgendaMaterialPayload,
    AgendaMaterialResult,
    AgendaStepInput,
    CollectiveMatter,
    CollectiveMatterPayload,
    CollectiveMatterResult,
    ConsultationReplyInput,
    ProposeAgendaItemInput,
    ScheduleAgendaItemInput,
    UpdateCollectiveMatterInput,
)
from schema.types import CountyArg
from services import meetings_access, meetings_agenda, meetings_matters
from services.meetings_access import MeetingAction


async def _office(session: AsyncSession, ctx: Context, county_id: int, field: str) -> None:
    """The government office's desk (its staff, or the county's administrator), as for adding items (001 §22)."""
    await meetings_access.require(session, access=ctx.access, principal=ctx.require_principal(), county_id=county_id,
                                  action=MeetingAction.ADD_ITEM, field=field)


async def _acting(session: AsyncSession, ctx: Context, global_id: relay.GlobalID | None, county_id: int,
                  field: str) -> int:
    """Who does the step: yourself, or the official the office records it for."""
    if global_id is None:
        official_id = ctx.require_principal().official_id
        if official_id is None:
            raise DomainError(ErrorCode.NOT_ENTITLED, "This account is no official: name who does the step.",
                              field=field)
        return official_id
    official = await find(session, ctx, models.Official, global_id, field, county_id=county_id)
    if official.id != ctx.require_principal().official_id:
        await _office(session, ctx, county_id, field)
    return official.id


async def _item_of_proposer_or_office(session: AsyncSession, ctx: Context, item: models.AgendaItem,
                                      field: str) -> None:
    """The proposer prepares the item's materials; the office may record them too."""
    if item.proposer_id is None or item.proposer_id != ctx.require_principal().official_id:
        await _office(session, ctx, item.county_id, field)


def _payload(item: models.AgendaItem) -> AgendaItemPayload:
    return AgendaItemPayload(item=AgendaItem.from_row(item))


@strawberry.type
class AgendaQueries:
    @strawberry.field(description="The county's collective-matter catalogue (三重一大 事项目录).")
    async def collective_matters(self, info: Info, county_id: CountyArg = None) -> list[CollectiveMatter]:
        ctx: Context = info.context
        county = ctx.readable_county(decode_id(county_id, "County", "countyId") if county_id else None)
        return [CollectiveMatter.from_row(r)
                for r in await meetings_matters.matters_of(await ctx.session(), county_id=county)]

    @strawberry.field(description="A body's items, oldest proposal first; only those in the given states when "
                                  "states is given (e.g. CHECKED and ACCEPTED: the office's queue). Empty for a "
                                  "body you may not read.")
    async def agenda_items(self, info: Info,
                           body_id: Annotated[relay.GlobalID, arg("The body the items were proposed to.")],
                           states: Annotated[list[ItemStateEnum] | None, arg("Only items in these states.")] = None,
                           ) -> list[AgendaItem]:
        ctx: Context = info.context
        session = await ctx.session()
        body = await session.get(models.MeetingBody, decode_id(body_id, "MeetingBody", "bodyId"))
        if body is None or not ctx.can_read(body.county_id):
            return []
        return [AgendaItem.from_row(r) for r in await meetings_agenda.queue_of(session, body_id=body.id,
                                                                               states=states)]


@strawberry.type
class AgendaMutations:
    @strawberry.mutation(description="Add a matter to your county's collective-matter catalogue (administrator).")
    async def add_collective_matter(self, info: Info, input: Annotated[AddCollectiveMatterInput, arg("The matter.")],
                                    ) -> CollectiveMatterResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            county_id = await _writable_county(session, ctx, input.county_id, "meeting_bodies")
            row = await meetings_matters.add_matter(session, county_id=county_id, spec=input.matter.spec(),
                                                    actor=ctx.actor)
            return CollectiveMatterPayload(matter=CollectiveMatter.from_row(row))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Replace a collective matter's row (administrator); items keep their link.")
    async def update_collective_matter(self, info: Info,
                                       input: Annotated[UpdateCollectiveMatterInput, arg("The change.")],
                                       ) -> CollectiveMatterResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            row = await find(session, ctx, models.CollectiveMatter, input.id, "id")
            ctx.require(row.county_id, "meeting_bodies", "write", field="id")
            row = await meetings_matters.update_matter(session, row=row, spec=input.matter.spec(), actor=ctx.actor)
            return CollectiveMatterPayload(matter=CollectiveMatter.from_row(row))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Propose an item to a body: a department principal or a vice magistrate (000 "
                                     "§42; 003 §45), or any member of a party group (002 细则 §6(一)).")
    async def propose_agenda_item(self, info: Info, input: Annotated[ProposeAgendaItemInput, arg("The item.")],
                                  ) -> AgendaItemResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            body = await find(session, ctx, models.MeetingBody, input.body_id, "bodyId")
            proposer = await _acting(session, ctx, input.proposer_id, body.county_id, "proposerId")
            sponsor = await find_optional(session, ctx, models.Department, input.sponsor_department_id,
                                          "sponsorDepartmentId", county_id=body.county_id)
            in_charge = await find_optional(session, ctx, models.Official, input.member_in_charge_id,
                                            "memberInChargeId", county_id=body.county_id)
            return _payload(await meetings_agenda.propose(
                session, body=body, title=input.title, kind=input.kind, proposer_id=proposer,
                matter_code=input.matter_code, sponsor_department_id=sponsor, member_in_charge_id=in_charge,
                actor=ctx.actor))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Coordinate an item: the vice magistrate in charge of its sponsoring department "
                                     "(000 §42; 003 §45).")
    async def coordinate_agenda_item(self, info: Info, input: Annotated[AgendaStepInput, arg("The step.")],
                                     ) -> AgendaItemResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            item = await find(session, ctx, models.AgendaItem, input.item_id, "itemId")
            official = await _acting(session, ctx, input.official_id, item.county_id, "officialId")
            return _payload(await meetings_agenda.coordinate(session, item=item, official_id=official,
                                                             actor=ctx.actor))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="The government office's completeness check: the materials the item's matter "
                                     "requires are all there (002 三重一大 二(三)).")
    async def check_agenda_item(self, info: Info, input: Annotated[AgendaItemInput, arg("The item.")],
                                ) -> AgendaItemResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            item = await find(session, ctx, models.AgendaItem, input.item_id, "itemId")
            await _office(session, ctx, item.county_id, "itemId")
            return _payload(await meetings_agenda.check(session, item=item,
                                                        official_id=ctx.require_principal().official_id,
                                                        actor=ctx.actor))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Accept an item for its body: the holder of the body's chair role (000 §42; 003 "
                                     "§45; 002 细则 §6(一)).")
    async def accept_agenda_item(self, info: Info, input: Annotated[AgendaStepInput, arg("The step.")],
                                 ) -> AgendaItemResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            item = await find(session, ctx, models.AgendaItem, input.item_id, "itemId")
            official = await _acting(session, ctx, input.official_id, item.county_id, "officialId")
            return _payload(await meetings_agenda.accept(session, item=item, official_id=official, actor=ctx.actor))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Put an accepted item on a meeting of its body (the government office); the "
                                     "meeting takes it up once a notice sent in time lists it.")
    async def schedule_agenda_item(self, info: Info, input: Annotated[ScheduleAgendaItemInput, arg("The item.")],
                                   ) -> AgendaItemResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            item = await find(session, ctx, models.AgendaItem, input.item_id, "itemId")
            meeting = await find(session, ctx, models.Meeting, input.meeting_id, "meetingId", county_id=item.county_id)
            await _office(session, ctx, item.county_id, "itemId")
            return _payload(await meetings_agenda.schedule(session, item=item, meeting=meeting, actor=ctx.actor))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Withdraw your item before a notice lists it.")
    async def withdraw_agenda_item(self, info: Info, input: Annotated[AgendaItemInput, arg("The item.")],
                                   ) -> AgendaItemResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            item = await find(session, ctx, models.AgendaItem, input.item_id, "itemId")
            return _payload(await meetings_agenda.withdraw(session, item=item,
                                                           official_id=ctx.require_principal().official_id,
                                                           actor=ctx.actor))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Add a material to an item: its proposer, or the government office.")
    async def add_agenda_material(self, info: Info, input: Annotated[AddAgendaMaterialInput, arg("The material.")],
                                  ) -> AgendaMaterialResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            item = await find(session, ctx, models.AgendaItem, input.item_id, "itemId")
            await _item_of_proposer_or_office(session, ctx, item, "itemId")
            material = await meetings_agenda.add_material(
                session, item=item, kind=input.kind, title=input.title, file_name=input.file_name,
                file_size=input.file_size, file_sha256=input.file_sha256,
                sent_for_review_on=input.sent_for_review_on, consulted_unit=input.consulted_unit,
                sent_on=input.sent_on, reply_by=input.reply_by, actor=ctx.actor)
            return AgendaMaterialPayload(material=AgendaItemMaterial.from_row(material))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Record a consulted unit's written reply, by its reply-by day (002 三重一大 二(二)); "
                                     "after that day its silence is deemed consent.")
    async def record_consultation_reply(self, info: Info,
                                        input: Annotated[ConsultationReplyInput, arg("The reply.")],
                                        ) -> AgendaMaterialResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            material = await find(session, ctx, models.AgendaItemMaterial, input.material_id, "materialId")
            item = await session.get(models.AgendaItem, material.item_id)
            await _item_of_proposer_or_office(session, ctx, item, "materialId")
            material = await meetings_agenda.record_reply(session, material=material, reply=input.reply,
                                                          replied_on=input.replied_on, actor=ctx.actor)
            return AgendaMaterialPayload(material=AgendaItemMaterial.from_row(material))

        return await _mutate(ctx, change)
