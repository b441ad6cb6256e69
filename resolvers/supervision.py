"""Supervision (督查) through GraphQL: thin over services.supervision; ids found through resolvers.lookup.find.

Every official of the county sees every item and the report: supervision is the county's business, the leaders
read the report (003 §46) and units see whom they work with. Who may act on an item is the service's rule.
"""

from __future__ import annotations

from typing import Annotated

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay
from strawberry.types import Info

from db import models
from db.models_supervision import SupervisionItem as ItemRow
from domain.roster import local_date
from policies.supervision import ClassSpec
from resolvers.context import Context
from resolvers.documents import _official_id
from resolvers.lookup import find, find_ids, find_optional
from resolvers.meetings import _query_id, arg
from resolvers.mutations import _mutate, _writable_county
from resolvers.pagination import After, Before, Last, PageSize, paginate
from schema.supervision import (
    AssignSupervisionItemInput,
    OpenSupervisionItemFromInstructionInput,
    OpenSupervisionItemInput,
    PutSupervisionDeadlineClassInput,
    ReportGrouping,
    ReportGroupingEnum,
    SetSupervisionPrefixInput,
    SupervisionDeadlineClass,
    SupervisionDeadlineInput,
    SupervisionItem,
    SupervisionItemFilter,
    SupervisionItemInput,
    SupervisionItemPayload,
    SupervisionItemResult,
    SupervisionReportRow,
    SupervisionRules,
    SupervisionRulesPayload,
    SupervisionRulesResult,
    SupervisionTextInput,
)
from schema.types import Connection, CountyArg
from services import supervision

RULES = "supervision_rules"


def _county(ctx: Context, county_id: relay.GlobalID | None) -> int:
    return ctx.readable_county(_query_id(county_id, "County") if county_id else None)


async def _rules(session, county_id: int) -> SupervisionRules:
    series = await supervision.series_of(session, county_id=county_id)
    classes = await supervision.deadline_classes(session, county_id=county_id)
    return SupervisionRules(prefix=series.prefix, prefix_article=series.article,
                            deadline_classes=[SupervisionDeadlineClass.from_row(c) for c in classes])


def _deadline(deadline: SupervisionDeadlineInput | None) -> dict:
    deadline = deadline or SupervisionDeadlineInput()
    return {"working_days": deadline.working_days, "due_on": deadline.due_on,
            "deadline_class": deadline.deadline_class}


@strawberry.type
class SupervisionQueries:
    @strawberry.field(description="The county's supervision items, latest first.")
    async def supervision_items(
            self, info: Info, county_id: CountyArg = None,
            filter: Annotated[SupervisionItemFilter | None, arg("Which items; all when omitted.")] = None,
            first: PageSize = None, after: After = None, last: Last = None, before: Before = None,
    ) -> Connection[SupervisionItem]:
        ctx: Context = info.context
        county = _county(ctx, county_id)
        filter = filter or SupervisionItemFilter()
        stmt = supervision.items_query(
            county_id=county, today=local_date(models.utcnow()), state=filter.state, overdue=filter.overdue,
            lead_department_id=_query_id(filter.lead_department_id, "Department") if filter.lead_department_id
            else None,
            leader_id=_query_id(filter.leader_id, "Official") if filter.leader_id else None)
        return await paginate(await ctx.session(), stmt, order=[ItemRow.id], descending=True, first=first,
                              after=after, last=last, before=before, to_node=SupervisionItem.from_row)

    @strawberry.field(description="The supervision office's periodic report to the leaders (003 §46): per lead unit "
                                  "or per instructing leader, items open, overdue, closed on time and closed late; "
                                  "the most overdue first.")
    async def supervision_report(
            self, info: Info, county_id: CountyArg = None,
            by: Annotated[ReportGroupingEnum, arg("Per unit (UNIT, when omitted) or per leader.")] = ReportGrouping.UNIT,
    ) -> list[SupervisionReportRow]:
        ctx: Context = info.context
        county = _county(ctx, county_id)
        unit = by == ReportGrouping.UNIT
        rows = await supervision.report(await ctx.session(), county_id=county, by_unit=unit,
                                        today=local_date(models.utcnow()))
        return [SupervisionReportRow(open=r.open, overdue=r.overdue, closed_on_time=r.closed_on_time,
                                     closed_late=r.closed_late, department_id=r.key if unit else None,
                                     leader_id=None if unit else r.key) for r in rows]

    @strawberry.field(description="The county's supervision data: the numbering prefix and the deadline classes.")
    async def supervision_rules(self, info: Info, county_id: CountyArg = None) -> SupervisionRules:
        ctx: Context = info.context
        return await _rules(await ctx.session(), _county(ctx, county_id))


def _step(service, description: str):
    async def resolve(self, info: Info, input: Annotated[SupervisionItemInput, arg("The item.")],
                      ) -> SupervisionItemResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            me = _official_id(ctx)
            item = await find(session, ctx, ItemRow, input.supervision_item_id, "supervisionItemId")
            return SupervisionItemPayload(item=SupervisionItem.from_row(
                await service(session, item_id=item.id, official_id=me, actor=ctx.actor)))

        return await _mutate(ctx, change)

    return strawberry.mutation(resolver=resolve, description=description)


def _text_step(service, keyword: str, description: str):
    async def resolve(self, info: Info, input: Annotated[SupervisionTextInput, arg("The item and the text.")],
                      ) -> SupervisionItemResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            me = _official_id(ctx)
            item = await find(session, ctx, ItemRow, input.supervision_item_id, "supervisionItemId")
            return SupervisionItemPayload(item=SupervisionItem.from_row(
                await service(session, item_id=item.id, official_id=me, actor=ctx.actor, **{keyword: input.text})))

        return await _mutate(ctx, change)

    return strawberry.mutation(resolver=resolve, description=description)


@strawberry.type
class SupervisionMutations:
    @strawberry.mutation(description="Register an item by hand (the supervision office: an instruction given "
                                      "otherwise, a higher authority's assignment): numbered 督〔year〕N号 and, when "
                                      "its deadline is known, delivered to the lead unit at once (000 §48).")
    async def open_supervision_item(self, info: Info, input: Annotated[OpenSupervisionItemInput, arg("The item.")],
                                    ) -> SupervisionItemResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            me = _official_id(ctx)
            county = (await find(session, ctx, models.County, input.county_id, "countyId")).id if input.county_id \
                else ctx.readable_county(None)
            item = await supervision.open_by_hand(
                session, county_id=county, official_id=me, instruction=input.instruction,
                instructed_by_id=await find_optional(session, ctx, models.Official, input.instructed_by_id,
                                                     "instructedById", county_id=county),
                instructed_on=input.instructed_on,
                lead_department_id=(await find(session, ctx, models.Department, input.lead_department_id,
                                               "leadDepartmentId", county_id=county)).id,
                co_department_ids=await find_ids(session, ctx, models.Department, input.co_department_ids,
                                                 "coDepartmentIds", county_id=county),
                responsible_official_id=await find_optional(session, ctx, models.Official,
                                                            input.responsible_official_id, "responsibleOfficialId",
                                                            county_id=county),
                actor=ctx.actor, **_deadline(input.deadline))
            return SupervisionItemPayload(item=SupervisionItem.from_row(item))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Open an item from a leader's instruction on a circulated document (the "
                                      "supervision office; 000 §48, 003 §53): the instruction, its leader and day "
                                      "come from that reader's record.")
    async def open_supervision_item_from_instruction(
            self, info: Info, input: Annotated[OpenSupervisionItemFromInstructionInput, arg("The item.")],
    ) -> SupervisionItemResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            me = _official_id(ctx)
            circulation = await find(session, ctx, models.Circulation, input.circulation_id, "circulationId")
            county = circulation.county_id
            item = await supervision.open_from_instruction(
                session, circulation_id=circulation.id, official_id=me,
                leader_id=(await find(session, ctx, models.Official, input.leader_id, "leaderId",
                                      county_id=county)).id,
                lead_department_id=(await find(session, ctx, models.Department, input.lead_department_id,
                                               "leadDepartmentId", county_id=county)).id,
                co_department_ids=await find_ids(session, ctx, models.Department, input.co_department_ids,
                                                 "coDepartmentIds", county_id=county),
                responsible_official_id=await find_optional(session, ctx, models.Official,
                                                            input.responsible_official_id, "responsibleOfficialId",
                                                            county_id=county),
                actor=ctx.actor, **_deadline(input.deadline))
            return SupervisionItemPayload(item=SupervisionItem.from_row(item))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Deliver a registered item to its lead unit with its deadline (送达承办单位; the "
                                      "supervision office, 000 §48).")
    async def assign_supervision_item(self, info: Info, input: Annotated[
            AssignSupervisionItemInput, arg("The item and its deadline.")]) -> SupervisionItemResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            me = _official_id(ctx)
            item = await find(session, ctx, ItemRow, input.supervision_item_id, "supervisionItemId")
            return SupervisionItemPayload(item=SupervisionItem.from_row(await supervision.assign(
                session, item_id=item.id, official_id=me, actor=ctx.actor, **_deadline(input.deadline))))

        return await _mutate(ctx, change)

    accept_supervision_item = _step(supervision.accept, "Accept the item for its lead unit: its principal, or "
                                                        "whoever covers for them now (000 §48).")
    report_supervision_progress = _text_step(supervision.report_progress, "text", "Report the unit's progress on the "
                                             "item (its principal or their cover, or the responsible person).")
    report_supervision_result = _text_step(supervision.report_result, "text", "Report the unit's result to the "
                                           "supervision office (办理结果反馈, 000 §48); the office is to verify it.")
    close_supervision_item = _text_step(supervision.close, "note", "Verify the reported result and close the item "
                                        "(the supervision office, 000 §48); the text is the office's note.")
    reopen_supervision_item = _text_step(supervision.reopen, "reason", "Reopen an item whose result falls short (the "
                                         "supervision office): the unit works on, told why.")

    @strawberry.mutation(description="Add a deadline class, or replace the one of the same code: the county enters "
                                      "its own numbers in place of the rule set's documented defaults (no seed sets "
                                      "them; 001 §37 names “13710” without defining it). The county administrator; "
                                      "audited.")
    async def put_supervision_deadline_class(self, info: Info, input: Annotated[
            PutSupervisionDeadlineClassInput, arg("The class.")]) -> SupervisionRulesResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            county = await _writable_county(session, ctx, input.county_id, RULES)
            spec = ClassSpec(code=input.code, name=input.name, working_days=input.working_days,
                             remind_before_days=input.remind_before_days,
                             escalate_after_days=input.escalate_after_days, default=input.default,
                             article=input.article)
            await supervision.put_deadline_class(session, county_id=county, spec=spec, actor=ctx.actor)
            return SupervisionRulesPayload(rules=await _rules(session, county))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Set the prefix of the county's item numbers (督 in 督〔2026〕37号). The county "
                                      "administrator; audited.")
    async def set_supervision_prefix(self, info: Info, input: Annotated[
            SetSupervisionPrefixInput, arg("The prefix.")]) -> SupervisionRulesResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            county = await _writable_county(session, ctx, input.county_id, RULES)
            await supervision.set_number_prefix(session, county_id=county, prefix=input.prefix,
                                                article=input.article, actor=ctx.actor)
            return SupervisionRulesPayload(rules=await _rules(session, county))

        return await _mutate(ctx, change)
